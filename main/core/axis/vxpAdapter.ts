// The national axis SDK's API ("VXP") over node:http(s). Not fetch: package bodies are streamed
// from disk with a Content-Length, packages received are base64-decoded to disk as they arrive,
// and one keep-alive agent per adapter reuses connections across a busy exchange loop.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Acknowledgement, Agency, AxisAdapter, AxisConfig, InboxItem, MessageType, SendRequest } from './adapter.js';
import { AxisError, PackageTooLarge } from './adapter.js';
import { DataStreamError, JsonDataExtractor } from './jsonDataStream.js';
import { axisEndpointIssue } from './endpoint.js';
import { hashFileHeader, signRequestHeaders, type SigningStyle } from './xroad.js';

type CallName = keyof NonNullable<AxisConfig['paths']>;

const DEFAULT_PATHS: Record<CallName, string> = {
  sendEdoc: 'sendEdoc',
  getReceivedEdocList: 'getReceivedEdocList',
  getEdoc: 'getEdoc',
  updateStatus: 'updateStatus',
  getAgenciesList: 'getAgenciesList',
};
const DEFAULT_TIMEOUT_MS = 60_000;
/** A few parallel transfers saturate a commune's uplink; more only queue at the axis. */
const MAX_SOCKETS = 4;
/** Error answers are a sentence; lists of thousands of agencies or inbox items stay far below this. */
const MAX_ERROR_BODY = 64 * 1024;
const MAX_JSON_BODY = 64 * 1024 * 1024;
const SERVICE_TYPE = 'eDoc';
/** The SDK labels every call but sendEdoc as JSON, bodiless as they are, and signs that label. */
const JSON_CONTENT_TYPE = 'application/json';
const PACKAGE_CONTENT_TYPE = 'application/octet-stream';

interface CallOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: { path: string; size: number };
  signal?: AbortSignal | undefined;
}

type Json = Record<string, unknown>;

/** A reused keep-alive connection found closed before any answer: safe to try once more. */
class StaleConnection extends AxisError {
  constructor(message: string, options: { code: 'AXIS_UNREACHABLE'; details: { host: string }; cause: unknown }) {
    super('transient', message, options);
  }
}

export class VxpAdapter implements AxisAdapter {
  private readonly config: AxisConfig;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly signing: SigningStyle;

  constructor(config: AxisConfig) {
    this.config = config;
    this.signing = config.signing ?? 'sdk-2.0.1';
    const issue = axisEndpointIssue(config.endpoint);
    if (issue) throw new AxisError('permanent', issue.message, { code: issue.code, details: { endpoint: config.endpoint } });
    this.base = new URL(config.endpoint);
    this.agent = this.base.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }) : new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  }

  async send(request: SendRequest, signal?: AbortSignal): Promise<{ axisDocId: string }> {
    // A package changed after it was hashed would be refused by the axis for its hash; say so here.
    const { size } = await fs.promises.stat(request.path);
    if (size !== request.size) throw new AxisError('permanent', `The package ${request.path} is ${size} bytes, not the ${request.size} it had when it was queued.`, {
        code: 'QUEUED_PACKAGE_CHANGED',
      });
    const answer = await this.exchange('sendEdoc', {
      method: 'POST',
      headers: { from: request.from, to: JSON.stringify(request.to), servicetype: SERVICE_TYPE, messagetype: request.messageType, 'hash-file': hashFileHeader(request.sha256, this.signing) },
      body: { path: request.path, size: request.size },
      signal,
    }, readJson);
    const docId = checkOk('sendEdoc', answer)['DocId'] ?? answer['docId'];
    if (typeof docId !== 'string' || docId === '') throw new AxisError('transient', 'The axis accepted the package but gave no DocId.', { code: 'AXIS_BAD_ANSWER' });
    return { axisDocId: docId };
  }

  async listInbox(messageType: MessageType, signal?: AbortSignal): Promise<InboxItem[]> {
    const answer = checkOk('getReceivedEdocList', await this.exchange('getReceivedEdocList', { method: 'POST', headers: { servicetype: SERVICE_TYPE, messagetype: messageType }, signal }, readJson));
    const items: InboxItem[] = [];
    for (const entry of listOf('getReceivedEdocList', answer)) {
      const docId = text(entry, 'docId', 'DocId', 'docid', 'id');
      // Without an id an item can be neither fetched nor acknowledged; listing it would only stall the inbox.
      if (!docId) continue;
      const type = text(entry, 'messageType', 'messagetype', 'MessageType')?.toLowerCase();
      items.push({
        docId,
        messageType: type === 'edoc' || type === 'status' ? type : messageType,
        from: text(entry, 'from', 'From', 'fromCode') ?? '',
        to: codeList(entry['to'] ?? entry['To']),
        createdTime: text(entry, 'created_time', 'createdTime', 'created', 'CreatedTime') ?? '',
      });
    }
    return items;
  }

  async fetch(docId: string, targetPath: string, options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<{ size: number; sha256: string }> {
    const { maxBytes = Number.POSITIVE_INFINITY, signal } = options;
    return this.exchange('getEdoc', { method: 'POST', headers: { docId }, signal }, (response) => writePackage(response, targetPath, maxBytes));
  }

  async acknowledge(docId: string, status: Acknowledgement, signal?: AbortSignal): Promise<void> {
    checkOk('updateStatus', await this.exchange('updateStatus', { method: 'POST', headers: { docId, status }, signal }, readJson));
  }

  async listAgencies(signal?: AbortSignal): Promise<Agency[]> {
    // POST, as the SDK 2.0.1 (AgencyServiceImp) makes it: an axis built for that SDK need not answer a GET.
    const answer = checkOk('getAgenciesList', await this.exchange('getAgenciesList', { method: 'POST', headers: {}, signal }, readJson));
    const agencies: Agency[] = [];
    for (const entry of listOf('getAgenciesList', answer)) {
      const code = text(entry, 'code', 'Code', 'id', 'Id', 'organId', 'OrganId');
      if (!code) continue;
      const parentCode = text(entry, 'parentCode', 'ParentCode', 'parent_code', 'pid');
      agencies.push({ code, name: text(entry, 'name', 'Name', 'organName', 'OrganName') ?? code, ...(parentCode ? { parentCode } : {}) });
    }
    return agencies;
  }

  private url(call: CallName): URL {
    const path = this.config.paths?.[call] ?? DEFAULT_PATHS[call];
    const url = new URL(this.base);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
    return url;
  }

  /**
   * One call. A kept-alive connection that the axis (or a proxy) closed while idle fails the
   * moment it is reused, before the axis saw anything: that call is made once more on a fresh
   * connection rather than counted as the axis being down.
   */
  private async exchange<T>(call: CallName, options: CallOptions, read: (response: http.IncomingMessage) => Promise<T>): Promise<T> {
    try {
      return await this.exchangeOnce(call, options, read);
    } catch (error) {
      if (!(error instanceof StaleConnection)) throw error;
      return this.exchangeOnce(call, options, read);
    }
  }

  /**
   * One signed request. `read` consumes a 200 answer; everything that can go wrong on the way is
   * turned into an AxisError here, except cancellation (the signal's reason) and failures of our
   * own disk, which are not the axis's doing.
   */
  private exchangeOnce<T>(call: CallName, options: CallOptions, read: (response: http.IncomingMessage) => Promise<T>): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let headers: Record<string, string>;
    try {
      headers = signRequestHeaders(options.headers, {
        systemId: this.config.systemId,
        secret: this.config.secret,
        contentType: options.body ? PACKAGE_CONTENT_TYPE : JSON_CONTENT_TYPE,
        signing: this.signing,
        hmacHex: this.config.hmacHex ?? 'standard',
      });
    } catch (error) {
      return Promise.reject(new AxisError('permanent', (error as Error).message, { code: 'AXIS_HEADER_INVALID', cause: error }));
    }
    if (options.body) headers = { ...headers, 'Content-Length': String(options.body.size) };
    const url = this.url(call);
    const timeoutMs = this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    return new Promise<T>((resolve, reject) => {
      // Set when we end the exchange ourselves, so that the socket errors it causes are not reported instead.
      let interruption: unknown = null;
      let localFailure: unknown = null;
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(url, { method: options.method, headers, agent: this.agent });
      const interrupt = (reason: unknown) => {
        interruption ??= reason;
        request.destroy();
      };
      const onAbort = () => interrupt(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      request.setTimeout(timeoutMs, () => interrupt(
          new AxisError('transient', `The axis (${url.host}) made no progress on ${call} for ${Math.round(timeoutMs / 1000)} s.`, {
            code: 'AXIS_TIMEOUT',
            details: { host: url.host, seconds: Math.round(timeoutMs / 1000) },
          }),
        ),
      );

      const fail = (error: unknown, response: http.IncomingMessage | null) => {
        signal?.removeEventListener('abort', onAbort);
        request.destroy();
        if (interruption !== null) return reject(interruption);
        if (localFailure !== null) return reject(localFailure);
        if (error instanceof AxisError) return reject(error);
        if (error instanceof LocalFailure) return reject(error.cause);
        const code = (error as NodeJS.ErrnoException).code;
        const what = response ? `the connection was cut during the answer to ${call}` : `could not complete ${call}`;
        const message = `The axis (${url.host}): ${what} (${code ?? (error as Error).message}).`;
        const problem = { code: 'AXIS_UNREACHABLE' as const, details: { host: url.host }, cause: error };
        if (!response && request.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) return reject(new StaleConnection(message, problem));
        reject(new AxisError('transient', message, problem));
      };

      request.on('error', (error) => fail(error, null));
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const work = status >= 200 && status < 300 ? read(response) : readJson(response, MAX_ERROR_BODY).catch(() => ({}) as Json).then((body) => Promise.reject(httpError(call, status, response, body)));
        work.then(
          (value) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(value);
          },
          (error) => fail(error, response),
        );
      });

      if (options.body) {
        const body = fs.createReadStream(options.body.path);
        body.on('error', (error) => {
          localFailure ??= error;
          request.destroy();
        });
        body.pipe(request);
      } else request.end();
    });
  }
}

/** Our own disk failed while the answer was being stored: not the axis's doing, so passed on as it is. */
class LocalFailure extends Error {
  constructor(cause: unknown) {
    super('local failure', { cause });
  }
}

async function onDisk<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw new LocalFailure(error);
  }
}

async function readJson(response: http.IncomingMessage, limit = MAX_JSON_BODY): Promise<Json> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) throw new AxisError('permanent', `The axis answered with more than ${limit} bytes where a short JSON answer was expected.`, { code: 'AXIS_BAD_ANSWER' });
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    // A proxy's error page or a cut answer: neither says the axis refused anything.
    throw new AxisError('transient', 'The axis answered with something that is not JSON.', { code: 'AXIS_BAD_ANSWER', cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AxisError('transient', 'The axis answered with JSON that is not an object.', { code: 'AXIS_BAD_ANSWER' });
  return parsed as Json;
}

function text(entry: Json, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = entry[name];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

/** `to` arrives as an array, as a JSON array in a string, or as a comma-separated string. */
function codeList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((code): code is string => typeof code === 'string');
  if (typeof value !== 'string' || value.trim() === '') return [];
  if (value.trim().startsWith('[')) {
    try {
      return codeList(JSON.parse(value));
    } catch {
      return [];
    }
  }
  return value.split(/[,;]/).map((code) => code.trim()).filter(Boolean);
}

function listOf(call: CallName, answer: Json): Json[] {
  const data = answer['data'] ?? answer['Data'];
  if (!Array.isArray(data)) throw new AxisError('transient', `The axis's answer to ${call} has no data list.`, { code: 'AXIS_BAD_ANSWER' });
  return data.filter((entry): entry is Json => typeof entry === 'object' && entry !== null);
}

function axisFields(answer: Json): { status: string | undefined; code: string | null; description: string | undefined } {
  const status = text(answer, 'status', 'Status');
  return { status: status?.toUpperCase(), code: text(answer, 'ErrorCode', 'errorCode') ?? null, description: text(answer, 'ErrorDesc', 'errorDesc', 'message') };
}

/** The axis's own words, passed on to the clerk as they came (an axis in Vietnam answers in Vietnamese); a dash when it gave none. */
function axisReason(code: string | null, description: string | undefined): { reason: string } {
  return { reason: [code, description].filter(Boolean).join(': ').slice(0, 300) || '—' };
}

function describe(code: string | null, description: string | undefined): string {
  return [code, description].filter(Boolean).join(': ') || 'no reason given';
}

/** An answer with status FAIL is the axis refusing this request, even when HTTP says 200. */
function checkOk(call: CallName, answer: Json): Json {
  const { status, code, description } = axisFields(answer);
  if (status === 'FAIL') {
    throw new AxisError('permanent', `The axis refused ${call}: ${describe(code, description)}.`, { code: 'AXIS_REFUSED', details: axisReason(code, description), httpStatus: 200, axisCode: code });
  }
  return answer;
}

function retryAfter(response: http.IncomingMessage): number | null {
  const value = response.headers['retry-after'];
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function httpError(call: CallName, status: number, response: http.IncomingMessage, body: Json): AxisError {
  const { code, description } = axisFields(body);
  const options = { httpStatus: status, axisCode: code, retryAfterMs: retryAfter(response) };
  const details = { status, ...axisReason(code, description) };
  const reason = describe(code, description);
  if (status === 401 || status === 403) {
    return new AxisError('auth', `The axis refused our credentials for ${call} (HTTP ${status}: ${reason}); check the system id and secret.`, { ...options, code: 'AXIS_AUTH_FAILED', details });
  }
  if (status === 408 || status === 429 || status >= 500) {
    return new AxisError('transient', `The axis is unavailable for ${call} (HTTP ${status}: ${reason}).`, { ...options, code: 'AXIS_UNAVAILABLE', details });
  }
  // A redirect, or a 404/405 that is not the axis's own answer (no error code), means the address
  // or the call's path is wrong: a setting to fix, after which the same package goes through.
  if ((status >= 300 && status < 400) || ((status === 404 || status === 405) && !code)) {
    return new AxisError('transient', `The axis endpoint does not serve ${call} (HTTP ${status}); check the endpoint URL and the call paths.`, { ...options, code: 'AXIS_PATH_NOT_SERVED', details });
  }
  return new AxisError('permanent', `The axis refused ${call} (HTTP ${status}: ${reason}).`, { ...options, code: 'AXIS_REFUSED', details });
}

/** Decodes the answer's base64 package into targetPath; on any failure the partial file is removed. */
async function writePackage(response: http.IncomingMessage, targetPath: string, maxBytes: number): Promise<{ size: number; sha256: string }> {
  const extractor = new JsonDataExtractor();
  const hash = createHash('sha256');
  let size = 0;
  const file = await onDisk(fs.promises.open(targetPath, 'w'));
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      for (const bytes of extractor.push(chunk)) {
        hash.update(bytes);
        size += bytes.length;
        if (size > maxBytes) throw new LocalFailure(new PackageTooLarge(maxBytes));
        await onDisk(file.write(bytes));
      }
    }
    const { dataFound, fields } = extractor.end();
    checkOk('getEdoc', fields);
    if (!dataFound) throw new AxisError('permanent', 'The axis answered getEdoc without the package data.', { code: 'AXIS_BAD_ANSWER' });
    await onDisk(file.sync());
    await onDisk(file.close());
    return { size, sha256: hash.digest('hex') };
  } catch (error) {
    await file.close().catch(() => undefined);
    await fs.promises.rm(targetPath, { force: true });
    if (error instanceof DataStreamError) {
      // An answer cut short or garbled may come whole next time; one in a shape we do not read will not.
      throw new AxisError(error.problem === 'unsupported' ? 'permanent' : 'transient', `The axis's answer to getEdoc: ${error.message}.`, { code: 'AXIS_BAD_ANSWER', cause: error });
    }
    throw error;
  }
}
