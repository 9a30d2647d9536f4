// Fonts for PDFs written by eOffice. pdf-lib embeds fonts through a "fontkit" it is given; the
// fork it suggests (@pdf-lib/fontkit) drops composite glyphs when subsetting — the way most
// Vietnamese letters are built (base letter + marks) — so "Nguyễn Văn An" came out as "Ngu A".
// The maintained fontkit 2 subsets them correctly; this adapter gives it the shape pdf-lib
// expects (a subset with encodeStream() rather than encode()).
import { EventEmitter } from 'node:events';
import * as fontkit from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

function withStreamEncoding(subset: fontkit.Subset): unknown {
  return new Proxy(subset, {
    get(target, key) {
      if (key === 'encodeStream') {
        return () => {
          const stream = new EventEmitter();
          setImmediate(() => {
            try {
              stream.emit('data', target.encode());
              stream.emit('end');
            } catch (error) {
              stream.emit('error', error);
            }
          });
          return stream;
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// Parsing a font's tables (GSUB, GPOS…) costs more than laying out a page of text with it: the
// font is parsed once per font file and shared by every document that embeds it, each of which
// still gets its own subset. fontkit keeps each glyph object with the characters it was first
// made for (they become the PDF's ToUnicode map), so every document starts with an empty glyph
// cache: a glyph first met inside another document's "ạ" must not make this one's "a" unreadable.
const parsed = new WeakMap<Uint8Array, fontkit.Font>();

function freshGlyphs(font: fontkit.Font): fontkit.Font | null {
  const cache = font as unknown as { _glyphs?: unknown };
  if (typeof cache._glyphs !== 'object') return null; // a fontkit that keeps glyphs elsewhere: parse anew
  cache._glyphs = {};
  return font;
}

/** Pass to PDFDocument.registerFontkit. */
export const pdfLibFontkit: Fontkit = {
  create(bytes: Uint8Array) {
    let font = parsed.has(bytes) ? freshGlyphs(parsed.get(bytes)!) : null;
    if (!font) {
      font = fontkit.create(Buffer.from(bytes)) as fontkit.Font;
      parsed.set(bytes, font);
    }
    return new Proxy(font, {
      get(target, key) {
        if (key === 'createSubset') return () => withStreamEncoding(target.createSubset());
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as unknown as ReturnType<Fontkit['create']>;
  },
};
