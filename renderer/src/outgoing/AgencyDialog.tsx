// Thông tin cơ quan: the identifier code (for the document axis), the name (written in the
// agency's signature) and the abbreviation (in every notation: 01/QĐ-UBND), and whether
// confidential documents take numbers from a series of their own. Numbering and issuing refuse
// to run without them, so this dialog is reachable wherever they are missed — and with it the
// axis connection, which the identifier code belongs with.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Output } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { isAgencyCode } from './draftForm.js';
import { AxisDialog } from '../exchange/AxisDialog.js';
import { TrustDialog } from '../validation/TrustDialog.js';

export type Agency = Output<'agency.get'>;

interface AgencyDialogProps {
  onSaved: (agency: Agency) => void;
  onClose: () => void;
  /** The links to the axis and the trusted certificates; left out where they have places of their own (Cài đặt). */
  related?: boolean;
}

export function AgencyDialog({ onSaved, onClose, related = true }: AgencyDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const firstField = useRef<HTMLInputElement>(null);
  const [form, setForm] = useState<(Agency & { separateConfidentialSeries: boolean }) | null>(null);
  const [errors, setErrors] = useState<Partial<Record<'code' | 'name' | 'abbreviation', MessageKey>>>({});
  const request = useModalRequest(onClose);
  const { busy, setFailure } = request;
  // The identifier code is this agency's address on the axis; its connection is set up next to it.
  const [axisDialog, setAxisDialog] = useState(false);
  // The certificates the signatures of received documents are checked against.
  const [trustDialog, setTrustDialog] = useState(false);

  useEffect(() => {
    Promise.all([call('agency.get', {}), call('settings.get', {})]).then(
      ([agency, settings]) => setForm({ ...agency, separateConfidentialSeries: settings.separateConfidentialSeries }),
      setFailure,
    );
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!form || busy) return;
    const code = form.code.trim();
    const name = form.name.trim();
    const abbreviation = form.abbreviation.trim();
    const found: typeof errors = {};
    if (code && !isAgencyCode(code)) found.code = 'agency.error.code';
    if (!name) found.name = 'agency.error.name';
    if (!abbreviation || /[\s/]/.test(abbreviation)) found.abbreviation = 'agency.error.abbreviation';
    setErrors(found);
    if (Object.keys(found).length) return;
    await request.run(async () => {
      const saved = await call('agency.update', { code, name, abbreviation });
      await call('settings.update', { separateConfidentialSeries: form.separateConfidentialSeries });
      onSaved(saved);
    });
  }

  const field = (key: 'code' | 'name' | 'abbreviation', label: MessageKey, hint: MessageKey, maxLength: number) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{t(label)}</label>
      <input
        ref={key === 'code' ? firstField : undefined}
        id={`${id}-${key}`}
        data-testid={`agency-${key}`}
        value={form?.[key] ?? ''}
        maxLength={maxLength}
        disabled={!form || busy}
        spellCheck={key === 'name'}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={`${id}-${key}-hint`}
        onChange={(e) => form && setForm({ ...form, [key]: e.target.value })}
      />
      <span id={`${id}-${key}-hint`} className={errors[key] ? 'field-error' : 'field-hint'}>
        {t(errors[key] ?? hint)}
      </span>
    </div>
  );

  return (
    <>
      <ModalDialog
        className="agency-dialog"
        testId="agency-dialog"
        title={t('agency.title')}
        lead={t('agency.lead')}
        request={request}
        onSubmit={submit}
        initialFocus={firstField}
        ready={form !== null}
        submit={{ label: t('agency.save'), testId: 'agency-save', disabled: !form || busy }}
      >
        {field('code', 'agency.code', 'agency.codeHint', 32)}
        {field('name', 'agency.name', 'agency.nameHint', 300)}
        {field('abbreviation', 'agency.abbreviation', 'agency.abbreviationHint', 30)}
        <label className="plain-check">
          <input
            type="checkbox"
            data-testid="agency-separate-confidential"
            checked={form?.separateConfidentialSeries ?? false}
            disabled={!form || busy}
            onChange={(e) => form && setForm({ ...form, separateConfidentialSeries: e.target.checked })}
          />
          <span>{t('agency.separateConfidential')}</span>
        </label>
        {related && (
          // Above the footer rather than in it: beside Hủy and Lưu they did not fit the dialog's width.
          <div className="modal-related">
            <button type="button" className="button button-quiet" data-testid="open-axis-from-agency" onClick={() => setAxisDialog(true)} disabled={busy}>
              {t('axis.open')}
            </button>
            <button type="button" className="button button-quiet" data-testid="open-trust-from-agency" onClick={() => setTrustDialog(true)} disabled={busy}>
              {t('incomingNav.trust')}
            </button>
          </div>
        )}
      </ModalDialog>
      {axisDialog && <AxisDialog onClose={() => setAxisDialog(false)} />}
      {trustDialog && <TrustDialog onClose={() => setTrustDialog(false)} />}
    </>
  );
}
