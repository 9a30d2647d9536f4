import { useId, useRef, useState, type FormEvent } from 'react';
import type { DocumentDetail, Input } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { type DocumentTypeCode, type Priority } from '../documents/filters.js';
import { PriorityOptions } from './PriorityOptions.js';
import { DateField } from './DateField.js';
import { DocumentTypeOptions } from './DocumentTypeOptions.js';
import { underIssuingRules } from '../outgoing/useIssuing.js';

type DocumentPatch = Input<'documents.update'>['patch'];

/** The fields this form edits, as the record's lock names them (main/core/registry/recordLock.ts). */
const FORM_FIELDS = ['notation', 'documentDate', 'typeCode', 'priority', 'subject', 'authorAgency', 'signerCompetence', 'signerName', 'signerPosition', 'dueDate', 'recipients'] as const;

/** Nothing in the form may change: "Sửa" is closed, and the details say why. */
export function editLocked(detail: DocumentDetail): boolean {
  return detail.lock !== null && FORM_FIELDS.every((field) => detail.lock!.fields.includes(field));
}

interface Draft {
  typeCode: DocumentTypeCode;
  subject: string;
  notation: string;
  documentDate: string | null;
  authorAgency: string;
  signerName: string;
  signerPosition: string;
  signerCompetence: string;
  priority: Priority;
  dueDate: string | null;
  recipients: string; // one per line, as typed
}

function draftOf(detail: DocumentDetail): Draft {
  return {
    typeCode: detail.typeCode,
    subject: detail.subject,
    notation: detail.notation ?? '',
    documentDate: detail.documentDate,
    authorAgency: detail.authorAgency,
    signerName: detail.signerName,
    signerPosition: detail.signerPosition,
    signerCompetence: detail.signerCompetence,
    priority: detail.priority,
    dueDate: detail.dueDate,
    recipients: detail.recipients.join('\n'),
  };
}

/** Only what the clerk changed, so the audit trail records exactly that. */
function patchFrom(detail: DocumentDetail, draft: Draft): DocumentPatch {
  const patch: DocumentPatch = {};
  const notation = draft.notation.trim() || null;
  const recipients = draft.recipients
    .split('\n')
    .map((r) => r.trim())
    .filter(Boolean);
  if (draft.typeCode !== detail.typeCode) patch.typeCode = draft.typeCode;
  if (draft.subject.trim() !== detail.subject) patch.subject = draft.subject.trim();
  if (notation !== detail.notation) patch.notation = notation;
  if (draft.documentDate !== detail.documentDate) patch.documentDate = draft.documentDate;
  if (draft.authorAgency.trim() !== detail.authorAgency) patch.authorAgency = draft.authorAgency.trim();
  if (draft.signerName.trim() !== detail.signerName) patch.signerName = draft.signerName.trim();
  if (draft.signerPosition.trim() !== detail.signerPosition) patch.signerPosition = draft.signerPosition.trim();
  if (draft.signerCompetence.trim() !== detail.signerCompetence) patch.signerCompetence = draft.signerCompetence.trim();
  if (draft.priority !== detail.priority) patch.priority = draft.priority;
  if (draft.dueDate !== detail.dueDate) patch.dueDate = draft.dueDate;
  if (recipients.join('\n') !== detail.recipients.join('\n')) patch.recipients = recipients;
  return patch;
}

export function DocumentEditForm({ detail, onSaved, onCancel }: { detail: DocumentDetail; onSaved: (detail: DocumentDetail) => void; onCancel: () => void }) {
  const { t, errorMessage } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(detail));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const subjectInput = useRef<HTMLTextAreaElement>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  // A field the record's lock holds is shown, not edited (the API would refuse it with RECORD_LOCKED).
  const locked = (field: (typeof FORM_FIELDS)[number]) => detail.lock?.fields.includes(field) ?? false;
  const lockHint = (field: (typeof FORM_FIELDS)[number]) => (locked(field) ? t('lock.fieldHint') : undefined);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!draft.subject.trim()) {
      setError(t('field.subjectRequired'));
      subjectInput.current?.focus();
      return;
    }
    const patch = patchFrom(detail, draft);
    if (Object.keys(patch).length === 0) return onCancel();
    setSaving(true);
    setError(null);
    try {
      onSaved(await call('documents.update', { id: detail.id, patch }));
    } catch (failure) {
      setError(`${t('pane.saveFailed')} ${errorMessage(failure)}`);
      setSaving(false);
    }
  }

  return (
    <form className="edit-form" onSubmit={onSubmit} aria-labelledby={`${id}-title`} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <h3 id={`${id}-title`} className="section-title">
        {t('pane.editTitle')}
      </h3>
      {detail.lock && (
        <p className="notice record-lock-notice" role="note">
          {t(`lock.${detail.lock.reason}`)}
        </p>
      )}
      <div className="form-grid">
        {/* A draft under the issuing rules gets its number and date from "Cấp số", after the signature, never by hand. */}
        {!underIssuingRules(detail) && (
          <>
            <div className="field">
              <label htmlFor={`${id}-notation`}>{t('field.notation')}</label>
              <input id={`${id}-notation`} type="text" maxLength={100} value={draft.notation} disabled={locked('notation')} title={lockHint('notation')} onChange={(e) => set('notation', e.target.value)} />
            </div>
            <DateField id={`${id}-date`} label={t('field.documentDate')} value={draft.documentDate} disabled={locked('documentDate')} onChange={(v) => set('documentDate', v)} />
          </>
        )}
        <div className="field">
          <label htmlFor={`${id}-type`}>{t('field.type')}</label>
          <select id={`${id}-type`} value={draft.typeCode} disabled={locked('typeCode')} title={lockHint('typeCode')} onChange={(e) => set('typeCode', e.target.value as DocumentTypeCode)}>
            <DocumentTypeOptions direction={detail.direction} />
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-priority`}>{t('field.priority')}</label>
          <select id={`${id}-priority`} value={draft.priority} disabled={locked('priority')} title={lockHint('priority')} onChange={(e) => set('priority', e.target.value as Priority)}>
            <PriorityOptions />
          </select>
        </div>
        <div className="field is-wide">
          <label htmlFor={`${id}-subject`}>{t('field.subject')}</label>
          <textarea
            ref={subjectInput}
            id={`${id}-subject`}
            rows={3}
            maxLength={2000}
            required
            disabled={locked('subject')}
            title={lockHint('subject')}
            value={draft.subject}
            onChange={(e) => set('subject', e.target.value)}
          />
        </div>
        <div className="field is-wide">
          <label htmlFor={`${id}-author`}>{t('field.authorAgency')}</label>
          <input id={`${id}-author`} type="text" maxLength={300} value={draft.authorAgency} disabled={locked('authorAgency')} title={lockHint('authorAgency')} onChange={(e) => set('authorAgency', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-competence`}>{t('field.signerCompetence')}</label>
          <input
            id={`${id}-competence`}
            type="text"
            maxLength={20}
            value={draft.signerCompetence}
            disabled={locked('signerCompetence')}
            title={lockHint('signerCompetence')}
            placeholder={t('field.signerCompetenceHint')}
            onChange={(e) => set('signerCompetence', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-signer`}>{t('field.signerName')}</label>
          <input id={`${id}-signer`} type="text" maxLength={200} value={draft.signerName} disabled={locked('signerName')} title={lockHint('signerName')} onChange={(e) => set('signerName', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-position`}>{t('field.signerPosition')}</label>
          <input id={`${id}-position`} type="text" maxLength={200} value={draft.signerPosition} disabled={locked('signerPosition')} title={lockHint('signerPosition')} onChange={(e) => set('signerPosition', e.target.value)} />
        </div>
        <DateField id={`${id}-due`} label={t('field.dueDate')} value={draft.dueDate} disabled={locked('dueDate')} onChange={(v) => set('dueDate', v)} />
        <div className="field is-wide">
          <label htmlFor={`${id}-recipients`}>{t('field.recipients')}</label>
          <textarea
            id={`${id}-recipients`}
            rows={3}
            disabled={locked('recipients')}
            title={lockHint('recipients')}
            value={draft.recipients}
            aria-describedby={`${id}-recipients-hint`}
            onChange={(e) => set('recipients', e.target.value)}
          />
          <span id={`${id}-recipients-hint`} className="field-hint">
            {t('field.recipientsHint')}
          </span>
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? t('pane.saving') : t('pane.save')}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={saving}>
          {t('pane.cancel')}
        </button>
      </div>
    </form>
  );
}
