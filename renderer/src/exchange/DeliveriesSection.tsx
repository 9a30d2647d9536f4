// Nơi nhận trên trục, in the issuing panel: for each recipient of an issued document, whether it
// still waits to go, has gone up to the axis, or what the recipient last answered (đã đến, đã
// tiếp nhận, từ chối …) — with every answer and its time beneath.
import { useId } from 'react';
import type { Delivery } from '../../../main/common/contract.js';
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { describeStatus, statusCodeLabel, statusMeaning } from './exchangeTerms.js';
import { LoadMessages } from './LoadMessages.js';
import { useExchangeData } from './useExchangeData.js';
import './exchange.css';

/** How an answer reads at a glance: refusals stand out, completion is green. */
function tone(delivery: Delivery): string {
  if (delivery.state !== 'status' || !delivery.statusCode) return delivery.state;
  if (delivery.statusCode === '02' || delivery.statusCode === '16') return 'refused';
  if (delivery.statusCode === '06' || delivery.statusCode === '15') return 'done';
  if (delivery.statusCode === '13') return 'attention';
  return 'progress';
}

/** An unknown code already shows the description as its meaning; a known one shows it only when it says more. */
function addsToMeaning(meaning: string | null, description: string): boolean {
  return meaning !== null && description.trim().toLowerCase() !== meaning.toLowerCase();
}

export function DeliveriesSection({ documentId }: { documentId: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const { loaded } = useExchangeData(`deliveries:${documentId}`, () => call('exchange.deliveries', { documentId }));

  return (
    <section className="pane-section" aria-labelledby={`${id}-title`} data-testid="deliveries">
      <h3 id={`${id}-title`} className="section-title">
        {t('deliveries.title')}
      </h3>
      <LoadMessages loaded={loaded} empty={t('deliveries.none')} place="pane" />
      {loaded.status === 'ready' && loaded.data.length > 0 && (
        <ul className="delivery-list">
          {loaded.data.map((delivery) => (
            <li key={delivery.recipientCode} className="delivery" data-testid="delivery" data-code={delivery.recipientCode} data-state={delivery.state}>
              <div className="delivery-head">
                <span className="delivery-recipient">
                  <span className="delivery-code">{delivery.recipientCode}</span>
                  {delivery.recipientName && <span className="delivery-name">{delivery.recipientName}</span>}
                </span>
                <span
                  className={`job-badge delivery-${tone(delivery)}`}
                  data-testid="delivery-state"
                  title={delivery.state === 'status' && delivery.statusCode ? statusCodeLabel(i18n, delivery.statusCode) : undefined}
                >
                  {delivery.state === 'status' && delivery.statusCode ? describeStatus(i18n, delivery.statusCode, delivery.description) : t(`deliveries.state.${delivery.state}`)}
                </span>
              </div>
              <time className="delivery-updated" dateTime={delivery.updatedAt}>
                {t('deliveries.updatedAt', { time: formatDateTimeVn(delivery.updatedAt) })}
              </time>
              {delivery.history.length > 0 && (
                <ol className="delivery-history" aria-label={t('deliveries.history', { code: delivery.recipientCode })}>
                  {delivery.history.map((entry, index) => (
                    <li key={index}>
                      <time dateTime={entry.sentAt} title={t('deliveries.receivedAt', { time: formatDateTimeVn(entry.receivedAt) })}>
                        {formatDateTimeVn(entry.sentAt)}
                      </time>
                      <span className="delivery-history-code" title={statusCodeLabel(i18n, entry.statusCode)}>
                        {describeStatus(i18n, entry.statusCode, entry.description)}
                      </span>
                      {/* The recipient's own words, such as a refusal's reason. */}
                      {entry.description && addsToMeaning(statusMeaning(i18n, entry.statusCode), entry.description) && (
                        <span className="delivery-history-note">{entry.description}</span>
                      )}
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
