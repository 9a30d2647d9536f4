// Tiếp nhận several documents at once, from the ticked rows of the incoming list: each is accepted
// as the panel's "Tiếp nhận" does (the same call, one after another, each taking the next số đến),
// and those the register cannot take yet — a record still missing its notation, date, agency,
// type or subject, or one another window changed meanwhile — are listed with what they lack, to be
// opened and completed.
import { useState } from 'react';
import type { IncomingItem } from '../../../main/common/contract.js';
import { call, isApiError } from '../api/client.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { formatIncomingNumber } from './incomingTerms.js';

export interface BatchOutcome {
  accepted: { id: number; number: string }[];
  /** Accepted, but each may duplicate a document already in the register (Appendix VI 1h): opened to link or go on. */
  possibleDuplicates: { id: number; name: string; number: string }[];
  failed: { id: number; name: string; error: unknown }[];
}

/** The register's fields by the list's column names, to say what a record lacks. */
const FIELD_LABEL: Record<string, MessageKey> = {
  notation: 'column.notation',
  documentDate: 'column.date',
  authorAgency: 'column.author',
  typeCode: 'column.type',
  subject: 'column.subject',
};

interface BatchAcceptProps {
  items: readonly IncomingItem[];
  checkedIds: ReadonlySet<number>;
  outcome: BatchOutcome | null;
  onOutcome: (outcome: BatchOutcome) => void;
  onClear: () => void;
  onDismiss: () => void;
  onOpen: (id: number) => void;
}

export function BatchAccept({ items, checkedIds, outcome, onOutcome, onClear, onDismiss, onOpen }: BatchAcceptProps) {
  const { t, count, errorMessage } = useI18n();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const chosen = items.filter((item) => checkedIds.has(item.id) && item.state === 'received');

  function reason(error: unknown): string {
    if (isApiError(error) && error.code === 'INCOMING_INCOMPLETE' && typeof error.details.missing === 'string') {
      const fields = error.details.missing
        .split(',')
        .map((field) => (FIELD_LABEL[field] ? t(FIELD_LABEL[field]) : field))
        .join(', ');
      return t('incoming.acceptMissing', { fields });
    }
    return errorMessage(error);
  }

  async function acceptAll() {
    const result: BatchOutcome = { accepted: [], possibleDuplicates: [], failed: [] };
    setProgress({ done: 0, total: chosen.length });
    for (const item of chosen) {
      try {
        const detail = await call('incoming.accept', { id: item.id });
        result.accepted.push({ id: item.id, number: formatIncomingNumber(detail.incomingNumber) });
        if (detail.duplicates.some((d) => !d.linked)) result.possibleDuplicates.push({ id: item.id, name: item.notation || item.subject, number: formatIncomingNumber(detail.incomingNumber) });
      } catch (error) {
        result.failed.push({ id: item.id, name: item.notation || item.subject, error });
      }
      setProgress({ done: result.accepted.length + result.failed.length, total: chosen.length });
    }
    setProgress(null);
    onOutcome(result);
  }

  return (
    <>
      {chosen.length > 0 && (
        <div className="selection-bar" data-testid="incoming-batch-bar">
          <span role="status">{t('incoming.batch.checked', { count: count(chosen.length) })}</span>
          <span className="toolbar-gap" />
          <button type="button" className="button button-primary button-small" data-testid="incoming-batch-accept" disabled={progress !== null} onClick={() => void acceptAll()}>
            {progress && <span className="spinner spinner-on-primary" aria-hidden="true" />}
            {progress ? t('incoming.batch.accepting', { done: count(progress.done), total: count(progress.total) }) : t('incoming.batch.accept', { count: count(chosen.length) })}
          </button>
          <button type="button" className="button button-quiet button-small" disabled={progress !== null} onClick={onClear}>
            {t('list.uncheckAll')}
          </button>
        </div>
      )}
      {outcome && (
        <div className={outcome.failed.length > 0 ? 'pass-notice has-errors' : 'pass-notice'} role={outcome.failed.length > 0 ? 'alert' : 'status'} data-testid="incoming-batch-outcome">
          <div className="pass-notice-text">
            {outcome.accepted.length > 0 && (
              <span data-testid="incoming-batch-accepted">
                {t('incoming.batch.accepted', { count: count(outcome.accepted.length), numbers: outcome.accepted.map((a) => a.number).join(', ') })}
              </span>
            )}
            {outcome.possibleDuplicates.length > 0 && (
              <>
                <span>{t('incoming.batch.possibleDuplicates', { count: count(outcome.possibleDuplicates.length) })}</span>
                <ul className="batch-failures">
                  {outcome.possibleDuplicates.map((d) => (
                    <li key={d.id} data-testid="incoming-batch-duplicate" data-doc-id={d.id}>
                      <button type="button" className="link-button" onClick={() => onOpen(d.id)}>
                        {d.name}
                      </button>{' '}
                      ({t('duplicates.incomingNumber', { number: d.number })})
                    </li>
                  ))}
                </ul>
              </>
            )}
            {outcome.failed.length > 0 && (
              <>
                <span>{t('incoming.batch.failed', { count: count(outcome.failed.length) })}</span>
                <ul className="batch-failures">
                  {outcome.failed.map((failure) => (
                    <li key={failure.id} data-testid="incoming-batch-failure" data-doc-id={failure.id}>
                      <button type="button" className="link-button" onClick={() => onOpen(failure.id)}>
                        {failure.name}
                      </button>
                      : {reason(failure.error)}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
          <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
    </>
  );
}
