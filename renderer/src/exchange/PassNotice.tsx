// What the last "Gửi ngay" or "Thử lại" did, for a moment: sent, received, errors. A clean pass
// fades by itself; one with errors stays until dismissed, so it is read.
import { useEffect } from 'react';
import type { SyncPassResult } from '../../../main/common/contract.js';
import { useI18n } from '../i18n/i18n.js';

export type PassOutcome = { ok: true; result: SyncPassResult } | { ok: false; error: unknown };

const CLEAN_PASS_SHOWN_MS = 10_000;

function errorsOf(result: SyncPassResult): number {
  return result.failed + result.retrying + result.refused;
}

export function PassNotice({ outcome, onDismiss }: { outcome: PassOutcome; onDismiss: () => void }) {
  const { t, count, errorMessage, problemMessage } = useI18n();
  const clean = outcome.ok && errorsOf(outcome.result) === 0 && !outcome.result.error;

  useEffect(() => {
    if (!clean) return;
    const timer = setTimeout(onDismiss, CLEAN_PASS_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [clean, onDismiss]);

  return (
    <div className={clean ? 'pass-notice' : 'pass-notice has-errors'} role={clean ? 'status' : 'alert'} data-testid="pass-notice">
      <div className="pass-notice-text">
        {outcome.ok ? (
          <>
            <span data-testid="pass-summary">
              {t('exchange.pass.summary', {
                sent: count(outcome.result.sent),
                received: count(outcome.result.received + outcome.result.statuses),
                errors: count(errorsOf(outcome.result)),
              })}
            </span>
            {/* Stored all the same; each document's pane names what it may duplicate (Appendix VI 1h). */}
            {outcome.result.possibleDuplicates > 0 && <span data-testid="pass-duplicates">{t('exchange.pass.possibleDuplicates', { count: count(outcome.result.possibleDuplicates) })}</span>}
            {outcome.result.connection === 'not-configured' && <span>{t('exchange.pass.notConfigured')}</span>}
            {outcome.result.connection === 'offline' && <span>{t('exchange.pass.offline')}</span>}
            {outcome.result.connection === 'auth-failed' && <span>{t('exchange.pass.authFailed')}</span>}
            {/* Offline or refused, the banner above already gives the technical reason. */}
            {outcome.result.error && outcome.result.connection === 'online' && (
              <span data-testid="pass-error" title={outcome.result.error.code}>
                {problemMessage(outcome.result.error)}
              </span>
            )}
          </>
        ) : (
          <span>{errorMessage(outcome.error)}</span>
        )}
      </div>
      <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
        {t('common.dismiss')}
      </button>
    </div>
  );
}
