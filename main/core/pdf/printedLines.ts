// A page's text as printed lines with their geometry: what finds the blank number and date lines
// of a draft (numberDatePlaces.ts) and the signature block at its foot (pades/signaturePlace.ts).
//
// pdf.js hands out text in items that follow the producer's whims: one item per run, per word, per
// glyph, with or without separate space items. The items are therefore regrouped into printed
// lines, matched as text, and a match is traced back to the items' geometry for its rectangle.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFPageProxy, TextItem, TextStyle } from 'pdfjs-dist/types/src/display/api.js';
import { AppError } from '../../common/errors.js';
import { readWidgetText } from './widgetText.js';

export interface TextPlace {
  /** 1-based. */
  page: number;
  /** PDF user space points (origin bottom-left, unrotated page), covering the whole phrase with a little padding. */
  rect: [x: number, y: number, width: number, height: number];
  /** Of the found text. */
  fontSize: number;
  /** Best guess from the font name (or a slanted text matrix). */
  italic: boolean;
  /** The phrase as printed, NFC, runs of blanks shown as one space. */
  text: string;
}

/** Two items on baselines closer than this (in font sizes) print as one line. */
const SAME_LINE_TOLERANCE = 0.5;
/** A gap wider than this (in font sizes) between two items is a word space… */
const WORD_GAP = 0.1;
/** …and wider than this, the gap between two columns (of the header table, of "Nơi nhận" and the signer). */
const COLUMN_GAP = 2.5;
/** Padding around a phrase, in font sizes: accents on capitals rise above the font's ascent. */
const PADDING = 0.15;

/** A run of printed characters (a word, a row of dots) and where it starts: PDF user space, on its baseline. */
export interface PrintedRun {
  text: string;
  x: number;
  baseline: number;
}

/** Where a line's columns part, in `text` and `folded`. */
export const COLUMN_BREAK = '\t';

/** One pdf.js text item laid out in display space (y grows downwards, page rotation applied). */
export interface PlacedItem {
  str: string;
  fontName: string;
  /** Start and end of the advance along the baseline. */
  x0: number;
  x1: number;
  baseline: number;
  fontSize: number;
  ascent: number;
  descent: number;
  /** The text matrix leans: italic simulated by a shear, as word processors do when a font has no italic. */
  slanted: boolean;
  /** Printed by this form field's appearance, not by the page itself (widgetText.ts). */
  widget?: string;
}

/** Where each character of a line came from: its item and its share of that item's advance. */
interface CharOrigin {
  item: PlacedItem;
  from: number;
  to: number;
}

// Matching happens on a folded copy of the line (no accents, đ → d, lower case) that has exactly
// one character per character of the NFC line, so a match's offsets are offsets in the printed
// text. Folding makes "Số", "SỐ", "Sô" and a "So" from a font with a poor ToUnicode map all match.
export interface PrintedLine {
  /** NFC, runs of whitespace collapsed to one space, or to a tab where the columns part. */
  text: string;
  folded: string;
  /** One entry per character of `text`; null for spaces put in for gaps. */
  origins: (CharOrigin | null)[];
}

/** A stretch of a line in display space (y grows downwards): from the tallest ascent to the deepest descent. */
export interface DisplayBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Of the characters' items, the largest. */
  fontSize: number;
}

type Matrix = [number, number, number, number, number, number];

function multiply(m1: readonly number[], m2: readonly number[]): Matrix {
  const [a1 = 0, b1 = 0, c1 = 0, d1 = 0, e1 = 0, f1 = 0] = m1;
  const [a2 = 0, b2 = 0, c2 = 0, d2 = 0, e2 = 0, f2 = 0] = m2;
  return [a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2, a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1];
}

function invert(m: Matrix): Matrix {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export type PdfjsDocument = Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;

/**
 * Opens a PDF (bytes, or a file's path) with pdf.js for `use`, and destroys it after. Errors come
 * out as the reasons a clerk can act on, naming the file (`name`, else the path's base name):
 * NOT_FOUND, FILE_UNREADABLE, ENCRYPTED_PDF, DAMAGED_PDF.
 */
export async function withPdfjsDocument<T>(pdf: Uint8Array | string, use: (doc: PdfjsDocument) => Promise<T>, name?: string): Promise<T> {
  const fileName = name ?? (typeof pdf === 'string' ? path.basename(pdf) : 'document.pdf');
  const details = { fileName };
  let bytes: Uint8Array;
  if (typeof pdf === 'string') {
    try {
      bytes = await fs.readFile(pdf);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('NOT_FOUND', `${fileName} does not exist.`, details);
      throw new AppError('FILE_UNREADABLE', `${fileName} cannot be read (${(error as Error).message}).`, details);
    }
  } else {
    bytes = pdf;
  }

  let doc: PdfjsDocument;
  try {
    // pdf.js may detach the buffer it is given and refuses Node Buffers: give it a plain copy.
    doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, stopAtErrors: false, verbosity: 0 }).promise;
  } catch (error) {
    if ((error as { name?: string }).name === 'PasswordException') throw new AppError('ENCRYPTED_PDF', `${fileName} is protected by a password.`, details);
    throw new AppError('DAMAGED_PDF', `${fileName} cannot be read as a PDF (${(error as Error).message}).`, details);
  }
  try {
    return await use(doc);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('DAMAGED_PDF', `${fileName} is damaged (${(error as Error).message}).`, details);
  } finally {
    await doc.destroy();
  }
}

/** A page's printed lines, and how to turn a stretch of one into a place on the page. */
export interface PrintedPage {
  /** 1-based. */
  number: number;
  /** As the page is seen (rotation applied), in points. */
  width: number;
  height: number;
  /** Top to bottom. */
  lines: PrintedLine[];
  /** The stretch [start, end) of a line as a place in PDF user space, with its font size and slant. */
  placeOf(line: PrintedLine, start: number, end: number): Promise<TextPlace>;
  /** A rectangle in display space (as `boxOf` gives) in PDF user space: [x, y, width, height]. */
  toUserRect(box: Pick<DisplayBox, 'left' | 'right' | 'top' | 'bottom'>): [x: number, y: number, width: number, height: number];
  /** The printed runs of the stretch [start, end) of a line, as they sit on the page. */
  runsOf(line: PrintedLine, start: number, end: number): PrintedRun[];
  /**
   * With `widgetText`: the form fields that print more than a single line — a signature's caption
   * ("Ký bởi: …", "Thời gian ký: …") rather than a figure filled into a blank — each as its lines.
   */
  captions: { fieldName: string; lines: string[] }[];
}

export interface PrintedPageOptions {
  /**
   * Also the text form fields print (widgetText.ts): a field printing one line (a number, a day)
   * joins the page's line it sits on, as a reader sees it; one printing more is a caption apart.
   */
  widgetText?: boolean;
}

/**
 * Reads page `pageNumber`'s printed lines for `use`; `keep` picks the items that count (by their
 * place as the page is seen). The page's resources are released after.
 */
export async function withPrintedPage<T>(
  doc: { getPage(n: number): Promise<PDFPageProxy> },
  pageNumber: number,
  keep: (item: PlacedItem, page: { width: number; height: number }) => boolean,
  use: (page: PrintedPage) => Promise<T>,
  options: PrintedPageOptions = {},
): Promise<T> {
  const page = await doc.getPage(pageNumber);
  try {
    // The viewport carries /Rotate and the crop box offset: lines, "top of the page" and the
    // rectangle are worked out as the page is seen, then mapped back to unrotated user space.
    const viewport = page.getViewport({ scale: 1 });
    const toDisplay = viewport.transform as Matrix;
    const content = await page.getTextContent();
    const size = { width: viewport.width, height: viewport.height };
    const items = placeItems(content.items, content.styles, toDisplay);
    const captions: PrintedPage['captions'] = [];
    if (options.widgetText) {
      for (const widget of await readWidgetText(page, toDisplay)) {
        const lines = groupIntoLines(widget.runs);
        if (lines.length === 1) items.push(...widget.runs);
        else captions.push({ fieldName: widget.fieldName, lines: lines.map((line) => line.text.replace(new RegExp(COLUMN_BREAK, 'g'), ' ')) });
      }
    }
    const fontNames = new FontNames(page);
    const toUser = invert(toDisplay);
    const toUserRect = (box: Pick<DisplayBox, 'left' | 'right' | 'top' | 'bottom'>) => userRect(toUser, box.left, box.top, box.right, box.bottom);
    return await use({
      number: pageNumber,
      ...size,
      lines: groupIntoLines(items.filter((item) => keep(item, size))),
      captions,
      placeOf: (line, start, end) => describePlace(line, start, end, pageNumber, toUserRect, (id) => fontNames.nameOf(id)),
      toUserRect,
      runsOf: (line, start, end) => runsOf(line, start, end, toUser),
    });
  } finally {
    page.cleanup();
  }
}

function placeItems(rawItems: readonly unknown[], styles: Record<string, TextStyle>, toDisplay: Matrix): PlacedItem[] {
  const placed: PlacedItem[] = [];
  for (const raw of rawItems) {
    if (!raw || typeof raw !== 'object' || !('str' in raw)) continue; // marked-content markers
    const item = raw as TextItem;
    // Space items carry no ink; the gaps between inked items say where the spaces are. Items of
    // zero width stay: a combining accent drawn on its own has no advance.
    if (!item.str.trim()) continue;
    const [a, b, c, d, e, f] = multiply(toDisplay, item.transform);
    const advance = Math.hypot(a, b);
    const fontSize = Math.hypot(c, d);
    // Only text running left to right as the page is seen can hold the lines looked for; stamps
    // and vertical margin notes are skipped rather than guessed at.
    if (!(advance > 0) || !(fontSize > 0) || a <= 0 || Math.abs(b) > 0.05 * advance) continue;
    const style = styles[item.fontName];
    // Clamped because some fonts declare nonsense (zero, or the whole font bbox).
    const ascent = Math.min(Math.max(style?.ascent ?? 0.8, 0.7), 1.1);
    const descent = Math.min(Math.max(Math.abs(style?.descent ?? 0.2), 0.15), 0.4);
    // In display space the "up" vector of upright text is (0, -size); a sideways lean means a slant.
    const slanted = Math.abs(c) / fontSize > 0.1;
    placed.push({ str: item.str, fontName: item.fontName, x0: e, x1: e + item.width, baseline: f, fontSize, ascent, descent, slanted });
  }
  return placed;
}

function groupIntoLines(items: PlacedItem[]): PrintedLine[] {
  const sorted = [...items].sort((p, q) => p.baseline - q.baseline || p.x0 - q.x0);
  const groups: PlacedItem[][] = [];
  let current: PlacedItem[] = [];
  let reference: PlacedItem | undefined;
  for (const item of sorted) {
    // Compared with the line's first item, not the previous one, so that small baseline steps
    // (a 13 pt and a 14 pt cell in one row) join but a line never creeps into the next.
    if (reference && Math.abs(item.baseline - reference.baseline) <= SAME_LINE_TOLERANCE * Math.min(item.fontSize, reference.fontSize)) {
      current.push(item);
      continue;
    }
    if (current.length) groups.push(current);
    current = [item];
    reference = item;
  }
  if (current.length) groups.push(current);
  return groups.map(buildLine);
}

function buildLine(group: PlacedItem[]): PrintedLine {
  const inOrder = [...group].sort((p, q) => p.x0 - q.x0);
  // Raw text with one origin per UTF-16 unit, before composing and collapsing.
  let raw = '';
  const rawOrigins: (CharOrigin | null)[] = [];
  let previous: PlacedItem | undefined;
  let rightEdge = -Infinity;
  for (const item of inOrder) {
    // Some producers fake bold by printing the same text twice, a hair apart (far less than a
    // dot's width, so dotted blanks drawn dot by dot survive).
    if (previous && item.str === previous.str && Math.abs(item.x0 - previous.x0) < 0.1 * item.fontSize) continue;
    if (previous) {
      const gap = item.x0 - rightEdge;
      const size = Math.min(item.fontSize, previous.fontSize);
      if (gap > COLUMN_GAP * size) {
        raw += COLUMN_BREAK;
        rawOrigins.push(null);
      } else if (gap > WORD_GAP * size) {
        raw += ' ';
        rawOrigins.push(null);
      }
    }
    const shares = advanceShares(item.str);
    for (let i = 0; i < item.str.length; i++) rawOrigins.push({ item, from: shares[i] ?? 0, to: shares[i + 1] ?? 1 });
    raw += item.str;
    previous = item;
    rightEdge = Math.max(rightEdge, item.x1);
  }

  // Compose to NFC one cluster (base + combining marks) at a time: a mark drawn as its own item
  // joins the letter before it, and every composed character keeps the origin of its base letter.
  let text = '';
  const origins: (CharOrigin | null)[] = [];
  for (const cluster of raw.matchAll(/\P{M}\p{M}*|\p{M}+/gu)) {
    const start = cluster.index;
    const composed = cluster[0].normalize('NFC');
    const base = rawOrigins[start] ?? null;
    // The cluster spans the base letter's share of its item and any marks in the same item.
    let end = base;
    for (let k = start + 1; k < start + cluster[0].length; k++) {
      const origin = rawOrigins[k];
      if (origin && base && origin.item === base.item) end = origin;
    }
    const span = base && end ? { item: base.item, from: base.from, to: end.to } : null;
    for (const unit of composed) {
      text += unit;
      for (let u = 0; u < unit.length; u++) origins.push(span);
    }
  }

  // Collapse whitespace: a clerk's blank may be six spaces, a tab or a positioned gap.
  let collapsed = '';
  const collapsedOrigins: (CharOrigin | null)[] = [];
  for (const run of text.matchAll(/\s+|\S/gu)) {
    const isBlank = /^\s/u.test(run[0]);
    collapsed += isBlank ? (run[0].includes(COLUMN_BREAK) ? COLUMN_BREAK : ' ') : run[0];
    collapsedOrigins.push(origins[run.index] ?? null);
  }
  // Surrogate pairs stay two units in both strings, so offsets agree.
  let folded = '';
  for (let i = 0; i < collapsed.length; i++) folded += foldChar(collapsed[i] ?? '');
  return { text: collapsed, folded, origins: collapsedOrigins };
}

/** Accents off, đ → d, lower case; always exactly one UTF-16 unit for one. */
function foldChar(char: string): string {
  if (char === COLUMN_BREAK) return char;
  const bare = char.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/u, 'd').toLowerCase();
  return bare.length === 1 ? bare : char.length === 1 ? char : '?';
}

/**
 * For each UTF-16 unit of an item's text, the share of the item's advance before it. pdf.js gives
 * one width per item, so the advance is shared evenly between printed characters; combining marks
 * take none, as they print over the letter before them.
 */
function advanceShares(str: string): number[] {
  const weights: number[] = [];
  for (let i = 0; i < str.length; i++) {
    const code = str.charCodeAt(i);
    const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    weights.push(isLowSurrogate || /\p{M}/u.test(str[i] ?? '') ? 0 : 1);
  }
  const total = weights.reduce((sum, w) => sum + w, 0) || 1;
  const shares = [0];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    shares.push(sum / total);
  }
  return shares;
}

/** The stretch [start, end) of a line in display space; null when it holds no printed character. */
export function boxOf(line: PrintedLine, start: number, end: number): DisplayBox | null {
  let left = Infinity;
  let right = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  let fontSize = 0;
  for (let i = start; i < end; i++) {
    const origin = line.origins[i];
    if (!origin) continue;
    const { item } = origin;
    const width = item.x1 - item.x0;
    left = Math.min(left, item.x0 + width * origin.from);
    right = Math.max(right, item.x0 + width * origin.to);
    top = Math.min(top, item.baseline - item.ascent * item.fontSize);
    bottom = Math.max(bottom, item.baseline + item.descent * item.fontSize);
    fontSize = Math.max(fontSize, item.fontSize);
  }
  return fontSize > 0 ? { left, right, top, bottom, fontSize } : null;
}

/** A gap narrower than this (in font sizes) between two printed characters is a word space within a run; wider, a blank between runs. */
const RUN_GAP = 0.6;

function runsOf(line: PrintedLine, start: number, end: number, toUser: Matrix): PrintedRun[] {
  const runs: PrintedRun[] = [];
  const printed = (i: number) => line.origins[i] !== null && /\S/u.test(line.text[i] ?? ' ');
  let run: { from: number; to: number } | null = null;
  const close = () => {
    if (!run) return;
    const box = boxOf(line, run.from, run.to);
    const origin = line.origins[run.from]!;
    if (box) {
      const [x, baseline] = apply(toUser, box.left, origin.item.baseline);
      runs.push({ text: line.text.slice(run.from, run.to).replace(/\s+/gu, ' '), x: Math.round(x * 100) / 100, baseline: Math.round(baseline * 100) / 100 });
    }
    run = null;
  };
  for (let i = start; i < end; i++) {
    if (!printed(i)) continue;
    if (run) {
      const before = boxOf(line, run.to - 1, run.to);
      const here = boxOf(line, i, i + 1);
      // Within one item the characters share its advance evenly (advanceShares): one space there
      // is about one character's share, a blank several.
      const sameItem = line.origins[run.to - 1]?.item === line.origins[i]?.item;
      const limit = before && sameItem ? 1.5 * (before.right - before.left) : RUN_GAP * Math.max(before?.fontSize ?? 0, here?.fontSize ?? 0);
      if (!before || !here || here.left - before.right > limit) close();
    }
    if (run) run.to = i + 1;
    else run = { from: i, to: i + 1 };
  }
  close();
  return runs;
}

function userRect(toUser: Matrix, left: number, top: number, right: number, bottom: number): [number, number, number, number] {
  const corners = [apply(toUser, left, top), apply(toUser, right, top), apply(toUser, left, bottom), apply(toUser, right, bottom)];
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const round = (n: number) => Math.round(n * 100) / 100;
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return [round(x), round(y), round(Math.max(...xs) - x), round(Math.max(...ys) - y)];
}

async function describePlace(
  line: PrintedLine,
  start: number,
  end: number,
  pageNumber: number,
  toUserRect: PrintedPage['toUserRect'],
  fontNameOf: (id: string) => Promise<string>,
): Promise<TextPlace> {
  const box = boxOf(line, start, end) ?? { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
  // Font size and italics are those of most of the phrase's characters.
  const charsPerItem = new Map<PlacedItem, number>();
  for (let i = start; i < end; i++) {
    const origin = line.origins[i];
    if (origin && /\S/u.test(line.text[i] ?? '')) charsPerItem.set(origin.item, (charsPerItem.get(origin.item) ?? 0) + 1);
  }
  let fontSize = 0;
  let italicChars = 0;
  let allChars = 0;
  const sizeVotes = new Map<number, number>();
  for (const [item, count] of charsPerItem) {
    const size = Math.round(item.fontSize * 100) / 100;
    sizeVotes.set(size, (sizeVotes.get(size) ?? 0) + count);
    allChars += count;
    if (item.slanted || looksItalic(await fontNameOf(item.fontName))) italicChars += count;
  }
  let bestVotes = 0;
  for (const [size, votes] of sizeVotes) {
    if (votes > bestVotes) {
      bestVotes = votes;
      fontSize = size;
    }
  }
  const pad = PADDING * fontSize;
  return {
    page: pageNumber,
    rect: toUserRect({ left: box.left - pad, right: box.right + pad, top: box.top - pad, bottom: box.bottom + pad }),
    fontSize,
    italic: allChars > 0 && italicChars * 2 > allChars,
    text: line.text.slice(start, end).replace(/\s+/gu, ' ').trim(),
  };
}

/** "TimesNewRomanPS-ItalicMT", "Times-BoldItalic", "Arial,Italic", "MinionPro-It", "…-Oblique". */
function looksItalic(fontName: string): boolean {
  return /italic|oblique|[-,](?:bold|semibold)?it(?:$|[^a-z])/iu.test(fontName);
}

/**
 * The real font names ("ABCDEF+LiberationSerif-Italic") are only known to pdf.js once the page's
 * drawing operators have been read; the text content alone names fonts by internal ids. Read
 * only when a phrase was found, as it costs a parse of the page.
 */
class FontNames {
  private loaded: Promise<boolean> | null = null;

  constructor(private readonly page: PDFPageProxy) {}

  async nameOf(id: string): Promise<string> {
    this.loaded ??= this.page.getOperatorList().then(
      () => true,
      () => false, // italics then rest on the text matrix alone
    );
    if (!(await this.loaded)) return '';
    const fonts = this.page.commonObjs as unknown as { has(id: string): boolean; get(id: string): unknown };
    if (!fonts.has(id)) return '';
    const font = fonts.get(id) as { name?: unknown } | null;
    return font && typeof font.name === 'string' ? font.name : '';
  }
}
