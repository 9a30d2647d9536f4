// The report benchmark's measuring process (report.ts builds the data and starts it), so that its
// peak memory (VmHWM, see childRss.ts) is that of the reports alone. One JSON argument
// (ReportChildRequest); prints one JSON result; progress on stderr.
//   phase 'report': the dashboard's figures for a month, a quarter and the year, cold and warm;
//     the first page of two lists; the yearly report's figures, XLSX and PDF.
//   phase 'register:out' / 'register:in': the year's sổ đi or sổ đến as a book and as XLSX.
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../../main/core/storage/database.js';
import { reportFigures, reportList } from '../../main/core/reports/figures.js';
import { renderReportXlsx } from '../../main/core/reports/reportXlsx.js';
import { renderReportPdf } from '../../main/core/reports/reportPdf.js';
import { outgoingBook } from '../../main/core/issuing/outgoingBook.js';
import { incomingBook } from '../../main/core/incoming/incomingBook.js';
import { renderBookXlsx } from '../../main/core/books/bookXlsx.js';
import { vnDate } from '../../main/common/dates.js';
import type { ReportListKey, ReportPeriod } from '../../main/common/report.js';
import { ownPeakRssMB } from './childRss.js';
import type { PeriodTiming, RegisterPhaseResult, ReportChildRequest, ReportPhaseResult } from './report.js';
import { percentile, progress, round } from './stats.js';

const LIST_PAGE = { offset: 0, limit: 100 };

const request = JSON.parse(process.argv[2]!) as ReportChildRequest;
const now = new Date(request.now);
// Read-write, as the app opens it.
const open = () => openDatabase(request.dbFile);
const ms = async <T>(fn: () => T | Promise<T>): Promise<{ result: T; ms: number }> => {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
};
const rss = () => `RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB, peak ${Math.round(ownPeakRssMB())} MB`;

/** Cold: the first call on a database just opened (statements unprepared, SQLite's page cache empty; the OS's is warm). Warm: the median of the runs after it. */
function timePeriod(name: string, period: ReportPeriod): PeriodTiming {
  const db = open();
  try {
    let started = performance.now();
    reportFigures(db, period, now);
    const coldMs = performance.now() - started;
    const warm: number[] = [];
    for (let i = 0; i < request.warmRuns; i++) {
      started = performance.now();
      reportFigures(db, period, now);
      warm.push(performance.now() - started);
    }
    const timing = { period, coldMs: round(coldMs), warmMs: round(percentile(warm, 50)), warmMaxMs: round(Math.max(...warm)) };
    progress(`  ${name.padEnd(7)} ${period.from}..${period.to}: cold ${timing.coldMs} ms, warm median ${timing.warmMs} ms (max ${timing.warmMaxMs}); ${rss()}`);
    return timing;
  } finally {
    db.close();
  }
}

async function reportPhase(): Promise<ReportPhaseResult> {
  const y = request.year;
  const month = vnDate(now).slice(5, 7);
  const lastDay = new Date(Date.UTC(y, Number(month), 0)).getUTCDate();
  const quarterStart = String(Math.floor((Number(month) - 1) / 3) * 3 + 1).padStart(2, '0');
  const quarterEnd = String(Number(quarterStart) + 2).padStart(2, '0');
  const quarterLast = new Date(Date.UTC(y, Number(quarterEnd), 0)).getUTCDate();
  const year: ReportPeriod = { from: `${y}-01-01`, to: `${y}-12-31` };
  progress(`dashboard (figures as of ${request.now})`);
  const dashboard = {
    month: timePeriod('month', { from: `${y}-${month}-01`, to: `${y}-${month}-${lastDay}` }),
    quarter: timePeriod('quarter', { from: `${y}-${quarterStart}-01`, to: `${y}-${quarterEnd}-${quarterLast}` }),
    year: timePeriod('year', year),
  };

  const db = open();
  try {
    const list: ReportPhaseResult['list'] = {};
    for (const key of ['received', 'overdue'] as ReportListKey[]) {
      const first = await ms(() => reportList(db, year, key, LIST_PAGE, now));
      const warm: number[] = [];
      for (let i = 0; i < request.warmRuns; i++) warm.push((await ms(() => reportList(db, year, key, LIST_PAGE, now))).ms);
      list[key] = { total: first.result.total, items: first.result.items.length, firstMs: round(first.ms), warmMs: round(percentile(warm, 50)) };
      progress(`  list ${key}: ${first.result.total} in all, first page of ${first.result.items.length}: ${round(first.ms)} ms first, ${round(percentile(warm, 50))} ms warm; ${rss()}`);
    }

    progress('yearly report');
    const figures = await ms(() => reportFigures(db, year, now));
    const xlsx = await ms(() => renderReportXlsx(figures.result));
    progress(`  XLSX ${xlsx.result.byteLength} bytes in ${round(xlsx.ms)} ms; ${rss()}`);
    const pdf = await ms(() => renderReportPdf(figures.result));
    progress(`  PDF ${pdf.result.byteLength} bytes in ${round(pdf.ms)} ms; ${rss()}`);
    const f = figures.result;
    return {
      dashboard,
      list,
      yearlyReport: { figuresMs: round(figures.ms), xlsxMs: round(xlsx.ms), pdfMs: round(pdf.ms), bytes: { xlsx: xlsx.result.byteLength, pdf: pdf.result.byteLength } },
      // A few of the year's figures, to see at a glance that the data is what the counts say.
      figuresSample: { outgoing: f.outgoing, incoming: f.incoming, handling: f.handling, overdue: { count: f.overdue.count, dueSoon: f.overdue.dueSoon, handlers: f.overdue.byHandler.length }, queue: f.queue, trendPoints: f.trend.points.length },
      peakRssMB: round(ownPeakRssMB(), 1),
    };
  } finally {
    db.close();
  }
}

/** One register (its own process: the XLSX of a year's rows is the biggest thing a report builds). */
async function registerPhase(kind: 'out' | 'in'): Promise<RegisterPhaseResult> {
  const name = kind === 'out' ? 'outgoing' : 'incoming';
  const db: Database = open();
  try {
    const book = await ms(() => (kind === 'out' ? outgoingBook : incomingBook)(db, request.year, false));
    progress(`  ${name} register: ${book.result.rows.length} rows in ${round(book.ms)} ms; ${rss()}`);
    const xlsx = await ms(() => renderBookXlsx(book.result));
    progress(`  ${name} register XLSX: ${xlsx.result.byteLength} bytes in ${round(xlsx.ms)} ms; ${rss()}`);
    return { rows: book.result.rows.length, bookMs: round(book.ms), xlsxMs: round(xlsx.ms), bytes: xlsx.result.byteLength, peakRssMB: round(ownPeakRssMB(), 1) };
  } finally {
    db.close();
  }
}

const result = request.phase === 'report' ? await reportPhase() : await registerPhase(request.phase === 'register:out' ? 'out' : 'in');
process.stdout.write(JSON.stringify(result));
