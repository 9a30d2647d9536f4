// The periodic report as the dashboard and the CLI ask for it: the figures of a period, the
// documents behind one figure, and the report as a file; and a search's results as a file, which
// needs the same heavy libraries (pdf-lib, exceljs).
import type { CoreServices } from '../app/core.js';
import type { GroupHandlers } from './methodGroups.js';
import { reportFigures, reportList } from '../reports/figures.js';
import { renderReportXlsx } from '../reports/reportXlsx.js';
import { renderReportPdf } from '../reports/reportPdf.js';
import { localAgency } from '../registry/agency.js';
import { exportSearch } from '../reports/searchExport.js';

type ReportHandlers = GroupHandlers<'report'>;

export function createReportHandlers(core: CoreServices): ReportHandlers {
  return {
    'report.figures': ({ from, to }) => reportFigures(core.db, { from, to }),
    'report.list': ({ from, to, key, offset, limit }) => reportList(core.db, { from, to }, key, { offset, limit }),
    'report.export': async ({ from, to, format, place, signer, recipients }) => {
      const figures = reportFigures(core.db, { from, to });
      const fileName = `bao-cao-van-ban-${from}-${to}.${format}`;
      const form = { abbreviation: localAgency(core.db).abbreviation, place, signer, recipients };
      // Copied into a plain ArrayBuffer-backed array, which is what the transports send.
      const bytes = format === 'xlsx' ? await renderReportXlsx(figures) : await renderReportPdf(figures, form);
      return { fileName, bytes: new Uint8Array(bytes) };
    },
    'documents.exportSearch': (request) => exportSearch(core.db, request),
  };
}
