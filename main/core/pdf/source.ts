// Random access to the bytes of a PDF, from a file on disk or from memory, so that code which
// needs only part of a large file (its head and tail, its structure) reads only that part.
import fs from 'node:fs';

/** Random access to the bytes of a PDF: a file on disk, or bytes in memory. */
export interface PdfSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
  /** Feeds every byte, in order and in chunks, to `consume` (for hashing). */
  forEachChunk(consume: (chunk: Uint8Array) => void): void;
  /** Where the bytes come from, for the PDF worker to open the same source (openOrigin). */
  readonly origin: PdfSourceOrigin;
}

/**
 * A source described in plain data that can be posted to a worker thread: an open file (threads
 * share the process's file descriptors), bytes (copied), or one of these extended or cut short.
 */
export type PdfSourceOrigin =
  | { kind: 'file'; fd: number }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'appended'; base: PdfSourceOrigin; tail: Uint8Array }
  | { kind: 'prefix'; base: PdfSourceOrigin; end: number };

/** The source an origin describes. */
export function openOrigin(origin: PdfSourceOrigin): PdfSource {
  switch (origin.kind) {
    case 'file':
      return fileSource(origin.fd);
    case 'bytes':
      return bytesSource(origin.bytes);
    case 'appended':
      return appendedSource(openOrigin(origin.base), origin.tail);
    case 'prefix':
      return sourceUpTo(openOrigin(origin.base), origin.end);
  }
}

export function bytesSource(bytes: Uint8Array): PdfSource {
  return {
    origin: { kind: 'bytes', bytes },
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    forEachChunk: (consume) => consume(bytes),
  };
}

const CHUNK = 1 << 20;

/** A file read through one reused buffer, so that hashing a large file allocates nothing new. */
export function fileSource(fd: number): PdfSource {
  const size = fs.fstatSync(fd).size;
  const buffer = Buffer.allocUnsafe(CHUNK);
  return {
    origin: { kind: 'file', fd },
    size,
    read(offset, length) {
      const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < out.length) {
        const n = fs.readSync(fd, out, done, out.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return out.subarray(0, done);
    },
    forEachChunk(consume) {
      for (let offset = 0; offset < size; ) {
        const n = fs.readSync(fd, buffer, 0, Math.min(CHUNK, size - offset), offset);
        if (n === 0) break;
        consume(buffer.subarray(0, n));
        offset += n;
      }
    },
  };
}


/**
 * A source followed by bytes in memory: a stored file and the updates about to be appended to
 * it, read as the one file they will be once written.
 */
export function appendedSource(base: PdfSource, tail: Uint8Array): PdfSource {
  const size = base.size + tail.length;
  return {
    origin: { kind: 'appended', base: base.origin, tail },
    size,
    read(offset, length) {
      const end = Math.min(size, offset + length);
      if (offset >= base.size) return tail.subarray(offset - base.size, end - base.size);
      if (end <= base.size) return base.read(offset, end - offset);
      const out = new Uint8Array(end - offset);
      out.set(base.read(offset, base.size - offset), 0);
      out.set(tail.subarray(0, end - base.size), base.size - offset);
      return out;
    },
    forEachChunk(consume) {
      base.forEachChunk(consume);
      consume(tail);
    },
  };
}

/** The file as it was when `end` was its last byte: an earlier revision, read in place. */
export function sourceUpTo(source: PdfSource, end: number): PdfSource {
  return {
    origin: { kind: 'prefix', base: source.origin, end },
    size: end,
    read: (offset, length) => (offset >= end ? new Uint8Array(0) : source.read(offset, Math.min(length, end - offset))),
    forEachChunk(consume) {
      for (let offset = 0; offset < end; ) {
        const chunk = source.read(offset, Math.min(1 << 20, end - offset));
        if (chunk.length === 0) break;
        consume(chunk);
        offset += chunk.length;
      }
    },
  };
}
