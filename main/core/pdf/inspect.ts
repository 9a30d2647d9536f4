// Checks that bytes are a PDF the registry can keep, and reads its page count and text. The
// cheap checks run here; pdf.js reads the file in the PDF worker (pdfjsFacts.ts), within a time
// and memory budget, because the file is untrusted: a received PDF made to stall its reader costs
// a refusal, not the app.
import { AppError } from '../../common/errors.js';
import { pdfWorker } from '../pdfWorker/pdfWorker.js';
import { assertPdfFraming } from './framing.js';
import type { PdfFacts } from './pdfjsFacts.js';
import type { RecordFacts } from './recordFacts.js';

export type { PdfFacts, RecordFacts };

export async function inspectPdf(bytes: Uint8Array, fileName: string): Promise<PdfFacts> {
  assertPdfFraming(bytes, fileName);
  return pdfWorker().run('inspect', { bytes, fileName }, fileName);
}

/**
 * What an incoming file says about its record beyond its text (recordFacts.ts), after inspectPdf
 * accepted it. Only a help to the clerk: a file whose form or signatures take too long to read
 * (stopped by the worker's budget) or cannot be read is imported all the same, without it.
 */
export async function readRecordFacts(bytes: Uint8Array, fileName: string): Promise<RecordFacts | null> {
  try {
    return await pdfWorker().run('recordFacts', { bytes, fileName }, fileName);
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}
