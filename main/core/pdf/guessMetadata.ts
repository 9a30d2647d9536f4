// Reads what a clerk would read off the first page of an official document (Decree 30 layout):
// the notation ("Số: 453/TB-UBND"), the date line ("Hà Nội, ngày 29 tháng 4 năm 2026"), the type
// title ("THÔNG BÁO") with the trích yếu under it, and the issuing agency in the top-left block.
// Every value is a suggestion the clerk confirms; a value that does not parse is left out.
import { DOCUMENT_TYPES, documentTypeByAbbreviation, type DocumentTypeCode } from '../../common/doctypes.js';
import { foldVietnamese } from '../../common/fold.js';
import { isCalendarDate } from '../../common/dates.js';

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
const DATE_LINE = /ng[àa]y\s+(\d{1,2})\s+th[áa]ng\s+(\d{1,2})\s+n[ăa]m\s+(\d{4})/iu;
const STOP_LINE = /^(c[aă]n c[uứ]|th[uự]c hi[eệ]n|k[ií]nh g[uử]i|x[eé]t|theo đ[eề] ngh[iị]|đi[eề]u\s+\d)/iu;

const TYPE_TITLES = DOCUMENT_TYPES.filter((t) => t.code !== 'CV').map((t) => ({ code: t.code, folded: foldVietnamese(t.vi) }));

function isUpperLine(line: string): boolean {
  const letters = line.replace(/[^\p{L}]/gu, '');
  return letters.length >= 3 && letters === letters.toUpperCase();
}

export function guessMetadata(text: string): GuessedMetadata {
  const head = text.slice(0, HEAD_CHARS);
  const lines = head.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const out: GuessedMetadata = {};

  const notation = NOTATION.exec(head);
  if (notation) {
    const suffix = notation[2]!.replace(/\s*-\s*/g, '-');
    const legalNormative = /^\d{4}\//.test(suffix); // 119/2018/NĐ-CP: a legal act, not an Appendix III type
    const segments = suffix.replace(/^\d{4}\//, '').split('-');
    const type = documentTypeByAbbreviation(segments[0]!);
    // "05/UBND-VP": no type abbreviation in front, so it is a công văn.
    if (type) out.typeCode = type.code as DocumentTypeCode;
    else if (!legalNormative && segments.length >= 2) out.typeCode = 'CV';
    if (notation[1]) {
      out.number = Number(notation[1]);
      out.notation = `${notation[1]}/${suffix}`;
    }
  }

  const date = DATE_LINE.exec(head);
  if (date) {
    const [d, m, y] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (isCalendarDate(y, m, d)) out.documentDate = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }

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
