// The register as CSV (RFC 4180), for other software and for spreadsheets. It is meant to be
// opened and read, so cells are written for a spreadsheet's eyes (see spreadsheetSafe below).
import { assertValidBook, type RegisterBook } from './book.js';

// Excel reads a CSV without a byte order mark in the machine's ANSI code page (Windows-1258 or
// 1252 on Vietnamese desktops), which garbles every accented letter; with the UTF-8 BOM it reads
// UTF-8. LibreOffice and most parsers skip the BOM.
const UTF8_BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * A spreadsheet evaluates a cell that starts with = + - or @ as a formula, and some also after a
 * leading tab or CR; a register row typed from a received document could then run
 * =HYPERLINK(...) or a DDE command on the clerk's machine ("CSV injection", OWASP). A leading
 * apostrophe makes the spreadsheet take the cell as text; software that reads the CSV back as
 * data has to drop it again.
 * Harmless values such as "-" (a dash for "none") or "-5" get it too: telling them from a
 * formula like "-2+3" would mean parsing formulas the way each spreadsheet does, and the cost of
 * a needless apostrophe is nothing in a register where no cell is a calculation.
 */
function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function csvField(cell: string): string {
  const value = spreadsheetSafe(cell);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(cells: readonly string[]): string {
  return cells.map(csvField).join(',');
}

/** The register as CSV text: BOM, a line of column labels, then one line per row, CRLF throughout. */
export function renderBookCsv(book: RegisterBook): string {
  const columns = assertValidBook(book);
  const lines = [csvLine(columns.map((column) => column.vi)), ...book.rows.map(csvLine)];
  // RFC 4180 allows the last record without a line break; ending with one keeps `cat a b` and
  // line counters honest.
  return UTF8_BOM + lines.join(CRLF) + CRLF;
}
