// XroadVnpt request signing, as the national axis SDK (SDKVXP 2.0.1: VnptService,
// KnobstickServiceImp) does it, shared by the VXP adapter (which signs) and the reference axis
// server in test/axis (which checks). Every signed header travels again as `XroadVnpt-<name>`; the
// JSON of those pairs is what the HMAC covers, so a checker verifies that JSON exactly as sent and
// makes sure it says what the headers say. ../../../../shared/domain.md, "The axis API", has the
// details; the older form eOffice sent before ('legacy') stays available for platforms built on it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How a digest is written: two digits a byte, or the older SDK's Integer.toHexString per byte (0x0a → "a"). */
export type HexStyle = 'standard' | 'dropped-zeros';

/**
 * sdk-2.0.1: what the SDK sends — a Vietnam-time `timestamp` (ddMMyyyy'T'HHmmss+SSSS), the plain
 * names in the key list, Content-Type signed, the pairs in a Java HashMap's order, `hash-file`
 * with dropped zeros. legacy: what eOffice sent before — epoch milliseconds, `XroadVnpt-`-prefixed
 * names in the key list, Content-Type unsigned, insertion order, `hash-file` in standard hex.
 */
export type SigningStyle = 'sdk-2.0.1' | 'legacy';

export const XROAD_PREFIX = 'XroadVnpt-';
export const SIGN_HEADER_KEY = 'XroadVnpt-sign-header-key';
export const SIGN_HEADER = 'XroadVnpt-sign-header';
export const HASH_HEADER = 'XroadVnpt-hash-header';
/** The SDK identifies itself so; an axis may log or route by it. */
export const SDK_USER_AGENT = 'JAVASDKAgent/1.0.0 XRoad/VPCP';
export const SDK_VERSION_HEADER = 'XroadVnpt-version';
export const SDK_VERSION = '3.0.201608';

/** Commune PCs' clocks drift; a quarter of an hour still refuses a replay of yesterday's request. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60_000;
/** The axis is in Vietnam, UTC+07:00 all year; the SDK formats the time in the server's zone. */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

export function encodeHex(bytes: Uint8Array, style: HexStyle): string {
  if (style === 'standard') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  let text = '';
  for (const byte of bytes) text += byte.toString(16);
  return text;
}

function hmac(secret: string, message: string): Buffer {
  return createHmac('sha256', secret).update(message, 'utf8').digest();
}

export function hmacHex(secret: string, message: string, style: HexStyle): string {
  return encodeHex(hmac(secret, message), style);
}

/** `hash-file` for a body whose SHA-256 is `sha256Hex` (standard hex), as each signing style writes it. */
export function hashFileHeader(sha256Hex: string, signing: SigningStyle): string {
  return signing === 'sdk-2.0.1' ? encodeHex(Buffer.from(sha256Hex, 'hex'), 'dropped-zeros') : sha256Hex;
}

/** Whether a received `hash-file` names this SHA-256, in either way of writing it. */
export function hashFileMatches(sent: string, sha256Hex: string): boolean {
  const text = sent.trim().toLowerCase();
  return text === sha256Hex || text === hashFileHeader(sha256Hex, 'sdk-2.0.1');
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The `timestamp` header. The SDK's SimpleDateFormat("ddMMyyyy'T'HHmmss+SSSS") writes the
 * milliseconds after the "+", padded to four digits; it is written in Vietnam time whatever the
 * zone of the machine, since the axis reads it so.
 */
export function xroadTimestamp(epochMs: number, signing: SigningStyle): string {
  if (signing === 'legacy') return String(epochMs);
  const t = new Date(epochMs + VIETNAM_OFFSET_MS);
  return `${two(t.getUTCDate())}${two(t.getUTCMonth() + 1)}${t.getUTCFullYear()}T${two(t.getUTCHours())}${two(t.getUTCMinutes())}${two(t.getUTCSeconds())}+${String(t.getUTCMilliseconds()).padStart(4, '0')}`;
}

const SDK_TIMESTAMP = /^(\d{2})(\d{2})(\d{4})T(\d{2})(\d{2})(\d{2})\+(\d{4})$/;

/** Epoch milliseconds of a `timestamp` in the SDK's form (read as +07:00) or in epoch milliseconds; null otherwise. */
export function parseXroadTimestamp(text: string): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const m = SDK_TIMESTAMP.exec(text);
  if (!m) return null;
  const [day, month, year, hour, minute, second, millis] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59 || millis > 999) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return local - VIETNAM_OFFSET_MS;
}

/** java.lang.String.hashCode over UTF-16 units, in 32-bit arithmetic. */
function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The order a java.util.HashMap (default capacity 16, load factor 0.75) iterates keys put in
 * `putOrder`: the SDK walks its HashMap of headers to write the key list and the JSON, so this is
 * the order a real client sends. An axis checks the JSON as sent, but one that rebuilt it the
 * SDK's way would only agree with this order. Buckets by the spread hash (h ^ h >>> 16), a key at
 * the end of its bucket, a key put again keeps its place, the table doubling past 0.75 full with
 * each bucket split in order. (Tree bins need 8 keys in one bucket of a 64-slot table: never here.)
 */
export function javaHashMapOrder(putOrder: readonly string[]): string[] {
  let capacity = 16;
  let buckets: string[][] = Array.from({ length: capacity }, () => []);
  const spread = (key: string) => {
    const h = javaStringHashCode(key);
    return h ^ (h >>> 16);
  };
  let size = 0;
  for (const key of putOrder) {
    const bucket = buckets[(capacity - 1) & spread(key)]!;
    if (bucket.includes(key)) continue;
    bucket.push(key);
    if (++size <= capacity * 0.75) continue;
    const old = buckets;
    const oldCapacity = capacity;
    capacity *= 2;
    buckets = Array.from({ length: capacity }, () => []);
    old.forEach((list, index) => {
      for (const k of list) buckets[(spread(k) & oldCapacity) === 0 ? index : index + oldCapacity]!.push(k);
    });
  }
  return buckets.flat();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export interface SignOptions {
  systemId: string;
  secret: string;
  /** The body's media type; signed in the SDK's style, sent unsigned in the legacy one. */
  contentType: string;
  signing?: SigningStyle;
  /** How the HMAC is written; the SDK 2.0.1 writes standard hex, an older SDK dropped zeros. */
  hmacHex?: HexStyle;
  /** Epoch milliseconds; tests pass a fixed or skewed clock. */
  now?: number;
}

/**
 * The headers to send: `systemid`, `timestamp` and the call's own headers (and, in the SDK's style,
 * `Content-Type`), each again as `XroadVnpt-<name>`, the list of signed names, their JSON, its HMAC,
 * and the SDK's User-Agent and version. Throws when a value is not printable ASCII, because HTTP
 * header values are bytes and the axis would read them differently.
 */
export function signRequestHeaders(callHeaders: Record<string, string>, options: SignOptions): Record<string, string> {
  const signing = options.signing ?? 'sdk-2.0.1';
  const timestamp = xroadTimestamp(options.now ?? Date.now(), signing);
  // Put in the order the SDK puts them into its HashMap; it only matters for names sharing a bucket.
  const plain: Record<string, string> =
    signing === 'sdk-2.0.1'
      ? { timestamp, systemid: options.systemId, 'Content-Type': options.contentType, ...callHeaders }
      : { systemid: options.systemId, timestamp, ...callHeaders };
  const names = signing === 'sdk-2.0.1' ? javaHashMapOrder(Object.keys(plain)) : Object.keys(plain);
  const signed: Record<string, string> = {};
  for (const name of names) {
    const value = plain[name]!;
    if (!PRINTABLE_ASCII.test(value)) throw new Error(`The "${name}" header must be plain ASCII text, but it is "${value}"; agency codes and document ids are ASCII, so check the value configured or received.`);
    signed[XROAD_PREFIX + name] = value;
  }
  const json = JSON.stringify(signed);
  return {
    'Content-Type': options.contentType,
    ...plain,
    ...signed,
    [SIGN_HEADER_KEY]: (signing === 'sdk-2.0.1' ? names : Object.keys(signed)).join(';'),
    [SIGN_HEADER]: json,
    [HASH_HEADER]: hmacHex(options.secret, json, options.hmacHex ?? 'standard'),
    'User-Agent': SDK_USER_AGENT,
    [SDK_VERSION_HEADER]: SDK_VERSION,
  };
}

export type VerifyResult =
  | {
      ok: true;
      systemId: string;
      /** Only the headers the HMAC covers, by lower-case plain name (`docid`, `to`, `content-type`, …). */
      signedHeaders: Record<string, string>;
    }
  | { ok: false; reason: string };

export interface VerifyOptions {
  maxSkewMs?: number;
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

/**
 * Checks received headers (Node's lower-cased names) against the secret of the claimed system.
 * Accepts the SDK 2.0.1's form and the older ones: either timestamp form, either key list form,
 * the HMAC in either hex style. The plain copy of a signed header is optional (the SDK sends only
 * Content-Type plainly) but must agree when present; only signed values are returned.
 */
export function verifySignedHeaders(headers: ReceivedHeaders, lookupSecret: (systemId: string) => string | undefined, options: VerifyOptions = {}): VerifyResult {
  const systemId = single(headers, `${XROAD_PREFIX}systemid`) ?? single(headers, 'systemid');
  const keyList = single(headers, SIGN_HEADER_KEY);
  const json = single(headers, SIGN_HEADER);
  const hash = single(headers, HASH_HEADER);
  if (!systemId || !keyList || !json || !hash) return { ok: false, reason: 'missing systemid or XroadVnpt signature headers' };
  const secret = lookupSecret(systemId);
  if (secret === undefined) return { ok: false, reason: `unknown systemid "${systemId}"` };
  const digest = hmac(secret, json);
  const sent = hash.toLowerCase();
  if (!sameText(encodeHex(digest, 'standard'), sent) && !sameText(encodeHex(digest, 'dropped-zeros'), sent)) {
    return { ok: false, reason: 'XroadVnpt-hash-header does not match the signed headers' };
  }

  let pairs: unknown;
  try {
    pairs = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'XroadVnpt-sign-header is not JSON' };
  }
  if (typeof pairs !== 'object' || pairs === null || Array.isArray(pairs)) return { ok: false, reason: 'XroadVnpt-sign-header is not a JSON object' };
  const names = Object.keys(pairs);
  if (!names.every((name) => name.startsWith(XROAD_PREFIX))) return { ok: false, reason: 'XroadVnpt-sign-header holds a name without the XroadVnpt- prefix' };
  const plainNames = names.map((name) => name.slice(XROAD_PREFIX.length));
  // The SDK lists the plain names; eOffice's older form listed the prefixed ones. Either way, in the JSON's order.
  if (keyList !== plainNames.join(';') && keyList !== names.join(';')) return { ok: false, reason: 'XroadVnpt-sign-header-key does not list the signed headers' };

  const signedHeaders: Record<string, string> = {};
  for (const [index, name] of names.entries()) {
    const value = (pairs as Record<string, unknown>)[name];
    if (typeof value !== 'string') return { ok: false, reason: `signed header "${name}" is not a string` };
    const plainName = plainNames[index]!.toLowerCase();
    // The HMAC covers the JSON only; the headers sent beside it must say the same thing.
    const plainCopy = single(headers, plainName);
    if (single(headers, name) !== value || (plainCopy !== undefined && plainCopy !== value)) return { ok: false, reason: `header "${plainName}" differs from its signed value` };
    signedHeaders[plainName] = value;
  }
  if (signedHeaders['systemid'] !== systemId) return { ok: false, reason: 'systemid is not signed' };
  const timestamp = parseXroadTimestamp(signedHeaders['timestamp'] ?? '');
  if (timestamp === null) return { ok: false, reason: "timestamp is missing or neither ddMMyyyy'T'HHmmss+SSSS nor epoch milliseconds" };
  const skew = Math.abs((options.now ?? Date.now()) - timestamp);
  if (skew > (options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) return { ok: false, reason: `timestamp is ${Math.round(skew / 1000)} s away from the server's clock` };
  return { ok: true, systemId, signedHeaders };
}
