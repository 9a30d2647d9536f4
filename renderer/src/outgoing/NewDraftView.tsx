// Soạn văn bản đi: a new outgoing draft from the clerk's file and the facts the register and the
// document axis need. The draft has no number: Decree 30 gives it one only after the competent
// person signs, so the form shows the notation it will take with "…" where the number goes.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { OutgoingDetail } from '../../../main/common/contract.js';
import { documentType } from '../../../main/common/doctypes.js';
import { call } from '../api/client.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { type DocumentTypeCode, type Priority } from '../documents/filters.js';
import { PriorityOptions } from '../components/PriorityOptions.js';
import { DateField } from '../components/DateField.js';
import { DocumentTypeOptions } from '../components/DocumentTypeOptions.js';
import { AgencyDialog, type Agency } from './AgencyDialog.js';
import { DraftFilePicker } from './DraftFilePicker.js';
import { RecipientCodesField } from './RecipientCodesField.js';
import { COMPETENCES, detailsOf, emptyDraft, validateDraft, type Competence, type DraftErrors, type DraftForm } from './draftForm.js';
import { notationPreview } from './notation.js';
import './outgoing.css';

interface NewDraftViewProps {
  onCreated: (detail: OutgoingDetail) => void;
  onClose: () => void;
  onAgencyNamed: (name: string) => void;
}

export function NewDraftView({ onCreated, onClose, onAgencyNamed }: NewDraftViewProps) {
  const { t, errorMessage } = useI18n();
  const id = useId();
  const [form, setForm] = useState<DraftForm>(emptyDraft);
  const [file, setFile] = useState<File | null>(null);
  const [attachments, setAttachments] = useState<File[]>([]);
  // Errors show once the clerk has tried to submit, then follow every change.
  const [attempted, setAttempted] = useState(false);
  const [agency, setAgency] = useState<Agency | null>(null);
  const [agencyDialog, setAgencyDialog] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const formElement = useRef<HTMLFormElement>(null);

  useEffect(() => {
    heading.current?.focus();
    // Unreadable, the agency counts as not set up: the clerk is offered the dialog that sets it.
    call('agency.get', {}).then(setAgency, () => setAgency({ code: '', name: '', abbreviation: '' }));
  }, []);

  const errors: DraftErrors = attempted ? validateDraft(form, file) : {};
  const error = (field: keyof DraftErrors) => (errors[field] ? t(errors[field]) : null);
  const set = <K extends keyof DraftForm>(key: K, value: DraftForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const notation = notationPreview(form.typeCode, agency?.abbreviation ?? '', form.draftingUnit);
  const typeAbbreviation = documentType(form.typeCode)?.abbreviation ?? '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setAttempted(true);
    const found = validateDraft(form, file);
    // A half-typed date is refused by its own field (custom validity), which noValidate lets through.
    const dateInvalid = formElement.current?.querySelector<HTMLInputElement>(`#${CSS.escape(`${id}-due`)}`)?.validity.valid === false;
    if (Object.keys(found).length > 0 || dateInvalid || !file) {
      requestAnimationFrame(() => formElement.current?.querySelector<HTMLElement>('[aria-invalid="true"], .draft-drop.is-invalid button')?.focus());
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const read = async (f: File) => ({ fileName: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
      const main = await read(file);
      const created = await call('outgoing.create', { ...main, details: detailsOf(form), attachments: await Promise.all(attachments.map(read)) });
      onCreated(created);
    } catch (failed) {
      setFailure(failed);
      setBusy(false);
    }
  }

  const textField = (key: 'signerPosition' | 'signerName' | 'draftingUnit' | 'archiveHolder', label: MessageKey, options: { maxLength: number; hint?: MessageKey; placeholder?: MessageKey; required?: boolean }) => {
    const problem = error(key);
    return (
      <div className="field">
        <label htmlFor={`${id}-${key}`}>
          {t(label)}
          {options.required && <RequiredMark />}
        </label>
        <input
          id={`${id}-${key}`}
          data-testid={`draft-${key}`}
          value={form[key]}
          maxLength={options.maxLength}
          placeholder={options.placeholder ? t(options.placeholder) : undefined}
          aria-invalid={problem ? true : undefined}
          aria-required={options.required || undefined}
          aria-describedby={problem || options.hint ? `${id}-${key}-note` : undefined}
          onChange={(e) => set(key, e.target.value)}
        />
        {(problem || options.hint) && (
          <span id={`${id}-${key}-note`} className={problem ? 'field-error' : 'field-hint'}>
            {problem ?? (options.hint ? t(options.hint) : '')}
          </span>
        )}
      </div>
    );
  };

  return (
    <section className="outgoing-view" aria-labelledby={`${id}-title`} data-testid="new-draft-view">
      <header className="view-head">
        <div className="view-head-text">
          <h2 id={`${id}-title`} className="view-title" ref={heading} tabIndex={-1}>
            {t('draft.title')}
          </h2>
          <p className="muted">{t('draft.lead')}</p>
        </div>
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          {t('draft.backToList')}
        </button>
      </header>
      <form ref={formElement} className="view-body compose-form" onSubmit={submit} noValidate aria-busy={busy}>
        <div className="compose-grid">
          <div className="compose-side">
            <DraftFilePicker file={file} onFile={setFile} attachments={attachments} onAttachments={setAttachments} error={error('file')} />
            <div className="notation-card" data-testid="notation-preview-card">
              <span className="notation-card-label">{t('draft.notationPreview')}</span>
              {notation ? (
                <>
                  <span className="notation-card-value" data-testid="notation-preview">
                    {notation}
                  </span>
                  <span className="field-hint">{t('draft.notationHint')}</span>
                </>
              ) : (
                <>
                  <span className="field-error">{agency === null ? t('draft.agencyLoading') : t('draft.agencyMissing')}</span>
                  {agency !== null && (
                    <button type="button" className="button button-small" onClick={() => setAgencyDialog(true)} data-testid="open-agency-dialog">
                      {t('agency.open')}
                    </button>
                  )}
                </>
              )}
            </div>
          </div>

          <div className="compose-main">
            <FormSection legend={t('draft.section.document')}>
              <div className="field">
                <label htmlFor={`${id}-type`}>{t('field.type')}</label>
                <select id={`${id}-type`} data-testid="draft-type" value={form.typeCode} onChange={(e) => set('typeCode', e.target.value as DocumentTypeCode)} aria-describedby={`${id}-type-hint`}>
                  <DocumentTypeOptions direction="out" />
                </select>
                <span id={`${id}-type-hint`} className={error('typeCode') ? 'field-error' : 'field-hint'}>
                  {error('typeCode') ?? (typeAbbreviation ? t('draft.typeAbbreviation', { abbreviation: typeAbbreviation }) : t('draft.typeNoAbbreviation'))}
                </span>
              </div>
              <div className="field">
                <label htmlFor={`${id}-priority`}>{t('field.priority')}</label>
                <select id={`${id}-priority`} data-testid="draft-priority" value={form.priority} onChange={(e) => set('priority', e.target.value as Priority)}>
                  <PriorityOptions />
                </select>
              </div>
              <div className="field is-wide">
                <label htmlFor={`${id}-subject`}>
                  {t('field.subject')}
                  <RequiredMark />
                </label>
                <textarea
                  id={`${id}-subject`}
                  data-testid="draft-subject"
                  rows={3}
                  maxLength={2000}
                  value={form.subject}
                  placeholder={t('draft.subjectPlaceholder')}
                  aria-required
                  aria-invalid={error('subject') ? true : undefined}
                  aria-describedby={error('subject') ? `${id}-subject-error` : undefined}
                  onChange={(e) => set('subject', e.target.value)}
                />
                {error('subject') && (
                  <span id={`${id}-subject-error`} className="field-error">
                    {error('subject')}
                  </span>
                )}
              </div>
              <DateField id={`${id}-due`} label={t('field.dueDate')} value={form.dueDate} onChange={(v) => set('dueDate', v)} />
              <div className="field">
                <span className="field-label-spacer" aria-hidden="true" />
                <label className="plain-check">
                  <input type="checkbox" data-testid="draft-confidential" checked={form.confidential} onChange={(e) => set('confidential', e.target.checked)} />
                  <span>{t('draft.confidential')}</span>
                </label>
              </div>
            </FormSection>

            <FormSection legend={t('draft.section.signer')}>
              <div className="field">
                <label htmlFor={`${id}-competence`}>{t('field.signerCompetence')}</label>
                <select
                  id={`${id}-competence`}
                  data-testid="draft-competence"
                  value={form.signerCompetence}
                  onChange={(e) => set('signerCompetence', e.target.value as Competence)}
                >
                  {COMPETENCES.map((c) => (
                    <option key={c} value={c}>
                      {c === '' ? t('draft.competence.none') : t(`draft.competence.${c}`)}
                    </option>
                  ))}
                </select>
              </div>
              {textField('signerPosition', 'field.signerPosition', { maxLength: 200, placeholder: 'draft.positionPlaceholder' })}
              {textField('signerName', 'draft.signerFullName', { maxLength: 200, hint: 'draft.signerHint', required: true })}
            </FormSection>

            <FormSection legend={t('draft.section.recipients')}>
              <div className="field is-wide">
                <label htmlFor={`${id}-recipients`}>{t('draft.recipientsPrinted')}</label>
                <textarea
                  id={`${id}-recipients`}
                  data-testid="draft-recipients"
                  rows={4}
                  value={form.recipients}
                  placeholder={t('draft.recipientsPlaceholder')}
                  aria-invalid={error('recipients') ? true : undefined}
                  aria-describedby={`${id}-recipients-note`}
                  onChange={(e) => set('recipients', e.target.value)}
                />
                <span id={`${id}-recipients-note`} className={error('recipients') ? 'field-error' : 'field-hint'}>
                  {error('recipients') ?? t('field.recipientsHint')}
                </span>
              </div>
              <div className="is-wide">
                <RecipientCodesField codes={form.recipientCodes} onChange={(codes) => set('recipientCodes', codes)} error={error('recipientCodes')} />
              </div>
            </FormSection>

            <FormSection legend={t('draft.section.register')}>
              {textField('draftingUnit', 'draft.draftingUnit', { maxLength: 30, hint: 'draft.draftingUnitHint', placeholder: 'draft.draftingUnitPlaceholder' })}
              <div className="field">
                <label htmlFor={`${id}-copies`}>{t('draft.copies')}</label>
                <input
                  id={`${id}-copies`}
                  data-testid="draft-copies"
                  inputMode="numeric"
                  value={form.copies}
                  maxLength={6}
                  aria-invalid={error('copies') ? true : undefined}
                  aria-describedby={error('copies') ? `${id}-copies-error` : undefined}
                  onChange={(e) => set('copies', e.target.value)}
                />
                {error('copies') && (
                  <span id={`${id}-copies-error`} className="field-error">
                    {error('copies')}
                  </span>
                )}
              </div>
              {textField('archiveHolder', 'draft.archiveHolder', { maxLength: 300, placeholder: 'draft.archiveHolderPlaceholder' })}
              <div className="field is-wide">
                <label htmlFor={`${id}-notes`}>{t('draft.notes')}</label>
                <textarea
                  id={`${id}-notes`}
                  data-testid="draft-notes"
                  rows={2}
                  maxLength={2000}
                  value={form.notes}
                  aria-invalid={error('notes') ? true : undefined}
                  onChange={(e) => set('notes', e.target.value)}
                />
              </div>
            </FormSection>
          </div>
        </div>

        <footer className="view-foot">
          {attempted && Object.keys(errors).length > 0 && (
            <p className="form-error" role="alert" data-testid="draft-errors">
              {t('draft.fixErrors')}
            </p>
          )}
          {failure !== null && (
            <p className="form-error" role="alert" data-testid="draft-failure">
              {t('draft.createFailed')} {errorMessage(failure, { fileName: file?.name })}
            </p>
          )}
          <span className="toolbar-gap" />
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" data-testid="draft-submit" disabled={busy}>
            {busy && <span className="spinner spinner-on-primary" aria-hidden="true" />}
            {busy ? t('draft.creating') : t('draft.create')}
          </button>
        </footer>
      </form>
      {agencyDialog && (
        <AgencyDialog
          onClose={() => setAgencyDialog(false)}
          onSaved={(saved) => {
            setAgency(saved);
            onAgencyNamed(saved.name);
          }}
        />
      )}
    </section>
  );
}

function FormSection({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="form-section">
      <legend>{legend}</legend>
      <div className="form-grid">{children}</div>
    </fieldset>
  );
}

/** The asterisk is for the eye; aria-required already tells assistive technology. */
function RequiredMark() {
  return (
    <span className="required-mark" aria-hidden="true">
      {' *'}
    </span>
  );
}
