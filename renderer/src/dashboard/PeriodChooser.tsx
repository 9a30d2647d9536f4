// The period the dashboard reports on: month (the default), quarter, year or from–to, with the
// period before and after one click away.
import { useId } from 'react';
import { vnYear } from '../../../main/common/dates.js';
import { DateField } from '../components/DateField.js';
import { useI18n } from '../i18n/i18n.js';
import { changeKind, PERIOD_KINDS, periodRange, shiftPeriod, type Period } from './period.js';

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const QUARTERS = [1, 2, 3, 4];

/** Years offered: from a few back to next year, always including the one shown. */
function yearChoices(shown: number): number[] {
  const now = vnYear();
  const first = Math.min(shown, now - 10);
  const last = Math.max(shown, now + 1);
  const years: number[] = [];
  for (let y = last; y >= first; y--) years.push(y);
  return years;
}

export function PeriodChooser({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const { t } = useI18n();
  const id = useId();
  const range = periodRange(period);
  const year = period.kind === 'range' ? Number(range.from.slice(0, 4)) : period.year;

  return (
    <div className="dashboard-period" role="group" aria-label={t('dashboard.period.label')}>
      <div className="segmented" role="radiogroup" aria-label={t('dashboard.period.kind')}>
        {PERIOD_KINDS.map((kind) => (
          <button
            key={kind}
            type="button"
            role="radio"
            aria-checked={period.kind === kind}
            className={period.kind === kind ? 'segmented-option is-current' : 'segmented-option'}
            data-testid={`period-kind-${kind}`}
            onClick={() => period.kind !== kind && onChange(changeKind(period, kind))}
          >
            {t(`dashboard.period.${kind}`)}
          </button>
        ))}
      </div>
      <button type="button" className="icon-button" data-testid="period-previous" title={t('dashboard.period.previous')} aria-label={t('dashboard.period.previous')} onClick={() => onChange(shiftPeriod(period, -1))}>
        <span aria-hidden="true">‹</span>
      </button>
      {period.kind === 'month' && (
        <div className="field field-inline">
          <label htmlFor={`${id}-month`} className="visually-hidden">
            {t('dashboard.period.month')}
          </label>
          <select id={`${id}-month`} data-testid="period-month" value={period.month} onChange={(e) => onChange({ ...period, month: Number(e.target.value) })}>
            {MONTHS.map((m) => (
              <option key={m} value={m}>
                {t('dashboard.period.monthName', { month: m })}
              </option>
            ))}
          </select>
        </div>
      )}
      {period.kind === 'quarter' && (
        <div className="field field-inline">
          <label htmlFor={`${id}-quarter`} className="visually-hidden">
            {t('dashboard.period.quarter')}
          </label>
          <select id={`${id}-quarter`} data-testid="period-quarter" value={period.quarter} onChange={(e) => onChange({ ...period, quarter: Number(e.target.value) })}>
            {QUARTERS.map((q) => (
              <option key={q} value={q}>
                {t('dashboard.period.quarterName', { quarter: ['I', 'II', 'III', 'IV'][q - 1] })}
              </option>
            ))}
          </select>
        </div>
      )}
      {period.kind !== 'range' && (
        <div className="field field-inline">
          <label htmlFor={`${id}-year`} className="visually-hidden">
            {t('dashboard.period.year')}
          </label>
          <select id={`${id}-year`} data-testid="period-year" value={year} onChange={(e) => onChange({ ...period, year: Number(e.target.value) })}>
            {yearChoices(year).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
      )}
      {period.kind === 'range' && (
        <div className="dashboard-range" data-testid="period-range">
          <DateField
            id={`${id}-from`}
            label={t('dashboard.period.from')}
            value={period.from}
            // An end before the start would be an empty period: the other end follows.
            onChange={(from) => from && onChange({ kind: 'range', from, to: period.to < from ? from : period.to })}
          />
          <DateField id={`${id}-to`} label={t('dashboard.period.to')} value={period.to} onChange={(to) => to && onChange({ kind: 'range', from: period.from > to ? to : period.from, to })} />
        </div>
      )}
      <button type="button" className="icon-button" data-testid="period-next" title={t('dashboard.period.next')} aria-label={t('dashboard.period.next')} onClick={() => onChange(shiftPeriod(period, 1))}>
        <span aria-hidden="true">›</span>
      </button>
    </div>
  );
}
