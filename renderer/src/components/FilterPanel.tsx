import { useI18n } from '../i18n/i18n.js';
import { STATES_BY_DIRECTION, hasNarrowingFilters, type DocumentState, type DocumentTypeCode, type RegisterFilters } from '../documents/filters.js';
import { DateField } from './DateField.js';
import { DocumentTypeOptions } from './DocumentTypeOptions.js';

const ALL = '';

export function FilterPanel({
  filters,
  years,
  onChange,
  onClear,
}: {
  filters: RegisterFilters;
  years: readonly number[];
  onChange: (patch: Partial<RegisterFilters>) => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  return (
    <section className="filter-panel" aria-labelledby="filters-title">
      <h2 id="filters-title" className="section-title">
        {t('filters.title')}
      </h2>
      <div className="field">
        <label htmlFor="filter-year">{t('filters.year')}</label>
        <select id="filter-year" value={filters.year ?? ALL} onChange={(e) => onChange({ year: e.target.value === ALL ? null : Number(e.target.value) })}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
          <option value={ALL}>{t('filters.allYears')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-type">{t('filters.type')}</label>
        <select
          id="filter-type"
          value={filters.typeCode ?? ALL}
          onChange={(e) => onChange({ typeCode: e.target.value === ALL ? null : (e.target.value as DocumentTypeCode) })}
        >
          <option value={ALL}>{t('filters.allTypes')}</option>
          <DocumentTypeOptions direction={filters.direction} />
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-state">{t('filters.state')}</label>
        <select
          id="filter-state"
          value={filters.state ?? ALL}
          onChange={(e) => onChange({ state: e.target.value === ALL ? null : (e.target.value as DocumentState) })}
        >
          <option value={ALL}>{t('filters.allStates')}</option>
          {STATES_BY_DIRECTION[filters.direction].map((state) => (
            <option key={state} value={state}>
              {t(`state.${state}`)}
            </option>
          ))}
        </select>
      </div>
      <DateField id="filter-date-from" label={t('filters.dateFrom')} value={filters.dateFrom} onChange={(dateFrom) => onChange({ dateFrom })} />
      <DateField id="filter-date-to" label={t('filters.dateTo')} value={filters.dateTo} onChange={(dateTo) => onChange({ dateTo })} />
      <button type="button" className="button button-quiet" onClick={onClear} disabled={!hasNarrowingFilters(filters)}>
        {t('filters.clear')}
      </button>
    </section>
  );
}
