// Kết quả tìm kiếm as a file (Decree 30, Appendix VI 6h): every result of the search, in the order
// the clerk chose, up to SEARCH_EXPORT_MAX_ROWS, as a table of the columns the clerk chose —
// printed as the register books are (books/bookPdf.ts, books/bookXlsx.ts): a cover that says what
// was searched and how many were found, then ruled pages whose header repeats.
import type { Database } from '../storage/database.js';
import type { SearchSpec } from '../../common/contract.js';
import { SEARCH_EXPORT_MAX_ROWS, searchColumnText, type SearchColumnKey } from '../../common/searchColumns.js';
import { formatDateTimeVn, toVnIso, vnDate } from '../../common/dates.js';
import type { BookColumn } from '../books/book.js';
import { renderTablePdf, type PrintedTable } from '../books/bookPdf.js';
import { renderTableXlsx } from '../books/bookXlsx.js';
import { searchDocuments } from '../registry/search.js';
import { localAgency } from '../registry/agency.js';

export const SEARCH_EXPORT_TITLE = 'KẾT QUẢ TÌM KIẾM VĂN BẢN';

const SORT_VI = { relevance: 'mức độ phù hợp', date: 'ngày văn bản', number: 'số văn bản', due: 'hạn giải quyết' } as const;

/** Each column's label and relative width (the book's scale); its cells are searchColumnText's. */
const COLUMNS: Record<SearchColumnKey, BookColumn> = {
  incomingNumber: { key: 'incomingNumber', vi: 'Số đến', en: 'Incoming number', weight: 0.7, align: 'center' },
  notation: { key: 'notation', vi: 'Số, ký hiệu', en: 'Number and notation', weight: 1.4, align: 'center' },
  documentDate: { key: 'documentDate', vi: 'Ngày văn bản', en: 'Date of document', weight: 1.1, align: 'center' },
  typeCode: { key: 'typeCode', vi: 'Loại văn bản', en: 'Type', weight: 1.1 },
  subject: { key: 'subject', vi: 'Trích yếu', en: 'Summary', weight: 3.4 },
  authorAgency: { key: 'authorAgency', vi: 'Cơ quan ban hành', en: 'Issuing agency', weight: 1.7 },
  signerName: { key: 'signerName', vi: 'Người ký', en: 'Signed by', weight: 1.4 },
  recipients: { key: 'recipients', vi: 'Nơi nhận', en: 'Recipients', weight: 1.7 },
  handlerName: { key: 'handlerName', vi: 'Người xử lý', en: 'Handled by', weight: 1.4 },
  dueDate: { key: 'dueDate', vi: 'Hạn giải quyết', en: 'Deadline', weight: 1.1, align: 'center' },
  state: { key: 'state', vi: 'Trạng thái', en: 'State', weight: 1.1 },
  registeredAt: { key: 'registeredAt', vi: 'Ngày đăng ký', en: 'Registered on', weight: 1.1, align: 'center' },
  identifierCode: { key: 'identifierCode', vi: 'Mã định danh văn bản', en: 'Document identifier code', weight: 2.2 },
};

export type SearchExportRequest = SearchSpec & { columns: SearchColumnKey[]; format: 'pdf' | 'xlsx' };

export async function exportSearch(db: Database, request: SearchExportRequest, now = new Date()): Promise<{ fileName: string; bytes: Uint8Array<ArrayBuffer>; rows: number; total: number }> {
  const { query, sort, order, columns: keys, format, ...filters } = request;
  const found = searchDocuments(db, query, filters, 0, SEARCH_EXPORT_MAX_ROWS, { sort, order }, { snippets: false });
  const columns = [...new Set(keys)].map((key) => COLUMNS[key]);
  const rows = found.items.map((hit) => columns.map((column) => searchColumnText(hit, column.key as SearchColumnKey)));
  const agency = localAgency(db);
  const counted = found.capped ? `hơn ${found.total.toLocaleString('vi-VN')}` : found.total.toLocaleString('vi-VN');
  const table: PrintedTable = {
    agencyLines: [agency.name].filter((name) => name.trim() !== '').map((name) => name.trim().toUpperCase()),
    title: SEARCH_EXPORT_TITLE,
    coverLines: [
      query.trim() ? `Từ khóa: “${query.trim()}”` : 'Không có từ khóa: mọi văn bản khớp bộ lọc',
      rows.length < found.total ? `${rows.length.toLocaleString('vi-VN')} văn bản đầu tiên trong ${counted} văn bản tìm thấy` : `${counted} văn bản`,
      `Sắp xếp theo ${SORT_VI[sort]}, ${order === 'asc' ? 'tăng dần' : 'giảm dần'}`,
      `Lập lúc ${formatDateTimeVn(toVnIso(now))}`,
    ],
    documentTitle: `${SEARCH_EXPORT_TITLE} – ${query.trim() || vnDate(now)}`,
    columns,
    rows,
  };
  const fileName = `ket-qua-tim-kiem-${vnDate(now)}.${format}`;
  // Copied into a plain ArrayBuffer-backed array, which is what the transports send.
  const bytes = new Uint8Array(format === 'pdf' ? await renderTablePdf(table) : await renderTableXlsx({ ...table, sheetName: 'Kết quả' }));
  return { fileName, bytes, rows: rows.length, total: found.total };
}
