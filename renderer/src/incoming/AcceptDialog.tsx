// Tiếp nhận (and registering a paper document): the incoming register writes each document's số,
// ký hiệu, date, issuing agency, type and trích yếu, so before it gives a số đến this asks for
// what is still missing and shows what eOffice read off the file — marked with where from — for
// the clerk to check or correct. The file's signers are offered for the issuing agency, with the
// warning that whoever signed the file may not have issued the document.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { DuplicateCandidate, RegisterFieldsInput } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { DuplicateNotice } from './DuplicateNotice.js';
import { isGuessed, missingRegisterFields, REGISTER_FIELDS, type Capture, type RegisterField, type RegisterValues } from '../../../main/common/capture.js';
import { DateField } from '../components/DateField.js';
import { DocumentTypeOptions } from '../components/DocumentTypeOptions.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import './capture.css';

const LABELS: Record<RegisterField, MessageKey> = {
  notation: 'field.notation',
  documentDate: 'field.documentDate',
  authorAgency: 'field.authorAgency',
  typeCode: 'field.type',
  subject: 'field.subject',
};

interface AcceptDialogProps {
  /** The record as it stands: an incoming document, or what a paper document's scan was read to say. */
  document: RegisterValues & { capture: Capture | null };
  /** Registering a scan (Vào sổ văn bản giấy) rather than accepting a document that arrived. */
  paperFileName?: string;
  /** The document being accepted (absent for a scan not yet stored): left out of its own duplicates, and linked to one. */
  documentId?: number;
  onSubmit: (fields: RegisterFieldsInput) => Promise<void>;
  onClose: () => void;
}

/** How long typing pauses before the register is asked for duplicates of what was typed. */
const DUPLICATE_CHECK_DELAY_MS = 300;

export function AcceptDialog({ document, paperFileName, documentId, onSubmit, onClose }: AcceptDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const firstField = useRef<HTMLInputElement>(null);
  const request = useModalRequest(onClose);
  const { busy } = request;
  const { capture } = document;
  const missing = missingRegisterFields(document, capture);
  // What the register lacks starts empty (a trích yếu that is only the file's name included).
  const initial = (field: RegisterField) => (missing.includes(field) ? '' : (document[field] ?? ''));
  const [values, setValues] = useState<Record<RegisterField, string>>(() => Object.fromEntries(REGISTER_FIELDS.map((f) => [f, initial(f)])) as Record<RegisterField, string>);
  const [errors, setErrors] = useState<Set<RegisterField>>(new Set());
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[]>([]);

  // Trùng văn bản (Appendix VI 1h): the register is asked again as the clerk corrects the number,
  // notation, agency or date, so that the warning is about the record the số đến will be given to.
  const { notation, authorAgency, documentDate } = values;
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      call('incoming.duplicates', { id: documentId, notation: notation.trim(), authorAgency: authorAgency.trim(), documentDate: documentDate || null }).then(
        (found) => current && setDuplicates(found),
        // A warning that cannot be had leaves the form as it is: tiếp nhận itself warns again.
        () => current && setDuplicates([]),
      );
    }, DUPLICATE_CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [documentId, notation, authorAgency, documentDate]);

  const set = (field: RegisterField, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => {
      const next = new Set(current);
      next.delete(field);
      return next;
    });
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    // The date field refuses what is not a date itself (its own message).
    if (!(event.currentTarget as HTMLFormElement).checkValidity()) return;
    const empty = new Set(REGISTER_FIELDS.filter((f) => !values[f].trim()));
    setErrors(empty);
    if (empty.size) return;
    const fields: RegisterFieldsInput = {
      notation: values.notation.trim(),
      documentDate: values.documentDate,
      authorAgency: values.authorAgency.trim(),
      typeCode: values.typeCode as RegisterFieldsInput['typeCode'],
      subject: values.subject.trim(),
    };
    await request.run(() => onSubmit(fields));
  }

  /** The field's mark: to fill in, or read from where. */
  const mark = (field: RegisterField): ReactNode => {
    const source = capture?.sources[field];
    if (missing.includes(field)) {
      return (
        <span className="capture-missing" data-testid={`accept-missing-${field}`}>
          <span className="capture-mark">{t('capture.missing')}</span>
        </span>
      );
    }
    if (!isGuessed(capture, field) || !source) return null;
    return (
      <span className="capture-guessed" data-testid={`accept-guessed-${field}`} title={t('capture.guessedTitle', { source: t(`capture.source.${source}`) })}>
        <span className="capture-mark">{t('capture.guessed', { source: t(`capture.source.${source}`) })}</span>
      </span>
    );
  };
  const label = (field: RegisterField): ReactNode => (
    <>
      {t(LABELS[field])} {mark(field)}
    </>
  );
  const error = (field: RegisterField) =>
    errors.has(field) ? (
      <span className="field-error" data-testid={`accept-error-${field}`}>
        {t('incoming.fieldRequired')}
      </span>
    ) : null;

  const signers = capture?.signedBy ?? [];
  const suggestions = [...new Set(signers.flatMap((s) => [s.organization, s.name]).filter((n): n is string => Boolean(n)))];

  return (
    <ModalDialog
      className="accept-dialog"
      testId="accept-dialog"
      title={t(paperFileName ? 'incoming.registerPaperTitle' : 'incoming.acceptTitle')}
      lead={paperFileName ? t('incoming.registerPaperLead', { fileName: paperFileName }) : t('incoming.acceptLead')}
      request={request}
      onSubmit={submit}
      initialFocus={firstField}
      errorTestId="accept-error"
      submit={{ label: t(paperFileName ? 'incoming.registerPaperSubmit' : 'incoming.acceptSubmit'), testId: 'accept-submit' }}
    >
      <DuplicateNotice documentId={documentId ?? null} duplicates={duplicates} onLinked={(next) => setDuplicates(next.duplicates)} />
      {missing.length > 0 && (
        <p className="notice notice-warning" data-testid="accept-missing">
          {t('incoming.acceptMissing', { fields: missing.map((f) => t(LABELS[f])).join(', ') })}
        </p>
      )}
      <div className="accept-fields">
        <div className="field">
          <label htmlFor={`${id}-notation`}>{label('notation')}</label>
          <input
            ref={firstField}
            id={`${id}-notation`}
            data-testid="accept-notation"
            value={values.notation}
            maxLength={100}
            placeholder={t('incoming.notationHint')}
            disabled={busy}
            aria-invalid={errors.has('notation') || undefined}
            onChange={(e) => set('notation', e.target.value)}
          />
          {error('notation')}
        </div>
        <div className="field" data-testid="accept-date">
          <DateField id={`${id}-date`} label={t(LABELS.documentDate)} value={values.documentDate || null} onChange={(value) => set('documentDate', value ?? '')} />
          {/* DateField labels itself: the mark goes under it. */}
          {mark('documentDate')}
          {error('documentDate')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>{label('typeCode')}</label>
          <select id={`${id}-type`} data-testid="accept-type" value={values.typeCode} disabled={busy} aria-invalid={errors.has('typeCode') || undefined} onChange={(e) => set('typeCode', e.target.value)}>
            <option value="">{t('incoming.typeChoose')}</option>
            <DocumentTypeOptions direction="in" />
          </select>
          {error('typeCode')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-agency`}>{label('authorAgency')}</label>
          <input
            id={`${id}-agency`}
            data-testid="accept-agency"
            list={suggestions.length ? `${id}-agencies` : undefined}
            value={values.authorAgency}
            maxLength={300}
            disabled={busy}
            aria-invalid={errors.has('authorAgency') || undefined}
            onChange={(e) => set('authorAgency', e.target.value)}
          />
          {suggestions.length > 0 && (
            <datalist id={`${id}-agencies`}>
              {suggestions.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          )}
          {signers.length > 0 && (
            <span className="field-hint" data-testid="accept-signed-by">
              {t('incoming.signedByHint', { names: signers.map((s) => (s.organization && s.organization !== s.name ? `${s.name} (${s.organization})` : s.name)).join('; ') })}
            </span>
          )}
          {error('authorAgency')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-subject`}>{label('subject')}</label>
          <textarea
            id={`${id}-subject`}
            data-testid="accept-subject"
            rows={2}
            maxLength={2000}
            value={values.subject}
            placeholder={capture?.sources.subject === 'file-name' ? document.subject : undefined}
            disabled={busy}
            aria-invalid={errors.has('subject') || undefined}
            onChange={(e) => set('subject', e.target.value)}
          />
          {error('subject')}
        </div>
      </div>
    </ModalDialog>
  );
}
