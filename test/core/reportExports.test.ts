// The periodic report's exports, checked with the tools a reader would open them with: the XLSX
// through exceljs and one real LibreOffice conversion, the PDF through qpdf, pdftotext and
// pdfimages, the charts as PNG. Figures in the thousands, so the Vietnamese separators show.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { AppError } from '../../main/common/errors.js';
import { INCOMING_STATE_KEYS, REPORT_DEFINITIONS, REPORT_TABLE, type ReportFigures } from '../../main/common/report.js';
import { REPORT_CHART_NAMES, reportChartOption, trendLabel } from '../../main/common/reportCharts.js';
import { renderChartPng } from '../../main/core/reports/chartImage.js';
import { renderReportPdf } from '../../main/core/reports/reportPdf.js';
import { renderReportXlsx } from '../../main/core/reports/reportXlsx.js';
import { tempDir } from '../support/fixtures.js';
import { soffice } from '../support/soffice.js';

const HANDLERS = ['Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê Hoàng Đức'];

function fullFigures(): ReportFigures {
  return {
    period: { from: '2026-11-01', to: '2026-11-30' },
    generatedAt: '2026-12-01T08:15:00+07:00',
    agency: { name: 'Sở Thông tin và Truyền thông tỉnh Hà Giang', code: '000.00.32.H41' },
    outgoing: { issued: 12345, viaAxis: 10000, onPaper: 2345, leaderSigned: 10802, agencySigned: 9876, leaderSignedShare: 0.875, agencySignedShare: 0.8 },
    incoming: {
      received: 23456,
      viaAxis: 20111,
      electronic: 1000,
      onPaper: 2345,
      accepted: 22000,
      handledOnNetwork: 19250,
      handledOnNetworkShare: 0.875,
      byState: { received: 1456, registered: 1000, assigned: 3000, in_progress: 4000, done: 13000, returned: 600, recalled: 400 },
    },
    handling: { done: 13000, medianHours: 30, p90Hours: 90, onTime: 11234, late: 1266, withoutDue: 500 },
    overdue: {
      count: 1234,
      dueSoon: 56,
      byHandler: HANDLERS.map((name, i) => ({ handlerId: i + 1, name, unit: 'Phòng Hành chính – Tổng hợp', count: 700 - i * 100 })),
      // Twenty, as many as the report lists: the overdue table runs onto a second page.
      documents: Array.from({ length: 20 }, (_, i) => ({
        id: 100 + i,
        incomingNumber: 1001 + i,
        notation: `${729 + i}/QĐ-UBND`,
        subject: `Về việc triển khai kế hoạch chuyển đổi số năm 2026, đợt ${i + 1}, của các sở, ban, ngành và Ủy ban nhân dân cấp huyện`,
        author: 'Ủy ban nhân dân tỉnh',
        handlerName: HANDLERS[i % HANDLERS.length] as string,
        due: `2026-10-${String(10 + i).padStart(2, '0')}`,
        daysOverdue: 52 - i,
      })),
    },
    queue: { waiting: 3, waitingBytes: 1_500_000, failed: 1, oldestWaitingAt: '2026-11-30T16:00:00+07:00', refusedReceived: 2 },
    trend: {
      bucket: 'day',
      points: Array.from({ length: 30 }, (_, i) => ({
        key: `2026-11-${String(i + 1).padStart(2, '0')}`,
        issued: 411 + (i % 3),
        issuedViaAxis: 333,
        received: 781 + (i % 5),
        receivedViaAxis: 670,
        receivedElectronic: 60,
      })),
    },
  };
}

function emptyFigures(): ReportFigures {
  return {
    period: { from: '2026-11-01', to: '2026-11-03' },
    generatedAt: '2026-12-01T08:15:00+07:00',
    agency: { name: 'Văn phòng Ủy ban nhân dân xã Tân Lập', code: '000.00.00.H41' },
    outgoing: { issued: 0, viaAxis: 0, onPaper: 0, leaderSigned: 0, agencySigned: 0, leaderSignedShare: null, agencySignedShare: null },
    incoming: {
      received: 0,
      viaAxis: 0,
      electronic: 0,
      onPaper: 0,
      accepted: 0,
      handledOnNetwork: 0,
      handledOnNetworkShare: null,
      byState: { received: 0, registered: 0, assigned: 0, in_progress: 0, done: 0, returned: 0, recalled: 0 },
    },
    handling: { done: 0, medianHours: null, p90Hours: null, onTime: 0, late: 0, withoutDue: 0 },
    overdue: { count: 0, dueSoon: 0, byHandler: [], documents: [] },
    queue: { waiting: 0, waitingBytes: 0, failed: 0, oldestWaitingAt: null, refusedReceived: 0 },
    trend: {
      bucket: 'day',
      points: ['2026-11-01', '2026-11-02', '2026-11-03'].map((key) => ({ key, issued: 0, issuedViaAxis: 0, received: 0, receivedViaAxis: 0, receivedElectronic: 0 })),
    },
  };
}

let work: string;
before(() => {
  work = tempDir('eoffice-report-test-');
});
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const oneSpaced = (text: string) => text.replace(/\s+/g, ' ');

function pdfText(file: string): string {
  return oneSpaced(execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

function qpdfCheck(file: string): void {
  // qpdf exits 0 when the file is sound, 3 for warnings, 2 for errors.
  const output = execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
  assert.match(output, /No syntax or stream encoding errors found/);
}

function imageCount(file: string): number {
  const lines = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2);
  return lines.filter((line) => /^\s*\d+\s+\d+\s+image\b/.test(line)).length;
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the PNG signature');
  assert.equal(Buffer.from(png.subarray(12, 16)).toString('latin1'), 'IHDR');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function rejectsInvalid(error: unknown): boolean {
  assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
  assert.equal(error.code, 'INVALID_INPUT', error.message);
  return true;
}

test('chart options format every number the Vietnamese way and never animate', () => {
  const figures = fullFigures();
  for (const name of REPORT_CHART_NAMES) {
    const option = reportChartOption(name, figures, 'vi') as Record<string, unknown>;
    assert.equal(option.animation, false, name);
    const tooltip = option.tooltip as { valueFormatter: (v: number) => string };
    assert.equal(tooltip.valueFormatter(12345).startsWith('12.345'), true, `${name}: ${tooltip.valueFormatter(12345)}`);
  }
  const trend = reportChartOption('trend', figures, 'vi') as { yAxis: { axisLabel: { formatter: (v: number) => string } }; series: unknown[] };
  assert.equal(trend.yAxis.axisLabel.formatter(12345), '12.345');
  assert.equal(trend.series.length, 5, 'issued via the axis and on paper; received via the axis, electronically outside it and on paper');
  const signing = reportChartOption('signing', figures, 'vi') as { series: Array<{ label: { formatter: (p: { dataIndex: number }) => string } }> };
  assert.equal(signing.series[0]?.label.formatter({ dataIndex: 1 }), '10.802 (87,5%)');
  assert.equal(reportChartOption('signing', figures, 'en', { fontFamily: 'Arial' }).textStyle instanceof Object, true);
  assert.equal((reportChartOption('signing', figures, 'en', { fontFamily: 'Arial' }) as { textStyle: { fontFamily: string } }).textStyle.fontFamily, 'Arial');
  assert.equal(trendLabel('2026-11-05', 'vi'), '05/11');
  assert.equal(trendLabel('2026-11', 'vi'), 'Th 11/2026');
  assert.equal(trendLabel('2026-11', 'en'), 'Nov 2026');

  const pie = reportChartOption('incomingStates', { ...figures, incoming: { ...figures.incoming, byState: { ...figures.incoming.byState, recalled: 0 } } }, 'vi') as {
    series: Array<{ data: Array<{ name: string }> }>;
  };
  assert.deepEqual(
    pie.series[0]?.data.map((slice) => slice.name),
    ['Chờ tiếp nhận', 'Đã vào sổ', 'Đã giao xử lý', 'Đang xử lý', 'Đã xử lý xong', 'Đã trả lại'],
    'a zero slice is left out',
  );
  assert.equal(INCOMING_STATE_KEYS.length, 7);

  const empty = reportChartOption('trend', emptyFigures(), 'vi') as { graphic?: Array<{ style: { text: string } }> };
  assert.equal(empty.graphic?.[0]?.style.text, 'Không có văn bản trong kỳ');
  const emptyEn = reportChartOption('incomingStates', emptyFigures(), 'en') as { graphic?: Array<{ style: { text: string } }> };
  assert.equal(emptyEn.graphic?.[0]?.style.text, 'No documents in this period');
});

test('a chart renders to a PNG of the requested size times the scale, empty figures too', () => {
  for (const name of REPORT_CHART_NAMES) {
    const png = renderChartPng(reportChartOption(name, fullFigures(), 'vi'), { width: 400, height: 200, scale: 2 });
    assert.deepEqual(pngSize(png), { width: 800, height: 400 }, name);
    const empty = renderChartPng(reportChartOption(name, emptyFigures(), 'vi'), { width: 300, height: 150, scale: 1 });
    assert.deepEqual(pngSize(empty), { width: 300, height: 150 }, `${name}, empty`);
  }
  // The same figures give the same picture: the PDF must not change from one export to the next.
  const option = () => reportChartOption('trend', fullFigures(), 'vi');
  assert.deepEqual(renderChartPng(option(), { width: 300, height: 150, scale: 1 }), renderChartPng(option(), { width: 300, height: 150, scale: 1 }));
  assert.throws(() => renderChartPng(option(), { width: 0, height: 150, scale: 1 }), rejectsInvalid);
  assert.throws(() => renderChartPng(option(), { width: 300, height: 150, scale: Number.NaN }), rejectsInvalid);
});

test('the XLSX holds the labels, the counts as numbers, the overdue list and the trend, and LibreOffice opens it', async () => {
  const figures = fullFigures();
  const bytes = await renderReportXlsx(figures);
  const file = path.join(work, 'báo cáo.xlsx');
  fs.writeFileSync(file, bytes);

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  assert.deepEqual(
    workbook.worksheets.map((sheet) => sheet.name),
    ['Báo cáo', 'Quá hạn', 'Theo thời gian'],
  );

  const report = workbook.getWorksheet('Báo cáo')!;
  const texts: string[] = [];
  report.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
  assert.equal(report.getCell('A1').value, 'SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH HÀ GIANG');
  assert.ok(texts.includes('BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐIỆN TỬ'));
  assert.ok(texts.includes('Từ ngày 01/11/2026 đến ngày 30/11/2026'));
  assert.ok(texts.includes('Lập lúc 01/12/2026 08:15'));
  for (const note of REPORT_DEFINITIONS.vi) assert.ok(texts.includes(`- ${note}`), note);

  const valueOf = (label: string) => {
    let found: ExcelJS.Cell | undefined;
    report.eachRow((row) => {
      if (row.getCell(2).value === label) found = row.getCell(3);
    });
    assert.ok(found, `a row "${label}"`);
    return found;
  };
  const issued = valueOf('Văn bản đã phát hành');
  assert.equal(issued.value, 12345);
  assert.equal(issued.numFmt, '#,##0');
  assert.equal(valueOf('Văn bản đến').value, 23456);
  // A share is two numbers the spreadsheet can compute with: the count, and the percentage beside it.
  const leader = valueOf('Ký số của người có thẩm quyền');
  assert.deepEqual([leader.value, leader.numFmt], [10802, '#,##0']);
  const leaderShare = report.getRow(Number(leader.row)).getCell(4);
  assert.deepEqual([leaderShare.value, leaderShare.numFmt], [0.875, '0.0%']);
  assert.equal(report.getRow(Number(valueOf('Xử lý trên môi trường mạng').row)).getCell(4).value, 0.875);
  assert.equal(report.getRow(Number(issued.row)).getCell(4).value, null, 'a plain count has no share');
  assert.equal(valueOf('Trung vị (từ lúc đến tới khi xong)').value, '1,3 ngày');
  // Every row of the table is there, with the value REPORT_TABLE gives it (as a number when it is a count).
  for (const row of REPORT_TABLE) {
    if (row.section) {
      assert.ok(texts.includes(row.vi), row.vi);
      continue;
    }
    const cell = valueOf(row.vi);
    const formatted = row.value!(figures, 'vi');
    const shareCell = report.getRow(Number(cell.row)).getCell(4);
    // A share row reads back as "count (share)", the share printed as Excel prints 0.0% in Vietnamese.
    const shown =
      typeof shareCell.value === 'number'
        ? `${(cell.value as number).toLocaleString('de-DE')} (${(shareCell.value * 100).toLocaleString('de-DE', { maximumFractionDigits: 1 })}%)`
        : typeof cell.value === 'number'
          ? cell.value.toLocaleString('de-DE')
          : cell.value;
    assert.equal(shown, formatted, row.vi);
  }
  assert.equal(report.getImages().length, 3, 'the three charts');

  const overdue = workbook.getWorksheet('Quá hạn')!;
  const overdueRows: unknown[][] = [];
  overdue.eachRow((row) => overdueRows.push((row.values as unknown[]).slice(1)));
  const first = overdueRows.find((row) => row[2] === '729/QĐ-UBND');
  assert.deepEqual(first?.slice(0, 7), [1, 1001, '729/QĐ-UBND', figures.overdue.documents[0]!.subject, 'Nguyễn Văn An', '10/10/2026', 52]);
  assert.equal(overdueRows.filter((row) => /\/QĐ-UBND$/.test(String(row[2]))).length, 20);
  const ngoc = overdueRows.find((row) => row[1] === 'Trần Thị Bích Ngọc');
  assert.deepEqual([ngoc?.[4], ngoc?.[5]], ['Phòng Hành chính – Tổng hợp', 600]);

  const trend = workbook.getWorksheet('Theo thời gian')!;
  const trendRows: unknown[][] = [];
  trend.eachRow((row) => trendRows.push((row.values as unknown[]).slice(1)));
  assert.deepEqual(trendRows.find((row) => row[0] === '01/11/2026'), ['01/11/2026', 411, 333, 78, 781, 670, 60, 51]);
  const total = trendRows.find((row) => row[0] === 'Cộng');
  assert.equal(total?.[1], figures.trend.points.reduce((sum, p) => sum + p.issued, 0));

  // The one LibreOffice conversion of this file: a real spreadsheet application reads the workbook.
  const outDir = path.join(work, 'lo-out');
  const profile = `file://${path.join(work, 'lo-profile')}`;
  const result = await soffice(['--headless', '--norestore', `-env:UserInstallation=${profile}`, '--convert-to', 'pdf', '--outdir', outDir, file], 120_000);
  assert.equal(result.code, 0, result.output);
  const converted = path.join(outDir, 'báo cáo.pdf');
  assert.ok(fs.existsSync(converted), `LibreOffice wrote no PDF: ${result.output}`);
  assert.ok(fs.statSync(converted).size > 0);
  const convertedText = pdfText(converted);
  assert.ok(convertedText.includes('BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐIỆN TỬ'), 'LibreOffice printed the title');
  assert.ok(convertedText.includes('Trần Thị Bích Ngọc'));
});

test('the PDF is sound, its text holds every label and figure as the table formats them, and it has the three charts', async () => {
  const figures = fullFigures();
  const file = path.join(work, 'report.pdf');
  fs.writeFileSync(file, await renderReportPdf(figures));
  qpdfCheck(file);
  const text = pdfText(file);
  for (const expected of [
    // The agency's name wraps in its header cell, as on a printed document.
    'SỞ THÔNG TIN VÀ TRUYỀN',
    'THÔNG TỈNH HÀ GIANG',
    'BÁO CÁO',
    'Tình hình xử lý văn bản điện tử',
    'Từ ngày 01/11/2026 đến ngày 30/11/2026',
    'Lập lúc 01/12/2026 08:15',
    '12.345',
    '23.456',
    '10.802 (87,5%)',
    '9.876 (80%)',
    '1,3 ngày',
    '3,8 ngày',
    '729/QĐ-UBND',
    '748/QĐ-UBND',
    'Trần Thị Bích Ngọc',
    '10/10/2026',
    'Phòng Hành chính – Tổng hợp',
  ]) {
    assert.ok(text.includes(expected), `the PDF text has "${expected}"`);
  }
  for (const row of REPORT_TABLE) {
    assert.ok(text.includes(row.vi), `label "${row.vi}"`);
    if (row.value) assert.ok(text.includes(row.value(figures, 'vi')), `${row.vi}: ${row.value(figures, 'vi')}`);
  }
  for (const note of REPORT_DEFINITIONS.vi) assert.ok(text.includes(oneSpaced(note.split(' ').slice(0, 6).join(' '))), note);
  assert.equal(imageCount(file), 3);
  assert.match(text, /Trang 1\/\d/);
});

test('an empty period gives a sound PDF and XLSX with dashes for shares and no overdue list', async () => {
  const figures = emptyFigures();
  const file = path.join(work, 'empty.pdf');
  fs.writeFileSync(file, await renderReportPdf(figures));
  qpdfCheck(file);
  const text = pdfText(file);
  assert.ok(text.includes('Từ ngày 01/11/2026 đến ngày 03/11/2026'));
  assert.ok(text.includes('Ký số của người có thẩm quyền —'));
  assert.ok(text.includes('Không có văn bản quá hạn.'));
  assert.equal(imageCount(file), 3);

  const bytes = await renderReportXlsx(figures);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const report = workbook.getWorksheet('Báo cáo')!;
  let issued: unknown;
  report.eachRow((row) => {
    if (row.getCell(2).value === 'Văn bản đã phát hành') issued = row.getCell(3).value;
  });
  assert.equal(issued, 0);
  assert.equal(report.getImages().length, 3);
});

test('figures that cannot be printed truthfully are refused before anything is made', async () => {
  const backwards = { ...fullFigures(), period: { from: '2026-11-30', to: '2026-11-01' } };
  const notANumber = fullFigures();
  notANumber.outgoing.issued = Number.NaN;
  const infinite = fullFigures();
  infinite.trend.points[3]!.received = Number.POSITIVE_INFINITY;
  const badShare = fullFigures();
  badShare.outgoing.leaderSignedShare = 8.75;
  const badDate = { ...fullFigures(), period: { from: '2026-02-30', to: '2026-03-01' } };
  for (const figures of [backwards, notANumber, infinite, badShare, badDate]) {
    await assert.rejects(renderReportPdf(figures), rejectsInvalid);
    await assert.rejects(renderReportXlsx(figures), rejectsInvalid);
  }
  await assert.rejects(renderReportPdf(backwards), /ends before it starts/);
  await assert.rejects(renderReportXlsx(notANumber), /outgoing\.issued is not a finite number/);
});

/** Page 1's words with their boxes, in points from the top-left corner (pdftotext -bbox). */
function wordBoxes(file: string): { word: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    word: m[5]!,
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }));
}

/** Page 1 in grey at 2 pixels a point (pdftoppm), as rows of bytes. */
function pageGrey(file: string): { width: number; height: number; at: (xPt: number, yPt: number) => number } {
  const prefix = path.join(work, `grey-${path.basename(file)}`);
  execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '144', '-gray', '-singlefile', file, prefix]);
  const pgm = fs.readFileSync(`${prefix}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const width = Number(header[1]);
  const height = Number(header[2]);
  const data = pgm.subarray(header[0].length);
  return { width, height, at: (xPt, yPt) => data[Math.round(yPt * 2) * width + Math.round(xPt * 2)]! };
}

test('the PDF is a Decree 30 document: national heading, agency, blank number and date lines, title, nơi nhận and the signer’s block', async () => {
  const file = path.join(work, 'decree30.pdf');
  fs.writeFileSync(file, await renderReportPdf(fullFigures(), { abbreviation: 'STTTT', signer: { competence: 'KT. GIÁM ĐỐC', position: 'Phó Giám đốc', name: 'Trần Văn Bình' }, recipients: ['UBND tỉnh (để báo cáo);', 'Lưu: VT, VP.'] }));
  qpdfCheck(file);
  const text = pdfText(file);
  for (const expected of [
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    'SỞ THÔNG TIN VÀ TRUYỀN',
    // The agency's seat, read from its name; day and month blank until numbering, the year printed.
    'Hà Giang, ngày tháng năm 2026',
    'BÁO CÁO Tình hình xử lý văn bản điện tử Từ ngày 01/11/2026 đến ngày 30/11/2026',
    'Nơi nhận:',
    '- UBND tỉnh (để báo cáo);',
    '- Lưu: VT, VP.',
    'KT. GIÁM ĐỐC',
    'PHÓ GIÁM ĐỐC',
    'Trần Văn Bình',
  ]) {
    assert.ok(text.includes(expected), `the PDF text has "${expected}"`);
  }
  assert.match(text, /Số: \/BC-STTTT/, 'the number left blank before the report’s notation');
  // Defaults: a People's Committee signs as a collective; another agency by its head. Nothing to sign with a name yet.
  const commune = path.join(work, 'decree30-commune.pdf');
  fs.writeFileSync(commune, await renderReportPdf({ ...emptyFigures(), agency: { name: 'UBND xã Tân Lập', code: '000.00.00.H41' } }, { abbreviation: 'UBND' }));
  const communeText = pdfText(commune);
  for (const expected of ['Số: /BC-UBND', 'Tân Lập, ngày tháng năm 2026', 'TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', '- Cơ quan cấp trên (để báo cáo);', '- Lưu: VT.']) {
    assert.ok(communeText.includes(expected), `the commune's report has "${expected}"`);
  }
  const elsewhere = pdfText(await (async () => {
    const f = path.join(work, 'decree30-other.pdf');
    fs.writeFileSync(f, await renderReportPdf({ ...emptyFigures(), agency: { name: 'Trung tâm Phục vụ hành chính công', code: '000.00.00.H41' } }));
    return f;
  })());
  assert.ok(elsewhere.includes('THỦ TRƯỞNG CƠ QUAN'));
  assert.match(elsewhere, /Số: \/BC ngày tháng năm 2026/, 'no place known and no abbreviation: the lines are still there to fill');
});

test('the rule under the agency’s name runs below its letters, the dot under Ậ included', async () => {
  const file = path.join(work, 'rule.pdf');
  fs.writeFileSync(file, await renderReportPdf({ ...emptyFigures(), agency: { name: 'Ủy ban nhân dân xã Tân Lập', code: '000.00.00.H41' } }));
  const words = wordBoxes(file);
  const lap = words.find((w) => w.word === 'LẬP');
  assert.ok(lap, `the agency's last word on page 1: ${words.slice(0, 12).map((w) => w.word).join(' ')}`);
  // Its line in the left header cell (the national name on the right shares the baseline).
  const line = words.filter((w) => Math.abs(w.yMax - lap.yMax) < 1 && w.xMax <= lap.xMax);
  const centre = (Math.min(...line.map((w) => w.xMin)) + Math.max(...line.map((w) => w.xMax))) / 2;
  const grey = pageGrey(file);
  // The rule: the first row below the top of the line where 20 points around the centre are all ink.
  let rule = -1;
  for (let y = lap.yMin; y < lap.yMax + 20 && rule < 0; y += 0.5) {
    let dark = true;
    for (let x = centre - 10; x <= centre + 10 && dark; x += 0.5) dark = grey.at(x, y) < 170;
    if (dark) rule = y;
  }
  assert.ok(rule > 0, 'a rule under the agency');
  assert.ok(rule > lap.yMax, `the rule (${rule} pt from the top) lies below the letters' lowest reach (${lap.yMax} pt)`);
  // And nothing of the letters reaches the rule: the half point above it is blank across the line.
  for (let x = centre - 10; x <= centre + 10; x += 0.5) assert.ok(grey.at(x, rule - 1) > 170, `ink just above the rule at x=${x}`);
});
