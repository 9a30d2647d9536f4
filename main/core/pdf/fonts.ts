// Fonts for PDFs written by eOffice. pdf-lib embeds fonts through a "fontkit" it is given; the
// fork it suggests (@pdf-lib/fontkit) drops composite glyphs when subsetting — the way most
// Vietnamese letters are built (base letter + marks) — so "Nguyễn Văn An" came out as "Ngu A".
// The maintained fontkit 2 subsets them correctly; this adapter gives it the shape pdf-lib
// expects (a subset with encodeStream() rather than encode()).
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

/**
 * Subsets already encoded, by font and by their glyphs in order (the order gives the glyphs their
 * numbers in the PDF). A register's documents repeat their lines — the date of the day, the
 * agency's name, the signer's — and encoding a subset cost a tenth of issuing a document. The
 * newest 64 per font are kept.
 */
const encodedSubsets = new WeakMap<fontkit.Font, Map<string, Uint8Array>>();
const ENCODED_SUBSETS_KEPT = 64;

function encodeOnce(font: fontkit.Font, subset: fontkit.Subset): Uint8Array {
  const glyphs = (subset as unknown as { glyphs?: unknown }).glyphs;
  if (!Array.isArray(glyphs)) return subset.encode(); // a fontkit that keeps them elsewhere
  let kept = encodedSubsets.get(font);
  if (!kept) encodedSubsets.set(font, (kept = new Map()));
  const key = glyphs.join(',');
  let bytes = kept.get(key);
  if (!bytes) {
    bytes = subset.encode();
    kept.set(key, bytes);
    if (kept.size > ENCODED_SUBSETS_KEPT) kept.delete(kept.keys().next().value!);
  }
  return bytes.slice();
}

function withStreamEncoding(font: fontkit.Font, subset: fontkit.Subset): unknown {
  return new Proxy(subset, {
    get(target, key) {
      if (key === 'encodeStream') {
        return () => {
          const stream = new EventEmitter();
          setImmediate(() => {
            try {
              stream.emit('data', encodeOnce(font, target));
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
        if (key === 'createSubset') return () => withStreamEncoding(target, target.createSubset());
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as unknown as ReturnType<Fontkit['create']>;
  },
};

// Tinos: metric-compatible with Times New Roman (the typeface of Decree 30's documents) and it
// covers Vietnamese. Every PDF and chart eOffice draws uses these files from node_modules.
const require = createRequire(import.meta.url);
const TINOS_FILES = {
  regular: '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
  bold: '@expo-google-fonts/tinos/700Bold/Tinos_700Bold.ttf',
  italic: '@expo-google-fonts/tinos/400Regular_Italic/Tinos_400Regular_Italic.ttf',
} as const;
export type TinosStyle = keyof typeof TINOS_FILES;

export function tinosFontPath(style: TinosStyle): string {
  return require.resolve(TINOS_FILES[style]);
}

const tinosBytes = new Map<TinosStyle, Uint8Array>();
/** A Tinos file's bytes, read once per process: the same array each time, so its parse is cached too. */
export function tinosFontBytes(style: TinosStyle): Uint8Array {
  let bytes = tinosBytes.get(style);
  if (!bytes) {
    bytes = new Uint8Array(fs.readFileSync(tinosFontPath(style)));
    tinosBytes.set(style, bytes);
  }
  return bytes;
}
