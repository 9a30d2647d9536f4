// Signing documents in the registry with a real PKCS#11 token (SoftHSM2), through the API as the
// UI calls it: the token listing, a wrong PIN that shows up in no log and no answer, a login, a
// document signed by the competent person and then by the agency (both signatures verified by
// pdfsig), the agency's role refused to a personal certificate, a token pulled out mid-batch
// (injected), a cancel between documents. Each call is a signing act and carries the PIN (see
// signingSessions.test.ts for the login each act ends).
import { signaturePlacement } from '../../main/core/issuing/outgoing.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { EventName, MethodName, Output, TokenOverview } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { signDocuments } from '../../main/core/signing/signDocuments.js';
import type { Pkcs11Api } from '../../main/core/token/pkcs11.js';
import { createTestToken, faultyPkcs11, pkcs11Failure, type TestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig, qpdfCheck } from '../support/pdfsig.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';
import { sealImage, signatureImage } from '../support/png.js';
import { startTestTsa } from '../support/tsaServer.js';

const LABEL = 'Token Văn thư';
const WRONG_PIN = '86420975';

let token: TestToken;
let core: Core;
let nss: string;
let faulty: ReturnType<typeof faultyPkcs11> | undefined;
const logLines: string[] = [];
const envelopes: string[] = [];
const events: Array<{ name: EventName; payload: unknown }> = [];

before(async () => {
  // SoftHSM reads its configuration when first initialised: the token comes before the core.
  token = await createTestToken({ label: LABEL, alwaysAuthenticateKey: true });
  const dataDir = tempDir('eoffice-signing-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  core = openCore({
    dataDir,
    shell: 'web',
    actor: 'văn thư',
    settings,
    tokens: {
      pollIntervalMs: 100,
      // Only SoftHSM's binding gets the fault injector; other middleware found on the machine is left alone.
      wrapModule: (api: Pkcs11Api, modulePath: string) => (modulePath === token.modulePath ? (faulty = faultyPkcs11(api)).api : api),
    },
  });
  core.events.subscribe((name, payload) => events.push({ name, payload }));
  nss = nssTrusting([token.caCertPem]);
});

after(() => {
  core?.close();
  token?.cleanup();
});

/** A call as the UI makes it, through invoke(); every log line and answer is kept to look for PINs in. */
async function call<M extends MethodName>(method: M, input: unknown): Promise<Envelope<Output<M>>> {
  const envelope = (await invoke(core.handlers, method, input, (line) => logLines.push(line))) as Envelope<Output<M>>;
  envelopes.push(JSON.stringify(envelope));
  return envelope;
}

async function ok<M extends MethodName>(method: M, input: unknown): Promise<Output<M>> {
  const envelope = await call(method, input);
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

async function fails(method: MethodName, input: unknown, code: string): Promise<void> {
  const envelope = await call(method, input);
  assert.equal(envelope.ok, false, `${method} should fail with ${code}`);
  if (!envelope.ok) assert.equal(envelope.error.code, code, envelope.error.message);
}

async function importPdf(direction: 'in' | 'out', subject: string): Promise<number> {
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', `V/v ${subject}`]);
  return (await ok('documents.import', { direction, fileName: `${subject}.pdf`, bytes })).document.id;
}

function storedFile(id: number): { sha256: string; bytes: Buffer } {
  const row = core.db.prepare('SELECT file_sha256 FROM documents WHERE id = ?').get(id) as { file_sha256: string };
  return { sha256: row.file_sha256, bytes: core.blobs.read(row.file_sha256) };
}

function fingerprint(der: Uint8Array): string {
  return new X509Certificate(der).fingerprint256;
}

test('tokens.list shows the plugged-in token, its PIN state and the certificates that can sign', async () => {
  const overview = await ok('tokens.list', {});
  const module = overview.modules.find((m) => m.path === token.modulePath);
  assert.deepEqual(module, { path: token.modulePath, loaded: true });
  const listed = overview.tokens.filter((t) => t.label === LABEL);
  assert.equal(listed.length, 1);
  const [item] = listed;
  assert.deepEqual(item!.pin, { countLow: false, finalTry: false, locked: false });
  assert.equal(item!.loggedIn, false);
  const byId = new Map(item!.certificates.map((c) => [c.id, c]));
  assert.equal(byId.get(token.ids.signer)?.subjectCommonName, 'Nguyễn Văn An');
  assert.equal(byId.get(token.ids.signer)?.fingerprint256, fingerprint(token.signerCertDer));
  assert.equal(byId.get(token.ids.agency)?.keyType, 'ec');
  assert.equal(byId.get(token.ids.agency)?.issuerCommonName, 'eOffice Test CA');
  assert.ok([...byId.values()].every((c) => c.warning === 'ok' && c.canSign));
});

test('a wrong PIN is refused plainly and appears in no log line and no answer', async () => {
  await fails('tokens.login', { label: LABEL, pin: WRONG_PIN }, 'PIN_INCORRECT');
  await fails('tokens.login', { label: LABEL, pin: 'Zq9' }, 'INVALID_INPUT');
  await fails('tokens.login', { label: 'Không có token này', pin: WRONG_PIN }, 'TOKEN_NOT_FOUND');
  // A failure the token layer did not foresee, carrying the PIN in its text, goes through the
  // path that logs a stack trace.
  const leaky = { ...core.handlers, 'tokens.login': () => Promise.reject(new Error(`driver said: bad PIN ${WRONG_PIN}`)) };
  const envelope = await invoke(leaky, 'tokens.login', { label: LABEL, pin: WRONG_PIN }, (line) => logLines.push(line));
  envelopes.push(JSON.stringify(envelope));
  assert.equal(envelope.ok, false);
  assert.ok(logLines.some((line) => line.includes('driver said')), 'the failure was logged');
  for (const text of [...logLines, ...envelopes]) {
    for (const pin of [WRONG_PIN, 'Zq9', token.userPin]) assert.ok(!text.includes(pin), `a PIN shows in: ${text}`);
  }
  const overview = await ok('tokens.list', {});
  assert.equal(overview.tokens.find((t) => t.label === LABEL)?.pin.countLow, true, 'the token counts the wrong PIN');
});

test('the right PIN logs in, says a wrong one was entered before, and the change is pushed to the UI', async () => {
  events.length = 0;
  assert.deepEqual(await ok('tokens.login', { label: LABEL, pin: token.userPin }), { warning: 'PIN_COUNT_LOW' });
  const pushed = events.filter((e) => e.name === 'token.changed').map((e) => e.payload as TokenOverview);
  assert.ok(pushed.length >= 1, 'token.changed was emitted');
  assert.equal(pushed.at(-1)!.tokens.find((t) => t.label === LABEL)?.loggedIn, true);
  assert.equal((await ok('tokens.list', {})).tokens.find((t) => t.label === LABEL)?.loggedIn, true);
  for (const text of [...logLines, ...envelopes, JSON.stringify(events)]) assert.ok(!text.includes(token.userPin));
  assert.deepEqual(await ok('tokens.login', { label: LABEL, pin: token.userPin }), { warning: null }, 'a second login reuses the session');
});

test('signature and seal images: PNG only, up to 2 MB, stored per certificate', async () => {
  const signerPrint = fingerprint(token.signerCertDer);
  await fails('tokens.setImage', { fingerprint256: signerPrint, kind: 'signature', png: new TextEncoder().encode('GIF89a not a png') }, 'NOT_PNG');
  const huge = new Uint8Array(2 * 1024 * 1024 + 1);
  huge.set(signatureImage().subarray(0, 8));
  await fails('tokens.setImage', { fingerprint256: signerPrint, kind: 'signature', png: huge }, 'FILE_TOO_LARGE');
  const set = await ok('tokens.setImage', { fingerprint256: signerPrint, kind: 'signature', png: signatureImage() });
  assert.deepEqual([set.signature && Buffer.from(set.signature).equals(Buffer.from(signatureImage())), set.seal], [true, null]);
  const agencyPrint = fingerprint(token.agencyCertDer);
  await ok('tokens.setImage', { fingerprint256: agencyPrint, kind: 'seal', png: sealImage() });
  await ok('tokens.setImage', { fingerprint256: agencyPrint, kind: 'signature', png: signatureImage() });
  assert.equal((await ok('tokens.clearImage', { fingerprint256: agencyPrint, kind: 'signature' })).signature, null);
  assert.ok((await ok('tokens.images', { fingerprint256: agencyPrint })).seal);
  const audited = core.db.prepare("SELECT kind FROM audit_events WHERE kind LIKE 'certificate_image_%' ORDER BY id").all() as { kind: string }[];
  assert.deepEqual(audited.map((r) => r.kind), ['certificate_image_set', 'certificate_image_set', 'certificate_image_set', 'certificate_image_cleared']);
});

test('an outgoing draft signed by the competent person, then by the agency: two valid signatures, the history kept', async () => {
  const id = await importPdf('out', 'Kế hoạch tổ chức Tết Trồng cây');
  const first = storedFile(id);
  events.length = 0;
  // Signed on the login of the test before: the act ends it.
  const signer = await ok('documents.sign', {
    ids: [id],
    label: LABEL,
    certificateId: token.ids.signer,
    appearance: { kind: 'signer', page: 1, rect: [330, 120, 180, 72] },
  });
  assert.deepEqual(signer.results, [{ id, status: 'signed', level: 'B-B' }]);
  assert.deepEqual(
    events.filter((e) => e.name === 'signing.progress').map((e) => e.payload),
    [{ batchId: signer.batchId, done: 1, total: 1, documentId: id, status: 'signed' }],
  );
  assert.ok(events.some((e) => e.name === 'documents.changed' && (e.payload as { ids: number[] }).ids.includes(id)));
  const afterSigner = storedFile(id);
  assert.equal((await ok('documents.get', { id })).state, 'signed');

  // The agency's name goes into its signature: without one, signing as the agency is refused.
  await fails('documents.sign', { ids: [id], label: LABEL, certificateId: token.ids.agency, pin: token.userPin, appearance: { kind: 'agency', page: 1, rect: [290, 110, 200, 90] } }, 'AGENCY_NAME_MISSING');
  await ok('agency.update', { code: '000.00.32.H10', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND' });
  const agency = await ok('documents.sign', {
    ids: [id],
    label: LABEL,
    certificateId: token.ids.agency,
    pin: token.userPin,
    appearance: { kind: 'agency', page: 1, rect: [290, 110, 200, 90] },
  });
  assert.deepEqual(agency.results, [{ id, status: 'signed', level: 'B-B' }]);
  const final = storedFile(id);

  const file = path.join(tempDir(), 'signed.pdf');
  fs.writeFileSync(file, final.bytes);
  const report = pdfsig(file, nss);
  assert.deepEqual(report.map((s) => [s.commonName, s.validation, s.certificate]), [
    ['Nguyễn Văn An', 'Signature is Valid.', 'Certificate is Trusted.'],
    ['UBND xã Thử Nghiệm', 'Signature is Valid.', 'Certificate is Trusted.'],
  ]);
  assert.equal(qpdfCheck(file).status, 0);

  // Incremental updates: each file begins with the one before it, and every one is still stored.
  assert.ok(afterSigner.bytes.subarray(0, first.bytes.length).equals(first.bytes));
  assert.ok(final.bytes.subarray(0, afterSigner.bytes.length).equals(afterSigner.bytes));
  assert.ok(core.blobs.has(first.sha256) && core.blobs.has(afterSigner.sha256));
  const detail = await ok('documents.get', { id });
  assert.equal(detail.fileSha256, final.sha256);
  assert.equal(detail.fileSize, final.bytes.length);
  const signedEvents = detail.events.filter((e) => e.kind === 'signed');
  assert.deepEqual(
    signedEvents.map((e) => e.details),
    [
      {
        role: 'signer',
        certificateSubject: 'CN=Nguyễn Văn An, O=UBND xã Thử Nghiệm, C=VN',
        certificateSerial: new X509Certificate(token.signerCertDer).serialNumber,
        fingerprint256: fingerprint(token.signerCertDer),
        previousSha256: first.sha256,
        sha256: afterSigner.sha256,
        level: 'B-B',
      },
      {
        role: 'agency',
        certificateSubject: 'CN=UBND xã Thử Nghiệm, O=UBND xã Thử Nghiệm, C=VN',
        certificateSerial: new X509Certificate(token.agencyCertDer).serialNumber,
        fingerprint256: fingerprint(token.agencyCertDer),
        previousSha256: afterSigner.sha256,
        sha256: final.sha256,
        level: 'B-B',
      },
    ],
  );
  assert.equal(signedEvents[0]!.actor, 'văn thư');
  assert.equal((core.db.prepare('SELECT count(*) AS n FROM pending_files').get() as { n: number }).n, 0, 'the file journal is clear');
});

test('signing as the agency, or an attachment, takes the agency’s certificate: a personal one is refused and nothing is signed', async () => {
  const id = await importPdf('in', 'Công văn cần ký số cơ quan');
  const before = storedFile(id);
  const appearances = [{ kind: 'agency', page: 1, rect: [290, 110, 200, 90] }, { kind: 'attachment', mainNotation: '12/QĐ-UBND' }];
  for (const appearance of appearances) {
    // The personal certificate's O names the agency; its holder is a person.
    await fails('documents.sign', { ids: [id], label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance }, 'AGENCY_CERTIFICATE_REQUIRED');
  }
  assert.equal(storedFile(id).sha256, before.sha256);
  assert.ok(!(await ok('documents.get', { id })).events.some((e) => e.kind === 'signed'));
  assert.equal((await ok('tokens.list', {})).tokens.find((t) => t.label === LABEL)?.loggedIn, false, 'a refused act logs out too');
});

test('an incoming document keeps its state when signed; an attachment is signed with the main document’s number', async () => {
  const id = await importPdf('in', 'Phụ lục kèm theo Quyết định');
  const result = await ok('documents.sign', { ids: [id], label: LABEL, certificateId: token.ids.agency, pin: token.userPin, appearance: { kind: 'attachment', mainNotation: '12/QĐ-UBND' } });
  assert.deepEqual(result.results, [{ id, status: 'signed', level: 'B-B' }]);
  assert.equal((await ok('documents.get', { id })).state, 'received');
  const file = path.join(tempDir(), 'attachment.pdf');
  fs.writeFileSync(file, storedFile(id).bytes);
  assert.equal(pdfsig(file, nss)[0]?.validation, 'Signature is Valid.');
});

test('a token pulled out mid-batch: the failing document is untouched, the rest are skipped', async () => {
  const ids = [await importPdf('out', 'Báo cáo quý I'), await importPdf('out', 'Báo cáo quý II'), await importPdf('out', 'Báo cáo quý III')];
  const before = ids.map(storedFile);
  const blobCount = () => fs.readdirSync(core.blobs.root, { recursive: true }).filter((f) => /[0-9a-f]{64}$/.test(String(f))).length;
  const blobsBefore = blobCount();
  let signatures = 0;
  const real = faulty!.api.C_SignAsync.bind(faulty!.api);
  faulty!.faults.C_SignAsync = async (session, data, out) => {
    if (++signatures === 2) throw pkcs11Failure('CKR_DEVICE_REMOVED', 'C_Sign');
    return real(session, data, out);
  };
  try {
    const { results } = await ok('documents.sign', { ids, label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance: { kind: 'invisible' } });
    assert.deepEqual(results.map((r) => r.status), ['signed', 'failed', 'skipped']);
    assert.deepEqual(results.slice(1).map((r) => r.error?.code), ['TOKEN_REMOVED', 'TOKEN_REMOVED']);
  } finally {
    faulty!.clear();
  }
  for (const i of [1, 2]) {
    const now = storedFile(ids[i]!);
    assert.equal(now.sha256, before[i]!.sha256, 'the row still points to the old file');
    assert.ok(now.bytes.equals(before[i]!.bytes), 'the old file is unchanged');
    assert.equal((await ok('documents.get', { id: ids[i]! })).state, 'draft');
    assert.ok(!(await ok('documents.get', { id: ids[i]! })).events.some((e) => e.kind === 'signed'));
  }
  assert.equal(blobCount(), blobsBefore + 1, 'only the one signed file was added');
  assert.equal((await ok('tokens.list', {})).tokens.find((t) => t.label === LABEL)?.loggedIn, false, 'the login went with the token');
});

test('a failure between the signed file and its commit leaves the document and the store as they were', async () => {
  const [id, other] = [await importPdf('out', 'Quyết định khen thưởng'), await importPdf('out', 'Quyết định điều động')];
  const before = storedFile(id);
  const blobs = () => fs.readdirSync(core.blobs.root, { recursive: true }).map(String).filter((f) => /[0-9a-f]{64}$/.test(f)).sort();
  const blobsBefore = blobs();
  await core.tokens.signingAct({ label: LABEL }, token.ids.signer, { pin: token.userPin }, async (key) => {
    const context = { db: core.db, blobs: core.blobs, actor: 'văn thư', key, role: 'invisible' as const, appearance: { kind: 'invisible' as const }, placement: signaturePlacement, cancelled: () => false };
    const crashed = await signDocuments({ ...context, beforeCommit: () => { throw new Error('disk full'); } }, [id]);
    assert.deepEqual(crashed.map((r) => [r.status, r.error?.message]), [['failed', 'disk full']]);
    // Signed elsewhere meanwhile: committing would drop that signature, so this one is refused.
    const raced = await signDocuments({ ...context, beforeCommit: () => core.db.prepare('UPDATE documents SET file_sha256 = (SELECT file_sha256 FROM documents WHERE id = ?) WHERE id = ?').run(other, id) }, [id]);
    assert.deepEqual(raced.map((r) => [r.status, r.error?.code]), [['failed', 'DOCUMENT_CHANGED']]);
  });
  core.db.prepare('UPDATE documents SET file_sha256 = ? WHERE id = ?').run(before.sha256, id);

  assert.equal(storedFile(id).sha256, before.sha256);
  assert.deepEqual(blobs(), blobsBefore, 'the signed files that were never committed are gone');
  assert.equal((core.db.prepare('SELECT count(*) AS n FROM pending_files').get() as { n: number }).n, 0);
  assert.ok(!(await ok('documents.get', { id })).events.some((e) => e.kind === 'signed'));
});

test('a cancel takes effect between documents', async () => {
  const ids = [await importPdf('out', 'Tờ trình số 1'), await importPdf('out', 'Tờ trình số 2'), await importPdf('out', 'Tờ trình số 3')];
  const batchId = 'test-batch-0001';
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (name === 'signing.progress' && (payload as { batchId: string; done: number }).done === 1) void call('signing.cancel', { batchId });
  });
  try {
    const { results } = await ok('documents.sign', { ids, batchId, label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance: { kind: 'invisible' } });
    assert.deepEqual(results.map((r) => [r.status, r.error?.code]), [['signed', undefined], ['skipped', 'CANCELLED'], ['skipped', 'CANCELLED']]);
  } finally {
    unsubscribe();
  }
  assert.deepEqual(await ok('signing.cancel', { batchId }), { cancelled: false }, 'a finished batch is gone');
});

test('a key that wants the PIN at every signature signs only when the call carries it', async () => {
  const ids = [await importPdf('out', 'Giấy mời họp 1'), await importPdf('out', 'Giấy mời họp 2')];
  const request = { ids, label: LABEL, certificateId: token.ids.alwaysAuth!, appearance: { kind: 'invisible' } };
  // Logged in, but the key asks again at each signature.
  await ok('tokens.login', { label: LABEL, pin: token.userPin });
  const without = await ok('documents.sign', request);
  assert.deepEqual(without.results.map((r) => [r.status, r.error?.code]), [['failed', 'PIN_REQUIRED'], ['skipped', 'PIN_REQUIRED']]);
  const withPin = await ok('documents.sign', { ...request, pin: token.userPin });
  assert.deepEqual(withPin.results.map((r) => r.status), ['signed', 'signed']);
  const file = path.join(tempDir(), 'always.pdf');
  fs.writeFileSync(file, storedFile(ids[0]!).bytes);
  assert.equal(pdfsig(file, nss)[0]?.commonName, 'Trần Thị Bình');
  for (const text of [...logLines, ...envelopes, JSON.stringify(events)]) assert.ok(!text.includes(token.userPin));
});

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a token pulled out is noticed within a poll, pushed to the UI, and its login ends with it', async () => {
  const listed = (payload: unknown) => (payload as TokenOverview).tokens.find((t) => t.label === LABEL);
  await ok('tokens.login', { label: LABEL, pin: token.userPin });
  events.length = 0;
  faulty!.faults.C_GetSlotList = () => [];
  await eventually(() => events.some((e) => e.name === 'token.changed' && !listed(e.payload)), 'the token to go');
  faulty!.clear();
  await eventually(() => events.some((e) => e.name === 'token.changed' && listed(e.payload)?.loggedIn === false), 'the token to come back, logged out');
  await fails('documents.sign', { ids: [await importPdf('out', 'Thông báo sau khi rút token')], label: LABEL, certificateId: token.ids.signer, appearance: { kind: 'invisible' } }, 'PIN_REQUIRED');
});

test('after logout nothing is signed until the PIN is entered again', async () => {
  await ok('tokens.login', { label: LABEL, pin: token.userPin });
  await ok('tokens.logout', { label: LABEL });
  assert.equal((await ok('tokens.list', {})).tokens.find((t) => t.label === LABEL)?.loggedIn, false);
  const id = await importPdf('out', 'Công văn sau khi đăng xuất');
  await fails('documents.sign', { ids: [id], label: LABEL, certificateId: token.ids.signer, appearance: { kind: 'invisible' } }, 'PIN_REQUIRED');
  assert.equal((await ok('documents.get', { id })).state, 'draft');
  for (const text of [...logLines, ...envelopes]) assert.ok(!text.includes(token.userPin));
});

test('with a timestamp authority set, documents are signed PAdES B-T; when it cannot be reached, B-B and the reason', async (t) => {
  const tsa = await startTestTsa();
  t.after(async () => {
    await tsa.close();
    await ok('settings.update', { tsaUrl: '' });
  });
  await fails('settings.update', { tsaUrl: 'ftp://tsa.example' }, 'INVALID_INPUT');
  await ok('settings.update', { tsaUrl: tsa.url });
  const stamped = await importPdf('out', 'Báo cáo có dấu thời gian');
  const online = await ok('documents.sign', { ids: [stamped], label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance: { kind: 'invisible' } });
  assert.deepEqual(online.results, [{ id: stamped, status: 'signed', level: 'B-T' }]);
  assert.equal(tsa.requests, 1);

  await ok('settings.update', { tsaUrl: 'http://127.0.0.1:9/tsa' });
  const offlineId = await importPdf('out', 'Báo cáo khi mất mạng');
  const offline = await ok('documents.sign', { ids: [offlineId], label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance: { kind: 'invisible' } });
  assert.equal(offline.results[0]!.status, 'signed');
  assert.equal(offline.results[0]!.level, 'B-B');
  assert.match(offline.results[0]!.timestampProblem!, /cannot be reached/);
  const file = path.join(tempDir(), 'offline.pdf');
  fs.writeFileSync(file, storedFile(offlineId).bytes);
  assert.equal(pdfsig(file, nss)[0]!.validation, 'Signature is Valid.');
});
