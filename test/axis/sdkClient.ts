// A client that sends what the national axis SDK, SDKVXP 2.0.1 (VnptService, KnobstickServiceImp,
// AgencyServiceImp, HttpConnection, MultipartUtility), sends, and reads the answers as it reads
// them: the test stand-in for the Java software other agencies run. It is written from the SDK's
// behaviour, independently of main/core/axis/xroad.ts, so that a test of the reference axis with
// it, or of our adapter against a server that compares with it, checks the protocol rather than
// our code against itself.
//
// How the SDK signs:
// - a service object keeps one java.util.HashMap of headers for its whole life: `timestamp` (taken
//   once, when the object is made) and `systemid`, then, call after call, `Content-Type` and every
//   entry of the JSON the application passes to the call (sendEdoc adds `hash-file`). Nothing is
//   ever removed: a later call also sends (and signs) what earlier calls put;
// - `timestamp` is SimpleDateFormat("ddMMyyyy'T'HHmmss+SSSS") in the JVM's zone (Vietnam on an
//   agency's server): 07122026T183035+0694, the "+SSSS" being the milliseconds, not a zone;
// - each JSON entry is put with Gson's getAsString, except sendEdoc's `to`, put as the JSON text of
//   its value (`["000.00.00.H41"]` for an array);
// - it walks the map in the HashMap's order, and for each entry adds `XroadVnpt-<name>` to a Gson
//   JsonObject (insertion order) and `<name>` to the key list; only Content-Type is also sent under
//   its plain name;
// - `XroadVnpt-sign-header-key` is that list joined with ";", `XroadVnpt-sign-header` the JSON,
//   `XroadVnpt-hash-header` its HMAC-SHA256 in commons-codec hex (two digits a byte);
// - `hash-file` is the SHA-256 of the package file written with Integer.toHexString per byte
//   (0x0a → "a");
// - it adds `User-Agent: JAVASDKAgent/1.0.0 XRoad/VPCP` and `XroadVnpt-version: 3.0.201608`.
//
// What each call puts on the wire (the method names are the SDK's; the paths are "/<name>"):
// - sendEdoc: MultipartUtility over HttpURLConnection. It sets Content-Type to
//   "multipart/form-data; boundary=…", then sets every signed header, so the signed
//   `Content-Type: application/octet-stream` replaces it; addInputStreamPart("file_doc", …) writes
//   the file's bytes and a CRLF, with no boundary line and no part headers, and finish() writes no
//   closing boundary. The body is therefore the package followed by "\r\n", as
//   application/octet-stream, and hash-file covers the package without that CRLF.
// - getReceivedEdocList, getSentEdocList, getAgenciesList: Apache HttpClient POST of an empty
//   url-encoded form (no body), the signed headers as the client's default headers (so
//   Content-Type stays application/json).
// - getEdoc, updateStatus, countReceiveEdoc, countReceiveStatus: POST with the body "{}" (a
//   StringEntity), whatever method the SDK names (the count calls say "GET" and still post), with
//   `Expect: 100-continue` (the SDK's RequestConfig turns it on).
// - downloadEdoc: GET, no body; the answer's bytes are written to <folder>/<docId>.edxml as they
//   come (the SDK adds /<year>/<month> to the folder, left out here), and any non-empty answer,
//   an error's JSON included, is reported as SUCCESS.
//
// How it reads answers: each call takes `status`, `ErrorCode` and `ErrorDesc` with getAsString,
// which throws on a missing field; the lists (received, sent, agencies) are read only when
// ErrorCode is "0", and each item's fields with getAsString too (a JSON array of two codes throws).
// Where the SDK would throw while reading, the result here is null: the application gets nothing
// it can use. One quirk is kept because it hides a broken answer: getReceivedEdocList reports an
// answer that is not JSON at all as an empty inbox ("OK", "0").
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const SDK_USER_AGENT = 'JAVASDKAgent/1.0.0 XRoad/VPCP';
export const SDK_VERSION = '3.0.201608';
const OCTET_STREAM = 'application/octet-stream';
const JSON_TYPE = 'application/json';

/** java.lang.String.hashCode: s[0]*31^(n-1) + … + s[n-1] over UTF-16 units, in 32-bit arithmetic. */
export function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The order in which a java.util.HashMap<String, …> (Java 8+, default capacity 16, load factor
 * 0.75) iterates keys put in `putOrder`. The SDK's signature JSON and key list come out in this
 * order, and a client that wants to send exactly what the SDK sends must reproduce it: an axis that
 * rebuilt the JSON its own way would otherwise disagree with us. The map is simulated, not sorted:
 * HashMap.hash spreads the hash (h ^ h >>> 16), the bucket is (capacity - 1) & hash, a new key goes
 * to the end of its bucket's list, a key put again keeps its place, and when the size passes
 * capacity × 0.75 the table doubles, each bucket splitting into a "low" and a "high" list that keep
 * their relative order. (Buckets turn into trees only from 8 entries in one bucket and a 64-slot
 * table, far beyond a few dozen headers, so that case is not simulated.)
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
    if (++size > capacity * 0.75) {
      const old = buckets;
      const oldCapacity = capacity;
      capacity *= 2;
      buckets = Array.from({ length: capacity }, () => []);
      old.forEach((list, index) => {
        for (const k of list) buckets[(spread(k) & oldCapacity) === 0 ? index : index + oldCapacity]!.push(k);
      });
    }
  }
  return buckets.flat();
}

/** SimpleDateFormat("ddMMyyyy'T'HHmmss+SSSS") in Asia/Ho_Chi_Minh (UTC+7 all year). */
export function sdkTimestamp(epochMs: number): string {
  const t = new Date(epochMs + 7 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getUTCDate())}${two(t.getUTCMonth() + 1)}${t.getUTCFullYear()}T${two(t.getUTCHours())}${two(t.getUTCMinutes())}${two(t.getUTCSeconds())}+${String(t.getUTCMilliseconds()).padStart(4, '0')}`;
}

/** Integer.toHexString(0xFF & b) per byte, as the SDK writes `hash-file`. */
export function toHexStringPerByte(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16)).join('');
}

/** commons-codec Hex.encodeHexString: two lower-case digits a byte. */
export function commonsCodecHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface SdkIdentity {
  systemId: string;
  secret: string;
}

/**
 * The signed headers and their signature for a header map whose keys were put in `putOrder`
 * (repeats allowed: a key put again keeps its place), as [name, value] pairs in the order sent.
 */
function signedHeaderList(identity: SdkIdentity, putOrder: readonly string[], values: ReadonlyMap<string, string>): [string, string][] {
  const order = javaHashMapOrder(putOrder);
  const sent: [string, string][] = [];
  const json: Record<string, string> = {};
  for (const name of order) {
    const value = values.get(name)!;
    if (name === 'Content-Type') sent.push([name, value]);
    json[`XroadVnpt-${name}`] = value;
    sent.push([`XroadVnpt-${name}`, value]);
  }
  // Gson and JSON.stringify agree for the printable ASCII the headers hold (Gson would also escape
  // <, >, &, =, ' and U+2028/U+2029, which agency codes, ids and dates never hold).
  const signHeader = JSON.stringify(json);
  sent.push(['XroadVnpt-sign-header-key', order.join(';')]);
  sent.push(['XroadVnpt-sign-header', signHeader]);
  sent.push(['XroadVnpt-hash-header', commonsCodecHex(createHmac('sha256', Buffer.from(identity.secret, 'utf8')).update(signHeader, 'utf8').digest())]);
  sent.push(['User-Agent', SDK_USER_AGENT]);
  sent.push(['XroadVnpt-version', SDK_VERSION]);
  return sent;
}

/** The call headers of one call, in the order the SDK puts them (the caller's JSON order, hash-file last). */
export interface SdkCall {
  contentType: string;
  headers: [string, string][];
}

/**
 * The headers a fresh SDK service object sends for its first call, as [name, value] pairs in the
 * order it adds them, given the timestamp text it would have formatted.
 */
export function sdkRequestHeaders(identity: SdkIdentity, call: SdkCall, timestamp: string): [string, string][] {
  const values = new Map<string, string>([
    ['timestamp', timestamp],
    ['systemid', identity.systemId],
    ['Content-Type', call.contentType],
    ...call.headers,
  ]);
  return signedHeaderList(identity, ['timestamp', 'systemid', 'Content-Type', ...call.headers.map(([name]) => name)], values);
}

/** The call headers of sendEdoc for a package of these bytes; `to` is the JSON array's text. */
export function sendEdocCall(from: string, to: string[], messageType: 'edoc' | 'status', body: Uint8Array): SdkCall {
  return {
    contentType: OCTET_STREAM,
    headers: [
      ['from', from],
      ['to', JSON.stringify(to)],
      ['servicetype', 'eDoc'],
      ['messagetype', messageType],
      ['hash-file', toHexStringPerByte(createHash('sha256').update(body).digest())],
    ],
  };
}

type Json = Record<string, unknown>;
/** The JSON an application passes to a call (the SDK takes it as a string and parses it with Gson). */
export type SdkJsonHeaders = Record<string, string | number | string[]>;

/** Gson's JsonElement.getAsString: a primitive's text, a one-element array's element; anything else throws, as in Java. */
function javaString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length === 1) return javaString(value[0]);
  throw new TypeError(`getAsString on ${JSON.stringify(value)}`);
}

/** `get(name).getAsString()`: throws when the field is absent, as the SDK's NullPointerException. */
function required(object: Json, name: string): string {
  if (!(name in object)) throw new TypeError(`no "${name}" in the answer`);
  return javaString(object[name]);
}

/** `if (get(name) != null) …getAsString()`: absent is skipped, a JSON null still throws. */
function optional(object: Json, name: string): string | undefined {
  return name in object ? javaString(object[name]) : undefined;
}

function objectOf(value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('not a JSON object');
  return value as Json;
}

function arrayOf(value: unknown): Json[] {
  if (!Array.isArray(value)) throw new TypeError('not a JSON array');
  return value.map(objectOf);
}

function fieldsOf(entry: Json, names: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of names) {
    const value = optional(entry, name);
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

export interface SdkResult {
  status: string;
  errorCode: string;
  errorDesc: string;
}

/** The status, ErrorCode and ErrorDesc every call reads first. */
function baseOf(answer: Json): SdkResult {
  return { status: required(answer, 'status'), errorCode: required(answer, 'ErrorCode'), errorDesc: required(answer, 'ErrorDesc') };
}

/** What a call gave the application, with what came over the wire for a test's messages. */
export interface SdkExchange<T> {
  httpStatus: number;
  text: string;
  result: T | null;
}

/** Knobstick: an item of getReceivedEdocList, the field names as the axis sends them. */
export type Knobstick = Partial<Record<'docId' | 'serviceType' | 'messageType' | 'created_time' | 'updated_time' | 'from' | 'to' | 'status' | 'status_desc', string>>;
const KNOBSTICK_FIELDS = ['docId', 'serviceType', 'messageType', 'created_time', 'updated_time', 'from', 'to', 'status', 'status_desc'] as const;
/** StatusResult: an item of getSentEdocList. */
export type SentStatus = Partial<Record<(typeof SENT_STATUS_FIELDS)[number], string>>;
const SENT_STATUS_FIELDS = ['serviceType', 'receiverDocId', 'toCode', 'receiveStatus', 'title', 'messageType', 'notation', 'receivedTime', 'sentTime', 'sendStatus', 'sendStatusDesc', 'senderDocId', 'fromCode', 'receiveStatusDesc'] as const;
export type SdkAgency = Partial<Record<'code' | 'id' | 'mail' | 'name' | 'pid' | 'oldCode', string>>;
const AGENCY_FIELDS = ['code', 'id', 'mail', 'name', 'pid', 'oldCode'] as const;

type Body = { kind: 'none' } | { kind: 'empty-form' } | { kind: 'json-object' } | { kind: 'package'; file: string; size: number };

/** One SDK service object of one agency (KnobstickServiceImp and AgencyServiceImp alike): one header map, one timestamp. */
export class SdkClient {
  private readonly putOrder: string[] = [];
  private readonly values = new Map<string, string>();

  constructor(
    private readonly endpoint: string,
    private readonly identity: SdkIdentity,
    clock: () => number = Date.now,
  ) {
    this.put('timestamp', sdkTimestamp(clock()));
    this.put('systemid', identity.systemId);
  }

  /** Sends the package file; `hashedFile` names the file hash-file is computed from (the same, unless a test sends one changed after hashing). */
  async sendEdoc(json: SdkJsonHeaders, file: string, hashedFile = file): Promise<SdkExchange<SdkResult & { docId: string }>> {
    this.put('Content-Type', OCTET_STREAM);
    for (const [name, value] of Object.entries(json)) this.put(name, name === 'to' ? JSON.stringify(value) : javaString(value));
    this.put('hash-file', toHexStringPerByte(await sha256OfFile(hashedFile)));
    const { size } = await fs.promises.stat(file);
    return this.read(await this.send('sendEdoc', 'POST', { kind: 'package', file, size }), (answer) => ({ ...baseOf(answer), docId: required(answer, 'DocId') }));
  }

  async getReceivedEdocList(json: SdkJsonHeaders): Promise<SdkExchange<SdkResult & { knobsticks: Knobstick[] | null }>> {
    this.putAll(json);
    const reply = await this.send('getReceivedEdocList', 'POST', { kind: 'empty-form' });
    if (!isJson(reply.text)) return { ...reply, result: { status: 'OK', errorCode: '0', errorDesc: 'Success', knobsticks: [] } };
    return this.read(reply, (answer) => ({ ...baseOf(answer), knobsticks: listedWhenSuccessful(answer, KNOBSTICK_FIELDS) }));
  }

  async getSentEdocList(json: SdkJsonHeaders): Promise<SdkExchange<SdkResult & { statusResults: SentStatus[] | null }>> {
    this.putAll(json);
    return this.read(await this.send('getSentEdocList', 'POST', { kind: 'empty-form' }), (answer) => ({ ...baseOf(answer), statusResults: listedWhenSuccessful(answer, SENT_STATUS_FIELDS) }));
  }

  /** The package comes back as a String decoded as UTF-8, as the SDK hands it out. */
  async getEdoc(json: SdkJsonHeaders): Promise<SdkExchange<SdkResult & { data: string | null }>> {
    this.putAll(json);
    return this.read(await this.send('getEdoc', 'POST', { kind: 'json-object' }), (answer) => {
      const base = baseOf(answer);
      return { ...base, data: base.status === 'FAIL' ? null : Buffer.from(required(answer, 'data'), 'base64').toString('utf8') };
    });
  }

  async updateStatus(json: SdkJsonHeaders): Promise<SdkExchange<SdkResult>> {
    this.putAll(json);
    return this.read(await this.send('updateStatus', 'POST', { kind: 'json-object' }), baseOf);
  }

  countReceiveEdoc(json: SdkJsonHeaders): Promise<SdkExchange<SdkResult & { count: number | null }>> {
    return this.count('countReceiveEdoc', json);
  }

  countReceiveStatus(json: SdkJsonHeaders): Promise<SdkExchange<SdkResult & { count: number | null }>> {
    return this.count('countReceiveStatus', json);
  }

  /** Writes the answer to <folder>/<docId>.edxml, whatever it is, and calls a non-empty file a success. */
  async downloadEdoc(json: SdkJsonHeaders, folder: string): Promise<SdkExchange<{ status: string; errorCode: string; filePath: string }>> {
    this.putAll(json);
    const target = path.join(folder, `${javaString(json['docId'] ?? '')}.edxml`);
    const reply = await this.send('downloadEdoc', 'GET', { kind: 'none' }, target);
    const written = fs.existsSync(target) && fs.statSync(target).size > 0;
    return { ...reply, result: written ? { status: 'SUCCESS', errorCode: '0', filePath: target } : { status: 'FAIL', errorCode: '100', filePath: '' } };
  }

  async getAgenciesList(json: SdkJsonHeaders = {}): Promise<SdkExchange<SdkResult & { agencies: SdkAgency[] | null }>> {
    this.putAll(json);
    return this.read(await this.send('getAgenciesList', 'POST', { kind: 'empty-form' }), (answer) => ({ ...baseOf(answer), agencies: listedWhenSuccessful(answer, AGENCY_FIELDS) }));
  }

  private async count(name: 'countReceiveEdoc' | 'countReceiveStatus', json: SdkJsonHeaders): Promise<SdkExchange<SdkResult & { count: number | null }>> {
    this.putAll(json);
    return this.read(await this.send(name, 'POST', { kind: 'json-object' }), (answer) => {
      const base = baseOf(answer);
      if (base.status === 'FAIL') return { ...base, count: null };
      const count = Number(required(answer, 'count'));
      if (!Number.isInteger(count)) throw new TypeError('count is not an int');
      return { ...base, count };
    });
  }

  private put(name: string, value: string): void {
    this.putOrder.push(name);
    this.values.set(name, value);
  }

  /** Every call but sendEdoc labels itself JSON and puts the caller's entries with getAsString. */
  private putAll(json: SdkJsonHeaders): void {
    this.put('Content-Type', JSON_TYPE);
    for (const [name, value] of Object.entries(json)) this.put(name, javaString(value));
  }

  private read<T>(reply: { httpStatus: number; text: string }, reader: (answer: Json) => T): SdkExchange<T> {
    try {
      return { ...reply, result: reader(objectOf(JSON.parse(reply.text))) };
    } catch {
      return { ...reply, result: null };
    }
  }

  /** One request with the headers in the map now; the answer as text, or written to `saveTo`. */
  private send(name: string, method: 'GET' | 'POST', body: Body, saveTo?: string): Promise<{ httpStatus: number; text: string }> {
    const headers: Record<string, string> = Object.fromEntries(signedHeaderList(this.identity, this.putOrder, this.values));
    const objectBody = Buffer.from('{}');
    if (body.kind === 'empty-form') headers['Content-Length'] = '0';
    if (body.kind === 'json-object') {
      headers['Content-Length'] = String(objectBody.length);
      headers['Expect'] = '100-continue';
    }
    // The package and the CRLF addInputStreamPart writes after it.
    if (body.kind === 'package') headers['Content-Length'] = String(body.size + 2);
    const url = `${this.endpoint.replace(/\/+$/, '')}/${name}`;
    return new Promise((resolve, reject) => {
      // Node sends an object's names with their case and in their order, as the SDK's clients do.
      const request = http.request(url, { method, headers });
      request.on('error', reject);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        response.on('error', reject);
        if (saveTo) {
          const out = fs.createWriteStream(saveTo);
          out.on('error', reject);
          out.on('finish', () => resolve({ httpStatus: status, text: '' }));
          response.pipe(out);
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ httpStatus: status, text: Buffer.concat(chunks).toString('utf8') }));
      });
      if (body.kind === 'json-object') request.on('continue', () => request.end(objectBody));
      else if (body.kind === 'package') {
        const file = fs.createReadStream(body.file);
        file.on('error', reject);
        file.pipe(request, { end: false });
        file.on('end', () => request.end('\r\n'));
      } else request.end();
    });
  }
}

/** A list read only when ErrorCode is "0", each item's known fields with getAsString. */
function listedWhenSuccessful(answer: Json, fields: readonly string[]): Record<string, string>[] | null {
  if (required(answer, 'ErrorCode').toLowerCase() !== '0') return null;
  return arrayOf(answer['data']).map((entry) => fieldsOf(entry, fields));
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function sha256OfFile(file: string): Promise<Buffer> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest();
}
