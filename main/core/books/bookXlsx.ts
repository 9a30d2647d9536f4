// The register as a spreadsheet, for clerks who sort, filter or hand it on: one sheet per year,
// the same columns and labels as the printed book, and a print setup that gives back the book's
// page format (A4 landscape, one page wide, the header on every page).
import ExcelJS from 'exceljs';
import { assertValidBook, bookAgencyLines, bookCoverLines, bookTitle, type RegisterBook } from './book.js';

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

export async function renderBookXlsx(book: RegisterBook): Promise<Uint8Array> {
  const columns = assertValidBook(book);
  const title = bookTitle(book.kind, book.confidential);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'eOffice';
  workbook.title = `${title} – ${book.agencyName.trim()} – ${book.year}`;

  const sheet = workbook.addWorksheet(String(book.year));
  // Column styles apply to every cell created afterwards. The '@' (Text) format keeps a clerk's
  // later edit of "05/01/2026" or "01" from being turned into a date serial or a number.
  sheet.columns = columns.map((column) => ({
    key: column.key,
    width: Math.round(column.weight * CHARACTERS_PER_WEIGHT),
    style: { font: { ...FONT }, numFmt: '@', alignment: { wrapText: true, vertical: 'top', horizontal: column.align === 'center' ? 'center' : 'left' } },
  }));
  const lastColumn = columns.length;

  const spanRow = (text: string, font: Partial<ExcelJS.Font>, horizontal: 'left' | 'center', toColumn = lastColumn): ExcelJS.Row => {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, toColumn);
    const cell = row.getCell(1);
    cell.font = { ...FONT, ...font };
    cell.alignment = { horizontal, vertical: 'middle', wrapText: false };
    return row;
  };

  // The agency block of the cover, top left over the first few columns, as on the paper book.
  const agencyLines = bookAgencyLines(book);
  agencyLines.forEach((line, i) => spanRow(line, { bold: i === agencyLines.length - 1 }, 'left', Math.min(4, lastColumn)));
  spanRow(title, { bold: true, size: 16 }, 'center').height = 26;
  spanRow(bookCoverLines(book).join('     '), { italic: true }, 'center');

  const header = sheet.addRow(columns.map((column) => column.vi));
  const numbering = sheet.addRow(columns.map((_, i) => `(${i + 1})`));
  for (const row of [header, numbering]) {
    row.eachCell((cell) => {
      cell.font = { ...FONT, bold: row === header };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = THIN;
    });
  }

  for (const values of book.rows) {
    // An empty cell is left without a value rather than holding "", so Excel sees it as blank.
    const row = sheet.addRow(values.map((value) => (value === '' ? null : value)));
    // Every cell is ruled, empty ones too: the blank "Ký nhận" box is where the recipient signs.
    for (let column = 1; column <= lastColumn; column++) row.getCell(column).border = THIN;
  }

  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: numbering.number, topLeftCell: `A${numbering.number + 1}`, activeCell: `A${numbering.number + 1}` }];
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0, // as many pages tall as it takes
    printTitlesRow: `${header.number}:${numbering.number}`,
    margins: { left: 0.8, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter = { oddFooter: '&CTrang &P/&N' };

  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
