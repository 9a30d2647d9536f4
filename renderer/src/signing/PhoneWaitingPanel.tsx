// "Đang chờ xác nhận trên điện thoại": while a remote signer's phone has not confirmed, what the
// phone shows (so that the signer can check it is this request), for how many documents, the time
// left before the request expires, and a cancel that withdraws it here.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { PhoneWaiting } from './useSigning.js';

/** mm:ss left until `expiresAt`, never below 00:00. */
export function timeLeft(expiresAt: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

export function PhoneWaitingPanel({ waiting, cancelling, onCancel }: { waiting: PhoneWaiting; cancelling: boolean; onCancel(): void }) {
  const { t, count } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = timeLeft(waiting.expiresAt, now);
  return (
    <div className="phone-waiting" role="status" data-testid="phone-waiting">
      <p className="phone-waiting-title">
        <span className="spinner" aria-hidden="true" />
        {cancelling ? t('sign.phone.cancelling') : t('sign.phone.waiting')}
      </p>
      <p className="field-hint">{t('sign.phone.display')}</p>
      <p className="phone-display" data-testid="phone-display">
        {waiting.display}
      </p>
      <div className="phone-waiting-row">
        <span>{t('sign.phone.documents', { count: count(waiting.documents) })}</span>
        <span className="phone-countdown" data-testid="phone-countdown" aria-label={t('sign.phone.timeLeftLabel', { time: left })}>
          {t('sign.phone.timeLeft', { time: left })}
        </span>
        <button type="button" className="button button-small" data-testid="phone-cancel" onClick={onCancel} disabled={cancelling}>
          {t('sign.phone.cancel')}
        </button>
      </div>
    </div>
  );
}
