// The report's three charts, from the same options the PDF export draws (main/common/reportCharts.ts),
// in the app's font. A bar or slice opens the documents behind it where such a list exists.
import { useMemo } from 'react';
import type { ECElementEvent } from 'echarts/core';
import { INCOMING_STATE_KEYS, type ReportFigures, type ReportListKey } from '../../../main/common/report.js';
import { registerReportCharts, reportChartOption, trendLabel } from '../../../main/common/reportCharts.js';
import { useI18n } from '../i18n/i18n.js';
import { EChart } from './EChart.js';
import type { DateRange } from './period.js';

registerReportCharts();

/** The trend's series, in the order reportCharts.ts stacks them. */
const TREND_KEYS: readonly ReportListKey[] = ['issuedViaAxis', 'issuedOnPaper', 'receivedViaAxis', 'receivedElectronic', 'receivedOnPaper'];
/** The signing chart's bars, top to bottom. */
const SIGNING_KEYS: readonly ReportListKey[] = ['issued', 'leaderSigned', 'agencySigned', 'accepted', 'handledOnNetwork'];

export interface ChartPick {
  key: ReportListKey;
  /** a trend bar narrows the list to its day or month (within the period) */
  range?: DateRange;
  /** what the bar stands for, beside the figure's label */
  detail?: string;
}

function appFont(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';
}

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** A trend bucket as a range of days, cut to the period (its first and last months may be partial). */
function bucketRange(key: string, period: DateRange): DateRange {
  if (key.length === 10) return { from: key, to: key };
  const from = `${key}-01`;
  const to = lastDayOfMonth(key);
  return { from: from < period.from ? period.from : from, to: to > period.to ? period.to : to };
}

export function ReportCharts({ figures, onPick }: { figures: ReportFigures; onPick: (pick: ChartPick) => void }) {
  const { t, locale } = useI18n();
  const options = useMemo(() => {
    const style = { fontFamily: appFont() };
    return {
      trend: reportChartOption('trend', figures, locale, style),
      incomingStates: reportChartOption('incomingStates', figures, locale, style),
      signing: reportChartOption('signing', figures, locale, style),
    };
  }, [figures, locale]);

  const onTrend = (event: ECElementEvent) => {
    const key = TREND_KEYS[event.seriesIndex ?? -1];
    const point = figures.trend.points[event.dataIndex];
    if (key && point) onPick({ key, range: bucketRange(point.key, figures.period), detail: trendLabel(point.key, locale) });
  };
  const onState = (event: ECElementEvent) => {
    // Only states with documents have a slice, in INCOMING_STATE_KEYS order.
    const state = INCOMING_STATE_KEYS.filter((k) => figures.incoming.byState[k] > 0)[event.dataIndex];
    if (state) onPick({ key: `state:${state}` });
  };
  const onSigning = (event: ECElementEvent) => {
    const key = SIGNING_KEYS[event.dataIndex];
    if (key) onPick({ key });
  };

  return (
    <section className="dashboard-charts" aria-labelledby="dashboard-charts-title" data-testid="dashboard-charts">
      <h3 id="dashboard-charts-title" className="visually-hidden">
        {t('dashboard.charts')}
      </h3>
      <div className="dashboard-card dashboard-chart-wide">
        <EChart option={options.trend} label={t('dashboard.chart.trend')} height={280} testId="chart-trend" onItemClick={onTrend} />
      </div>
      <div className="dashboard-card">
        <EChart option={options.incomingStates} label={t('dashboard.chart.incomingStates')} height={300} testId="chart-incomingStates" onItemClick={onState} />
      </div>
      <div className="dashboard-card">
        <EChart option={options.signing} label={t('dashboard.chart.signing')} height={300} testId="chart-signing" onItemClick={onSigning} />
      </div>
    </section>
  );
}
