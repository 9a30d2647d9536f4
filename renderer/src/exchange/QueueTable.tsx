// Hàng chờ gửi: every package waiting for the axis (and, on request, those already sent), with why
// the last try failed spelled out in the row — a tooltip is no use to a clerk on a touchpad — and
// "Thử lại" for what is stopped or waiting.
import { useState } from 'react';
import type { QueueItem } from '../../../main/common/contract.js';
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import type { PassOutcome } from './PassNotice.js';
import { describeStatus, statusCodeLabel } from './exchangeTerms.js';
import { useExchangeData } from './useExchangeData.js';
import { RowCount, VirtualTable } from './VirtualTable.js';

/** The most the core lists at once; the newest come first, so the cap only hides old sent rows. */
const LIMIT = 1000;
const ESTIMATED_ROW_HEIGHT = 56;
const COLUMNS = ['26%', '13%', '96px', '64px', '112px', null, '80px', '92px'] as const;

interface QueueTableProps {
  /** Kept by the view, so that the choice outlives a look at the other tab. */
  includeSent: boolean;
  onIncludeSent: (include: boolean) => void;
  syncing: boolean;
  /** No axis or agency code yet: "Thử lại" would try nothing. */
  notConfigured: boolean;
  onOpenDocument: (id: number, action: QueueItem['action']) => void;
  onRetried: (outcome: PassOutcome) => void;
}

export function QueueTable({ includeSent, onIncludeSent, syncing, notConfigured, onOpenDocument, onRetried }: QueueTableProps) {
  const i18n = useI18n();
  const { t, count } = i18n;
  const [retrying, setRetrying] = useState<number | null>(null);
  const { loaded } = useExchangeData(`queue:${includeSent}`, () => call('exchange.queue', { includeSent, limit: LIMIT }));

  async function retryItem(item: QueueItem) {
    setRetrying(item.id);
    try {
      onRetried({ ok: true, result: await call('exchange.retry', { jobId: item.id }) });
    } catch (error) {
      onRetried({ ok: false, error });
    } finally {
      setRetrying(null);
    }
  }

  return (
    <>
      <div className="exchange-toolbar">
        <label className="plain-check">
          <input type="checkbox" data-testid="queue-include-sent" checked={includeSent} onChange={(e) => onIncludeSent(e.target.checked)} />
          <span>{t('exchange.queue.includeSent')}</span>
        </label>
        <span className="toolbar-gap" />
        <RowCount loaded={loaded} limit={LIMIT} terms="exchange.queue" testId="queue-count" />
      </div>
      <VirtualTable
        label={t('exchange.tab.queue')}
        className="exchange-table queue-table"
        testId="queue-table"
        estimatedRowHeight={ESTIMATED_ROW_HEIGHT}
        columns={COLUMNS}
        head={
          <>
            <th scope="col">{t('exchange.queue.column.document')}</th>
            <th scope="col">{t('exchange.queue.column.recipients')}</th>
            <th scope="col">{t('exchange.queue.column.state')}</th>
            <th scope="col" className="is-number">
              {t('exchange.queue.column.attempts')}
            </th>
            <th scope="col">{t('exchange.queue.column.nextAttempt')}</th>
            <th scope="col">{t('exchange.queue.column.lastError')}</th>
            <th scope="col" className="is-number">
              {t('exchange.queue.column.size')}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t('exchange.queue.column.actions')}</span>
            </th>
          </>
        }
        loaded={loaded}
        empty={includeSent ? t('exchange.queue.emptyAll') : t('exchange.queue.empty')}
        emptyTestId="queue-empty"
        row={(item, rowProps) => {
          const canRetry = item.state === 'queued' || item.state === 'failed';
          return (
            <tr
              key={item.id}
              {...rowProps}
              className={`is-${item.state}`}
              data-testid="queue-row"
              data-job-id={item.id}
              data-state={item.state}
            >
              <td>
                <div className="queue-document">
                  <span className="action-tag">{t(`exchange.action.${item.action}`)}</span>
                  {item.documentId !== null && item.notation ? (
                    <button type="button" className="link-button queue-notation" onClick={() => onOpenDocument(item.documentId!, item.action)} title={t('exchange.openDocument', { notation: item.notation })}>
                      {item.notation}
                    </button>
                  ) : (
                    item.notation && <span className="queue-notation">{item.notation}</span>
                  )}
                </div>
                {/* Two lines at most; the tooltip holds the whole subject (or, for a status, its code). */}
                <div className="queue-subject" title={item.action === 'status' && item.statusCode ? statusCodeLabel(i18n, item.statusCode) : (item.subject ?? undefined)}>
                  {item.action === 'status' && item.statusCode ? describeStatus(i18n, item.statusCode) : item.subject || t('common.none')}
                </div>
              </td>
              <td className="queue-recipients">{item.recipients.join(', ') || t('common.none')}</td>
              <td>
                <span className={`job-badge job-${item.state}`} data-testid="queue-state">
                  {t(`exchange.job.${item.state}`)}
                </span>
                {item.state === 'sent' && item.sentAt && (
                  <time className="cell-sub" dateTime={item.sentAt}>
                    {formatDateTimeVn(item.sentAt)}
                  </time>
                )}
              </td>
              <td className="is-number" data-testid="queue-attempts">
                {count(item.attempts)}
              </td>
              <td data-testid="queue-next-attempt">
                {item.nextAttemptAt ? <time dateTime={item.nextAttemptAt}>{formatDateTimeVn(item.nextAttemptAt)}</time> : <span className="muted">{t('common.none')}</span>}
              </td>
              <td data-testid="queue-last-error">
                {item.lastError ? (
                  <div className={`queue-error is-${item.errorKind ?? 'transient'}`}>
                    <span className="queue-error-kind">{t(`exchange.errorKind.${item.errorKind ?? 'transient'}`)}</span>
                    <span className="queue-error-text" title={item.lastError.code}>
                      {i18n.problemMessage(item.lastError)}
                    </span>
                  </div>
                ) : (
                  <span className="muted">{t('common.none')}</span>
                )}
              </td>
              <td className="is-number">{i18n.fileSize(item.bytes)}</td>
              <td className="is-action">
                {canRetry && (
                  <button
                    type="button"
                    className="button button-small"
                    data-testid="queue-retry"
                    disabled={syncing || notConfigured || retrying !== null}
                    title={notConfigured ? t('exchange.needsSetup') : undefined}
                    onClick={() => void retryItem(item)}
                  >
                    {retrying === item.id && <span className="spinner" aria-hidden="true" />}
                    {t('exchange.retry')}
                  </button>
                )}
              </td>
            </tr>
          );
        }}
      />
    </>
  );
}
