// Which fields the results list shows (Decree 30, Appendix VI 6đ): the clerk's choice among the
// keys of main/common/searchColumns.ts, kept for the next start as the sidebar keeps its state
// (components/sidebarState.ts); in a browser tab without storage it lasts the session.
import { useCallback, useState } from 'react';
import { DEFAULT_SEARCH_COLUMNS, SEARCH_COLUMN_KEYS, type SearchColumnKey } from '../../../main/common/searchColumns.js';
import type { MessageKey } from '../i18n/i18n.js';

const KEY = 'eoffice.listColumns';

/** The chosen keys in the one order the list, the export and the chooser all use; unknown keys dropped. */
export function normalizeColumns(keys: readonly string[]): SearchColumnKey[] {
  const chosen = SEARCH_COLUMN_KEYS.filter((key) => keys.includes(key));
  return chosen.length > 0 ? chosen : [...DEFAULT_SEARCH_COLUMNS];
}

function stored(): SearchColumnKey[] {
  try {
    const raw = window.localStorage.getItem(KEY);
    const parsed: unknown = raw === null ? null : JSON.parse(raw);
    // Anything else (an older or hand-edited value) falls back to the columns the list always had.
    return Array.isArray(parsed) ? normalizeColumns(parsed.filter((k): k is string => typeof k === 'string')) : [...DEFAULT_SEARCH_COLUMNS];
  } catch {
    return [...DEFAULT_SEARCH_COLUMNS];
  }
}

export function useListColumns(): [SearchColumnKey[], (columns: readonly SearchColumnKey[]) => void] {
  const [columns, setColumns] = useState(stored);
  const set = useCallback((next: readonly SearchColumnKey[]) => {
    const normalized = normalizeColumns(next);
    setColumns(normalized);
    try {
      window.localStorage.setItem(KEY, JSON.stringify(normalized));
    } catch {
      // Storage refused (a private window): the choice holds until the page closes.
    }
  }, []);
  return [columns, set];
}

/**
 * How each field sits in the grid: its width on one line (`wide`, at least `minPx`); on a narrow
 * list, the least it may shrink to (`narrowPx`) and its share of what is left (`share`), and the
 * group of lines it goes to (short fields first, the long texts below them, as the list always
 * did); its cell's class (the first six keep the classes the list always had).
 */
interface ColumnLayout {
  label: MessageKey;
  className: string;
  wide: string;
  minPx: number;
  narrowPx: number;
  share: number;
  group: 1 | 2;
}

export const COLUMN_LAYOUT: Record<SearchColumnKey, ColumnLayout> = {
  incomingNumber: { label: 'column.incomingNumber', className: 'cell-incoming-number', wide: '64px', minPx: 64, narrowPx: 44, share: 0.5, group: 1 },
  notation: { label: 'column.notation', className: 'cell-notation', wide: 'minmax(112px, 1fr)', minPx: 112, narrowPx: 84, share: 1.3, group: 1 },
  documentDate: { label: 'column.date', className: 'cell-date', wide: '96px', minPx: 96, narrowPx: 84, share: 0.9, group: 1 },
  typeCode: { label: 'column.type', className: 'cell-type', wide: 'minmax(76px, 0.7fr)', minPx: 76, narrowPx: 60, share: 1, group: 1 },
  subject: { label: 'column.subject', className: 'cell-subject', wide: 'minmax(150px, 3fr)', minPx: 150, narrowPx: 150, share: 3, group: 2 },
  authorAgency: { label: 'column.author', className: 'cell-author', wide: 'minmax(90px, 1.1fr)', minPx: 90, narrowPx: 90, share: 1.6, group: 2 },
  signerName: { label: 'column.signer', className: 'cell-signer', wide: 'minmax(90px, 1fr)', minPx: 90, narrowPx: 80, share: 1.2, group: 2 },
  recipients: { label: 'column.recipients', className: 'cell-recipients', wide: 'minmax(100px, 1.2fr)', minPx: 100, narrowPx: 80, share: 1.4, group: 2 },
  handlerName: { label: 'column.handler', className: 'cell-handler', wide: 'minmax(90px, 1fr)', minPx: 90, narrowPx: 80, share: 1.2, group: 2 },
  dueDate: { label: 'column.due', className: 'cell-due', wide: '96px', minPx: 96, narrowPx: 84, share: 0.9, group: 1 },
  // The state's column fits its longest badge (“Waiting to be accepted”): a state is never cut on one line.
  state: { label: 'column.state', className: 'cell-state', wide: '156px', minPx: 156, narrowPx: 120, share: 1.5, group: 1 },
  registeredAt: { label: 'column.registeredAt', className: 'cell-registered', wide: '96px', minPx: 96, narrowPx: 84, share: 0.9, group: 1 },
  identifierCode: { label: 'column.identifierCode', className: 'cell-identifier', wide: 'minmax(140px, 1.6fr)', minPx: 140, narrowPx: 120, share: 2, group: 2 },
};

/** The tick box's column. */
export const CHECK_PX = 32;
/** The scrollbar's gutter and a little air. */
export const GUTTER_PX = 28;

/** The width under which the chosen columns cannot all keep their least width on one line. */
export function oneLineMinPx(columns: readonly SearchColumnKey[]): number {
  return CHECK_PX + GUTTER_PX + columns.reduce((sum, key) => sum + COLUMN_LAYOUT[key].minPx, 0);
}

/**
 * The chosen columns over as many lines as a list `width` pixels wide needs: the short fields,
 * then the long ones, each group filling a line before the next, so that no column is ever
 * squeezed below its least width (and no header or button is cut).
 */
export function packLines(columns: readonly SearchColumnKey[], width: number): SearchColumnKey[][] {
  const room = width - CHECK_PX - GUTTER_PX;
  const lines: SearchColumnKey[][] = [];
  for (const group of [1, 2] as const) {
    let line: SearchColumnKey[] = [];
    let used = 0;
    for (const key of columns.filter((k) => COLUMN_LAYOUT[k].group === group)) {
      const need = COLUMN_LAYOUT[key].narrowPx;
      if (line.length > 0 && used + need > room) {
        lines.push(line);
        line = [];
        used = 0;
      }
      line.push(key);
      used += need;
    }
    if (line.length > 0) lines.push(line);
  }
  return lines;
}

export function columnTemplate(columns: readonly SearchColumnKey[], layout: 'wide' | 'narrow'): string {
  return columns.map((key) => (layout === 'wide' ? COLUMN_LAYOUT[key].wide : `minmax(${COLUMN_LAYOUT[key].narrowPx}px, ${COLUMN_LAYOUT[key].share}fr)`)).join(' ');
}
