import { useEffect, useRef, useState } from 'react';
import { formatDateVn, isCalendarDate } from '../../../main/common/dates.js';
import { useI18n } from '../i18n/i18n.js';

/** dd/MM/yyyy as typed by a clerk (d/M/yyyy and dots or dashes are forgiven) → yyyy-MM-dd. */
function parseVnDate(text: string): string | null | undefined {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isCalendarDate(y, mo, d)) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A date typed as dd/mm/yyyy, whatever locale the browser's own date picker would impose.
 * Only valid dates reach `onChange`; an invalid one marks the input invalid, which also stops
 * the enclosing form from submitting.
 */
export function DateField({ id, label, value, onChange, disabled = false }: { id: string; label: string; value: string | null; onChange: (value: string | null) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => formatDateVn(value));
  const input = useRef<HTMLInputElement>(null);
  const parsed = parseVnDate(text);
  const invalid = parsed === undefined;
  // Half-typed dates are invalid too; the message waits until the clerk leaves the field.
  const [editing, setEditing] = useState(false);
  const showError = invalid && !editing;

  // A value set from outside (filters cleared, form reset) replaces what is typed.
  useEffect(() => {
    setText((current) => (parseVnDate(current) === value ? current : formatDateVn(value)));
  }, [value]);

  useEffect(() => {
    input.current?.setCustomValidity(invalid ? t('date.invalid') : '');
  }, [invalid, t]);

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={input}
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('date.placeholder')}
        value={text}
        disabled={disabled}
        aria-invalid={showError || undefined}
        aria-describedby={showError ? `${id}-error` : undefined}
        onFocus={() => setEditing(true)}
        onBlur={() => setEditing(false)}
        onChange={(event) => {
          setText(event.target.value);
          const next = parseVnDate(event.target.value);
          if (next !== undefined && next !== value) onChange(next);
        }}
      />
      {showError && (
        <span id={`${id}-error`} className="field-error">
          {t('date.invalid')}
        </span>
      )}
    </div>
  );
}
