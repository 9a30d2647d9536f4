// Tổng quan: the app's start page. The figures of a period (this month by default) as tiles,
// charts and the full table the exports print, the overdue documents with their handlers, and
// the queue's health; any figure opens the documents behind it, any document opens where the
// clerk works on it. All numbers come from 'report.figures' and are formatted by
// main/common/report.ts, so the screen, the XLSX and the PDF say the same thing.
import { useEffect, useRef, useState } from 'react';
import { formatDateTimeVn, formatDateVn } from '../../../main/common/dates.js';
import {
  REPORT_TABLE,
  formatCount,
  formatDuration,
  type ReportFigures,
  type ReportListItem,
  type ReportListKey,
} from '../../../main/common/report.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { DashboardExports } from './DashboardExports.js';
import { FigureTable } from './FigureTable.js';
import { PeriodChooser } from './PeriodChooser.js';
import { ReportCharts, type ChartPick } from './ReportCharts.js';
import { ReportList } from './ReportList.js';
import { currentMonth, periodRange, type DateRange, type Period } from './period.js';
import { useReportData } from './useReportData.js';
import '../outgoing/outgoing.css';
import './dashboard.css';

interface DashboardProps {
  /** false while another view covers it: it stays mounted (period and list kept) but idle */
  active: boolean;
  onOpenDocument: (item: { id: number; direction: 'in' | 'out' }) => void;
  onOpenExchange: () => void;
}

type OpenList = { key: ReportListKey; range?: DateRange; detail?: string };

export function Dashboard({ active, onOpenDocument, onOpenExchange }: DashboardProps) {
  const { t, locale, errorMessage } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const [period, setPeriod] = useState<Period>(() => currentMonth());
  const [list, setList] = useState<OpenList | null>(null);
  const range = periodRange(period);

  useEffect(() => {
    if (active) heading.current?.focus({ preventScroll: true });
  }, [active]);

  const { loaded, reload } = useReportData(`figures:${range.from}:${range.to}`, active, () => call('report.figures', range));

  const changePeriod = (next: Period) => {
    setPeriod(next);
    // A bar's own day or month belongs to the old period; the figure's list follows the new one.
    setList((open) => (open ? { key: open.key } : open));
  };

  const listTitle = (open: OpenList) => {
    const row = REPORT_TABLE.find((r) => r.listKey === open.key);
    const label = row ? row[locale] : open.key;
    return open.detail ? `${label} — ${open.detail}` : label;
  };

  const openItem = (item: Pick<ReportListItem, 'id' | 'direction'>) => onOpenDocument({ id: item.id, direction: item.direction });
  const openList = (key: ReportListKey) => setList({ key });
  const onPick = (pick: ChartPick) => setList(pick);

  return (
    <section className={active ? 'dashboard-view' : 'dashboard-view is-hidden'} aria-labelledby="dashboard-title" data-testid="dashboard" hidden={!active}>
      <header className="view-head dashboard-head">
        <div className="view-head-text">
          <h2 id="dashboard-title" className="view-title" ref={heading} tabIndex={-1}>
            {t('dashboard.title')}
          </h2>
          <p className="muted" data-testid="dashboard-period-text">
            {t('dashboard.period.text', { from: formatDateVn(range.from), to: formatDateVn(range.to) })}
          </p>
        </div>
        {loaded.status === 'ready' && loaded.refreshing && <span className="spinner" aria-hidden="true" />}
        {/* Always present, so that screen readers hear when the figures are being (re)loaded. */}
        <span className="visually-hidden" aria-live="polite">
          {loaded.status === 'loading' || (loaded.status === 'ready' && loaded.refreshing) ? t('dashboard.loading') : ''}
        </span>
        <DashboardExports range={range} />
      </header>
      <div className="dashboard-toolbar book-toolbar">
        <PeriodChooser period={period} onChange={changePeriod} />
        <span className="toolbar-gap" />
        {loaded.status === 'ready' && (
          <span className="muted dashboard-generated" data-testid="dashboard-generated">
            {t('dashboard.generatedAt', { time: formatDateTimeVn(loaded.data.generatedAt) })}
          </span>
        )}
        <button type="button" className="button button-small" data-testid="dashboard-refresh" onClick={reload}>
          {t('dashboard.refresh')}
        </button>
      </div>
      <div className="dashboard-body">
        {list ? (
          <ReportList range={list.range ?? range} listKey={list.key} title={listTitle(list)} active={active} onOpen={openItem} onClose={() => setList(null)} />
        ) : loaded.status === 'loading' ? (
          <p className="dashboard-state" data-testid="dashboard-loading">
            <span className="spinner" aria-hidden="true" /> {t('dashboard.loading')}
          </p>
        ) : loaded.status === 'failed' ? (
          <div className="dashboard-state is-error" role="alert" data-testid="dashboard-error">
            <span>{errorMessage(loaded.error)}</span>
            <button type="button" className="button button-small" onClick={reload}>
              {t('app.retry')}
            </button>
          </div>
        ) : (
          <Overview figures={loaded.data} onList={openList} onPick={onPick} onOpenItem={openItem} onOpenExchange={onOpenExchange} />
        )}
      </div>
    </section>
  );
}

function isEmpty(f: ReportFigures): boolean {
  return f.outgoing.issued === 0 && f.incoming.received === 0 && f.handling.done === 0 && f.overdue.count === 0 && f.overdue.dueSoon === 0 && f.queue.waiting === 0 && f.queue.failed === 0;
}

interface OverviewProps {
  figures: ReportFigures;
  onList: (key: ReportListKey) => void;
  onPick: (pick: ChartPick) => void;
  onOpenItem: (item: { id: number; direction: 'in' | 'out' }) => void;
  onOpenExchange: () => void;
}

function Overview({ figures, onList, onPick, onOpenItem, onOpenExchange }: OverviewProps) {
  const { t } = useI18n();
  return (
    <div className="dashboard-overview" data-testid="dashboard-overview">
      {isEmpty(figures) && (
        <p className="notice dashboard-empty" role="status" data-testid="dashboard-empty">
          {t('dashboard.empty')}
        </p>
      )}
      <Tiles figures={figures} onList={onList} onOpenExchange={onOpenExchange} />
      <ReportCharts figures={figures} onPick={onPick} />
      <div className="dashboard-columns">
        <FigureTable figures={figures} onList={onList} onOpenExchange={onOpenExchange} />
        <OverdueSection figures={figures} onList={onList} onOpenItem={onOpenItem} />
      </div>
    </div>
  );
}

interface TileSpec {
  id: string;
  label: string;
  value: string;
  sub?: string;
  tone?: 'alert' | 'warn' | 'good';
  onClick?: () => void;
  title?: string;
}

function Tiles({ figures: f, onList, onOpenExchange }: { figures: ReportFigures; onList: (key: ReportListKey) => void; onOpenExchange: () => void }) {
  const { t, locale } = useI18n();
  const n = (value: number) => formatCount(value, locale);
  /** A tile for a row of REPORT_TABLE: its label and value exactly as the exports print them. */
  const fromTable = (key: ReportListKey, extra: Partial<TileSpec> = {}): TileSpec => {
    const row = REPORT_TABLE.find((r) => r.listKey === key);
    const label = row ? row[locale] : key;
    return { id: key, label, value: row?.value?.(f, locale) ?? '', onClick: () => onList(key), title: t('dashboard.openList', { label }), ...extra };
  };
  const tiles: TileSpec[] = [
    fromTable('issued', { sub: t('dashboard.tile.split', { axis: n(f.outgoing.viaAxis), paper: n(f.outgoing.onPaper) }) }),
    fromTable('received', { sub: t('dashboard.tile.splitIn', { axis: n(f.incoming.viaAxis), electronic: n(f.incoming.electronic), paper: n(f.incoming.onPaper) }) }),
    fromTable('leaderSigned'),
    fromTable('agencySigned'),
    fromTable('handledOnNetwork', { sub: t('dashboard.tile.accepted', { count: n(f.incoming.accepted) }) }),
    {
      id: 'median',
      label: t('dashboard.tile.median'),
      value: formatDuration(f.handling.medianHours, locale),
      sub: t('dashboard.tile.p90', { value: formatDuration(f.handling.p90Hours, locale), count: n(f.handling.done) }),
    },
    fromTable('overdue', { tone: f.overdue.count > 0 ? 'alert' : 'good' }),
    fromTable('dueSoon', { tone: f.overdue.dueSoon > 0 ? 'warn' : undefined }),
    {
      id: 'queueWaiting',
      label: t('dashboard.tile.queueWaiting'),
      value: n(f.queue.waiting),
      sub: f.queue.oldestWaitingAt ? t('dashboard.tile.oldest', { time: formatDateTimeVn(f.queue.oldestWaitingAt) }) : t('dashboard.tile.noneWaiting'),
      onClick: onOpenExchange,
      title: t('dashboard.openExchange'),
    },
    {
      id: 'queueFailed',
      label: t('dashboard.tile.queueFailed'),
      value: n(f.queue.failed),
      tone: f.queue.failed > 0 ? 'alert' : undefined,
      onClick: onOpenExchange,
      title: t('dashboard.openExchange'),
    },
  ];
  return (
    <section className="dashboard-tiles-area" aria-labelledby="dashboard-tiles-title">
      <h3 id="dashboard-tiles-title" className="visually-hidden">
        {t('dashboard.keyFigures')}
      </h3>
      <ul className="dashboard-tiles">
        {tiles.map((tile) => {
          const body = (
            <>
              <span className="tile-label">{tile.label}</span>
              <span className="tile-value" data-testid="tile-value">
                {tile.value}
              </span>
              {tile.sub && <span className="tile-sub">{tile.sub}</span>}
            </>
          );
          const className = `dashboard-tile${tile.tone ? ` is-${tile.tone}` : ''}`;
          return (
            <li key={tile.id} data-testid={`tile-${tile.id}`}>
              {tile.onClick ? (
                <button type="button" className={`${className} is-clickable`} title={tile.title} onClick={tile.onClick}>
                  {body}
                </button>
              ) : (
                <div className={className}>{body}</div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function OverdueSection({ figures: f, onList, onOpenItem }: { figures: ReportFigures; onList: (key: ReportListKey) => void; onOpenItem: (item: { id: number; direction: 'in' | 'out' }) => void }) {
  const { t, locale } = useI18n();
  const n = (value: number) => formatCount(value, locale);
  const { count, byHandler, documents } = f.overdue;
  return (
    <section className="dashboard-card dashboard-overdue" aria-labelledby="dashboard-overdue-title" data-testid="dashboard-overdue">
      <h3 id="dashboard-overdue-title" className="dashboard-card-title">
        {t('dashboard.overdue.title')}
        <span className={count > 0 ? 'dashboard-badge is-alert' : 'dashboard-badge'}>{n(count)}</span>
      </h3>
      <p className="muted dashboard-card-lead">{t('dashboard.overdue.lead')}</p>
      {count === 0 ? (
        <p className="dashboard-state is-good" data-testid="dashboard-overdue-none">
          {t('dashboard.overdue.none')}
        </p>
      ) : (
        <>
          <h4 className="dashboard-subtitle">{t('dashboard.overdue.byHandler')}</h4>
          <table className="dashboard-table is-compact" data-testid="overdue-handlers">
            <thead>
              <tr>
                <th scope="col">{t('dashboard.overdue.handler')}</th>
                <th scope="col">{t('dashboard.overdue.unit')}</th>
                <th scope="col" className="is-number">
                  {t('dashboard.overdue.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {byHandler.map((h) => (
                <tr key={h.handlerId ?? `none:${h.name}`} data-testid="overdue-handler">
                  <th scope="row">{h.name || t('dashboard.overdue.noHandler')}</th>
                  <td>{h.unit}</td>
                  <td className="is-number">{n(h.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4 className="dashboard-subtitle">{t('dashboard.overdue.documents')}</h4>
          <table className="dashboard-table is-compact" data-testid="overdue-documents">
            <thead>
              <tr>
                <th scope="col">{t('dashboard.list.notation')}</th>
                <th scope="col">{t('dashboard.list.subject')}</th>
                <th scope="col">{t('dashboard.overdue.handler')}</th>
                <th scope="col" className="col-date">
                  {t('dashboard.list.due')}
                </th>
                <th scope="col" className="is-number">
                  {t('dashboard.overdue.days')}
                </th>
              </tr>
            </thead>
            <tbody>
              {documents.map((d) => (
                <tr key={d.id} className="is-clickable is-overdue" data-testid="overdue-document" data-doc-id={d.id} onClick={() => onOpenItem({ id: d.id, direction: 'in' })}>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      title={t('dashboard.list.open')}
                      onClick={(event) => {
                        event.stopPropagation();
                        onOpenItem({ id: d.id, direction: 'in' });
                      }}
                    >
                      {d.notation || (d.incomingNumber !== null ? t('dashboard.overdue.incomingNumber', { number: d.incomingNumber }) : t('dashboard.list.noNotation'))}
                    </button>
                  </td>
                  <td>{d.subject}</td>
                  <td>{d.handlerName}</td>
                  <td className="col-date">{formatDateVn(d.due)}</td>
                  <td className="is-number">{t('dashboard.overdue.daysValue', { days: n(d.daysOverdue) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {count > documents.length && (
            <button type="button" className="button button-small" onClick={() => onList('overdue')}>
              {t('dashboard.overdue.all', { count: n(count) })}
            </button>
          )}
        </>
      )}
    </section>
  );
}
