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
import { encodeHex, hashFileHeader, javaHashMapOrder, parseXroadTimestamp, signRequestHeaders, verifySignedHeaders, xroadTimestamp, type SignOptions } from '../../main/core/axis/xroad.js';
import type { BusinessDocType, EdocHeader } from '../../main/core/edxml/model.js';
import { statusMessageXml, writeEdocPackage } from '../../main/core/edxml/write.js';
import { documentIdOf } from '../../main/common/identifierCode.js';
import { startAxisServer, type AxisServer, type AxisServerAgency, type AxisServerOptions } from '../axis/server.js';
import { javaHashMapOrder as sdkHashMapOrder, javaStringHashCode, sdkRequestHeaders, sendEdocCall, toHexStringPerByte } from '../axis/sdkClient.js';
import { axisEndpointProblem } from '../../main/core/axis/endpoint.js';
import { axisConfig, writeAxisSecret } from '../../main/core/exchange/axisSettings.js';
import { createKeyFileSecretBox } from '../../main/core/secrets/secretBox.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { AppError } from '../../main/common/errors.js';
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
  const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const lookup = (id: string) => (id === 'sys' ? 'k' : undefined);
  const sign = (call: Record<string, string>, options: Partial<SignOptions> = {}) => signRequestHeaders(call, { systemId: 'sys', secret: 'k', contentType: 'application/json', ...options });

  test('by default the HMAC is standard hex, as the SDK 2.0.1 writes it; dropped zeros is the older setting', () => {
    assert.equal(encodeHex(Uint8Array.of(0x0a, 0x00, 0xff, 0x10, 0x01), 'dropped-zeros'), 'a0ff101');
    assert.equal(encodeHex(Uint8Array.of(0x0a, 0x00, 0xff, 0x10, 0x01), 'standard'), '0a00ff1001');
    // A signature whose HMAC has a byte below 0x10 tells the two apart.
    let now = 1_767_225_600_000;
    let headers: Record<string, string>;
    let digest: Buffer;
    do {
      headers = sign({ docId: 'abc' }, { now: now++ });
      digest = createHmac('sha256', 'k').update(headers['XroadVnpt-sign-header']!).digest();
    } while (!digest.some((byte) => byte < 0x10));
    assert.equal(headers['XroadVnpt-hash-header'], digest.toString('hex'));
    const older = sign({ docId: 'abc' }, { now: now - 1, hmacHex: 'dropped-zeros' });
    assert.equal(older['XroadVnpt-hash-header'], toHexStringPerByte(digest));
    assert.ok(older['XroadVnpt-hash-header']!.length < 64);
  });

  test("the SDK's form: Vietnam-time timestamp, plain names in HashMap order, Content-Type signed, SDK User-Agent", () => {
    // 07/12/2026 18:30:35.694 in Vietnam is 11:30:35.694 UTC.
    const now = Date.UTC(2026, 11, 7, 11, 30, 35, 694);
    const headers = sign({ docId: 'x-1', status: 'done' }, { now });
    assert.equal(headers['timestamp'], '07122026T183035+0694');
    // timestamp, Content-Type and status share bucket 15 of the 16-slot table, in the order put.
    assert.equal(headers['XroadVnpt-sign-header-key'], 'systemid;docId;timestamp;Content-Type;status');
    assert.equal(
      headers['XroadVnpt-sign-header'],
      '{"XroadVnpt-systemid":"sys","XroadVnpt-docId":"x-1","XroadVnpt-timestamp":"07122026T183035+0694","XroadVnpt-Content-Type":"application/json","XroadVnpt-status":"done"}',
    );
    assert.equal(headers['Content-Type'], 'application/json');
    assert.equal(headers['User-Agent'], 'JAVASDKAgent/1.0.0 XRoad/VPCP');
    assert.equal(headers['XroadVnpt-version'], '3.0.201608');
    assert.equal(headers['docId'], 'x-1');
    // Exactly what the SDK-style client in test/axis, written separately, signs for the same call.
    const sdk = Object.fromEntries(sdkRequestHeaders({ systemId: 'sys', secret: 'k' }, { contentType: 'application/json', headers: [['docId', 'x-1'], ['status', 'done']] }, '07122026T183035+0694'));
    for (const name of ['XroadVnpt-sign-header-key', 'XroadVnpt-sign-header', 'XroadVnpt-hash-header']) assert.equal(headers[name], sdk[name], name);
  });

  test('the timestamp is Vietnam time whatever the zone of this machine, and reads back as the same instant', () => {
    const zone = process.env['TZ'];
    try {
      for (const tz of ['America/New_York', 'UTC', 'Asia/Tokyo']) {
        process.env['TZ'] = tz;
        // 23:59:59.005 UTC on 31/12/2026 is already 1 January 2027 in Vietnam.
        assert.equal(xroadTimestamp(Date.UTC(2026, 11, 31, 23, 59, 59, 5), 'sdk-2.0.1'), '01012027T065959+0005', tz);
      }
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
    const instant = Date.UTC(2026, 1, 28, 17, 0, 0, 999);
    assert.equal(parseXroadTimestamp(xroadTimestamp(instant, 'sdk-2.0.1')), instant);
    assert.equal(parseXroadTimestamp(String(instant)), instant, 'older clients: epoch milliseconds');
    for (const bad of ['', '29022026T000000+0000', '07122026T243035+0694', '07122026T183035+1000', '07122026T183035+07:00', '1e12', ' 42', '2026-12-07T18:30:35+07:00']) {
      assert.equal(parseXroadTimestamp(bad), null, bad);
    }
  });

  test("the legacy form is what eOffice sent before: epoch milliseconds, prefixed names, insertion order, Content-Type unsigned", () => {
    const headers = sign({ docId: 'x-1', status: 'done' }, { now: 42, signing: 'legacy' });
    assert.equal(headers['XroadVnpt-sign-header-key'], 'XroadVnpt-systemid;XroadVnpt-timestamp;XroadVnpt-docId;XroadVnpt-status');
    assert.equal(headers['XroadVnpt-sign-header'], '{"XroadVnpt-systemid":"sys","XroadVnpt-timestamp":"42","XroadVnpt-docId":"x-1","XroadVnpt-status":"done"}');
    assert.equal(headers['timestamp'], '42');
    assert.equal(hashFileHeader('0a'.repeat(32), 'legacy'), '0a'.repeat(32));
    assert.equal(hashFileHeader('0a'.repeat(32), 'sdk-2.0.1'), 'a'.repeat(32), "the SDK's hash-file drops each byte's leading zero");
  });

  test('the Java HashMap order: String.hashCode, spread hash, 16 slots doubling past three quarters full', () => {
    assert.equal(javaStringHashCode('timestamp'), 55126294);
    assert.equal(javaStringHashCode('servicetype'), -1927416977);
    // The SDK's own listing of sendEdoc's headers.
    const put = ['timestamp', 'systemid', 'Content-Type', 'from', 'to', 'servicetype', 'messagetype', 'hash-file'];
    assert.deepEqual(javaHashMapOrder(put), ['systemid', 'servicetype', 'messagetype', 'hash-file', 'from', 'to', 'timestamp', 'Content-Type']);
    // The client's and the test's implementations agree, also past a resize (13 keys) and with a key put twice.
    const many = [...put, 'docId', 'status', 'filePath', 'docId', 'a', 'b', 'c', 'Aa', 'BB'];
    assert.deepEqual(javaHashMapOrder(many), sdkHashMapOrder(many));
    // "Aa" and "BB" have the same hashCode: they stay in the order put.
    assert.deepEqual(javaHashMapOrder(['BB', 'Aa']), ['BB', 'Aa']);
    assert.deepEqual(javaHashMapOrder(['Aa', 'BB']), ['Aa', 'BB']);
  });

  test('the verifier accepts the SDK form and the older forms, and refuses a stale, foreign or reordered one', () => {
    const now = Date.now();
    const fresh = verifySignedHeaders(lower(sign({ docId: 'x' }, { now })), lookup, { now });
    assert.deepEqual(fresh, { ok: true, systemId: 'sys', signedHeaders: { systemid: 'sys', docid: 'x', timestamp: xroadTimestamp(now, 'sdk-2.0.1'), 'content-type': 'application/json' } });
    for (const options of [{ signing: 'legacy' as const }, { signing: 'legacy' as const, hmacHex: 'dropped-zeros' as const }, { hmacHex: 'dropped-zeros' as const }]) {
      assert.equal(verifySignedHeaders(lower(sign({ docId: 'x' }, { now, ...options })), lookup, { now }).ok, true, JSON.stringify(options));
    }
    const stale = verifySignedHeaders(lower(sign({}, { now: now - 16 * 60_000 })), lookup, { now });
    assert.equal(stale.ok, false);
    // Within a quarter of an hour a commune PC's drifting clock is still accepted.
    assert.equal(verifySignedHeaders(lower(sign({}, { now: now + 14 * 60_000 })), lookup, { now }).ok, true);
    assert.equal(verifySignedHeaders(lower(sign({}, { now, secret: 'other' })), lookup, { now }).ok, false);
    assert.equal(verifySignedHeaders(lower(sign({}, { now, systemId: 'who' })), lookup, { now }).ok, false);
    // The key list must follow the JSON as sent.
    const signed = lower(sign({ docId: 'x' }, { now }));
    const reordered = { ...signed, 'xroadvnpt-sign-header-key': signed['xroadvnpt-sign-header-key']!.split(';').reverse().join(';') };
    assert.deepEqual(verifySignedHeaders(reordered, lookup, { now }), { ok: false, reason: 'XroadVnpt-sign-header-key does not list the signed headers' });
    // A plain copy is optional, but one that says something else is refused.
    const { docid: _dropped, ...withoutPlain } = signed;
    assert.equal(verifySignedHeaders(withoutPlain, lookup, { now }).ok, true);
    assert.equal(verifySignedHeaders({ ...signed, docid: 'y' }, lookup, { now }).ok, false);
  });

  test('a header value that is not ASCII is refused before anything is sent', () => {
    assert.throws(() => sign({ from: 'UBND xã' }), /"from" header must be plain ASCII/);
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

  test('a client configured for the older forms (legacy signing, dropped-zero HMAC) still sends and receives', async () => {
    const before = server.stats().unauthorized;
    for (const overrides of [{ signing: 'legacy' as const }, { signing: 'legacy' as const, hmacHex: 'dropped-zeros' as const }, { hmacHex: 'dropped-zeros' as const }]) {
      const request = await edocPackage(COMMUNE, [DISTRICT]);
      const { axisDocId } = await adapterFor(server, COMMUNE, overrides).send(request);
      const district = adapterFor(server, DISTRICT, overrides);
      assert.ok((await district.listInbox('edoc')).some((entry) => entry.docId === axisDocId), JSON.stringify(overrides));
      assert.equal((await district.fetch(axisDocId, path.join(work, 'older-form.xml'))).sha256, request.sha256);
      await district.acknowledge(axisDocId, 'done');
    }
    assert.equal(server.stats().unauthorized, before);
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
    const sign = (docId: string) => signRequestHeaders({ docId }, { systemId: DISTRICT.systemId, secret: DISTRICT.secret, contentType: 'application/json' });
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

describe('the VXP adapter against a server that checks exactly what the SDK 2.0.1 sends', () => {
  interface StrictServer {
    url: string;
    calls: string[];
    problems: string[];
    close(): Promise<void>;
  }

  /**
   * For each request, rebuilds with the SDK-style client (test/axis/sdkClient.ts) what the SDK
   * would have sent for the same call at the same timestamp, and answers 401 with every difference:
   * the timestamp's form and zone, the JSON byte for byte (names, order, values), the key list, the
   * HMAC's hex, Content-Type, hash-file's hex, User-Agent and version, and the method. Otherwise it answers as the
   * axis does, keeping one package.
   */
  async function startStrictSdkServer(identity: AxisServerAgency): Promise<StrictServer> {
    const calls: string[] = [];
    const problems: string[] = [];
    let stored: { docId: string; body: Buffer; from: string; to: string } | null = null;
    const ok = (fields: Record<string, unknown> = {}) => ({ status: 'OK', ErrorCode: '0', ErrorDesc: '', ...fields });

    const problemsOf = (request: http.IncomingMessage, call: string, body: Buffer): string[] => {
      const found: string[] = [];
      const header = (name: string) => {
        const value = request.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      let pairs: Record<string, string>;
      try {
        pairs = JSON.parse(header('XroadVnpt-sign-header') ?? '') as Record<string, string>;
      } catch {
        return ['XroadVnpt-sign-header is not JSON'];
      }
      const value = (name: string) => pairs[`XroadVnpt-${name}`] ?? '';
      const timestamp = value('timestamp');
      const parts = /^(\d{2})(\d{2})(\d{4})T(\d{2})(\d{2})(\d{2})\+(\d{4})$/.exec(timestamp)?.slice(1).map(Number);
      if (!parts) found.push(`timestamp "${timestamp}" is not ddMMyyyy'T'HHmmss+SSSS`);
      else {
        const [day, month, year, hour, minute, second, millis] = parts as [number, number, number, number, number, number, number];
        const instant = Date.UTC(year, month - 1, day, hour - 7, minute, second, millis);
        if (Math.abs(instant - Date.now()) > 60_000) found.push(`timestamp ${timestamp} is not the time now in Vietnam`);
      }
      if (value('systemid') !== identity.systemId) found.push(`systemid is "${value('systemid')}"`);
      // The SDK posts every one of these calls, getAgenciesList included (AgencyServiceImp).
      if (request.method !== 'POST') found.push(`method is ${request.method}; the SDK posts ${call}`);
      const json = { contentType: 'application/json' as const, headers: [] as [string, string][] };
      const sdkCall =
        call === 'sendEdoc'
          ? sendEdocCall(value('from'), JSON.parse(value('to') || '[]') as string[], value('messagetype') as 'edoc', body)
          : call === 'getReceivedEdocList'
            ? { ...json, headers: [['servicetype', value('servicetype')], ['messagetype', value('messagetype')]] as [string, string][] }
            : call === 'getEdoc'
              ? { ...json, headers: [['docId', value('docId')]] as [string, string][] }
              : call === 'updateStatus'
                ? { ...json, headers: [['docId', value('docId')], ['status', value('status')]] as [string, string][] }
                : json;
      for (const [name, expected] of sdkRequestHeaders(identity, sdkCall, timestamp)) {
        if (header(name) !== expected) found.push(`${name} is ${JSON.stringify(header(name))}; the SDK sends ${JSON.stringify(expected)}`);
      }
      return found;
    };

    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const call = new URL(request.url ?? '/', 'http://axis').pathname.split('/').pop() ?? '';
        const body = Buffer.concat(chunks);
        calls.push(call);
        const found = problemsOf(request, call, body);
        problems.push(...found.map((problem) => `${call}: ${problem}`));
        let status = 200;
        let answer: Record<string, unknown>;
        if (found.length > 0) {
          status = 401;
          answer = { status: 'FAIL', ErrorCode: 'AUTH', ErrorDesc: found.join('; ') };
        } else if (call === 'sendEdoc') {
          stored = { docId: 'sdk-doc-1', body, from: String(JSON.parse(request.headers['xroadvnpt-sign-header'] as string)['XroadVnpt-from']), to: DISTRICT.code };
          answer = ok({ DocId: stored.docId });
        } else if (call === 'getReceivedEdocList') {
          answer = ok({ data: stored ? [{ docId: stored.docId, messageType: 'edoc', from: stored.from, to: stored.to, created_time: '2026-12-07 18:30:35', status: 'pending' }] : [] });
        } else if (call === 'getEdoc') {
          answer = ok({ data: stored?.body.toString('base64') ?? null });
        } else if (call === 'getAgenciesList') {
          answer = ok({ data: AGENCIES.map(({ code, name }) => ({ code, name })) });
        } else answer = ok();
        const text = JSON.stringify(answer);
        response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        response.end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      calls,
      problems,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  /** A package whose SHA-256 has a byte below 0x10, so that hash-file's dropped zero shows. */
  async function packageWithSmallByte(): Promise<SendRequest> {
    for (;;) {
      const request = await edocPackage(COMMUNE, [DISTRICT]);
      if (Buffer.from(request.sha256, 'hex').some((byte) => byte < 0x10)) return request;
    }
  }

  test('by default every call (send, list, fetch, acknowledge, agencies) is what the SDK 2.0.1 sends', async () => {
    const strict = await startStrictSdkServer(COMMUNE);
    try {
      const adapter = createAxisAdapter({ variant: 'vxp', endpoint: strict.url, systemId: COMMUNE.systemId, secret: COMMUNE.secret });
      const request = await packageWithSmallByte();
      const { axisDocId } = await adapter.send(request);
      assert.deepEqual((await adapter.listInbox('edoc')).map((item) => item.docId), [axisDocId]);
      assert.deepEqual(await adapter.fetch(axisDocId, path.join(work, 'strict.xml')), { size: request.size, sha256: request.sha256 });
      await adapter.acknowledge(axisDocId, 'done');
      assert.equal((await adapter.listAgencies()).length, AGENCIES.length);
      assert.deepEqual(strict.problems, []);
      assert.deepEqual(strict.calls, ['sendEdoc', 'getReceivedEdocList', 'getEdoc', 'updateStatus', 'getAgenciesList']);
    } finally {
      await strict.close();
    }
  });

  test('that server does tell: the legacy form is refused there, with each difference named', async () => {
    const strict = await startStrictSdkServer(COMMUNE);
    try {
      const legacy = createAxisAdapter({ variant: 'vxp', endpoint: strict.url, systemId: COMMUNE.systemId, secret: COMMUNE.secret, signing: 'legacy' });
      const error = await axisError(legacy.send(await packageWithSmallByte()));
      assert.equal(error.kind, 'auth');
      const reported = strict.problems.join('\n');
      assert.match(reported, /timestamp "\d+" is not ddMMyyyy'T'HHmmss\+SSSS/);
      assert.match(reported, /XroadVnpt-sign-header-key is "XroadVnpt-systemid;/);
      assert.match(reported, /XroadVnpt-hash-file is/);
    } finally {
      await strict.close();
    }
  });
});

test('an http:// endpoint is refused unless it is this computer, with the same sentence the settings give', () => {
  const config = (endpoint: string): AxisConfig => ({ variant: 'vxp', endpoint, systemId: COMMUNE.systemId, secret: COMMUNE.secret });
  for (const endpoint of ['http://lgsp.example.gov.vn/vxp', 'http://10.0.0.5:8080/', 'http://[2001:db8::1]/', 'http://127.0.0.1.example.com/', 'HTTP://LGSP.EXAMPLE.GOV.VN']) {
    assert.throws(
      () => createAxisAdapter(config(endpoint)),
      (error: unknown) => error instanceof AxisError && error.kind === 'permanent' && error.message === axisEndpointProblem(endpoint) && /must use https:\/\//.test(error.message),
      endpoint,
    );
  }
  for (const endpoint of ['https://lgsp.example.gov.vn/vxp', 'http://127.0.0.1:8080/', 'http://127.8.9.10/', 'http://127.1/', 'http://localhost:1/', 'http://[::1]:1/', 'http://[::ffff:127.0.0.1]/']) {
    assert.equal(axisEndpointProblem(endpoint), null, endpoint);
    assert.doesNotThrow(() => createAxisAdapter(config(endpoint)), endpoint);
  }
  assert.match(axisEndpointProblem('ftp://lgsp.example.gov.vn')!, /must be an https URL/);
});

test('settings: an older settings file (hexStyle "sdk") reads as the SDK 2.0.1 defaults; a stored http:// endpoint elsewhere is reported, not used', () => {
  const dir = tempDir('eoffice-axis-settings-');
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ axisEndpoint: 'https://lgsp.example.gov.vn/vxp', axisSystemId: 'sys', axisHexStyle: 'sdk', axisPaths: {} }));
  const settings = createFileSettings(dir);
  const box = createKeyFileSecretBox(dir);
  writeAxisSecret(dir, box, 'bí mật');
  assert.deepEqual(axisConfig(dir, settings, box), { variant: 'vxp', endpoint: 'https://lgsp.example.gov.vn/vxp', systemId: 'sys', secret: 'bí mật', signing: 'sdk-2.0.1', hmacHex: 'standard', paths: {} });
  settings.update({ axisSigning: 'legacy', axisHexStyle: 'dropped-zeros' });
  assert.equal(axisConfig(dir, settings, box)?.signing, 'legacy');
  assert.equal(axisConfig(dir, settings, box)?.hmacHex, 'dropped-zeros');
  // Saved before plain http was refused (the settings file written by hand or by an older version).
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ axisEndpoint: 'http://lgsp.example.gov.vn/vxp', axisSystemId: 'sys' }));
  assert.throws(
    () => axisConfig(dir, createFileSettings(dir), box),
    (error: unknown) => error instanceof AppError && error.code === 'AXIS_ENDPOINT_INSECURE' && error.message === axisEndpointProblem('http://lgsp.example.gov.vn/vxp'),
  );
});
