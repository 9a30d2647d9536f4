// The sidebar's way to the exchange view, under the registers, with what waits to be sent (and
// what failed) counted on it: the same facts as the header's indicator, where the clerk navigates.
import { useI18n } from '../i18n/i18n.js';
import { useExchangeStatus } from './ExchangeStatusProvider.js';
import './exchange.css';

export function ExchangeNav({ current, onOpen }: { current: boolean; onOpen: () => void }) {
  const { t, count } = useI18n();
  const status = useExchangeStatus();
  const waiting = status?.queue.waiting ?? 0;
  const failed = status?.queue.failed ?? 0;
  return (
    <nav className="exchange-nav" aria-label={t('exchange.title')}>
      <button
        type="button"
        className={current ? 'exchange-nav-link is-current' : 'exchange-nav-link'}
        data-testid="open-exchange"
        aria-current={current ? 'page' : undefined}
        onClick={onOpen}
      >
        <span className={`connection-dot is-${status?.connection ?? 'unknown'}`} aria-hidden="true" />
        <span className="exchange-nav-label">{t('exchange.title')}</span>
        {failed > 0 && (
          <span className="exchange-nav-count is-failed" title={t('exchange.indicator.failed', { count: count(failed) })}>
            {count(failed)}
            <span className="visually-hidden">{t('exchange.indicator.failed', { count: count(failed) })}</span>
          </span>
        )}
        {waiting > 0 && (
          <span className="exchange-nav-count" title={t('exchange.indicator.waiting', { count: count(waiting) })}>
            {count(waiting)}
            <span className="visually-hidden">{t('exchange.indicator.waiting', { count: count(waiting) })}</span>
          </span>
        )}
      </button>
    </nav>
  );
}
