// The periodic report as a spreadsheet, for the clerk who copies the figures into the province's
// form or hands them on: the table of figures with its definitions and charts, the overdue
// documents, and the figures over time. Labels and formatted values come from REPORT_TABLE, the
// one definition the dashboard and the PDF read too.
import ExcelJS from 'exceljs';
import { formatDateTimeVn, formatDateVn } from '../../common/dates.js';
import { REPORT_DEFINITIONS, REPORT_TABLE, formatCount, type ReportFigures } from '../../common/report.js';
import { REPORT_CHART_NAMES, reportChartOption } from '../../common/reportCharts.js';
import { assertValidFigures, renderChartPng } from './chartImage.js';

export const REPORT_TITLE = 'BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐIỆN TỬ';

const FONT = { name: 'Times New Roman', size: 12 } as const;
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const COUNT_FORMAT = '#,##0';
// A share as a number the spreadsheet can compute with, shown as a percentage (87,5% in a Vietnamese Excel).
const SHARE_FORMAT = '0.0%';
// Charts are laid out at this size in pixels and drawn at twice the resolution, so they stay
// sharp when the sheet is zoomed or printed.
const CHART_WIDTH = 560;
const CHART_HEIGHT = 280;
const DEFAULT_ROW_PIXELS = 20;

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

/** Text as a cell should hold it: composed (NFC) so Excel's search and sort treat "ệ" as one letter. */
function cellText(text: string): string {
  return text.normalize('NFC').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
}

export function reportPeriodLine(figures: ReportFigures): string {
  return `Từ ngày ${formatDateVn(figures.period.from)} đến ngày ${formatDateVn(figures.period.to)}`;
}

export function reportGeneratedLine(figures: ReportFigures): string {
  return `Lập lúc ${formatDateTimeVn(figures.generatedAt)}`;
}

/** A trend bucket as a reader writes it: dd/MM/yyyy for a day, MM/yyyy for a month. */
export function trendKeyVn(key: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  return month ? `${month[2]}/${month[1]}` : formatDateVn(key);
}

/** Rows of text spanning columns, wrapped, tall enough for their text at about `perLine` characters a line. */
function spanRow(sheet: ExcelJS.Worksheet, text: string, toColumn: number, font: Partial<ExcelJS.Font>, horizontal: 'left' | 'center', perLine = 0): ExcelJS.Row {
  const row = sheet.addRow([cellText(text)]);
  if (toColumn > 1) sheet.mergeCells(row.number, 1, row.number, toColumn);
  const cell = row.getCell(1);
  cell.font = { ...FONT, ...font };
  cell.alignment = { horizontal, vertical: 'middle', wrapText: perLine > 0 };
  // Neither Excel nor LibreOffice grows a merged row to fit its text, so the height is set here.
  if (perLine > 0) row.height = Math.max(1, Math.ceil(text.length / perLine)) * 16 + 2;
  return row;
}

/**
 * Sets a row tall enough for its wrapped text. LibreOffice keeps an imported row at the default
 * height whatever its text, so a wrapped subject would show only its first line; a Times New
 * Roman 12 letter is about one unit of column width, a little less than a digit of the default font.
 */
function fitHeight(row: ExcelJS.Row, widths: number[], spans: Record<number, number> = {}): void {
  let lines = 1;
  row.eachCell((cell, column) => {
    const width = spans[column] ?? widths[column - 1] ?? 10;
    const text = cell.value === null || cell.value === undefined ? '' : String(cell.value);
    lines = Math.max(lines, Math.ceil((text.length * 1.1) / Math.max(1, width - 1)));
  });
  if (lines > 1) row.height = lines * 15.5 + 2;
}

function headerRow(sheet: ExcelJS.Worksheet, labels: string[], widths?: number[]): ExcelJS.Row {
  const row = sheet.addRow(labels);
  row.eachCell((cell) => {
    cell.font = { ...FONT, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = THIN;
  });
  if (widths) fitHeight(row, widths);
  return row;
}

function pageSetup(sheet: ExcelJS.Worksheet, printTitles?: string): void {
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 0.8, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(printTitles ? { printTitlesRow: printTitles } : {}),
  };
  sheet.headerFooter = { oddFooter: '&CTrang &P/&N' };
}

function figuresSheet(workbook: ExcelJS.Workbook, figures: ReportFigures, charts: Uint8Array[]): void {
  const sheet = workbook.addWorksheet('Báo cáo');
  sheet.columns = [
    { key: 'stt', width: 7, style: { font: { ...FONT }, alignment: { horizontal: 'center', vertical: 'middle' } } },
    { key: 'label', width: 58, style: { font: { ...FONT }, alignment: { horizontal: 'left', vertical: 'middle', wrapText: true } } },
    { key: 'value', width: 16, style: { font: { ...FONT }, alignment: { horizontal: 'right', vertical: 'middle' } } },
    { key: 'share', width: 11, style: { font: { ...FONT }, alignment: { horizontal: 'right', vertical: 'middle' } } },
  ];
  spanRow(sheet, figures.agency.name.trim().toLocaleUpperCase('vi-VN'), 2, { bold: true }, 'left');
  sheet.addRow([]);
  spanRow(sheet, REPORT_TITLE, 4, { bold: true, size: 14 }, 'center').height = 22;
  spanRow(sheet, reportPeriodLine(figures), 4, { italic: true }, 'center');
  spanRow(sheet, reportGeneratedLine(figures), 4, { italic: true, size: 11 }, 'center');
  sheet.addRow([]);

  headerRow(sheet, ['STT', 'Chỉ tiêu', 'Số liệu', 'Tỷ lệ']);
  let section = 0;
  let item = 0;
  for (const entry of REPORT_TABLE) {
    if (entry.section) {
      const row = sheet.addRow([ROMAN[section] ?? String(section + 1), cellText(entry.vi)]);
      section += 1;
      item = 0;
      sheet.mergeCells(row.number, 2, row.number, 4);
      row.font = { ...FONT, bold: true };
      for (let column = 1; column <= 4; column++) row.getCell(column).border = THIN;
      continue;
    }
    item += 1;
    const count = entry.count?.(figures);
    // A share of nothing stays a dash, as on the screen: 0% would claim a figure there is none of.
    const share = entry.share ? (entry.share(figures) ?? '—') : null;
    const row = sheet.addRow([item, cellText(entry.vi), count ?? cellText(entry.value?.(figures, 'vi') ?? ''), share]);
    if (count !== undefined) row.getCell(3).numFmt = COUNT_FORMAT;
    if (typeof share === 'number') row.getCell(4).numFmt = SHARE_FORMAT;
    for (let column = 1; column <= 4; column++) row.getCell(column).border = THIN;
  }

  sheet.addRow([]);
  spanRow(sheet, 'Ghi chú:', 4, { bold: true, italic: true, size: 11 }, 'left');
  for (const note of REPORT_DEFINITIONS.vi) spanRow(sheet, `- ${note}`, 4, { italic: true, size: 11 }, 'left', 95);

  // The charts on a page of their own under the notes, one after another, each given rows enough
  // not to overlap the next; the three fit one A4 page, so none is cut in two when printed.
  sheet.lastRow?.addPageBreak();
  let row = sheet.rowCount + 1;
  for (const png of charts) {
    const image = workbook.addImage({ buffer: Buffer.from(png) as unknown as ExcelJS.Buffer, extension: 'png' });
    sheet.addImage(image, { tl: { col: 0, row }, ext: { width: CHART_WIDTH, height: CHART_HEIGHT }, editAs: 'oneCell' });
    row += Math.ceil(CHART_HEIGHT / DEFAULT_ROW_PIXELS) + 1;
  }

  // The table fits one page, so its header is not repeated over the charts' page.
  pageSetup(sheet);
}

function overdueSheet(workbook: ExcelJS.Workbook, figures: ReportFigures): void {
  const sheet = workbook.addWorksheet('Quá hạn');
  const widths = [6, 9, 16, 44, 22, 14, 11];
  sheet.columns = widths.map((width) => ({ width, style: { font: { ...FONT }, alignment: { vertical: 'top', wrapText: true } } }));
  spanRow(sheet, 'VĂN BẢN ĐẾN QUÁ HẠN GIẢI QUYẾT', widths.length, { bold: true, size: 14 }, 'center').height = 22;
  spanRow(sheet, `Tại thời điểm lập báo cáo (${formatDateTimeVn(figures.generatedAt)})`, widths.length, { italic: true }, 'center');
  const listed = figures.overdue.documents.length;
  const total = figures.overdue.count;
  spanRow(
    sheet,
    listed < total
      ? `Tổng số: ${formatCount(total)} văn bản; liệt kê ${formatCount(listed)} văn bản quá hạn lâu nhất.`
      : `Tổng số: ${formatCount(total)} văn bản.`,
    widths.length,
    {},
    'left',
  );
  sheet.addRow([]);

  const header = headerRow(sheet, ['STT', 'Số đến', 'Số, ký hiệu', 'Trích yếu', 'Người xử lý', 'Hạn giải quyết', 'Số ngày quá hạn'], widths);
  figures.overdue.documents.forEach((document, i) => {
    const row = sheet.addRow([
      i + 1,
      document.incomingNumber,
      cellText(document.notation),
      cellText(document.subject),
      cellText(document.handlerName),
      formatDateVn(document.due),
      document.daysOverdue,
    ]);
    row.getCell(7).numFmt = COUNT_FORMAT;
    for (const column of [1, 2, 6, 7]) row.getCell(column).alignment = { horizontal: 'center', vertical: 'top' };
    for (let column = 1; column <= widths.length; column++) row.getCell(column).border = THIN;
    fitHeight(row, widths);
  });
  if (listed === 0) spanRow(sheet, 'Không có văn bản quá hạn.', widths.length, { italic: true }, 'left');

  sheet.addRow([]);
  spanRow(sheet, 'Theo người xử lý', widths.length, { bold: true }, 'left');
  const byHandler = sheet.addRow(['STT', 'Người xử lý', null, null, 'Đơn vị', 'Số văn bản quá hạn']);
  sheet.mergeCells(byHandler.number, 2, byHandler.number, 4);
  byHandler.eachCell((cell) => {
    cell.font = { ...FONT, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  for (let column = 1; column <= 6; column++) byHandler.getCell(column).border = THIN;
  // The name spans columns 2–4.
  const handlerSpans = { 2: (widths[1] ?? 0) + (widths[2] ?? 0) + (widths[3] ?? 0) };
  fitHeight(byHandler, widths, handlerSpans);
  figures.overdue.byHandler.forEach((handler, i) => {
    const row = sheet.addRow([i + 1, cellText(handler.name), null, null, cellText(handler.unit), handler.count]);
    sheet.mergeCells(row.number, 2, row.number, 4);
    row.getCell(1).alignment = { horizontal: 'center', vertical: 'top' };
    row.getCell(6).numFmt = COUNT_FORMAT;
    row.getCell(6).alignment = { horizontal: 'right', vertical: 'top' };
    for (let column = 1; column <= 6; column++) row.getCell(column).border = THIN;
    fitHeight(row, widths, handlerSpans);
  });
  if (figures.overdue.byHandler.length === 0) spanRow(sheet, 'Không có người xử lý nào có văn bản quá hạn.', widths.length, { italic: true }, 'left');

  pageSetup(sheet, `${header.number}:${header.number}`);
}

function trendSheet(workbook: ExcelJS.Workbook, figures: ReportFigures): void {
  const sheet = workbook.addWorksheet('Theo thời gian');
  const labels = [
    figures.trend.bucket === 'month' ? 'Tháng' : 'Ngày',
    'Văn bản đi',
    'Đi qua trục',
    'Đi bằng giấy',
    'Văn bản đến',
    'Đến qua trục',
    'Đến điện tử ngoài trục',
    'Đến bằng giấy',
  ];
  sheet.columns = labels.map((_, i) => ({ width: i === 0 ? 14 : 13, style: { font: { ...FONT }, alignment: { horizontal: i === 0 ? 'center' : 'right', vertical: 'middle' } } }));
  spanRow(sheet, 'VĂN BẢN ĐI, ĐẾN THEO THỜI GIAN', labels.length, { bold: true, size: 14 }, 'center').height = 22;
  spanRow(sheet, reportPeriodLine(figures), labels.length, { italic: true }, 'center');
  sheet.addRow([]);
  const header = headerRow(sheet, labels, labels.map((_, i) => (i === 0 ? 14 : 13)));
  const totals = [0, 0, 0, 0, 0, 0, 0];
  const countRow = (first: string, values: number[], bold: boolean) => {
    const row = sheet.addRow([first, ...values]);
    for (let column = 1; column <= labels.length; column++) {
      const cell = row.getCell(column);
      cell.border = THIN;
      if (column > 1) cell.numFmt = COUNT_FORMAT;
      if (bold) cell.font = { ...FONT, bold: true };
    }
  };
  for (const point of figures.trend.points) {
    const values = [
      point.issued,
      point.issuedViaAxis,
      Math.max(0, point.issued - point.issuedViaAxis),
      point.received,
      point.receivedViaAxis,
      point.receivedElectronic,
      Math.max(0, point.received - point.receivedViaAxis - point.receivedElectronic),
    ];
    values.forEach((value, i) => (totals[i] = (totals[i] ?? 0) + value));
    countRow(trendKeyVn(point.key), values, false);
  }
  countRow('Cộng', totals, true);
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: header.number, topLeftCell: `A${header.number + 1}`, activeCell: `A${header.number + 1}` }];
  pageSetup(sheet, `${header.number}:${header.number}`);
}

export async function renderReportXlsx(figures: ReportFigures): Promise<Uint8Array> {
  assertValidFigures(figures);
  const charts = REPORT_CHART_NAMES.map((name) => renderChartPng(reportChartOption(name, figures, 'vi'), { width: CHART_WIDTH, height: CHART_HEIGHT, scale: 2 }));
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'eOffice';
  workbook.title = `${REPORT_TITLE} – ${figures.agency.name.trim()} – ${reportPeriodLine(figures)}`;
  figuresSheet(workbook, figures, charts);
  overdueSheet(workbook, figures);
  trendSheet(workbook, figures);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
