// A register book as the file the clerk asked for, named as clerks file them:
// so-van-ban-di-2026.pdf, so-van-ban-den-2026-mat.xlsx, so-van-ban-den-2026-11-01-2026-11-30.csv.
import type { BookPeriod, RegisterBook } from './book.js';
import { renderBookPdf } from './bookPdf.js';
import { renderBookXlsx } from './bookXlsx.js';
import { renderBookCsv } from './bookCsv.js';

export type BookFormat = 'pdf' | 'xlsx' | 'csv';

export async function exportBook(book: RegisterBook, period: BookPeriod | null, format: BookFormat): Promise<{ fileName: string; bytes: Uint8Array<ArrayBuffer> }> {
  const base = `so-van-ban-${book.kind === 'out' ? 'di' : 'den'}-${period ? `${period.from}-${period.to}` : book.year}${book.confidential ? '-mat' : ''}`;
  // Copied into a plain ArrayBuffer-backed array, which is what the transports send.
  if (format === 'pdf') return { fileName: `${base}.pdf`, bytes: new Uint8Array(await renderBookPdf(book)) };
  if (format === 'xlsx') return { fileName: `${base}.xlsx`, bytes: new Uint8Array(await renderBookXlsx(book)) };
  return { fileName: `${base}.csv`, bytes: new TextEncoder().encode(renderBookCsv(book)) };
}
