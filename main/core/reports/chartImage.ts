// The report's charts as PNG for the PDF and XLSX exports: ECharts renders the option to an SVG
// string without a DOM (server-side rendering), resvg rasterises it. resvg is given Tinos and
// nothing else, so a chart comes out the same on every machine, whatever fonts it has, and the
// Vietnamese letters are drawn from a font that has them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { init, type EChartsCoreOption } from 'echarts/core';
import { registerReportCharts } from '../../common/reportCharts.js';
import { AppError } from '../../common/errors.js';

const require = createRequire(import.meta.url);
// The same files the register book's PDF embeds (books/bookPdf.ts).
const TINOS_FILES = { regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf', bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf' } as const;
export type TinosWeight = keyof typeof TINOS_FILES;

/** The path of a Tinos font file shipped in node_modules. */
export function tinosFontPath(weight: TinosWeight): string {
  return require.resolve(TINOS_FILES[weight]);
}

const tinosBytes = new Map<TinosWeight, Uint8Array>();
/** A Tinos font file's bytes, read once per process: pdfLibFontkit caches its parse by identity. */
export function tinosFontBytes(weight: TinosWeight): Uint8Array {
  let bytes = tinosBytes.get(weight);
  if (!bytes) {
    bytes = new Uint8Array(fs.readFileSync(tinosFontPath(weight)));
    tinosBytes.set(weight, bytes);
  }
  return bytes;
}

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
