// The VXP axis adapter against the reference axis server (test/axis): signing, routing, dedup,
// streaming, and how every kind of failure is classified for the exchange loop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { AxisError, type AxisConfig, type SendRequest } from '../../main/core/axis/adapter.js';
import { createAxisAdapter } from '../../main/core/axis/createAdapter.js';
import { DataStreamError, JsonDataExtractor } from '../../main/core/axis/jsonDataStream.js';
import { encodeHex, signRequestHeaders, verifySignedHeaders } from '../../main/core/axis/xroad.js';
import type { BusinessDocType, EdocHeader } from '../../main/core/edxml/model.js';
import { documentIdOf, statusMessageXml, writeEdocPackage } from '../../main/core/edxml/write.js';
import { startAxisServer, type AxisServer, type AxisServerAgency, type AxisServerOptions } from '../axis/server.js';
import { REPO_ROOT, tempDir } from '../support/fixtures.js';

const agency = (code: string, name: string, systemId: string): AxisServerAgency => ({ code, name, systemId, secret: randomBytes(24).toString('base64url') });
const COMMUNE = agency('000.00.01.H99', 'UBND xã Thử Nghiệm', 'commune-system');
const DISTRICT = agency('000.00.02.H99', 'UBND huyện Thử Nghiệm', 'district-system');
const PROVINCE = agency('000.00.00.H99', 'UBND tỉnh Thử Nghiệm', 'province-system');
const AGENCIES = [COMMUNE, DISTRICT, PROVINCE];

const work = tempDir('eoffice-axis-');
let numberSeq = 0;

async function startServer(options: Partial<AxisServerOptions> = {}): Promise<AxisServer> {
  return startAxisServer({ dbPath: path.join(tempDir('eoffice-axis-db-'), 'axis.db'), agencies: AGENCIES, ...options });
}

function adapterFor(server: AxisServer, who: AxisServerAgency, overrides: Partial<AxisConfig> = {}) {
  return createAxisAdapter({ variant: 'vxp', endpoint: server.url, systemId: who.systemId, secret: who.secret, ...overrides });
}

function edocHeader(from: AxisServerAgency, to: AxisServerAgency[], number: string, docType: BusinessDocType = 0): EdocHeader {
  return {
    from: { organId: from.code, organName: from.name },
    to: to.map((recipient) => ({ organId: recipient.code, organName: recipient.name })),
    documentId: documentIdOf(from.code, '2026-03-02', number, 'UBND'),
    code: { number, notation: 'UBND' },
    promulgation: { place: 'Thử Nghiệm', date: '2026/03/02' },
    documentType: { type: '1', typeName: 'Công văn' },
    subject: 'Về việc thử nghiệm trục liên thông văn bản',
    signer: { fullName: 'Nguyễn Văn An', position: 'Chủ tịch' },
    toPlaces: [],
    other: { appendixes: [] },
    responseFor: [],
    trace: [],
    business: { docType, reason: '' },
  };
}

/** A real edXML package with one attachment of `attachmentBytes` random bytes. */
async function edocPackage(from: AxisServerAgency, to: AxisServerAgency[], options: { number?: string; attachmentBytes?: number; docType?: BusinessDocType } = {}): Promise<SendRequest> {
  const number = options.number ?? String(++numberSeq);
  const attachment = path.join(work, `attachment-${number}-${randomBytes(4).toString('hex')}.pdf`);
  fs.writeFileSync(attachment, randomBytes(options.attachmentBytes ?? 2048));
  const target = path.join(work, `edoc-${randomBytes(6).toString('hex')}.xml`);
  const written = await writeEdocPackage(edocHeader(from, to, number, options.docType), [{ contentId: 'att1', name: 'cong-van.pdf', contentType: 'application/pdf', path: attachment }], target);
  return { path: target, size: written.size, sha256: written.sha256, from: from.code, to: to.map((recipient) => recipient.code), messageType: 'edoc' };
}

function fileRequest(bytes: Buffer, from: AxisServerAgency, to: AxisServerAgency[], messageType: 'edoc' | 'status'): SendRequest {
  const target = path.join(work, `raw-${randomBytes(6).toString('hex')}.xml`);
  fs.writeFileSync(target, bytes);
  return { path: target, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), from: from.code, to: to.map((recipient) => recipient.code), messageType };
}

async function axisError(promise: Promise<unknown>): Promise<AxisError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AxisError) return error;
    throw error;
  }
  assert.fail('expected an AxisError');
}

const sha256Of = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('XroadVnpt signing', () => {
  test("the SDK's hex style drops each byte's leading zero; standard hex keeps it", () => {
    assert.equal(encodeHex(Uint8Array.of(0x0a, 0x00, 0xff, 0x10, 0x01), 'sdk'), 'a0ff101');
    assert.equal(encodeHex(Uint8Array.of(0x0a, 0x00, 0xff, 0x10, 0x01), 'standard'), '0a00ff1001');
    // A signature whose HMAC has a byte below 0x10 must come out shorter than 64 characters.
    let timestamp = 1_767_225_600_000;
    let headers: Record<string, string>;
    let digest: Buffer;
    do {
      headers = signRequestHeaders({ docId: 'abc' }, { systemId: 'sys', secret: 'k', now: timestamp++ });
      digest = createHmac('sha256', 'k').update(headers['XroadVnpt-sign-header']!).digest();
    } while (!digest.some((byte) => byte < 0x10));
    const expected = digest.toString('hex').match(/../g)!.map((pair) => pair.replace(/^0/, '')).join('');
    assert.equal(headers['XroadVnpt-hash-header'], expected);
    assert.ok(expected.length < 64);
    const standard = signRequestHeaders({ docId: 'abc' }, { systemId: 'sys', secret: 'k', now: timestamp - 1, hexStyle: 'standard' });
    assert.equal(standard['XroadVnpt-hash-header'], digest.toString('hex'));
  });

  test('headers are signed in order: systemid, timestamp, then the call headers, each also as XroadVnpt-*', () => {
    const headers = signRequestHeaders({ docId: 'x-1', status: 'done' }, { systemId: 'sys', secret: 'k', now: 42 });
    assert.equal(headers['XroadVnpt-sign-header-key'], 'XroadVnpt-systemid;XroadVnpt-timestamp;XroadVnpt-docId;XroadVnpt-status');
    assert.equal(headers['XroadVnpt-sign-header'], '{"XroadVnpt-systemid":"sys","XroadVnpt-timestamp":"42","XroadVnpt-docId":"x-1","XroadVnpt-status":"done"}');
    assert.equal(headers['docId'], 'x-1');
    assert.equal(headers['timestamp'], '42');
  });

  test('the verifier accepts a fresh signature and refuses a stale one, another secret, or an unknown system', () => {
    const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    const lookup = (id: string) => (id === 'sys' ? 'k' : undefined);
    const now = Date.now();
    const fresh = verifySignedHeaders(lower(signRequestHeaders({ docId: 'x' }, { systemId: 'sys', secret: 'k', now })), lookup, { now });
    assert.deepEqual(fresh, { ok: true, systemId: 'sys', signedHeaders: { systemid: 'sys', timestamp: String(now), docid: 'x' } });
    const stale = verifySignedHeaders(lower(signRequestHeaders({}, { systemId: 'sys', secret: 'k', now: now - 16 * 60_000 })), lookup, { now });
    assert.equal(stale.ok, false);
    // Within a quarter of an hour a commune PC's drifting clock is still accepted.
    assert.equal(verifySignedHeaders(lower(signRequestHeaders({}, { systemId: 'sys', secret: 'k', now: now + 14 * 60_000 })), lookup, { now }).ok, true);
    assert.equal(verifySignedHeaders(lower(signRequestHeaders({}, { systemId: 'sys', secret: 'other', now })), lookup, { now }).ok, false);
    assert.equal(verifySignedHeaders(lower(signRequestHeaders({}, { systemId: 'who', secret: 'k', now })), lookup, { now }).ok, false);
    assert.equal(verifySignedHeaders(lower(signRequestHeaders({}, { systemId: 'sys', secret: 'k', now, hexStyle: 'standard' })), lookup, { now, hexStyle: 'standard' }).ok, true);
  });

  test('a header value that is not ASCII is refused before anything is sent', () => {
    assert.throws(() => signRequestHeaders({ from: 'UBND xã' }, { systemId: 'sys', secret: 'k' }), /"from" header must be plain ASCII/);
  });
});

describe('the base64 answer reader', () => {
  const decode = (json: string, pieceSize: number) => {
    const reader = new JsonDataExtractor();
    const bytes = Buffer.from(json, 'utf8');
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += pieceSize) out.push(...reader.push(bytes.subarray(i, i + pieceSize)));
    return { data: Buffer.concat(out), ...reader.end() };
  };
  const payload = randomBytes(1000);
  const base64 = payload.toString('base64');

  test('decodes the data string in any split, with escaped slashes and other fields around it', () => {
    const json = `{ "status" : "OK", "ErrorDesc": "a \\"quoted\\", {odd} value", "data":"${base64.replace(/\//g, '\\/')}", "extra": [1, {"x": "]"}] }`;
    for (const pieceSize of [1, 2, 3, 7, 64, json.length]) {
      const result = decode(json, pieceSize);
      assert.deepEqual(result.data, payload, `pieces of ${pieceSize}`);
      assert.equal(result.dataFound, true);
      assert.equal(result.fields['status'], 'OK');
      assert.equal(result.fields['ErrorDesc'], 'a "quoted", {odd} value');
    }
  });

  test('a FAIL answer without data yields its fields and no bytes', () => {
    const result = decode('{"status":"FAIL","ErrorCode":"NOT_FOUND","ErrorDesc":"no","data":null}', 5);
    assert.equal(result.dataFound, false);
    assert.equal(result.data.length, 0);
    assert.equal(result.fields['ErrorCode'], 'NOT_FOUND');
  });

  test('another escape, a character outside base64, or padding in the middle is unsupported; a cut answer is incomplete', () => {
    const problem = (json: string) => {
      try {
        decode(json, 4);
      } catch (error) {
        assert.ok(error instanceof DataStreamError);
        return error.problem;
      }
      return 'none';
    };
    assert.equal(problem('{"data":"QUJD\\nREVG"}'), 'unsupported');
    assert.equal(problem('{"data":"QUJD\\u0041"}'), 'unsupported');
    assert.equal(problem('{"data":"QU JD"}'), 'unsupported');
    assert.equal(problem('{"data":"QQ==QUJD"}'), 'unsupported');
    assert.equal(problem('["QUJD"]'), 'unsupported');
    assert.equal(problem(`{"data":"${base64.slice(0, 100)}`), 'incomplete');
    assert.equal(problem('{"data":"QUJD"} x'), 'malformed');
    assert.equal(problem('{"data":"QUJD"}'), 'none');
  });
});

describe('the VXP adapter against the reference axis', () => {
  let server: AxisServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('commune sends, the district lists, fetches the same bytes and acknowledges; its list is then empty', async () => {
    const commune = adapterFor(server, COMMUNE);
    const district = adapterFor(server, DISTRICT);
    const request = await edocPackage(COMMUNE, [DISTRICT]);
    const { axisDocId } = await commune.send(request);
    const inbox = await district.listInbox('edoc');
    const item = inbox.find((entry) => entry.docId === axisDocId);
    assert.ok(item, 'the district lists the package');
    assert.equal(item.from, COMMUNE.code);
    assert.deepEqual(item.to, [DISTRICT.code]);
    assert.equal(item.messageType, 'edoc');
    assert.ok(item.createdTime);
    const target = path.join(work, 'fetched.xml');
    const fetched = await district.fetch(axisDocId, target);
    assert.deepEqual(fetched, { size: request.size, sha256: request.sha256 });
    assert.equal(sha256Of(target), request.sha256);
    await district.acknowledge(axisDocId, 'done');
    assert.equal((await district.listInbox('edoc')).some((entry) => entry.docId === axisDocId), false);
  });

  test('processing keeps an item listed; fail takes it off', async () => {
    const { axisDocId } = await adapterFor(server, COMMUNE).send(await edocPackage(COMMUNE, [DISTRICT]));
    const district = adapterFor(server, DISTRICT);
    await district.acknowledge(axisDocId, 'processing');
    assert.ok((await district.listInbox('edoc')).some((entry) => entry.docId === axisDocId));
    await district.acknowledge(axisDocId, 'fail');
    assert.equal((await district.listInbox('edoc')).some((entry) => entry.docId === axisDocId), false);
  });

  test('an agency cannot fetch a package that was not sent to it, and no file is left behind', async () => {
    const { axisDocId } = await adapterFor(server, DISTRICT).send(await edocPackage(DISTRICT, [PROVINCE]));
    const target = path.join(work, 'not-mine.xml');
    const error = await axisError(adapterFor(server, COMMUNE).fetch(axisDocId, target));
    assert.equal(error.kind, 'permanent');
    assert.equal(error.httpStatus, 404);
    assert.equal(error.axisCode, 'NOT_FOUND');
    assert.equal(fs.existsSync(target), false);
  });

  test('a package to two agencies reaches both, and each acknowledges for itself', async () => {
    const request = await edocPackage(COMMUNE, [DISTRICT, PROVINCE]);
    const { axisDocId } = await adapterFor(server, COMMUNE).send(request);
    const district = adapterFor(server, DISTRICT);
    const province = adapterFor(server, PROVINCE);
    const listed = (await province.listInbox('edoc')).find((entry) => entry.docId === axisDocId);
    assert.deepEqual(listed?.to, [DISTRICT.code, PROVINCE.code]);
    assert.ok((await district.listInbox('edoc')).some((entry) => entry.docId === axisDocId));
    await district.acknowledge(axisDocId, 'done');
    assert.ok((await province.listInbox('edoc')).some((entry) => entry.docId === axisDocId), 'still waiting for the province');
    assert.equal((await province.fetch(axisDocId, path.join(work, 'province.xml'))).sha256, request.sha256);
  });

  test('the same document sent twice gets the same DocId and is delivered once; a recall of it is a new message', async () => {
    const commune = adapterFor(server, COMMUNE);
    const number = `dedup-${randomBytes(3).toString('hex')}`;
    const first = await commune.send(await edocPackage(COMMUNE, [DISTRICT], { number }));
    // A re-built package (new attachment bytes) of the same document is still the same document.
    const second = await commune.send(await edocPackage(COMMUNE, [DISTRICT], { number }));
    assert.equal(second.axisDocId, first.axisDocId);
    const recall = await commune.send(await edocPackage(COMMUNE, [DISTRICT], { number, docType: 1 }));
    assert.notEqual(recall.axisDocId, first.axisDocId);
    const ids = (await adapterFor(server, DISTRICT).listInbox('edoc')).map((entry) => entry.docId);
    assert.equal(ids.filter((id) => id === first.axisDocId).length, 1);
    assert.ok(ids.includes(recall.axisDocId));
  });

  test('a status message is routed to the status inbox only, and a re-send of the same bytes is deduplicated', async () => {
    const status = statusMessageXml({
      from: { organId: DISTRICT.code, organName: DISTRICT.name },
      responseFor: { organId: COMMUNE.code, code: '12/UBND', documentId: documentIdOf(COMMUNE.code, '2026-03-02', '12', 'UBND') },
      statusCode: '01',
      description: 'Đã đến',
      timestamp: '2026/03/02 08:00:00',
    });
    const district = adapterFor(server, DISTRICT);
    const { axisDocId } = await district.send(fileRequest(status, DISTRICT, [COMMUNE], 'status'));
    assert.equal((await district.send(fileRequest(status, DISTRICT, [COMMUNE], 'status'))).axisDocId, axisDocId);
    const commune = adapterFor(server, COMMUNE);
    const statuses = await commune.listInbox('status');
    assert.deepEqual(
      statuses.filter((entry) => entry.docId === axisDocId).map((entry) => entry.messageType),
      ['status'],
    );
    assert.equal((await commune.listInbox('edoc')).some((entry) => entry.docId === axisDocId), false);
    const target = path.join(work, 'status.xml');
    await commune.fetch(axisDocId, target);
    assert.deepEqual(fs.readFileSync(target), status);
  });

  test('the agency directory comes from the axis, also through an endpoint with a base path', async () => {
    const agencies = await adapterFor(server, COMMUNE, { endpoint: `${server.url}/vxp/` }).listAgencies();
    assert.deepEqual(agencies, AGENCIES.map(({ code, name }) => ({ code, name })));
  });

  test('a wrong secret or an unknown system id is an auth error, counted by the server as refused', async () => {
    const before = server.stats().unauthorized;
    const wrongSecret = await axisError(adapterFor(server, COMMUNE, { secret: 'not-the-secret' }).listInbox('edoc'));
    assert.equal(wrongSecret.kind, 'auth');
    assert.equal(wrongSecret.httpStatus, 401);
    assert.equal(wrongSecret.axisCode, 'AUTH');
    const unknown = await axisError(adapterFor(server, COMMUNE, { systemId: 'nobody' }).send(await edocPackage(COMMUNE, [DISTRICT])));
    assert.equal(unknown.kind, 'auth');
    assert.equal(server.stats().unauthorized, before + 2);
  });

  test('an axis that checks standard hex accepts a client configured for standard hex', async () => {
    const standard = await startServer({ hexStyle: 'standard' });
    try {
      assert.equal((await adapterFor(standard, COMMUNE, { hexStyle: 'standard' }).listAgencies()).length, AGENCIES.length);
    } finally {
      await standard.close();
    }
  });

  test('sending as another agency is refused (403, an auth error)', async () => {
    const request = await edocPackage(DISTRICT, [PROVINCE]);
    const error = await axisError(adapterFor(server, COMMUNE).send(request));
    assert.equal(error.kind, 'auth');
    assert.equal(error.httpStatus, 403);
  });

  test('a signature JSON swapped for another validly signed one, or a plain header changed, is refused', async () => {
    const raw = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(`${server.url}/getEdoc`, { method: 'POST', headers }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on('error', reject);
        request.end();
      });
    const { axisDocId } = await adapterFor(server, COMMUNE).send(await edocPackage(COMMUNE, [DISTRICT]));
    const sign = (docId: string) => signRequestHeaders({ docId }, { systemId: DISTRICT.systemId, secret: DISTRICT.secret });
    assert.equal((await raw(sign(axisDocId))).status, 200, 'the untouched request is accepted');
    const other = sign('some-other-doc');
    const swapped = { ...sign(axisDocId), 'XroadVnpt-sign-header': other['XroadVnpt-sign-header']!, 'XroadVnpt-hash-header': other['XroadVnpt-hash-header']! };
    const refusedSwap = await raw(swapped);
    assert.equal(refusedSwap.status, 401);
    assert.equal((JSON.parse(refusedSwap.body) as { ErrorCode: string }).ErrorCode, 'AUTH');
    assert.equal((await raw({ ...sign('some-other-doc'), docId: axisDocId })).status, 401);
  });

  test('a recipient the axis does not know is a permanent refusal with the axis error code', async () => {
    const request = await edocPackage(COMMUNE, [DISTRICT]);
    const error = await axisError(adapterFor(server, COMMUNE).send({ ...request, to: ['999.99.99.H99'] }));
    assert.equal(error.kind, 'permanent');
    assert.equal(error.httpStatus, 400);
    assert.equal(error.axisCode, 'RECIPIENT');
    assert.match(error.message, /999\.99\.99\.H99/);
  });

  test('a body that does not match its hash is refused permanently', async () => {
    const request = await edocPackage(COMMUNE, [DISTRICT]);
    const error = await axisError(adapterFor(server, COMMUNE).send({ ...request, sha256: '0'.repeat(64) }));
    assert.equal(error.kind, 'permanent');
    assert.equal(error.axisCode, 'HASH');
  });

  test('a package that is not edXML is refused permanently as BAD_PACKAGE', async () => {
    const error = await axisError(adapterFor(server, COMMUNE).send(fileRequest(Buffer.from('%PDF-1.7 not xml at all'), COMMUNE, [DISTRICT], 'edoc')));
    assert.equal(error.kind, 'permanent');
    assert.equal(error.axisCode, 'BAD_PACKAGE');
  });

  test('a code that is not ASCII is refused in the client, before any request', async () => {
    const before = server.stats().requests;
    const request = await edocPackage(COMMUNE, [DISTRICT]);
    const error = await axisError(adapterFor(server, COMMUNE).send({ ...request, to: ['UBND xã Đông'] }));
    assert.equal(error.kind, 'permanent');
    assert.match(error.message, /ASCII/);
    assert.equal(server.stats().requests, before);
  });
});

describe('the VXP adapter when the axis misbehaves', () => {
  const servers: AxisServer[] = [];
  const start = async (options: Partial<AxisServerOptions>) => {
    const server = await startServer(options);
    servers.push(server);
    return server;
  };
  after(() => Promise.all(servers.map((server) => server.close())));

  test('a 503 is transient and nothing was stored', async () => {
    const server = await start({ failRate: 1, random: () => 0.5 });
    const error = await axisError(adapterFor(server, COMMUNE).send(await edocPackage(COMMUNE, [DISTRICT])));
    assert.equal(error.kind, 'transient');
    assert.equal(error.httpStatus, 503);
    assert.equal(server.stats().deliveries, 0);
  });

  test('a 429 is transient and carries Retry-After in milliseconds', async () => {
    const server = await start({ failRate: 1, random: () => 0 });
    const error = await axisError(adapterFor(server, COMMUNE).listInbox('edoc'));
    assert.equal(error.kind, 'transient');
    assert.equal(error.httpStatus, 429);
    assert.equal(error.retryAfterMs, 1000);
  });

  test('an answer cut off after the axis stored the package is transient; the retry gets the same DocId and one delivery', async () => {
    let roll = 0;
    const server = await start({ dropRate: 0.5, random: () => roll });
    const commune = adapterFor(server, COMMUNE);
    const request = await edocPackage(COMMUNE, [DISTRICT]);
    const error = await axisError(commune.send(request));
    assert.equal(error.kind, 'transient');
    assert.equal(server.stats().messagesStored, 1, 'the axis did the work');
    roll = 0.9;
    const { axisDocId } = await commune.send(request);
    assert.deepEqual((await adapterFor(server, DISTRICT).listInbox('edoc')).map((entry) => entry.docId), [axisDocId]);
    assert.equal(server.stats().deliveries, 1);
    assert.equal(server.stats().duplicateSends, 1);
  });

  test('a package answer cut off midway is transient and leaves no partial file', async () => {
    let roll = 0.9;
    const server = await start({ dropRate: 0.5, random: () => roll });
    const { axisDocId } = await adapterFor(server, COMMUNE).send(await edocPackage(COMMUNE, [DISTRICT], { attachmentBytes: 1 << 20 }));
    roll = 0;
    const target = path.join(work, 'cut.xml');
    const error = await axisError(adapterFor(server, DISTRICT).fetch(axisDocId, target));
    assert.equal(error.kind, 'transient');
    assert.equal(fs.existsSync(target), false);
  });

  test('with duplicateRate 1 every item is listed twice', async () => {
    const server = await start({ duplicateRate: 1 });
    const { axisDocId } = await adapterFor(server, COMMUNE).send(await edocPackage(COMMUNE, [DISTRICT]));
    assert.deepEqual((await adapterFor(server, DISTRICT).listInbox('edoc')).map((entry) => entry.docId), [axisDocId, axisDocId]);
  });

  test('an axis that makes no progress times out as transient; an abort rejects with the abort reason', async () => {
    const server = await start({ delayMs: 1500 });
    const slow = await axisError(adapterFor(server, COMMUNE, { timeoutMs: 200 }).listAgencies());
    assert.equal(slow.kind, 'transient');
    assert.match(slow.message, /no progress/);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(adapterFor(server, COMMUNE).listAgencies(controller.signal), { name: 'AbortError' });
  });

  test('an axis that cannot be reached is transient', async () => {
    const server = await start({});
    const url = server.url;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const error = await axisError(createAxisAdapter({ variant: 'vxp', endpoint: url, systemId: COMMUNE.systemId, secret: COMMUNE.secret }).listAgencies());
    assert.equal(error.kind, 'transient');
  });
});

test('a 60 MB package is fetched as a stream: the fetching process grows far less than the package', { timeout: 180_000 }, async (t) => {
  const server = await startServer();
  try {
    const request = await edocPackage(COMMUNE, [DISTRICT], { attachmentBytes: 45 * 1024 * 1024 });
    assert.ok(request.size > 60_000_000);
    const { axisDocId } = await adapterFor(server, COMMUNE).send(request);
    // The fetch runs in a child process so that its peak memory (maxRSS) is its own, not this
    // test's, which holds the server and made the package. Buffering the answer would need the
    // 80 MB of JSON text plus the 60 MB decoded; streaming needs a few chunks.
    const script = path.join(work, 'fetch-child.mts');
    fs.writeFileSync(
      script,
      `import { createAxisAdapter } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'main/core/axis/createAdapter.ts')).href)};
const [config, docId, target] = JSON.parse(process.argv[2]);
const before = process.resourceUsage().maxRSS;
const result = await createAxisAdapter(config).fetch(docId, target);
console.log(JSON.stringify({ before, after: process.resourceUsage().maxRSS, ...result }));
`,
    );
    const target = path.join(work, 'large.xml');
    const config: AxisConfig = { variant: 'vxp', endpoint: server.url, systemId: DISTRICT.systemId, secret: DISTRICT.secret };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, JSON.stringify([config, axisDocId, target])], { cwd: REPO_ROOT, maxBuffer: 1 << 20 });
    const measured = JSON.parse(stdout) as { before: number; after: number; size: number; sha256: string };
    assert.equal(measured.size, request.size);
    assert.equal(measured.sha256, request.sha256);
    assert.equal(sha256Of(target), request.sha256);
    const growthMb = (measured.after - measured.before) / 1024;
    t.diagnostic(`peak RSS growth while fetching ${(request.size / 1e6).toFixed(0)} MB: ${growthMb.toFixed(1)} MB`);
    // Generous: garbage collection timing varies; a buffered fetch would grow by well over 100 MB.
    assert.ok(growthMb < 40, `the fetching process grew by ${growthMb.toFixed(1)} MB`);
  } finally {
    await server.close();
  }
});

test('a kept-alive connection the axis closed while idle is retried once on a fresh one, not reported as the axis being down', async () => {
  const first = await startServer();
  const port = first.port;
  const adapter = adapterFor(first, COMMUNE);
  assert.deepEqual(await adapter.listInbox('edoc'), []);
  // The axis restarts (or a proxy drops idle connections): the adapter's pooled socket is now dead.
  await first.close();
  const second = await startServer({ port, dbPath: path.join(work, `restarted-${randomBytes(4).toString('hex')}.sqlite`) });
  try {
    assert.deepEqual(await adapter.listInbox('edoc'), [], 'answered on a fresh connection');
    assert.equal((await adapter.listAgencies()).length, AGENCIES.length);
  } finally {
    await second.close();
  }
});
