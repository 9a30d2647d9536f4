// XroadVnpt request signing, as the national axis SDK does it, shared by the VXP adapter (which
// signs) and the reference axis server in test/axis (which checks). Every signed header travels
// twice, plain and as `XroadVnpt-<name>`; the JSON of the XroadVnpt pairs is what the HMAC covers,
// so a checker must also make sure that JSON says what the headers say.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type HexStyle = 'sdk' | 'standard';

export const XROAD_PREFIX = 'XroadVnpt-';
export const SIGN_HEADER_KEY = 'XroadVnpt-sign-header-key';
export const SIGN_HEADER = 'XroadVnpt-sign-header';
export const HASH_HEADER = 'XroadVnpt-hash-header';

/** Commune PCs' clocks drift; a quarter of an hour still refuses a replay of yesterday's request. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60_000;

/**
 * The SDK writes each byte with Integer.toHexString-style formatting, which drops the leading zero
 * (0x0a → "a"); the axis compares against that, so a client must write the same.
 */
export function encodeHex(bytes: Uint8Array, style: HexStyle): string {
  if (style === 'standard') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  let text = '';
  for (const byte of bytes) text += byte.toString(16);
  return text;
}

export function hmacHex(secret: string, message: string, style: HexStyle): string {
  return encodeHex(createHmac('sha256', secret).update(message, 'utf8').digest(), style);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export interface SignOptions {
  systemId: string;
  secret: string;
  hexStyle?: HexStyle;
  /** Epoch milliseconds; tests pass a fixed or skewed clock. */
  now?: number;
}

/**
 * The headers to send: `systemid`, `timestamp` and the call's own headers, each again as
 * `XroadVnpt-<name>`, the list of signed names, their JSON, and its HMAC. Throws when a value is
 * not printable ASCII, because HTTP header values are bytes and the axis would read them differently.
 */
export function signRequestHeaders(callHeaders: Record<string, string>, options: SignOptions): Record<string, string> {
  const plain: Record<string, string> = { systemid: options.systemId, timestamp: String(options.now ?? Date.now()), ...callHeaders };
  const signed: Record<string, string> = {};
  for (const [name, value] of Object.entries(plain)) {
    if (!PRINTABLE_ASCII.test(value)) throw new Error(`The "${name}" header must be plain ASCII text, but it is "${value}"; agency codes and document ids are ASCII, so check the value configured or received.`);
    signed[XROAD_PREFIX + name] = value;
  }
  const json = JSON.stringify(signed);
  return {
    ...plain,
    ...signed,
    [SIGN_HEADER_KEY]: Object.keys(signed).join(';'),
    [SIGN_HEADER]: json,
    [HASH_HEADER]: hmacHex(options.secret, json, options.hexStyle ?? 'sdk'),
  };
}

export type VerifyResult =
  | {
      ok: true;
      systemId: string;
      /** Only the headers the HMAC covers, by lower-case plain name (`docid`, `to`, …). */
      signedHeaders: Record<string, string>;
    }
  | { ok: false; reason: string };

export interface VerifyOptions {
  maxSkewMs?: number;
  hexStyle?: HexStyle;
  now?: number;
}

type ReceivedHeaders = Record<string, string | string[] | undefined>;

function single(headers: ReceivedHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? undefined : value;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks received headers (Node's lower-cased names) against the secret of the claimed system. */
export function verifySignedHeaders(headers: ReceivedHeaders, lookupSecret: (systemId: string) => string | undefined, options: VerifyOptions = {}): VerifyResult {
  const systemId = single(headers, 'systemid');
  const keyList = single(headers, SIGN_HEADER_KEY);
  const json = single(headers, SIGN_HEADER);
  const hash = single(headers, HASH_HEADER);
  if (!systemId || !keyList || !json || !hash) return { ok: false, reason: 'missing systemid or XroadVnpt signature headers' };
  const secret = lookupSecret(systemId);
  if (secret === undefined) return { ok: false, reason: `unknown systemid "${systemId}"` };
  if (!sameText(hmacHex(secret, json, options.hexStyle ?? 'sdk'), hash)) return { ok: false, reason: 'XroadVnpt-hash-header does not match the signed headers' };

  let pairs: unknown;
  try {
    pairs = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'XroadVnpt-sign-header is not JSON' };
  }
  if (typeof pairs !== 'object' || pairs === null || Array.isArray(pairs)) return { ok: false, reason: 'XroadVnpt-sign-header is not a JSON object' };
  const names = Object.keys(pairs);
  if (names.join(';') !== keyList) return { ok: false, reason: 'XroadVnpt-sign-header-key does not list the signed headers' };

  const signedHeaders: Record<string, string> = {};
  for (const name of names) {
    const value = (pairs as Record<string, unknown>)[name];
    if (typeof value !== 'string' || !name.startsWith(XROAD_PREFIX)) return { ok: false, reason: `signed header "${name}" is not an XroadVnpt string pair` };
    const plainName = name.slice(XROAD_PREFIX.length).toLowerCase();
    // The HMAC covers the JSON only; the headers the server acts on must say the same thing.
    if (single(headers, name) !== value || single(headers, plainName) !== value) return { ok: false, reason: `header "${plainName}" differs from its signed value` };
    signedHeaders[plainName] = value;
  }
  if (signedHeaders['systemid'] !== systemId) return { ok: false, reason: 'systemid is not signed' };
  const timestamp = Number(signedHeaders['timestamp']);
  if (!Number.isFinite(timestamp)) return { ok: false, reason: 'timestamp is missing or not epoch milliseconds' };
  const skew = Math.abs((options.now ?? Date.now()) - timestamp);
  if (skew > (options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) return { ok: false, reason: `timestamp is ${Math.round(skew / 1000)} s away from the server's clock` };
  return { ok: true, systemId, signedHeaders };
}
