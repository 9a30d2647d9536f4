// Nơi nhận trên trục: the recipients' mã định danh, as chips. A clerk does not know the codes by
// heart: typing part of an agency's name — with or without accents — lists the matching agencies
// of the axis's directory (exchange.agencies, kept offline in the registry), and one is picked
// with the arrows and Enter, or the mouse. A code can still be typed as it is (Enter, comma or
// leaving the field adds it), checked loosely as the contract does; a chip goes by its × or by
// Backspace in the empty field.
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { foldVietnamese } from '../../../main/common/fold.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { isAgencyCode } from './draftForm.js';

const MAX_CODES = 500;
const MAX_SUGGESTIONS = 8;

interface DirectoryEntry {
  code: string;
  name: string;
  folded: string;
}

/** A code has a digit or a dot (000.00.32.H10, H37.DN.001); a word such as "UBND" is the start of a name. */
function looksLikeCode(text: string): boolean {
  return isAgencyCode(text) && /[\d.]/.test(text);
}

/** The directory's agencies matching what is typed: by folded name (a word's start first), or by code. */
function matching(directory: readonly DirectoryEntry[], text: string, chosen: readonly string[]): DirectoryEntry[] {
  const query = foldVietnamese(text.trim()).replace(/\s+/g, ' ');
  if (!query) return [];
  const codeQuery = text.trim().toLowerCase();
  const scored: { entry: DirectoryEntry; rank: number }[] = [];
  for (const entry of directory) {
    if (chosen.includes(entry.code)) continue;
    const at = entry.folded.indexOf(query);
    const rank = entry.code.toLowerCase().startsWith(codeQuery) ? 0 : at === 0 ? 1 : at > 0 && entry.folded[at - 1] === ' ' ? 2 : at > 0 ? 3 : -1;
    if (rank >= 0) scored.push({ entry, rank });
  }
  return scored
    .sort((a, b) => a.rank - b.rank || a.entry.folded.localeCompare(b.entry.folded))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.entry);
}

export function RecipientCodesField({ codes, onChange, error }: { codes: readonly string[]; onChange: (codes: string[]) => void; error: string | null }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [directory, setDirectory] = useState<DirectoryEntry[] | null>(null);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let cancelled = false;
    call('exchange.agencies', {}).then(
      (agencies) => !cancelled && setDirectory(agencies.map((a) => ({ ...a, folded: foldVietnamese(a.name).replace(/\s+/g, ' ') }))),
      // Without the directory the field still takes typed codes.
      () => !cancelled && setDirectory([]),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const names = useMemo(() => new Map((directory ?? []).map((a) => [a.code, a.name])), [directory]);
  const suggestions = useMemo(() => (open ? matching(directory ?? [], text, codes) : []), [directory, text, codes, open]);
  const listId = `${id}-agencies`;
  const activeIndex = Math.min(active, suggestions.length - 1);

  function add(next: readonly string[]) {
    const merged = [...codes];
    for (const code of next) if (!merged.includes(code) && merged.length < MAX_CODES) merged.push(code);
    onChange(merged);
    setText('');
    setProblem(null);
    setActive(0);
  }

  /** Adds what is typed as codes; returns whether the field may be left as it is. */
  function commit(): boolean {
    const typed = text
      .split(/[\s,;]+/)
      .map((code) => code.trim())
      .filter(Boolean);
    if (typed.length === 0) return true;
    const wrong = typed.find((code) => !isAgencyCode(code));
    if (wrong) {
      setProblem(t('draft.codes.invalid', { code: wrong }));
      return false;
    }
    add(typed);
    return true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && suggestions.length > 0) {
      event.preventDefault();
      setActive((activeIndex + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
    } else if (event.key === 'Escape' && suggestions.length > 0) {
      event.preventDefault();
      setOpen(false);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      // The agency shown first (or chosen with the arrows), unless a code is typed whole.
      const picked = suggestions[activeIndex];
      if (picked && !(looksLikeCode(text.trim()) && picked.code !== text.trim())) add([picked.code]);
      else commit();
    } else if (event.key === ',' || event.key === ';' || (event.key === ' ' && looksLikeCode(text.trim()))) {
      // A space ends a code, but is part of a name ("UBND huyện …").
      event.preventDefault();
      commit();
    } else if (event.key === 'Backspace' && text === '' && codes.length > 0) {
      onChange(codes.slice(0, -1));
    }
  }

  const shown = problem ?? error;
  const hint = directory !== null && directory.length === 0 ? t('draft.codes.hintNoDirectory') : t('draft.codes.hint');
  return (
    <div className="field recipient-codes">
      <label htmlFor={id}>{t('draft.recipientCodes')}</label>
      <div className={shown ? 'chip-input is-invalid' : 'chip-input'}>
        <ul className="chip-list" aria-label={t('draft.codes.listLabel')}>
          {codes.map((code) => (
            <li key={code} className="chip" data-testid="recipient-code" data-code={code} title={names.get(code) ? `${names.get(code)} (${code})` : code}>
              {names.get(code) ? (
                <span>
                  {names.get(code)} <span className="chip-code">{code}</span>
                </span>
              ) : (
                <span>{code}</span>
              )}
              <button
                type="button"
                className="chip-remove"
                aria-label={t('draft.codes.remove', { code: names.get(code) ?? code })}
                onClick={() => onChange(codes.filter((c) => c !== code))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          id={id}
          data-testid="recipient-code-input"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={suggestions.length > 0}
          aria-controls={listId}
          aria-activedescendant={suggestions.length > 0 ? `${listId}-${activeIndex}` : undefined}
          value={text}
          placeholder={codes.length === 0 ? t('draft.codes.placeholder') : ''}
          autoComplete="off"
          spellCheck={false}
          maxLength={400}
          aria-invalid={shown ? true : undefined}
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            setText(e.target.value);
            setProblem(null);
            setActive(0);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setOpen(false);
            // A name half typed is not a code: it stays in the field rather than being refused.
            if (looksLikeCode(text.trim()) || text.trim() === '' || /[,;]/.test(text)) commit();
          }}
        />
      </div>
      {suggestions.length > 0 && (
        <ul className="agency-suggestions" id={listId} role="listbox" aria-label={t('draft.codes.suggestions')} data-testid="agency-suggestions">
          {suggestions.map((agency, index) => (
            <li
              key={agency.code}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === activeIndex}
              className={index === activeIndex ? 'agency-suggestion is-active' : 'agency-suggestion'}
              data-testid="agency-suggestion"
              data-code={agency.code}
              // Keeps the focus in the field, so the list does not close before the click lands.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => add([agency.code])}
            >
              <span className="agency-suggestion-name">{agency.name}</span>
              <span className="chip-code">{agency.code}</span>
            </li>
          ))}
        </ul>
      )}
      <span id={`${id}-hint`} className={shown ? 'field-error' : 'field-hint'} role={shown ? 'alert' : undefined}>
        {shown ?? hint}
      </span>
    </div>
  );
}
