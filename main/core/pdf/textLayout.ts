// Text laid out for pdf-lib pages: composed so that Vietnamese marks sit on their letters, measured
// word by word with the widths cached (a register's thousands of rows reuse the same words), and
// wrapped to a width, a word wider than the width cut between letters.
import type { PDFFont } from 'pdf-lib';

/**
 * Cell text as the font can draw it. Tinos has precomposed Vietnamese letters, and pdf-lib keeps
 * glyph advances but drops the font's mark positioning, so decomposed input (NFD, common from
 * macOS and some Vietnamese keyboards) would print its tone marks beside the letters.
 */
export function drawableText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/g, ' ');
}

/**
 * An embedded font with its words' widths and glyph codes cached. Lines are made of words joined
 * by single spaces, so a line's width and code are sums of its words'. Kerning across a space is
 * lost, as it is anyway: pdf-lib writes glyph codes without the font's positioning.
 */
export class Typeface {
  private readonly unitWidths = new Map<string, number>();
  private readonly codes = new Map<string, string>();
  private spaceCode: string | undefined;

  constructor(readonly font: PDFFont) {}

  wordWidth(word: string, size: number): number {
    let width = this.unitWidths.get(word);
    if (width === undefined) {
      width = this.font.widthOfTextAtSize(word, 1);
      this.unitWidths.set(word, width);
    }
    return width * size;
  }

  lineWidth(line: string, size: number): number {
    const words = line.split(' ');
    let width = this.wordWidth(' ', size) * (words.length - 1);
    for (const word of words) width += this.wordWidth(word, size);
    return width;
  }

  /** The line as hex glyph codes for a Tj operator (Identity-H: two bytes per glyph). */
  hex(line: string): string {
    return line
      .split(' ')
      .map((word) => {
        let code = this.codes.get(word);
        if (code === undefined) {
          // encodeText also records the glyphs in the subset that is embedded on save.
          code = this.font.encodeText(word).asString();
          this.codes.set(word, code);
        }
        return code;
      })
      .join((this.spaceCode ??= this.font.encodeText(' ').asString()));
  }
}

/** Breaks text into lines no wider than a width, measuring word by word. */
export function wrapText(face: Typeface, size: number, text: string, maxWidth: number): string[] {
  const out: string[] = [];
  const spaceWidth = face.wordWidth(' ', size);
  for (const paragraph of drawableText(text).split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/[\s\u00a0]+/)) {
      if (word === '') continue;
      const wordWidth = face.wordWidth(word, size);
      if (line !== '' && lineWidth + spaceWidth + wordWidth <= maxWidth) {
        line += ' ' + word;
        lineWidth += spaceWidth + wordWidth;
        continue;
      }
      if (line !== '') out.push(line);
      if (wordWidth <= maxWidth) {
        line = word;
        lineWidth = wordWidth;
      } else {
        const pieces = splitLongWord(face, size, word, maxWidth);
        out.push(...pieces.slice(0, -1));
        line = pieces[pieces.length - 1] ?? '';
        lineWidth = face.wordWidth(line, size);
      }
    }
    out.push(line);
  }
  // Blank lines left at the end only make the row taller.
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** A word wider than the cell (a URL, a long code) is cut between characters rather than overflow. */
function splitLongWord(face: Typeface, size: number, word: string, maxWidth: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let pieceWidth = 0;
  for (const char of word) {
    const charWidth = face.wordWidth(char, size);
    if (piece !== '' && pieceWidth + charWidth > maxWidth) {
      pieces.push(piece);
      piece = '';
      pieceWidth = 0;
    }
    piece += char;
    pieceWidth += charWidth;
  }
  pieces.push(piece);
  return pieces;
}
