// The checks on a PDF that need no parser: cheap, and free of pdf.js (a large module) for code
// such as the signer that only needs to refuse what is plainly not a whole PDF.
import { AppError } from '../../common/errors.js';
import { bytesSource, type PdfSource } from './source.js';

const HEADER_WINDOW = 1024; // readers accept junk before %PDF- within the first kilobyte
const TAIL_WINDOW = 2048;

function indexOfAscii(bytes: Uint8Array, needle: string, from: number, to: number): number {
  const n = needle.length;
  outer: for (let i = Math.max(0, from); i <= Math.min(bytes.length, to) - n; i++) {
    for (let j = 0; j < n; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** Empty, not a PDF at all, or cut short: the checks that need no parsing (only the head and tail are read). */
export function assertPdfFraming(pdf: Uint8Array | PdfSource, fileName: string): void {
  const source = pdf instanceof Uint8Array ? bytesSource(pdf) : pdf;
  if (source.size === 0) throw new AppError('EMPTY_FILE', `${fileName} is empty.`, { fileName });
  const head = source.read(0, HEADER_WINDOW);
  if (indexOfAscii(head, '%PDF-', 0, head.length) < 0) throw new AppError('NOT_PDF', `${fileName} is not a PDF file.`, { fileName });
  // A file cut short (an interrupted download or copy) has lost its last %%EOF marker.
  const tail = source.read(Math.max(0, source.size - TAIL_WINDOW), TAIL_WINDOW);
  if (indexOfAscii(tail, '%%EOF', 0, tail.length) < 0) {
    throw new AppError('TRUNCATED_PDF', `${fileName} is incomplete: the end of the PDF is missing.`, { fileName });
  }
}

