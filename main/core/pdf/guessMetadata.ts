// Reads what a clerk would read off the first page of an official document (Decree 30 layout):
// the notation ("Số: 453/TB-UBND"), the date line ("Hà Nội, ngày 29 tháng 4 năm 2026"), the type
// title ("THÔNG BÁO") with the trích yếu under it, and the issuing agency in the top-left block.
// Every value is a suggestion the clerk confirms; a value that does not parse is left out.
// captureRecord puts an incoming document's record together from everything its file carries
// (recordFacts.ts), saying for each field where it came from.
import { DOCUMENT_TYPES, documentTypeByAbbreviation, type DocumentTypeCode } from '../../common/doctypes.js';
import { comparableName, foldVietnamese } from '../../common/fold.js';
import { isCalendarDate } from '../../common/dates.js';
import type { Capture, CaptureField, CaptureSource, FileSigner } from '../../common/capture.js';
import type { HeaderSegment, SignerFact } from './recordFacts.js';

export interface GuessedMetadata {
  typeCode?: DocumentTypeCode;
  number?: number;
  notation?: string;
  documentDate?: string;
  subject?: string;
  authorAgency?: string;
}

const HEAD_CHARS = 3000;
const SUBJECT_LINE_MAX = 70; // the header block sits on the first page, well within this
const NOTATION = /S[ốo6]\s*:?\s*(\d{1,5})?\s*\/\s*((?:\d{4}\/)?[\p{Lu}\p{Ll}Đđ]{1,6}(?:\s*-\s*[\p{Lu}Đ][\p{L}\d]{0,15}){0,3})/u;
// Figures filled into a printed line's blanks may sit close against its words ("tháng4").
const DATE_LINE = /ng[àa]y\s*(\d{1,2})\s*th[áa]ng\s*(\d{1,2})\s*n[ăa]m\s*(\d{4})/iu;
const STOP_LINE = /^(c[aă]n c[uứ]|th[uự]c hi[eệ]n|k[ií]nh g[uử]i|x[eé]t|theo đ[eề] ngh[iị]|đi[eề]u\s+\d)/iu;

const TYPE_TITLES = DOCUMENT_TYPES.filter((t) => t.code !== 'CV').map((t) => ({ code: t.code, folded: foldVietnamese(t.vi) }));

/**
 * The State's higher bodies, by how their notations end ("119/2018/NĐ-CP", "222/QĐ-TTg",
 * "15/2012/QH13"): the issuer of what a commune receives from above, when its header cannot be read.
 */
const CENTRAL_ISSUERS: Record<string, string> = {
  CP: 'Chính phủ',
  TTG: 'Thủ tướng Chính phủ',
  QH: 'Quốc hội',
  UBTVQH: 'Ủy ban Thường vụ Quốc hội',
  CTN: 'Chủ tịch nước',
};

function isUpperLine(line: string): boolean {
  const letters = line.replace(/[^\p{L}]/gu, '');
  return letters.length >= 3 && letters === letters.toUpperCase();
}

interface NotationReading {
  typeCode?: DocumentTypeCode;
  number?: number;
  notation?: string;
  /** The issuer the notation's last part names, when it is one of the State's higher bodies. */
  issuer?: string;
  /** [start, end) of the number in the text read, when there is one. */
  numberSpan?: [number, number];
}

/** "Số: 453/TB-UBND" (the number may be blank, as on a draft). */
function readNotation(text: string): NotationReading | null {
  const notation = NOTATION.exec(text);
  if (!notation) return null;
  const out: NotationReading = {};
  const suffix = notation[2]!.replace(/\s*-\s*/g, '-');
  const year = /^\d{4}\//.exec(suffix)?.[0] ?? '';
  const legalNormative = year !== ''; // 119/2018/NĐ-CP: a legal act, not a Decree 30 administrative document
  const segments = suffix.slice(year.length).split('-');
  const type = documentTypeByAbbreviation(segments[0]!);
  // "05/UBND-VP": no type abbreviation in front, so it is a công văn.
  if (type) {
    out.typeCode = type.code as DocumentTypeCode;
    // A scan's text layer drops the stroke of Đ ("ND-CP"): the notation is written as printed on paper.
    segments[0] = type.abbreviation;
  } else if (!legalNormative && segments.length >= 2) out.typeCode = 'CV';
  const issuer = CENTRAL_ISSUERS[(segments.at(-1) ?? '').replace(/\d+$/, '').toUpperCase()];
  if (issuer && (type || legalNormative)) out.issuer = issuer;
  if (notation[1]) {
    out.number = Number(notation[1]);
    out.notation = `${notation[1]}/${year}${segments.join('-')}`;
    const start = notation.index + notation[0].indexOf(notation[1]);
    out.numberSpan = [start, start + notation[1].length];
  }
  return out;
}

/** "ngày 29 tháng 4 năm 2026" as yyyy-MM-dd, with where the figures stand in the text. */
function readDate(text: string): { iso: string; span: [number, number] } | null {
  const date = DATE_LINE.exec(text);
  if (!date) return null;
  const [d, m, y] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (!isCalendarDate(y, m, d)) return null;
  return { iso: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, span: [date.index, date.index + date[0].length] };
}

export function guessMetadata(text: string): GuessedMetadata {
  const head = text.slice(0, HEAD_CHARS);
  const lines = head.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const out: GuessedMetadata = {};

  const notation = readNotation(head);
  if (notation?.typeCode) out.typeCode = notation.typeCode;
  if (notation?.number !== undefined) {
    out.number = notation.number;
    out.notation = notation.notation;
  }

  const date = readDate(head);
  if (date) out.documentDate = date.iso;

  const titleIndex = lines.findIndex((l) => {
    const folded = foldVietnamese(l).replace(/[^a-z ]/g, '').replace(/\s+/g, ' ').trim();
    return TYPE_TITLES.some((t) => t.folded === folded);
  });
  if (titleIndex >= 0) {
    const title = foldVietnamese(lines[titleIndex]!).replace(/[^a-z ]/g, '').replace(/\s+/g, ' ').trim();
    const type = TYPE_TITLES.find((t) => t.folded === title)!;
    out.typeCode ??= type.code as DocumentTypeCode;
    // The trích yếu is one to three short centred lines; the body that follows runs full width.
    const subject: string[] = [];
    for (const line of lines.slice(titleIndex + 1, titleIndex + 4)) {
      if (STOP_LINE.test(line)) break;
      if (subject.length > 0 && (isUpperLine(line) || line.length > SUBJECT_LINE_MAX || /[.;:]$/.test(subject.at(-1)!))) break;
      subject.push(line);
    }
    if (subject.length) out.subject = subject.join(' ');
  } else {
    const vv = lines.find((l) => /^V\/v\b/i.test(l));
    if (vv) out.subject = vv.replace(/^V\/v\s*/i, 'V/v ');
  }

  // The issuing agency: the upper-case lines above the national motto "CỘNG HÒA …".
  const author: string[] = [];
  for (const line of lines.slice(0, 4)) {
    if (/^c[oộ]ng h[oò]a/iu.test(line) || !isUpperLine(line)) break;
    author.push(line);
  }
  if (author.length) out.authorAgency = author.join(' ');
  return out;
}

/** What an incoming file carries about its record (recordFacts.ts), and its name. */
export interface RecordEvidence {
  text: string;
  title: string | null;
  fileName: string;
  header: { segments: HeaderSegment[]; captions: string[][] } | null;
  signers: SignerFact[];
}

/** An incoming document's record as read off its file, with where each field came from. */
export interface CapturedRecord {
  number: number | null;
  notation: string | null;
  documentDate: string | null;
  authorAgency: string;
  /** 'CV' is only a placeholder when capture.sources.typeCode is null: nothing said what it is. */
  typeCode: DocumentTypeCode;
  subject: string;
  signerName: string;
  capture: Capture;
}

const overlaps = (span: [number, number] | undefined, spans: [number, number][]) => span !== undefined && spans.some(([a, b]) => a < span[1] && span[0] < b);

/** A holder name as a person's: two to six capitalised words, not an organisation's name. */
const ORGANISATION_WORDS = new Set(['ủy', 'uỷ', 'ubnd', 'hđnd', 'sở', 'phòng', 'văn', 'cổng', 'trung', 'bộ', 'cục', 'tổng', 'viện', 'trường', 'bệnh', 'hội', 'ban', 'thành', 'tỉnh', 'huyện', 'xã', 'phường', 'công', 'ngân', 'kho', 'đài', 'báo', 'học', 'đảng', 'chi']);
function looksLikePersonalName(name: string): boolean {
  const words = name.normalize('NFC').trim().split(/\s+/);
  return words.length >= 2 && words.length <= 6 && words.every((w) => /^\p{Lu}/u.test(w)) && !ORGANISATION_WORDS.has(words[0]!.toLowerCase());
}

function isPerson(signer: SignerFact): boolean {
  const name = signer.commonName ?? '';
  return !signer.organizationId && comparableName(name) !== comparableName(signer.organization ?? '') && looksLikePersonalName(name);
}

/** The agency's own certificate: its holder is the organisation itself (CN = O). */
function isAgency(signer: SignerFact): boolean {
  return signer.commonName !== null && signer.organization !== null && comparableName(signer.commonName) === comparableName(signer.organization);
}

/**
 * The competent signer among the signatures: a person whose name the document prints (under the
 * signature block), the last of them; else the last person to sign before the agency did — those
 * before are the drafters' initials (ký nháy).
 */
function competentSigner(signers: SignerFact[], text: string): string | null {
  const persons = signers.filter(isPerson);
  const printed = comparableName(text);
  const named = persons.filter((p) => printed.includes(comparableName(p.commonName!)));
  if (named.length) return named.at(-1)!.commonName;
  const agencyAt = signers.findIndex(isAgency);
  const before = agencyAt < 0 ? persons : signers.slice(0, agencyAt).filter(isPerson);
  return before.at(-1)?.commonName ?? null;
}

/**
 * An incoming document's record from everything its file carries: the notation and the date
 * from page 1's lines as printed with what form fields print into their blanks (else from the
 * text), the type and the agency from the page, the signer from the certificates. A field nothing
 * says stays empty with a null source, for the clerk to fill in at tiếp nhận; so does a trích yếu
 * that is only the file's name or PDF title.
 */
export function captureRecord(evidence: RecordEvidence): CapturedRecord {
  const guess = guessMetadata(evidence.text);
  const sources: Record<CaptureField, CaptureSource | null> = { notation: null, documentDate: null, authorAgency: null, typeCode: null, subject: null, signerName: null };

  let notation: NotationReading | null = null;
  let date: { iso: string } | null = null;
  for (const segment of evidence.header?.segments ?? []) {
    const n: NotationReading | null = notation ? null : readNotation(segment.text);
    if (n?.number !== undefined) {
      notation = n;
      sources.notation = overlaps(n.numberSpan, segment.widgetSpans) ? 'signature-appearance' : 'page-text';
    }
    const d: ReturnType<typeof readDate> = date ? null : readDate(segment.text);
    if (d) {
      date = d;
      sources.documentDate = overlaps(d.span, segment.widgetSpans) ? 'signature-appearance' : 'page-text';
    }
  }
  if (!notation && guess.notation) {
    notation = readNotation(`Số: ${guess.notation}`);
    sources.notation = 'page-text';
  }
  if (!date && guess.documentDate) {
    date = { iso: guess.documentDate };
    sources.documentDate = 'page-text';
  }

  const typeCode = notation?.typeCode ?? guess.typeCode;
  if (typeCode) sources.typeCode = 'page-text';

  const agencyCertificate = evidence.signers.find(isAgency)?.commonName ?? null;
  let authorAgency = guess.authorAgency ?? notation?.issuer ?? readNotation(evidence.text.slice(0, HEAD_CHARS))?.issuer ?? null;
  if (authorAgency) sources.authorAgency = 'page-text';
  else if (agencyCertificate) {
    authorAgency = agencyCertificate;
    sources.authorAgency = 'certificate';
  }

  let subject = guess.subject;
  if (subject) sources.subject = 'page-text';
  else {
    subject = evidence.title ?? evidence.fileName.replace(/\.pdf$/i, '');
    sources.subject = 'file-name';
  }

  const signerName = competentSigner(evidence.signers, evidence.text);
  if (signerName) sources.signerName = 'certificate';

  const signedBy: FileSigner[] = [];
  for (const signer of evidence.signers) {
    if (!signer.commonName || signedBy.some((s) => comparableName(s.name) === comparableName(signer.commonName!))) continue;
    if (signedBy.length < 8) signedBy.push({ name: signer.commonName, organization: signer.organization });
  }

  return {
    number: notation?.number ?? null,
    notation: notation?.notation ?? null,
    documentDate: date?.iso ?? null,
    authorAgency: authorAgency ?? '',
    typeCode: typeCode ?? 'CV',
    subject,
    signerName: signerName ?? '',
    capture: { sources, signedBy, confirmedAt: null },
  };
}
