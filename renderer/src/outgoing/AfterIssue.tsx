// After issuing: thu hồi (recall), cập nhật (update) or thay thế (replace). Each goes to the
// recipients through the axis with its reason, so the reason is required; replacing also names
// the issued document that replaces this one.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DocumentSummary, OutgoingDetail } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { useI18n } from '../i18n/i18n.js';
import { useIssuingErrorMessage } from './issuingErrors.js';

export type AfterIssueAction = 'recall' | 'update' | 'replace';
const ACTIONS: readonly AfterIssueAction[] = ['recall', 'update', 'replace'];
/** States from which the host takes a recall, an update or a replacement. */
const OPEN_STATES = new Set(['queued', 'sent', 'updated']);

export function AfterIssueSection({ outgoing, onDone }: { outgoing: OutgoingDetail; onDone: (next: OutgoingDetail) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [action, setAction] = useState<AfterIssueAction | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  if (!OPEN_STATES.has(outgoing.document.state)) return null;
  return (
    <section className="pane-section after-issue-section" aria-labelledby={`${id}-title`} data-testid="after-issue-section">
      <h3 id={`${id}-title`} className="section-title">
        {t('afterIssue.title')}
      </h3>
      <p className="field-hint">{t('afterIssue.lead')}</p>
      <div className="after-issue-actions">
        {ACTIONS.map((a) => (
          <button
            key={a}
            type="button"
            className={a === 'recall' ? 'button button-small button-danger' : 'button button-small'}
            data-testid={`after-issue-${a}`}
            onClick={(event) => {
              opener.current = event.currentTarget;
              setAction(a);
            }}
          >
            {t(`afterIssue.${a}`)}
          </button>
        ))}
      </div>
      {action && (
        <AfterIssueDialog
          action={action}
          outgoing={outgoing}
          onClose={() => {
            setAction(null);
            opener.current?.focus();
          }}
          onDone={onDone}
        />
      )}
    </section>
  );
}

interface AfterIssueDialogProps {
  action: AfterIssueAction;
  outgoing: OutgoingDetail;
  onClose: () => void;
  onDone: (next: OutgoingDetail) => void;
}

function AfterIssueDialog({ action, outgoing, onClose, onDone }: AfterIssueDialogProps) {
  const { t } = useI18n();
  const describeError = useIssuingErrorMessage();
  const id = useId();
  const reasonField = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [replacementId, setReplacementId] = useState<number | null>(null);
  const [candidates, setCandidates] = useState<DocumentSummary[] | null>(null);
  const [tried, setTried] = useState(false);
  const request = useModalRequest(onClose);
  const { busy, setFailure } = request;
  const documentId = outgoing.document.id;

  // Only an issued document can replace another: those queued or already sent.
  useEffect(() => {
    if (action !== 'replace') return;
    Promise.all(
      (['queued', 'sent'] as const).map((state) => call('documents.list', { direction: 'out', state, limit: 500, offset: 0 })),
    ).then(
      (pages) => setCandidates(pages.flatMap((p) => p.items).filter((d) => d.id !== documentId)),
      (error: unknown) => {
        setCandidates([]);
        setFailure(error);
      },
    );
  }, [action, documentId]);

  const reasonMissing = !reason.trim();
  const replacementMissing = action === 'replace' && replacementId === null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (busy || reasonMissing || replacementMissing) {
      if (reasonMissing) reasonField.current?.focus();
      return;
    }
    await request.run(async () => onDone(await call('outgoing.afterIssue', { id: documentId, action, reason: reason.trim(), ...(replacementId === null ? {} : { replacementId }) })));
  }

  return (
    <ModalDialog
      className="after-issue-dialog"
      testId="after-issue-dialog"
      title={t(`afterIssue.title.${action}`, { notation: outgoing.document.notation ?? '' })}
      // Thu hồi cannot be undone: its lead says so, and who is told.
      lead={t(`afterIssue.lead.${action}`, { notation: outgoing.document.notation ?? '', recipients: outgoing.draft.recipientCodes.join(', ') || t('afterIssue.noRecipients') })}
      describedByLead
      request={request}
      onSubmit={submit}
      initialFocus={reasonField}
      describeError={describeError}
      submit={{ label: t(`afterIssue.submit.${action}`), testId: 'after-issue-submit', className: action === 'recall' ? 'button button-danger-solid' : 'button button-primary' }}
    >
      {action === 'replace' && (
        <div className="field">
          <label htmlFor={`${id}-replacement`}>{t('afterIssue.replacement')}</label>
          <select
            id={`${id}-replacement`}
            data-testid="after-issue-replacement"
            value={replacementId ?? ''}
            disabled={busy || candidates === null}
            aria-invalid={tried && replacementMissing ? true : undefined}
            onChange={(e) => setReplacementId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{candidates === null ? t('afterIssue.loadingCandidates') : t('afterIssue.chooseReplacement')}</option>
            {candidates?.map((d) => (
              <option key={d.id} value={d.id}>
                {`${d.notation ?? `#${d.id}`} — ${d.subject}`}
              </option>
            ))}
          </select>
          <span className={tried && replacementMissing ? 'field-error' : 'field-hint'}>
            {candidates !== null && candidates.length === 0 ? t('afterIssue.noCandidates') : tried && replacementMissing ? t('afterIssue.replacementRequired') : t('afterIssue.replacementHint')}
          </span>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('afterIssue.reason')}</label>
        <textarea
          ref={reasonField}
          id={`${id}-reason`}
          data-testid="after-issue-reason"
          rows={4}
          maxLength={2000}
          value={reason}
          disabled={busy}
          aria-required
          aria-invalid={tried && reasonMissing ? true : undefined}
          aria-describedby={`${id}-reason-note`}
          onChange={(e) => setReason(e.target.value)}
        />
        <span id={`${id}-reason-note`} className={tried && reasonMissing ? 'field-error' : 'field-hint'}>
          {tried && reasonMissing ? t('afterIssue.reasonRequired') : t('afterIssue.reasonHint')}
        </span>
      </div>
    </ModalDialog>
  );
}
