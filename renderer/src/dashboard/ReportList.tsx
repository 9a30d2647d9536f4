// The documents behind one figure, inside the dashboard: 'report.list' counts and lists by the
// same condition as the figure, so its total is the figure. A row opens the document where the
// clerk works on it (incoming → the incoming panel, outgoing → the registry pane).
import { useEffect, useId, useRef, useState } from 'react';
import type { ReportListItem, ReportListKey } from '../../../main/common/report.js';
import { formatDateVn, vnDate } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import type { DateRange } from './period.js';
import { useReportData } from './useReportData.js';

const PAGE = 50;

/** A yyyy-MM-dd shown as is, an instant as its day in Vietnam. */
function dayVn(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDateVn(value);
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? value : formatDateVn(vnDate(t));
}

interface ReportListProps {
  range: DateRange;
  listKey: ReportListKey;
  title: string;
  active: boolean;
  onOpen: (item: ReportListItem) => void;
  onClose: () => void;
}

export function ReportList({ range, listKey, title, active, onOpen, onClose }: ReportListProps) {
  const { t, count, errorMessage } = useI18n();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [listKey, range.from, range.to]);
  useEffect(() => heading.current?.focus(), [listKey]);

  const { loaded, reload } = useReportData(`${listKey}:${range.from}:${range.to}:${offset}`, active, () => call('report.list', { ...range, key: listKey, offset, limit: PAGE }));
  const total = loaded.status === 'ready' ? loaded.data.total : null;
  const items = loaded.status === 'ready' ? loaded.data.items : [];

  const stateLabel = (state: string) => {
    const key = `state.${state}` as MessageKey;
    const label = t(key);
    return label === undefined || label === key ? state : label;
  };

  return (
    <section className="dashboard-list" aria-labelledby={`${id}-title`} data-testid="report-list" data-key={listKey}>
      <header className="dashboard-list-head">
        <button type="button" className="button button-small" data-testid="report-list-close" onClick={onClose}>
          <span aria-hidden="true">←</span> {t('dashboard.list.back')}
        </button>
        <h3 id={`${id}-title`} ref={heading} tabIndex={-1} className="dashboard-list-title">
          {title}
        </h3>
        <span className="dashboard-list-total" role="status" data-testid="report-list-total" data-total={total ?? undefined}>
          {total !== null ? t('dashboard.list.total', { count: count(total) }) : ''}
        </span>
      </header>
      <span className="visually-hidden" aria-live="polite">
        {loaded.status === 'loading' ? t('dashboard.loading') : ''}
      </span>
      {loaded.status === 'loading' && (
        <p className="dashboard-state">
          <span className="spinner" aria-hidden="true" /> {t('dashboard.loading')}
        </p>
      )}
      {loaded.status === 'failed' && (
        <div className="dashboard-state is-error" role="alert">
          <span>{errorMessage(loaded.error)}</span>
          <button type="button" className="button button-small" onClick={reload}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {loaded.status === 'ready' && items.length === 0 && (
        <p className="dashboard-state" data-testid="report-list-empty">
          {t('dashboard.list.empty')}
        </p>
      )}
      {loaded.status === 'ready' && items.length > 0 && (
        <div className="dashboard-table-frame">
          <table className="dashboard-table" data-testid="report-list-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col" className="col-notation">
                  {t('dashboard.list.notation')}
                </th>
                <th scope="col">{t('dashboard.list.subject')}</th>
                <th scope="col" className="col-person">
                  {t('dashboard.list.author')}
                </th>
                <th scope="col" className="col-date">
                  {t('dashboard.list.date')}
                </th>
                <th scope="col" className="col-state">
                  {t('dashboard.list.state')}
                </th>
                <th scope="col" className="col-date">
                  {t('dashboard.list.due')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={`${item.direction}:${item.id}`} className="is-clickable" data-testid="report-list-row" data-doc-id={item.id} data-direction={item.direction} onClick={() => onOpen(item)}>
                  <td className="col-notation">
                    <button
                      type="button"
                      className="link-button"
                      title={t('dashboard.list.open')}
                      onClick={(event) => {
                        event.stopPropagation();
                        onOpen(item);
                      }}
                    >
                      {item.notation || t('dashboard.list.noNotation')}
                    </button>
                  </td>
                  <td>{item.subject}</td>
                  <td className="col-person">
                    {item.author}
                    {item.handlerName && (
                      <span className="dashboard-handler">
                        {t('dashboard.list.handler')}: {item.handlerName}
                      </span>
                    )}
                  </td>
                  <td className="col-date">{dayVn(item.date)}</td>
                  <td className="col-state">{stateLabel(item.state)}</td>
                  <td className="col-date">{item.due ? formatDateVn(item.due) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total !== null && total > PAGE && (
        <nav className="dashboard-pager" aria-label={t('dashboard.list.pages')}>
          <button type="button" className="button button-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            {t('dashboard.list.previousPage')}
          </button>
          <span className="muted">{t('dashboard.list.range', { first: count(offset + 1), last: count(Math.min(offset + PAGE, total)), total: count(total) })}</span>
          <button type="button" className="button button-small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
            {t('dashboard.list.nextPage')}
          </button>
        </nav>
      )}
    </section>
  );
}
