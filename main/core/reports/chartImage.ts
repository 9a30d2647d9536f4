// What the report's XLSX and PDF exports share: the charts as PNG and the
// check of the figures before anything is written.
//
// Charts: ECharts renders the option to an SVG string without a DOM (server-side rendering),
// resvg rasterises it. resvg is given Tinos and nothing else, so a chart comes out the same on
// every machine, whatever fonts it has, and the Vietnamese letters are drawn from a font that has them.
import { Resvg } from '@resvg/resvg-js';
import { init, type EChartsCoreOption } from 'echarts/core';
import { isCalendarDate } from '../../common/dates.js';
import { AppError } from '../../common/errors.js';
import type { ReportFigures } from '../../common/report.js';
import { registerReportCharts } from '../../common/reportCharts.js';
import { tinosFontPath } from '../pdf/fonts.js';

export interface ChartImageSize {
  /** CSS pixels of the chart's layout */
  width: number;
  height: number;
  /** pixels of the PNG per layout pixel: 2 for a sharp print at the drawn size */
  scale: number;
}

/** Lays the chart out at width × height and returns a PNG of (width × scale) × (height × scale) pixels. */
export function renderChartPng(option: EChartsCoreOption, { width, height, scale }: ChartImageSize): Uint8Array {
  for (const [name, value] of Object.entries({ width, height, scale })) {
    if (!Number.isFinite(value) || value <= 0) throw new AppError('INVALID_INPUT', `The chart's ${name} must be a positive number.`, { [name]: String(value) });
  }
  if (width * height * scale * scale > 40_000_000) throw new AppError('INVALID_INPUT', 'The chart image would be too large.', { width, height, scale });
  registerReportCharts();
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption(option);
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      fontFiles: [tinosFontPath('regular'), tinosFontPath('bold')],
      loadSystemFonts: false,
      defaultFontFamily: 'Tinos',
      serifFamily: 'Tinos',
      sansSerifFamily: 'Tinos',
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

function assertDate(value: unknown, field: string): void {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new AppError('INVALID_INPUT', `The report's ${field} must be a date as yyyy-MM-dd.`, { field, value: String(value) });
  }
}

/**
 * Refuses figures an export would print wrongly: a period that ends before it starts, a count
 * that is not a finite number of documents (NaN would print as "NaN", Infinity as "∞"), a share
 * outside 0–1. Figures come from the database, but also from the API and files handed around, so
 * they are checked before a single byte is written.
 */
export function assertValidFigures(figures: ReportFigures): void {
  if (typeof figures !== 'object' || figures === null) throw new AppError('INVALID_INPUT', 'The report has no figures.');
  assertDate(figures.period?.from, 'period.from');
  assertDate(figures.period?.to, 'period.to');
  if (figures.period.from > figures.period.to) {
    throw new AppError('INVALID_INPUT', 'The report period ends before it starts.', { from: figures.period.from, to: figures.period.to });
  }
  if (typeof figures.generatedAt !== 'string' || Number.isNaN(new Date(figures.generatedAt).getTime())) {
    throw new AppError('INVALID_INPUT', 'The time the report was made is not a date and time.', { generatedAt: String(figures.generatedAt) });
  }
  if (typeof figures.agency?.name !== 'string') throw new AppError('INVALID_INPUT', "The report has no agency name.");
  for (const list of [figures.overdue?.documents, figures.overdue?.byHandler, figures.trend?.points]) {
    if (!Array.isArray(list)) throw new AppError('INVALID_INPUT', 'The report figures are incomplete.');
  }
  for (const point of figures.trend.points) {
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(String(point.key))) throw new AppError('INVALID_INPUT', 'A trend point has no yyyy-MM(-dd) key.', { key: String(point.key) });
  }
  for (const document of figures.overdue.documents) assertDate(document.due, 'overdue.documents.due');
  // Every number anywhere in the figures, found by walking them, so a figure added later is checked too.
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new AppError('INVALID_INPUT', `The report figure ${path} is not a finite number.`, { field: path, value: String(value) });
      const isShare = /Share$/.test(path);
      const isId = /(^|\.)(id|handlerId)$/.test(path);
      if (!isId && value < 0) throw new AppError('INVALID_INPUT', `The report figure ${path} is negative.`, { field: path, value });
      if (isShare && value > 1) throw new AppError('INVALID_INPUT', `The share ${path} is above 1.`, { field: path, value });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) walk(item, path === '' ? key : `${path}.${key}`);
  };
  walk(figures, '');
}
