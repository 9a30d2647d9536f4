// Reads only the parts of a PDF that signing needs — the cross-reference sections, the catalog,
// the page tree, the form fields — instead of the whole file. A 100 MB scan is then signed by
// reading a few kilobytes of structure plus one streaming pass for the hash, with memory that
// does not grow with the file. The objects are parsed by pdf-lib's own object parser into a
// pdf-lib context, so the rest of the signer works with ordinary pdf-lib objects.
//
// The file is untrusted: every number it gives that sizes work — a field's width, a section's
// /Size and /Index, what a stream inflates to, how many sections the /Prev chain has — is
// checked against the bytes actually there and against STRUCTURE_LIMITS before any work is done,
// so that a file of a few hundred bytes cannot make the reader loop for hours or fill memory.
// The readers of the revisions (verifyChanges.ts) read their sections here too.
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  type PDFObject,
} from 'pdf-lib';
import { constants, inflateSync } from 'node:zlib';
import { AppError } from '../../common/errors.js';
import type { PdfSource } from '../pdf/source.js';

const latin1 = new TextDecoder('latin1');

// pdf-lib does not export its ByteStream: the class is taken from a parser it makes.
type ByteStream = ConstructorParameters<typeof PDFObjectParser>[0];
const ByteStreamClass = (PDFObjectParser.forBytes(new Uint8Array(0), PDFContext.create()) as unknown as { bytes: ByteStream }).bytes.constructor as new (bytes: Uint8Array) => ByteStream;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;

/**
 * pdf-lib's object parser, reading a hexadecimal string in one step. pdf-lib adds it up a
 * character at a time, and a signature's /Contents (16,000 to 64,000 hex digits) then cost more
 * than the rest of the structure together: a tenth of verifying a signature before numbering.
 */
class ObjectParser extends PDFObjectParser {
  static of(bytes: Uint8Array, context: PDFContext): ObjectParser {
    return new ObjectParser(new ByteStreamClass(bytes), context);
  }

  protected override parseHexString(): PDFHexString {
    const stream = this.bytes as unknown as { bytes: Uint8Array; offset(): number; moveTo(offset: number): void; assertNext(byte: number): void };
    stream.assertNext(LESS_THAN);
    const start = stream.offset();
    const end = stream.bytes.indexOf(GREATER_THAN, start);
    // Unterminated: pdf-lib's own error at the end of the bytes (a larger window may still hold the end).
    stream.moveTo(end < 0 ? stream.bytes.length : end);
    stream.assertNext(GREATER_THAN);
    return PDFHexString.of(latin1.decode(stream.bytes.subarray(start, end)));
  }
}

/**
 * What a PDF's structure may ask of its reader. No real document comes near them: a document
 * signed fifty times has about a hundred cross-reference sections, and a thousand-page scan a few
 * thousand objects. Beyond them the file is refused as too complex (PDF_TOO_COMPLEX).
 */
export const STRUCTURE_LIMITS = {
  /** Cross-reference sections in one /Prev chain, hybrid and linearized ones included. */
  sections: 1000,
  /** Cross-reference entries read over one chain, all its sections together (some 130 MB to hold). */
  entries: 500_000,
  /** Bytes in one field of a cross-reference stream's row: eight hold any offset a file can have. */
  fieldBytes: 8,
  /** Bytes a document's object streams may inflate to, all together: they hold dictionaries and arrays, never page content. */
  objectStreamBytes: 64 << 20,
} as const;

/** Bytes a cross-reference table takes per entry ("0000000000 00000 n\r\n"). */
const TABLE_ENTRY_BYTES = 20;

export const damaged = (why: string) => new AppError('DAMAGED_PDF', `The PDF structure cannot be read: ${why}.`);
const tooComplex = (why: string) => new AppError('PDF_TOO_COMPLEX', `The PDF structure is beyond what eOffice reads: ${why}.`);

/** The offset in the last startxref line: where the newest cross-reference section starts. */
export function findStartxref(source: PdfSource): number {
  const tailLength = Math.min(source.size, 2048);
  const tail = latin1.decode(source.read(source.size - tailLength, tailLength));
  const at = tail.lastIndexOf('startxref');
  const m = at < 0 ? null : /^startxref\s+(\d+)/.exec(tail.slice(at));
  if (!m) throw new AppError('DAMAGED_PDF', 'The PDF has no startxref: it is truncated or damaged.');
  const offset = Number(m[1]);
  if (offset >= source.size) throw new AppError('DAMAGED_PDF', 'The PDF startxref points past the end of the file.');
  return offset;
}

/** One entry of a cross-reference section (ISO 32000-1 §7.5.4, §7.5.8.3). */
export type XrefEntry = { kind: 'offset'; offset: number; gen: number } | { kind: 'compressed'; stream: number; index: number } | { kind: 'free'; gen: number };

/** What one walk of a cross-reference chain has read so far, against STRUCTURE_LIMITS. */
export class XrefBudget {
  private sections = 0;
  entriesLeft: number = STRUCTURE_LIMITS.entries;

  section(): void {
    if (++this.sections > STRUCTURE_LIMITS.sections) throw tooComplex(`its cross-reference chain has more than ${STRUCTURE_LIMITS.sections} sections`);
  }

  entry(): void {
    if (--this.entriesLeft < 0) throw tooComplex(`its cross-reference sections list more than ${STRUCTURE_LIMITS.entries} objects`);
  }
}

export interface XrefSection {
  /** The trailer, or the cross-reference stream's dictionary (which serves as one). */
  trailer: PDFDict;
  /** A cross-reference stream is an object itself: its number; null for a table. */
  streamObject: number | null;
}

/**
 * Reads the cross-reference section at `offset`, a table or a stream, handing each of its
 * entries to `visit` in the order the section lists them.
 */
export function readXrefSection(source: PdfSource, offset: number, context: PDFContext, budget: XrefBudget, visit: (num: number, entry: XrefEntry) => void): XrefSection {
  const head = latin1.decode(source.read(offset, 64));
  // Some writers' offsets point at the end-of-line before the keyword.
  const leading = head.length - head.trimStart().length;
  if (head.trimStart().startsWith('xref')) return readXrefTable(source, offset + leading, context, budget, visit);
  return readXrefStream(source, offset, context, budget, visit);
}

function readXrefTable(source: PdfSource, tableStart: number, context: PDFContext, budget: XrefBudget, visit: (num: number, entry: XrefEntry) => void): XrefSection {
  // Read in growing windows until the trailer dictionary is complete (most tables fit the first);
  // a table longer than the entries the budget has left is refused before its text is read.
  const longest = (budget.entriesLeft + 1) * TABLE_ENTRY_BYTES + 64 * 1024;
  for (let window = 4096; ; window *= 4) {
    const text = latin1.decode(source.read(tableStart, Math.min(window, longest)));
    const trailerAt = text.indexOf('trailer');
    if (trailerAt < 0 || text.indexOf('>>', trailerAt) < 0) {
      if (tableStart + window >= source.size) throw damaged(`the cross-reference table at ${tableStart} has no trailer`);
      if (window >= longest) throw tooComplex(`its cross-reference table at ${tableStart} lists more than ${STRUCTURE_LIMITS.entries} objects`);
      continue;
    }
    let trailer: PDFObject;
    try {
      trailer = ObjectParser.of(source.read(tableStart + trailerAt + 'trailer'.length, window), context).parseObject();
    } catch (error) {
      // A trailer longer than the window is read again in a larger one.
      if (!(error instanceof RangeError) && tableStart + window < source.size && window < longest) continue;
      throw damaged(`the trailer at ${tableStart} cannot be read (${(error as Error).message})`);
    }
    if (!(trailer instanceof PDFDict)) throw damaged(`the trailer at ${tableStart} is not a dictionary`);
    let num = 0;
    for (const line of text.slice(4, trailerAt).split(/\r\n|\r|\n/)) {
      const parts = line.trim().split(/\s+/);
      if (parts.length === 2) num = Number(parts[0]);
      else if (parts.length === 3) {
        budget.entry();
        const gen = Number(parts[1]);
        visit(num, parts[2] === 'n' ? { kind: 'offset', offset: Number(parts[0]), gen } : { kind: 'free', gen });
        num++;
      }
    }
    return { trailer, streamObject: null };
  }
}

/** Non-negative integers, or null when the value is not an array of them. */
function integers(value: PDFObject | undefined): number[] | null {
  if (!(value instanceof PDFArray)) return null;
  const numbers = value.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : -1));
  return numbers.every((n) => Number.isSafeInteger(n) && n >= 0) ? numbers : null;
}

function integerIn(dict: PDFDict, key: string): number | null {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFNumber && Number.isSafeInteger(value.asNumber()) && value.asNumber() >= 0 ? value.asNumber() : null;
}

function readXrefStream(source: PdfSource, offset: number, context: PDFContext, budget: XrefBudget, visit: (num: number, entry: XrefEntry) => void): XrefSection {
  const { object: stream, num: streamObject } = parseObjectAt(source, offset, context);
  if (!(stream instanceof PDFRawStream)) throw damaged(`the cross-reference section at ${offset} is neither a table nor a stream`);
  const dict = stream.dict;
  const widths = integers(dict.get(PDFName.of('W')));
  const size = integerIn(dict, 'Size');
  if (!widths || widths.length !== 3 || size === null) throw damaged(`the cross-reference stream at ${offset} lacks a valid /W or /Size`);
  if (widths.some((w) => w > STRUCTURE_LIMITS.fieldBytes)) throw damaged(`the cross-reference stream at ${offset} has a field wider than ${STRUCTURE_LIMITS.fieldBytes} bytes (/W [${widths.join(' ')}])`);
  const ranges = dict.has(PDFName.of('Index')) ? integers(dict.get(PDFName.of('Index'))) : [0, size];
  if (!ranges || ranges.length % 2 !== 0) throw damaged(`the cross-reference stream at ${offset} has an invalid /Index`);
  const rowLength = widths[0]! + widths[1]! + widths[2]!;
  if (rowLength === 0) throw damaged(`the cross-reference stream at ${offset} has rows of no bytes`);

  // The rows are read as far as both the section's own counts and the budget allow, and only
  // as far as the data goes: /Size and /Index are claims, the bytes are what is there.
  let declared = 0;
  for (let r = 1; r < ranges.length; r += 2) declared += ranges[r]!;
  const rows = xrefStreamRows(stream, rowLength, offset, declared <= budget.entriesLeft ? { rows: declared, past: damaged } : { rows: budget.entriesLeft + 1, past: tooComplex });
  const present = Math.floor(rows.length / rowLength);
  const starts = [0, widths[0]!, widths[0]! + widths[1]!];
  const field = (row: number, column: number, fallback: number) => {
    if (widths[column] === 0) return fallback;
    let at = row * rowLength + starts[column]!;
    let value = 0;
    for (let i = 0; i < widths[column]!; i++) value = value * 256 + rows[at++]!;
    return value;
  };
  let row = 0;
  for (let r = 0; r < ranges.length && row < present; r += 2) {
    for (let i = 0; i < ranges[r + 1]! && row < present; i++, row++) {
      budget.entry();
      const num = ranges[r]! + i;
      const type = field(row, 0, 1);
      if (type === 1) visit(num, { kind: 'offset', offset: field(row, 1, 0), gen: field(row, 2, 0) });
      else if (type === 2) visit(num, { kind: 'compressed', stream: field(row, 1, 0), index: field(row, 2, 0) });
      // Type 0 is a free entry; any other type is, by the standard, a reference to the null object.
      else visit(num, { kind: 'free', gen: type === 0 ? field(row, 2, 0) : 0 });
    }
  }
  return { trailer: dict, streamObject };
}

/** Parses "N G obj <object>" at a file offset, reading more when the object runs past the window. */
export function parseObjectAt(source: PdfSource, offset: number, context: PDFContext): { object: PDFObject; num: number } {
  for (let window = 16 * 1024; ; window *= 8) {
    const bytes = source.read(offset, window);
    const header = /^\s*(\d+)\s+\d+\s+obj/.exec(latin1.decode(bytes.subarray(0, 64)));
    if (!header) throw damaged(`no object at offset ${offset}`);
    try {
      return { object: ObjectParser.of(bytes.subarray(header[0].length), context).parseObject(), num: Number(header[1]) };
    } catch (error) {
      // Nesting deeper than the parser's stack is not cured by reading more.
      if (error instanceof RangeError) throw damaged(`the object at offset ${offset} cannot be read (${error.message})`);
      if (offset + window >= source.size) throw damaged(`the object at offset ${offset} is incomplete (${(error as Error).message})`);
    }
  }
}

/** The PDF's structure as pdf-lib objects, loaded on demand from the source. */
export class PdfStructure {
  readonly context = PDFContext.create();
  private readonly xref = new Map<number, XrefEntry>();
  private readonly objectStreams = new Map<number, { bytes: Uint8Array; offsets: Map<number, number> }>();
  /** The revision before, when this structure's chain reaches it: its sections are not read again. */
  private readonly earlier: PdfStructure | undefined;
  /** What the object streams of the document (this structure and the earlier ones) may still inflate to. */
  private readonly inflateLeft: { bytes: number };
  trailer!: PDFDict;

  /**
   * `earlier` is the structure of the revision before this one (its source a prefix of this
   * source): the chain is read down to where the earlier one's starts, and the entries of older
   * sections are looked up there. A document's revisions are then read in one pass over the
   * sections, not one pass per revision (hundreds of revisions would otherwise cost their square),
   * and each object is parsed once, by the structure of the revision that wrote it.
   */
  constructor(
    private readonly source: PdfSource,
    readonly startxref: number,
    earlier?: PdfStructure,
  ) {
    this.earlier = this.readXrefChain(startxref, earlier) ? earlier : undefined;
    this.inflateLeft = this.earlier?.inflateLeft ?? { bytes: STRUCTURE_LIMITS.objectStreamBytes };
  }

  /**
   * Walks the cross-reference sections from the newest; an older entry never replaces a newer
   * one. True when the walk stopped at `earlier`'s first section.
   */
  private readXrefChain(start: number, earlier: PdfStructure | undefined): boolean {
    const budget = new XrefBudget();
    const record = (num: number, entry: XrefEntry) => {
      if (!this.xref.has(num)) this.xref.set(num, entry);
    };
    const seen = new Set<number>();
    let next: number | null = start;
    while (next !== null) {
      if (earlier && next === earlier.startxref && this.trailer) return true;
      if (seen.has(next) || next < 0 || next >= this.source.size) throw damaged('the cross-reference chain loops or points outside the file');
      seen.add(next);
      budget.section();
      const { trailer } = readXrefSection(this.source, next, this.context, budget, record);
      this.trailer ??= trailer;
      // A hybrid file's table names an xref stream for objects the table leaves out.
      const hybrid = trailer.get(PDFName.of('XRefStm'));
      if (hybrid instanceof PDFNumber) {
        budget.section();
        readXrefSection(this.source, hybrid.asNumber(), this.context, budget, record);
      }
      const prev = trailer.get(PDFName.of('Prev'));
      next = prev instanceof PDFNumber ? prev.asNumber() : null;
    }
    return false;
  }

  /** The newest entry for an object number, and the structure whose own sections give it. */
  private owner(num: number): { structure: PdfStructure; entry: XrefEntry } | undefined {
    for (let structure: PdfStructure | undefined = this; structure; structure = structure.earlier) {
      const entry = structure.xref.get(num);
      if (entry) return { structure, entry };
    }
    return undefined;
  }

  /** The object, loaded (and kept) on first use by the structure whose sections list it. */
  load(ref: PDFRef): PDFObject | undefined {
    const cached = this.context.lookup(ref);
    if (cached !== undefined) return cached;
    const found = this.owner(ref.objectNumber);
    if (!found || found.entry.kind === 'free') return undefined;
    if (found.structure !== this) return found.structure.load(ref);
    const { entry } = found;
    const object = entry.kind === 'offset' ? parseObjectAt(this.source, entry.offset, this.context).object : this.parseCompressed(ref.objectNumber, entry.stream);
    this.context.assign(ref, object);
    return object;
  }

  private parseCompressed(num: number, streamNum: number): PDFObject {
    const objectStream = this.objectStream(streamNum);
    const at = objectStream.offsets.get(num);
    if (at === undefined) throw damaged(`object ${num} is not in object stream ${streamNum}`);
    try {
      return ObjectParser.of(objectStream.bytes.subarray(at), this.context).parseObject();
    } catch (error) {
      throw damaged(`object ${num} in object stream ${streamNum} cannot be read (${(error as Error).message})`);
    }
  }

  /** An object stream's data and where its objects start, decoded once by the structure that lists it. */
  private objectStream(streamNum: number): { bytes: Uint8Array; offsets: Map<number, number> } {
    const found = this.owner(streamNum);
    // An object stream is never inside another one (ISO 32000-1 §7.5.7).
    if (!found || found.entry.kind !== 'offset') throw damaged(`object stream ${streamNum} is missing`);
    if (found.structure !== this) return found.structure.objectStream(streamNum);
    let objectStream = this.objectStreams.get(streamNum);
    if (!objectStream) {
      const raw = this.load(PDFRef.of(streamNum));
      if (!(raw instanceof PDFRawStream)) throw damaged(`object stream ${streamNum} is missing`);
      const bytes = streamData(raw, this.inflateLeft.bytes, `object stream ${streamNum} (with the others before it)`, tooComplex);
      this.inflateLeft.bytes -= bytes.length;
      const n = integerIn(raw.dict, 'N');
      const first = integerIn(raw.dict, 'First');
      if (n === null || first === null || first > bytes.length) throw damaged(`object stream ${streamNum} has no valid /N or /First`);
      // N pairs of numbers head the stream; no more are read than the head holds.
      const header = latin1.decode(bytes.subarray(0, first)).trim().split(/\s+/).map(Number);
      const offsets = new Map<number, number>();
      for (let i = 0; i < n && i * 2 + 1 < header.length; i++) offsets.set(header[i * 2]!, first + header[i * 2 + 1]!);
      objectStream = { bytes, offsets };
      this.objectStreams.set(streamNum, objectStream);
    }
    return objectStream;
  }

  /** Loads an object and, recursively, the objects it refers to through the given keys. */
  private loadTree(value: PDFObject | undefined, follow: (key: string) => boolean, seen = new Set<PDFObject>()): void {
    const object = value instanceof PDFRef ? this.load(value) : value;
    if (!object || seen.has(object)) return;
    seen.add(object);
    if (object instanceof PDFDict) {
      for (const [key, child] of object.entries()) if (follow(key.asString())) this.loadTree(child, follow, seen);
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) this.loadTree(object.get(i), follow, seen);
    }
  }

  /**
   * A pdf-lib document over the loaded structure: the catalog, the page tree with each page's
   * inherited size, and the form fields. Content streams, images and fonts are never read.
   */
  document(): PDFDocument {
    const root = this.trailer.get(PDFName.of('Root'));
    if (!(root instanceof PDFRef)) throw damaged('the trailer has no /Root');
    this.context.trailerInfo = { Root: root, Encrypt: this.trailer.get(PDFName.of('Encrypt')), Info: this.trailer.get(PDFName.of('Info')), ID: this.trailer.get(PDFName.of('ID')) };
    const catalog = this.load(root);
    if (!(catalog instanceof PDFDict)) throw damaged('the catalog is missing');
    const pageKeys = new Set(['/Pages', '/Kids', '/MediaBox', '/CropBox', '/Rotate', '/Annots', '/Parent']);
    this.loadTree(catalog.get(PDFName.of('Pages')), (key) => pageKeys.has(key));
    const formKeys = new Set(['/Fields', '/Kids', '/T']);
    this.loadTree(catalog.get(PDFName.of('AcroForm')), (key) => formKeys.has(key));
    // PDFDocument's constructor is not part of pdf-lib's typed API; it is what load() calls.
    const Document = PDFDocument as unknown as new (context: PDFContext, ignoreEncryption: boolean, updateMetadata: boolean) => PDFDocument;
    return new Document(this.context, true, false);
  }

  /** The largest object number any cross-reference section mentions. */
  get largestObjectNumber(): number {
    let largest = 0;
    for (let structure: PdfStructure | undefined = this; structure; structure = structure.earlier) {
      for (const num of structure.xref.keys()) largest = Math.max(largest, num);
    }
    return largest;
  }
}

/**
 * A structure stream's data: as it is, or inflated (/FlateDecode, the one filter writers use for
 * cross-reference and object streams), never to more than `maxBytes`. zlib's buffers live outside
 * the JavaScript heap, so this bound, not the heap's, is what stops an inflate bomb.
 */
function streamData(stream: PDFRawStream, maxBytes: number, what: string, past: (why: string) => AppError = damaged): Uint8Array {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter === undefined ? [] : [filter];
  if (filters.length === 0) return stream.contents;
  const name = filters[0] instanceof PDFName ? filters[0].asString() : String(filters[0]);
  if (filters.length > 1 || name !== '/FlateDecode') throw damaged(`${what} uses ${filters.map(String).join(' ')}, which is not supported`);
  try {
    // A stream cut short still gives the rows it has, as other readers allow.
    return inflateSync(stream.contents, { maxOutputLength: Math.max(1, maxBytes), finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw past(`${what} inflates to more than ${maxBytes} bytes`);
    throw damaged(`${what} cannot be inflated (${(error as Error).message})`);
  }
}

/** Room past the declared rows, for writers that pad a cross-reference stream. */
const XREF_STREAM_SLACK = 64 * 1024;

/**
 * The rows of a cross-reference stream: inflated, then un-predicted. Writers such as qpdf and
 * Acrobat use the PNG predictors here (each row starts with a filter byte), which pdf-lib's
 * stream decoder does not undo. Data inflating past `limit.rows` is refused with `limit.past`:
 * the stream's own counts (damaged), or what the budget has left (too complex).
 */
function xrefStreamRows(stream: PDFRawStream, rowLength: number, offset: number, limit: { rows: number; past: (why: string) => AppError }): Uint8Array {
  const parms = stream.dict.lookup(PDFName.of('DecodeParms'));
  const parmsDict = parms instanceof PDFArray ? parms.lookup(0) : parms;
  const parm = (key: string) => (parmsDict instanceof PDFDict ? integerIn(parmsDict, key) : null);
  const predictor = parm('Predictor') ?? 1;
  const columns = parm('Columns') ?? rowLength;
  if (predictor >= 10 && (columns === 0 || columns > 3 * STRUCTURE_LIMITS.fieldBytes)) throw damaged(`the cross-reference stream at ${offset} has an invalid /Columns`);
  const rowBytes = predictor >= 10 ? columns + 1 : rowLength;
  const data = streamData(stream, limit.rows * rowBytes + XREF_STREAM_SLACK, `the cross-reference stream at ${offset}`, limit.past);
  if (predictor < 10) return data;
  const out = new Uint8Array(Math.floor(data.length / (columns + 1)) * columns);
  for (let row = 0; (row + 1) * (columns + 1) <= data.length; row++) {
    const type = data[row * (columns + 1)]!;
    for (let i = 0; i < columns; i++) {
      const raw = data[row * (columns + 1) + 1 + i]!;
      const left = i > 0 ? out[row * columns + i - 1]! : 0;
      const up = row > 0 ? out[(row - 1) * columns + i]! : 0;
      const upLeft = row > 0 && i > 0 ? out[(row - 1) * columns + i - 1]! : 0;
      let value: number;
      if (type === 0) value = raw;
      else if (type === 1) value = raw + left;
      else if (type === 2) value = raw + up;
      else if (type === 3) value = raw + ((left + up) >> 1);
      else {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[row * columns + i] = value & 0xff;
    }
  }
  return out;
}
