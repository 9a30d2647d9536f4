// One short question with a reason: trả lại (required), hoàn thành (a note), the answer to a
// recall. The sender reads what is typed here, so it is said before it is sent.
import { useId, useRef, useState, type FormEvent } from 'react';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
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
  const { t } = useI18n();
  const id = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const request = useModalRequest(onClose);
  const { busy } = request;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const text = reason.trim();
    if (required && !text) {
      setMissing(true);
      field.current?.focus();
      return;
    }
    await request.run(() => onSubmit(text));
  }

  return (
    <ModalDialog
      className="reason-dialog"
      testId={testId}
      title={t(title)}
      lead={t(lead)}
      request={request}
      onSubmit={submit}
      initialFocus={field}
      submit={{ label: t(confirm), testId: 'reason-submit', className: danger ? 'button button-danger' : 'button button-primary', spinnerClassName: 'spinner' }}
    >
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
    </ModalDialog>
  );
}
