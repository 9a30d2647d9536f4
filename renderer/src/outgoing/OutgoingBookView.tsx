// The register books (sổ đăng ký văn bản đi, and đến): the year's register as the ten columns of
// the paper book (Decree 30), on screen and exported as PDF (to print), Excel or CSV. Rows are
// virtualized: a provincial committee numbers some ten thousand documents a year.
import { useEffect, useId, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Output } from '../../../main/common/contract.js';
import { vnYear } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { saveBytes } from './download.js';
import { useIssuingErrorMessage } from './issuingErrors.js';
import './outgoing.css';

type Book = Output<'outgoing.book'>;
type ExportFormat = 'pdf' | 'xlsx' | 'csv';
export type BookDirection = 'in' | 'out';

interface BookConfig {
  title: MessageKey;
  lead: MessageKey;
  empty: MessageKey;
  testId: string;
  /** The ten columns, in the paper book's order (the host's cells come in the same order). */
  columns: readonly MessageKey[];
  /** Widths as the printed book gives them: dates and counts fixed (a dd/MM/yyyy date never wraps), the summary widest. */
  widths: readonly string[];
  dateColumns: ReadonlySet<number>;
  centredColumns: ReadonlySet<number>;
  /** The cell that opens the document. */
  linkColumn: number;
  load: (query: { year: number; confidential: boolean }) => Promise<Book>;
  exportBook: (query: { year: number; confidential: boolean; format: ExportFormat }) => Promise<{ fileName: string; bytes: Uint8Array }>;
}

const BOOKS: Record<BookDirection, BookConfig> = {
  out: {
    title: 'book.title',
    lead: 'book.lead',
    empty: 'book.empty',
    testId: 'outgoing-book',
    columns: [
      'book.column.notation',
      'book.column.date',
      'book.column.summary',
      'book.column.signer',
      'book.column.recipients',
      'book.column.archive',
      'book.column.copies',
      'book.column.handedOver',
      'book.column.receipt',
      'book.column.notes',
    ],
    widths: ['10%', '96px', '24%', '13%', '15%', '10%', '64px', '96px', '72px', '12%'],
    dateColumns: new Set([1, 7]),
    centredColumns: new Set([1, 6, 7]),
    linkColumn: 0,
    load: (query) => call('outgoing.book', query),
    exportBook: (query) => call('outgoing.exportBook', query),
  },
  // Sổ đăng ký văn bản đến: ngày đến, số đến, tác giả, số ký hiệu, ngày tháng, trích yếu, người nhận, ngày chuyển, ký nhận, ghi chú.
  in: {
    title: 'book.in.title',
    lead: 'book.in.lead',
    empty: 'book.in.empty',
    testId: 'incoming-book',
    columns: [
      'book.in.column.arrivalDate',
      'book.in.column.number',
      'book.in.column.author',
      'book.in.column.notation',
      'book.in.column.documentDate',
      'book.in.column.summary',
      'book.in.column.recipient',
      'book.in.column.handedOver',
      'book.in.column.receipt',
      'book.in.column.notes',
    ],
    widths: ['96px', '64px', '14%', '10%', '96px', '25%', '13%', '96px', '72px', '10%'],
    dateColumns: new Set([0, 4, 7]),
    centredColumns: new Set([0, 1, 3, 4, 7]),
    linkColumn: 1,
    load: (query) => call('incoming.book', query),
    exportBook: (query) => call('incoming.exportBook', query),
  },
};
const EXPORTS: readonly { format: ExportFormat; label: MessageKey }[] = [
  { format: 'pdf', label: 'book.export.pdf' },
  { format: 'xlsx', label: 'book.export.xlsx' },
  { format: 'csv', label: 'book.export.csv' },
];
const ESTIMATED_ROW_HEIGHT = 48;

type Loaded = { status: 'loading' } | { status: 'ready'; book: Book } | { status: 'failed'; error: unknown };

interface BookViewProps {
  refreshToken: number;
  onOpen: (id: number) => void;
  onClose: () => void;
}

export function OutgoingBookView(props: BookViewProps) {
  return <RegisterBookView direction="out" {...props} />;
}

/** The register book of either direction: the same screen, the columns and the API calls of its own. */
export function RegisterBookView({ direction, refreshToken, onOpen, onClose }: BookViewProps & { direction: BookDirection }) {
  const { t, count } = useI18n();
  const book = BOOKS[direction];
  const { columns: COLUMNS, widths: COLUMN_WIDTHS, dateColumns: DATE_COLUMNS, centredColumns: CENTRED_COLUMNS } = book;
  const describeError = useIssuingErrorMessage();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [year, setYear] = useState(vnYear);
  const [years, setYears] = useState<number[]>(() => [vnYear()]);
  const [confidential, setConfidential] = useState(false);
  const [separateSeries, setSeparateSeries] = useState(false);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const [exportNotice, setExportNotice] = useState<{ ok: true; fileName: string } | { ok: false; error: unknown } | null>(null);

  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    call('registers.list', {}).then(
      (registers) => setYears([...new Set([vnYear(), ...registers.filter((r) => r.direction === direction).map((r) => r.year)])].sort((a, b) => b - a)),
      () => undefined,
    );
    call('settings.get', {}).then(
      (settings) => setSeparateSeries(settings.separateConfidentialSeries),
      () => undefined,
    );
  }, [refreshToken, direction]);

  useEffect(() => {
    let cancelled = false;
    setLoaded((current) => (current.status === 'ready' ? current : { status: 'loading' }));
    book.load({ year, confidential }).then(
      (answer) => !cancelled && setLoaded({ status: 'ready', book: answer }),
      (error: unknown) => !cancelled && setLoaded({ status: 'failed', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [year, confidential, refreshToken, book]);

  const rows = loaded.status === 'ready' ? loaded.book.rows : [];
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = Math.max(0, virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0));

  async function exportAs(format: ExportFormat) {
    setExporting(format);
    setExportNotice(null);
    try {
      const { fileName, bytes } = await book.exportBook({ year, confidential, format });
      saveBytes(bytes, fileName);
      setExportNotice({ ok: true, fileName });
    } catch (error) {
      setExportNotice({ ok: false, error });
    } finally {
      setExporting(null);
    }
  }

  return (
    <section className="outgoing-view book-view" aria-labelledby={`${id}-title`} data-testid={book.testId}>
      <header className="view-head">
        <div className="view-head-text">
          <h2 id={`${id}-title`} className="view-title" ref={heading} tabIndex={-1}>
            {t(book.title)}
          </h2>
          <p className="muted">{t(book.lead)}</p>
        </div>
        <button type="button" className="button" onClick={onClose}>
          {t('draft.backToList')}
        </button>
      </header>
      <div className="book-toolbar">
        <div className="field field-inline">
          <label htmlFor={`${id}-year`}>{t('filters.year')}</label>
          <select id={`${id}-year`} data-testid="book-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        {separateSeries && (
          <div className="field field-inline">
            <label htmlFor={`${id}-series`}>{t('book.series')}</label>
            <select id={`${id}-series`} value={confidential ? 'confidential' : 'ordinary'} onChange={(e) => setConfidential(e.target.value === 'confidential')}>
              <option value="ordinary">{t('book.series.ordinary')}</option>
              <option value="confidential">{t('book.series.confidential')}</option>
            </select>
          </div>
        )}
        <span className="book-count" role="status" data-testid="book-count">
          {loaded.status === 'ready' ? t('book.count', { count: count(rows.length) }) : ''}
        </span>
        <span className="toolbar-gap" />
        <div className="book-exports" role="group" aria-label={t('book.export.group')}>
          {EXPORTS.map(({ format, label }) => (
            <button
              key={format}
              type="button"
              className="button button-small"
              data-testid={`book-export-${format}`}
              disabled={exporting !== null || loaded.status !== 'ready'}
              onClick={() => exportAs(format)}
            >
              {exporting === format ? <span className="spinner" aria-hidden="true" /> : <span className={`file-badge file-badge-${format}`} aria-hidden="true" />}
              {t(label)}
            </button>
          ))}
        </div>
      </div>
      {exportNotice && (
        <p className={exportNotice.ok ? 'book-notice' : 'book-notice is-error'} role={exportNotice.ok ? 'status' : 'alert'} data-testid="book-export-notice">
          {exportNotice.ok ? t('book.exported', { fileName: exportNotice.fileName }) : describeError(exportNotice.error)}
        </p>
      )}
      <div className="book-table-frame" ref={scrollRef} tabIndex={0} aria-labelledby={`${id}-title`} role="region">
        <table className="book-table" aria-rowcount={rows.length + 1} data-testid="book-table">
          <colgroup>
            {COLUMN_WIDTHS.map((w, i) => (
              <col key={i} style={{ width: w }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              {COLUMNS.map((column, i) => (
                <th key={column} scope="col">
                  <span className="book-column-number">({i + 1})</span>
                  {t(column)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {paddingTop > 0 && (
              <tr aria-hidden="true" className="book-spacer">
                <td colSpan={COLUMNS.length} style={{ height: paddingTop }} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index]!;
              return (
                <tr key={row.id} ref={virtualizer.measureElement} data-index={item.index} aria-rowindex={item.index + 2} data-testid="book-row" data-doc-id={row.id}>
                  {row.cells.map((cell, i) =>
                    i === book.linkColumn ? (
                      <td key={i} className="book-cell-notation">
                        <button type="button" className="link-button" onClick={() => onOpen(row.id)} title={t('book.open', { notation: row.cells[direction === 'in' ? 3 : 0] || cell })}>
                          {cell}
                        </button>
                      </td>
                    ) : (
                      <td key={i} className={[CENTRED_COLUMNS.has(i) ? 'is-centred' : '', DATE_COLUMNS.has(i) ? 'is-date' : ''].join(' ').trim() || undefined}>
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              );
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true" className="book-spacer">
                <td colSpan={COLUMNS.length} style={{ height: paddingBottom }} />
              </tr>
            )}
          </tbody>
        </table>
        {loaded.status === 'ready' && rows.length === 0 && <p className="list-message">{t(book.empty, { year })}</p>}
        {loaded.status === 'loading' && (
          <p className="list-message" role="status">
            <span className="spinner" aria-hidden="true" /> {t('book.loading')}
          </p>
        )}
        {loaded.status === 'failed' && (
          <p className="list-message is-error" role="alert">
            {describeError(loaded.error)}
          </p>
        )}
      </div>
    </section>
  );
}
