// Cột hiển thị (Appendix VI 6đ): which fields the results list shows; the same columns go into
// an exported file. At least one: a list of no columns would show nothing to click.
import { useId, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_SEARCH_COLUMNS, SEARCH_COLUMN_KEYS, type SearchColumnKey } from '../../../main/common/searchColumns.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { useI18n } from '../i18n/i18n.js';
import { COLUMN_LAYOUT } from './listColumns.js';

export function ColumnChooser({ columns, onChange, onClose }: { columns: readonly SearchColumnKey[]; onChange: (columns: SearchColumnKey[]) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const first = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<ReadonlySet<SearchColumnKey>>(new Set(columns));
  const request = useModalRequest(onClose);
  const none = chosen.size === 0;

  function toggle(key: SearchColumnKey, on: boolean) {
    setChosen((previous) => {
      const next = new Set(previous);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (none) return;
    onChange(SEARCH_COLUMN_KEYS.filter((key) => chosen.has(key)));
    onClose();
  }

  return (
    <ModalDialog
      className="column-chooser"
      testId="column-chooser"
      title={t('columns.title')}
      lead={t('columns.lead')}
      request={request}
      onSubmit={submit}
      initialFocus={first}
      submit={{ label: t('columns.apply'), testId: 'columns-apply', disabled: none }}
      extraActions={
        <button type="button" className="button button-quiet" data-testid="columns-reset" onClick={() => setChosen(new Set(DEFAULT_SEARCH_COLUMNS))}>
          {t('columns.reset')}
        </button>
      }
    >
      <ul className="column-choices" aria-describedby={none ? `${id}-none` : undefined}>
        {SEARCH_COLUMN_KEYS.map((key, i) => (
          <li key={key}>
            <label>
              <input ref={i === 0 ? first : undefined} type="checkbox" data-testid={`column-choice-${key}`} checked={chosen.has(key)} onChange={(e) => toggle(key, e.target.checked)} />
              {t(COLUMN_LAYOUT[key].label)}
            </label>
          </li>
        ))}
      </ul>
      {none && (
        <p id={`${id}-none`} className="field-error" role="alert">
          {t('columns.needOne')}
        </p>
      )}
    </ModalDialog>
  );
}
