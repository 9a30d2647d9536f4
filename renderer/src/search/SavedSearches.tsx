// Tìm kiếm đã lưu (Appendix VI 6e): the search on screen (query, filters, order, columns) saved by
// name in the register's database (searches.*), and the list of those saved, to run one again or
// delete it. Saving under a name already used replaces that search, as the host does.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SavedSearch, SearchSpec } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { useI18n } from '../i18n/i18n.js';

export function SavedSearches({ current, onRun, onClose }: { current: SearchSpec; onRun: (search: SearchSpec) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const nameField = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<SavedSearch[] | null>(null);
  const request = useModalRequest(onClose);
  const { busy, setFailure } = request;

  useEffect(() => {
    let cancelled = false;
    call('searches.list', {}).then(
      (list) => !cancelled && setSaved(list),
      (error: unknown) => !cancelled && setFailure(error),
    );
    return () => {
      cancelled = true;
    };
  }, [setFailure]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      nameField.current?.focus();
      return;
    }
    await request.run(() => call('searches.save', { name: name.trim(), search: current }));
  }

  async function remove(search: SavedSearch) {
    setFailure(null);
    try {
      await call('searches.remove', { name: search.name });
      setSaved((list) => list?.filter((s) => s.id !== search.id) ?? null);
    } catch (error) {
      setFailure(error);
    }
  }

  return (
    <ModalDialog
      className="saved-searches"
      testId="saved-searches"
      title={t('saved.title')}
      lead={t('saved.lead')}
      request={request}
      onSubmit={submit}
      initialFocus={nameField}
      submit={{ label: t('saved.save'), testId: 'saved-save', disabled: busy || !name.trim() }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('saved.name')}</label>
        <input ref={nameField} id={`${id}-name`} data-testid="saved-name" maxLength={100} value={name} disabled={busy} autoComplete="off" onChange={(e) => setName(e.target.value)} />
      </div>
      <h3 className="section-title">{t('saved.listTitle')}</h3>
      {saved !== null && saved.length === 0 && <p className="field-hint">{t('saved.empty')}</p>}
      {saved !== null && saved.length > 0 && (
        <ul className="saved-search-list" data-testid="saved-list">
          {saved.map((search) => (
            <li key={search.id} data-testid="saved-item" data-name={search.name}>
              <span className="saved-search-name">{search.name}</span>
              <span className="saved-search-query">{search.search.query || t('saved.noQuery')}</span>
              <button
                type="button"
                className="button button-small"
                data-testid="saved-run"
                aria-label={t('saved.runLabel', { name: search.name })}
                disabled={busy}
                onClick={() => {
                  onRun(search.search);
                  onClose();
                }}
              >
                {t('saved.run')}
              </button>
              <button type="button" className="button button-quiet button-small" data-testid="saved-remove" aria-label={t('saved.removeLabel', { name: search.name })} disabled={busy} onClick={() => void remove(search)}>
                {t('saved.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </ModalDialog>
  );
}
