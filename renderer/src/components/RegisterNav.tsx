import type { KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { Direction } from '../documents/filters.js';

const DIRECTIONS: readonly Direction[] = ['in', 'out'];

/** Sổ văn bản đến / đi as vertical tabs; the tab panel is the document list. */
export function RegisterNav({
  direction,
  counts,
  onChange,
  panelId,
}: {
  direction: Direction;
  counts: Record<Direction, number | null>;
  onChange: (direction: Direction) => void;
  panelId: string;
}) {
  const { t, count } = useI18n();

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!['ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const next: Direction = event.key === 'Home' ? 'in' : event.key === 'End' ? 'out' : direction === 'in' ? 'out' : 'in';
    onChange(next);
    document.getElementById(`tab-${next}`)?.focus();
  }

  return (
    <div className="register-nav" role="tablist" aria-label={t('register.nav')} aria-orientation="vertical" onKeyDown={onKeyDown}>
      {DIRECTIONS.map((d) => {
        const selected = d === direction;
        const n = counts[d];
        return (
          <button
            key={d}
            id={`tab-${d}`}
            type="button"
            role="tab"
            data-testid={`tab-${d}`}
            aria-selected={selected}
            aria-controls={panelId}
            tabIndex={selected ? 0 : -1}
            className="register-tab"
            onClick={() => onChange(d)}
          >
            <span className={`register-icon register-icon-${d}`} aria-hidden="true" />
            <span className="register-label">{t(`register.${d}`)}</span>
            {n !== null && (
              <>
                <span className="register-count" aria-hidden="true">
                  {count(n)}
                </span>
                <span className="visually-hidden">{t('register.countLabel', { count: count(n) })}</span>
              </>
            )}
          </button>
        );
      })}
    </div>
  );
}
