// The clerk's desk: registers and filters on the left, the list in the centre, the chosen
// document on the right. This component owns the state they share and nothing else.
import { useCallback, useMemo, useState, type CSSProperties } from 'react';
import type { Output } from '../../../main/common/contract.js';
import { useI18n } from '../i18n/i18n.js';
import { hasNarrowingFilters, initialFilters, toApiFilters, type Direction, type RegisterFilters } from '../documents/filters.js';
import type { ListRow } from '../documents/pageCache.js';
import { useDocumentPages } from '../documents/useDocumentPages.js';
import { useRegisterCounts } from '../documents/useRegisterCounts.js';
import { useRegistryRefresh } from '../documents/useRegistryRefresh.js';
import { useSearchQuery } from '../documents/useSearchQuery.js';
import { useImport } from '../import/useImport.js';
import { DocumentList } from './DocumentList.js';
import { DocumentPane } from './DocumentPane.js';
import { DropZone, useStrayDropGuard } from './DropZone.js';
import { FilterPanel } from './FilterPanel.js';
import { queryTerms } from './Highlighted.js';
import { ImportProgress } from './ImportProgress.js';
import { ImportSummary } from './ImportSummary.js';
import { IMPORT_BUTTON_ID, ListToolbar } from './ListToolbar.js';
import { RegisterNav } from './RegisterNav.js';
import { Splitter, usePaneWidth } from './Splitter.js';

const LIST_PANEL_ID = 'document-list-panel';

export function Workspace({ info }: { info: Output<'app.info'> }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<RegisterFilters>(initialFilters);
  const search = useSearchQuery();
  const { refreshToken, refresh } = useRegistryRefresh();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const pane = usePaneWidth();

  const apiFilters = useMemo(() => toApiFilters(filters), [filters]);
  const cache = useDocumentPages(apiFilters, search.query, refreshToken);
  const terms = useMemo(() => queryTerms(search.query), [search.query]);
  const registers = useRegisterCounts(filters.year, refreshToken);

  const importer = useImport(info.maxImportBytes, (lastImported) => {
    refresh();
    if (lastImported) setSelectedId(lastImported.id);
  });

  useStrayDropGuard();

  const changeFilters = useCallback((patch: Partial<RegisterFilters>) => setFilters((f) => ({ ...f, ...patch })), []);
  const changeDirection = useCallback((direction: Direction) => {
    setFilters((f) => (f.direction === direction ? f : { ...f, direction }));
    setSelectedId(null);
  }, []);
  const onSelect = useCallback((row: ListRow) => setSelectedId(row.id), []);
  const onOpen = useCallback((row: ListRow) => {
    setSelectedId(row.id);
    setFocusRequest((n) => n + 1);
  }, []);
  const importFiles = (files: File[]) => importer.importFiles(files, filters.direction);

  const emptyMessage = search.query
    ? t('list.noMatch', { query: search.query })
    : hasNarrowingFilters(filters)
      ? t('list.emptyFiltered')
      : t('list.empty');

  return (
    <div className="workspace" style={{ '--pane-width': `${pane.width}px` } as CSSProperties}>
      <div className="sidebar">
        <RegisterNav direction={filters.direction} counts={registers.counts} onChange={changeDirection} panelId={LIST_PANEL_ID} />
        <FilterPanel
          filters={filters}
          years={registers.years}
          onChange={changeFilters}
          onClear={() => changeFilters({ typeCode: null, state: null, dateFrom: null, dateTo: null })}
        />
      </div>
      <main className="list-area">
        <div id={LIST_PANEL_ID} className="list-panel" role="tabpanel" aria-labelledby={`tab-${filters.direction}`} tabIndex={-1}>
          <ListToolbar query={search.text} onQueryChange={search.setText} total={cache.total} capped={cache.capped} onImport={importFiles} />
          {importer.state.running && <ImportProgress state={importer.state} />}
          {!importer.state.running && importer.state.outcomes.length > 0 && (
            <ImportSummary
              outcomes={importer.state.outcomes}
              onOpen={setSelectedId}
              onDismiss={() => {
                importer.dismiss();
                document.getElementById(IMPORT_BUTTON_ID)?.focus();
              }}
            />
          )}
          <DropZone label={t(`import.drop.${filters.direction}`)} onFiles={importFiles}>
            <DocumentList
              cache={cache}
              label={t(`list.label.${filters.direction}`)}
              terms={terms}
              selectedId={selectedId}
              emptyMessage={emptyMessage}
              onSelect={onSelect}
              onOpen={onOpen}
            />
          </DropZone>
        </div>
      </main>
      <Splitter width={pane.width} min={pane.min} max={pane.max} label={t('pane.resize')} onChange={pane.setWidth} />
      <DocumentPane documentId={selectedId} refreshToken={refreshToken} focusRequest={focusRequest} onSaved={refresh} />
    </div>
  );
}
