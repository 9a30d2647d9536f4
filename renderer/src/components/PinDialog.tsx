// Nhập mã PIN. The PIN goes from the password field straight into the call and is never React
// state: the field is uncontrolled and emptied the moment the form is submitted. What the token
// says about its PIN decides the form: a warning after a wrong PIN, a confirmation the clerk must
// tick before the try that would lock the token, and no field at all once it is locked.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TokenInfo } from '../../../main/common/contract.js';
import { useI18n } from '../i18n/i18n.js';
import { useTokens } from '../tokens/TokensProvider.js';

const PIN_MIN_LENGTH = 4;

interface PinDialogProps {
  token: TokenInfo;
  /** Logging in to the token, or one signature with a key that asks for the PIN every time. */
  purpose: 'login' | 'signature';
  onSubmit(pin: string, confirmFinalTry: boolean): Promise<void>;
  onClose(): void;
}

export function PinDialog({ token, purpose, onSubmit, onClose }: PinDialogProps) {
  const { t, errorMessage } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const pinField = useRef<HTMLInputElement>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ error: unknown } | { tooShort: true } | null>(null);
  const { locked, finalTry, countLow } = token.pin;
  const { refresh } = useTokens();

  // The PIN counters as the token has them now: another program may have used it since the last news.
  useEffect(refresh, [refresh]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    element.showModal();
    pinField.current?.focus();
    return () => element.close();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const field = pinField.current;
    if (!field || busy) return;
    const pin = field.value;
    field.value = '';
    if (pin.length < PIN_MIN_LENGTH) {
      setProblem({ tooShort: true });
      field.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await onSubmit(pin, confirmed);
      onClose();
    } catch (error) {
      setProblem({ error });
      setBusy(false);
      setConfirmed(false);
      pinField.current?.focus();
    }
  }

  return (
    <dialog
      ref={dialog}
      className="modal pin-dialog"
      aria-labelledby="pin-title"
      aria-describedby="pin-lead"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="pin-title" className="modal-title">
          {purpose === 'login' ? t('pin.title') : t('pin.titleSignature')}
        </h2>
        <p id="pin-lead" className="modal-lead">
          {t('pin.token', { label: token.label, serial: token.serial })}
          {purpose === 'signature' && ` ${t('pin.everySignature')}`}
        </p>
        {locked ? (
          <p className="notice notice-danger" role="alert" data-testid="pin-locked">
            {t('pin.locked')}
          </p>
        ) : (
          <>
            {finalTry ? (
              <p className="notice notice-danger" role="alert">
                {t('pin.finalTry')}
              </p>
            ) : (
              countLow && (
                <p className="notice notice-warning" role="status">
                  {t('pin.countLow')}
                </p>
              )
            )}
            <div className="field">
              <label htmlFor="pin-input">{t('pin.label')}</label>
              <input
                ref={pinField}
                id="pin-input"
                type="password"
                data-testid="pin-input"
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                maxLength={64}
                disabled={busy}
                aria-invalid={problem !== null}
                aria-describedby={problem ? 'pin-error' : undefined}
              />
            </div>
            {finalTry && (
              <label className="check-field">
                <input type="checkbox" data-testid="pin-final-try-confirm" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
                <span>{t('pin.finalTryConfirm')}</span>
              </label>
            )}
            {problem && (
              <p id="pin-error" className="form-error" role="alert">
                {'tooShort' in problem ? t('pin.tooShort', { min: PIN_MIN_LENGTH }) : errorMessage(problem.error)}
              </p>
            )}
          </>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {locked ? t('common.close') : t('common.cancel')}
          </button>
          {!locked && (
            <button type="submit" className="button button-primary" data-testid="pin-submit" disabled={busy || (finalTry && !confirmed)}>
              {busy && <span className="spinner spinner-on-primary" aria-hidden="true" />}
              {purpose === 'login' ? t('pin.submit') : t('pin.submitSignature')}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
