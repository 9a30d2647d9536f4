// The next revision of a PDF, built as an incremental update: what signing, preparing form fields
// and filling them have in common. Only the structure is read (pdfStructure.ts); objects that
// change are cloned, edited and appended, so every earlier revision — and every signature over
// it — stays byte for byte as it was.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject, type PDFPage } from 'pdf-lib';
import { AppError } from '../../common/errors.js';
import { assertPdfFraming } from '../pdf/framing.js';
import type { PdfSource } from '../pdf/source.js';
import { findStartxref, PdfStructure } from './pdfStructure.js';
import { incrementalSection, type NewObject, type TrailerFacts } from './incremental.js';
import { useDeflateOnce } from '../pdf/deflate.js';

/** A form field found by its full name, with the object to clone when it changes. */
export interface FoundField {
  ref: PDFRef;
  dict: PDFDict;
  /** The widget that shows the field: the field itself when merged, else its first kid. */
  widgetRef: PDFRef;
  widget: PDFDict;
  pageIndex: number;
  rect: [x: number, y: number, width: number, height: number];
}

export class PdfRevision {
  readonly doc: PDFDocument;
  private readonly trailer: TrailerFacts;
  private readonly firstNew: number;
  private readonly changed = new Map<number, NewObject>();
  private readonly editedPages = new Map<number, PDFDict>();
  private acroFormEdit: { ref: PDFRef | null; dict: PDFDict } | null = null;
  private readonly structure: PdfStructure;

  constructor(private readonly source: PdfSource, readonly fileName: string) {
    assertPdfFraming(source, fileName);
    try {
      const startxref = findStartxref(source);
      const structure = new PdfStructure(source, startxref);
      this.structure = structure;
      if (structure.trailer.get(PDFName.of('Encrypt'))) throw new AppError('ENCRYPTED_PDF', `${fileName} is encrypted and cannot be changed.`, { fileName });
      this.doc = structure.document();
      useDeflateOnce(this.doc.context);
      const size = structure.trailer.lookup(PDFName.of('Size'));
      const info = structure.trailer.get(PDFName.of('Info'));
      const id = structure.trailer.get(PDFName.of('ID'));
      // A /Size past every object the sections list (a hostile file's 2,000,000,000) is a claim
      // about numbers no object has: new objects follow the last one listed.
      const listed = structure.largestObjectNumber + 1;
      this.trailer = {
        startxref,
        xrefStream: !new TextDecoder('latin1').decode(source.read(startxref, 64)).trimStart().startsWith('xref'),
        size: size instanceof PDFNumber ? Math.min(size.asNumber(), listed) : listed,
        root: String(this.doc.context.trailerInfo.Root),
        info: info ? String(info) : null,
        id: id ? String(id) : null,
      };
      // New objects, whether made here or by pdf-lib (fonts, images), are numbered after every
      // number the file has used, and all of them go into the update.
      this.doc.context.largestObjectNumber = Math.max(this.trailer.size - 1, structure.largestObjectNumber, this.doc.context.largestObjectNumber);
      this.firstNew = this.doc.context.largestObjectNumber + 1;
    } catch (error) {
      if (error instanceof AppError) throw error.details?.fileName ? error : new AppError(error.code, `${fileName}: ${error.message}`, { ...error.details, fileName });
      throw new AppError('DAMAGED_PDF', `${fileName} cannot be read as a PDF (${(error as Error).message}).`, { fileName });
    }
  }

  page(pageNumber: number): PDFPage {
    const pages = this.doc.getPages();
    const page = pages[pageNumber - 1];
    if (!page) throw new AppError('INVALID_INPUT', `${this.fileName} has no page ${pageNumber} (it has ${pages.length}).`, { fileName: this.fileName });
    return page;
  }

  /**
   * An object the document refers to, read from the file on first use: the structure loads only
   * the page tree and the form, so a page's contents, resources and fonts come through here.
   */
  resolve(value: PDFObject | undefined): PDFObject | undefined {
    return value instanceof PDFRef ? this.structure.load(value) : value;
  }

  /** The page's dictionary as this revision has it so far: edited, or as the file has it. */
  pageDict(page: PDFPage): PDFDict {
    return this.editedPages.get(page.ref.objectNumber) ?? page.node;
  }

  /** The page's dictionary as it will be written, cloned on first use. */
  editPage(page: PDFPage): PDFDict {
    let pageDict = this.editedPages.get(page.ref.objectNumber);
    if (!pageDict) {
      pageDict = page.node.clone(this.doc.context);
      this.editedPages.set(page.ref.objectNumber, pageDict);
    }
    return pageDict;
  }

  /** Records an existing object's new body; its generation number is kept. */
  replace(ref: PDFRef, body: PDFObject | Uint8Array): void {
    this.changed.set(ref.objectNumber, { num: ref.objectNumber, gen: ref.generationNumber, body });
  }

  /** Adds a new object whose bytes are written by hand (a signature dictionary with placeholders). */
  addRaw(ref: PDFRef, bytes: Uint8Array): void {
    this.changed.set(ref.objectNumber, { num: ref.objectNumber, body: bytes });
  }

  /** The AcroForm dictionary as it will be written, cloned on first use. */
  acroForm(): PDFDict {
    if (!this.acroFormEdit) {
      const value = this.doc.catalog.get(PDFName.of('AcroForm'));
      if (value instanceof PDFRef) this.acroFormEdit = { ref: value, dict: this.doc.context.lookup(value, PDFDict).clone(this.doc.context) };
      else this.acroFormEdit = { ref: null, dict: value instanceof PDFDict ? value.clone(this.doc.context) : this.doc.context.obj({}) };
    }
    return this.acroFormEdit.dict;
  }

  /** Puts a new widget annotation on its page and, as a top-level field, into the form. */
  addField(page: PDFPage, widgetRef: PDFRef): void {
    this.appendToArray(this.editPage(page), 'Annots', widgetRef);
    this.appendToArray(this.acroForm(), 'Fields', widgetRef);
  }

  /** An array entry that is either inline or an indirect array object, with the item appended. */
  private appendToArray(holder: PDFDict, key: string, item: PDFObject): void {
    const value = holder.get(PDFName.of(key));
    if (value instanceof PDFRef) {
      const pending = this.changed.get(value.objectNumber)?.body;
      const array = pending instanceof PDFArray ? pending : this.doc.context.lookup(value, PDFArray).clone(this.doc.context);
      array.push(item);
      this.replace(value, array);
      return;
    }
    const array = value instanceof PDFArray ? value.clone(this.doc.context) : this.doc.context.obj([]);
    array.push(item);
    holder.set(PDFName.of(key), array);
  }

  /**
   * Top-level fields by their full names. Read by hand: pdf-lib's getForm() would create an
   * AcroForm object as a side effect, which must not happen to a file being updated incrementally.
   */
  fields(): Map<string, FoundField> {
    const found = new Map<string, FoundField>();
    const acroForm = this.doc.catalog.lookup(PDFName.of('AcroForm'));
    const fields = acroForm instanceof PDFDict ? acroForm.lookup(PDFName.of('Fields')) : undefined;
    if (!(fields instanceof PDFArray)) return found;
    const pages = this.doc.getPages();
    for (let i = 0; i < fields.size(); i++) {
      const ref = fields.get(i);
      const dict = fields.lookup(i);
      if (!(ref instanceof PDFRef) || !(dict instanceof PDFDict)) continue;
      const name = dict.lookup(PDFName.of('T'));
      if (!(name instanceof PDFString || name instanceof PDFHexString)) continue;
      const kids = dict.lookup(PDFName.of('Kids'));
      const widgetRef = kids instanceof PDFArray && kids.get(0) instanceof PDFRef ? (kids.get(0) as PDFRef) : ref;
      const widget = this.doc.context.lookup(widgetRef, PDFDict);
      const rectArray = widget.lookup(PDFName.of('Rect'));
      const nums = rectArray instanceof PDFArray ? rectArray.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0)) : [0, 0, 0, 0];
      const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = nums;
      const pageRef = widget.get(PDFName.of('P'));
      let pageIndex = pages.findIndex((p) => p.ref === pageRef);
      if (pageIndex < 0) pageIndex = pages.findIndex((p) => (p.node.lookup(PDFName.of('Annots')) as PDFArray | undefined)?.asArray().some((a) => a === widgetRef));
      found.set(name.decodeText(), {
        ref,
        dict,
        widgetRef,
        widget,
        pageIndex: Math.max(0, pageIndex),
        rect: [Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)],
      });
    }
    return found;
  }

  /**
   * Writes a field's new dictionary with `apRef` as its normal appearance, on the field itself
   * when field and widget are one object, else on its widget.
   */
  replaceField(field: FoundField, dict: PDFDict, apRef: PDFRef): void {
    const appearance = this.doc.context.obj({ N: apRef });
    if (field.widgetRef === field.ref) dict.set(PDFName.of('AP'), appearance);
    else {
      const widget = field.widget.clone(this.doc.context);
      widget.set(PDFName.of('AP'), appearance);
      this.replace(field.widgetRef, widget);
    }
    this.replace(field.ref, dict);
  }

  /** A field name not yet used, from a base such as "Signature". */
  freeFieldName(base: string): string {
    const names = this.fields();
    let name = `${base}1`;
    for (let i = 2; names.has(name); i++) name = `${base}${i}`;
    return name;
  }

  /**
   * The bytes to append to the source. pdf-lib writes fonts and images (subset, compressed) only
   * when flushed, so every object numbered after the file's own goes in, plus the edited ones.
   */
  async build(): Promise<{ appended: Uint8Array; objectOffsets: Map<number, number> }> {
    await this.doc.flush();
    for (const [ref, object] of this.doc.context.enumerateIndirectObjects()) {
      if (ref.objectNumber >= this.firstNew && !this.changed.has(ref.objectNumber)) this.changed.set(ref.objectNumber, { num: ref.objectNumber, body: object });
    }
    for (const [num, dict] of this.editedPages) {
      const page = this.doc.getPages().find((p) => p.ref.objectNumber === num)!;
      this.replace(page.ref, dict);
    }
    if (this.acroFormEdit) {
      if (this.acroFormEdit.ref) this.replace(this.acroFormEdit.ref, this.acroFormEdit.dict);
      else {
        const pending = this.changed.get((this.doc.context.trailerInfo.Root as PDFRef).objectNumber)?.body;
        const catalog = pending instanceof PDFDict ? pending : this.doc.catalog.clone(this.doc.context);
        catalog.set(PDFName.of('AcroForm'), this.acroFormEdit.dict);
        this.replace(this.doc.context.trailerInfo.Root as PDFRef, catalog);
      }
    }
    const originalSize = this.source.size;
    const lastByte = this.source.read(originalSize - 1, 1)[0] ?? 0;
    const { bytes, objectOffsets } = incrementalSection({ size: originalSize, lastByte }, this.trailer, [...this.changed.values()]);
    return { appended: bytes, objectOffsets };
  }

  /** The catalog as it will be written, cloned on first use (for /Perms). */
  catalog(): PDFDict {
    const ref = this.doc.context.trailerInfo.Root as PDFRef;
    const pending = this.changed.get(ref.objectNumber)?.body;
    if (pending instanceof PDFDict) return pending;
    const catalog = this.doc.catalog.clone(this.doc.context);
    this.replace(ref, catalog);
    return catalog;
  }
}
