// The streams pdf-lib compresses for the PDFs eOffice writes — a font subset and its ToUnicode
// map at each signature and each filled field, a PNG's pixels — compressed by Node's zlib instead
// of pdf-lib's JavaScript deflate, and each content compressed once per process. A register's
// documents print the same lines, so the same subsets come back at every document: compressing
// them cost a twentieth of issuing one (issue 19).
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { PDFContext } from 'pdf-lib';

const DEFLATED_KEPT = 64;
const deflated = new Map<string, Uint8Array>();

/** The zlib stream of `bytes`, the same array for the same content (the streams that hold it never change it). */
export function deflateOnce(bytes: Uint8Array): Uint8Array {
  const key = createHash('sha256').update(bytes).digest('base64');
  let packed = deflated.get(key);
  if (!packed) {
    const out = deflateSync(bytes);
    packed = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    deflated.set(key, packed);
    if (deflated.size > DEFLATED_KEPT) deflated.delete(deflated.keys().next().value!);
  }
  return packed;
}

/** Makes `context.flateStream` (what pdf-lib's embedders call) compress through deflateOnce. */
export function useDeflateOnce(context: PDFContext): void {
  context.flateStream = (contents, dict = {}) =>
    // A string is taken a byte per character, as pdf-lib takes it.
    context.stream(deflateOnce(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents), { ...dict, Filter: 'FlateDecode' });
}
