// Tìm kiếm đã lưu (Decree 30, Appendix VI 6e): a search — its query, filters, order and columns —
// kept under a name the clerk gives, in the registry's database so that it outlives a restart
// and is the same in the app and on the command line.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { SavedSearch, SearchSpec } from '../../common/contract.js';
import { AppError } from '../../common/errors.js';
import { toVnIso } from '../../common/dates.js';

interface SavedSearchRow {
  id: number;
  name: string;
  search: string;
  saved_at: string;
}

function toSavedSearch(row: SavedSearchRow): SavedSearch {
  // Read through the contract's schema: a search saved by an older version gets today's defaults.
  return { id: row.id, name: row.name, search: SearchSpec.parse(JSON.parse(row.search)), savedAt: row.saved_at };
}

/** By name, as a clerk looks for one (Vietnamese collation is the renderer's; here, code points of NFC). */
export function listSavedSearches(db: Database): SavedSearch[] {
  return (prepared(db, 'SELECT id, name, search, saved_at FROM saved_searches ORDER BY name').all() as SavedSearchRow[]).map(toSavedSearch);
}

export function getSavedSearch(db: Database, name: string): SavedSearch {
  const row = prepared(db, 'SELECT id, name, search, saved_at FROM saved_searches WHERE name = ?').get(name.trim().normalize('NFC')) as SavedSearchRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No search is saved as "${name}".`, { name });
  return toSavedSearch(row);
}

/** Saves `search` as `name`; a search already saved under that name is replaced. */
export function saveSearch(db: Database, name: string, search: SearchSpec): SavedSearch {
  const clean = name.trim().normalize('NFC');
  if (!clean) throw new AppError('INVALID_INPUT', 'A saved search needs a name.', { field: 'name' });
  prepared(
    db,
    `INSERT INTO saved_searches (name, search, saved_at) VALUES (@name, @search, @now)
       ON CONFLICT (name) DO UPDATE SET search = excluded.search, saved_at = excluded.saved_at`,
  ).run({ name: clean, search: JSON.stringify(SearchSpec.parse(search)), now: toVnIso() });
  return getSavedSearch(db, clean);
}

export function removeSavedSearch(db: Database, name: string): { removed: true } {
  const removed = prepared(db, 'DELETE FROM saved_searches WHERE name = ?').run(name.trim().normalize('NFC'));
  if (removed.changes === 0) throw new AppError('NOT_FOUND', `No search is saved as "${name}".`, { name });
  return { removed: true };
}
