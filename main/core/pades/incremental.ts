// Incremental updates (ISO 32000-1 §7.5.6): new and changed objects are appended after the
// last %%EOF with a cross-reference section of their own that points back (/Prev) to the one
// before. The bytes before are never touched, so every earlier revision, and every signature
// over it, stays exactly as it was. pdf-lib reads the document; it never writes it (its save()
// rewrites the whole file).
import type { PDFObject } from 'pdf-lib';

export interface TrailerFacts {
  /** Offset of the last cross-reference section (the last startxref value). */
  startxref: number;
  /** The last section is a cross-reference stream (PDF 1.5+) rather than a classic table. */
  xrefStream: boolean;
  size: number;
  /** PDF text of these trailer entries, copied into the new trailer. */
  root: string;
  info: string | null;
  id: string | null;
}

export interface NewObject {
  num: number;
  /** Generation number: 0 for new objects; an updated object keeps the one it had. */
  gen?: number;
  /** The object's body: a pdf-lib object, or raw bytes already serialized (with placeholders). */
  body: PDFObject | Uint8Array;
}

function serialize(body: PDFObject | Uint8Array): Uint8Array {
  if (body instanceof Uint8Array) return body;
  const out = new Uint8Array(body.sizeInBytes());
  body.copyBytesInto(out, 0);
  return out;
}

const encoder = new TextEncoder();

/**
 * The bytes to append to the original so that the objects become its next revision. Object
 * offsets count from the original's size; the caller writes original + result.
 */
export function incrementalSection(original: { size: number; lastByte: number }, trailer: TrailerFacts, objects: NewObject[]): { bytes: Uint8Array; objectOffsets: Map<number, number> } {
  const parts: Uint8Array[] = [];
  let offset = original.size;
  const push = (chunk: Uint8Array) => {
    parts.push(chunk);
    offset += chunk.length;
  };
  // A file may end without a newline after %%EOF; the next revision must start on a new line.
  if (original.lastByte !== 0x0a && original.lastByte !== 0x0d) push(encoder.encode('\n'));
  const objectOffsets = new Map<number, number>();
  const sorted = [...objects].sort((a, b) => a.num - b.num);
  const genOf = new Map(sorted.map((o) => [o.num, o.gen ?? 0]));
  for (const object of sorted) {
    objectOffsets.set(object.num, offset);
    push(encoder.encode(`${object.num} ${object.gen ?? 0} obj\n`));
    push(serialize(object.body));
    push(encoder.encode('\nendobj\n'));
  }
  const size = Math.max(trailer.size, ...sorted.map((o) => o.num + 1));
  const common = `/Size ${size} /Root ${trailer.root}${trailer.info ? ` /Info ${trailer.info}` : ''}${trailer.id ? ` /ID ${trailer.id}` : ''} /Prev ${trailer.startxref}`;
  const xrefAt = offset;
  if (!trailer.xrefStream) {
    let table = 'xref\n';
    for (const run of runs(sorted.map((o) => o.num))) {
      table += `${run[0]} ${run.length}\n`;
      for (const num of run) table += `${String(objectOffsets.get(num)).padStart(10, '0')} ${String(genOf.get(num) ?? 0).padStart(5, '0')} n\r\n`;
    }
    push(encoder.encode(`${table}trailer\n<< ${common} >>\nstartxref\n${xrefAt}\n%%EOF\n`));
  } else {
    // A file whose last section is a cross-reference stream gets one too: W [1 4 2], uncompressed,
    // listing the new objects and the stream itself.
    const streamNum = size;
    const nums = [...sorted.map((o) => o.num), streamNum];
    const rows = new Uint8Array(nums.length * 7);
    nums.forEach((num, i) => {
      const at = num === streamNum ? xrefAt : objectOffsets.get(num)!;
      rows[i * 7] = 1;
      rows[i * 7 + 1] = (at >>> 24) & 0xff;
      rows[i * 7 + 2] = (at >>> 16) & 0xff;
      rows[i * 7 + 3] = (at >>> 8) & 0xff;
      rows[i * 7 + 4] = at & 0xff;
      const gen = genOf.get(num) ?? 0;
      rows[i * 7 + 5] = (gen >>> 8) & 0xff;
      rows[i * 7 + 6] = gen & 0xff;
    });
    const index = runs(nums)
      .map((r) => `${r[0]} ${r.length}`)
      .join(' ');
    const streamCommon = common.replace(`/Size ${size}`, `/Size ${size + 1}`);
    push(encoder.encode(`${streamNum} 0 obj\n<< /Type /XRef ${streamCommon} /W [1 4 2] /Index [${index}] /Length ${rows.length} >>\nstream\n`));
    push(rows);
    push(encoder.encode(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`));
  }
  const bytes = new Uint8Array(offset - original.size);
  let at = 0;
  for (const part of parts) (bytes.set(part, at), (at += part.length));
  return { bytes, objectOffsets };
}

/** Consecutive runs of sorted object numbers, one xref subsection each. */
function runs(sortedNums: number[]): number[][] {
  const out: number[][] = [];
  for (const num of sortedNums) {
    const current = out.at(-1);
    if (current && current.at(-1)! + 1 === num) current.push(num);
    else out.push([num]);
  }
  return out;
}
