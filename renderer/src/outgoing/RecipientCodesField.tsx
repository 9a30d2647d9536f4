// Mã định danh of the recipients on the document axis, as chips: typed one at a time (Enter,
// comma, space or leaving the field adds it), checked loosely as the contract does, removable by
// their × or by Backspace in the empty field.
import { useId, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { isAgencyCode } from './draftForm.js';

const MAX_CODES = 500;

export function RecipientCodesField({ codes, onChange, error }: { codes: readonly string[]; onChange: (codes: string[]) => void; error: string | null }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  /** Adds what is typed; returns whether the field may be left as it is. */
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
    const next = [...codes];
    for (const code of typed) if (!next.includes(code) && next.length < MAX_CODES) next.push(code);
    onChange(next);
    setText('');
    setProblem(null);
    return true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',' || event.key === ';' || event.key === ' ') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Backspace' && text === '' && codes.length > 0) {
      onChange(codes.slice(0, -1));
    }
  }

  const shown = problem ?? error;
  return (
    <div className="field">
      <label htmlFor={id}>{t('draft.recipientCodes')}</label>
      <div className={shown ? 'chip-input is-invalid' : 'chip-input'}>
        <ul className="chip-list" aria-label={t('draft.codes.listLabel')}>
          {codes.map((code) => (
            <li key={code} className="chip" data-testid="recipient-code">
              <span>{code}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={t('draft.codes.remove', { code })}
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
          }}
          onKeyDown={onKeyDown}
          onBlur={commit}
        />
      </div>
      <span id={`${id}-hint`} className={shown ? 'field-error' : 'field-hint'} role={shown ? 'alert' : undefined}>
        {shown ?? t('draft.codes.hint')}
      </span>
    </div>
  );
}
