// The shell every form dialog shares: a modal <dialog> opened on mount, Escape closing it unless
// a request is running, the title and lead, the form with its submit, the error line and the
// footer with Hủy and the submit button. The fields come as children; the request, with its busy
// flag and its failure, comes from useModalRequest.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { useI18n } from '../i18n/i18n.js';

export interface ModalRequest {
  busy: boolean;
  failure: unknown;
  setFailure: (failure: unknown) => void;
  /** Runs the request: busy while it goes, the dialog closed when it is done, its failure shown when not. */
  run: (request: () => Promise<unknown>) => Promise<void>;
  onClose: () => void;
}

export function useModalRequest(onClose: () => void): ModalRequest {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  async function run(request: () => Promise<unknown>) {
    setBusy(true);
    setFailure(null);
    try {
      await request();
      onClose();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }
  return { busy, failure, setFailure, run, onClose };
}

interface SubmitButton {
  label: ReactNode;
  testId: string;
  className?: string;
  /** Defaults to busy. */
  disabled?: boolean;
  spinnerClassName?: string;
}

interface ModalDialogProps {
  /** Added after "modal" on the <dialog>. */
  className: string;
  testId: string;
  title: ReactNode;
  lead: ReactNode;
  /** The lead also describes the dialog (aria-describedby). */
  describedByLead?: boolean;
  request: ModalRequest;
  onSubmit: (event: FormEvent) => void;
  /** Focused once the dialog is open and ready (the fields loaded). */
  initialFocus?: RefObject<HTMLElement | null>;
  ready?: boolean;
  describeError?: (failure: unknown) => ReactNode;
  errorTestId?: string;
  submit: SubmitButton;
  /** Buttons placed in the footer before Hủy. */
  extraActions?: ReactNode;
  children: ReactNode;
}

export function ModalDialog(props: ModalDialogProps) {
  const { className, testId, title, lead, describedByLead = false, request, onSubmit, initialFocus, ready = true, errorTestId, submit, extraActions, children } = props;
  const { t, errorMessage } = useI18n();
  const describeError = props.describeError ?? errorMessage;
  const { busy, failure, onClose } = request;
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  // Once, when the fields are there: focusing on every keystroke would fight the clerk.
  useEffect(() => {
    if (ready) initialFocus?.current?.focus();
  }, [ready]);

  return (
    <dialog
      ref={dialog}
      className={`modal ${className}`}
      aria-labelledby={`${id}-title`}
      aria-describedby={describedByLead ? `${id}-lead` : undefined}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={onSubmit} noValidate>
        <h2 id={`${id}-title`} className="modal-title">
          {title}
        </h2>
        <p id={describedByLead ? `${id}-lead` : undefined} className="modal-lead">
          {lead}
        </p>
        {children}
        {failure !== null && (
          <p className="form-error" role="alert" data-testid={errorTestId}>
            {describeError(failure)}
          </p>
        )}
        <div className="modal-actions">
          {extraActions}
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={submit.className ?? 'button button-primary'} data-testid={submit.testId} disabled={submit.disabled ?? busy}>
            {busy && <span className={submit.spinnerClassName ?? 'spinner spinner-on-primary'} aria-hidden="true" />}
            {submit.label}
          </button>
        </div>
      </form>
    </dialog>
  );
}
