// JSON for the web transport. Electron IPC carries Uint8Array natively (structured clone);
// JSON cannot, so byte fields travel as {"$bytes": "<base64>"} and are revived on the other side.
// Both sides use this one codec, so a contract with binary fields works over either transport.

const BYTES_KEY = '$bytes';

// Node's Buffer encodes base64 natively and fast; browsers fall back to btoa/atob. Looked up on
// globalThis so that this file type-checks without Node's types in the renderer.
interface NodeBufferLike {
  from(data: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string };
  from(text: string, encoding: 'base64'): Uint8Array;
}
const NodeBuffer = (globalThis as { Buffer?: NodeBufferLike }).Buffer;

function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  const chunk = 0x8000; // String.fromCharCode takes its arguments on the stack
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64'));
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    // JSON.stringify hands Buffers to replacers already converted; catch them as the raw holder value.
    return v instanceof Uint8Array ? { [BYTES_KEY]: toBase64(v) } : v;
  });
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === BYTES_KEY && typeof (v as Record<string, unknown>)[BYTES_KEY] === 'string') {
        return fromBase64((v as Record<string, string>)[BYTES_KEY]!);
      }
    }
    return v;
  });
}
