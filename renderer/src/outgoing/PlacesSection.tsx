// Vị trí ghi số và ngày: before the leader signs, the draft must say where its number and date
// will be written — the signature then permits filling exactly those places. eOffice finds the
// "Số:" and "…, ngày … tháng … năm …" lines itself when the text has them; otherwise the clerk
// clicks them on the preview. Marks stay unsaved until "Lưu vị trí", which rewrites the draft.
import { useId, useState } from 'react';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { useIssuingErrorMessage } from './issuingErrors.js';
import { PLACE_KINDS, type PlaceMarking } from './useIssuing.js';

export function PlacesSection({ documentId, marking }: { documentId: number; marking: PlaceMarking }) {
  const { t } = useI18n();
  const describeError = useIssuingErrorMessage();
  const id = useId();
  const [finding, setFinding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [findError, setFindError] = useState<unknown>(null);

  async function findAutomatically() {
    setFinding(true);
    setNotice(null);
    setFindError(null);
    try {
      const found = await call('outgoing.findPlaces', { id: documentId });
      if (!found.number && !found.date) {
        setNotice(t('places.noneFound'));
        return;
      }
      // What the text does not show keeps the clerk's own mark.
      marking.propose({ number: found.number ?? marking.places.number, date: found.date ?? marking.places.date });
      setNotice(found.number && found.date ? t('places.bothFound') : t('places.someFound'));
    } catch (error) {
      setFindError(error);
    } finally {
      setFinding(false);
    }
  }

  const busy = marking.saving || finding;
  const problem = marking.error ?? findError;
  return (
    <section className="pane-section places-section" aria-labelledby={`${id}-title`} data-testid="places-section">
      <h3 id={`${id}-title`} className="section-title">
        {t('places.title')}
      </h3>
      <p className="field-hint">{t('places.lead')}</p>
      <ul className="place-list">
        {PLACE_KINDS.map((kind) => {
          const place = marking.places[kind];
          const isMarking = marking.marking === kind;
          return (
            <li key={kind} className={marking.shown === kind ? 'place-item is-shown' : 'place-item'} data-testid={`place-${kind}`} data-origin={place?.origin ?? 'none'}>
              <span className={place ? 'place-dot is-set' : 'place-dot'} aria-hidden="true" />
              <div className="place-text">
                <span className="place-name">{t(`places.${kind}`)}</span>
                <span className="place-state">
                  {place ? t(place.origin === 'found' ? 'places.found' : 'places.marked', { page: place.page }) : t('places.missing')}
                </span>
              </div>
              <button
                type="button"
                className="button button-quiet button-small"
                aria-pressed={marking.shown === kind}
                disabled={!place || busy}
                onClick={() => marking.show(kind)}
                aria-label={t('places.showLabel', { place: t(`places.${kind}`) })}
              >
                {t('places.show')}
              </button>
              <button
                type="button"
                className={isMarking ? 'button button-small is-pressed' : 'button button-small'}
                data-testid={`mark-${kind}`}
                aria-pressed={isMarking}
                disabled={busy}
                onClick={() => (isMarking ? marking.stop() : marking.start(kind))}
                aria-label={t('places.markLabel', { place: t(`places.${kind}`) })}
              >
                <span className="icon-target" aria-hidden="true" />
                {isMarking ? t('places.marking') : t('places.mark')}
              </button>
            </li>
          );
        })}
      </ul>
      <p className="placement-status" role="status">
        {marking.marking ? t(`places.markingHint.${marking.marking}`) : (notice ?? (marking.dirty ? t('places.unsaved') : ''))}
      </p>
      <div className="places-actions">
        <button type="button" className="button button-small" data-testid="find-places" onClick={findAutomatically} disabled={busy}>
          {finding && <span className="spinner" aria-hidden="true" />}
          {t('places.findAutomatically')}
        </button>
        <span className="toolbar-gap" />
        {marking.dirty && (
          <>
            <button type="button" className="button button-small button-quiet" onClick={marking.discard} disabled={busy}>
              {t('places.discard')}
            </button>
            <button type="button" className="button button-small button-primary" data-testid="save-places" onClick={() => void marking.save()} disabled={busy}>
              {marking.saving && <span className="spinner spinner-on-primary" aria-hidden="true" />}
              {t('places.save')}
            </button>
          </>
        )}
      </div>
      {problem !== null && (
        <p className="form-error" role="alert">
          {describeError(problem)}
        </p>
      )}
    </section>
  );
}
