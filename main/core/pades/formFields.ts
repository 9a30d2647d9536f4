// Form fields for the document's number and date (Decree 30: the number and date are given after
// the competent person signs). The empty text fields are added to the draft before anyone signs;
// after the signature they are filled by an incremental update, which a certification signature
// with DocMDP P 2 permits, so the leader's signature stays valid and the change shows as form
// filling. A filled field carries its own appearance (Tinos, embedded), so every viewer shows the
// same text without regenerating it, and an opaque white background when it is laid over a
// printed blank such as "Số:      /QĐ-UBND".
import { PDFHexString, PDFName, PDFString, type PDFFont, type PDFOperator, type PDFRef } from 'pdf-lib';
import { beginText, endText, fill, moveText, popGraphicsState, pushGraphicsState, rectangle, setFillingRgbColor, setFontAndSize, showText } from 'pdf-lib';
import { AppError } from '../../common/errors.js';
import type { PdfSource } from '../pdf/source.js';
import { embedSerifFont, measureWith } from './appearance.js';
import { PdfRevision } from './revision.js';
import { removePrintedText } from './printedText.js';
import type { PrintedRun } from '../pdf/printedLines.js';

export interface TextFieldSpec {
  name: string;
  page: number;
  rect: [x: number, y: number, width: number, height: number];
  /** What a form-filling viewer shows as the field's description. */
  tooltip?: string;
  /**
   * The placeholder the field lies over ("Số:      /QĐ-UBND"), as printed: taken off the page's
   * text (printedText.ts) and shown by the empty field instead, so that once filled the field's
   * text is the only text there — for the eye and for copying, search and screen readers alike.
   */
  printed?: { runs: readonly PrintedRun[]; fontSize: number; italic: boolean };
}

export interface TextFieldValue {
  text: string;
  fontSize: number;
  italic?: boolean;
  /** Paint the field white first: it covers a printed placeholder (one the page still prints). */
  opaque?: boolean;
}

/** Signed already (by someone outside eOffice): its pages must stay as they are, or that signature breaks. */
function hasSignatures(revision: PdfRevision): boolean {
  return [...revision.fields().values()].some((f) => f.dict.lookup(PDFName.of('FT')) === PDFName.of('Sig') && f.dict.get(PDFName.of('V')) !== undefined);
}

/** The empty field's look: the placeholder's runs where the page printed them, in Tinos. */
async function placeholderAppearance(revision: PdfRevision, spec: TextFieldSpec & { printed: NonNullable<TextFieldSpec['printed']> }): Promise<PDFRef> {
  const { doc } = revision;
  const font = await embedSerifFont(doc, spec.printed.italic);
  const [x, y, w, h] = spec.rect;
  const ops: PDFOperator[] = [beginText(), setFontAndSize('F1', spec.printed.fontSize), setFillingRgbColor(0, 0, 0)];
  let lastX = 0;
  let lastY = 0;
  for (const run of spec.printed.runs) {
    const [rx, ry] = [run.x - x, run.baseline - y];
    ops.push(moveText(rx - lastX, ry - lastY), showText(font.encodeText(run.text)));
    [lastX, lastY] = [rx, ry];
  }
  ops.push(endText());
  const content = new TextEncoder().encode(ops.map((op) => op.toString()).join('\n'));
  return doc.context.register(doc.context.stream(content, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, w, h], Resources: { Font: { F1: font.ref } } }));
}

/** The bytes that add empty text fields to the document. */
export async function addTextFields(source: PdfSource, specs: readonly TextFieldSpec[], fileName = 'document.pdf'): Promise<Uint8Array> {
  const revision = new PdfRevision(source, fileName);
  const { doc } = revision;
  const existing = revision.fields();
  const signed = hasSignatures(revision);
  for (const spec of specs) {
    if (existing.has(spec.name)) throw new AppError('INVALID_INPUT', `${fileName} already has a field named "${spec.name}".`, { fileName });
    const page = revision.page(spec.page);
    const [x, y, w, h] = spec.rect;
    // The placeholder moves from the page into the field; when it cannot be taken off the page, the
    // page keeps it and the filled field covers it (opaque), as before.
    const rotated = (page.getRotation().angle % 360) !== 0;
    const printed = spec.printed && !signed && !rotated && removePrintedText(revision, spec.page, spec.rect) ? spec.printed : null;
    const appearance = printed ? { AP: { N: await placeholderAppearance(revision, { ...spec, printed }) } } : {};
    const widgetRef = doc.context.register(
      doc.context.obj({
        Type: 'Annot',
        Subtype: 'Widget',
        FT: 'Tx',
        T: PDFHexString.fromText(spec.name),
        ...(spec.tooltip ? { TU: PDFHexString.fromText(spec.tooltip) } : {}),
        F: 4, // Print
        Rect: [x, y, x + w, y + h],
        P: page.ref,
        DA: PDFString.of('/Helv 0 Tf 0 g'),
        ...appearance,
      }),
    );
    revision.addField(page, widgetRef);
  }
  // A default font for viewers that regenerate appearances; the filled fields bring their own.
  const acroForm = revision.acroForm();
  if (!acroForm.get(PDFName.of('DR'))) {
    acroForm.set(PDFName.of('DR'), doc.context.obj({ Font: { Helv: { Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' } } }));
  }
  if (!acroForm.get(PDFName.of('DA'))) acroForm.set(PDFName.of('DA'), PDFString.of('/Helv 0 Tf 0 g'));
  return (await revision.build()).appended;
}

function textOperators(font: PDFFont, value: TextFieldValue, width: number, height: number): PDFOperator[] {
  const ops: PDFOperator[] = [];
  if (value.opaque) ops.push(pushGraphicsState(), setFillingRgbColor(1, 1, 1), rectangle(0, 0, width, height), fill(), popGraphicsState());
  let size = value.fontSize;
  const measure = measureWith(font);
  // Shrunk rather than clipped: a long notation must stay whole.
  while (size > 5 && measure(value.text, size) > width - 2) size -= 0.25;
  const baseline = Math.max(1, (height - size) / 2 + size * 0.22);
  ops.push(beginText(), setFontAndSize('F1', size), setFillingRgbColor(0, 0, 0), moveText(1, baseline), showText(font.encodeText(value.text)), endText());
  return ops;
}

/** The bytes that fill the named text fields, each with its own appearance. */
export async function fillTextFields(source: PdfSource, values: Record<string, TextFieldValue>, fileName = 'document.pdf'): Promise<Uint8Array> {
  const revision = new PdfRevision(source, fileName);
  const { doc } = revision;
  const fields = revision.fields();
  const fonts = new Map<boolean, PDFFont>();
  for (const [name, value] of Object.entries(values)) {
    const field = fields.get(name);
    if (!field || field.dict.lookup(PDFName.of('FT')) !== PDFName.of('Tx')) {
      throw new AppError('INVALID_INPUT', `${fileName} has no text field "${name}".`, { fileName });
    }
    const italic = value.italic ?? false;
    let font = fonts.get(italic);
    if (!font) {
      font = await embedSerifFont(doc, italic);
      fonts.set(italic, font);
    }
    const [, , w, h] = field.rect;
    // A field that took its placeholder off the page already shows it (addTextFields): nothing is
    // printed under it to hide, and white would only clip what prints close by — the accents of
    // the next line's capitals.
    const placeholderMoved = field.widget.get(PDFName.of('AP')) !== undefined && field.dict.get(PDFName.of('V')) === undefined;
    const content = new TextEncoder().encode(textOperators(font, { ...value, opaque: value.opaque && !placeholderMoved }, w, h).map((op) => op.toString()).join('\n'));
    const apRef = doc.context.register(
      doc.context.stream(content, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, w, h], Resources: { Font: { F1: font.ref } } }),
    );
    const dict = field.dict.clone(doc.context);
    dict.set(PDFName.of('V'), PDFHexString.fromText(value.text));
    revision.replaceField(field, dict, apRef);
  }
  return (await revision.build()).appended;
}

/** The current text values of the document's text fields. */
export function textFieldValues(source: PdfSource, fileName = 'document.pdf'): Record<string, string | null> {
  const revision = new PdfRevision(source, fileName);
  const out: Record<string, string | null> = {};
  for (const [name, field] of revision.fields()) {
    if (field.dict.lookup(PDFName.of('FT')) !== PDFName.of('Tx')) continue;
    const value = field.dict.lookup(PDFName.of('V'));
    out[name] = value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : null;
  }
  return out;
}
