// What an incoming PDF carries about its own record beyond its text (pdfjsFacts.ts), read in the
// PDF worker (the file is untrusted): the first page's printed lines with what form fields print
// into them — Hà Nội's documents get their number and date from the agency's signature fields,
// printed over the blanks of "Số:  /QĐ-UBND" and "ngày  tháng  năm" — and the captions signature
// fields print apart ("Ký bởi: …"); and who signed it, as the signatures' certificates name them.
// Turning these into a record is guessMetadata.ts's work.
import { COLUMN_BREAK, withPdfjsDocument, withPrintedPage, type PdfjsDocument, type PrintedLine } from './printedLines.js';
import { bytesSource } from './source.js';
import { verifyPdfSignatures } from '../pades/verify.js';
import { readCertificate } from '../validation/certificates.js';

/** One column of a printed line of page 1; widgetSpans: [start, end) of the text a form field printed. */
export interface HeaderSegment {
  text: string;
  widgetSpans: [number, number][];
}

/** A signature's certificate, as far as the record is concerned. */
export interface SignerFact {
  commonName: string | null;
  /** The subject's O. */
  organization: string | null;
  /** The subject carries an organisation's identifier (UID=MST:… tax code, UID=MNS:… budget code): an agency's certificate, not a person's. */
  organizationId: boolean;
  signingTime: string | null;
}

export interface RecordFacts {
  /** Null when page 1 could not be read as lines. */
  header: { segments: HeaderSegment[]; captions: string[][] } | null;
  /** In signing order. */
  signers: SignerFact[];
}

/** `bytes` is the worker's own copy. */
export async function readRecordFacts(bytes: Uint8Array, fileName: string): Promise<RecordFacts> {
  // First, while the bytes are whole: pdf.js may detach them.
  const signers = readSigners(bytes, fileName);
  const header = await withPdfjsDocument(bytes, readHeader, fileName).catch(() => null);
  return { header, signers };
}

function readSigners(bytes: Uint8Array, fileName: string): SignerFact[] {
  try {
    return verifyPdfSignatures(bytesSource(bytes), fileName).flatMap((check) => {
      if (!check.signer) return [];
      const certificate = readCertificate(check.signer.certificateDer);
      return [{ commonName: certificate.commonName, organization: certificate.organization, organizationId: /\bUID=(MST|MNS)\b/i.test(check.signer.subject), signingTime: check.signingTime }];
    });
  } catch {
    // A structure our signature reader refuses is still a PDF pdf.js reads: the record goes without signers.
    return [];
  }
}

function readHeader(doc: PdfjsDocument): Promise<RecordFacts['header']> {
  return withPrintedPage(doc, 1, () => true, async (page) => ({ segments: page.lines.flatMap(segmentsOf), captions: page.captions.map((c) => c.lines) }), { widgetText: true });
}

function segmentsOf(line: PrintedLine): HeaderSegment[] {
  const segments: HeaderSegment[] = [];
  let start = 0;
  for (const part of line.text.split(COLUMN_BREAK)) {
    const spans: [number, number][] = [];
    for (let i = 0; i < part.length; i++) {
      if (!line.origins[start + i]?.item.widget) continue;
      const last = spans.at(-1);
      if (last && last[1] === i) last[1] = i + 1;
      else spans.push([i, i + 1]);
    }
    if (part.trim()) segments.push({ text: part, widgetSpans: spans });
    start += part.length + COLUMN_BREAK.length;
  }
  return segments;
}
