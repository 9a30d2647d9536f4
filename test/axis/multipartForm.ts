// Reads a multipart/form-data request body (RFC 7578, framed as RFC 2046 says) as it arrives,
// and writes the one file part asked for to disk: a package of hundreds of megabytes never sits in
// memory. What is held at any time is one chunk, the few bytes that may be the start of a
// delimiter, and at most one part's header block; the other parts are counted and dropped.
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** A body that is not the form it claims to be, or not one this axis takes. */
export class FormError extends Error {}

/** Part headers are a line or two; a block this long is not a form's. */
const MAX_HEADER_BLOCK = 16 * 1024;
/** Text fields beside the file (none are read) and the preamble before the first boundary. */
const MAX_OTHER_BYTES = 1024 * 1024;
/** RFC 2046: optional spaces or tabs after a boundary, before its CRLF. */
const MAX_TRANSPORT_PADDING = 256;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const DASHES = Buffer.from('--');

/** The boundary of a multipart/form-data Content-Type; null for any other type. */
export function formBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2] ?? '';
  // RFC 2046: 1 to 70 characters, not ending in a space.
  if (boundary === '' || boundary.length > 70 || boundary.endsWith(' ')) throw new FormError('multipart/form-data needs a boundary of 1 to 70 characters');
  return boundary;
}

/** The field name of a part's Content-Disposition: form-data header; null when the part has none. */
function fieldName(headerBlock: string): string | null {
  for (const line of headerBlock.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const value = line.slice(colon + 1);
    if (!/^\s*form-data\s*(;|$)/i.test(value)) throw new FormError(`a part's Content-Disposition is not form-data: ${value.trim().slice(0, 100)}`);
    // "name=" only where a parameter starts, so that filename= is not taken for it.
    const name = /;\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(value);
    return name ? (name[1] ?? name[2]!).replace(/\\(.)/g, '$1') : null;
  }
  return null;
}

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'epilogue';

/**
 * Streams `source` (the request) and writes the part named `field` to `target` (created or
 * truncated), hashing it on the way. Refuses with FormError a body that does not end with the
 * closing boundary, that has no such part or has it twice, or whose header blocks, other parts or
 * preamble exceed their bounds. The file is written but not synced: the caller decides whether
 * to keep it.
 */
export async function receiveFormFile(source: AsyncIterable<Buffer>, boundary: string, field: string, target: string): Promise<{ sha256: string; size: number }> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The body may begin with the boundary itself: a CRLF in front lets one search find the first delimiter too.
  let pending: Buffer = Buffer.from(CRLF);
  let state = 'preamble' as State;
  let otherBytes = 0;
  let inFilePart = false;
  let found = false;
  const hash = createHash('sha256');
  let size = 0;
  const file = await fs.promises.open(target, 'w');

  const countOther = (n: number) => {
    otherBytes += n;
    if (otherBytes > MAX_OTHER_BYTES) throw new FormError(`the form holds more than ${MAX_OTHER_BYTES} bytes besides the "${field}" part`);
  };
  const emit = async (bytes: Buffer) => {
    if (bytes.length === 0) return;
    if (!inFilePart) return countOther(bytes.length);
    hash.update(bytes);
    size += bytes.length;
    await file.write(bytes);
  };

  /** Takes what can be taken from `pending`; false when more input is needed. */
  const step = async (): Promise<boolean> => {
    switch (state) {
      case 'preamble':
      case 'body': {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          // Everything but a tail that may be the start of a delimiter split across chunks.
          const safe = Math.max(0, pending.length - (delimiter.length - 1));
          if (state === 'body') await emit(pending.subarray(0, safe));
          else countOther(safe);
          pending = pending.subarray(safe);
          return false;
        }
        if (state === 'body') {
          await emit(pending.subarray(0, at));
          inFilePart = false;
        } else countOther(at);
        pending = pending.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (pending.length < 2) return false;
        if (pending.subarray(0, 2).equals(DASHES)) {
          state = 'epilogue';
          return true;
        }
        let i = 0;
        while (i < pending.length && (pending[i] === 0x20 || pending[i] === 0x09)) i++;
        if (i > MAX_TRANSPORT_PADDING) throw new FormError('a boundary line is followed by too much padding');
        if (pending.length < i + 2) return false;
        if (!pending.subarray(i, i + 2).equals(CRLF)) throw new FormError('a boundary line does not end with CRLF');
        // The CRLF stays: the header block is then "\r\n<headers>\r\n\r\n", or "\r\n\r\n" when empty.
        pending = pending.subarray(i);
        state = 'headers';
        return true;
      }
      case 'headers': {
        const end = pending.indexOf(HEADER_END);
        if (end < 0) {
          if (pending.length > MAX_HEADER_BLOCK) throw new FormError(`a part's headers are longer than ${MAX_HEADER_BLOCK} bytes`);
          return false;
        }
        if (end > MAX_HEADER_BLOCK) throw new FormError(`a part's headers are longer than ${MAX_HEADER_BLOCK} bytes`);
        const name = fieldName(pending.subarray(CRLF.length, end).toString('latin1'));
        pending = pending.subarray(end + HEADER_END.length);
        if (name === field) {
          if (found) throw new FormError(`the form has more than one "${field}" part`);
          found = true;
          inFilePart = true;
        }
        state = 'body';
        return true;
      }
      case 'epilogue':
        // After the closing boundary nothing counts; it is read only so that the request ends.
        pending = Buffer.alloc(0);
        return false;
    }
  };

  try {
    for await (const chunk of source) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (await step());
    }
    if (state !== 'epilogue') throw new FormError('the form ends before its closing boundary');
    if (!found) throw new FormError(`the form has no "${field}" part`);
  } finally {
    await file.close();
  }
  return { sha256: hash.digest('hex'), size };
}
