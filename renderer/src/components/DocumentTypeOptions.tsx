import { DOCUMENT_TYPES, type DocumentTypeInfo } from '../../../main/common/doctypes.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * The document types as <option>s, named in the UI language: for an outgoing document the
 * Appendix III types an agency issues; for an incoming one also those that come from above
 * (Luật, Nghị định, Thông tư…).
 */
export function DocumentTypeOptions({ direction }: { direction: 'in' | 'out' }) {
  const { typeName } = useI18n();
  return (
    <>
      {DOCUMENT_TYPES.filter((type: DocumentTypeInfo) => direction === 'in' || !type.incomingOnly).map((type) => (
        <option key={type.code} value={type.code}>
          {typeName(type.code)}
        </option>
      ))}
    </>
  );
}
