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
export function sealRect(signerRect: Rect): Rect {
  const [x, y, w, h] = signerRect;
  const size = Math.min(113, Math.max(85, h * 1.15)); // a seal of 30–40 mm, as printed
  return [x + w / 3 - size, y + h / 2 - size / 2, size, size];
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
  return doc.embedFont(tinosFontBytes(italic ? 'italic' : 'regular'), { subset: true });
}

async function embedPng(doc: PDFDocument, bytes: Uint8Array, what: string) {
  try {
    return await doc.embedPng(bytes);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `The ${what} image is not a usable PNG (${(error as Error).message}).`);
  }
}

/** Text lines, shrunk until the longest fits the width; drawn top-down from `top`. */
function textBlock(font: PDFFont, lines: string[], x: number, top: number, width: number, maxSize: number): PDFOperator[] {
  let size = maxSize;
  while (size > 5 && lines.some((l) => font.widthOfTextAtSize(l, size) > width)) size -= 0.5;
  const ops: PDFOperator[] = [beginText(), setFontAndSize('F1', size), setFillingRgbColor(0, 0, 0)];
  let y = top - size;
  let lastX = 0;
  let lastY = 0;
  for (const line of lines) {
    ops.push(moveText(x - lastX, y - lastY), showText(font.encodeText(line)));
    lastX = x;
    lastY = y;
    y -= size * 1.2;
  }
  ops.push(endText());
  return ops;
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
          const lines = [`Ký bởi: ${spec.agencyName}`, time];
          // A square widget is the seal laid over the left third of the leader's signature image
          // (Appendix I): the seal fills it and the agency's name and time run small along its foot.
          const sealOnly = w - h < 60;
          if (spec.sealImage) {
            const seal = await embedPng(doc, spec.sealImage, 'seal');
            images.Im1 = seal;
            const [sw, sh] = fit(seal.width, seal.height, sealOnly ? w : w * 0.45, h);
            operators.push(...imageOps('Im1', sealOnly ? (w - sw) / 2 : 0, (h - sh) / 2, sw, sh));
            if (!sealOnly) {
              operators.push(...textBlock(font, lines, sw + 4, h / 2 + 12, w - sw - 6, 10));
              return { operators, fonts: { F1: font }, images };
            }
          }
          operators.push(...(sealOnly ? textBlock(font, lines, 1, 16, w - 2, 6.5) : textBlock(font, lines, 2, h / 2 + 12, w - 4, 10)));
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
