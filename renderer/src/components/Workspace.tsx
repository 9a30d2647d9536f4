// The clerk's desk: registers, filters and tokens on the left, the list in the centre, the chosen
// document on the right. This component owns the state they share and nothing else.
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import type { Output } from '../../../main/common/contract.js';
import { useI18n, type Locale } from '../i18n/i18n.js';
import { fromApiFilters, hasNarrowingFilters, initialFilters, toApiFilters, withDirection, type Direction, type RegisterFilters } from '../documents/filters.js';
import type { ListRow } from '../documents/pageCache.js';
import { useDocumentPages } from '../documents/useDocumentPages.js';
import { useRegisterCounts } from '../documents/useRegisterCounts.js';
import { useRegistryRefresh } from '../documents/useRegistryRefresh.js';
import { useSearchQuery } from '../documents/useSearchQuery.js';
import { useListColumns } from '../search/listColumns.js';
import { INITIAL_SORTING, SearchTools, type Sorting } from '../search/SearchTools.js';
import type { SearchSpec } from '../../../main/common/contract.js';
import { useImport } from '../import/useImport.js';
import { useSigning, type SigningTarget } from '../signing/useSigning.js';
import { DocumentList, type CheckMode } from './DocumentList.js';
import { DocumentPane } from './DocumentPane.js';
import { DropZone, useStrayDropGuard } from './DropZone.js';
import { FilterPanel } from './FilterPanel.js';
import { queryTerms } from './Highlighted.js';
import { ImportProgress } from './ImportProgress.js';
import { ImportSummary } from './ImportSummary.js';
import { IMPORT_BUTTON_ID, ListToolbar } from './ListToolbar.js';
import { RegisterNav } from './RegisterNav.js';
import { Splitter, usePaneWidth } from './Splitter.js';
import { TokenPanel } from './TokenPanel.js';
import { NewDraftView } from '../outgoing/NewDraftView.js';
import { OutgoingBookView, RegisterBookView } from '../outgoing/OutgoingBookView.js';
import { OutgoingNav, type OutgoingView } from '../outgoing/OutgoingNav.js';
import { ExchangeNav } from '../exchange/ExchangeNav.js';
import { ExchangeView } from '../exchange/ExchangeView.js';
import { IncomingNav, type IncomingView as IncomingViewName } from '../incoming/IncomingNav.js';
import { IncomingView } from '../incoming/IncomingView.js';
import { Dashboard } from '../dashboard/Dashboard.js';
import { DashboardNav } from '../dashboard/DashboardNav.js';
import { SettingsNav } from '../settings/SettingsNav.js';
import { SettingsView } from '../settings/SettingsView.js';

const LIST_PANEL_ID = 'document-list-panel';

/** What covers everything but the sidebar: Liên thông văn bản, Cài đặt, or Cài đặt as the first-run setup. */
export type Cover = 'exchange' | 'settings' | 'setup' | null;

/** Sent by the skip link "Tới ô tìm kiếm"; Ctrl+K and "/" do the same from the keyboard. */
export const FOCUS_SEARCH_EVENT = 'eoffice:focus-search';

/** Typing in a field, "/" is a character: only elsewhere does it jump to the search box. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes((target as HTMLInputElement).type));
}

function signingTarget(row: ListRow): SigningTarget {
  return { id: row.id, label: row.notation || row.subject };
}

interface WorkspaceProps {
  info: Output<'app.info'>;
  agencyName: string;
  onAgencyNamed: (name: string) => void;
  /** Liên thông văn bản and Cài đặt cover everything but the sidebar; the header can open them too. */
  cover: Cover;
  onCover: (cover: Cover) => void;
  onLocaleChange: (locale: Locale) => void;
  sidebarCollapsed: boolean;
}

export function Workspace({ info, agencyName, onAgencyNamed, cover, onCover, onLocaleChange, sidebarCollapsed }: WorkspaceProps) {
  const covered = cover !== null;
  const closeCover = useCallback(() => onCover(null), [onCover]);
  const { t, count } = useI18n();
  const [filters, setFilters] = useState<RegisterFilters>(initialFilters);
  const search = useSearchQuery();
  const [sorting, setSorting] = useState<Sorting>(INITIAL_SORTING);
  const [columns, setColumns] = useListColumns();
  const { refreshToken, refresh } = useRegistryRefresh();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const pane = usePaneWidth();
  const signing = useSigning();
  const [checked, setChecked] = useState<ReadonlyMap<number, SigningTarget>>(new Map());
  const checkAnchor = useRef<number | null>(null);
  // Soạn văn bản đi and the register book take the place of the list and the pane, which stay
  // mounted underneath so that coming back finds the list as it was left.
  const [outgoingView, setOutgoingView] = useState<OutgoingView | null>(null);
  // Văn bản đến: the working list with its panel, or the incoming register book, in the same place.
  const [incomingView, setIncomingView] = useState<IncomingViewName | null>(null);
  const [incomingId, setIncomingId] = useState<number | null>(null);
  // Tổng quan is the start page. It stays mounted, hidden while any other view takes its place,
  // so that coming back finds the period and the open list as they were left.
  const [dashboardOpen, setDashboardOpen] = useState(true);

  const apiFilters = useMemo(() => ({ ...toApiFilters(filters), ...sorting }), [filters, sorting]);
  const searchSpec: SearchSpec = useMemo(() => ({ ...apiFilters, query: search.query }), [apiFilters, search.query]);
  // A saved search run again: its query, filters and order, and its columns when it was saved with them.
  const runSaved = useCallback(
    (saved: SearchSpec) => {
      search.setText(saved.query);
      setFilters((f) => fromApiFilters(saved, f));
      setSorting({ sort: saved.sort, order: saved.order });
      if (saved.columns) setColumns(saved.columns);
      setSelectedId(null);
      setChecked(new Map());
    },
    [search.setText, setColumns],
  );
  const cache = useDocumentPages(apiFilters, search.query, refreshToken);
  const terms = useMemo(() => queryTerms(search.query), [search.query]);
  const registers = useRegisterCounts(filters.year, refreshToken);

  const importer = useImport(info.maxImportBytes, (lastImported) => {
    refresh();
    if (lastImported) setSelectedId(lastImported.id);
  });

  useStrayDropGuard();

  const changeFilters = useCallback((patch: Partial<RegisterFilters>) => setFilters((f) => ({ ...f, ...patch })), []);
  const changeDirection = useCallback(
    (direction: Direction) => {
      setFilters((f) => withDirection(f, direction));
      setSelectedId(null);
      setChecked(new Map());
      setOutgoingView(null);
      setIncomingView(null);
      setDashboardOpen(false);
      closeCover();
    },
    [closeCover],
  );
  const showDocument = useCallback(
    (id: number, direction: Direction) => {
      setDashboardOpen(false);
      setOutgoingView(null);
      setIncomingView(null);
      closeCover();
      setFilters((f) => withDirection(f, direction));
      setSelectedId(id);
      setFocusRequest((n) => n + 1);
    },
    [closeCover],
  );
  const showOutgoing = useCallback((id: number) => showDocument(id, 'out'), [showDocument]);
  /** An incoming document opens in the incoming view's panel, where it is accepted and assigned. */
  const showIncoming = useCallback(
    (id: number) => {
      closeCover();
      setDashboardOpen(false);
      setOutgoingView(null);
      setFilters((f) => withDirection(f, 'in'));
      setIncomingId(id);
      setIncomingView('work');
    },
    [closeCover],
  );
  const openIncomingView = useCallback(
    (view: IncomingViewName) => {
      closeCover();
      setDashboardOpen(false);
      setOutgoingView(null);
      setIncomingView(view);
    },
    [closeCover],
  );
  const openOutgoingView = useCallback(
    (view: OutgoingView) => {
      closeCover();
      setDashboardOpen(false);
      setOutgoingView(view);
    },
    [closeCover],
  );
  const onCheck = useCallback(
    (row: ListRow, index: number, mode: CheckMode) => {
      const anchor = checkAnchor.current;
      setChecked((previous) => {
        const next = new Map(previous);
        if (mode === 'range' && anchor !== null) {
          // Only the rows already fetched: a range reaching into unloaded pages stops at them.
          for (let i = Math.min(anchor, index); i <= Math.max(anchor, index); i++) {
            const inRange = cache.row(i);
            if (inRange) next.set(inRange.id, signingTarget(inRange));
          }
        } else if (next.has(row.id)) {
          next.delete(row.id);
        } else {
          next.set(row.id, signingTarget(row));
        }
        return next;
      });
      checkAnchor.current = index;
    },
    [cache],
  );
  // Ctrl+K or "/" (and the skip link): the search box of the register on screen, from any view.
  const [searchFocus, setSearchFocus] = useState(0);
  const focusSearch = useCallback(() => {
    closeCover();
    setDashboardOpen(false);
    setOutgoingView(null);
    setIncomingView(null);
    setSearchFocus((n) => n + 1);
  }, [closeCover]);
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const ctrlK = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTypingTarget(event.target);
      // A dialog keeps its keys: the clerk finishes or closes it first.
      if ((!ctrlK && !slash) || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      focusSearch();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener(FOCUS_SEARCH_EVENT, focusSearch);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(FOCUS_SEARCH_EVENT, focusSearch);
    };
  }, [focusSearch]);
  const openDashboard = useCallback(() => {
    closeCover();
    setOutgoingView(null);
    setIncomingView(null);
    setDashboardOpen(true);
  }, [closeCover]);
  const openFromDashboard = useCallback(
    ({ id, direction }: { id: number; direction: Direction }) => (direction === 'in' ? showIncoming(id) : showOutgoing(id)),
    [showIncoming, showOutgoing],
  );
  const checkedTargets = useMemo(() => [...checked.values()], [checked]);
  const checkedIds = useMemo(() => new Set(checked.keys()), [checked]);
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
    // The exchange view covers the registry and outgoing views by CSS, leaving them mounted so that
    // a half-written draft or a scrolled list is found as it was left.
    <div
      className={['workspace', covered ? 'has-cover-view' : '', sidebarCollapsed ? 'is-sidebar-collapsed' : ''].filter(Boolean).join(' ')}
      style={{ '--pane-width': `${pane.width}px` } as CSSProperties}
    >
      <div id="sidebar" className={dashboardOpen && !covered ? 'sidebar is-overview' : 'sidebar'}>
        <DashboardNav current={dashboardOpen && !covered} onOpen={openDashboard} />
        <RegisterNav direction={filters.direction} counts={registers.counts} onChange={changeDirection} panelId={LIST_PANEL_ID} />
        {filters.direction === 'in' && <IncomingNav view={covered ? null : incomingView} onView={openIncomingView} />}
        {filters.direction === 'out' && <OutgoingNav view={covered ? null : outgoingView} onView={openOutgoingView} onAgencyNamed={onAgencyNamed} />}
        <ExchangeNav current={cover === 'exchange'} onOpen={() => onCover('exchange')} />
        <SettingsNav current={cover === 'settings' || cover === 'setup'} onOpen={() => onCover(agencyName ? 'settings' : 'setup')} />
        {/* The filters narrow the document list; the overview has its own period instead. */}
        {!(dashboardOpen && !covered) && (
          <FilterPanel
            filters={filters}
            years={registers.years}
            onChange={changeFilters}
            onClear={() => changeFilters({ typeCode: null, state: null, dateFrom: null, dateTo: null })}
          />
        )}
        <TokenPanel />
      </div>
      <Dashboard active={dashboardOpen && !covered} onOpenDocument={openFromDashboard} onOpenExchange={() => onCover('exchange')} />
      {cover === 'exchange' && <ExchangeView onOpenDocument={(id, direction) => (direction === 'in' ? showIncoming(id) : showDocument(id, direction))} onClose={closeCover} />}
      {(cover === 'settings' || cover === 'setup') && (
        <SettingsView key={cover} firstRun={cover === 'setup'} onAgencyNamed={onAgencyNamed} onLocaleChange={onLocaleChange} onOpenExchange={() => onCover('exchange')} onClose={closeCover} />
      )}
      {outgoingView === 'compose' && (
        <NewDraftView
          onCreated={(created) => {
            refresh();
            showOutgoing(created.document.id);
          }}
          onClose={() => setOutgoingView(null)}
          onAgencyNamed={onAgencyNamed}
        />
      )}
      {outgoingView === 'book' && <OutgoingBookView refreshToken={refreshToken} onOpen={showOutgoing} onClose={() => setOutgoingView(null)} />}
      {incomingView === 'work' && <IncomingView selectedId={incomingId} onSelect={setIncomingId} onClose={() => setIncomingView(null)} />}
      {incomingView === 'book' && <RegisterBookView direction="in" refreshToken={refreshToken} onOpen={showIncoming} onClose={() => setIncomingView(null)} />}
      <div className={outgoingView || incomingView || dashboardOpen ? 'registry-views is-hidden' : 'registry-views'}>
        <main className="list-area">
          <div id={LIST_PANEL_ID} className="list-panel" role="tabpanel" aria-labelledby={`tab-${filters.direction}`} tabIndex={-1}>
            <ListToolbar
              query={search.text}
              onQueryChange={search.setText}
              total={cache.total}
              capped={cache.capped}
              onImport={importFiles}
              focusRequest={searchFocus}
              tools={<SearchTools search={searchSpec} sorting={sorting} onSortingChange={setSorting} columns={columns} onColumnsChange={setColumns} onRunSaved={runSaved} />}
            />
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
            {checked.size > 0 && (
              <div className="selection-bar" data-testid="selection-bar">
                <span role="status">{t('list.checkedCount', { count: count(checked.size) })}</span>
                <span className="field-hint">{t('list.checkedHint')}</span>
                <span className="toolbar-gap" />
                <button
                  type="button"
                  className="button button-quiet button-small"
                  onClick={() => {
                    setChecked(new Map());
                    checkAnchor.current = null;
                  }}
                >
                  {t('list.uncheckAll')}
                </button>
              </div>
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
                checkedIds={checkedIds}
                onCheck={onCheck}
                columns={columns}
              />
            </DropZone>
          </div>
        </main>
        <Splitter width={pane.width} min={pane.min} max={pane.max} label={t('pane.resize')} onChange={pane.setWidth} />
        <DocumentPane
          documentId={selectedId}
          refreshToken={refreshToken}
          focusRequest={focusRequest}
          onSaved={refresh}
          checked={checkedTargets}
          signing={signing}
          agencyName={agencyName}
          onAgencyNamed={onAgencyNamed}
        />
      </div>
    </div>
  );
}
