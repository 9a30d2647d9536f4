// Checks that bytes are a PDF the registry can keep, and reads its page count and text. The
// cheap checks run here; pdf.js reads the file in the PDF worker (pdfjsFacts.ts), within a time
// and memory budget, because the file is untrusted: a received PDF made to stall its reader costs
// a refusal, not the app.
import { pdfWorker } from '../pdfWorker/pdfWorker.js';
import { assertPdfFraming } from './framing.js';
import type { PdfFacts } from './pdfjsFacts.js';

export type { PdfFacts };

export async function inspectPdf(bytes: Uint8Array, fileName: string): Promise<PdfFacts> {
  assertPdfFraming(bytes, fileName);
  return pdfWorker().run('inspect', { bytes, fileName }, fileName);
}
