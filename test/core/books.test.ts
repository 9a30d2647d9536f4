// The register book rendered to PDF, XLSX and CSV, checked with tools that are not ours: qpdf for
// the PDF's structure, poppler's pdftotext for what a reader sees on each page, exceljs reading
// the workbook back, and a strict RFC 4180 parser for the CSV.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { AppError } from '../../main/common/errors.js';
import { INCOMING_COLUMNS, OUTGOING_COLUMNS, bookColumns, bookTitle, type BookKind, type RegisterBook } from '../../main/core/books/book.js';
import { renderBookCsv } from '../../main/core/books/bookCsv.js';
import { BOOK_PDF_PAGE_SIZE, bookTableColumnEdges, renderBookPdf } from '../../main/core/books/bookPdf.js';
import { renderBookXlsx } from '../../main/core/books/bookXlsx.js';
import { tempDir } from '../support/fixtures.js';
import { soffice } from '../support/soffice.js';

const work = tempDir('eoffice-books-');
after(() => fs.rmSync(work, { recursive: true, force: true }));

// About 600 characters, with a line break the clerk typed: it has to wrap inside column (3).
const LONG_SUMMARY =
  'Quyết định về việc phê duyệt kế hoạch phát triển kinh tế - xã hội năm 2026 của Ủy ban nhân dân xã An Bình, ' +
  'bao gồm các chỉ tiêu về nông nghiệp, công nghiệp, thương mại, dịch vụ, giáo dục, y tế, văn hóa và quốc phòng.\n' +
  'Giao Văn phòng HĐND và UBND xã chủ trì, phối hợp với các ban, ngành, đoàn thể tổ chức triển khai thực hiện; ' +
  'định kỳ hằng quý báo cáo kết quả cho Chủ tịch UBND xã, Ủy ban nhân dân huyện và các cơ quan chuyên môn ' +
  'theo quy định hiện hành, bảo đảm hoàn thành đúng tiến độ các mục tiêu đã đề ra trong năm kế hoạch.';

const FORMULA_CELL = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")';

function outgoingRows(): string[][] {
  return [
    ['01/QĐ-UBND', '05/01/2026', 'Quyết định về việc thành lập Ban chỉ đạo chuyển đổi số xã', 'Nguyễn Văn An', 'UBND huyện; các ban, ngành', 'Văn phòng, Lưu: VT', '5', '05/01/2026', '', ''],
    ['02/QĐ-UBND', '07/01/2026', LONG_SUMMARY, 'Trần Thị Hằng'.normalize('NFD'), 'Như Điều 3', 'VP', '12', '08/01/2026', 'Đã nhận', 'Khẩn'],
    ['15/TB-UBND', '12/01/2026', 'Thông báo về việc "Ngày hội toàn dân bảo vệ an ninh Tổ quốc", năm 2026', 'Lê Minh Đức', 'Các thôn, xóm', '', '', '', '', '-'],
    ['16/BC-UBND', '20/01/2026', 'Báo cáo tình hình thực hiện nhiệm vụ tháng 01', 'Phạm Quốc Việt', 'UBND huyện', 'Lưu: VT', '2', '', '', FORMULA_CELL],
    ['17/CV-UBND', '28/01/2026', 'Công văn về việc rà soát hồ sơ đất đai\ntrên địa bàn xã', 'Nguyễn Văn An', '', '', '1', '', '', ''],
  ];
}

function outgoingBook(rows = outgoingRows()): RegisterBook {
  return {
    kind: 'out',
    agencyName: 'Ủy ban nhân dân xã An Bình',
    parentAgencyName: 'Ủy ban nhân dân huyện Bình Sơn',
    year: 2026,
    rows,
    firstNumber: '01',
    lastNumber: '17',
    firstDate: '05/01/2026',
    lastDate: '28/01/2026',
  };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

function writePdf(name: string, bytes: Uint8Array): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** What a reader compares: canonical composition, runs of whitespace as one space. */
function collapsed(text: string): string {
  return text.normalize('NFC').split(/\s+/).filter(Boolean).join(' ');
}

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every page's words with their boxes (points, y from the top), as pdftotext -bbox sees them. */
function pdfWords(file: string): Word[][] {
  const html = run('pdftotext', ['-bbox', file, '-']);
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&#39;': "'" };
  return html
    .split('<page ')
    .slice(1)
    .map((page) =>
      [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)<\/word>/g)].map((m) => ({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: (m[5] ?? '').replace(/&(amp|lt|gt|quot|apos|#39);/g, (entity) => entities[entity] ?? entity).normalize('NFC'),
      })),
    );
}

/** The page number is the page's lowest line; the rest is the table. */
function splitFooter(words: Word[]): { table: Word[]; footer: string } {
  const lowest = Math.max(...words.map((w) => w.yMin));
  const footer = words.filter((w) => Math.abs(w.yMin - lowest) < 0.5);
  return { table: words.filter((w) => !footer.includes(w)), footer: footer.map((w) => w.text).join(' ') };
}

/** Each column's text top to bottom, read from the words whose middle lies between its rules. */
function columnTexts(words: Word[], kind: BookKind): string[] {
  const edges = bookTableColumnEdges(kind);
  return bookColumns(kind).map((_, i) => {
    const inColumn = words.filter((w) => (w.xMin + w.xMax) / 2 > (edges[i] as number) && (w.xMin + w.xMax) / 2 < (edges[i + 1] as number));
    inColumn.sort((a, b) => Math.round(a.yMin * 10) - Math.round(b.yMin * 10) || a.xMin - b.xMin);
    return inColumn.map((w) => w.text).join(' ');
  });
}

/** A word running over a column rule means text overflowed its cell. */
function wordsAcrossRules(words: Word[], kind: BookKind): Word[] {
  const edges = bookTableColumnEdges(kind);
  return words.filter((w) => edges.some((edge) => w.xMin < edge - 0.5 && w.xMax > edge + 0.5));
}

function assertHeader(columnsOnPage: string[], kind: BookKind, pageLabel: string): void {
  bookColumns(kind).forEach((column, i) => {
    assert.ok(columnsOnPage[i]?.startsWith(`${collapsed(column.vi)} (${i + 1})`), `${pageLabel}: column ${i + 1} should start with its label and number, got ${JSON.stringify(columnsOnPage[i]?.slice(0, 60))}`);
  });
}

test('the columns are Decree 30’s, in the paper book’s order', () => {
  assert.deepEqual(
    OUTGOING_COLUMNS.map((c) => c.vi),
    ['Số, ký hiệu văn bản', 'Ngày tháng văn bản', 'Tên loại và trích yếu nội dung', 'Người ký', 'Nơi nhận văn bản', 'Đơn vị, người nhận bản lưu', 'Số lượng bản', 'Ngày chuyển', 'Ký nhận', 'Ghi chú'],
  );
  assert.deepEqual(
    INCOMING_COLUMNS.map((c) => c.vi),
    ['Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu', 'Ngày tháng văn bản', 'Tên loại và trích yếu nội dung', 'Đơn vị hoặc người nhận', 'Ngày chuyển', 'Ký nhận', 'Ghi chú'],
  );
  assert.equal(bookTitle('out'), 'SỔ ĐĂNG KÝ VĂN BẢN ĐI');
  assert.equal(bookTitle('in', true), 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN MẬT');
});

test('the PDF passes qpdf, and a reader finds the cover, the labels and every cell inside its column', async () => {
  const book = outgoingBook();
  const file = writePdf('out.pdf', await renderBookPdf(book));
  run('qpdf', ['--check', file]);

  const layout = run('pdftotext', ['-layout', file, '-']);
  const text = layout.normalize('NFC');
  for (const expected of ['SỔ ĐĂNG KÝ VĂN BẢN ĐI', 'ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN', 'ỦY BAN NHÂN DÂN XÃ AN BÌNH', 'Năm: 2026', 'Từ số 01 đến số 17', 'Từ ngày 05/01/2026 đến ngày 28/01/2026', 'Quyển số: 01']) {
    assert.ok(text.includes(expected), `the cover should read ${expected}`);
  }
  for (const label of ['Người ký', 'Nơi nhận văn bản', 'Ký nhận', 'Ghi chú']) assert.ok(text.includes(label), `header label ${label}`);
  for (const row of book.rows) {
    assert.ok(text.includes(row[0] as string), `notation ${row[0]}`);
    assert.ok(text.includes((row[3] as string).normalize('NFC')), `signer ${row[3]}`);
  }
  // Decomposed input is drawn with the font's precomposed letters, so it extracts composed too.
  assert.ok(layout.includes('Trần Thị Hằng'), 'an NFD name should come out in precomposed letters');

  const pages = pdfWords(file);
  assert.equal(pages.length, 2, 'a cover and one table page');
  const { table, footer } = splitFooter(pages[1] as Word[]);
  assert.equal(footer, 'Trang 1/1');
  assert.deepEqual(wordsAcrossRules(table, 'out'), [], 'no text runs over a column rule');
  const [pageWidth] = BOOK_PDF_PAGE_SIZE;
  assert.ok(table.every((w) => w.xMin >= 0 && w.xMax <= pageWidth));
  const columns = columnTexts(table, 'out');
  assertHeader(columns, 'out', 'page 2');
  // Compared without spaces: a token wider than its cell (the formula in (10)) is cut into pieces.
  const unspaced = (text: string) => collapsed(text).replace(/ /g, '');
  for (const row of book.rows) {
    row.forEach((cell, i) => {
      if (cell !== '') assert.ok(unspaced(columns[i] ?? '').includes(unspaced(cell)), `column ${i + 1} should hold ${JSON.stringify(cell.slice(0, 40))}`);
    });
  }
  // Prose wraps only between words: the long summary reads back word for word.
  assert.ok(columns[2]?.includes(collapsed(LONG_SUMMARY)), 'the long summary, word for word, in column (3)');
  // The long summary wrapped onto many lines of its column rather than running on.
  const summaryLines = new Set(table.filter((w) => w.text === 'Quyết' || w.text === 'định').map((w) => Math.round(w.yMin)));
  assert.ok(summaryLines.size >= 2);
  const longSummaryWords = table.filter((w) => ['hiện', 'hành,', 'tiến', 'độ'].includes(w.text));
  assert.ok(new Set(longSummaryWords.map((w) => Math.round(w.yMin))).size >= 2, 'the 600-character summary spans several lines');
});

test('an incoming register prints its own ten columns', async () => {
  const rows = [['03/02/2026', '25', 'Sở Nội vụ tỉnh Quảng Ngãi', '120/SNV-CCVC', '30/01/2026', 'Công văn về việc tuyển dụng công chức cấp xã năm 2026', 'Văn phòng', '03/02/2026', '', '']];
  const file = writePdf('in.pdf', await renderBookPdf({ kind: 'in', agencyName: 'UBND xã An Bình', year: 2026, rows }));
  run('qpdf', ['--check', file]);
  assert.ok(run('pdftotext', ['-layout', '-f', '1', '-l', '1', file, '-']).includes('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN'));
  const { table } = splitFooter(pdfWords(file)[1] as Word[]);
  const columns = columnTexts(table, 'in');
  assertHeader(columns, 'in', 'page 2');
  (rows[0] as string[]).forEach((cell, i) => {
    if (cell !== '') assert.ok(columns[i]?.includes(collapsed(cell)), `column ${i + 1} should hold ${cell}`);
  });
});

test('a 300-row register runs over many pages, the header on each, no row split, pages numbered', async () => {
  const phrase = 'triển khai thực hiện nhiệm vụ trọng tâm của Ủy ban nhân dân xã';
  // Rows of three to twelve lines in an irregular order, so a page often ends with room for a few
  // lines but not the next row: the case where a careless writer would split the row.
  const PHRASES_PER_ROW = [1, 5, 2, 7, 3, 1, 6];
  const rows = Array.from({ length: 300 }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const summary = `Quyết định về việc ${Array.from({ length: PHRASES_PER_ROW[i % PHRASES_PER_ROW.length] as number }, () => phrase).join(', ')} HS-${n}`;
    return [`${i + 1}/QĐ-UBND`, '05/01/2026', summary, 'Nguyễn Văn An', 'UBND huyện', 'Lưu: VT', '2', '', '', ''];
  });
  const file = writePdf('300.pdf', await renderBookPdf(outgoingBook(rows)));
  run('qpdf', ['--check', file]);
  const pages = pdfWords(file);
  const tablePages = pages.length - 1;
  assert.ok(tablePages > 1, `more than one table page (got ${tablePages})`);
  // Several rows to a page: far fewer pages than rows, yet dozens of them.
  assert.ok(tablePages >= 15 && tablePages <= 150, `a sane page count, got ${tablePages}`);

  const pagesOfRow = new Map<number, number[]>();
  for (let p = 2; p <= pages.length; p++) {
    const layout = run('pdftotext', ['-layout', '-f', String(p), '-l', String(p), file, '-']).normalize('NFC');
    for (let i = 1; i <= 10; i++) assert.ok(layout.includes(`(${i})`), `page ${p} numbers column ${i}`);
    assert.ok(layout.includes('Người ký') && layout.includes('Ghi chú'), `page ${p} repeats the header`);

    const { table, footer } = splitFooter(pages[p - 1] as Word[]);
    assert.equal(footer, `Trang ${p - 1}/${tablePages}`);
    assert.deepEqual(wordsAcrossRules(table, 'out'), [], `page ${p}: nothing runs over a rule`);
    const columns = columnTexts(table, 'out');
    assertHeader(columns, 'out', `page ${p}`);
    rows.forEach((row, index) => {
      if (columns[2]?.includes(collapsed(row[2] as string))) pagesOfRow.set(index, [...(pagesOfRow.get(index) ?? []), p]);
    });
  }
  rows.forEach((row, index) => {
    const on = pagesOfRow.get(index);
    assert.equal(on?.length, 1, `row ${index + 1} (${row[0]}) should be whole on exactly one page, found on ${JSON.stringify(on)}`);
  });
});

test('a row longer than a whole page continues on the next pages under the repeated header', async () => {
  const words = Array.from({ length: 1500 }, (_, i) => `từ${i}`);
  const giant = words.join(' ');
  const rows = [
    ['01/QĐ-UBND', '05/01/2026', 'Quyết định ngắn', 'Nguyễn Văn An', '', '', '', '', '', ''],
    ['02/QĐ-UBND', '06/01/2026', giant, 'Nguyễn Văn An', '', '', '', '', '', ''],
    // A word wider than its cell is cut rather than left to overflow.
    ['03/QĐ-UBND', '07/01/2026', 'https://congbao.chinhphu.vn/van-ban/quyet-dinh-so-03-qd-ubnd-ve-viec-phe-duyet-ke-hoach-nam-2026', '', '', '', '', '', '', ''],
  ];
  const file = writePdf('giant.pdf', await renderBookPdf(outgoingBook(rows)));
  run('qpdf', ['--check', file]);
  const pages = pdfWords(file).slice(1).map((words) => splitFooter(words).table);
  assert.ok(pages.length >= 3, `the long row needs several pages, got ${pages.length}`);
  const summaryAcrossPages = pages
    .map((words) => {
      assert.deepEqual(wordsAcrossRules(words, 'out'), []);
      const columns = columnTexts(words, 'out');
      assertHeader(columns, 'out', 'a continuation page');
      return (columns[2] as string).replace(`${collapsed(OUTGOING_COLUMNS[2]?.vi ?? '')} (3)`, '');
    })
    .join(' ');
  assert.ok(collapsed(summaryAcrossPages).includes(giant), 'every word of the long row, in order, over the pages');
  assert.ok(collapsed(summaryAcrossPages).replace(/ /g, '').includes('https://congbao.chinhphu.vn/van-ban/'));
});

test('the XLSX reads back: one sheet for the year, labels, text cells equal to the rows, frozen header, print setup', async () => {
  const book = outgoingBook();
  const bytes = await renderBookXlsx(book);
  assert.equal(Buffer.from(bytes.subarray(0, 2)).toString('latin1'), 'PK', 'an .xlsx is a zip package');

  const workbook = new ExcelJS.Workbook();
  // exceljs declares its own Buffer as an ArrayBuffer; an exact copy's ArrayBuffer is what it reads.
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  assert.deepEqual(
    workbook.worksheets.map((s) => s.name),
    ['2026'],
  );
  const sheet = workbook.getWorksheet('2026');
  assert.ok(sheet);
  const cellText = (row: number, column: number): string => {
    const value = sheet.getRow(row).getCell(column).value;
    return value === null || value === undefined ? '' : (value as string);
  };
  let headerRow = 0;
  for (let r = 1; r <= 10 && headerRow === 0; r++) if (cellText(r, 1) === OUTGOING_COLUMNS[0]?.vi) headerRow = r;
  assert.ok(headerRow > 0, 'a header row');
  assert.deepEqual(
    OUTGOING_COLUMNS.map((_, c) => cellText(headerRow, c + 1)),
    OUTGOING_COLUMNS.map((c) => c.vi),
  );
  assert.ok(sheet.getRow(headerRow).getCell(1).font?.bold, 'the header is bold');
  assert.equal(sheet.getRow(headerRow).getCell(3).alignment?.wrapText, true);
  assert.deepEqual(
    OUTGOING_COLUMNS.map((_, c) => cellText(headerRow + 1, c + 1)),
    OUTGOING_COLUMNS.map((_, c) => `(${c + 1})`),
  );
  assert.equal(cellText(1, 1), 'ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN');
  assert.ok([1, 2, 3, 4].some((r) => cellText(r, 1) === 'SỔ ĐĂNG KÝ VĂN BẢN ĐI'));

  const firstData = headerRow + 2;
  book.rows.forEach((row, index) => {
    assert.deepEqual(
      row.map((_, c) => cellText(firstData + index, c + 1)),
      row,
      `row ${index + 1}`,
    );
    const notation = sheet.getRow(firstData + index).getCell(1);
    assert.equal(typeof notation.value, 'string', 'a notation stays text');
    assert.equal(typeof sheet.getRow(firstData + index).getCell(2).value, 'string', 'a date stays the dd/MM/yyyy text given');
  });
  const formula = sheet.getRow(firstData + 3).getCell(10);
  assert.equal(formula.value, FORMULA_CELL, 'a cell that looks like a formula is stored as text');
  assert.equal(formula.formula, undefined);
  assert.equal(sheet.rowCount, firstData + book.rows.length - 1, 'nothing after the last row');

  const [view] = sheet.views;
  assert.equal(view?.state, 'frozen');
  assert.equal((view as { ySplit?: number }).ySplit, headerRow + 1, 'frozen just below the header and its numbering');
  assert.equal(sheet.pageSetup.orientation, 'landscape');
  assert.equal(sheet.pageSetup.paperSize, 9);
  assert.equal(sheet.pageSetup.fitToWidth, 1);
  // exceljs reads this back from the workbook's _xlnm.Print_Titles name: the streaming writer has
  // no page setup of its own for it, so this is what proves the name was written.
  assert.equal(sheet.pageSetup.printTitlesRow, `${headerRow}:${headerRow + 1}`);
  assert.equal(sheet.headerFooter.oddFooter, '&CTrang &P/&N');
  const widths = OUTGOING_COLUMNS.map((_, c) => sheet.getColumn(c + 1).width ?? 0);
  assert.ok((widths[2] ?? 0) > (widths[1] ?? 0) && (widths[1] ?? 0) >= 10, `widths follow the weights: ${widths.join(', ')}`);
  for (const column of [9, 10]) {
    const blank = sheet.getRow(firstData).getCell(column);
    assert.equal(blank.value, null, 'an empty cell is blank');
    assert.equal(blank.border?.bottom?.style, 'thin', 'an empty cell is ruled too');
    assert.equal(blank.numFmt, '@');
  }

  // A real spreadsheet application opens what the streaming writer made, and prints the header
  // and the page number on every page of a book several pages long.
  const longBook = outgoingBook([...book.rows, ...yearOfRows(80)]);
  const file = path.join(work, 'book.xlsx');
  fs.writeFileSync(file, await renderBookXlsx(longBook));
  const outDir = path.join(work, 'lo-out');
  const result = await soffice(['--headless', '--norestore', `-env:UserInstallation=file://${path.join(work, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', outDir, file], 120_000);
  assert.equal(result.code, 0, result.output);
  const converted = path.join(outDir, 'book.pdf');
  assert.ok(fs.existsSync(converted), `LibreOffice wrote no PDF: ${result.output}`);
  const printed = run('pdftotext', ['-layout', converted, '-']).split('\f').filter((page) => page.trim() !== '');
  assert.ok(printed.length >= 2, `${printed.length} pages: the header has to repeat at least once`);
  assert.ok(printed[0]?.includes('SỔ ĐĂNG KÝ VĂN BẢN ĐI'));
  printed.forEach((page, i) => {
    // Every column number, wherever the substitute font LibreOffice finds wraps the header cells:
    // pdftotext's layout of a wrapped header row depends on the fonts installed.
    const numbers = OUTGOING_COLUMNS.map((_, c) => `(${c + 1})`);
    assert.deepEqual(numbers.filter((n) => !page.includes(n)), [], `page ${i + 1} repeats the numbering row`);
    assert.ok(collapsed(page).includes('Ghi chú'), `page ${i + 1} repeats the header`);
    assert.ok(page.includes(`Trang ${i + 1}/${printed.length}`), `page ${i + 1} is numbered`);
  });
  assert.ok(printed.at(-1)?.includes('80/QĐ-UBND'), 'the last row is printed');
});

/** RFC 4180, strictly: records end in CRLF, a bare CR or LF is allowed only inside quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
        assert.ok(i === text.length || text[i] === ',' || text[i] === '\r', `a closing quote must end the field (offset ${i})`);
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"') {
      assert.equal(field, '', `a quote may only open a field (offset ${i})`);
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r') {
      assert.equal(text[i + 1], '\n', `CR outside quotes must start a CRLF (offset ${i})`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      assert.notEqual(ch, '\n', `a bare LF outside quotes (offset ${i})`);
      field += ch;
      i += 1;
    }
  }
  assert.equal(quoted, false, 'an unterminated quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

test('the CSV has a BOM, CRLF, RFC 4180 quoting, and defuses formulas', () => {
  const book = outgoingBook();
  const csv = renderBookCsv(book);
  assert.ok(csv.startsWith('\uFEFF'), 'the UTF-8 BOM comes first, for Excel');
  assert.ok(csv.endsWith('\r\n'));
  const body = csv.slice(1);
  assert.equal(body.split('\r\n')[0], OUTGOING_COLUMNS.map((c) => (c.vi.includes(',') ? `"${c.vi}"` : c.vi)).join(','));
  assert.ok(body.includes('"Thông báo về việc ""Ngày hội toàn dân bảo vệ an ninh Tổ quốc"", năm 2026"'), 'quotes doubled, the field quoted');
  assert.ok(body.includes('"UBND huyện; các ban, ngành"'), 'a comma makes a quoted field');
  assert.ok(body.includes('"Công văn về việc rà soát hồ sơ đất đai\ntrên địa bàn xã"'), 'a line break stays inside the quoted field');
  assert.match(body, /,'-\r\n/, 'a lone dash is prefixed too');

  const records = parseCsv(body);
  assert.deepEqual(records[0], OUTGOING_COLUMNS.map((c) => c.vi));
  const expected = outgoingRows();
  (expected[2] as string[])[9] = "'-";
  (expected[3] as string[])[9] = `'${FORMULA_CELL}`;
  assert.deepEqual(records.slice(1), expected, 'every row round-trips, the dangerous cells with a leading apostrophe');

  const risky = ['+84 912 345 678', '@SUM(A1)', '\tTAB', '\r=1', '-2+3'];
  const riskyRow = ['1', '', '', '', '', '', '', '', '', ''].map((c, i) => risky[i] ?? c);
  const [, parsed] = parseCsv(renderBookCsv({ ...book, rows: [riskyRow] }).slice(1));
  assert.deepEqual(parsed?.slice(0, 5), risky.map((cell) => `'${cell}`));
});

test('a row with the wrong number of cells is refused by every renderer with INVALID_INPUT', async () => {
  const rows = outgoingRows();
  rows[1] = (rows[1] as string[]).slice(0, 9);
  const book = outgoingBook(rows);
  const isShortRow = (error: unknown) => {
    assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, /Row 2 .* 9 cells.* 10 columns/);
    assert.deepEqual(error.details, { row: 2, cells: 9, expected: 10 });
    return true;
  };
  await assert.rejects(renderBookPdf(book), isShortRow);
  await assert.rejects(renderBookXlsx(book), isShortRow);
  assert.throws(() => renderBookCsv(book), isShortRow);
  const notText = outgoingRows();
  (notText[0] as unknown[])[6] = 5;
  assert.throws(() => renderBookCsv(outgoingBook(notText)), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT' && /column 7/.test(error.message));
});

test('an empty register prints its cover and a ruled, headed first page', async () => {
  const file = writePdf('empty.pdf', await renderBookPdf({ kind: 'in', agencyName: 'UBND xã An Bình', year: 2027, rows: [] }));
  run('qpdf', ['--check', file]);
  const pages = pdfWords(file);
  assert.equal(pages.length, 2);
  assertHeader(columnTexts(splitFooter(pages[1] as Word[]).table, 'in'), 'in', 'page 2');
  assert.ok(run('pdftotext', ['-layout', '-f', '1', '-l', '1', file, '-']).includes('Từ số …………… đến số ……………'), 'blank leaders for the clerk to fill in');
});

/** Deterministic but varied text, so the timing is not flattered by a handful of repeated words. */
function yearOfRows(count: number): string[][] {
  let seed = 20260101;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const vocabulary =
    'quyết định về việc phê duyệt kế hoạch triển khai thực hiện nhiệm vụ năm ban hành quy chế phối hợp công tác quản lý đất đai xây dựng giáo dục y tế văn hóa thông tin an ninh trật tự xã hội tổ chức hội nghị tổng kết báo cáo kết quả đề nghị hỗ trợ kinh phí tuyển dụng công chức viên chức cải cách hành chính chuyển đổi số'.split(' ');
  const names = ['Nguyễn Văn An', 'Trần Thị Hằng', 'Lê Minh Đức', 'Phạm Quốc Việt', 'Hoàng Thị Lan', 'Võ Thành Nam'];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 8 + Math.floor(random() * 50) }, () => pick(vocabulary));
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + Math.floor(i / (count / 12))).padStart(2, '0');
    return [`${i + 1}/QĐ-UBND`, `${day}/${month}/2026`, `Quyết định ${words.join(' ')} (hồ sơ ${i + 1})`, pick(names), 'UBND huyện; các phòng, ban', 'VP, Lưu: VT', String(1 + (i % 9)), `${day}/${month}/2026`, '', i % 13 === 0 ? 'Khẩn' : ''];
  });
}

test('a year of 5,000 rows renders in every format (times reported, not asserted)', async (t) => {
  const book = outgoingBook(yearOfRows(5000));
  const time = async <T>(render: () => T | Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await render();
    return [result, Math.round(performance.now() - started)];
  };
  const [pdf, pdfMs] = await time(() => renderBookPdf(book));
  const [xlsx, xlsxMs] = await time(() => renderBookXlsx(book));
  const [csv, csvMs] = await time(() => renderBookCsv(book));
  const file = writePdf('year.pdf', pdf);
  run('qpdf', ['--check', file]);
  const pageCount = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [file]))?.[1]);
  t.diagnostic(JSON.stringify({ rows: 5000, pdfMs, pdfPages: pageCount, pdfMB: +(pdf.length / 1e6).toFixed(2), xlsxMs, xlsxMB: +(xlsx.length / 1e6).toFixed(2), csvMs, csvMB: +(Buffer.byteLength(csv) / 1e6).toFixed(2) }));
  assert.ok(pageCount > 100 && pageCount < 5000, `page count ${pageCount}`);
  const lastPage = run('pdftotext', ['-layout', '-f', String(pageCount), '-l', String(pageCount), file, '-']);
  assert.ok(lastPage.includes('5000/QĐ-UBND'), 'the last row is on the last page');
  assert.equal(parseCsv(csv.slice(1)).length, 5001);
});

// Renders in a child of its own, so that what is measured is the renderer's memory and not what
// the earlier tests left in this process's heap. The rows come as JSON and are parsed, then
// collected, before the baseline; peaks are sampled on every turn of the event loop, which the
// renderer gives back every few hundred rows.
const MEMORY_CHILD = `
import fs from 'node:fs';
const [moduleUrl, bookFile, outFile] = process.argv.slice(1);
const { renderBookXlsx } = await import(moduleUrl);
const book = JSON.parse(fs.readFileSync(bookFile, 'utf8'));
globalThis.gc();
const base = process.memoryUsage();
let rss = base.rss, heap = base.heapUsed;
const sample = () => { const m = process.memoryUsage(); rss = Math.max(rss, m.rss); heap = Math.max(heap, m.heapUsed); };
const timer = setInterval(sample, 1);
const started = performance.now();
const bytes = await renderBookXlsx(book);
const ms = Math.round(performance.now() - started);
sample();
clearInterval(timer);
fs.writeFileSync(outFile, bytes);
process.stdout.write(JSON.stringify({ ms, rssGrowth: rss - base.rss, heapGrowth: heap - base.heapUsed, bytes: bytes.length }));
`;

test('a year of 20,000 rows streams to XLSX: memory grows by a few times the rows’ text, not tens of times', async (t) => {
  const count = 20_000;
  const book = outgoingBook(yearOfRows(count));
  const textBytes = book.rows.reduce((sum, row) => sum + row.reduce((n, cell) => n + Buffer.byteLength(cell), 0), 0);
  const bookFile = path.join(work, 'year.json');
  const outFile = path.join(work, 'year.xlsx');
  fs.writeFileSync(bookFile, JSON.stringify(book));
  const moduleUrl = pathToFileURL(path.resolve(import.meta.dirname, '../../main/core/books/bookXlsx.ts')).href;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', '--input-type=module', '-e', MEMORY_CHILD, moduleUrl, bookFile, outFile], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(child.status, 0, child.stderr);
  const measured = JSON.parse(child.stdout) as { ms: number; rssGrowth: number; heapGrowth: number; bytes: number };
  const rssRatio = measured.rssGrowth / textBytes;
  const heapRatio = measured.heapGrowth / textBytes;
  const mb = (n: number) => +(n / 1e6).toFixed(1);
  t.diagnostic(JSON.stringify({ rows: count, ms: measured.ms, textMB: mb(textBytes), rssGrowthMB: mb(measured.rssGrowth), heapGrowthMB: mb(measured.heapGrowth), rssRatio: +rssRatio.toFixed(1), heapRatio: +heapRatio.toFixed(1), xlsxMB: mb(measured.bytes) }));
  // Measured this way, the in-memory Workbook grew by 39 times the rows' text in RSS and 30 in
  // heap (258 and 202 MB for 6.6 MB of text; 1.1 GB RSS for a year of 70,000 rows). Streamed, it
  // is about 7 and 2.5, the RSS mostly a fixed 40 MB (zlib, V8's young generation) that does not
  // grow with the rows. The bounds leave room for another allocator or V8 while still failing if
  // the sheet's cells were held until the end again.
  assert.ok(rssRatio < 15, `RSS grew by ${rssRatio.toFixed(1)} times the rows' text`);
  assert.ok(heapRatio < 10, `the heap grew by ${heapRatio.toFixed(1)} times the rows' text`);

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(outFile);
  const sheet = workbook.getWorksheet(String(book.year));
  assert.ok(sheet);
  const rowText = (r: number) => OUTGOING_COLUMNS.map((_, c) => {
    const value = sheet.getRow(r).getCell(c + 1).value;
    return value === null || value === undefined ? '' : (value as string);
  });
  let headerRow = 0;
  for (let r = 1; r <= 10 && headerRow === 0; r++) if (rowText(r)[0] === OUTGOING_COLUMNS[0]?.vi) headerRow = r;
  assert.ok(headerRow > 0, 'a header row');
  const firstData = headerRow + 2;
  assert.deepEqual(rowText(firstData), book.rows[0], 'the first row');
  assert.deepEqual(rowText(firstData + count - 1), book.rows[count - 1], 'the last row');
  assert.equal(sheet.rowCount, firstData + count - 1, 'nothing after the last row');
  assert.equal(sheet.pageSetup.printTitlesRow, `${headerRow}:${headerRow + 1}`);
});
