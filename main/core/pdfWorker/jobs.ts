// What the PDF worker does (thread.ts runs these, pdfWorker.ts asks for them): every reading of
// an untrusted PDF that could be made to take long or much memory. Each job names the code it
// needs, loaded on its first use (a worker that only validates never loads pdf.js) and before its
// time budget starts: the budget measures the reading of the file, not the loading of eOffice.
import { AppError } from '../../common/errors.js';
import { openOrigin, type PdfSourceOrigin } from '../pdf/source.js';

function job<Code, Input, Output>(load: () => Promise<Code>, run: (code: Code, input: Input) => Output | Promise<Output>) {
  return { load, run };
}

export const PDF_JOBS = {
  /** Importing: the page count, text and title, as pdf.js reads them. */
  inspect: job(
    () => import('../pdf/pdfjsFacts.js'),
    ({ readPdfFacts }, { bytes, fileName }: { bytes: Uint8Array; fileName: string }) => readPdfFacts(bytes, fileName),
  ),

  /**
   * Importing an incoming document, after inspect: what the file says about its record — page 1's
   * lines with what its form fields print into them, and its signers' certificates.
   */
  recordFacts: job(
    () => import('../pdf/recordFacts.js'),
    ({ readRecordFacts }, { bytes, fileName }: { bytes: Uint8Array; fileName: string }) => readRecordFacts(bytes, fileName),
  ),

  /** Validating: what the bytes say about each signature (the trust and revocation come after). */
  signatureFacts: job(
    () => import('../validation/report.js'),
    ({ readSignatureFacts }, { origin, fileName }: { origin: PdfSourceOrigin; fileName: string }) => readSignatureFacts(openOrigin(origin), fileName),
  ),

  /**
   * Signing: the structure the signer reads (pdfStructure.ts, and pdf-lib's walk of the pages and
   * fields), read here first. The signer then reads it again on its own thread, where the key is,
   * knowing that it ends, quickly, within the budget.
   */
  signingStructure: job(
    () => import('../pades/revision.js'),
    ({ PdfRevision }, { origin, fileName }: { origin: PdfSourceOrigin; fileName: string }): null => {
      try {
        const revision = new PdfRevision(openOrigin(origin), fileName);
        revision.doc.getPages();
        revision.fields();
        return null;
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('DAMAGED_PDF', `${fileName} cannot be read as a PDF (${(error as Error).message}).`, { fileName });
      }
    },
  ),

  /** Signing without a rectangle: where the signature goes on the document's signature block (pdf.js reads the page). */
  signaturePlace: job(
    () => import('../pades/signaturePlace.js'),
    ({ findSignaturePlace }, { bytes, fileName, role, page, signerName }: { bytes: Uint8Array; fileName: string; role: 'signer' | 'agency'; page?: number; signerName?: string }) =>
      findSignaturePlace(bytes, role, { page, signerName, fileName }),
  ),
};

export type PdfJobs = typeof PDF_JOBS;
