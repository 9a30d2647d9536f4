// Danh sách văn bản: a virtualized grid. Only the rows on screen exist in the DOM, and only the
// pages of 100 around them are fetched, so 250,000 documents scroll as smoothly as 25.
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatDateVn } from '../../../main/common/dates.js';
import { useI18n } from '../i18n/i18n.js';
import { useTypeLabel } from '../incoming/CapturedValue.js';
import type { DocumentPageCache, ListRow } from '../documents/pageCache.js';
import { Highlighted } from './Highlighted.js';

const ROW_HEIGHT = 36;
const ROW_HEIGHT_WITH_SNIPPET = 54;
// Narrower than the columns need (a 1024-pixel screen with the sidebar and the pane open), each
// row takes two lines: số/ký hiệu, date, type and state, then the subject and the issuing agency.
const COMPACT_BELOW_PX = 740;
const COMPACT_ROW_HEIGHT = 56;
const COMPACT_ROW_HEIGHT_WITH_SNIPPET = 74;
/** Pages are requested a little ahead of the scroll so rows are usually there before they show. */
const PREFETCH_ROWS = 30;

const COLUMNS = ['notation', 'date', 'type', 'subject', 'author', 'state'] as const;

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
}

export function DocumentList({ cache, label, terms, selectedId, emptyMessage, onSelect, onOpen, checkedIds, onCheck }: DocumentListProps) {
  const { t, errorMessage } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const pendingSelect = useRef<number | null>(null);
  // The selection the list itself made; any other selection (an import) is scrolled into view.
  const ownSelection = useRef<number | null>(null);
  const total = cache.total ?? 0;
  const gridRef = useRef<HTMLDivElement>(null);
  const compact = useNarrow(gridRef, COMPACT_BELOW_PX);
  const rowHeight = compact ? (terms.length > 0 ? COMPACT_ROW_HEIGHT_WITH_SNIPPET : COMPACT_ROW_HEIGHT) : terms.length > 0 ? ROW_HEIGHT_WITH_SNIPPET : ROW_HEIGHT;

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
      className={compact ? 'doc-grid is-compact' : 'doc-grid'}
      role="grid"
      aria-label={label}
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length + 1}
      aria-multiselectable="true"
      aria-busy={status === 'loading'}
    >
      <div role="rowgroup" className="doc-grid-head">
        <div role="row" aria-rowindex={1} className="doc-row doc-row-head">
          <div role="columnheader" className="cell cell-check">
            <span className="visually-hidden">{t('list.checkColumn')}</span>
          </div>
          {COLUMNS.map((column) => (
            <div key={column} role="columnheader" className={`cell cell-${column}`}>
              {t(`column.${column}`)}
            </div>
          ))}
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

interface DocumentRowProps {
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

/** Whether the element is narrower than `below` pixels, followed as it is resized. */
function useNarrow(ref: RefObject<HTMLElement | null>, below: number): boolean {
  const [narrow, setNarrow] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      // A hidden list (another view on screen) measures 0: keep the last layout for its return.
      const width = entry?.contentRect.width ?? 0;
      if (width > 0) setNarrow(width < below);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, below]);
  return narrow;
}

const DocumentRow = memo(function DocumentRow({ row, index, top, height, terms, selected, checked, active, onSelect, onOpen, onCheck }: DocumentRowProps) {
  const { t } = useI18n();
  const typeLabel = useTypeLabel();
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
          <div role="gridcell" className="cell cell-notation" title={row.notation ?? undefined}>
            {row.notation ?? t('common.none')}
          </div>
          {/* A document without a date shows the day it was imported, and says so. */}
          <div
            role="gridcell"
            className={row.documentDate ? 'cell cell-date' : 'cell cell-date is-imported-date'}
            title={row.documentDate ? undefined : t('list.dateImported', { date: formatDateVn(row.registeredAt) })}
          >
            {formatDateVn(row.documentDate ?? row.registeredAt)}
          </div>
          <div role="gridcell" className="cell cell-type" title={typeLabel(row.typeCode, row.capture)}>
            {typeLabel(row.typeCode, row.capture)}
          </div>
          <div role="gridcell" className="cell cell-subject" title={row.subject}>
            <span className="subject-line">
              <Highlighted text={row.subject} terms={terms} />
            </span>
            {row.snippet && (
              <span className="snippet-line">
                <Highlighted text={row.snippet} terms={terms} />
              </span>
            )}
          </div>
          <div role="gridcell" className="cell cell-author" title={row.authorAgency}>
            {row.authorAgency}
          </div>
          <div role="gridcell" className="cell cell-state">
            <span className={`state-badge state-${row.state}`}>{t(`state.${row.state}`)}</span>
          </div>
        </>
      ) : (
        ['check', ...COLUMNS].map((column) => (
          <div key={column} role="gridcell" className={`cell cell-${column}`}>
            <span className="skeleton" />
          </div>
        ))
      )}
    </div>
  );
});
