// Reads only the parts of a PDF that signing needs — the cross-reference sections, the catalog,
// the page tree, the form fields — instead of the whole file. A 100 MB scan is then signed by
// reading a few kilobytes of structure plus one streaming pass for the hash, with memory that
// does not grow with the file. The objects are parsed by pdf-lib's own object parser into a
// pdf-lib context, so the rest of the signer works with ordinary pdf-lib objects.
import {
  decodePDFRawStream,
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  type PDFObject,
} from 'pdf-lib';
import { inflateSync } from 'node:zlib';
import { AppError } from '../../common/errors.js';
import type { PdfSource } from '../pdf/source.js';

const latin1 = new TextDecoder('latin1');

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

type XrefEntry = { kind: 'offset'; offset: number; gen: number } | { kind: 'compressed'; stream: number; index: number };

const damaged = (why: string) => new AppError('DAMAGED_PDF', `The PDF structure cannot be read: ${why}.`);

/** The PDF's structure as pdf-lib objects, loaded on demand from the source. */
export class PdfStructure {
  readonly context = PDFContext.create();
  private readonly xref = new Map<number, XrefEntry>();
  private readonly objectStreams = new Map<number, { bytes: Uint8Array; offsets: Map<number, number> }>();
  trailer!: PDFDict;

  constructor(private readonly source: PdfSource, startxref: number) {
    this.readXrefChain(startxref);
  }

  /** Walks the cross-reference sections from the newest; an older entry never replaces a newer one. */
  private readXrefChain(start: number): void {
    const seen = new Set<number>();
    let next: number | null = start;
    while (next !== null) {
      if (seen.has(next) || next < 0 || next >= this.source.size) throw damaged('the cross-reference chain loops or points outside the file');
      seen.add(next);
      const head = latin1.decode(this.source.read(next, 4));
      const trailer: PDFDict = head === 'xref' ? this.readXrefTable(next) : this.readXrefStream(next);
      this.trailer ??= trailer;
      // A hybrid file's table names an xref stream for objects the table leaves out.
      const hybrid = trailer.lookup(PDFName.of('XRefStm'));
      if (hybrid instanceof PDFNumber) this.readXrefStream(hybrid.asNumber());
      const prev: PDFObject | undefined = trailer.lookup(PDFName.of('Prev'));
      next = prev instanceof PDFNumber ? prev.asNumber() : null;
    }
  }

  private setEntry(num: number, entry: XrefEntry): void {
    if (!this.xref.has(num)) this.xref.set(num, entry);
  }

  private readXrefTable(offset: number): PDFDict {
    // Read in growing windows until the trailer dictionary is complete.
    for (let window = 64 * 1024; ; window *= 4) {
      const text = latin1.decode(this.source.read(offset, window));
      const trailerAt = text.indexOf('trailer');
      if (trailerAt < 0 || text.indexOf('>>', trailerAt) < 0) {
        if (offset + window >= this.source.size) throw damaged('a cross-reference table has no trailer');
        continue;
      }
      const lines = text.slice(4, trailerAt).split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
      let num = 0;
      for (const line of lines) {
        const parts = line.split(/\s+/);
        if (parts.length === 2) num = Number(parts[0]);
        else if (parts.length === 3) {
          if (parts[2] === 'n') this.setEntry(num, { kind: 'offset', offset: Number(parts[0]), gen: Number(parts[1]) });
          else if (!this.xref.has(num)) this.xref.set(num, { kind: 'offset', offset: -1, gen: Number(parts[1]) }); // free
          num++;
        }
      }
      const bytes = this.source.read(offset + trailerAt + 'trailer'.length, window);
      const dict = PDFObjectParser.forBytes(bytes, this.context).parseObject();
      if (!(dict instanceof PDFDict)) throw damaged('a trailer is not a dictionary');
      return dict;
    }
  }

  private readXrefStream(offset: number): PDFDict {
    const stream = this.parseObjectAt(offset);
    if (!(stream instanceof PDFRawStream)) throw damaged('startxref points at neither a table nor a stream');
    const dict = stream.dict;
    const widths = (dict.lookup(PDFName.of('W'), PDFArray) as PDFArray).asArray().map((w) => (w as PDFNumber).asNumber());
    const index = dict.lookup(PDFName.of('Index'));
    const size = (dict.lookup(PDFName.of('Size'), PDFNumber) as PDFNumber).asNumber();
    const ranges = index instanceof PDFArray ? index.asArray().map((n) => (n as PDFNumber).asNumber()) : [0, size];
    const rowLength = widths.reduce((a, b) => a + b, 0);
    const rows = xrefStreamBytes(stream, rowLength);
    const field = (row: number, column: number, fallback: number) => {
      if (widths[column] === 0) return fallback;
      let at = row * rowLength + widths.slice(0, column).reduce((a, b) => a + b, 0);
      let value = 0;
      for (let i = 0; i < widths[column]!; i++) value = value * 256 + rows[at++]!;
      return value;
    };
    let row = 0;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let i = 0; i < ranges[r + 1]!; i++, row++) {
        const num = ranges[r]! + i;
        const type = field(row, 0, 1);
        if (type === 1) this.setEntry(num, { kind: 'offset', offset: field(row, 1, 0), gen: field(row, 2, 0) });
        else if (type === 2) this.setEntry(num, { kind: 'compressed', stream: field(row, 1, 0), index: field(row, 2, 0) });
        else if (!this.xref.has(num)) this.xref.set(num, { kind: 'offset', offset: -1, gen: 0 });
      }
    }
    return dict;
  }

  /** Parses "N G obj <object>" at a file offset, reading more when the object runs past the window. */
  private parseObjectAt(offset: number): PDFObject {
    for (let window = 16 * 1024; ; window *= 8) {
      const bytes = this.source.read(offset, window);
      const header = /^\s*\d+\s+\d+\s+obj/.exec(latin1.decode(bytes.subarray(0, 64)));
      if (!header) throw damaged(`no object at offset ${offset}`);
      try {
        return PDFObjectParser.forBytes(bytes.subarray(header[0].length), this.context).parseObject();
      } catch (error) {
        if (offset + window >= this.source.size) throw damaged(`the object at offset ${offset} is incomplete (${(error as Error).message})`);
      }
    }
  }

  /** The object, loaded into the context (and kept there) on first use. */
  load(ref: PDFRef): PDFObject | undefined {
    const cached = this.context.lookup(ref);
    if (cached !== undefined) return cached;
    const entry = this.xref.get(ref.objectNumber);
    if (!entry || (entry.kind === 'offset' && entry.offset < 0)) return undefined;
    const object = entry.kind === 'offset' ? this.parseObjectAt(entry.offset) : this.parseCompressed(ref.objectNumber, entry.stream);
    this.context.assign(ref, object);
    return object;
  }

  private parseCompressed(num: number, streamNum: number): PDFObject {
    let objectStream = this.objectStreams.get(streamNum);
    if (!objectStream) {
      const raw = this.load(PDFRef.of(streamNum));
      if (!(raw instanceof PDFRawStream)) throw damaged(`object stream ${streamNum} is missing`);
      const bytes = decodePDFRawStream(raw).decode();
      const n = (raw.dict.lookup(PDFName.of('N'), PDFNumber) as PDFNumber).asNumber();
      const first = (raw.dict.lookup(PDFName.of('First'), PDFNumber) as PDFNumber).asNumber();
      const header = latin1.decode(bytes.subarray(0, first)).trim().split(/\s+/).map(Number);
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) offsets.set(header[i * 2]!, first + header[i * 2 + 1]!);
      objectStream = { bytes, offsets };
      this.objectStreams.set(streamNum, objectStream);
    }
    const at = objectStream.offsets.get(num);
    if (at === undefined) throw damaged(`object ${num} is not in object stream ${streamNum}`);
    return PDFObjectParser.forBytes(objectStream.bytes.subarray(at), this.context).parseObject();
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
    for (const num of this.xref.keys()) largest = Math.max(largest, num);
    return largest;
  }
}

/**
 * The rows of a cross-reference stream: inflated, then un-predicted. Writers such as qpdf and
 * Acrobat use the PNG predictors here (each row starts with a filter byte), which pdf-lib's
 * stream decoder does not undo.
 */
export function xrefStreamBytes(stream: PDFRawStream, rowLength: number): Uint8Array {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filterName = filter instanceof PDFArray ? filter.lookup(0) : filter;
  let data: Uint8Array = stream.contents;
  if (filterName instanceof PDFName) {
    if (filterName.asString() !== '/FlateDecode') throw damaged(`a cross-reference stream uses ${filterName.asString()}, which is not supported`);
    data = inflateSync(stream.contents);
  }
  const parms = stream.dict.lookup(PDFName.of('DecodeParms'));
  const parmsDict = parms instanceof PDFArray ? parms.lookup(0) : parms;
  const predictor = parmsDict instanceof PDFDict ? (parmsDict.lookup(PDFName.of('Predictor')) as PDFNumber | undefined)?.asNumber() ?? 1 : 1;
  if (predictor < 10) return data;
  const columns = parmsDict instanceof PDFDict ? (parmsDict.lookup(PDFName.of('Columns')) as PDFNumber | undefined)?.asNumber() ?? rowLength : rowLength;
  const out = new Uint8Array(Math.floor(data.length / (columns + 1)) * columns);
  for (let row = 0; row * (columns + 1) < data.length; row++) {
    const type = data[row * (columns + 1)]!;
    for (let i = 0; i < columns; i++) {
      const raw = data[row * (columns + 1) + 1 + i] ?? 0;
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
