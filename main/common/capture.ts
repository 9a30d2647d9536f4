// What an incoming document's record was taken from, field by field. A document that arrives over
// the axis brings its number, date, issuing agency and type in the edXML header; a PDF imported by
// hand or a paper document's scan brings only what can be read off the file — its printed text,
// the text that signature fields print into the blanks of the number and date lines, its signers'
// certificates — and a value read off a file is a guess until the clerk confirms it at tiếp nhận.
// Shared by the core, which records and checks, and the UI, which marks guesses and asks for what
// is missing before a số đến is given.

/** The fields of an incoming document's record that can be read off what arrived. */
export const CAPTURE_FIELDS = ['notation', 'documentDate', 'authorAgency', 'typeCode', 'subject', 'signerName'] as const;
export type CaptureField = (typeof CAPTURE_FIELDS)[number];

/**
 * What the incoming register (sổ đăng ký văn bản đến, Decree 30/2020 Appendix IV) writes for each
 * document: số, ký hiệu; ngày văn bản; tác giả (the issuing agency); tên loại và trích yếu. A số
 * đến is given only once the record has all of them.
 */
export const REGISTER_FIELDS = ['notation', 'documentDate', 'authorAgency', 'typeCode', 'subject'] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];

/**
 * edxml: the axis package's header; page-text: the first page's printed text; signature-appearance:
 * what a signature field prints (Hà Nội prints the number and the date into the blanks this way);
 * certificate: a signer's certificate; file-name: the file's name or its PDF title; clerk: typed.
 */
export const CAPTURE_SOURCES = ['edxml', 'page-text', 'signature-appearance', 'certificate', 'file-name', 'clerk'] as const;
export type CaptureSource = (typeof CAPTURE_SOURCES)[number];

/** Sources whose value is read off the file by eOffice: shown as a guess until the clerk confirms it. */
const GUESSED_FROM: readonly CaptureSource[] = ['page-text', 'signature-appearance', 'certificate', 'file-name'];

/** Who signed the file, as the certificates name the holder (CN) and its organisation (O). */
export interface FileSigner {
  name: string;
  organization: string | null;
}

export interface Capture {
  /** Where each field's value came from; null: nothing the file carries says it (chưa xác định). */
  sources: Record<CaptureField, CaptureSource | null>;
  /**
   * The file's signers: offered to the clerk for the issuing agency, never taken as it on their
   * own (a copy published by the Government's portal is signed by the portal, not by its issuer).
   */
  signedBy: FileSigner[];
  /** When the clerk confirmed the record (tiếp nhận); until then what was read off the file is a guess. */
  confirmedAt: string | null;
}

/** The values the register needs, as a document holds them. */
export interface RegisterValues {
  notation: string | null;
  documentDate: string | null;
  authorAgency: string;
  typeCode: string;
  subject: string;
}

/** A field whose value eOffice read off the file and the clerk has not confirmed yet. */
export function isGuessed(capture: Capture | null, field: CaptureField): boolean {
  if (!capture || capture.confirmedAt) return false;
  const source = capture.sources[field];
  return source !== null && GUESSED_FROM.includes(source);
}

/**
 * The register's fields still to fill in before a số đến: empty ones, those nothing said (the type
 * of a scan is not "Công văn" by default), and a trích yếu that is only the file's name. A record
 * made before eOffice kept its sources (capture null) lacks only what is empty.
 */
export function missingRegisterFields(values: RegisterValues, capture: Capture | null): RegisterField[] {
  return REGISTER_FIELDS.filter((field) => {
    const value = values[field];
    if (value === null || String(value).trim() === '') return true;
    if (!capture || capture.confirmedAt) return false;
    const source = capture.sources[field];
    return source === null || (field === 'subject' && source === 'file-name');
  });
}

/** The stored JSON (documents.capture) as a Capture; null for none or for what this version cannot read. */
export function parseCapture(json: string | null | undefined): Capture | null {
  if (!json) return null;
  try {
    const raw = JSON.parse(json) as Partial<Capture>;
    const sources = Object.fromEntries(
      CAPTURE_FIELDS.map((field) => {
        const source = raw.sources?.[field];
        return [field, typeof source === 'string' && (CAPTURE_SOURCES as readonly string[]).includes(source) ? source : null];
      }),
    ) as Capture['sources'];
    const signedBy = Array.isArray(raw.signedBy)
      ? raw.signedBy.filter((s): s is FileSigner => typeof s?.name === 'string').map((s) => ({ name: s.name, organization: typeof s.organization === 'string' ? s.organization : null }))
      : [];
    return { sources, signedBy, confirmedAt: typeof raw.confirmedAt === 'string' ? raw.confirmedAt : null };
  } catch {
    return null;
  }
}

/** The leading number of a notation as printed ("2280/QĐ-UBND" → 2280); null when it has none. */
export function numberOfNotation(notation: string | null | undefined): number | null {
  const match = /^\s*0*(\d{1,9})\s*\//.exec(notation ?? '');
  const n = match ? Number(match[1]) : 0;
  return n >= 1 ? n : null;
}
