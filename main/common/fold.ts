// Folding for accent-insensitive search in Vietnamese.
// Unicode decomposition strips the tone and vowel marks (ế → e) but leaves "đ" alone, because
// đ is a letter of its own, not d plus a mark; clerks still type "d" for it, so it is mapped by hand.
// Folding works per code point and keeps the string's length in UTF-16 units for every
// Vietnamese letter, so a position in the folded text is the same position in the original
// (once that original is in NFC, the form the registry stores).

const COMBINING_MARKS = /[\u0300-\u036f]/g;

const cache = new Map<string, string>();

function foldChar(ch: string): string {
  const cached = cache.get(ch);
  if (cached !== undefined) return cached;
  let out: string;
  if (ch === 'đ' || ch === 'Đ' || ch === 'ð' || ch === 'Ð') out = 'd';
  else {
    const base = ch.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
    // Keep the length: a character that does not fold to exactly one unit stays as it is.
    out = base.length === ch.length ? base : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
  }
  if (cache.size < 4096) cache.set(ch, out);
  return out;
}

/** Folds accents, đ and case. Positions match those of `text.normalize('NFC')`. */
export function foldVietnamese(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.charCodeAt(0);
    // ASCII fast path: most of a document is ASCII once accents are stripped.
    if (code < 0x80) out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
    else out += foldChar(ch);
  }
  return out;
}

/**
 * A person's or an agency's name as names are compared (a certificate's holder against the
 * declared signer or the agency): accents, đ and case folded, runs of spaces made one.
 */
export function comparableName(name: string): string {
  return foldVietnamese(name).replace(/\s+/g, ' ').trim();
}
