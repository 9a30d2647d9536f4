// One incoming document as the clerk decides on it: the "ĐẾN" data (số đến, ngày đến, handler,
// due date) at the top where the paper stamp would be, the actions that apply now, the signature
// check in front of the clerk while accepting or returning, the preview, what the sender asked
// (recall, update, replacement) and what we answered it, and the history.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { IncomingDetail } from '../../../main/common/contract.js';
import { formatDateTimeVn, formatDateVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { AuditTrail } from '../components/AuditTrail.js';
import { DocumentDetails } from '../components/DocumentDetails.js';
import { PdfPreview } from '../components/PdfPreview.js';
import { statusMeaning } from '../exchange/exchangeTerms.js';
import { isGuessed, missingRegisterFields, CAPTURE_FIELDS } from '../../../main/common/capture.js';
import { useExchangeData } from '../exchange/useExchangeData.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { SignaturePanel } from '../validation/SignaturePanel.js';
import { DocumentFilesSection } from '../files/DocumentFilesSection.js';
import { AcceptDialog } from './AcceptDialog.js';
import { AssignDialog } from './AssignDialog.js';
import { DuplicateNotice } from './DuplicateNotice.js';
import { CapturedValue, useTypeLabel } from './CapturedValue.js';
import { ReasonDialog } from './ReasonDialog.js';
import { formatIncomingNumber, handlerLabel } from './incomingTerms.js';

type Dialog = 'accept' | 'return' | 'assign' | 'done' | 'recall-accept' | 'recall-refuse' | null;
type Notice = { ok: true; text: string } | { ok: false; error: unknown };

interface IncomingPanelProps {
  documentId: number | null;
  /** A linked document (update, replacement) opens in its place. */
  onOpenDocument: (id: number) => void;
}

export function IncomingPanel({ documentId, onOpenDocument }: IncomingPanelProps) {
  const { t } = useI18n();
  if (documentId === null) {
    return (
      <aside className="incoming-panel is-empty" data-testid="incoming-panel" aria-label={t('incoming.panel.label')}>
        <p className="pane-placeholder">{t('incoming.panel.empty')}</p>
      </aside>
    );
  }
  return <LoadedPanel key={documentId} documentId={documentId} onOpenDocument={onOpenDocument} />;
}

function LoadedPanel({ documentId, onOpenDocument }: { documentId: number; onOpenDocument: (id: number) => void }) {
  const i18n = useI18n();
  const { t, errorMessage } = i18n;
  const typeLabel = useTypeLabel();
  const { loaded, reload } = useExchangeData(`incoming:${documentId}`, () => call('incoming.get', { id: documentId }));
  const [answer, setAnswer] = useState<IncomingDetail | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<'accept' | 'start' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // The answer of an action shows at once; the next load (after documents.changed) takes over.
  const fetched = loaded.status === 'ready' ? loaded.data : null;
  useEffect(() => setAnswer(null), [fetched]);
  const detail = answer ?? fetched;

  if (!detail) {
    return (
      <aside className="incoming-panel is-empty" data-testid="incoming-panel" aria-label={t('incoming.panel.label')} aria-busy={loaded.status === 'loading'}>
        {loaded.status === 'failed' ? (
          <p className="pane-placeholder is-error" role="alert">
            {t('pane.loadFailed')} {errorMessage(loaded.error)}
          </p>
        ) : (
          <p className="pane-placeholder" role="status">
            <span className="spinner" aria-hidden="true" /> {t('pane.loading')}
          </p>
        )}
      </aside>
    );
  }

  const document = detail.document;
  const { allowed } = detail;
  const done = (next: IncomingDetail, text?: string) => {
    setAnswer(next);
    setNotice(text ? { ok: true, text } : null);
    reload();
  };

  async function run(kind: 'accept' | 'start') {
    setBusy(kind);
    setNotice(null);
    try {
      if (kind === 'accept') {
        const next = await call('incoming.accept', { id: documentId });
        done(next, t('incoming.accepted', { number: formatIncomingNumber(next.incomingNumber) }));
      } else {
        done(await call('incoming.start', { id: documentId }));
      }
    } catch (error) {
      setNotice({ ok: false, error });
    } finally {
      setBusy(null);
    }
  }

  // Tiếp nhận asks first for what the register lacks, and shows what eOffice guessed for the clerk to check.
  // A possible duplicate too: the clerk sees it before the số đến is given (Appendix VI 1h).
  const acceptNeedsForm =
    missingRegisterFields(document, document.capture).length > 0 || CAPTURE_FIELDS.some((field) => isGuessed(document.capture, field)) || detail.duplicates.some((d) => !d.linked);
  const deciding = allowed.accept || allowed.return;
  const recallOpen = detail.recall !== null && detail.recall.answer === null && allowed.answerRecall;
  const actionButton = (key: string, label: MessageKey, onClick: () => void, primary = false, spinning = false) => (
    <button type="button" className={primary ? 'button button-primary' : 'button'} data-testid={`incoming-${key}`} disabled={busy !== null} onClick={onClick}>
      {spinning && <span className={primary ? 'spinner spinner-on-primary' : 'spinner'} aria-hidden="true" />}
      {t(label)}
    </button>
  );

  return (
    <aside className="incoming-panel" data-testid="incoming-panel" data-doc-id={detail.id} data-state={detail.state} aria-label={t('incoming.panel.label')}>
      <header className="pane-head incoming-head">
        <div className="incoming-head-text">
          <div className="pane-kicker">
            <span>{typeLabel(detail.typeCode, document.capture)}</span>
            <span>{detail.notation || t('common.none')}</span>
            {detail.documentDate && <span>{formatDateVn(detail.documentDate)}</span>}
          </div>
          <h2 className="pane-subject" data-testid="incoming-subject" ref={heading} tabIndex={-1}>
            <CapturedValue field="subject" capture={document.capture} values={document} marks="missing">
              {detail.subject}
            </CapturedValue>
          </h2>
          <div className="pane-badges">
            <span className={`state-badge state-${detail.state}`} data-testid="incoming-state">
              {t(`state.${detail.state}`)}
            </span>
            {detail.priority !== 'normal' && <span className={`priority-badge priority-${detail.priority}`}>{t(`priority.${detail.priority}`)}</span>}
            {detail.overdue && <span className="due-badge is-overdue">{t('incoming.overdue')}</span>}
            {detail.dueSoon && <span className="due-badge is-due-soon">{t('incoming.dueSoon')}</span>}
            <span className="muted">{t(`incoming.source.${detail.source}`)}</span>
          </div>
        </div>
        <IncomingStamp detail={detail} />
      </header>
      <div className="pane-body">
        {recallOpen && detail.recall && (
          <div className="notice notice-warning recall-notice" role="alert" data-testid="recall-notice">
            <strong>{t('incoming.recall.title')}</strong>
            <p>{t('incoming.recall.body', { time: formatDateTimeVn(detail.recall.requestedAt), reason: detail.recall.reason || t('common.none') })}</p>
            <div className="recall-actions">
              <button type="button" className="button button-small button-danger" data-testid="recall-accept" onClick={() => setDialog('recall-accept')}>
                {t('incoming.recall.accept')}
              </button>
              <button type="button" className="button button-small" data-testid="recall-refuse" onClick={() => setDialog('recall-refuse')}>
                {t('incoming.recall.refuse')}
              </button>
            </div>
          </div>
        )}
        {detail.recall?.answer && detail.recall.answeredAt && (
          <p className="muted" data-testid="recall-answered">
            {t(`incoming.recall.answered.${detail.recall.answer}`, { time: formatDateTimeVn(detail.recall.answeredAt) })}
          </p>
        )}
        {detail.state === 'recalled' && (
          <p className="notice notice-danger" data-testid="incoming-read-only">
            {t('incoming.readOnly', { reason: detail.stateReason || t('common.none') })}
          </p>
        )}
        {detail.state === 'returned' && (
          <p className="notice notice-warning" data-testid="incoming-returned">
            {t('incoming.returnedReason', { reason: detail.stateReason || t('common.none') })}
          </p>
        )}
        <DuplicateNotice documentId={detail.id} duplicates={detail.duplicates} onLinked={(next) => done(next)} onOpen={onOpenDocument} />
        {(allowed.accept || allowed.return || allowed.assign || allowed.start || allowed.done) && (
          <section className="incoming-actions" aria-label={t('incoming.actions')}>
            <div className="incoming-action-buttons">
              {allowed.accept && actionButton('accept', 'incoming.accept', () => (acceptNeedsForm ? setDialog('accept') : void run('accept')), true, busy === 'accept')}
              {allowed.return && actionButton('return', 'incoming.return', () => setDialog('return'))}
              {allowed.assign && actionButton('assign', detail.handler ? 'incoming.reassign' : 'incoming.assign', () => setDialog('assign'), !allowed.accept && !allowed.start)}
              {allowed.start && actionButton('start', 'incoming.start', () => void run('start'), true, busy === 'start')}
              {allowed.done && actionButton('done', 'incoming.done', () => setDialog('done'), detail.state === 'in_progress')}
            </div>
            {deciding && <p className="field-hint">{t('incoming.decideHint')}</p>}
          </section>
        )}
        {notice && (
          <p className={notice.ok ? 'incoming-notice' : 'form-error'} role={notice.ok ? 'status' : 'alert'} data-testid="incoming-notice">
            {notice.ok ? notice.text : errorMessage(notice.error)}
          </p>
        )}
        {document.fileName && <SignaturePanel documentId={detail.id} fileKey={document.fileSha256} pageCount={document.pageCount} />}
        <section className="pane-section" aria-labelledby={`incoming-preview-${detail.id}`}>
          <h3 id={`incoming-preview-${detail.id}`} className="section-title">
            {t('pane.preview')}
          </h3>
          {document.fileName ? <PdfPreview key={`${detail.id}:${document.fileSha256}`} documentId={detail.id} /> : <p className="muted">{t('pane.noFile')}</p>}
        </section>
        {/* The attachments as sent, each opened, checked, saved or printed (files/DocumentFilesSection.tsx). */}
        {document.fileName && <DocumentFilesSection documentId={detail.id} fileKey={document.fileSha256} />}
        <Links detail={detail} onOpenDocument={onOpenDocument} />
        <section className="pane-section" aria-label={t('incoming.details')}>
          <h3 className="section-title">{t('incoming.details')}</h3>
          <IncomingFacts detail={detail} />
          <DocumentDetails detail={document} />
        </section>
        <StatusHistory detail={detail} />
        <AuditTrail events={document.events} />
      </div>
      {dialog === 'return' && (
        <ReasonDialog
          title="incoming.returnTitle"
          lead="incoming.returnLead"
          label="incoming.reason"
          confirm="incoming.return"
          required
          danger
          testId="return-dialog"
          onSubmit={async (reason) => done(await call('incoming.return', { id: documentId, reason }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'done' && (
        <ReasonDialog
          title="incoming.doneTitle"
          lead="incoming.doneLead"
          label="incoming.note"
          confirm="incoming.done"
          required={false}
          testId="done-dialog"
          onSubmit={async (note) => done(await call('incoming.done', { id: documentId, note }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'recall-accept' && (
        <ReasonDialog
          title="incoming.recall.acceptTitle"
          lead="incoming.recall.acceptLead"
          label="incoming.reasonOptional"
          confirm="incoming.recall.accept"
          required={false}
          danger
          testId="recall-accept-dialog"
          onSubmit={async (reason) => done(await call('incoming.answerRecall', { id: documentId, accept: true, reason }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'recall-refuse' && (
        <ReasonDialog
          title="incoming.recall.refuseTitle"
          lead="incoming.recall.refuseLead"
          label="incoming.reason"
          confirm="incoming.recall.refuse"
          required
          testId="recall-refuse-dialog"
          onSubmit={async (reason) => done(await call('incoming.answerRecall', { id: documentId, accept: false, reason }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'assign' && <AssignDialog detail={detail} onAssigned={(next) => done(next)} onClose={() => setDialog(null)} />}
      {dialog === 'accept' && (
        <AcceptDialog
          document={document}
          documentId={detail.id}
          onSubmit={async (fields) => {
            const next = await call('incoming.accept', { id: documentId, fields });
            done(next, t('incoming.accepted', { number: formatIncomingNumber(next.incomingNumber) }));
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </aside>
  );
}

/** The "ĐẾN" stamp: what the clerk writes on a paper document's first page when it arrives. */
function IncomingStamp({ detail }: { detail: IncomingDetail }) {
  const { t } = useI18n();
  return (
    <div className="incoming-stamp" data-testid="incoming-stamp" aria-label={t('incoming.stamp.title')}>
      <div className="incoming-stamp-title" aria-hidden="true">
        {t('incoming.stamp.title')}
      </div>
      <dl>
        <div>
          <dt>{t('incoming.stamp.number')}</dt>
          <dd className="incoming-stamp-number" data-testid="incoming-number">
            {detail.incomingNumber === null ? <span className="muted">{t('incoming.notNumbered')}</span> : formatIncomingNumber(detail.incomingNumber)}
          </dd>
        </div>
        <div>
          <dt>{t('incoming.stamp.date')}</dt>
          <dd data-testid="incoming-arrived">{formatDateTimeVn(detail.arrivedAt)}</dd>
        </div>
        {detail.handler && (
          <div>
            <dt>{t('incoming.stamp.handler')}</dt>
            <dd data-testid="incoming-handler">{handlerLabel(detail.handler)}</dd>
          </div>
        )}
        {detail.handlingDue && (
          <div>
            <dt>{t('incoming.stamp.due')}</dt>
            <dd data-testid="incoming-due" className={detail.overdue ? 'is-overdue' : detail.dueSoon ? 'is-due-soon' : undefined}>
              {formatDateVn(detail.handlingDue)}
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function IncomingFacts({ detail }: { detail: IncomingDetail }) {
  const { t } = useI18n();
  const none = t('common.none');
  // Số đến, ngày đến, how it came, the due date and the notes are in the document's data below.
  const rows: [MessageKey, ReactNode][] = [
    ['incoming.field.sender', [detail.authorAgency, detail.senderCode].filter(Boolean).join(' — ') || none],
    ['incoming.field.assignedAt', formatDateTimeVn(detail.assignedAt) || none],
    ['incoming.field.startedAt', formatDateTimeVn(detail.startedAt) || none],
    ['incoming.field.handledAt', formatDateTimeVn(detail.handledAt) || none],
  ];
  return (
    <dl className="detail-list incoming-facts">
      {rows.map(([label, value]) => (
        <div key={label} className="detail-item">
          <dt>{t(label)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The sender's notices, and the documents this one is linked to (each opens in the panel). */
function Links({ detail, onOpenDocument }: { detail: IncomingDetail; onOpenDocument: (id: number) => void }) {
  const { t } = useI18n();
  if (detail.notices.length === 0 && detail.replacesId === null && detail.replacedBy.length === 0) return null;
  const open = (id: number) => (
    <button key={id} type="button" className="link-button" data-testid="incoming-link" onClick={() => onOpenDocument(id)}>
      {t('incoming.openLinked', { id })}
    </button>
  );
  return (
    <section className="pane-section" aria-label={t('incoming.notices')} data-testid="incoming-notices">
      <h3 className="section-title">{t('incoming.notices')}</h3>
      {detail.notices.length > 0 && (
        <ol className="audit-list">
          {detail.notices.map((notice, i) => (
            <li key={i} className="audit-item">
              <time dateTime={notice.at}>{formatDateTimeVn(notice.at)}</time>
              <span className="audit-text">
                <strong>{t(`incoming.notice.${notice.kind}`)}</strong>
                {notice.reason ? `: ${notice.reason}` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
      {detail.replacesId !== null && (
        <p className="incoming-link-line">
          {t('incoming.replaces')} {open(detail.replacesId)}
        </p>
      )}
      {detail.replacedBy.length > 0 && (
        <p className="incoming-link-line">
          {t('incoming.replacedBy')} {detail.replacedBy.map(open)}
        </p>
      )}
    </section>
  );
}

/** What we answered the sender (and when, and whether it got there), and what the sender said. */
function StatusHistory({ detail }: { detail: IncomingDetail }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section className="pane-section" aria-label={t('incoming.statusHistory')} data-testid="incoming-status-history">
      <h3 className="section-title">{t('incoming.statusHistory')}</h3>
      {detail.statusHistory.length === 0 ? (
        <p className="muted">{t('incoming.statusHistoryEmpty')}</p>
      ) : (
        <ol className="audit-list status-history">
          {[...detail.statusHistory].reverse().map((entry, i) => (
            <li key={i} className="audit-item" data-testid="status-entry" data-code={entry.statusCode} data-direction={entry.direction}>
              <time dateTime={entry.at}>{formatDateTimeVn(entry.at)}</time>
              <span className="audit-text">
                {/* In words; the exchange's status code stays in the tooltip (and the logs). */}
                <span className="status-direction">{t(`incoming.status.${entry.direction}`)}:</span>{' '}
                <span data-testid="status-meaning" title={t('exchange.statusCode.bare', { code: entry.statusCode })}>
                  {statusMeaning(i18n, entry.statusCode) ?? entry.description}
                </span>
                {entry.description && <span className="sig-sub">{entry.description}</span>}
              </span>
              {entry.direction === 'sent' && (
                <span className={`job-badge job-${entry.delivery ?? 'none'}`} data-testid="status-delivery">
                  {entry.delivery ? t(`exchange.job.${entry.delivery}`) : t('incoming.delivery.none')}
                </span>
              )}
              {entry.lastError && <span title={entry.lastError.code}>{i18n.problemMessage(entry.lastError)}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
