// A tiny RGBA PNG encoder, so tests can make signature and seal images with transparency
// without committing image files.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose pixel (x, y) is `paint(x, y)` as [r, g, b, a]. */
export function makePng(width: number, height: number, paint: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    for (let x = 0; x < width; x++) raw.set(paint(x, y), row + 1 + x * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}

/** A blue stroke on a transparent background, like a scanned handwritten signature. */
export function signatureImage(): Uint8Array {
  return makePng(300, 120, (x, y) => (Math.abs(y - 60 - 30 * Math.sin(x / 25)) < 5 ? [20, 40, 200, 255] : [0, 0, 0, 0]));
}

/** A red ring on a transparent background, like an agency seal. */
export function sealImage(): Uint8Array {
  return makePng(160, 160, (x, y) => {
    const r = Math.hypot(x - 80, y - 80);
    return r > 60 && r < 75 ? [220, 20, 30, 255] : [0, 0, 0, 0];
  });
}
