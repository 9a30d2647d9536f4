import { DOCUMENT_TYPES } from '../../../main/common/doctypes.js';
import { useI18n } from '../i18n/i18n.js';

/** The Appendix III document types as <option>s, named in the UI language. */
export function DocumentTypeOptions() {
  const { typeName } = useI18n();
  return (
    <>
      {DOCUMENT_TYPES.map((type) => (
        <option key={type.code} value={type.code}>
          {typeName(type.code)}
        </option>
      ))}
    </>
  );
}
