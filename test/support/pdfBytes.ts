import type { PdfSource } from '../../main/core/pdf/source.js';

/** A PDF source's bytes in one array, for tests that flip a byte or compare whole files. */
export function bytesOf(source: PdfSource): Uint8Array {
  const out = new Uint8Array(source.size);
  let at = 0;
  source.forEachChunk((chunk) => {
    out.set(chunk, at);
    at += chunk.length;
  });
  return out;
}
