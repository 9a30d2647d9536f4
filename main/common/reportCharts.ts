// The report's charts as ECharts options, built in one place for the dashboard (drawn in the
// renderer) and the PDF/XLSX exports (drawn server-side to SVG, then PNG): the screen and the
// files show the same bars with the same labels.
//
// Options only, no DOM: every number on a chart goes through formatCount/formatShare, because
// ECharts' own formatting follows the English convention (1,234) whatever the locale. Animation
// is off so a chart drawn twice from the same figures gives the same picture (the PDF, the
// screenshots of the tests).
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  type GraphicComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TitleComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { use, type ComposeOption, type EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { INCOMING_STATE_KEYS, formatCount, formatShare, type IncomingStateKey, type ReportFigures, type ReportLocale } from './report.js';

export type ReportChartName = 'trend' | 'incomingStates' | 'signing';
export const REPORT_CHART_NAMES: readonly ReportChartName[] = ['trend', 'incomingStates', 'signing'];

export interface ReportChartStyle {
  /** 'Tinos' by default: the font the exports embed, metric-compatible with Times New Roman. */
  fontFamily?: string;
}

type ChartOption = ComposeOption<
  BarSeriesOption | PieSeriesOption | TitleComponentOption | TooltipComponentOption | LegendComponentOption | GridComponentOption | GraphicComponentOption
>;

let registered = false;

/** Registers with ECharts exactly what the report's charts use; safe to call more than once. */
export function registerReportCharts(): void {
  if (registered) return;
  use([BarChart, PieChart, TitleComponent, TooltipComponent, LegendComponent, GridComponent, GraphicComponent, SVGRenderer]);
  registered = true;
}

const TEXT = {
  vi: {
    trendTitle: 'Văn bản đi, đến theo thời gian',
    statesTitle: 'Văn bản đến theo trạng thái',
    signingTitle: 'Ký số và xử lý trên môi trường mạng',
    empty: 'Không có văn bản trong kỳ',
    issuedViaAxis: 'Đi – qua trục',
    issuedOnPaper: 'Đi – bằng giấy',
    receivedViaAxis: 'Đến – qua trục',
    receivedElectronic: 'Đến – điện tử ngoài trục',
    receivedOnPaper: 'Đến – bằng giấy',
    issued: 'Đã phát hành',
    leaderSigned: 'Ký số của người có thẩm quyền',
    agencySigned: 'Ký số của cơ quan, tổ chức',
    accepted: 'Văn bản đến đã vào sổ',
    handledOnNetwork: 'Xử lý trên môi trường mạng',
    states: {
      received: 'Chờ tiếp nhận',
      registered: 'Đã vào sổ',
      assigned: 'Đã giao xử lý',
      in_progress: 'Đang xử lý',
      done: 'Đã xử lý xong',
      returned: 'Đã trả lại',
      recalled: 'Đã thu hồi',
    },
  },
  en: {
    trendTitle: 'Documents issued and received over time',
    statesTitle: 'Incoming documents by state',
    signingTitle: 'Digital signing and handling on the network',
    empty: 'No documents in this period',
    issuedViaAxis: 'Issued – axis',
    issuedOnPaper: 'Issued – paper',
    receivedViaAxis: 'Received – axis',
    receivedElectronic: 'Received – electronic, outside the axis',
    receivedOnPaper: 'Received – paper',
    issued: 'Issued',
    leaderSigned: 'Signed by the competent person',
    agencySigned: 'Signed by the agency',
    accepted: 'Incoming registered',
    handledOnNetwork: 'Handled on the network',
    states: {
      received: 'Waiting to be accepted',
      registered: 'Registered',
      assigned: 'Assigned',
      in_progress: 'In progress',
      done: 'Done',
      returned: 'Returned',
      recalled: 'Recalled',
    },
  },
} satisfies Record<ReportLocale, { states: Record<IncomingStateKey, string> } & Record<string, unknown>>;

// Outgoing in blues, incoming in reds; the darker shade is the axis, the lighter one paper, so
// the printed PDF still reads in greyscale.
const COLOURS = {
  issuedViaAxis: '#1f4e9c',
  issuedOnPaper: '#93b3e6',
  receivedViaAxis: '#a8322a',
  // Between the two: electronic, but not through the axis.
  receivedElectronic: '#d0665c',
  receivedOnPaper: '#eaa59c',
} as const;
const STATE_COLOURS: Record<IncomingStateKey, string> = {
  received: '#f2b134',
  registered: '#93b3e6',
  assigned: '#4f7cc9',
  in_progress: '#1f4e9c',
  done: '#3d9a5b',
  returned: '#a8322a',
  recalled: '#7a7a7a',
};

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A trend bucket's key as an axis label: dd/MM for a day, "Th 11/2026" / "Nov 2026" for a month. */
export function trendLabel(key: string, locale: ReportLocale): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (day) return `${day[3]}/${day[2]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) {
    const m = Number(month[2]);
    return locale === 'vi' ? `Th ${m}/${month[1]}` : `${MONTHS_EN[m - 1] ?? month[2]} ${month[1]}`;
  }
  return key;
}

/** A chart's value: ECharts hands formatters a number, a string or an [x, y] pair. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return numberOf(value[value.length - 1]);
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

function base(title: string, fontFamily: string, empty: boolean, locale: ReportLocale): ChartOption {
  const option: ChartOption = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily, color: '#222222' },
    title: { text: title, left: 'center', top: 6, textStyle: { fontFamily, fontSize: 15, fontWeight: 'bold', color: '#222222' } },
  };
  if (empty) {
    // A message where the data would be, rather than bare axes the reader might take for a fault.
    option.graphic = [
      {
        type: 'text',
        left: 'center',
        top: 'middle',
        silent: true,
        style: { text: TEXT[locale].empty, fontFamily, fontSize: 14, fill: '#666666' },
      },
    ];
  }
  return option;
}

function trendOption(figures: ReportFigures, locale: ReportLocale, fontFamily: string): ChartOption {
  const t = TEXT[locale];
  const points = figures.trend.points;
  const empty = points.every((p) => p.issued === 0 && p.received === 0);
  // Labels on each bar only while they stay legible; the tooltip has them all.
  const labelled = points.length <= 8;
  const count = (v: unknown) => formatCount(numberOf(v), locale);
  const series = (name: string, stack: 'issued' | 'received', colour: string, values: number[]): BarSeriesOption => ({
    type: 'bar',
    name,
    stack,
    data: values,
    itemStyle: { color: colour },
    barMaxWidth: 28,
    label: {
      show: labelled && !empty,
      position: 'inside',
      fontFamily,
      fontSize: 10,
      formatter: (p: { value?: unknown }) => (numberOf(p.value) === 0 ? '' : count(p.value)),
    },
  });
  return {
    ...base(t.trendTitle, fontFamily, empty, locale),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: count, textStyle: { fontFamily } },
    legend: { bottom: 4, itemWidth: 16, itemHeight: 10, textStyle: { fontFamily, fontSize: 11 } },
    grid: { left: 12, right: 16, top: 44, bottom: 56 },
    xAxis: { type: 'category', data: points.map((p) => trendLabel(p.key, locale)), axisLabel: { fontFamily, fontSize: 10, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily, fontSize: 10, formatter: (v: number) => count(v) } },
    series: [
      series(t.issuedViaAxis, 'issued', COLOURS.issuedViaAxis, points.map((p) => p.issuedViaAxis)),
      series(t.issuedOnPaper, 'issued', COLOURS.issuedOnPaper, points.map((p) => Math.max(0, p.issued - p.issuedViaAxis))),
      series(t.receivedViaAxis, 'received', COLOURS.receivedViaAxis, points.map((p) => p.receivedViaAxis)),
      series(t.receivedElectronic, 'received', COLOURS.receivedElectronic, points.map((p) => p.receivedElectronic)),
      series(t.receivedOnPaper, 'received', COLOURS.receivedOnPaper, points.map((p) => Math.max(0, p.received - p.receivedViaAxis - p.receivedElectronic))),
    ],
  };
}

function incomingStatesOption(figures: ReportFigures, locale: ReportLocale, fontFamily: string): ChartOption {
  const t = TEXT[locale];
  const byState = figures.incoming.byState;
  const total = INCOMING_STATE_KEYS.reduce((sum, key) => sum + byState[key], 0);
  const data = INCOMING_STATE_KEYS.filter((key) => byState[key] > 0).map((key) => ({
    name: t.states[key],
    value: byState[key],
    itemStyle: { color: STATE_COLOURS[key] },
  }));
  // The share is worked out here rather than taken from ECharts' rounded percent, so it matches
  // the table's formatShare to the decimal.
  const describe = (value: unknown) => {
    const n = numberOf(value);
    return `${formatCount(n, locale)} (${formatShare(total === 0 ? null : n / total, locale)})`;
  };
  return {
    ...base(t.statesTitle, fontFamily, total === 0, locale),
    tooltip: { trigger: 'item', valueFormatter: describe, textStyle: { fontFamily } },
    legend: { bottom: 4, itemWidth: 16, itemHeight: 10, textStyle: { fontFamily, fontSize: 11 } },
    series: [
      {
        type: 'pie',
        name: t.statesTitle,
        radius: ['32%', '54%'],
        center: ['50%', '47%'],
        avoidLabelOverlap: true,
        data,
        label: { fontFamily, fontSize: 11, formatter: (p: { name?: string; value?: unknown }) => `${p.name ?? ''}\n${describe(p.value)}`, lineHeight: 14 },
      },
    ],
  };
}

function signingOption(figures: ReportFigures, locale: ReportLocale, fontFamily: string): ChartOption {
  const t = TEXT[locale];
  const { outgoing, incoming } = figures;
  const bars: Array<{ name: string; value: number; share?: number | null; colour: string }> = [
    { name: t.issued, value: outgoing.issued, colour: COLOURS.issuedOnPaper },
    { name: t.leaderSigned, value: outgoing.leaderSigned, share: outgoing.leaderSignedShare, colour: COLOURS.issuedViaAxis },
    { name: t.agencySigned, value: outgoing.agencySigned, share: outgoing.agencySignedShare, colour: COLOURS.issuedViaAxis },
    { name: t.accepted, value: incoming.accepted, colour: COLOURS.receivedOnPaper },
    { name: t.handledOnNetwork, value: incoming.handledOnNetwork, share: incoming.handledOnNetworkShare, colour: COLOURS.receivedViaAxis },
  ];
  const empty = outgoing.issued === 0 && incoming.accepted === 0;
  const describe = (index: number) => {
    const bar = bars[index];
    if (!bar) return '';
    return bar.share === undefined ? formatCount(bar.value, locale) : `${formatCount(bar.value, locale)} (${formatShare(bar.share, locale)})`;
  };
  return {
    ...base(t.signingTitle, fontFamily, empty, locale),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => formatCount(numberOf(v), locale), textStyle: { fontFamily } },
    grid: { left: 12, right: 90, top: 44, bottom: 30 },
    // The first bar on top, as the table reads.
    yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.name), axisLabel: { fontFamily, fontSize: 11 } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily, fontSize: 10, formatter: (v: number) => formatCount(v, locale) } },
    series: [
      {
        type: 'bar',
        name: t.signingTitle,
        barMaxWidth: 22,
        data: bars.map((b) => ({ value: b.value, itemStyle: { color: b.colour } })),
        label: { show: !empty, position: 'right', fontFamily, fontSize: 11, formatter: (p: { dataIndex?: number }) => describe(p.dataIndex ?? -1) },
      },
    ],
  };
}

/** The ECharts option of one of the report's charts, every label in the locale's number format. */
export function reportChartOption(name: ReportChartName, figures: ReportFigures, locale: ReportLocale, style: ReportChartStyle = {}): EChartsCoreOption {
  const fontFamily = style.fontFamily ?? 'Tinos';
  switch (name) {
    case 'trend':
      return trendOption(figures, locale, fontFamily);
    case 'incomingStates':
      return incomingStatesOption(figures, locale, fontFamily);
    case 'signing':
      return signingOption(figures, locale, fontFamily);
  }
}
