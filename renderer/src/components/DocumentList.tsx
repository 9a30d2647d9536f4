// Danh sách văn bản: a virtualized grid. Only the rows on screen exist in the DOM, and only the
// pages of 100 around them are fetched, so 250,000 documents scroll as smoothly as 25.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type MouseEvent, type ReactNode, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatDateVn } from '../../../main/common/dates.js';
import { searchColumnText, type SearchColumnKey } from '../../../main/common/searchColumns.js';
import { useI18n } from '../i18n/i18n.js';
import { useTypeLabel } from '../incoming/CapturedValue.js';
import type { DocumentPageCache, ListRow } from '../documents/pageCache.js';
import { COLUMN_LAYOUT, columnTemplate, oneLineMinPx, packLines } from '../search/listColumns.js';
import '../search/search.css';
import { Highlighted } from './Highlighted.js';

const ROW_HEIGHT = 36;
const ROW_HEIGHT_WITH_SNIPPET = 54;
// Narrower than the chosen columns need (a 1024-pixel screen with the sidebar and the pane open),
// each row takes several lines: the short fields (số/ký hiệu, dates, type, state) above, the long
// ones (subject, agency, people, the identifier code) below; two for the columns the list always
// had. Nothing is dropped.
const LINE_HEIGHT = 18;
const LINES_PADDING = 20;
/** Pages are requested a little ahead of the scroll so rows are usually there before they show. */
const PREFETCH_ROWS = 30;

/** The chosen columns as the grid lays them: one line, or split over several. */
interface GridLines {
  twoLines: boolean;
  lines: readonly (readonly SearchColumnKey[])[];
}

function gridLines(columns: readonly SearchColumnKey[], width: number): GridLines {
  // Width 0: not measured yet (or hidden); one line until it is.
  if (width === 0 || width >= oneLineMinPx(columns)) return { twoLines: false, lines: [columns] };
  return { twoLines: true, lines: packLines(columns, width) };
}

/** Ticking rows for a batch: one row on its own, or every row from the last one ticked. */
export type CheckMode = 'toggle' | 'range';

interface DocumentListProps {
  cache: DocumentPageCache;
  label: string;
  /** Query words to mark in subjects and snippets; also makes rows tall enough for a snippet. */
  terms: readonly string[];
  selectedId: number | null;
  emptyMessage: string;
  onSelect: (row: ListRow) => void;
  onOpen: (row: ListRow) => void;
  checkedIds: ReadonlySet<number>;
  onCheck: (row: ListRow, index: number, mode: CheckMode) => void;
  /** The fields shown, chosen by the clerk (search/listColumns.ts). */
  columns: readonly SearchColumnKey[];
}

export function DocumentList({ cache, label, terms, selectedId, emptyMessage, onSelect, onOpen, checkedIds, onCheck, columns }: DocumentListProps) {
  const { t, errorMessage } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const pendingSelect = useRef<number | null>(null);
  // The selection the list itself made; any other selection (an import) is scrolled into view.
  const ownSelection = useRef<number | null>(null);
  const total = cache.total ?? 0;
  const gridRef = useRef<HTMLDivElement>(null);
  const width = useWidth(gridRef);
  const layout = useMemo(() => gridLines(columns, width), [columns, width]);
  const lineCount = layout.lines.length;
  const snippetHeight = terms.length > 0 ? ROW_HEIGHT_WITH_SNIPPET - ROW_HEIGHT : 0;
  const rowHeight = (lineCount > 1 ? LINES_PADDING + lineCount * LINE_HEIGHT : ROW_HEIGHT) + snippetHeight;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    cache.request(Math.max(0, first - PREFETCH_ROWS), last + PREFETCH_ROWS);
  }, [cache, first, last]);

  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  // New filters or query: a different list, so start from its top.
  useEffect(() => {
    virtualizer.scrollToOffset(0);
    setActiveIndex(0);
  }, [virtualizer, cache.key]);

  const selectedIndex = selectedId === null ? -1 : cache.indexOf(selectedId);
  useEffect(() => {
    if (selectedIndex < 0 || ownSelection.current === selectedId) return;
    ownSelection.current = selectedId;
    setActiveIndex(selectedIndex);
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedId, selectedIndex, virtualizer]);

  // Keyboard moves may land on rows not yet rendered or not yet fetched: finish the move when they arrive.
  useLayoutEffect(() => {
    const focusAt = pendingFocus.current;
    if (focusAt !== null) {
      const row = scrollRef.current?.querySelector<HTMLElement>(`[role="row"][data-index="${focusAt}"]`);
      if (row) {
        row.focus({ preventScroll: true });
        pendingFocus.current = null;
      }
    }
    const selectAt = pendingSelect.current;
    const data = selectAt === null ? undefined : cache.row(selectAt);
    if (data) {
      pendingSelect.current = null;
      ownSelection.current = data.id;
      onSelect(data);
    }
  });

  function focusRow(index: number): number {
    const target = Math.min(total - 1, Math.max(0, index));
    setActiveIndex(target);
    virtualizer.scrollToIndex(target, { align: 'auto' });
    pendingFocus.current = target;
    return target;
  }

  function moveTo(index: number) {
    if (total > 0) pendingSelect.current = focusRow(index);
  }

  const onRowClick = useCallback(
    (row: ListRow, index: number, event: MouseEvent) => {
      ownSelection.current = row.id;
      setActiveIndex(index);
      // Ctrl (⌘) and Shift tick rows for signing together, as in a file manager; the row clicked is shown.
      if (event.ctrlKey || event.metaKey) onCheck(row, index, 'toggle');
      else if (event.shiftKey) onCheck(row, index, 'range');
      onSelect(row);
    },
    [onSelect, onCheck],
  );

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const focused = (event.target as HTMLElement).closest<HTMLElement>('[role="row"][data-index]');
    const current = focused ? Number(focused.dataset.index) : activeIndex;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + pageRows,
      PageUp: current - pageRows,
      Home: 0,
      End: total - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      const row = cache.row(current);
      if (!row) return;
      event.preventDefault();
      ownSelection.current = row.id;
      // Arrows already show each row they reach: Space is free to tick it.
      if (event.key === 'Enter') onOpen(row);
      else onCheck(row, current, event.shiftKey ? 'range' : 'toggle');
    }
  }

  const activeRendered = items.some((item) => item.index === activeIndex);
  const status = cache.total === null ? (cache.error ? 'failed' : 'loading') : total === 0 ? 'empty' : 'rows';

  return (
    <div
      ref={gridRef}
      className={layout.twoLines ? 'doc-grid is-two-lines' : 'doc-grid'}
      style={gridStyle(layout)}
      role="grid"
      aria-label={label}
      aria-rowcount={total + 1}
      aria-colcount={columns.length + 1}
      aria-multiselectable="true"
      aria-busy={status === 'loading'}
    >
      <div role="rowgroup" className="doc-grid-head">
        <div role="row" aria-rowindex={1} className="doc-row doc-row-head">
          <div role="columnheader" className="cell cell-check">
            <span className="visually-hidden">{t('list.checkColumn')}</span>
          </div>
          <GridLineCells layout={layout}>
            {(key) => (
              <div key={key} role="columnheader" className={`cell ${COLUMN_LAYOUT[key].className}`}>
                {t(COLUMN_LAYOUT[key].label)}
              </div>
            )}
          </GridLineCells>
        </div>
      </div>
      <div
        ref={scrollRef}
        role="rowgroup"
        className="doc-grid-body"
        // Focusable itself only while the active row is scrolled out of the DOM, so Tab still reaches the list.
        tabIndex={status === 'rows' && !activeRendered ? 0 : -1}
        onFocus={(event) => event.target === event.currentTarget && total > 0 && focusRow(activeIndex)}
        onKeyDown={onKeyDown}
      >
        {status === 'rows' && (
          <div className="doc-grid-canvas" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = cache.row(item.index);
              return (
                <DocumentRow
                  key={item.key}
                  layout={layout}
                  row={row}
                  index={item.index}
                  top={item.start}
                  height={rowHeight}
                  terms={terms}
                  selected={row !== undefined && row.id === selectedId}
                  checked={row !== undefined && checkedIds.has(row.id)}
                  active={item.index === activeIndex}
                  onSelect={onRowClick}
                  onOpen={onOpen}
                  onCheck={onCheck}
                />
              );
            })}
          </div>
        )}
        {status === 'empty' && (
          <p className="list-message" role="status">
            {emptyMessage}
          </p>
        )}
        {status === 'failed' && (
          <p className="list-message is-error" role="alert">
            {t('list.loadFailed')} {errorMessage(cache.error)}
          </p>
        )}
      </div>
    </div>
  );
}

/** The one-line template (--columns), or how many lines the tick box spans (--lines). */
function gridStyle(layout: GridLines): CSSProperties {
  if (!layout.twoLines) return { '--columns': `32px ${columnTemplate(layout.lines[0] ?? [], 'wide')}` } as CSSProperties;
  return { '--lines': layout.lines.length } as CSSProperties;
}

/** The cells of a row or of the header: straight in the row's grid, or in one grid per line. */
function GridLineCells({ layout, children }: { layout: GridLines; children: (key: SearchColumnKey) => ReactNode }) {
  if (!layout.twoLines) return <>{layout.lines[0]?.map(children)}</>;
  return (
    <>
      {layout.lines.map((line) => (
        <div key={line.join()} className="doc-line" style={{ gridTemplateColumns: columnTemplate(line, 'narrow') }}>
          {line.map(children)}
        </div>
      ))}
    </>
  );
}

interface DocumentRowProps {
  layout: GridLines;
  /** Undefined while its page loads: the same element then fills in, so keyboard focus stays on it. */
  row: ListRow | undefined;
  index: number;
  top: number;
  height: number;
  terms: readonly string[];
  selected: boolean;
  checked: boolean;
  active: boolean;
  onSelect: (row: ListRow, index: number, event: MouseEvent) => void;
  onOpen: (row: ListRow) => void;
  onCheck: (row: ListRow, index: number, mode: CheckMode) => void;
}

/** The element's width in whole pixels, followed as it is resized; 0 until measured. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      // A hidden list (another view on screen) measures 0: keep the last layout for its return.
      const measured = Math.floor(entry?.contentRect.width ?? 0);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

const DocumentRow = memo(function DocumentRow({ layout, row, index, top, height, terms, selected, checked, active, onSelect, onOpen, onCheck }: DocumentRowProps) {
  const { t } = useI18n();
  return (
    <div
      role="row"
      data-testid={row ? 'doc-row' : 'doc-row-loading'}
      data-doc-id={row?.id}
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-checked={checked || undefined}
      aria-busy={row ? undefined : true}
      aria-label={row ? undefined : t('list.loadingRow')}
      tabIndex={active ? 0 : -1}
      className={row ? `doc-row${selected ? ' is-selected' : ''}${checked ? ' is-checked' : ''}` : 'doc-row is-placeholder'}
      style={{ height, transform: `translateY(${top}px)` }}
      onClick={row && ((event) => onSelect(row, index, event))}
      onDoubleClick={row && (() => onOpen(row))}
    >
      {row ? (
        <>
          <div role="gridcell" className="cell cell-check">
            <input
              type="checkbox"
              data-testid="doc-check"
              tabIndex={-1}
              checked={checked}
              // The click decides (it knows about Shift); React re-renders the box from `checked`.
              readOnly
              aria-label={t('list.check', { name: row.notation ?? row.subject })}
              onClick={(event) => {
                event.stopPropagation();
                onCheck(row, index, event.shiftKey ? 'range' : 'toggle');
              }}
            />
          </div>
          <GridLineCells layout={layout}>{(key) => <DocumentCell key={key} column={key} row={row} terms={terms} />}</GridLineCells>
        </>
      ) : (
        <>
          <div role="gridcell" className="cell cell-check">
            <span className="skeleton" />
          </div>
          <GridLineCells layout={layout}>
            {(key) => (
              <div key={key} role="gridcell" className={`cell ${COLUMN_LAYOUT[key].className}`}>
                <span className="skeleton" />
              </div>
            )}
          </GridLineCells>
        </>
      )}
    </div>
  );
});

/** One field of a row, as the list shows it; every cell that may be cut carries its whole text as a tooltip. */
function DocumentCell({ column, row, terms }: { column: SearchColumnKey; row: ListRow; terms: readonly string[] }) {
  const { t } = useI18n();
  const typeLabel = useTypeLabel();
  const className = `cell ${COLUMN_LAYOUT[column].className}`;
  switch (column) {
    case 'notation':
      return (
        <div role="gridcell" className={className} title={row.notation ?? undefined}>
          {row.notation ?? t('common.none')}
        </div>
      );
    case 'documentDate':
      // A document without a date shows the day it was imported, and says so.
      return (
        <div
          role="gridcell"
          className={row.documentDate ? className : `${className} is-imported-date`}
          title={row.documentDate ? formatDateVn(row.documentDate) : t('list.dateImported', { date: formatDateVn(row.registeredAt) })}
        >
          {formatDateVn(row.documentDate ?? row.registeredAt)}
        </div>
      );
    case 'typeCode':
      return (
        <div role="gridcell" className={className} title={typeLabel(row.typeCode, row.capture)}>
          {typeLabel(row.typeCode, row.capture)}
        </div>
      );
    case 'subject':
      return (
        <div role="gridcell" className={className} title={row.subject}>
          <span className="subject-line">
            <Highlighted text={row.subject} terms={terms} />
          </span>
          {row.snippet && (
            <span className="snippet-line" title={row.snippet}>
              <Highlighted text={row.snippet} terms={terms} />
            </span>
          )}
        </div>
      );
    case 'state':
      return (
        <div role="gridcell" className={className} title={t(`state.${row.state}`)}>
          <span className={`state-badge state-${row.state}`}>{t(`state.${row.state}`)}</span>
        </div>
      );
    default: {
      // The other fields read as the export and the command line print them; the query's words marked.
      const text = searchColumnText(row, column);
      return (
        <div role="gridcell" className={className} title={text || undefined}>
          {text ? <Highlighted text={text} terms={terms} /> : t('common.none')}
        </div>
      );
    }
  }
}
