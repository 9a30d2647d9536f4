// A register book (sổ đăng ký) as printed: the columns Decree 30/2020/NĐ-CP, Appendix IV gives
// the paper books, in their order, and the facts on the cover. The renderers (PDF, XLSX, CSV)
// are generic over both registers; the rows arrive already formatted by the query that made them.
import { AppError } from '../../common/errors.js';
import { formatDateVn } from '../../common/dates.js';

export type BookKind = 'out' | 'in';

export interface BookColumn {
  key: string;
  vi: string;
  en: string;
  /** relative width */
  weight: number;
  /** Short fixed-form values (dates, numbers) read best centred; prose stays ranged left. */
  align?: 'left' | 'center';
}

// Weights are tuned so that a dd/MM/yyyy date fits one line in the PDF at 10 pt on A4 landscape,
// and the summary gets the room it needs: it is the column that wraps most.

// sổ đăng ký văn bản đi
export const OUTGOING_COLUMNS: readonly BookColumn[] = Object.freeze([
  { key: 'notation', vi: 'Số, ký hiệu văn bản', en: 'Number and notation', weight: 1.5, align: 'center' },
  { key: 'documentDate', vi: 'Ngày tháng văn bản', en: 'Date of document', weight: 1.1, align: 'center' },
  { key: 'summary', vi: 'Tên loại và trích yếu nội dung', en: 'Type and summary', weight: 3.4 },
  { key: 'signer', vi: 'Người ký', en: 'Signed by', weight: 1.5 },
  { key: 'recipients', vi: 'Nơi nhận văn bản', en: 'Recipients', weight: 1.7 },
  { key: 'fileCopyHolder', vi: 'Đơn vị, người nhận bản lưu', en: 'Unit or person keeping the file copy', weight: 1.3 },
  { key: 'copies', vi: 'Số lượng bản', en: 'Number of copies', weight: 0.7, align: 'center' },
  { key: 'handedOverDate', vi: 'Ngày chuyển', en: 'Date handed over', weight: 1.1, align: 'center' },
  { key: 'receivedSignature', vi: 'Ký nhận', en: 'Signature of receipt', weight: 1.0 },
  { key: 'notes', vi: 'Ghi chú', en: 'Notes', weight: 1.1 },
]);

// sổ đăng ký văn bản đến
export const INCOMING_COLUMNS: readonly BookColumn[] = Object.freeze([
  { key: 'arrivalDate', vi: 'Ngày đến', en: 'Date received', weight: 1.1, align: 'center' },
  { key: 'incomingNumber', vi: 'Số đến', en: 'Incoming number', weight: 0.8, align: 'center' },
  { key: 'author', vi: 'Tác giả', en: 'Issuing agency', weight: 1.8 },
  { key: 'notation', vi: 'Số, ký hiệu', en: 'Number and notation', weight: 1.5, align: 'center' },
  { key: 'documentDate', vi: 'Ngày tháng văn bản', en: 'Date of document', weight: 1.1, align: 'center' },
  { key: 'summary', vi: 'Tên loại và trích yếu nội dung', en: 'Type and summary', weight: 3.6 },
  { key: 'recipient', vi: 'Đơn vị hoặc người nhận', en: 'Unit or person receiving', weight: 1.6 },
  { key: 'handedOverDate', vi: 'Ngày chuyển', en: 'Date handed over', weight: 1.1, align: 'center' },
  { key: 'receivedSignature', vi: 'Ký nhận', en: 'Signature of receipt', weight: 1.0 },
  { key: 'notes', vi: 'Ghi chú', en: 'Notes', weight: 1.1 },
]);

export interface RegisterBook {
  kind: BookKind;
  agencyName: string; // e.g. "ỦY BAN NHÂN DÂN XÃ AN BÌNH"
  parentAgencyName?: string; // cơ quan chủ quản, optional
  year: number;
  confidential?: boolean;
  rows: string[][]; // each row has exactly columns.length cells, already formatted (dates dd/MM/yyyy)
  firstNumber?: string;
  lastNumber?: string;
  firstDate?: string;
  lastDate?: string; // for the cover, dd/MM/yyyy
  /** Quyển số: a year whose book fills up continues in a second volume. Defaults to 1. */
  volume?: number;
}

export function bookColumns(kind: BookKind): readonly BookColumn[] {
  return kind === 'out' ? OUTGOING_COLUMNS : INCOMING_COLUMNS;
}

export function bookTitle(kind: BookKind, confidential = false): string {
  const title = kind === 'out' ? 'SỔ ĐĂNG KÝ VĂN BẢN ĐI' : 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN';
  return confidential ? `${title} MẬT` : title;
}

// Dotted leaders stand in for a missing fact, as on a blank paper cover the clerk fills by hand.
const BLANK = '……………';

/** The cover's lines under the title, in the order the paper book prints them. */
export function bookCoverLines(book: RegisterBook): string[] {
  const volume = String(book.volume ?? 1).padStart(2, '0');
  return [
    `Năm: ${book.year}`,
    `Từ số ${book.firstNumber || BLANK} đến số ${book.lastNumber || BLANK}`,
    `Từ ngày ${book.firstDate || BLANK} đến ngày ${book.lastDate || BLANK}`,
    `Quyển số: ${volume}`,
  ];
}

/** The agency lines of the cover's top-left block, parent agency first, in capitals. */
export function bookAgencyLines(book: RegisterBook): string[] {
  // toUpperCase needs no locale: Vietnamese has no special casing rules (unlike Turkish).
  return [book.parentAgencyName, book.agencyName].filter((name): name is string => !!name && name.trim() !== '').map((name) => name.trim().toUpperCase());
}

/**
 * Checks what the types cannot: the rows come from a query written elsewhere, and a short row
 * would silently shift every later cell into the wrong column of a legal register.
 */
export function assertValidBook(book: RegisterBook): readonly BookColumn[] {
  if (book.kind !== 'out' && book.kind !== 'in') {
    throw new AppError('INVALID_INPUT', `Unknown register kind ${JSON.stringify(book.kind)}: use 'out' (văn bản đi) or 'in' (văn bản đến).`);
  }
  if (!Number.isInteger(book.year) || book.year < 1900 || book.year > 9999) {
    throw new AppError('INVALID_INPUT', `The register's year ${String(book.year)} is not a four-digit year.`, { year: String(book.year) });
  }
  if (typeof book.agencyName !== 'string' || book.agencyName.trim() === '') {
    throw new AppError('INVALID_INPUT', "The register needs the agency's name for its cover; set it in the agency settings.");
  }
  if (book.volume !== undefined && (!Number.isInteger(book.volume) || book.volume < 1)) {
    throw new AppError('INVALID_INPUT', `The volume number ${String(book.volume)} must be a whole number from 1.`, { volume: String(book.volume) });
  }
  const columns = bookColumns(book.kind);
  if (!Array.isArray(book.rows)) throw new AppError('INVALID_INPUT', 'The register has no list of rows.');
  book.rows.forEach((row, index) => {
    const rowNumber = index + 1;
    if (!Array.isArray(row) || row.length !== columns.length) {
      const cells = Array.isArray(row) ? row.length : 0;
      throw new AppError(
        'INVALID_INPUT',
        `Row ${rowNumber} of the register has ${cells} cells; the ${bookTitle(book.kind).toLowerCase()} has ${columns.length} columns. Each row needs one cell per column, empty cells as "".`,
        { row: rowNumber, cells, expected: columns.length },
      );
    }
    const badColumn = row.findIndex((cell) => typeof cell !== 'string');
    if (badColumn >= 0) {
      throw new AppError('INVALID_INPUT', `Row ${rowNumber}, column ${badColumn + 1} (${columns[badColumn]?.vi ?? '?'}) is not text; format the value as a string first.`, {
        row: rowNumber,
        column: badColumn + 1,
      });
    }
  });
  return columns;
}

/** Part of a year's register: the rows dated from–to, both days included (yyyy-MM-dd). */
export interface BookPeriod {
  from: string;
  to: string;
}

/**
 * The period a register export asks for, or null for the whole year. A register is kept per
 * year, so a period must lie within the register's year and name both of its ends.
 */
export function bookPeriod(year: number, from: string | undefined, to: string | undefined): BookPeriod | null {
  if (from === undefined && to === undefined) return null;
  if (from === undefined || to === undefined) throw new AppError('INVALID_INPUT', 'A register for a period needs both its first and its last day.', { field: from === undefined ? 'from' : 'to' });
  if (from > to) throw new AppError('INVALID_INPUT', `The period starts (${formatDateVn(from)}) after it ends (${formatDateVn(to)}).`, { field: 'from' });
  if (Number(from.slice(0, 4)) !== year || Number(to.slice(0, 4)) !== year) {
    throw new AppError('INVALID_INPUT', `A register is kept per year: the period ${formatDateVn(from)} – ${formatDateVn(to)} must lie within ${year}. Export each year's part separately.`, { field: 'from' });
  }
  return { from, to };
}
