// A PDF's page count, text and title as pdf.js reads them. pdf.js is the parser because the
// renderer previews with it too: a file that imports is a file that displays. Its own errors are
// mapped to the reasons a clerk can act on. It runs in the PDF worker (inspect.ts), never on the
// main thread: the file is untrusted.
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { AppError } from '../../common/errors.js';

export interface PdfFacts {
  pageCount: number;
  /** The text layer in NFC, empty for a scan without OCR. */
  text: string;
  title: string | null;
}

/** Text beyond this adds little to search and a lot to the index. */
const MAX_TEXT_CHARS = 400_000;
const MAX_TEXT_PAGES = 300;

/** `bytes` may be detached by pdf.js: give it a copy of your own. */
export async function readPdfFacts(bytes: Uint8Array, fileName: string): Promise<PdfFacts> {
  let doc: Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;
  try {
    doc = await pdfjs.getDocument({ data: bytes, isEvalSupported: false, useSystemFonts: false, stopAtErrors: false, verbosity: 0 }).promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new AppError('ENCRYPTED_PDF', `${fileName} is protected by a password.`, { fileName });
    throw new AppError('DAMAGED_PDF', `${fileName} cannot be read as a PDF (${(error as Error).message}).`, { fileName });
  }
  try {
    const info = (await doc.getMetadata()).info as Record<string, unknown>;
    // Encrypted with an empty user password opens without asking, but cannot be signed or
    // archived as it is: the registry keeps only plain PDFs.
    if (info.EncryptFilterName) throw new AppError('ENCRYPTED_PDF', `${fileName} is encrypted.`, { fileName });
    const pages: string[] = [];
    let length = 0;
    for (let p = 1; p <= Math.min(doc.numPages, MAX_TEXT_PAGES) && length < MAX_TEXT_CHARS; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      let pageText = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        pageText += item.str + (item.hasEOL ? '\n' : item.str.endsWith(' ') ? '' : ' ');
      }
      page.cleanup();
      pages.push(pageText);
      length += pageText.length;
    }
    const text = pages.join('\n\f\n').normalize('NFC').replace(/\u0000/g, '').slice(0, MAX_TEXT_CHARS);
    const title = typeof info.Title === 'string' && info.Title.trim() ? info.Title.trim() : null;
    return { pageCount: doc.numPages, text, title };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('DAMAGED_PDF', `${fileName} is damaged (${(error as Error).message}).`, { fileName });
  } finally {
    await doc.destroy();
  }
}
