import { useState, useSyncExternalStore } from 'react';
import { cacheKey, DocumentPageCache, type ListQuery } from './pageCache.js';

/**
 * The page cache for the current filters, order and query. `refreshToken` changes when the registry
 * changed underneath (an import, an edit, a documents.changed event): the rows are fetched again
 * while the old ones stay on screen.
 */
export function useDocumentPages(filters: ListQuery, query: string, refreshToken: number): DocumentPageCache {
  const [state, setState] = useState(() => ({ cache: new DocumentPageCache(filters, query), refreshToken }));
  let cache = state.cache;
  if (cache.key !== cacheKey(filters, query) || state.refreshToken !== refreshToken) {
    // Replacing the cache while rendering (not in an effect) means no frame ever shows rows of the old query.
    cache = new DocumentPageCache(filters, query, cache.key === cacheKey(filters, query) ? cache : undefined);
    setState({ cache, refreshToken });
  }
  useSyncExternalStore(cache.subscribe, cache.getVersion);
  return cache;
}
