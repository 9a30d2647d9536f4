// Taking a printed placeholder off a page — the draft's "Số:      /QĐ-UBND" and "…, ngày   tháng
// năm 2026" lines — so that the form field laid over it is the only text there. A field's white
// appearance hides the printed line from the eye but not from text extraction: copying, search and
// screen readers read both ("Số: Số: 01/QĐ-UBND /QĐ-UBND"). This runs on a draft before anyone
// signs it, in the same incremental update that adds the empty fields; the field then shows the
// placeholder as it was printed until the number and date are filled in.
//
// The page's content is read operator by operator with the text state tracked (matrices, font,
// spacing), each glyph placed from the font's widths, and the glyphs whose middle lies inside the
// place removed: a shown string becomes a TJ array in which a removed glyph is an equal move, so
// everything after it stays where it was printed. Anything not understood for certain — an inline
// image, a font without widths or with an encoding other than one byte or Identity-H, a filter
// other than Flate — leaves the page untouched (and the field opaque over the line, as before).
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFObject, type PDFPage } from 'pdf-lib';
import type { PdfRevision } from './revision.js';
import type { Rect } from './appearance.js';

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m1 then m2 (PDF's row-vector convention: a point is transformed by m1, then by m2). */
function multiply(m1: Matrix, m2: Matrix): Matrix {
  const [a1, b1, c1, d1, e1, f1] = m1;
  const [a2, b2, c2, d2, e2, f2] = m2;
  return [a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2, e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** A content stream's decoded data can be large; past this the page is left alone. */
const MAX_CONTENT_BYTES = 32 * 1024 * 1024;

class Unsupported extends Error {}

// ---------- Lexing ----------

type Operand =
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'string'; bytes: Uint8Array }
  | { kind: 'array'; items: Operand[] }
  | { kind: 'other' };

interface Operation {
  operator: string;
  operands: Operand[];
  /** Byte offsets in the content: from the first operand to the end of the operator. */
  start: number;
  end: number;
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const isRegular = (b: number | undefined) => b !== undefined && !WHITESPACE.has(b) && !DELIMITERS.has(b);

class Lexer {
  pos = 0;
  constructor(private readonly data: Uint8Array) {}

  private skipSpace(): void {
    const { data } = this;
    while (this.pos < data.length) {
      const b = data[this.pos]!;
      if (WHITESPACE.has(b)) this.pos++;
      else if (b === 0x25) {
        while (this.pos < data.length && data[this.pos] !== 0x0a && data[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** The next operation, or null at the end of the content. */
  nextOperation(): Operation | null {
    const operands: Operand[] = [];
    let start = -1;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.data.length) {
        if (operands.length) throw new Unsupported('operands without an operator at the end');
        return null;
      }
      if (start < 0) start = this.pos;
      const token = this.token();
      if (token.kind === 'operator') {
        if (token.value === 'BI') throw new Unsupported('inline image');
        return { operator: token.value, operands, start, end: this.pos };
      }
      operands.push(token.operand);
    }
  }

  private token(): { kind: 'operator'; value: string } | { kind: 'operand'; operand: Operand } {
    const { data } = this;
    const b = data[this.pos]!;
    if (b === 0x2f) return { kind: 'operand', operand: { kind: 'name', value: this.name() } };
    if (b === 0x28) return { kind: 'operand', operand: { kind: 'string', bytes: this.literalString() } };
    if (b === 0x3c && data[this.pos + 1] === 0x3c) {
      this.pos += 2;
      this.skipUntil('>>');
      return { kind: 'operand', operand: { kind: 'other' } };
    }
    if (b === 0x3c) return { kind: 'operand', operand: { kind: 'string', bytes: this.hexString() } };
    if (b === 0x5b) {
      this.pos++;
      const items: Operand[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= data.length) throw new Unsupported('unterminated array');
        if (data[this.pos] === 0x5d) {
          this.pos++;
          return { kind: 'operand', operand: { kind: 'array', items } };
        }
        const inner = this.token();
        if (inner.kind === 'operator') {
          // true, false and null are the only keywords an array holds.
          if (!['true', 'false', 'null'].includes(inner.value)) throw new Unsupported(`operator ${inner.value} inside an array`);
          items.push({ kind: 'other' });
        } else items.push(inner.operand);
      }
    }
    if (b === 0x29 || b === 0x5d || b === 0x3e || b === 0x7b || b === 0x7d) throw new Unsupported(`stray delimiter at ${this.pos}`);
    const begin = this.pos;
    while (isRegular(data[this.pos])) this.pos++;
    const word = new TextDecoder('latin1').decode(data.subarray(begin, this.pos));
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return { kind: 'operand', operand: { kind: 'number', value: Number(word) } };
    if (word === 'true' || word === 'false' || word === 'null') return { kind: 'operand', operand: { kind: 'other' } };
    return { kind: 'operator', value: word };
  }

  /** Past the matching `close` of a nested `<< … >>`, strings and all. */
  private skipUntil(close: '>>'): void {
    const { data } = this;
    let depth = 1;
    while (this.pos < data.length) {
      const b = data[this.pos]!;
      if (b === 0x28) this.literalString();
      else if (b === 0x3c && data[this.pos + 1] === 0x3c) {
        depth++;
        this.pos += 2;
      } else if (b === 0x3e && data[this.pos + 1] === 0x3e) {
        this.pos += 2;
        if (--depth === 0) return;
      } else if (b === 0x3c) this.hexString();
      else this.pos++;
    }
    throw new Unsupported(`unterminated ${close}`);
  }

  private name(): string {
    const { data } = this;
    this.pos++;
    const bytes: number[] = [];
    while (isRegular(data[this.pos])) {
      const b = data[this.pos]!;
      if (b === 0x23 && /^[0-9a-fA-F]{2}$/.test(String.fromCharCode(data[this.pos + 1] ?? 0, data[this.pos + 2] ?? 0))) {
        bytes.push(parseInt(String.fromCharCode(data[this.pos + 1]!, data[this.pos + 2]!), 16));
        this.pos += 3;
      } else {
        bytes.push(b);
        this.pos++;
      }
    }
    return new TextDecoder('latin1').decode(new Uint8Array(bytes));
  }

  private literalString(): Uint8Array {
    const { data } = this;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < data.length) {
      const b = data[this.pos++]!;
      if (b === 0x5c) {
        const next = data[this.pos++];
        if (next === undefined) break;
        const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (next in simple) out.push(simple[next]!);
        else if (next >= 0x30 && next <= 0x37) {
          let value = next - 0x30;
          for (let i = 0; i < 2 && data[this.pos]! >= 0x30 && data[this.pos]! <= 0x37; i++) value = value * 8 + (data[this.pos++]! - 0x30);
          out.push(value & 0xff);
        } else if (next === 0x0d) {
          if (data[this.pos] === 0x0a) this.pos++;
        } else if (next !== 0x0a) out.push(next);
        continue;
      }
      if (b === 0x28) depth++;
      if (b === 0x29 && --depth === 0) return new Uint8Array(out);
      // An end of line inside a string is a line feed, whichever the writer used.
      if (b === 0x0d) {
        if (data[this.pos] === 0x0a) this.pos++;
        out.push(0x0a);
        continue;
      }
      out.push(b);
    }
    throw new Unsupported('unterminated string');
  }

  private hexString(): Uint8Array {
    const { data } = this;
    this.pos++;
    let digits = '';
    while (this.pos < data.length && data[this.pos] !== 0x3e) {
      const c = String.fromCharCode(data[this.pos++]!);
      if (/[0-9a-fA-F]/.test(c)) digits += c;
      else if (!/\s/.test(c)) throw new Unsupported('bad hex string');
    }
    if (this.pos >= data.length) throw new Unsupported('unterminated hex string');
    this.pos++;
    if (digits.length % 2) digits += '0';
    const out = new Uint8Array(digits.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
}

// ---------- Fonts ----------

interface GlyphMetrics {
  /** Codes are two bytes (Identity-H), else one. */
  twoByte: boolean;
  /** The glyph's advance in thousandths of the font size. */
  width(code: number): number;
}

function numberOf(value: PDFObject | undefined): number | null {
  return value instanceof PDFNumber ? value.asNumber() : null;
}

function fontMetrics(revision: PdfRevision, font: PDFDict): GlyphMetrics {
  const get = (dict: PDFDict, key: string) => revision.resolve(dict.get(PDFName.of(key)));
  const subtype = get(font, 'Subtype');
  if (subtype === PDFName.of('Type0')) {
    const encoding = get(font, 'Encoding');
    if (encoding !== PDFName.of('Identity-H')) throw new Unsupported('a composite font with an encoding other than Identity-H');
    const descendants = get(font, 'DescendantFonts');
    const cidFont = descendants instanceof PDFArray ? revision.resolve(descendants.get(0)) : undefined;
    if (!(cidFont instanceof PDFDict)) throw new Unsupported('a composite font without its CID font');
    const defaultWidth = numberOf(get(cidFont, 'DW')) ?? 1000;
    const widths = new Map<number, number>();
    const w = get(cidFont, 'W');
    if (w instanceof PDFArray) {
      const items = w.asArray().map((item) => revision.resolve(item));
      for (let i = 0; i < items.length; ) {
        const first = numberOf(items[i]);
        const next = items[i + 1];
        if (first === null) throw new Unsupported('a bad /W array');
        if (next instanceof PDFArray) {
          next.asArray().forEach((value, k) => widths.set(first + k, numberOf(revision.resolve(value)) ?? defaultWidth));
          i += 2;
        } else {
          const last = numberOf(next);
          const width = numberOf(items[i + 2]);
          if (last === null || width === null || last - first > 65535) throw new Unsupported('a bad /W array');
          for (let c = first; c <= last; c++) widths.set(c, width);
          i += 3;
        }
      }
    }
    return { twoByte: true, width: (code) => widths.get(code) ?? defaultWidth };
  }
  if (subtype !== PDFName.of('TrueType') && subtype !== PDFName.of('Type1') && subtype !== PDFName.of('MMType1')) throw new Unsupported(`a ${String(subtype)} font`);
  const firstChar = numberOf(get(font, 'FirstChar'));
  const widthArray = get(font, 'Widths');
  // The standard fonts may come without widths; their metrics are not at hand here.
  if (firstChar === null || !(widthArray instanceof PDFArray)) throw new Unsupported('a simple font without /Widths');
  const widths = widthArray.asArray().map((value) => numberOf(revision.resolve(value)) ?? 0);
  const descriptor = get(font, 'FontDescriptor');
  const missing = descriptor instanceof PDFDict ? (numberOf(get(descriptor, 'MissingWidth')) ?? 0) : 0;
  return { twoByte: false, width: (code) => widths[code - firstChar] ?? missing };
}

// ---------- The page ----------

/** The page's resources, inherited from the page tree when the page has none of its own. */
function pageResources(revision: PdfRevision, page: PDFPage): PDFDict | undefined {
  for (let node: PDFDict | undefined = page.node; node; ) {
    const resources = revision.resolve(node.get(PDFName.of('Resources')));
    if (resources instanceof PDFDict) return resources;
    const parent = revision.resolve(node.get(PDFName.of('Parent')));
    node = parent instanceof PDFDict ? parent : undefined;
  }
  return undefined;
}

function streamBytes(stream: PDFObject | undefined): Uint8Array {
  if (!(stream instanceof PDFRawStream)) throw new Unsupported('contents that are not a stream');
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter === undefined ? [] : [filter];
  if (filters.length === 0) return stream.contents;
  if (filters.length > 1 || filters[0] !== PDFName.of('FlateDecode') || stream.dict.get(PDFName.of('DecodeParms'))) throw new Unsupported('a content filter other than Flate');
  try {
    return inflateSync(stream.contents, { maxOutputLength: MAX_CONTENT_BYTES });
  } catch {
    throw new Unsupported('contents that do not inflate');
  }
}

/** The page's content streams, read as the one stream they are (ISO 32000-1 §7.8.2). */
function pageContent(revision: PdfRevision, page: PDFPage): Uint8Array {
  // As this revision has it: a second place on the page reads the content the first one rewrote.
  const contents = revision.resolve(revision.pageDict(page).get(PDFName.of('Contents')));
  const streams = contents instanceof PDFArray ? contents.asArray().map((s) => revision.resolve(s)) : [contents];
  const parts = streams.map(streamBytes);
  const total = parts.reduce((n, p) => n + p.length + 1, 0);
  if (total > MAX_CONTENT_BYTES) throw new Unsupported('contents too large');
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
    out[at++] = 0x0a;
  }
  return out;
}

interface TextState {
  font: string | null;
  size: number;
  charSpacing: number;
  wordSpacing: number;
  scale: number;
  leading: number;
  rise: number;
}

interface GraphicsState {
  ctm: Matrix;
  text: TextState;
}

const hex = (bytes: Uint8Array) => `<${Buffer.from(bytes).toString('hex')}>`;
const ascii = new TextEncoder();

/**
 * Removes from `pageNumber`'s content every glyph whose middle lies inside `rect` (PDF user space
 * of the unrotated page). True when the page was rewritten; false, with the page untouched, when
 * there was nothing there or the content holds something this does not read for certain.
 */
export function removePrintedText(revision: PdfRevision, pageNumber: number, rect: Rect): boolean {
  const page = revision.page(pageNumber);
  try {
    const content = pageContent(revision, page);
    const fontsDict = (() => {
      const resources = pageResources(revision, page);
      const fonts = resources ? revision.resolve(resources.get(PDFName.of('Font'))) : undefined;
      return fonts instanceof PDFDict ? fonts : undefined;
    })();
    const metrics = new Map<string, GlyphMetrics>();
    const metricsOf = (name: string | null): GlyphMetrics => {
      if (name === null) throw new Unsupported('text shown before a font is set');
      let found = metrics.get(name);
      if (!found) {
        const font = fontsDict ? revision.resolve(fontsDict.get(PDFName.of(name))) : undefined;
        if (!(font instanceof PDFDict)) throw new Unsupported(`no font /${name}`);
        found = fontMetrics(revision, font);
        metrics.set(name, found);
      }
      return found;
    };

    const [rx, ry, rw, rh] = rect;
    const inside = (x: number, y: number) => x >= rx && x <= rx + rw && y >= ry && y <= ry + rh;
    const edits: { start: number; end: number; replacement: string }[] = [];
    let state: GraphicsState = { ctm: IDENTITY, text: { font: null, size: 0, charSpacing: 0, wordSpacing: 0, scale: 1, leading: 0, rise: 0 } };
    const saved: GraphicsState[] = [];
    let tm: Matrix = IDENTITY;
    let tlm: Matrix = IDENTITY;
    const nums = (operands: Operand[], count: number): number[] => {
      const values = operands.slice(-count).map((o) => (o.kind === 'number' ? o.value : NaN));
      if (values.length !== count || values.some((v) => Number.isNaN(v))) throw new Unsupported('an operator with bad operands');
      return values;
    };
    const moveLine = (tx: number, ty: number) => {
      tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
      tm = tlm;
    };

    /** Shows `items` (strings and TJ moves); returns the TJ array to write when a glyph was removed, else null. */
    const show = (items: Operand[]): string | null => {
      const { text } = state;
      const font = metricsOf(text.font);
      if (text.size === 0) throw new Unsupported('a zero font size');
      const out: string[] = [];
      let removedAny = false;
      for (const item of items) {
        if (item.kind === 'number') {
          tm = multiply([1, 0, 0, 1, (-item.value / 1000) * text.size * text.scale, 0], tm);
          out.push(String(item.value));
          continue;
        }
        if (item.kind !== 'string') throw new Unsupported('a TJ item that is neither a string nor a number');
        const { bytes } = item;
        const step = font.twoByte ? 2 : 1;
        let kept: number[] = [];
        const flush = () => {
          if (kept.length) out.push(hex(new Uint8Array(kept)));
          kept = [];
        };
        for (let i = 0; i + step <= bytes.length; i += step) {
          const code = step === 2 ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]!;
          const width = font.width(code);
          // Word spacing applies to the single-byte code 32 only (ISO 32000-1 §9.3.3).
          const spacing = text.charSpacing + (step === 1 && code === 32 ? text.wordSpacing : 0);
          const advance = ((width / 1000) * text.size + spacing) * text.scale;
          const toUser = multiply(tm, state.ctm);
          const [mx, my] = apply(toUser, ((width / 1000) * text.size * text.scale) / 2, text.rise + 0.35 * text.size);
          if (inside(mx, my)) {
            flush();
            // The same move the glyph made, so that what follows stays where it was printed.
            out.push(String(Math.round(-(width + (spacing * 1000) / text.size) * 1000) / 1000));
            removedAny = true;
          } else {
            for (let k = 0; k < step; k++) kept.push(bytes[i + k]!);
          }
          tm = multiply([1, 0, 0, 1, advance, 0], tm);
        }
        flush();
      }
      return removedAny ? `[${out.join(' ')}] TJ` : null;
    };

    const lexer = new Lexer(content);
    for (let op = lexer.nextOperation(); op; op = lexer.nextOperation()) {
      const { operator, operands } = op;
      switch (operator) {
        case 'q':
          saved.push({ ctm: state.ctm, text: { ...state.text } });
          break;
        case 'Q':
          state = saved.pop() ?? state;
          break;
        case 'cm':
          state = { ...state, ctm: multiply(nums(operands, 6) as Matrix, state.ctm) };
          break;
        case 'BT':
          tm = IDENTITY;
          tlm = IDENTITY;
          break;
        case 'Tf': {
          const [name, size] = operands.slice(-2);
          if (name?.kind !== 'name' || size?.kind !== 'number') throw new Unsupported('a bad Tf');
          state.text = { ...state.text, font: name.value, size: size.value };
          break;
        }
        case 'Tc':
          state.text = { ...state.text, charSpacing: nums(operands, 1)[0]! };
          break;
        case 'Tw':
          state.text = { ...state.text, wordSpacing: nums(operands, 1)[0]! };
          break;
        case 'Tz':
          state.text = { ...state.text, scale: nums(operands, 1)[0]! / 100 };
          break;
        case 'TL':
          state.text = { ...state.text, leading: nums(operands, 1)[0]! };
          break;
        case 'Ts':
          state.text = { ...state.text, rise: nums(operands, 1)[0]! };
          break;
        case 'Td': {
          const [tx, ty] = nums(operands, 2) as [number, number];
          moveLine(tx, ty);
          break;
        }
        case 'TD': {
          const [tx, ty] = nums(operands, 2) as [number, number];
          state.text = { ...state.text, leading: -ty };
          moveLine(tx, ty);
          break;
        }
        case 'Tm':
          tlm = nums(operands, 6) as Matrix;
          tm = tlm;
          break;
        case 'T*':
          moveLine(0, -state.text.leading);
          break;
        case 'Tj':
        case 'TJ':
        case "'":
        case '"': {
          let prefix = '';
          if (operator === '"') {
            const [aw, ac] = nums(operands.slice(0, 2), 2) as [number, number];
            state.text = { ...state.text, wordSpacing: aw, charSpacing: ac };
            prefix = `${aw} Tw ${ac} Tc T* `;
          } else if (operator === "'") prefix = 'T* ';
          if (operator === "'" || operator === '"') moveLine(0, -state.text.leading);
          const last = operands.at(-1);
          const items = operator === 'TJ' ? (last?.kind === 'array' ? last.items : null) : last?.kind === 'string' ? [last] : null;
          if (!items) throw new Unsupported(`a bad ${operator}`);
          const rewritten = show(items);
          if (rewritten) edits.push({ start: op.start, end: op.end, replacement: prefix + rewritten });
          break;
        }
        default:
          // Everything else leaves the text state alone. Text inside a form XObject (Do) is not
          // reached: a placeholder drawn there stays, and the filled field covers it as before.
          break;
      }
    }
    if (edits.length === 0) return false;

    const pieces: Uint8Array[] = [];
    let at = 0;
    for (const edit of edits) {
      pieces.push(content.subarray(at, edit.start), ascii.encode(edit.replacement));
      at = edit.end;
    }
    pieces.push(content.subarray(at));
    const rewritten = Buffer.concat(pieces);
    const stream = revision.doc.context.flateStream(rewritten);
    const ref: PDFRef = revision.doc.context.register(stream);
    revision.editPage(page).set(PDFName.of('Contents'), ref);
    return true;
  } catch (error) {
    if (error instanceof Unsupported) return false;
    throw error;
  }
}
