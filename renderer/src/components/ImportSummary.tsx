import { useI18n } from '../i18n/i18n.js';
import type { ImportOutcome } from '../import/useImport.js';
import { DuplicateNotice } from '../incoming/DuplicateNotice.js';

export function ImportSummary({ outcomes, onOpen, onDismiss }: { outcomes: readonly ImportOutcome[]; onOpen: (id: number) => void; onDismiss: () => void }) {
  const { t, count, errorMessage } = useI18n();
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  return (
    <section className={failed ? 'import-summary has-failures' : 'import-summary'} data-testid="import-summary" aria-labelledby="import-summary-title">
      <header className="import-summary-head">
        <h2 id="import-summary-title" className="section-title">
          {t('import.summaryTitle')}
        </h2>
        <p className="import-summary-counts">
          {t('import.summaryCounts', { imported: count(outcomes.length - failed), total: count(outcomes.length) })}
          {failed > 0 && ` ${t('import.summaryFailed', { failed: count(failed) })}`}
        </p>
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          {t('common.dismiss')}
        </button>
      </header>
      <ul className="import-results">
        {outcomes.map((outcome, i) =>
          outcome.status === 'imported' ? (
            <li key={i} className="import-result is-imported" data-testid="import-result" data-status="imported" data-doc-id={outcome.document.id}>
              <span className="result-mark" aria-hidden="true">
                ✓
              </span>
              <span className="result-file" title={outcome.fileName}>
                {outcome.fileName}
              </span>
              <span className="result-status">{t('import.imported')}</span>
              <button type="button" className="link-button" onClick={() => onOpen(outcome.document.id)}>
                {t('import.open')}
              </button>
              {outcome.duplicates.length > 0 && (
                <div className="import-result-duplicates">
                  <DuplicateNotice documentId={outcome.document.id} duplicates={outcome.duplicates} onOpen={onOpen} />
                </div>
              )}
            </li>
          ) : (
            <li key={i} className="import-result is-failed" data-testid="import-result" data-status="failed">
              <span className="result-mark" aria-hidden="true">
                ✕
              </span>
              <span className="result-file">{outcome.fileName}</span>
              <span className="result-reason" role="alert">
                <span className="result-status">{t('import.failed')}:</span> {errorMessage(outcome.error, { fileName: outcome.fileName })}
              </span>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
