import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { ResultCount } from './ResultCount.js';

/** Where focus returns when the import summary it led to is closed. */
export const IMPORT_BUTTON_ID = 'import-button';

export function ListToolbar({
  query,
  onQueryChange,
  total,
  capped,
  onImport,
  focusRequest,
  tools,
}: {
  query: string;
  onQueryChange: (query: string) => void;
  total: number | null;
  capped: boolean;
  onImport: (files: File[]) => void;
  /** Changes when the clerk asks for the search box (Ctrl+K, "/", the skip link). */
  focusRequest: number;
  /** The order, columns, saved searches and export (search/SearchTools.tsx), on a line of their own. */
  tools?: ReactNode;
}) {
  const { t } = useI18n();
  const fileInput = useRef<HTMLInputElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusRequest === 0) return;
    searchInput.current?.focus();
    searchInput.current?.select();
  }, [focusRequest]);
  return (
    <div className="list-toolbar">
      <div className="search-box">
        <span className="search-icon" aria-hidden="true" />
        <input
          ref={searchInput}
          id="search"
          type="search"
          data-testid="search-input"
          aria-label={t('search.label')}
          aria-keyshortcuts="Control+K /"
          placeholder={t('search.placeholder')}
          title={t('search.shortcut')}
          value={query}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => onQueryChange(e.target.value)}
        />
      </div>
      <ResultCount total={total} capped={capped} />
      <button type="button" id={IMPORT_BUTTON_ID} className="button button-primary" onClick={() => fileInput.current?.click()}>
        <span className="icon-plus" aria-hidden="true" />
        {t('import.button')}
      </button>
      <input
        ref={fileInput}
        type="file"
        multiple
        accept="application/pdf,.pdf"
        data-testid="import-input"
        className="visually-hidden"
        tabIndex={-1}
        aria-label={t('import.inputLabel')}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          // Cleared so that choosing the same file again still fires a change.
          e.target.value = '';
          onImport(files);
        }}
      />
      {tools}
    </div>
  );
}
