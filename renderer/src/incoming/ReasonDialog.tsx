// One short question with a reason: trả lại (required), hoàn thành (a note), the answer to a
// recall. The sender reads what is typed here, so it is said before it is sent.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useI18n, type MessageKey } from '../i18n/i18n.js';

interface ReasonDialogProps {
  title: MessageKey;
  lead: MessageKey;
  label: MessageKey;
  confirm: MessageKey;
  required: boolean;
  danger?: boolean;
  testId: string;
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}

export function ReasonDialog({ title, lead, label, confirm, required, danger = false, testId, onSubmit, onClose }: ReasonDialogProps) {
  const { t, errorMessage } = useI18n();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    field.current?.focus();
    return () => element?.close();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const text = reason.trim();
    if (required && !text) {
      setMissing(true);
      field.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(text);
      onClose();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      className="modal reason-dialog"
      aria-labelledby={`${id}-title`}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`} className="modal-title">
          {t(title)}
        </h2>
        <p className="modal-lead">{t(lead)}</p>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t(label)}</label>
          <textarea
            ref={field}
            id={`${id}-reason`}
            data-testid="reason-input"
            rows={3}
            maxLength={500}
            value={reason}
            disabled={busy}
            aria-invalid={missing || undefined}
            aria-describedby={missing ? `${id}-error` : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              if (e.target.value.trim()) setMissing(false);
            }}
          />
          {missing && (
            <span id={`${id}-error`} className="field-error" data-testid="reason-error">
              {t('incoming.reasonRequired')}
            </span>
          )}
        </div>
        {failure !== null && (
          <p className="form-error" role="alert">
            {errorMessage(failure)}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={danger ? 'button button-danger' : 'button button-primary'} data-testid="reason-submit" disabled={busy}>
            {busy && <span className="spinner" aria-hidden="true" />}
            {t(confirm)}
          </button>
        </div>
      </form>
    </dialog>
  );
}
