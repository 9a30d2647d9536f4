// Đã nhận: every package the axis handed over, newest first — documents taken into the incoming
// register, duplicates the axis sent again, and packages refused, with the refusal's reason and
// its detail in the row, since that is what the clerk reads out to the sender on the phone.
import { useState } from 'react';
import type { ReceivedItem } from '../../../main/common/contract.js';
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { describeRefusal, describeStatus, statusCodeLabel } from './exchangeTerms.js';
import { useExchangeData } from './useExchangeData.js';
import { RowCount, VirtualTable } from './VirtualTable.js';

const LIMIT = 1000;
const ESTIMATED_ROW_HEIGHT = 52;
const COLUMNS = ['20%', '14%', null, '124px', '26%', '80px'] as const;
const OUTCOMES = ['accepted', 'duplicate', 'refused'] as const;
type Outcome = ReceivedItem['outcome'];

export function ReceivedTable({ onOpenDocument }: { onOpenDocument: (id: number, messageType: ReceivedItem['messageType']) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const { loaded } = useExchangeData(`received:${outcome}`, () => call('exchange.received', { limit: LIMIT, ...(outcome ? { outcome } : {}) }));

  return (
    <>
      <div className="exchange-toolbar">
        <div className="field field-inline">
          <label htmlFor="received-outcome">{t('exchange.received.outcomeFilter')}</label>
          <select id="received-outcome" data-testid="received-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome | '')}>
            <option value="">{t('exchange.received.allOutcomes')}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`exchange.outcome.${o}`)}
              </option>
            ))}
          </select>
        </div>
        <span className="toolbar-gap" />
        <RowCount loaded={loaded} limit={LIMIT} terms="exchange.received" />
      </div>
      <VirtualTable
        label={t('exchange.tab.received')}
        className="exchange-table received-table"
        testId="received-table"
        estimatedRowHeight={ESTIMATED_ROW_HEIGHT}
        columns={COLUMNS}
        head={
          <>
            <th scope="col">{t('exchange.received.column.sender')}</th>
            <th scope="col">{t('exchange.received.column.notation')}</th>
            <th scope="col">{t('exchange.received.column.subject')}</th>
            <th scope="col">{t('exchange.received.column.receivedAt')}</th>
            <th scope="col">{t('exchange.received.column.outcome')}</th>
            <th scope="col" className="is-number">
              {t('exchange.queue.column.size')}
            </th>
          </>
        }
        loaded={loaded}
        empty={outcome ? t('exchange.received.emptyFiltered') : t('exchange.received.empty')}
        row={(item, rowProps) => (
          <tr key={item.id} {...rowProps} data-testid="received-row" data-outcome={item.outcome}>
            <td>
              <div className="received-sender">{item.senderName || item.sender}</div>
              {item.senderName && <div className="cell-sub">{item.sender}</div>}
            </td>
            <td>
              {item.documentId !== null && item.notation ? (
                <button type="button" className="link-button queue-notation" onClick={() => onOpenDocument(item.documentId!, item.messageType)} title={t('exchange.openDocument', { notation: item.notation })}>
                  {item.notation}
                </button>
              ) : (
                item.notation || <span className="muted">{t('common.none')}</span>
              )}
            </td>
            <td className="queue-subject" title={item.messageType === 'status' && item.statusCode ? statusCodeLabel(i18n, item.statusCode) : (item.subject ?? undefined)}>
              {item.messageType === 'status' && item.statusCode ? describeStatus(i18n, item.statusCode) : item.subject || t('common.none')}
            </td>
            <td>
              <time dateTime={item.receivedAt}>{formatDateTimeVn(item.receivedAt)}</time>
            </td>
            <td>
              <span className={`job-badge outcome-${item.outcome}`}>{t(`exchange.outcome.${item.outcome}`)}</span>
              {item.outcome === 'refused' && (
                // The detail is the package's own (a field name, a content id) in the core's English:
                // it stays in the tooltip, for the sender's technician.
                <div className="refusal" data-testid="received-refusal" title={item.refusalDetail ?? undefined}>
                  <span className="refusal-reason">{item.refusalReason ? describeRefusal(i18n, item.refusalReason) : t('exchange.refusal.unreadable')}</span>
                </div>
              )}
            </td>
            <td className="is-number">{i18n.fileSize(item.bytes)}</td>
          </tr>
        )}
      />
    </>
  );
}
