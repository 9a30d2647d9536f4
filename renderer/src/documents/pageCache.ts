// The list's window onto a register that may hold 250,000 documents: the total comes with the
// first page, and pages of 100 rows are fetched only as they scroll into view. One cache serves
// one (filters and order, query) pair; a new pair gets a new cache, and a refresh gets a new cache that
// keeps showing the old rows until their fresh pages arrive, so the list does not flash.
import type { DocumentFilters, SearchHit, SearchSort, SortOrder } from '../../../main/common/contract.js';
import { call } from '../api/client.js';

const PAGE_SIZE = 100;
/** Enough pages for several screens either way; older ones are dropped so memory stays flat. */
const MAX_CACHED_PAGES = 40;
/** Dragging the scrollbar across thousands of rows should not request every page on the way. */
const THROTTLE_MS = 40;

export type ListRow = SearchHit;

/** The filters and the order the rows come in (Appendix VI 6g): both go to the host with every page. */
export type ListQuery = DocumentFilters & { sort: SearchSort; order: SortOrder };

export function cacheKey(filters: ListQuery, query: string): string {
  return JSON.stringify([filters, query.trim()]);
}

export class DocumentPageCache {
  readonly key: string;
  total: number | null = null;
  capped = false;
  error: unknown = null;
  private readonly pages = new Map<number, ListRow[]>();
  private readonly previous: Map<number, ListRow[]>;
  private readonly inflight = new Set<number>();
  private readonly failed = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private version = 0;
  private wanted: [number, number] | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly filters: ListQuery,
    private readonly query: string,
    refreshing?: DocumentPageCache,
  ) {
    this.key = cacheKey(filters, query);
    this.previous = new Map();
    if (refreshing) {
      // Refreshes can follow each other before any page reloads: carry the freshest rows, bounded.
      this.previous = new Map(refreshing.pages);
      for (const [page, rows] of refreshing.previous) {
        if (this.previous.size >= MAX_CACHED_PAGES) break;
        if (!this.previous.has(page)) this.previous.set(page, rows);
      }
      this.total = refreshing.total;
      this.capped = refreshing.capped;
    }
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
    };
  };

  readonly getVersion = (): number => this.version;

  row(index: number): ListRow | undefined {
    const page = Math.floor(index / PAGE_SIZE);
    const offset = index % PAGE_SIZE;
    return (this.pages.get(page) ?? this.previous.get(page))?.[offset];
  }

  /** The row index of a document among the cached pages, or -1. */
  indexOf(id: number): number {
    for (const source of [this.pages, this.previous]) {
      for (const [page, rows] of source) {
        const at = rows.findIndex((r) => r.id === id);
        if (at >= 0) return page * PAGE_SIZE + at;
      }
    }
    return -1;
  }

  /** Asks for the rows first..last; pages not yet cached load shortly, the latest request winning. */
  request(first: number, last: number): void {
    this.wanted = [first, last];
    if (this.pages.size === 0 && this.inflight.size === 0) return this.flush(); // the first page: no wait
    this.timer ??= setTimeout(() => this.flush(), THROTTLE_MS);
  }

  private flush(): void {
    this.timer = null;
    if (!this.wanted) return;
    const [first, last] = this.wanted;
    const lastPage = this.total === null ? 0 : Math.max(0, Math.ceil(this.total / PAGE_SIZE) - 1);
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.min(lastPage, Math.floor(last / PAGE_SIZE)); page++) {
      if (!this.pages.has(page) && !this.inflight.has(page) && !this.failed.has(page)) void this.load(page);
    }
  }

  private async load(page: number): Promise<void> {
    this.inflight.add(page);
    const range = { ...this.filters, offset: page * PAGE_SIZE, limit: PAGE_SIZE };
    const query = this.query.trim();
    try {
      const result = query
        ? await call('documents.search', { ...range, query })
        : await call('documents.list', range).then((r) => ({ total: r.total, capped: false, items: r.items.map((d) => ({ ...d, snippet: null })) }));
      this.pages.set(page, result.items);
      this.previous.delete(page);
      this.total = result.total;
      this.capped = result.capped;
      this.error = null;
      this.evictAround(page);
    } catch (error) {
      this.failed.add(page);
      this.error = error;
    } finally {
      this.inflight.delete(page);
      this.notify();
    }
  }

  private evictAround(page: number): void {
    if (this.pages.size <= MAX_CACHED_PAGES) return;
    const farthest = [...this.pages.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
    for (const p of farthest.slice(0, this.pages.size - MAX_CACHED_PAGES)) this.pages.delete(p);
  }

  private notify(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}
