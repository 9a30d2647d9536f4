// A reference document axis speaking the national SDK's API ("VXP") on 127.0.0.1: what the tests
// and developers exchange packages with, and never part of the shipped app. It checks what a real
// axis checks (the XroadVnpt signature, the sender's own code, the body's hash, the recipients, the
// package's edXML), remembers what it routed in SQLite, and can misbehave on purpose (slow answers,
// refusals, answers cut off after the work was done, repeated list items).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageType } from '../../main/core/axis/adapter.js';
import { verifySignedHeaders, type HexStyle } from '../../main/core/axis/xroad.js';
import { peekPackage } from '../../main/core/edxml/parse.js';
import { AxisStore, type DeliveryState } from './serverStore.js';

export interface AxisServerAgency {
  code: string;
  name: string;
  systemId: string;
  secret: string;
}

export interface AxisServerOptions {
  /** 0 or absent: any free port. */
  port?: number;
  dbPath: string;
  agencies: AxisServerAgency[];
  /** Share of calls answered 503 (or, one time in four, 429 with Retry-After: 1) without doing the work. */
  failRate?: number;
  /** Wait before answering every call. */
  delayMs?: number;
  /** Share of calls whose work is committed, then whose answer is cut off mid-body. */
  dropRate?: number;
  /** Share of inbox items listed twice in one getReceivedEdocList answer. */
  duplicateRate?: number;
  hexStyle?: HexStyle;
  /**
   * Carry a package the axis cannot read instead of refusing it (no deduplication for it): real
   * axes pass bodies through, and the receiving side's refusals (malformed XML, XXE, …) can only be
   * tested if such packages arrive.
   */
  carryUnreadable?: boolean;
  /**
   * Draws for the fault switches, in this order per call: fail (when failRate > 0), then 429-or-503
   * (429 below 0.25), then drop (when dropRate > 0); per listed item, duplicate (when
   * duplicateRate > 0). A constant function makes a test's faults certain.
   */
  random?: () => number;
}

export interface AxisServerStats {
  requests: number;
  /** Refused for a missing or wrong signature or an unknown systemid (401). */
  unauthorized: number;
  /** Signed, but `from` was not the caller's own code (403). */
  forbidden: number;
  injectedFailures: number;
  droppedAnswers: number;
  messagesStored: number;
  duplicateSends: number;
  deliveries: number;
  fetches: number;
  statusUpdates: number;
}

export interface AxisServer {
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): AxisServerStats;
}

type Json = Record<string, unknown>;
type Reply = { status: number; json: Json; headers?: Record<string, string> } | { status: 200; edoc: { path: string; size: number } };

/** A request the axis turns down, answered as `{status: "FAIL", ErrorCode, ErrorDesc}`. */
class Refusal extends Error {
  readonly httpStatus: number;
  readonly code: string;
  constructor(httpStatus: number, code: string, description: string) {
    super(description);
    this.httpStatus = httpStatus;
    this.code = code;
  }
}

const failure = (code: string, description: string): Json => ({ status: 'FAIL', ErrorCode: code, ErrorDesc: description });
const success = (fields: Json = {}): Json => ({ status: 'OK', ErrorCode: '', ErrorDesc: '', ...fields });
const ACKNOWLEDGEMENTS: readonly DeliveryState[] = ['done', 'fail', 'processing'];
/** A multiple of 3, so each piece of the package read becomes whole base64 groups. */
const READ_BYTES = 3 * 64 * 1024;

interface Caller {
  agency: AxisServerAgency;
  /** Only what the signature covers: an unsigned header is never acted on. */
  signed: Record<string, string>;
}

export async function startAxisServer(options: AxisServerOptions): Promise<AxisServer> {
  const store = new AxisStore(options.dbPath);
  const bySystemId = new Map(options.agencies.map((agency) => [agency.systemId, agency]));
  const knownCodes = new Set(options.agencies.map((agency) => agency.code));
  const random = options.random ?? Math.random;
  const counts = { requests: 0, unauthorized: 0, forbidden: 0, injectedFailures: 0, droppedAnswers: 0, messagesStored: 0, duplicateSends: 0, fetches: 0, statusUpdates: 0 };

  const header = (caller: Caller, name: string): string => {
    const value = caller.signed[name];
    if (value === undefined || value === '') throw new Refusal(400, 'MISSING_HEADER', `the signed header "${name}" is required`);
    return value;
  };
  const messageTypeOf = (caller: Caller): MessageType => {
    const value = header(caller, 'messagetype').toLowerCase();
    if (value !== 'edoc' && value !== 'status') throw new Refusal(400, 'MESSAGE_TYPE', `messagetype must be edoc or status, not "${value}"`);
    return value;
  };

  async function sendEdoc(caller: Caller, request: http.IncomingMessage): Promise<Reply> {
    const from = header(caller, 'from');
    if (from !== caller.agency.code) {
      counts.forbidden++;
      throw new Refusal(403, 'FORBIDDEN', `from "${from}" is not the caller's own code ${caller.agency.code}`);
    }
    const messageType = messageTypeOf(caller);
    const recipients = recipientsOf(header(caller, 'to'), knownCodes);
    const expectedHash = header(caller, 'hash-file').toLowerCase();
    const upload = store.temporaryPath();
    try {
      const body = await receiveBody(request, upload);
      if (body.sha256 !== expectedHash) throw new Refusal(400, 'HASH', `hash-file ${expectedHash} does not match the body received (${body.sha256})`);
      const peek = await peekPackage(upload).catch((error: unknown) => {
        if (options.carryUnreadable) return { kind: messageType, from, documentId: null, businessDocType: null };
        throw new Refusal(400, 'BAD_PACKAGE', `the package is not valid edXML: ${(error as Error).message}`);
      });
      if (peek.kind !== messageType) throw new Refusal(400, 'MESSAGE_TYPE', `messagetype is ${messageType} but the package is a ${peek.kind} message`);
      if (peek.from !== null && peek.from !== from) throw new Refusal(400, 'FROM_MISMATCH', `the package is from ${peek.from}, not ${from}`);
      if (messageType === 'edoc' && !peek.documentId && !options.carryUnreadable) throw new Refusal(400, 'BAD_PACKAGE', 'the package has no DocumentId');
      const stored = store.commitMessage(upload, { sender: from, messageType, documentId: peek.documentId, businessDocType: peek.businessDocType, sha256: body.sha256, size: body.size, recipients });
      if (stored.duplicate) counts.duplicateSends++;
      else counts.messagesStored++;
      return { status: 200, json: success({ DocId: stored.id }) };
    } finally {
      fs.rmSync(upload, { force: true });
    }
  }

  function getReceivedEdocList(caller: Caller): Reply {
    const items = store.pendingFor(caller.agency.code, messageTypeOf(caller));
    const data: Json[] = [];
    for (const item of items) {
      const entry = { docId: item.docId, messageType: item.messageType, from: item.from, to: item.to, created_time: item.createdTime, status: item.state };
      data.push(entry);
      if (options.duplicateRate && random() < options.duplicateRate) data.push(entry);
    }
    return { status: 200, json: success({ data }) };
  }

  function getEdoc(caller: Caller): Reply {
    const docId = header(caller, 'docid');
    const found = store.deliveredPackage(docId, caller.agency.code);
    if (!found) throw new Refusal(404, 'NOT_FOUND', `no message ${docId} for ${caller.agency.code}`);
    counts.fetches++;
    return { status: 200, edoc: found };
  }

  function updateStatus(caller: Caller): Reply {
    const docId = header(caller, 'docid');
    const status = header(caller, 'status') as DeliveryState;
    if (!ACKNOWLEDGEMENTS.includes(status)) throw new Refusal(400, 'STATUS', `status must be done, fail or processing, not "${status}"`);
    if (!store.setDeliveryState(docId, caller.agency.code, status)) throw new Refusal(404, 'NOT_FOUND', `no message ${docId} for ${caller.agency.code}`);
    counts.statusUpdates++;
    return { status: 200, json: success() };
  }

  function getAgenciesList(): Reply {
    return { status: 200, json: success({ data: options.agencies.map(({ code, name }) => ({ code, name })) }) };
  }

  const routes: Record<string, { method: string; handle: (caller: Caller, request: http.IncomingMessage) => Reply | Promise<Reply> }> = {
    sendEdoc: { method: 'POST', handle: sendEdoc },
    getReceivedEdocList: { method: 'POST', handle: getReceivedEdocList },
    getEdoc: { method: 'POST', handle: getEdoc },
    updateStatus: { method: 'POST', handle: updateStatus },
    getAgenciesList: { method: 'GET', handle: getAgenciesList },
  };

  async function respond(request: http.IncomingMessage): Promise<{ reply: Reply; drop: boolean }> {
    counts.requests++;
    const verified = verifySignedHeaders(request.headers, (systemId) => bySystemId.get(systemId)?.secret, { hexStyle: options.hexStyle ?? 'sdk' });
    if (!verified.ok) {
      counts.unauthorized++;
      return { reply: { status: 401, json: failure('AUTH', verified.reason) }, drop: false };
    }
    const caller: Caller = { agency: bySystemId.get(verified.systemId)!, signed: verified.signedHeaders };
    if (options.delayMs) await sleep(options.delayMs);
    if (options.failRate && random() < options.failRate) {
      counts.injectedFailures++;
      if (random() < 0.25) return { reply: { status: 429, json: failure('BUSY', 'too many requests'), headers: { 'retry-after': '1' } }, drop: false };
      return { reply: { status: 503, json: failure('UNAVAILABLE', 'the axis is unavailable (injected failure)') }, drop: false };
    }
    const drop = Boolean(options.dropRate && random() < options.dropRate);
    // Any base path in front of the call's name is accepted, so a developer can use the URL shape of their real axis.
    const name = new URL(request.url ?? '/', 'http://axis').pathname.split('/').pop() ?? '';
    const route = routes[name];
    try {
      if (!route) throw new Refusal(404, 'NO_SUCH_CALL', `no call named "${name}"`);
      if (request.method !== route.method) throw new Refusal(405, 'METHOD', `${name} takes ${route.method}`);
      return { reply: await route.handle(caller, request), drop };
    } catch (error) {
      if (error instanceof Refusal) return { reply: { status: error.httpStatus, json: failure(error.code, error.message) }, drop: false };
      return { reply: { status: 500, json: failure('INTERNAL', (error as Error).message) }, drop: false };
    }
  }

  const server = http.createServer((request, response) => {
    respond(request)
      .then(async ({ reply, drop }) => {
        // Answer only after the whole request arrived, or a client still uploading sees a reset instead.
        if (!request.complete) {
          request.resume();
          await finished(request);
        }
        if (drop) counts.droppedAnswers++;
        await writeReply(response, reply, drop);
      })
      .catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: () => ({ ...counts, deliveries: store.deliveryCount() }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      store.close();
    },
  };
}

function recipientsOf(value: string, knownCodes: Set<string>): string[] {
  let codes: unknown;
  try {
    codes = JSON.parse(value);
  } catch {
    throw new Refusal(400, 'RECIPIENT', 'to must be a JSON array of agency codes');
  }
  if (!Array.isArray(codes) || codes.length === 0 || !codes.every((code): code is string => typeof code === 'string')) throw new Refusal(400, 'RECIPIENT', 'to must be a non-empty JSON array of agency codes');
  if (new Set(codes).size !== codes.length) throw new Refusal(400, 'RECIPIENT', 'to lists an agency twice');
  const unknown = codes.filter((code) => !knownCodes.has(code));
  if (unknown.length > 0) throw new Refusal(400, 'RECIPIENT', `unknown agency code(s): ${unknown.join(', ')}`);
  return codes;
}

/** The request body into a file, hashed as it arrives and fsynced. */
async function receiveBody(request: http.IncomingMessage, target: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const file = await fs.promises.open(target, 'w');
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      await file.write(chunk);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  return { sha256: hash.digest('hex'), size };
}

/** Sends part of an answer, then cuts the connection: the client never hears how it ended. */
function cutShort(response: http.ServerResponse, part: string): Promise<void> {
  return new Promise((resolve) => {
    response.write(part, () => {
      response.socket?.destroy();
      resolve();
    });
  });
}

async function writeReply(response: http.ServerResponse, reply: Reply, drop: boolean): Promise<void> {
  if ('json' in reply) {
    const body = JSON.stringify(reply.json);
    response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...reply.headers });
    if (drop) return cutShort(response, body.slice(0, Math.floor(body.length / 2)));
    response.end(body);
    return;
  }
  const { path, size } = reply.edoc;
  const prefix = '{"data":"';
  const suffix = '"}';
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': prefix.length + 4 * Math.ceil(size / 3) + suffix.length });
  if (drop) {
    const head = Buffer.alloc(Math.min(size, READ_BYTES));
    const handle = await fs.promises.open(path, 'r');
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    return cutShort(response, prefix + head.toString('base64'));
  }
  response.write(prefix);
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(path, { highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 3);
    carry = bytes.subarray(whole);
    if (!response.write(bytes.toString('base64', 0, whole))) await waitForDrain(response);
  }
  response.end(carry.toString('base64') + suffix);
}

/** Back-pressure for a slow reader, without waiting forever on a client that went away. */
function waitForDrain(response: http.ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      response.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      response.off('drain', onDrain);
      reject(new Error('the client went away'));
    };
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}
