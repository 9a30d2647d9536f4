// The incoming list of one filter: số đến, ngày đến, sender, notation, subject, handler, due date
// and state, with overdue and due-soon rows marked. Rows are virtualized (VirtualTable).
import type { KeyboardEvent } from 'react';
import type { IncomingItem } from '../../../main/common/contract.js';
import { formatDateTimeVn, formatDateVn } from '../../../main/common/dates.js';
import type { Loaded } from '../exchange/useExchangeData.js';
import { VirtualTable } from '../exchange/VirtualTable.js';
import { useI18n } from '../i18n/i18n.js';
import { formatIncomingNumber, handlerLabel } from './incomingTerms.js';

const COLUMNS = ['52px', '96px', '16%', '11%', null, '13%', '92px', '112px'] as const;

interface IncomingTableProps {
  label: string;
  loaded: Loaded<readonly IncomingItem[]>;
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** Ticked for tiếp nhận together (only documents waiting for it can be ticked). */
  checkedIds: ReadonlySet<number>;
  onCheck: (ids: readonly number[], checked: boolean) => void;
}

export function IncomingTable({ label, loaded, selectedId, onSelect, checkedIds, onCheck }: IncomingTableProps) {
  const { t } = useI18n();
  const none = t('common.none');
  const acceptable = loaded.status === 'ready' ? loaded.data.filter((item) => item.state === 'received').map((item) => item.id) : [];
  const allChecked = acceptable.length > 0 && acceptable.every((id) => checkedIds.has(id));

  function onKeyDown(event: KeyboardEvent<HTMLTableRowElement>, id: number, state: IncomingItem['state']) {
    // As in the registry's list: arrows already show each row they reach, so Space ticks it.
    if (event.key === ' ' && state === 'received') {
      event.preventDefault();
      onCheck([id], !checkedIds.has(id));
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(id);
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const next = (event.key === 'ArrowDown' ? event.currentTarget.nextElementSibling : event.currentTarget.previousElementSibling) as HTMLTableRowElement | null;
    if (next?.dataset.docId) {
      next.focus();
      onSelect(Number(next.dataset.docId));
    }
  }

  return (
    <VirtualTable
      label={label}
      className="exchange-table incoming-table"
      testId="incoming-table"
      estimatedRowHeight={52}
      columns={COLUMNS}
      head={
        <>
          <th scope="col" className="is-number">
            {acceptable.length > 0 && (
              <input
                type="checkbox"
                className="incoming-check"
                data-testid="incoming-check-all"
                checked={allChecked}
                aria-label={t('incoming.batch.checkAll')}
                onChange={(e) => onCheck(acceptable, e.target.checked)}
              />
            )}
            {t('incoming.column.number')}
          </th>
          <th scope="col">{t('incoming.column.arrived')}</th>
          <th scope="col">{t('incoming.column.sender')}</th>
          <th scope="col">{t('incoming.column.notation')}</th>
          <th scope="col">{t('incoming.column.subject')}</th>
          <th scope="col">{t('incoming.column.handler')}</th>
          <th scope="col">{t('incoming.column.due')}</th>
          <th scope="col">{t('incoming.column.state')}</th>
        </>
      }
      loaded={loaded}
      empty={t('incoming.empty')}
      emptyTestId="incoming-empty"
      row={(item, rowProps) => {
        const classes = ['incoming-row', item.overdue ? 'is-overdue' : '', item.dueSoon ? 'is-due-soon' : '', item.id === selectedId ? 'is-selected' : '', item.recallPending ? 'is-recall' : '']
          .filter(Boolean)
          .join(' ');
        return (
          <tr
            key={item.id}
            {...rowProps}
            className={classes}
            data-testid="incoming-row"
            data-doc-id={item.id}
            data-state={item.state}
            aria-selected={item.id === selectedId}
            tabIndex={item.id === selectedId ? 0 : -1}
            onClick={() => onSelect(item.id)}
            onKeyDown={(event) => onKeyDown(event, item.id, item.state)}
          >
            <td className="is-number incoming-number-cell" data-testid="incoming-row-number">
              {item.state === 'received' && (
                <input
                  type="checkbox"
                  className="incoming-check"
                  data-testid="incoming-check"
                  tabIndex={-1}
                  checked={checkedIds.has(item.id)}
                  aria-label={t('incoming.batch.check', { name: item.notation || item.subject })}
                  onClick={(event) => event.stopPropagation()}
                  onChange={(e) => onCheck([item.id], e.target.checked)}
                />
              )}
              {item.incomingNumber === null ? <span className="muted">{none}</span> : formatIncomingNumber(item.incomingNumber)}
            </td>
            <td>
              <time dateTime={item.arrivedAt}>{formatDateTimeVn(item.arrivedAt)}</time>
            </td>
            <td className="incoming-sender">{item.authorAgency || item.senderCode || none}</td>
            <td>{item.notation || none}</td>
            <td className="incoming-subject-cell">
              <span className="incoming-subject-text">{item.subject || none}</span>
              {item.recallPending && <span className="due-badge is-recall">{t('incoming.recallPending')}</span>}
            </td>
            <td>{item.handler ? handlerLabel(item.handler) : <span className="muted">{none}</span>}</td>
            <td>
              {item.handlingDue ? formatDateVn(item.handlingDue) : <span className="muted">{none}</span>}
              {item.overdue && <span className="due-badge is-overdue">{t('incoming.overdue')}</span>}
              {item.dueSoon && <span className="due-badge is-due-soon">{t('incoming.dueSoon')}</span>}
            </td>
            <td>
              <span className={`state-badge state-${item.state}`}>{t(`state.${item.state}`)}</span>
            </td>
          </tr>
        );
      }}
    />
  );
}
