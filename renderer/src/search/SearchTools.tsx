// The list's search tools under the search box: the order of the results (Appendix VI 6g), the
// columns shown (6đ), the saved searches (6e) and the export (6h). The state they change lives
// in the workspace; these only ask for it.
import { useState } from 'react';
import type { SearchSort, SearchSpec, SortOrder } from '../../../main/common/contract.js';
import type { SearchColumnKey } from '../../../main/common/searchColumns.js';
import { useI18n } from '../i18n/i18n.js';
import { ColumnChooser } from './ColumnChooser.js';
import { ExportResults } from './ExportResults.js';
import { SavedSearches } from './SavedSearches.js';

export interface Sorting {
  sort: SearchSort;
  order: SortOrder;
}

export const INITIAL_SORTING: Sorting = { sort: 'relevance', order: 'desc' };

/** Each order's natural direction, taken when it is chosen: newest first, lowest số first, nearest deadline first. */
const NATURAL_ORDER: Record<SearchSort, SortOrder> = { relevance: 'desc', date: 'desc', number: 'asc', due: 'asc' };
const SORTS: readonly SearchSort[] = ['relevance', 'date', 'number', 'due'];

type Dialog = 'columns' | 'saved' | 'export' | null;

interface SearchToolsProps {
  /** The search on screen, as it is saved and exported. */
  search: SearchSpec;
  sorting: Sorting;
  onSortingChange: (sorting: Sorting) => void;
  columns: readonly SearchColumnKey[];
  onColumnsChange: (columns: SearchColumnKey[]) => void;
  onRunSaved: (search: SearchSpec) => void;
}

export function SearchTools({ search, sorting, onSortingChange, columns, onColumnsChange, onRunSaved }: SearchToolsProps) {
  const { t, count } = useI18n();
  const [dialog, setDialog] = useState<Dialog>(null);
  // How many of the results the last export wrote: all of them, or the first SEARCH_EXPORT_MAX_ROWS.
  const [exported, setExported] = useState('');
  const close = () => setDialog(null);
  const hasQuery = search.query.trim() !== '';
  return (
    <div className="search-tools" data-testid="search-tools">
      <label className="sort-field">
        {t('sort.label')}
        <select data-testid="sort-select" value={sorting.sort} onChange={(e) => onSortingChange({ sort: e.target.value as SearchSort, order: NATURAL_ORDER[e.target.value as SearchSort] })}>
          {SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {/* Without a query nothing is more relevant than anything else: the list's own order, newest first. */}
              {sort === 'relevance' && !hasQuery ? t('sort.newest') : t(`sort.${sort}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button button-small"
        data-testid="sort-order"
        data-order={sorting.order}
        title={t('sort.orderHint')}
        onClick={() => onSortingChange({ ...sorting, order: sorting.order === 'asc' ? 'desc' : 'asc' })}
      >
        <span aria-hidden="true">{sorting.order === 'asc' ? '↑ ' : '↓ '}</span>
        {t(`sort.${sorting.order}`)}
      </button>
      <button type="button" className="button button-small" data-testid="columns-button" onClick={() => setDialog('columns')}>
        {t('columns.button')}
      </button>
      <button type="button" className="button button-small" data-testid="saved-button" onClick={() => setDialog('saved')}>
        {t('saved.button')}
      </button>
      <button type="button" className="button button-small" data-testid="export-button" onClick={() => setDialog('export')}>
        {t('export.button')}
      </button>
      {dialog === 'columns' && <ColumnChooser columns={columns} onChange={onColumnsChange} onClose={close} />}
      {dialog === 'saved' && <SavedSearches current={{ ...search, columns: [...columns] }} onRun={onRunSaved} onClose={close} />}
      {dialog === 'export' && (
        <ExportResults search={search} columns={columns} onClose={close} onExported={({ rows, total }) => setExported(t('export.done', { rows: count(rows), total: count(total) }))} />
      )}
      <span className="field-hint" role="status" data-testid="export-notice">
        {exported}
      </span>
    </div>
  );
}
