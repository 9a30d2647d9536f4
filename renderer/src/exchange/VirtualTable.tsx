// The frame of the exchange view's tables: a scrolling region holding a table whose rows are
// rendered only where the clerk looks (see useVirtualRows), with a spacer row above and below
// them, and the loading, failed or empty line beneath.
import { useRef, type ReactNode, type RefCallback } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { LoadMessages } from './LoadMessages.js';
import type { Loaded } from './useExchangeData.js';
import { useVirtualRows } from './useVirtualRows.js';

/** Spread on each row's <tr>: measures it and tells screen readers where it stands. */
export interface VirtualRowProps {
  ref: RefCallback<HTMLTableRowElement>;
  'data-index': number;
  'aria-rowindex': number;
}

interface VirtualTableProps<T> {
  /** The region's accessible name. */
  label: string;
  className: string;
  testId: string;
  estimatedRowHeight: number;
  /** Each column's width; null for the one that takes what is left. */
  columns: readonly (string | null)[];
  /** The header row's cells. */
  head: ReactNode;
  loaded: Loaded<readonly T[]>;
  empty: string;
  emptyTestId?: string;
  /** One row, keyed by the caller, with `rowProps` spread on its <tr>. */
  row: (item: T, rowProps: VirtualRowProps) => ReactNode;
}

export function VirtualTable<T>({ label, className, testId, estimatedRowHeight, columns, head, loaded, empty, emptyTestId, row }: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = loaded.status === 'ready' ? loaded.data : [];
  const { items, measure, paddingTop, paddingBottom } = useVirtualRows(rows.length, scrollRef, estimatedRowHeight);
  const spacer = (height: number) =>
    height > 0 && (
      <tr aria-hidden="true" className="exchange-spacer">
        <td colSpan={columns.length} style={{ height }} />
      </tr>
    );

  return (
    <div className="exchange-table-frame" ref={scrollRef} tabIndex={0} role="region" aria-label={label}>
      <table className={className} aria-rowcount={rows.length + 1} data-testid={testId}>
        <colgroup>
          {columns.map((width, index) => (
            <col key={index} style={width === null ? undefined : { width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>{head}</tr>
        </thead>
        <tbody>
          {spacer(paddingTop)}
          {items.map((virtual) => row(rows[virtual.index]!, { ref: measure, 'data-index': virtual.index, 'aria-rowindex': virtual.index + 2 }))}
          {spacer(paddingBottom)}
        </tbody>
      </table>
      <LoadMessages loaded={loaded} empty={empty} emptyTestId={emptyTestId} place="table" />
    </div>
  );
}

/** The toolbar's count of a table's rows, saying so when the core listed no more than `limit`. */
export function RowCount({ loaded, limit, terms, testId }: { loaded: Loaded<readonly unknown[]>; limit: number; terms: 'exchange.queue' | 'exchange.received'; testId?: string }) {
  const { t, count } = useI18n();
  return (
    <span className="exchange-count" role="status" data-testid={testId}>
      {loaded.status === 'ready' && t(loaded.data.length >= limit ? `${terms}.countCapped` : `${terms}.count`, { count: count(loaded.data.length) })}
    </span>
  );
}
