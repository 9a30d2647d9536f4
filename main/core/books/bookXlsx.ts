// The register as a spreadsheet, for clerks who sort, filter or hand it on: one sheet per year,
// the same columns and labels as the printed book, and a print setup that gives back the book's
// page format (A4 landscape, one page wide, the header on every page).
//
// Written with exceljs's streaming writer: the in-memory Workbook keeps an object per cell (and a
// style object per cell) until the end, which for a year of 70,000 rows took 38 s and 1.2 GB.
// Here each row is turned into XML and compressed as soon as it is added, and only the finished
// zip is held, in chunks, so memory follows the size of the .xlsx, not the number of cells.
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { assertValidBook, bookAgencyLines, bookCoverLines, bookTitle, type RegisterBook } from './book.js';
import type { PrintedTable } from './bookPdf.js';

// Roughly the characters of the default font one unit of column weight holds; a date column
// (weight 1.1) then shows dd/MM/yyyy without wrapping.
const CHARACTERS_PER_WEIGHT = 10;
const FONT = { name: 'Times New Roman', size: 12 } as const;
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
// Rows written between two turns of the event loop. The sheet's XML buffer is drained by the zip
// archiver only when the loop turns; a synchronous loop over every row would pile up the whole
// uncompressed sheet (about 100 MB for a year) before any of it is compressed.
const ROWS_PER_TURN = 500;

export async function renderBookXlsx(book: RegisterBook): Promise<Uint8Array> {
  const columns = assertValidBook(book);
  const title = bookTitle(book.kind, book.confidential);
  return renderTableXlsx({
    agencyLines: bookAgencyLines(book),
    title,
    coverLines: bookCoverLines(book),
    documentTitle: `${title} – ${book.agencyName.trim()} – ${book.year}`,
    columns,
    rows: book.rows,
    sheetName: String(book.year),
  });
}

/** A table laid out as the register's sheet (bookPdf.ts's PrintedTable), on one sheet of that name. */
export async function renderTableXlsx(table: PrintedTable & { sheetName: string }): Promise<Uint8Array> {
  const { columns, title, agencyLines } = table;
  const lastColumn = columns.length;
  // The layout above the table is fixed, so the header's row numbers are known before any row is
  // written — as they must be: the streaming writer puts the frozen view and the fit-to-page flag
  // at the top of the sheet's XML, when the sheet is created.
  const headerRowNumber = agencyLines.length + 2 + 1; // agency lines, title, cover line
  const numberingRowNumber = headerRowNumber + 1;

  // A Writable rather than a PassThrough: its 'finish', which the writer's commit waits for, comes
  // only after every chunk has been handed to write(), so nothing can arrive after we concatenate.
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });

  // No shared strings: their table keeps every distinct text until the end, which for a register
  // (each summary different) is the whole year's text again. Cells carry their text inline; the
  // file is about a third larger (9 MB rather than 7 for 70,000 rows), which a spreadsheet is.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  // The writer would otherwise sign the file's last change "ExcelJS".
  workbook.creator = workbook.lastModifiedBy = 'eOffice';
  workbook.title = table.documentTitle;

  const sheet = workbook.addWorksheet(table.sheetName, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: numberingRowNumber, topLeftCell: `A${numberingRowNumber + 1}`, activeCell: `A${numberingRowNumber + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0, // as many pages tall as it takes
      // The writer has no worksheet model of its own to turn this into the Print_Titles name, but
      // its workbook.xml is rendered from the sheet writers themselves, and the rendering collects
      // each sheet's printTitlesRow into _xlnm.Print_Titles (checked by the tests after reading back).
      printTitlesRow: `${headerRowNumber}:${numberingRowNumber}`,
      margins: { left: 0.8, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&CTrang &P/&N' },
  });

  // Column styles apply to every cell created afterwards. The '@' (Text) format keeps a clerk's
  // later edit of "05/01/2026" or "01" from being turned into a date serial or a number.
  sheet.columns = columns.map((column) => ({
    key: column.key,
    width: Math.round(column.weight * CHARACTERS_PER_WEIGHT),
    style: { font: { ...FONT }, numFmt: '@', alignment: { wrapText: true, vertical: 'top', horizontal: column.align === 'center' ? 'center' : 'left' } },
  }));

  // A row is merged and styled before it is committed: once written, it can no longer change.
  const spanRow = (text: string, font: Partial<ExcelJS.Font>, horizontal: 'left' | 'center', toColumn = lastColumn, height?: number): void => {
    const row = sheet.addRow([text]);
    if (height !== undefined) row.height = height;
    sheet.mergeCells(row.number, 1, row.number, toColumn);
    const cell = row.getCell(1);
    cell.font = { ...FONT, ...font };
    cell.alignment = { horizontal, vertical: 'middle', wrapText: false };
    row.commit();
  };

  // The agency block of the cover, top left over the first few columns, as on the paper book.
  agencyLines.forEach((line, i) => spanRow(line, { bold: i === agencyLines.length - 1 }, 'left', Math.min(4, lastColumn)));
  spanRow(title, { bold: true, size: 16 }, 'center', lastColumn, 26);
  spanRow(table.coverLines.join('     '), { italic: true }, 'center');

  const header = sheet.addRow(columns.map((column) => column.vi));
  const numbering = sheet.addRow(columns.map((_, i) => `(${i + 1})`));
  if (header.number !== headerRowNumber || numbering.number !== numberingRowNumber) {
    throw new Error(`The register's header landed on rows ${header.number}–${numbering.number}, not ${headerRowNumber}–${numberingRowNumber}.`);
  }
  for (const row of [header, numbering]) {
    row.eachCell((cell) => {
      cell.font = { ...FONT, bold: row === header };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = THIN;
    });
    row.commit();
  }

  let written = 0;
  for (const values of table.rows) {
    // An empty cell is left without a value rather than holding "", so Excel sees it as blank.
    const row = sheet.addRow(values.map((value) => (value === '' ? null : value)));
    // Every cell is ruled, empty ones too: the blank "Ký nhận" box is where the recipient signs.
    for (let column = 1; column <= lastColumn; column++) row.getCell(column).border = THIN;
    row.commit();
    if (++written % ROWS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  sheet.commit();
  // Resolves once the zip is finished and the sink has seen its last byte.
  await workbook.commit();
  return new Uint8Array(Buffer.concat(chunks));
}
