// The reference axis and a client that sends what the national SDK 2.0.1 sends and reads the
// answers as the SDK reads them (test/axis/sdkClient.ts: one header map and one timestamp per
// service object, signed as the SDK signs; sendEdoc's body the package and a CRLF; getEdoc and
// updateStatus posting "{}"; getAgenciesList by POST; the lists read only when ErrorCode is "0").
// Such a client sends to and receives from the reference axis with every call the SDK has, and
// exchanges packages and statuses with eOffice's adapter in both directions. The axis also takes
// a real multipart form, read as a stream; stale, foreign or altered requests are still refused.
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { SdkClient, sdkRequestHeaders, sdkTimestamp, toHexStringPerByte, type SdkIdentity } from './axis/sdkClient.js';
import { FormError, formBoundary, receiveFormFile } from './axis/multipartForm.js';
import { edxmlSample, handPackage } from './support/edxmlSamples.js';
import { tempDir } from './support/fixtures.js';
import type { SendRequest } from '../main/core/axis/adapter.js';
import { createAxisAdapter } from '../main/core/axis/createAdapter.js';
import { statusMessageXml } from '../main/core/edxml/write.js';

// The hand-made packages come from the Government Office to Nghệ An.
const GOVERNMENT = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', systemId: 'vpcp-system', secret: randomBytes(24).toString('base64url') };
const PROVINCE = { code: '000.00.00.H41', name: 'UBND Tỉnh Nghệ An', systemId: 'nghe-an-system', secret: randomBytes(24).toString('base64url') };
const DISTRICT = { code: '000.00.01.H41', name: 'UBND Thành phố Vinh', systemId: 'vinh-system', secret: randomBytes(24).toString('base64url') };

const work = tempDir('eoffice-axis-sdk-');
after(() => fs.rmSync(work, { recursive: true, force: true }));
const EDOC = { servicetype: 'eDoc', messagetype: 'edoc' };
const STATUS = { servicetype: 'eDoc', messagetype: 'status' };

/** A reference axis of its own for one test, closed after it. */
async function startAxis(t: TestContext): Promise<AxisServer & { dbPath: string }> {
  const dir = tempDir('eoffice-axis-sdk-db-');
  const dbPath = path.join(dir, 'axis.sqlite');
  const axis = await startAxisServer({ dbPath, agencies: [GOVERNMENT, PROVINCE, DISTRICT] });
  t.after(async () => {
    await axis.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return Object.assign(axis, { dbPath });
}

let packageNumber = 0;
/** A package of its own DocumentId, so that the axis does not take it for a resend of another. */
function packageFile(xml = handPackage({ subject: 'Gửi bằng SDK 2.0.1' })): { file: string; bytes: Buffer } {
  const numbered = xml.replace('12/VPCP-TTĐT', `${++packageNumber}/VPCP-TTĐT`);
  const file = path.join(work, `sdk-${packageNumber}.edxml`);
  fs.writeFileSync(file, numbered);
  return { file, bytes: fs.readFileSync(file) };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const describeAnswer = (exchange: { httpStatus: number; text: string }) => `HTTP ${exchange.httpStatus}: ${exchange.text.slice(0, 300)}`;

function adapterOf(axis: AxisServer, who: SdkIdentity) {
  return createAxisAdapter({ variant: 'vxp', endpoint: axis.url, systemId: who.systemId, secret: who.secret });
}

function sendRequestOf(file: string, from: string, to: string[], messageType: 'edoc' | 'status'): SendRequest {
  const bytes = fs.readFileSync(file);
  return { path: file, size: bytes.length, sha256: sha256(bytes), from, to, messageType };
}

/** Upload files the axis left behind (it removes every upload it does not keep). */
function leftoverUploads(axis: { dbPath: string }): string[] {
  return fs.readdirSync(`${axis.dbPath}.packages`).filter((name) => name.startsWith('.upload-'));
}

test('an SDK 2.0.1 service object sends, counts, lists, fetches and acknowledges through the reference axis, each call as the SDK makes it', async (t) => {
  const axis = await startAxis(t);
  const government = new SdkClient(axis.url, GOVERNMENT);
  const { file, bytes } = packageFile();

  // The body on the wire is the package and a CRLF; hash-file covers the package only.
  const sent = await government.sendEdoc({ from: GOVERNMENT.code, to: [PROVINCE.code], ...EDOC }, file);
  assert.equal(sent.result?.status, 'OK', describeAnswer(sent));
  assert.equal(sent.result.errorCode, '0');
  const docId = sent.result.docId;
  assert.ok(docId);

  // One service object for every call, as the SDK's sample uses one: each call also carries what the earlier ones put.
  const province = new SdkClient(axis.url, PROVINCE);
  assert.equal((await province.countReceiveEdoc(EDOC)).result?.count, 1);
  const listed = await province.getReceivedEdocList(EDOC);
  assert.equal(listed.result?.errorCode, '0', describeAnswer(listed));
  const item = listed.result.knobsticks?.find((entry) => entry.docId === docId);
  assert.deepEqual({ from: item?.from, to: item?.to, messageType: item?.messageType, status: item?.status }, { from: GOVERNMENT.code, to: JSON.stringify([PROVINCE.code]), messageType: 'edoc', status: 'pending' });

  const fetched = await province.getEdoc({ filePath: 'xml', docId });
  assert.equal(fetched.result?.status, 'OK', describeAnswer(fetched));
  assert.equal(fetched.result.data, bytes.toString('utf8'), 'the package as it was sent, without the CRLF the SDK wrote after it');
  const downloaded = await province.downloadEdoc({ filePath: work, docId }, work);
  assert.equal(downloaded.result?.status, 'SUCCESS');
  assert.deepEqual(fs.readFileSync(downloaded.result.filePath), bytes);

  assert.equal((await province.updateStatus({ status: 'done', docId })).result?.status, 'OK');
  assert.deepEqual((await province.getReceivedEdocList(EDOC)).result?.knobsticks, []);
  assert.equal((await province.countReceiveEdoc(EDOC)).result?.count, 0);

  const sentList = await government.getSentEdocList({ ...EDOC, docId });
  assert.equal(sentList.result?.errorCode, '0', describeAnswer(sentList));
  assert.deepEqual(
    sentList.result.statusResults?.map((entry) => ({ senderDocId: entry.senderDocId, fromCode: entry.fromCode, toCode: entry.toCode, receiveStatus: entry.receiveStatus })),
    [{ senderDocId: docId, fromCode: GOVERNMENT.code, toCode: PROVINCE.code, receiveStatus: 'done' }],
  );
  const agencies = await government.getAgenciesList({});
  assert.deepEqual(agencies.result?.agencies?.map((agency) => agency.code), [GOVERNMENT.code, PROVINCE.code, DISTRICT.code], describeAnswer(agencies));
  assert.equal(axis.stats().unauthorized, 0, 'no request of the SDK client was refused');
});

test('sent without "to", as in the SDK\'s own sample, an edoc goes to the To of its package and a status to the organisation it answers', async (t) => {
  const axis = await startAxis(t);
  const { file } = packageFile(handPackage({ subject: 'Không có tiêu đề to', extraHeader: `<edXML:To><edXML:OrganId>${DISTRICT.code}</edXML:OrganId><edXML:OrganName>${DISTRICT.name}</edXML:OrganName></edXML:To>` }));
  const sent = await new SdkClient(axis.url, GOVERNMENT).sendEdoc({ from: GOVERNMENT.code, ...EDOC }, file);
  assert.equal(sent.result?.status, 'OK', describeAnswer(sent));
  for (const recipient of [PROVINCE, DISTRICT]) {
    const listed = await new SdkClient(axis.url, recipient).getReceivedEdocList(EDOC);
    const item = listed.result?.knobsticks?.find((entry) => entry.docId === sent.result!.docId);
    // Two recipients: `to` is one string the SDK can read, not an array it would fail on.
    assert.equal(item?.to, JSON.stringify([PROVINCE.code, DISTRICT.code]), `${recipient.code}: ${describeAnswer(listed)}`);
  }

  // The QCVN sample status: from Nghệ An, answering a document of the Government Office.
  const province = new SdkClient(axis.url, PROVINCE);
  const status = await province.sendEdoc({ from: PROVINCE.code, ...STATUS }, edxmlSample('status_acceptance_03.edxml'));
  assert.equal(status.result?.status, 'OK', describeAnswer(status));
  const government = new SdkClient(axis.url, GOVERNMENT);
  assert.equal((await government.countReceiveStatus(STATUS)).result?.count, 1);
  const statuses = await government.getReceivedEdocList(STATUS);
  assert.deepEqual(statuses.result?.knobsticks?.map((entry) => entry.docId), [status.result.docId]);
  assert.equal((await new SdkClient(axis.url, DISTRICT).getReceivedEdocList(STATUS)).result?.knobsticks?.length, 0);

  // No "to" and a package that names nobody, or names an agency the axis does not know: refused, and the SDK reads why.
  for (const [label, organ] of [['no To', ''], ['unknown To', '<edXML:To><edXML:OrganId>999.99.99.Z99</edXML:OrganId></edXML:To>']] as const) {
    const xml = handPackage({ subject: label }).replace(/<edXML:To>.*?<\/edXML:To>/, organ);
    const refused = await new SdkClient(axis.url, GOVERNMENT).sendEdoc({ from: GOVERNMENT.code, ...EDOC }, packageFile(xml).file);
    assert.equal(refused.httpStatus, 400, label);
    assert.deepEqual({ status: refused.result?.status, errorCode: refused.result?.errorCode }, { status: 'FAIL', errorCode: 'RECIPIENT' }, label);
  }
  assert.deepEqual(leftoverUploads(axis), []);
});

test("eOffice's adapter and an SDK 2.0.1 client exchange packages and status messages both ways through the reference axis", async (t) => {
  const axis = await startAxis(t);

  // SDK → eOffice, and eOffice's status 03 back to the SDK.
  const first = packageFile();
  const sdkGovernment = new SdkClient(axis.url, GOVERNMENT);
  const sent = await sdkGovernment.sendEdoc({ from: GOVERNMENT.code, to: [PROVINCE.code], ...EDOC }, first.file);
  assert.equal(sent.result?.status, 'OK', describeAnswer(sent));
  const docId = sent.result.docId;
  const province = adapterOf(axis, PROVINCE);
  assert.ok((await province.listInbox('edoc')).some((entry) => entry.docId === docId));
  assert.deepEqual(await province.fetch(docId, path.join(work, 'from-sdk.edxml')), { size: first.bytes.length, sha256: sha256(first.bytes) });
  await province.acknowledge(docId, 'done');
  const accepted = path.join(work, 'accepted-03.edxml');
  fs.writeFileSync(
    accepted,
    statusMessageXml({
      from: { organId: PROVINCE.code, organName: PROVINCE.name },
      responseFor: { organId: GOVERNMENT.code, code: `${packageNumber}/VPCP-TTĐT`, documentId: `000.00.00.G22,2026/01/02,${packageNumber}/VPCP-TTĐT` },
      statusCode: '03',
      description: 'Đã tiếp nhận',
      timestamp: '2026/01/05 09:30:00',
    }),
  );
  await province.send(sendRequestOf(accepted, PROVINCE.code, [GOVERNMENT.code], 'status'));
  const statuses = (await sdkGovernment.getReceivedEdocList(STATUS)).result?.knobsticks ?? [];
  assert.equal(statuses.length, 1);
  const statusText = (await sdkGovernment.getEdoc({ filePath: 'xml', docId: statuses[0]!.docId! })).result?.data;
  assert.equal(statusText, fs.readFileSync(accepted, 'utf8'));
  assert.equal((await sdkGovernment.updateStatus({ status: 'done', docId: statuses[0]!.docId! })).result?.status, 'OK');
  const delivery = (await sdkGovernment.getSentEdocList({ ...EDOC, docId })).result?.statusResults;
  assert.deepEqual(delivery?.map((entry) => [entry.toCode, entry.receiveStatus]), [[PROVINCE.code, 'done']]);

  // eOffice → SDK, and the SDK's status back to eOffice. This package ends in a CRLF of its own,
  // sent raw by the adapter: the axis keeps it, since hash-file covers it.
  const second = packageFile(handPackage({ subject: 'Gửi bằng eOffice' }).trimEnd() + '\r\n');
  const government = adapterOf(axis, GOVERNMENT);
  const { axisDocId } = await government.send(sendRequestOf(second.file, GOVERNMENT.code, [PROVINCE.code], 'edoc'));
  const sdkProvince = new SdkClient(axis.url, PROVINCE);
  assert.deepEqual((await sdkProvince.getReceivedEdocList(EDOC)).result?.knobsticks?.map((entry) => entry.docId), [axisDocId]);
  assert.equal((await sdkProvince.getEdoc({ filePath: 'xml', docId: axisDocId })).result?.data, second.bytes.toString('utf8'));
  assert.equal((await sdkProvince.updateStatus({ status: 'done', docId: axisDocId })).result?.status, 'OK');
  const answer = await sdkProvince.sendEdoc({ from: PROVINCE.code, to: [GOVERNMENT.code], ...STATUS }, edxmlSample('status_acceptance_03.edxml'));
  assert.equal(answer.result?.status, 'OK', describeAnswer(answer));
  const [statusItem] = await government.listInbox('status');
  assert.equal(statusItem?.docId, answer.result.docId);
  const statusBytes = fs.readFileSync(edxmlSample('status_acceptance_03.edxml'));
  assert.deepEqual(await government.fetch(statusItem.docId, path.join(work, 'status-from-sdk.edxml')), { size: statusBytes.length, sha256: sha256(statusBytes) });
  await government.acknowledge(statusItem.docId, 'done');
  assert.deepEqual(await government.listInbox('status'), []);
  assert.equal(axis.stats().unauthorized, 0);
});

describe('sendEdoc as a real multipart/form-data form', () => {
  const BOUNDARY = '----eOfficeFormBoundary7MA4YWxkTrZu0gW';

  interface Part {
    headers: string[];
    content: Buffer;
  }
  const filePart = (content: Buffer, name = 'file_doc'): Part => ({ headers: [`Content-Disposition: form-data; name="${name}"; filename="goi-tin.edxml"`, 'Content-Type: application/xml'], content });
  const textPart = (name: string, value: string): Part => ({ headers: [`Content-Disposition: form-data; name="${name}"`], content: Buffer.from(value) });

  function form(parts: Part[], options: { boundary?: string; closing?: boolean; preamble?: string; epilogue?: string } = {}): Buffer {
    const boundary = options.boundary ?? BOUNDARY;
    const pieces: Buffer[] = [Buffer.from(options.preamble ?? '')];
    for (const part of parts) pieces.push(Buffer.from(`--${boundary}\r\n${part.headers.map((line) => `${line}\r\n`).join('')}\r\n`), part.content, Buffer.from('\r\n'));
    if (options.closing ?? true) pieces.push(Buffer.from(`--${boundary}--\r\n${options.epilogue ?? ''}`));
    return Buffer.concat(pieces);
  }

  /** A sendEdoc signed the SDK's way, its Content-Type the form's, hash-file over `hashed`. */
  function postForm(url: string, body: Buffer, hashed: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`): Promise<{ status: number; json: Record<string, unknown> }> {
    const call = {
      contentType,
      headers: [
        ['from', GOVERNMENT.code],
        ['to', JSON.stringify([PROVINCE.code])],
        ['servicetype', 'eDoc'],
        ['messagetype', 'edoc'],
        ['hash-file', toHexStringPerByte(createHash('sha256').update(hashed).digest())],
      ] as [string, string][],
    };
    const headers = { ...Object.fromEntries(sdkRequestHeaders(GOVERNMENT, call, sdkTimestamp(Date.now()))), 'Content-Length': String(body.length) };
    return new Promise((resolve, reject) => {
      const request = http.request(`${url}/sendEdoc`, { method: 'POST', headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  test('the file_doc part is the package and hash-file is over its bytes; preamble, other fields and epilogue are ignored', async (t) => {
    const axis = await startAxis(t);
    const { bytes } = packageFile();
    const body = form([textPart('note', 'gửi kèm'), filePart(bytes), textPart('after', 'x')], { preamble: 'This is a multipart message.\r\n', epilogue: 'trailing words' });
    const answer = await postForm(axis.url, body, bytes);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    const fetched = await new SdkClient(axis.url, PROVINCE).getEdoc({ docId: answer.json['DocId'] as string });
    assert.equal(fetched.result?.data, bytes.toString('utf8'));
  });

  test('a form cut before its closing boundary, without file_doc, with it twice, without a boundary, with endless part headers or hashed whole is refused; nothing is kept', async (t) => {
    const axis = await startAxis(t);
    const { bytes } = packageFile();
    const refusals: [string, () => Promise<{ status: number; json: Record<string, unknown> }>, string, RegExp][] = [
      ['no closing boundary', () => postForm(axis.url, form([filePart(bytes)], { closing: false }), bytes), 'BAD_FORM', /ends before its closing boundary/],
      ['no file_doc part', () => postForm(axis.url, form([filePart(bytes, 'file')]), bytes), 'BAD_FORM', /no "file_doc" part/],
      ['file_doc twice', () => postForm(axis.url, form([filePart(bytes), filePart(bytes)]), bytes), 'BAD_FORM', /more than one "file_doc"/],
      ['no boundary', () => postForm(axis.url, form([filePart(bytes)]), bytes, 'multipart/form-data'), 'BAD_FORM', /needs a boundary/],
      ['endless part headers', () => postForm(axis.url, form([{ headers: [`X-Padding: ${'a'.repeat(20_000)}`], content: bytes }]), bytes), 'BAD_FORM', /headers are longer than/],
      ['hash over the whole form', () => postForm(axis.url, form([filePart(bytes)]), form([filePart(bytes)])), 'HASH', /does not match the file_doc part/],
    ];
    for (const [label, answer, code, description] of refusals) {
      const { status, json } = await answer();
      assert.equal(status, 400, label);
      assert.equal(json['ErrorCode'], code, `${label}: ${JSON.stringify(json)}`);
      assert.match(String(json['ErrorDesc']), description, label);
    }
    assert.equal(axis.stats().messagesStored, 0);
    assert.deepEqual(leftoverUploads(axis), []);
  });
});

describe('the streaming multipart reader', () => {
  const boundary = 'b0undary';
  // Content that holds near-delimiters: the delimiter's first bytes, dashes and a boundary without its CRLF.
  const content = Buffer.concat([Buffer.from('<edXML>\r\n--b0undar\r\n-'), Buffer.from('--b0undary'), randomBytes(3000), Buffer.from('\r\n\r\n</edXML>\r\n')]);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}  \t\r\nContent-Disposition: form-data; name="from"\r\n\r\n000.00.00.G22\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; filename="a.edxml"; name="file_doc"\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--`),
  ]);

  async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  }

  test('gives the same part whatever the pieces the body arrives in, one byte at a time included', async () => {
    for (const size of [1, 2, 3, 7, 10, 11, 64, 4096, body.length]) {
      const target = path.join(work, `part-${size}`);
      const part = await receiveFormFile(inPieces(body, size), boundary, 'file_doc', target);
      assert.deepEqual(fs.readFileSync(target), content, `pieces of ${size}`);
      assert.deepEqual(part, { sha256: sha256(content), size: content.length });
    }
  });

  test('writes a large part to disk as it arrives: of what has come in, only the bytes that may begin a delimiter wait', async () => {
    const piece = randomBytes(64 * 1024);
    const pieces = 256; // 16 MB
    const target = path.join(work, 'large-part');
    let given = 0;
    let worstBacklog = 0;
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file_doc"\r\n\r\n`);
      for (let i = 0; i < pieces; i++) {
        if (i > 0) worstBacklog = Math.max(worstBacklog, given - fs.statSync(target).size);
        given += piece.length;
        yield piece;
      }
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    const part = await receiveFormFile(source(), boundary, 'file_doc', target);
    assert.equal(part.size, piece.length * pieces);
    assert.ok(worstBacklog < 64, `only the bytes that may begin a delimiter wait, not ${worstBacklog}`);
    fs.rmSync(target);
  });

  test('a Content-Type names its boundary or is not a form at all', () => {
    assert.equal(formBoundary('multipart/form-data; boundary="a b"'), 'a b');
    assert.equal(formBoundary('Multipart/Form-Data;charset=utf-8; boundary=xyz'), 'xyz');
    assert.equal(formBoundary('application/octet-stream'), null);
    assert.equal(formBoundary(undefined), null);
    assert.throws(() => formBoundary('multipart/form-data; boundary='), FormError);
    assert.throws(() => formBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`), FormError);
  });
});

test('the reference axis still refuses an SDK request that is stale, signed with another secret, or whose package does not match hash-file', async (t) => {
  const axis = await startAxis(t);
  const stale = await new SdkClient(axis.url, PROVINCE, () => Date.now() - 20 * 60_000).getReceivedEdocList(EDOC);
  assert.equal(stale.httpStatus, 401);
  assert.equal(stale.result?.status, 'FAIL');
  assert.match(stale.result.errorDesc, /timestamp is \d+ s away/);
  const foreign = await new SdkClient(axis.url, { systemId: PROVINCE.systemId, secret: 'not-the-secret' }).getReceivedEdocList(EDOC);
  assert.equal(foreign.httpStatus, 401);
  // A package changed after hash-file was written: the SDK's dropped-zero hex is checked against the package received.
  const original = packageFile();
  const tampered = path.join(work, 'tampered.edxml');
  fs.writeFileSync(tampered, original.bytes.toString('utf8').replace('Gửi bằng SDK', 'Sửa sau khi ký'));
  const answer = await new SdkClient(axis.url, GOVERNMENT).sendEdoc({ from: GOVERNMENT.code, to: [PROVINCE.code], ...EDOC }, tampered, original.file);
  assert.equal(answer.httpStatus, 400);
  assert.deepEqual({ status: answer.result?.status, errorCode: answer.result?.errorCode }, { status: 'FAIL', errorCode: 'HASH' });
  assert.deepEqual(leftoverUploads(axis), []);
});
