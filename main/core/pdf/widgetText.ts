// The text that form fields print on a page through their appearance streams. Hà Nội's document
// system writes the number and the date of a signed document this way: the page prints
// "Số:      /QĐ-UBND" and "Hà Nội, ngày      tháng      năm 2026" with blanks, and the agency's
// signature fields print "2280", "29" and "4" over the blanks. pdf.js leaves those out of a page's
// text content, so the appearances are read from the operator list (the glyphs there carry their
// Unicode), with just enough of the graphics state to know where each run of text starts and ends.
// The rest of a field's look (images, paths) is of no interest here.
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api.js';
import type { PlacedItem } from './printedLines.js';

type Matrix = [number, number, number, number, number, number];

/** What one widget annotation prints, run by run, in display space (as printedLines.ts places items). */
export interface WidgetText {
  fieldName: string;
  /** Sig for a signature field, Tx for a text field… */
  fieldType: string | null;
  runs: PlacedItem[];
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m1: readonly number[], m2: readonly number[]): Matrix {
  const [a1 = 0, b1 = 0, c1 = 0, d1 = 0, e1 = 0, f1 = 0] = m1;
  const [a2 = 0, b2 = 0, c2 = 0, d2 = 0, e2 = 0, f2 = 0] = m2;
  return [a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2, a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** pdf.js hands matrices out as arrays or as Float32Arrays. */
function asMatrix(value: unknown): Matrix | null {
  if (!(Array.isArray(value) || ArrayBuffer.isView(value))) return null;
  const numbers = Array.from(value as ArrayLike<unknown>);
  return numbers.length === 6 && numbers.every((n) => typeof n === 'number' && Number.isFinite(n)) ? (numbers as Matrix) : null;
}

/** A glyph of pdf.js's operator list: its Unicode text, its width in glyph space (1/1000 em), a space. */
interface Glyph {
  unicode?: string;
  width?: number;
  isSpace?: boolean;
}

/** More runs than any real field prints: a hostile appearance stops being read here. */
const MAX_RUNS = 2000;

/**
 * The text every widget annotation of the page prints, as runs placed in display space with
 * `toDisplay` (the page viewport's transform). Widgets that print no text are left out.
 */
export async function readWidgetText(page: PDFPageProxy, toDisplay: Matrix): Promise<WidgetText[]> {
  const annotations = (await page.getAnnotations()) as { id: string; subtype?: string; fieldName?: string; fieldType?: string }[];
  const widgets = new Map(annotations.filter((a) => a.subtype === 'Widget').map((a) => [a.id, a]));
  if (widgets.size === 0) return [];
  const { fnArray, argsArray } = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.ENABLE });
  const OPS = pdfjs.OPS;

  const found: WidgetText[] = [];
  let current: WidgetText | null = null;
  let runs = 0;
  // The graphics state a run's place depends on: the CTM, the text and line matrices (as pdf.js
  // keeps them: a matrix and an offset along it), the font size and the leading.
  let ctm: Matrix = IDENTITY;
  const stack: Matrix[] = [];
  let textMatrix: Matrix = IDENTITY;
  let x = 0;
  let y = 0;
  let lineX = 0;
  let lineY = 0;
  let fontSize = 0;
  let leading = 0;

  const moveText = (dx: number, dy: number) => {
    x = lineX += dx;
    y = lineY += dy;
  };

  const show = (glyphs: unknown) => {
    if (!current || !Array.isArray(glyphs) || runs >= MAX_RUNS) return;
    const start = x;
    let text = '';
    for (const glyph of glyphs as (Glyph | number | null)[]) {
      // A number in a TJ array moves the pen back by thousandths of the font size.
      if (typeof glyph === 'number') {
        x -= (glyph / 1000) * fontSize;
        if (glyph < -200) text += ' ';
        continue;
      }
      if (!glyph) continue;
      text += glyph.isSpace ? ' ' : (glyph.unicode ?? '');
      x += ((glyph.width ?? 0) / 1000) * fontSize;
    }
    if (!text.trim()) return;
    const toPage = multiply(toDisplay, multiply(ctm, textMatrix));
    const [x0, baseline] = apply(toPage, start, y);
    const [x1] = apply(toPage, x, y);
    const scale = Math.hypot(toPage[2], toPage[3]);
    runs++;
    current.runs.push({ str: text.normalize('NFC'), fontName: '', x0: Math.min(x0, x1), x1: Math.max(x0, x1), baseline, fontSize: fontSize * scale, ascent: 0.8, descent: 0.2, slanted: false, widget: current.fieldName });
  };

  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    if (fn === OPS.beginAnnotation) {
      const widget = widgets.get(String(args[0]));
      current = widget ? { fieldName: widget.fieldName ?? '', fieldType: widget.fieldType ?? null, runs: [] } : null;
      // As pdf.js draws it: the appearance's bounding box fitted to the annotation's rectangle.
      ctm = multiply(asMatrix(args[2]) ?? IDENTITY, asMatrix(args[3]) ?? IDENTITY);
      stack.length = 0;
      textMatrix = IDENTITY;
      x = y = lineX = lineY = 0;
      continue;
    }
    if (fn === OPS.endAnnotation) {
      if (current?.runs.length) found.push(current);
      current = null;
      continue;
    }
    if (!current) continue;
    switch (fn) {
      case OPS.save:
        stack.push(ctm);
        break;
      case OPS.restore:
        ctm = stack.pop() ?? ctm;
        break;
      case OPS.transform: {
        const m = asMatrix(args);
        if (m) ctm = multiply(ctm, m);
        break;
      }
      case OPS.paintFormXObjectBegin: {
        stack.push(ctm);
        const m = asMatrix(args[0]);
        if (m) ctm = multiply(ctm, m);
        break;
      }
      case OPS.paintFormXObjectEnd:
        ctm = stack.pop() ?? ctm;
        break;
      case OPS.beginText:
        textMatrix = IDENTITY;
        x = y = lineX = lineY = 0;
        break;
      case OPS.setTextMatrix:
        // pdf.js passes the matrix as one array (older versions: six numbers).
        textMatrix = asMatrix(args[0]) ?? asMatrix(args) ?? textMatrix;
        x = y = lineX = lineY = 0;
        break;
      case OPS.setFont:
        fontSize = Math.abs(Number(args[1]) || 0);
        break;
      case OPS.setLeading:
        leading = -(Number(args[0]) || 0);
        break;
      case OPS.moveText:
        moveText(Number(args[0]) || 0, Number(args[1]) || 0);
        break;
      case OPS.setLeadingMoveText:
        leading = Number(args[1]) || 0;
        moveText(Number(args[0]) || 0, Number(args[1]) || 0);
        break;
      case OPS.nextLine:
        moveText(0, leading);
        break;
      case OPS.showText:
      case OPS.showSpacedText:
        show(args[0]);
        break;
      case OPS.nextLineShowText:
        moveText(0, leading);
        show(args[0]);
        break;
      case OPS.nextLineSetSpacingShowText:
        moveText(0, leading);
        show(args[2]);
        break;
    }
  }
  return found;
}
