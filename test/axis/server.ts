// A reference document axis speaking the national SDK's API ("VXP") on 127.0.0.1: what the tests
// and developers exchange packages with, and never part of the shipped app. It checks what a real
// axis checks (the XroadVnpt signature as the SDK 2.0.1 or an older client writes it, the sender's
// own code, the package's hash, the recipients, the package's edXML), remembers what it routed in
// SQLite, and can misbehave on purpose (slow answers, refusals, answers cut off after the work was
// done, repeated list items).
//
// It takes every call as the SDK 2.0.1 makes it (./sdkClient.ts describes the wire forms) and as
// eOffice's adapter makes it: sendEdoc's package as the raw body, as the SDK's body (the package
// and a CRLF that hash-file does not cover), or as the `file_doc` part of a real multipart form;
// `to` absent, as in the SDK's own sample, routes by the package's addressees; getAgenciesList by
// POST (the SDK) or GET; and the calls the SDK has besides: getSentEdocList, countReceiveEdoc,
// countReceiveStatus, downloadEdoc. Success answers carry ErrorCode "0", without which the SDK
// does not read a list.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageType } from '../../main/core/axis/adapter.js';
import { hashFileMatches, verifySignedHeaders } from '../../main/core/axis/xroad.js';
import { peekAddressees, peekPackage } from '../../main/core/edxml/parse.js';
import { FormError, formBoundary, receiveFormFile } from './multipartForm.js';
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
type StoredPackage = { path: string; size: number };
/** A JSON answer; getEdoc's package as base64 inside one; downloadEdoc's package as it is. */
type Reply = { status: number; json: Json; headers?: Record<string, string> } | { status: 200; edoc: StoredPackage } | { status: 200; raw: StoredPackage };

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
/** The SDK reads a list only when ErrorCode is "0", and reads all three fields of every answer. */
const SUCCESS = { status: 'OK', ErrorCode: '0', ErrorDesc: 'Success' } as const;
const success = (fields: Json = {}): Json => ({ ...SUCCESS, ...fields });
const ACKNOWLEDGEMENTS: readonly DeliveryState[] = ['done', 'fail', 'processing'];
/** A multiple of 3, so each piece of the package read becomes whole base64 groups. */
const READ_BYTES = 3 * 64 * 1024;
const SERVICE_TYPE = 'eDoc';
const RECEIVE_STATUS_TEXT: Record<DeliveryState, string> = {
  pending: 'not fetched yet',
  processing: 'the recipient is processing it',
  done: 'the recipient stored it',
  fail: 'the recipient could not take it',
};
/** The CRLF the SDK 2.0.1 writes after the package (MultipartUtility.addInputStreamPart). */
const FINAL_CRLF = Buffer.from('\r\n');

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
    // The SDK's own sample sends no `to`: the package then says where it goes.
    const sentTo = caller.signed['to'];
    const namedRecipients = sentTo ? recipientsOf(sentTo, knownCodes) : null;
    const sentHash = header(caller, 'hash-file');
    const upload = store.temporaryPath();
    try {
      const body = await receivePackage(request, upload, sentHash);
      const peek = await peekPackage(upload).catch((error: unknown) => {
        if (options.carryUnreadable) return { kind: messageType, from, documentId: null, businessDocType: null };
        throw new Refusal(400, 'BAD_PACKAGE', `the package is not valid edXML: ${(error as Error).message}`);
      });
      if (peek.kind !== messageType) throw new Refusal(400, 'MESSAGE_TYPE', `messagetype is ${messageType} but the package is a ${peek.kind} message`);
      if (peek.from !== null && peek.from !== from) throw new Refusal(400, 'FROM_MISMATCH', `the package is from ${peek.from}, not ${from}`);
      if (messageType === 'edoc' && !peek.documentId && !options.carryUnreadable) throw new Refusal(400, 'BAD_PACKAGE', 'the package has no DocumentId');
      const recipients = namedRecipients ?? (await addresseesOf(upload, knownCodes));
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
      // `to` as text: the SDK reads every field with getAsString, which fails on an array of two codes.
      const entry = { docId: item.docId, serviceType: SERVICE_TYPE, messageType: item.messageType, from: item.from, to: JSON.stringify(item.to), created_time: item.createdTime, updated_time: item.updatedTime, status: item.state };
      data.push(entry);
      if (options.duplicateRate && random() < options.duplicateRate) data.push(entry);
    }
    return { status: 200, json: success({ data }) };
  }

  /** The package of `docid`, for a recipient of it only. */
  function packageFor(caller: Caller): StoredPackage {
    const docId = header(caller, 'docid');
    const found = store.deliveredPackage(docId, caller.agency.code);
    if (!found) throw new Refusal(404, 'NOT_FOUND', `no message ${docId} for ${caller.agency.code}`);
    counts.fetches++;
    return found;
  }

  function getEdoc(caller: Caller): Reply {
    return { status: 200, edoc: packageFor(caller) };
  }

  /** The SDK's streaming fetch: the package's own bytes, not base64 in JSON. */
  function downloadEdoc(caller: Caller): Reply {
    return { status: 200, raw: packageFor(caller) };
  }

  function updateStatus(caller: Caller): Reply {
    const docId = header(caller, 'docid');
    const status = header(caller, 'status') as DeliveryState;
    if (!ACKNOWLEDGEMENTS.includes(status)) throw new Refusal(400, 'STATUS', `status must be done, fail or processing, not "${status}"`);
    if (!store.setDeliveryState(docId, caller.agency.code, status)) throw new Refusal(404, 'NOT_FOUND', `no message ${docId} for ${caller.agency.code}`);
    counts.statusUpdates++;
    return { status: 200, json: success() };
  }

  /**
   * What became of the caller's own messages, one entry per recipient: of `docid` when given (the
   * SDK's sample asks so), else of every message of the `messagetype` it sent. receiveStatus is the
   * recipient's acknowledgement (pending until it says done, fail or processing).
   */
  function getSentEdocList(caller: Caller): Reply {
    const docId = caller.signed['docid'] || null;
    const messageType = caller.signed['messagetype'] ? messageTypeOf(caller) : null;
    const rows = store.sentDeliveries(caller.agency.code, { id: docId, messageType });
    if (docId !== null && rows.length === 0) throw new Refusal(404, 'NOT_FOUND', `no message ${docId} sent by ${caller.agency.code}`);
    const acknowledged = (state: DeliveryState) => state === 'done' || state === 'fail';
    const data = rows.map((row) => ({
      serviceType: SERVICE_TYPE,
      messageType: row.messageType,
      senderDocId: row.id,
      receiverDocId: row.id,
      fromCode: caller.agency.code,
      toCode: row.recipient,
      sendStatus: 'done',
      sendStatusDesc: 'the axis took the message',
      sentTime: row.createdTime,
      receiveStatus: row.state,
      receiveStatusDesc: RECEIVE_STATUS_TEXT[row.state],
      receivedTime: acknowledged(row.state) ? row.updatedTime : '',
    }));
    return { status: 200, json: success({ data }) };
  }

  const countPending = (messageType: MessageType) => (caller: Caller): Reply => ({ status: 200, json: success({ count: store.pendingFor(caller.agency.code, messageType).length }) });

  function getAgenciesList(): Reply {
    return { status: 200, json: success({ data: options.agencies.map(({ code, name }) => ({ code, name })) }) };
  }

  // The methods each call is taken by: the SDK's, and for getAgenciesList also the GET domain.md
  // describes; the count calls also by GET, the method the SDK names them with (its code posts).
  const routes: Record<string, { methods: readonly string[]; handle: (caller: Caller, request: http.IncomingMessage) => Reply | Promise<Reply> }> = {
    sendEdoc: { methods: ['POST'], handle: sendEdoc },
    getReceivedEdocList: { methods: ['POST'], handle: getReceivedEdocList },
    getEdoc: { methods: ['POST'], handle: getEdoc },
    downloadEdoc: { methods: ['GET'], handle: downloadEdoc },
    updateStatus: { methods: ['POST'], handle: updateStatus },
    getSentEdocList: { methods: ['POST'], handle: getSentEdocList },
    countReceiveEdoc: { methods: ['POST', 'GET'], handle: countPending('edoc') },
    countReceiveStatus: { methods: ['POST', 'GET'], handle: countPending('status') },
    getAgenciesList: { methods: ['POST', 'GET'], handle: getAgenciesList },
  };

  async function respond(request: http.IncomingMessage): Promise<{ reply: Reply; drop: boolean }> {
    counts.requests++;
    // Any base path in front of the call's name is accepted, so a developer can use the URL shape of their real axis.
    const name = new URL(request.url ?? '/', 'http://axis').pathname.split('/').pop() ?? '';
    // The SDK reads DocId from every sendEdoc answer, a refusal's too; without it the application sees nothing.
    const refused = (status: number, code: string, description: string): Reply => ({ status, json: { ...failure(code, description), ...(name === 'sendEdoc' ? { DocId: '' } : {}) } });
    // Accepts what the SDK 2.0.1 sends and the older forms (xroad.ts, verifySignedHeaders).
    const verified = verifySignedHeaders(request.headers, (systemId) => bySystemId.get(systemId)?.secret);
    if (!verified.ok) {
      counts.unauthorized++;
      return { reply: refused(401, 'AUTH', verified.reason), drop: false };
    }
    const caller: Caller = { agency: bySystemId.get(verified.systemId)!, signed: verified.signedHeaders };
    if (options.delayMs) await sleep(options.delayMs);
    if (options.failRate && random() < options.failRate) {
      counts.injectedFailures++;
      if (random() < 0.25) return { reply: { ...refused(429, 'BUSY', 'too many requests'), headers: { 'retry-after': '1' } }, drop: false };
      return { reply: refused(503, 'UNAVAILABLE', 'the axis is unavailable (injected failure)'), drop: false };
    }
    const drop = Boolean(options.dropRate && random() < options.dropRate);
    const route = routes[name];
    try {
      if (!route) throw new Refusal(404, 'NO_SUCH_CALL', `no call named "${name}"`);
      if (!route.methods.includes(request.method ?? '')) throw new Refusal(405, 'METHOD', `${name} takes ${route.methods.join(' or ')}`);
      return { reply: await route.handle(caller, request), drop };
    } catch (error) {
      if (error instanceof Refusal) return { reply: refused(error.httpStatus, error.code, error.message), drop: false };
      if (error instanceof FormError) return { reply: refused(400, 'BAD_FORM', error.message), drop: false };
      return { reply: refused(500, 'INTERNAL', (error as Error).message), drop: false };
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Refusal(400, 'RECIPIENT', 'to must be a JSON array of agency codes');
  }
  // The SDK writes `to` as the JSON of what the application gave: an array, or one code as a JSON string.
  const codes = typeof parsed === 'string' ? [parsed] : parsed;
  if (!Array.isArray(codes) || codes.length === 0 || !codes.every((code): code is string => typeof code === 'string')) throw new Refusal(400, 'RECIPIENT', 'to must be a non-empty JSON array of agency codes');
  if (new Set(codes).size !== codes.length) throw new Refusal(400, 'RECIPIENT', 'to lists an agency twice');
  return knownRecipients(codes, knownCodes);
}

function knownRecipients(codes: string[], knownCodes: Set<string>): string[] {
  const unknown = codes.filter((code) => !knownCodes.has(code));
  if (unknown.length > 0) throw new Refusal(400, 'RECIPIENT', `unknown agency code(s): ${unknown.join(', ')}`);
  return codes;
}

/** Where a package sent without `to` goes: its To organisations, or for a status the document's sender. */
async function addresseesOf(file: string, knownCodes: Set<string>): Promise<string[]> {
  const codes = await peekAddressees(file).catch(() => []);
  if (codes.length === 0) throw new Refusal(400, 'RECIPIENT', 'the request has no "to" and the package names no addressee');
  return knownRecipients(codes, knownCodes);
}

/**
 * The package of a sendEdoc into `target`, fsynced, checked against hash-file. A multipart form
 * carries it in its `file_doc` part. Otherwise it is the body: as eOffice sends it, or as the SDK
 * 2.0.1 does, followed by a CRLF that hash-file does not cover; that CRLF is dropped only when the
 * hash says so, so a package that itself ends in CRLF keeps it.
 */
async function receivePackage(request: http.IncomingMessage, target: string, sentHash: string): Promise<{ sha256: string; size: number }> {
  const boundary = formBoundary(request.headers['content-type']);
  let received: { sha256: string; size: number };
  if (boundary !== null) {
    received = await receiveFormFile(request as AsyncIterable<Buffer>, boundary, 'file_doc', target);
    if (!hashFileMatches(sentHash, received.sha256)) throw new Refusal(400, 'HASH', `hash-file ${sentHash} does not match the file_doc part received (${received.sha256})`);
  } else {
    const body = await receiveBody(request, target);
    if (hashFileMatches(sentHash, body.sha256)) received = body;
    else if (body.sha256BeforeFinalCrlf !== null && hashFileMatches(sentHash, body.sha256BeforeFinalCrlf)) {
      received = { sha256: body.sha256BeforeFinalCrlf, size: body.size - FINAL_CRLF.length };
      await fs.promises.truncate(target, received.size);
    } else throw new Refusal(400, 'HASH', `hash-file ${sentHash} does not match the body received (${body.sha256})`);
  }
  const file = await fs.promises.open(target, 'r+');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
  return received;
}

/**
 * The request body into a file, hashed as it arrives: the hash of the whole body, and of the body
 * without its last two bytes when those are a CRLF (the last two are held back from the hash, so
 * both come from one pass).
 */
async function receiveBody(request: http.IncomingMessage, target: string): Promise<{ sha256: string; size: number; sha256BeforeFinalCrlf: string | null }> {
  const hash = createHash('sha256');
  let held: Buffer = Buffer.alloc(0);
  let size = 0;
  const file = await fs.promises.open(target, 'w');
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      await file.write(chunk);
      const joined = chunk.length >= FINAL_CRLF.length ? chunk : Buffer.concat([held, chunk]);
      if (joined !== chunk) held = Buffer.alloc(0);
      hash.update(held);
      const keep = Math.min(FINAL_CRLF.length, joined.length);
      hash.update(joined.subarray(0, joined.length - keep));
      held = Buffer.from(joined.subarray(joined.length - keep));
    }
  } finally {
    await file.close();
  }
  const beforeHeld = held.equals(FINAL_CRLF) ? hash.copy().digest('hex') : null;
  hash.update(held);
  return { sha256: hash.digest('hex'), size, sha256BeforeFinalCrlf: beforeHeld };
}

/** The first `length` bytes of a stored package, for an answer cut short. */
async function headOf(path: string, length: number): Promise<Buffer> {
  const head = Buffer.alloc(length);
  const handle = await fs.promises.open(path, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  return head;
}

/** Sends part of an answer, then cuts the connection: the client never hears how it ended. */
function cutShort(response: http.ServerResponse, part: string | Buffer): Promise<void> {
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
  if ('raw' in reply) {
    const { path, size } = reply.raw;
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    // Half of it at most: a whole small package followed by a cut would be a complete answer.
    if (drop) return cutShort(response, await headOf(path, Math.min(Math.floor(size / 2), READ_BYTES)));
    for await (const chunk of fs.createReadStream(path, { highWaterMark: READ_BYTES }) as AsyncIterable<Buffer>) {
      if (!response.write(chunk)) await waitForDrain(response);
    }
    response.end();
    return;
  }
  const { path, size } = reply.edoc;
  // The SDK reads status, ErrorCode and ErrorDesc before the data; without them it hands out nothing.
  const prefix = `${JSON.stringify(SUCCESS).slice(0, -1)},"data":"`;
  const suffix = '"}';
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': prefix.length + 4 * Math.ceil(size / 3) + suffix.length });
  if (drop) return cutShort(response, prefix + (await headOf(path, Math.min(size, READ_BYTES))).toString('base64'));
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
