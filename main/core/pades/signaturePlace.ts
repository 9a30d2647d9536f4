// Where a visible signature goes when no rectangle is given: on the document's signature block
// (Decree 30, Appendix I). The block prints the signer's position in capitals ("TM. ỦY BAN NHÂN
// DÂN / CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"), leaves a gap for the signature and prints the
// full name under it. The competent person's signature image goes in that gap, centred on the
// name; the agency's seal covers about the left third of that image.
import { PDFName } from 'pdf-lib';
import { comparableName } from '../../common/fold.js';
import { AppError } from '../../common/errors.js';
import { boxOf, COLUMN_BREAK, withPdfjsDocument, withPrintedPage, type DisplayBox, type PrintedLine, type PrintedPage } from '../pdf/printedLines.js';
import { bytesSource } from '../pdf/source.js';
import { sealRect, type Rect } from './appearance.js';
import { PdfRevision } from './revision.js';

export interface SignatureBlock {
  /** 1-based. */
  page: number;
  /** The position lines as printed, top to bottom. */
  position: string[];
  /** The full name as printed. */
  name: string;
  /** The gap between the position and the name, centred on the name: where the signature image goes. */
  rect: Rect;
}

export type SignaturePlace =
  | { found: true; page: number; rect: Rect }
  /** No block (or, for the agency, no signature of the competent person) on `page`, of `pages`. */
  | { found: false; page: number; pages: number };

/** Between the position and the name there is room for a signature: at least this many font sizes… */
const MIN_GAP = 2;
/** …and not so much that the capitals above belong to something else. */
const MAX_GAP = 12;
/** Position lines follow one another closer than this (bottom to top, in font sizes). */
const POSITION_LEADING = 1.2;
/** "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" is the most a position takes. */
const MAX_POSITION_LINES = 4;
/** The signature image's width: about a handwritten signature's, whatever the name's length. */
const SIGNATURE_WIDTH = { min: 130, max: 200 };
/** A full name as printed: two to seven capitalised words ("Nguyễn Văn An", "Võ Tuấn Anh"). */
const NAME_SHAPE = /^\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){1,6}$/u;

/** A column of a printed line: the text between two column gaps, with its box. A name is printed alone in its column. */
interface Segment {
  line: PrintedLine;
  start: number;
  end: number;
  text: string;
  box: DisplayBox;
}

/**
 * The signature block on `page` (when not given, on the last page that has one) whose full name is `signerName`
 * (compared folded: accents, đ and case aside), or, without a name, the lowest block on the page
 * whose name looks like a person's. Null when there is none, or the page has no text (a scan).
 */
export async function findSignatureBlock(bytes: Uint8Array, options: { page?: number; signerName?: string; fileName?: string } = {}): Promise<SignatureBlock | null> {
  return (await readBlock(bytes, options)).block;
}

/**
 * Where a visible signature goes on a document without a rectangle given. The competent person
 * (`signer`): in the gap of the block that prints `signerName`. The agency: over the left third
 * of the competent person's signature — its visible signature on that page, or else the gap of
 * the page's signature block, where that signature goes.
 */
export async function findSignaturePlace(bytes: Uint8Array, role: 'signer' | 'agency', options: { page?: number; signerName?: string; fileName?: string } = {}): Promise<SignaturePlace> {
  const { block, page, pages } = await readBlock(bytes, role === 'signer' ? options : { ...options, signerName: undefined });
  if (role === 'signer') {
    if (!block || !options.signerName) return { found: false, page, pages };
    return { found: true, page, rect: block.rect };
  }
  const competent = competentSignatureWidget(bytes, options.fileName ?? 'document.pdf', page, block?.rect ?? null);
  const under = competent ?? block?.rect;
  if (!under) return { found: false, page, pages };
  return { found: true, page, rect: roundRect(sealRect(under)) };
}

async function readBlock(bytes: Uint8Array, options: { page?: number; signerName?: string; fileName?: string }): Promise<{ block: SignatureBlock | null; page: number; pages: number }> {
  const fileName = options.fileName ?? 'document.pdf';
  const wanted = options.signerName === undefined ? null : comparableName(options.signerName);
  return withPdfjsDocument(
    bytes,
    async (doc) => {
      if (options.page !== undefined) {
        if (options.page > doc.numPages) throw new AppError('INVALID_INPUT', `${fileName} has no page ${options.page} (it has ${doc.numPages}).`, { fileName });
        const block = await withPrintedPage(doc, options.page, () => true, async (page) => blockOnPage(page, wanted));
        return { block, page: options.page, pages: doc.numPages };
      }
      // The signature block closes the document's text; annexes (phụ lục) often follow it, so the
      // pages are read from the last one back until a block is found.
      for (let pageNumber = doc.numPages; pageNumber >= 1; pageNumber--) {
        const block = await withPrintedPage(doc, pageNumber, () => true, async (page) => blockOnPage(page, wanted));
        if (block) return { block, page: pageNumber, pages: doc.numPages };
      }
      return { block: null, page: doc.numPages, pages: doc.numPages };
    },
    fileName,
  );
}

function blockOnPage(page: PrintedPage, wanted: string | null): SignatureBlock | null {
  const segments = page.lines.flatMap(segmentsOf);
  // The lowest first: the block is at the foot of the text, below any name the body mentions.
  const names = segments.filter((segment) => isName(segment, wanted)).sort((p, q) => q.box.top - p.box.top);
  for (const name of names) {
    const position = positionAbove(name.box, segments);
    if (position.length === 0) continue;
    const gapTop = Math.max(...position.map((s) => s.box.bottom));
    const rect = signatureRect(page, name.box, position, gapTop);
    return { page: page.number, position: position.map((s) => s.text), name: name.text, rect };
  }
  return null;
}

function segmentsOf(line: PrintedLine): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (const part of line.text.split(COLUMN_BREAK)) {
    const end = start + part.length;
    const box = boxOf(line, start, end);
    if (box && part.trim()) segments.push({ line, start, end, text: part.trim(), box });
    start = end + 1;
  }
  return segments;
}

/** The segment is a full name: `wanted` (folded), or, without one, text shaped like a name. */
function isName(segment: Segment, wanted: string | null): boolean {
  if (wanted === null) return NAME_SHAPE.test(segment.text);
  return wanted !== '' && comparableName(segment.text) === wanted;
}

/** Printed in capitals, as positions are: "KT. CHỦ TỊCH", "PHÓ CHÁNH VĂN PHÒNG". */
function isPositionLine(text: string): boolean {
  return /\p{Lu}{2}/u.test(text) && !/\p{Ll}/u.test(text);
}

/** One above the other in the same column: their middles close, as centred lines are. */
function sameColumn(a: DisplayBox, b: DisplayBox): boolean {
  const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const middles = Math.abs((a.left + a.right) / 2 - (b.left + b.right) / 2);
  return overlap > 0 && middles <= Math.max(a.right - a.left, b.right - b.left) / 2;
}

/**
 * The position lines above a name, top to bottom: the nearest text above it in its column is in
 * capitals and leaves a signature's room; the lines just above that one in capitals join it.
 */
function positionAbove(name: DisplayBox, segments: Segment[]): Segment[] {
  const size = name.fontSize;
  const above = segments.filter((s) => s.box.bottom <= name.top + 0.2 * size && sameColumn(s.box, name)).sort((p, q) => q.box.bottom - p.box.bottom);
  const nearest = above[0];
  if (!nearest || !isPositionLine(nearest.text)) return [];
  const gap = name.top - nearest.box.bottom;
  if (gap < MIN_GAP * size || gap > MAX_GAP * size) return [];
  const lines = [nearest];
  for (const next of above.slice(1)) {
    const previous = lines[lines.length - 1]!;
    if (next.box.bottom > previous.box.top) continue; // the rest of a line that a wide gap split
    if (lines.length >= MAX_POSITION_LINES || previous.box.top - next.box.bottom > POSITION_LEADING * size || !isPositionLine(next.text)) break;
    lines.push(next);
  }
  return lines.reverse();
}

/** The gap under the position, clear of both texts, centred on the name; in user space. */
function signatureRect(page: PrintedPage, name: DisplayBox, position: Segment[], gapTop: number): Rect {
  const margin = 0.2 * name.fontSize;
  const widest = Math.max(name.right - name.left, ...position.map((s) => s.box.right - s.box.left));
  const width = Math.min(SIGNATURE_WIDTH.max, Math.max(SIGNATURE_WIDTH.min, widest));
  const middle = (name.left + name.right) / 2;
  const left = Math.max(0, Math.min(page.width - width, middle - width / 2));
  return page.toUserRect({ left, right: left + width, top: gapTop + margin, bottom: name.top - margin });
}

/**
 * The competent person's visible signature on the page: a signed signature field shown there,
 * the one most inside the block's gap when a block was found, else the page's only one.
 */
function competentSignatureWidget(bytes: Uint8Array, fileName: string, page: number, gap: Rect | null): Rect | null {
  const shown = [...new PdfRevision(bytesSource(bytes), fileName).fields().values()].filter(
    (f) => f.pageIndex + 1 === page && f.dict.lookup(PDFName.of('FT')) === PDFName.of('Sig') && f.dict.get(PDFName.of('V')) && f.rect[2] > 1 && f.rect[3] > 1,
  );
  if (!gap) return shown.length === 1 ? shown[0]!.rect : null;
  let best: { rect: Rect; inside: number } | null = null;
  for (const { rect } of shown) {
    const inside = overlapArea(rect, gap) / (rect[2] * rect[3]);
    if (inside > 0.5 && (!best || inside > best.inside)) best = { rect, inside };
  }
  return best?.rect ?? null;
}

function overlapArea([x1, y1, w1, h1]: Rect, [x2, y2, w2, h2]: Rect): number {
  const w = Math.min(x1 + w1, x2 + w2) - Math.max(x1, x2);
  const h = Math.min(y1 + h1, y2 + h2) - Math.max(y1, y2);
  return w > 0 && h > 0 ? w * h : 0;
}

function roundRect(rect: Rect): Rect {
  return rect.map((n) => Math.round(n * 100) / 100) as Rect;
}
