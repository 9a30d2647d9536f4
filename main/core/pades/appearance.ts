// What a signature looks like on the page (Decree 30/2020, Appendix I), built apart from the
// cryptography. Text uses Tinos, a serif metric-compatible with Times New Roman that covers
// Vietnamese, embedded as a subset so the file stays small and reads the same everywhere.
import {
  beginText,
  concatTransformationMatrix,
  drawObject,
  endText,
  moveText,
  popGraphicsState,
  pushGraphicsState,
  setFillingRgbColor,
  setFontAndSize,
  showText,
  type PDFDocument,
  type PDFFont,
  type PDFOperator,
} from 'pdf-lib';
import { AppError } from '../../common/errors.js';
import { toVnIso } from '../../common/dates.js';

export type Rect = [x: number, y: number, width: number, height: number];

export type AppearanceSpec =
  /** No visible mark (a zero-size widget). */
  | { kind: 'invisible' }
  /** The competent signer: the handwritten signature image, optionally with lines of text under it. */
  | { kind: 'signer'; page: number; rect: Rect; image?: Uint8Array; lines?: string[] }
  /** The agency: the red seal image on the left, the agency's name and the signing time beside it. */
  | { kind: 'agency'; page: number; rect: Rect; sealImage?: Uint8Array; agencyName: string }
  /** An attachment issued as its own file: top right of page 1, no image, the main document's notation and the time. */
  | { kind: 'attachment'; agencyName: string; mainNotation: string };

/** The seal covers about one third of the signer's image, on its left (Decree 30, Appendix I). */
function sealSquare(signerRect: Rect): Rect {
  const [x, y, w, h] = signerRect;
  const size = Math.min(113, Math.max(85, h * 1.15)); // a seal of 30–40 mm, as printed
  return [x + w / 3 - size, y + h / 2 - size / 2, size, size];
}

/** The band under the seal that holds its caption (the agency's name and the signing time), as a share of the seal's size. */
const CAPTION_BAND = 0.4;

/**
 * The agency's signature field prepared beside the competent person's: the seal's square over the
 * left third of the signer's image, and under it a band for the caption, so that the caption is
 * printed whole and never over the seal.
 */
export function sealRect(signerRect: Rect): Rect {
  const [x, y, size] = sealSquare(signerRect);
  const band = size * CAPTION_BAND;
  return [x, y - band, size, size + band];
}

/** What the PDF signer needs: where the widget goes and how to draw its form XObject. */
export interface PlacedAppearance {
  page: number;
  rect(pageWidth: number, pageHeight: number): Rect;
  draw(doc: PDFDocument, width: number, height: number): Promise<{ operators: PDFOperator[]; fonts: Record<string, PDFFont>; images: Record<string, import('pdf-lib').PDFImage> }>;
}

/** Tinos (regular, or italic as the date line is printed), embedded as a subset. */
export async function embedSerifFont(doc: PDFDocument, italic = false): Promise<PDFFont> {
  // Loaded only when text is drawn: an invisible signature does without fontkit's memory.
  const { pdfLibFontkit, tinosFontBytes } = await import('../pdf/fonts.js');
  doc.registerFontkit(pdfLibFontkit);
  const style = italic ? 'italic' : 'regular';
  const font = await doc.embedFont(tinosFontBytes(style), { subset: true });
  unitWidthsOf.set(font, unitWidthsByStyle[style]);
  return font;
}

async function embedPng(doc: PDFDocument, bytes: Uint8Array, what: string) {
  try {
    return await doc.embedPng(bytes);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `The ${what} image is not a usable PNG (${(error as Error).message}).`);
  }
}

/**
 * A text's width at a size, each text measured once per process and typeface: a width is linear in
 * the size and depends only on the font file, and measuring shapes the text with fontkit, which
 * cost a fifth of issuing when it ran at every size tried, and still a twentieth when each
 * document measured again the lines every document of the register prints (the signer's name and
 * position, the agency's, the captions). The newest few thousand texts are kept per typeface.
 */
export type Measure = (text: string, size: number) => number;

const UNIT_WIDTHS_KEPT = 4096;
const unitWidthsByStyle = { regular: new Map<string, number>(), italic: new Map<string, number>() };
/** The shared widths of the typeface a font embedded by embedSerifFont is made from. */
const unitWidthsOf = new WeakMap<PDFFont, Map<string, number>>();

export function measureWith(font: PDFFont): Measure {
  const atUnitSize = unitWidthsOf.get(font) ?? new Map<string, number>();
  return (text, size) => {
    let width = atUnitSize.get(text);
    if (width === undefined) {
      width = font.widthOfTextAtSize(text, 1);
      atUnitSize.set(text, width);
      if (atUnitSize.size > UNIT_WIDTHS_KEPT) atUnitSize.delete(atUnitSize.keys().next().value!);
    }
    return width * size;
  };
}

/** Text lines, shrunk until the longest fits the width; drawn top-down from `top`. */
function textBlock(font: PDFFont, lines: string[], x: number, top: number, width: number, maxSize: number): PDFOperator[] {
  const measure = measureWith(font);
  let size = maxSize;
  while (size > 5 && lines.some((l) => measure(l, size) > width)) size -= 0.5;
  return linesAt(font, lines, x, top, size);
}

function linesAt(font: PDFFont, lines: string[], x: number, top: number, size: number): PDFOperator[] {
  const ops: PDFOperator[] = [beginText(), setFontAndSize('F1', size), setFillingRgbColor(0, 0, 0)];
  let y = top - size;
  let lastX = 0;
  let lastY = 0;
  for (const line of lines) {
    ops.push(moveText(x - lastX, y - lastY), showText(font.encodeText(line)));
    lastX = x;
    lastY = y;
    y -= size * LINE_HEIGHT;
  }
  ops.push(endText());
  return ops;
}

const LINE_HEIGHT = 1.2;

/** The words of `text` in lines no wider than `width` at `size`; a word wider than that stays whole on its own line. */
function wrap(measure: Measure, text: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (!line || measure(candidate, size) <= width) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A caption's item: what it is ("Ký bởi:") and its value (the agency's name). */
type CaptionItem = [label: string, value: string];

/**
 * An item's lines at `size`: on one line when it fits, else the label on its own line and the
 * value wrapped under it — a name is not broken off after its first words if a line can hold it.
 */
function itemLines(measure: Measure, [label, value]: CaptionItem, width: number, size: number): string[] {
  const whole = `${label} ${value}`;
  if (measure(whole, size) <= width) return [whole];
  return [label, ...wrap(measure, value, width, size)];
}

/**
 * A caption laid out whole inside a box: each item on a line, or wrapped, the size lowered until
 * every line fits the width and all of them the height. Never clipped: past the smallest size
 * meant for reading it keeps shrinking rather than lose "+07:00" off the end of the time.
 */
function captionBlock(font: PDFFont, items: CaptionItem[], x: number, top: number, width: number, height: number, maxSize: number): PDFOperator[] {
  const measure = measureWith(font);
  for (let size = maxSize; ; size -= 0.25) {
    const lines = items.flatMap((item) => itemLines(measure, item, width, size));
    const fits = lines.every((l) => measure(l, size) <= width) && lines.length * size * LINE_HEIGHT <= height;
    if (fits || size <= 1) return linesAt(font, lines, x, top, size);
  }
}

function imageOps(name: string, x: number, y: number, w: number, h: number): PDFOperator[] {
  return [pushGraphicsState(), concatTransformationMatrix(w, 0, 0, h, x, y), drawObject(name), popGraphicsState()];
}

/** The largest box of the image's proportions inside w × h. */
function fit(imageWidth: number, imageHeight: number, w: number, h: number): [number, number] {
  const scale = Math.min(w / imageWidth, h / imageHeight);
  return [imageWidth * scale, imageHeight * scale];
}

export function placeAppearance(spec: AppearanceSpec, signingTime: Date): PlacedAppearance | undefined {
  const time = `Thời gian ký: ${toVnIso(signingTime)}`;
  switch (spec.kind) {
    case 'invisible':
      return undefined;
    case 'signer':
      return {
        page: spec.page,
        rect: () => spec.rect,
        async draw(doc, w, h) {
          const operators: PDFOperator[] = [];
          const fonts: Record<string, PDFFont> = {};
          const images: Record<string, import('pdf-lib').PDFImage> = {};
          const lines = spec.lines ?? [];
          const textHeight = lines.length ? Math.min(h * 0.35, lines.length * 12) : 0;
          if (spec.image) {
            const image = await embedPng(doc, spec.image, 'signature');
            images.Im1 = image;
            const [iw, ih] = fit(image.width, image.height, w, h - textHeight);
            // Centred, as Appendix I places it between the position line and the name.
            operators.push(...imageOps('Im1', (w - iw) / 2, textHeight + (h - textHeight - ih) / 2, iw, ih));
          }
          if (lines.length) {
            fonts.F1 = await embedSerifFont(doc);
            operators.push(...textBlock(fonts.F1, lines, 2, textHeight, w - 4, 10));
          }
          return { operators, fonts, images };
        },
      };
    case 'agency':
      return {
        page: spec.page,
        rect: () => spec.rect,
        async draw(doc, w, h) {
          const operators: PDFOperator[] = [];
          const images: Record<string, import('pdf-lib').PDFImage> = {};
          const font = await embedSerifFont(doc);
          // As Decree 30 has the agency's signature say it: the agency's name, then the time with its offset.
          const caption: CaptionItem[] = [
            ['Ký bởi:', spec.agencyName],
            ['Thời gian ký:', toVnIso(signingTime)],
          ];
          // A box about as wide as it is tall is the field prepared beside the competent person's
          // signature (sealRect): the seal in its upper square, the caption in the band under it.
          // A wider box holds the seal on its left and the caption beside it.
          const beside = w - h >= 60;
          if (!spec.sealImage) {
            operators.push(...captionBlock(font, caption, 2, h - 2, w - 4, h - 4, 10));
            return { operators, fonts: { F1: font }, images };
          }
          const seal = await embedPng(doc, spec.sealImage, 'seal');
          images.Im1 = seal;
          if (beside) {
            const [sw, sh] = fit(seal.width, seal.height, w * 0.45, h);
            operators.push(...imageOps('Im1', 0, (h - sh) / 2, sw, sh));
            operators.push(...captionBlock(font, caption, sw + 4, h - 2, w - sw - 6, h - 4, 10));
          } else {
            // A square field (prepared before the caption had its band) gives the caption the foot of the square.
            const square = Math.min(w, h / (1 + CAPTION_BAND));
            const [sw, sh] = fit(seal.width, seal.height, square, square);
            operators.push(...imageOps('Im1', (w - sw) / 2, h - square + (square - sh) / 2, sw, sh));
            const band = h - square;
            operators.push(...captionBlock(font, caption, 1, band - 1, w - 2, band - 2, 8));
          }
          return { operators, fonts: { F1: font }, images };
        },
      };
    case 'attachment':
      return {
        page: 1,
        // Top right of the first page, 10 pt text, clear of the usual 20 mm margin.
        rect: (pw, ph) => [pw - 57 - 230, ph - 28 - 42, 230, 42],
        async draw(doc, w, h) {
          const font = await embedSerifFont(doc);
          const lines = [`Ký bởi: ${spec.agencyName}`, `Kèm theo văn bản số: ${spec.mainNotation}`, time];
          return { operators: textBlock(font, lines, 2, h - 1, w - 4, 10), fonts: { F1: font }, images: {} };
        },
      };
  }
}
