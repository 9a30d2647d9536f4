import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

/**
 * "1.234 văn bản", or "10.000+ văn bản" when the search stopped counting. While a new count
 * is on its way the last one stays, dimmed, rather than the text jumping on every keystroke.
 */
export function ResultCount({ total, capped }: { total: number | null; capped: boolean }) {
  const { t, count } = useI18n();
  const [shown, setShown] = useState<{ total: number; capped: boolean } | null>(null);
  if (total !== null && (shown?.total !== total || shown.capped !== capped)) setShown({ total, capped });
  return (
    <span
      className={total === null ? 'result-count is-stale' : 'result-count'}
      data-testid="result-count"
      data-count={total ?? undefined}
      aria-live="polite"
      aria-busy={total === null}
    >
      {shown === null ? t('list.counting') : t(shown.capped ? 'list.countCapped' : 'list.count', { count: count(shown.total) })}
    </span>
  );
}
