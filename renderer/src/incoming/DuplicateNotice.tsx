// Trùng văn bản (Decree 30, Appendix VI 1h): the documents already in the register that this one
// may duplicate — the same identifier code, or the same number, notation and issuing agency —
// named as the clerk knows them (notation, date, trích yếu, số đến; never the row id), with
// "Liên kết" to record that they are the same document and "Bỏ qua" to go on. Shown in the import
// result, in the tiếp nhận dialog while the clerk types, and on the document's pane, where the
// documents linked to it stay listed.
import { useCallback, useEffect, useState } from 'react';
import type { DuplicateCandidate, IncomingDetail } from '../../../main/common/contract.js';
import { formatDateVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useApiEvent } from '../api/useApiEvent.js';
import { useI18n } from '../i18n/i18n.js';
import { formatIncomingNumber } from './incomingTerms.js';
import './duplicates.css';

interface DuplicateNoticeProps {
  /** The document the candidates may duplicate; null while it is not stored yet (a scan being registered): no link then. */
  documentId: number | null;
  duplicates: readonly DuplicateCandidate[];
  /** After "Liên kết": the document as it now stands. */
  onLinked?: (next: IncomingDetail) => void;
  /** Opens the other document, where the view can. */
  onOpen?: (id: number) => void;
}

export function DuplicateNotice({ documentId, duplicates, onLinked, onOpen }: DuplicateNoticeProps) {
  const { t, errorMessage } = useI18n();
  const [skipped, setSkipped] = useState(false);
  const [linking, setLinking] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Linked here: shown as linked at once, whether or not the caller reloads the list.
  const [linkedHere, setLinkedHere] = useState<ReadonlySet<number>>(new Set());
  const shown = duplicates.map((d) => (linkedHere.has(d.id) ? { ...d, linked: true } : d));
  const open = shown.filter((d) => !d.linked);
  const linked = shown.filter((d) => d.linked);
  if (open.length === 0 && linked.length === 0) return null;

  async function link(other: DuplicateCandidate) {
    if (documentId === null) return;
    setLinking(other.id);
    setError(null);
    try {
      const next = await call('incoming.linkDuplicate', { id: documentId, linkedId: other.id });
      setLinkedHere((ids) => new Set([...ids, other.id]));
      onLinked?.(next);
    } catch (cause) {
      setError(cause);
    } finally {
      setLinking(null);
    }
  }

  const item = (d: DuplicateCandidate, canLink: boolean) => (
    <li key={d.id} className="duplicate-item" data-testid="duplicate-item" data-linked={d.linked} data-reasons={d.reasons.join(' ')}>
      <span className="duplicate-what">
        <strong data-testid="duplicate-notation">{d.notation ?? t('duplicates.noNotation')}</strong>
        {d.documentDate && <span>{formatDateVn(d.documentDate)}</span>}
        <span className="duplicate-number" data-testid="duplicate-number">
          {d.incomingNumber === null ? t('duplicates.notRegistered') : t('duplicates.incomingNumber', { number: formatIncomingNumber(d.incomingNumber) })}
        </span>
      </span>
      <span className="duplicate-subject" data-testid="duplicate-subject">
        {d.subject}
      </span>
      {d.reasons.length > 0 && <span className="duplicate-reasons">{d.reasons.map((r) => t(`duplicates.reason.${r}`)).join('; ')}</span>}
      <span className="duplicate-actions">
        {onOpen && (
          <button type="button" className="link-button" data-testid="duplicate-open" onClick={() => onOpen(d.id)}>
            {t('duplicates.open')}
          </button>
        )}
        {canLink && documentId !== null && (
          <button type="button" className="button button-small" data-testid="duplicate-link" disabled={linking !== null} onClick={() => void link(d)}>
            {linking === d.id && <span className="spinner" aria-hidden="true" />}
            {t('duplicates.link')}
          </button>
        )}
      </span>
    </li>
  );

  return (
    <>
      {open.length > 0 && !skipped && (
        <section className="notice notice-warning duplicate-notice" role="alert" data-testid="duplicate-notice" aria-label={t('duplicates.title')}>
          <strong>{t('duplicates.title')}</strong>
          <p className="duplicate-lead">{t('duplicates.lead')}</p>
          <ul className="duplicate-list">{open.map((d) => item(d, true))}</ul>
          {error !== null && (
            <p className="form-error" role="alert">
              {errorMessage(error)}
            </p>
          )}
          <div className="duplicate-footer">
            <button type="button" className="button button-small button-quiet" data-testid="duplicate-skip" onClick={() => setSkipped(true)}>
              {t('duplicates.skip')}
            </button>
          </div>
        </section>
      )}
      {linked.length > 0 && (
        <section className="pane-section duplicate-linked" data-testid="duplicate-linked" aria-label={t('duplicates.linkedTitle')}>
          <h3 className="section-title">{t('duplicates.linkedTitle')}</h3>
          <ul className="duplicate-list">{linked.map((d) => item(d, false))}</ul>
        </section>
      )}
    </>
  );
}

/**
 * The notice for a document's pane outside the incoming view: it asks for the document's
 * duplicates itself, and again when a document changes (a link made elsewhere shows here too).
 */
export function DocumentDuplicates({ documentId, onOpen }: { documentId: number; onOpen?: (id: number) => void }) {
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[]>([]);
  const load = useCallback(() => {
    let current = true;
    call('incoming.duplicates', { id: documentId }).then(
      (found) => current && setDuplicates(found),
      // The warning is a help, not the pane's content: a failure leaves the pane as it is.
      () => current && setDuplicates([]),
    );
    return () => {
      current = false;
    };
  }, [documentId]);
  useEffect(load, [load]);
  useApiEvent('documents.changed', () => void load());
  return <DuplicateNotice documentId={documentId} duplicates={duplicates} onLinked={(next) => setDuplicates(next.duplicates)} onOpen={onOpen} />;
}
