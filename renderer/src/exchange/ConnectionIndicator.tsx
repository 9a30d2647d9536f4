// The header's word on the axis: connected or not, how many documents wait, and a bar while a
// pass sends or receives. A commune is often offline; the clerk should not have to open anything
// to know whether what was issued has left. A click opens the exchange view.
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { useI18n } from '../i18n/i18n.js';
import { useExchangeStatus } from './ExchangeStatusProvider.js';
import { passProgressLabel, progressPercent } from './progress.js';
import './exchange.css';

export function ConnectionIndicator({ onOpen }: { onOpen: () => void }) {
  const i18n = useI18n();
  const { t, count } = i18n;
  const status = useExchangeStatus();
  const connection = status?.connection ?? 'unknown';
  const label = t(`exchange.connection.${connection}`);
  const waiting = status?.queue.waiting ?? 0;
  const failed = status?.queue.failed ?? 0;
  const progress = status?.syncing ? status.progress : null;

  const tooltip = [
    status?.lastSyncAt ? t('exchange.indicator.lastSync', { time: formatDateTimeVn(status.lastSyncAt) }) : t('exchange.indicator.neverSynced'),
    status?.lastError ? t('exchange.indicator.lastError', { error: i18n.problemMessage(status.lastError) }) : null,
    t('exchange.indicator.open'),
  ]
    .filter(Boolean)
    .join('\n');

  return (
    <>
      <button
        type="button"
        className={`connection-indicator is-${connection}`}
        data-testid="connection-indicator"
        data-connection={connection}
        data-syncing={status?.syncing ? 'true' : 'false'}
        title={tooltip}
        onClick={onOpen}
      >
        <span className="connection-dot" aria-hidden="true" />
        <span className="connection-label" data-testid="connection-label">
          {label}
        </span>
        {progress ? (
          <span className="connection-count">{passProgressLabel(i18n, progress)}</span>
        ) : (
          <>
            {waiting > 0 && (
              <span className="connection-count" data-testid="connection-waiting">
                {t('exchange.indicator.waiting', { count: count(waiting) })}
              </span>
            )}
            {failed > 0 && <span className="connection-count is-failed">{t('exchange.indicator.failed', { count: count(failed) })}</span>}
          </>
        )}
        {status?.syncing && (
          // Indeterminate until the pass knows how much it has to do.
          <span className={progress && progress.total > 0 ? 'connection-progress' : 'connection-progress is-indeterminate'} aria-hidden="true">
            <span style={progress && progress.total > 0 ? { width: `${progressPercent(progress)}%` } : undefined} />
          </span>
        )}
      </button>
      {/* Said when the connection changes, not at every step of a pass. */}
      <span className="visually-hidden" role="status">
        {t('exchange.indicator.announce', { state: label })}
      </span>
    </>
  );
}
