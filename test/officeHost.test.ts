// The office host (issue 15), two processes on 127.0.0.1: `eoffice serve` from the built CLI in a
// child, and colleagues connecting to it from this process with their own accounts over HTTPS,
// the host's certificate pinned on the first look. What is tried: the whole contract without a
// session (each method refused), wrong passwords (refused alike, then a backoff), each role
// against methods it may and may not call, a request with the cookie but no CSRF token or another
// session's, a token-certificate sign-in with SoftHSM, reads audited under the reader's name,
// signing out, and a host whose certificate changed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import { openCore } from '../main/core/app/core.js';
import { METHOD_NAMES } from '../main/common/channels.js';
import { firstLook, OfficeConnection, type HostIdentity } from '../main/core/office/officeClient.js';
import { fingerprintWords, certificatePaths } from '../main/core/office/hostCertificate.js';
import { loadModule } from '../main/core/token/modules.js';
import { openTokenSession } from '../main/core/token/session.js';
import { coreCalls } from './support/coreCalls.js';
import { startServe } from './support/officeServe.js';
import { refusedWith } from './support/refusals.js';
import { CLI_BUNDLE } from './support/cliRun.js';
import path from 'node:path';
import { decisionDraftPdf, REPO_ROOT, tempDir } from './support/fixtures.js';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { nssTrusting, pdfsig, qpdfCheck } from './support/pdfsig.js';
import { X509Certificate } from 'node:crypto';

const dataDir = tempDir('eoffice-office-host-');
const PASSWORDS = { quantri: 'quản trị viên 2026', vanthu: 'văn thư của xã 2026', chuyenvien: 'chuyên viên địa chính 1', chutich: 'chủ tịch xã mật khẩu 9' };

let hostProcess: ChildProcess | null = null;
let hostUrl = '';
let printed = '';
let pinned: HostIdentity;
let token: TestToken;

/** `eoffice serve` in a child on a free port; resolves once it prints its address. */
async function startHost(): Promise<void> {
  const served = await startServe(dataDir);
  hostProcess = served.child;
  hostUrl = served.url;
  printed = served.printed;
}

async function stopHost(): Promise<void> {
  const child = hostProcess;
  if (!child || child.exitCode !== null) return;
  child.removeAllListeners('exit');
  const ended = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await ended;
}

/** The built CLI on another data folder (another PC), with the environment given. */
function runWith(dir: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, '--data-dir', dir, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
    child.stdin.end();
  });
}

async function signedIn(login: keyof typeof PASSWORDS): Promise<OfficeConnection> {
  const connection = new OfficeConnection(hostUrl, pinned);
  await connection.signIn(login, PASSWORDS[login]);
  return connection;
}


before(async () => {
  token = await createTestToken({ label: 'Token lãnh đạo' });
  // The accounts, made at the host's own terminal before it serves (as eoffice users add does).
  const core = openCore({ dataDir, shell: 'cli', actor: 'cài đặt' });
  const { ok } = coreCalls(() => core, []);
  await ok('agency.update', { code: '000.00.32.H41', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND' });
  await ok('users.add', { login: 'quantri', fullName: 'Trần Văn Trị', roles: ['quan-tri'], password: PASSWORDS.quantri });
  await ok('users.add', { login: 'vanthu', fullName: 'Nguyễn Thị Bình', roles: ['van-thu'], unit: 'Văn phòng', password: PASSWORDS.vanthu });
  await ok('users.add', { login: 'chuyenvien', fullName: 'Lê Văn Cường', roles: ['chuyen-vien'], unit: 'Địa chính', password: PASSWORDS.chuyenvien });
  await ok('users.add', { login: 'chutich', fullName: 'Nguyễn Văn An', roles: ['lanh-dao'], password: PASSWORDS.chutich });
  core.close();
  await startHost();
  pinned = await firstLook(hostUrl);
});

after(async () => {
  await stopHost();
  token?.cleanup();
});

test('the host prints its address and its certificate fingerprint, as hex and as syllables; the first look and office.info show the same', async () => {
  assert.ok(printed.includes(pinned.fingerprint256), printed);
  assert.ok(printed.includes(fingerprintWords(pinned.fingerprint256)));
  assert.equal(new X509Certificate(fs.readFileSync(certificatePaths(dataDir).cert)).fingerprint256, pinned.fingerprint256);
  assert.equal(fs.statSync(certificatePaths(dataDir).key).mode & 0o777, 0o600, 'the key is the host account’s only');
  const admin = await signedIn('quantri');
  assert.deepEqual(await admin.call('office.info', {}), { hostCertificate: { fingerprint256: pinned.fingerprint256, words: fingerprintWords(pinned.fingerprint256) } });
});

test('no method of the contract can be called without a session', async () => {
  const anonymous = new OfficeConnection(hostUrl, pinned);
  for (const method of METHOD_NAMES) {
    const answer = await anonymous.envelope(method, {});
    assert.equal(answer.ok ? 'ok' : answer.error.code, 'SIGN_IN_REQUIRED', method);
  }
});

test('sign-in: a wrong password and an unknown login are refused alike; after three, a wait', async () => {
  const connection = new OfficeConnection(hostUrl, pinned);
  const wrong = await refusedWith(connection.signIn('chuyenvien', 'không phải mật khẩu'), 'SIGN_IN_FAILED');
  const unknown = await refusedWith(connection.signIn('khongco', 'không phải mật khẩu'), 'SIGN_IN_FAILED');
  assert.equal(wrong.message, unknown.message);
  await refusedWith(connection.signIn('chuyenvien', 'sai lần hai'), 'SIGN_IN_FAILED');
  await refusedWith(connection.signIn('chuyenvien', 'sai lần ba'), 'SIGN_IN_FAILED');
  const backoff = await refusedWith(connection.signIn('chuyenvien', PASSWORDS.chuyenvien), 'SIGN_IN_BACKOFF');
  assert.ok(Number(backoff.details?.seconds) >= 1);
  await new Promise((resolve) => setTimeout(resolve, Number(backoff.details?.seconds) * 1000 + 100));
  assert.equal((await connection.signIn('chuyenvien', PASSWORDS.chuyenvien)).login, 'chuyenvien');
});

test('each role meets the host’s rules: refused with FORBIDDEN where its role does not reach', async () => {
  const admin = await signedIn('quantri');
  const clerk = await signedIn('vanthu');
  const specialist = await signedIn('chuyenvien');
  assert.equal((await admin.call('users.list', {})).length, 4);
  await refusedWith(clerk.call('users.list', {}), 'FORBIDDEN');
  await refusedWith(specialist.call('users.add', { login: 'ke', fullName: 'Kẻ Lạ', roles: ['quan-tri'], password: 'tự cấp quyền 12345' }), 'FORBIDDEN');
  // The tokens are each PC's own: not even the administrator reaches the host's.
  const tokens = await refusedWith(admin.call('tokens.list', {}), 'FORBIDDEN');
  assert.match(tokens.message, /only on the PC/);
  // A specialist drafts but does not number or issue; reading is everyone's.
  await refusedWith(specialist.call('outgoing.number', { id: 1 }), 'FORBIDDEN');
  await refusedWith(specialist.call('exchange.syncNow', {}), 'FORBIDDEN');
  assert.ok(Array.isArray((await specialist.call('documents.list', {})).items));
  assert.equal((await clerk.call('agency.get', {})).name, 'UBND xã Thử Nghiệm');
  assert.equal((await clerk.call('app.info', {})).dataDir, '', 'where the host keeps its data is not told');
});

test('the cookie alone does not make a call: without the CSRF token, or with another session’s, it is refused', async () => {
  const clerk = await signedIn('vanthu');
  const other = await signedIn('chuyenvien');
  const { cookie } = clerk.credentials;
  const post = (headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(hostUrl);
      const request = https.request({ host: url.hostname, port: url.port, path: '/api/documents.list', method: 'POST', ca: pinned.certPem, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      request.end('{}');
    });
  assert.equal((await post({ Cookie: cookie! })).status, 403);
  assert.equal((await post({ Cookie: cookie!, 'X-CSRF-Token': other.credentials.csrfToken! })).status, 403);
  assert.equal((await post({ Cookie: cookie!, 'X-CSRF-Token': clerk.credentials.csrfToken!, Origin: 'https://evil.example' })).status, 403, 'another site’s page');
  const allowed = await post({ Cookie: cookie!, 'X-CSRF-Token': clerk.credentials.csrfToken! });
  assert.equal(allowed.status, 200, allowed.body);
  // A made-up cookie opens nothing.
  assert.equal((await post({ Cookie: 'eoffice_session=made-up-token', 'X-CSRF-Token': 'x' })).status, 401);
});

test('work is recorded under the person who did it, and every read of a document with who and from where', async () => {
  const clerk = await signedIn('vanthu');
  const specialist = await signedIn('chuyenvien');
  const { document } = await clerk.call('documents.import', { direction: 'in', fileName: 'công văn.pdf', bytes: await decisionDraftPdf('đất đai') });
  await specialist.call('documents.get', { id: document.id });
  await specialist.call('documents.content', { id: document.id });
  const admin = await signedIn('quantri');
  // Reads are written in groups a second apart (accounts/reads.ts).
  await new Promise((resolve) => setTimeout(resolve, 1300));
  assert.equal((await admin.call('audit.verify', {})).ok, true);
  // Read back from the host's data folder, as an inspector would.
  const core = openCore({ dataDir, shell: 'cli' });
  try {
    const entries = core.db.prepare('SELECT actor, kind, details FROM audit_events WHERE document_id = ? ORDER BY id').all(document.id) as { actor: string; kind: string; details: string }[];
    assert.equal(entries[0]?.actor, 'vanthu', 'the import is the clerk’s, not the host account’s');
    const reads = entries.filter((e) => e.kind === 'document_read');
    assert.deepEqual(reads.map((e) => [e.actor, (JSON.parse(e.details) as { method: string; client: string }).method, (JSON.parse(e.details) as { client: string }).client]), [
      ['chuyenvien', 'documents.get', '127.0.0.1'],
      ['chuyenvien', 'documents.content', '127.0.0.1'],
    ]);
  } finally {
    core.close();
  }
});

test('the leader signs in with the token: the host’s challenge signed on this PC, the certificate bound by the administrator', async () => {
  const admin = await signedIn('quantri');
  const certificate = new X509Certificate(token.signerCertDer);
  const module = loadModule(token.modulePath);
  const session = openTokenSession(module.pkcs11, { label: token.label });
  try {
    await session.login(token.userPin);
    const key = await session.signingKey(token.ids.signer);
    const leader = new OfficeConnection(hostUrl, pinned);
    // Not bound yet: refused.
    await refusedWith(leader.signInWithCertificate(token.signerCertDer, (challenge) => key.sign(challenge)), 'SIGN_IN_FAILED');
    await admin.call('users.bindCertificate', { login: 'chutich', fingerprint256: certificate.fingerprint256 });
    const user = await leader.signInWithCertificate(token.signerCertDer, (challenge) => key.sign(challenge));
    assert.equal(user.login, 'chutich');
    assert.ok(Array.isArray((await leader.call('documents.list', {})).items));
    // A signature of something else than the challenge is refused.
    await refusedWith(new OfficeConnection(hostUrl, pinned).signInWithCertificate(token.signerCertDer, () => key.sign(new TextEncoder().encode('khác'))), 'SIGN_IN_FAILED');
  } finally {
    await session.close();
    module.release();
  }
});

test('the leader signs a draft kept on the host with the token of their own PC; the clerk numbers and seals from another; pdfsig verifies both', async () => {
  const specialist = await signedIn('chuyenvien');
  const leader = await signedIn('chutich');
  const clerk = await signedIn('vanthu');
  const draft = await specialist.call('outgoing.create', {
    fileName: 'quyết định.pdf',
    bytes: await decisionDraftPdf('giao đất'),
    details: { typeCode: 'QD', subject: 'Về việc giao đất', signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['Lưu: VT'] },
  });
  const id = draft.document.id;
  const module = loadModule(token.modulePath);
  const session = openTokenSession(module.pkcs11, { label: token.label });
  try {
    await session.login(token.userPin);
    const leaderKey = await session.signingKey(token.ids.signer);
    const agencyKey = await session.signingKey(token.ids.agency);
    // A signature that is not the certificate's is refused before it reaches the document.
    const forged = await leader.signHere('documents.sign', { ids: [id], appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } }, token.signerCertDer, () => agencyKey.sign(new Uint8Array(8)));
    assert.deepEqual([forged.results[0]?.status, forged.results[0]?.error?.code], ['failed', 'KEY_CERT_MISMATCH']);
    assert.equal((await clerk.call('outgoing.get', { id })).document.state, 'draft', 'nothing signed by a forged answer');
    // Numbering before the leader's signature is refused, whoever asks.
    await refusedWith(clerk.call('outgoing.number', { id }), 'NOT_SIGNED');
    const signed = await leader.signHere('documents.sign', { ids: [id], appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } }, token.signerCertDer, (data) => leaderKey.sign(data));
    assert.equal(signed.results[0]?.status, 'signed', JSON.stringify(signed.results[0]));
    const issued = await clerk.signHere('outgoing.issue', { id }, token.agencyCertDer, (data) => agencyKey.sign(data));
    assert.match(issued.document.notation ?? '', /^\d+\/QĐ-UBND$/);
    const file = path.join(tempDir('eoffice-office-issued-'), 'issued.pdf');
    fs.writeFileSync(file, (await clerk.call('documents.content', { id })).bytes);
    assert.deepEqual(pdfsig(file, nssTrusting([token.caCertPem])).map((sig) => [sig.commonName, sig.validation]), [
      ['Nguyễn Văn An', 'Signature is Valid.'],
      ['UBND xã Thử Nghiệm', 'Signature is Valid.'],
    ]);
    qpdfCheck(file);
  } finally {
    await session.close();
    module.release();
  }
});

test('three processes: the clerk’s PC registers a paper document, the specialist’s PC reads it and is refused numbering; each under their own name', async () => {
  const certFile = path.join(tempDir('eoffice-office-pin-'), 'host.pem');
  fs.writeFileSync(certFile, pinned.certPem);
  const onPc = (login: keyof typeof PASSWORDS, calls: { method: string; input: unknown }[]) =>
    new Promise<{ ok: boolean; result?: unknown; error?: { code: string } }[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/support/officeClientChild.ts'), hostUrl, certFile, login, JSON.stringify(calls)], { env: { ...process.env, EOFFICE_PASSWORD: PASSWORDS[login] } });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`client ${login} ended ${code}: ${err}`))));
    });
  const pdf = Buffer.from(await decisionDraftPdf('ba tiến trình')).toString('base64');
  const [imported] = await onPc('vanthu', [{ method: 'documents.import', input: { direction: 'in', fileName: 'giấy mời.pdf', bytes: { $bytes: pdf } } }]);
  assert.equal(imported?.ok, true, JSON.stringify(imported));
  const id = (imported!.result as { document: { id: number } }).document.id;
  const [read, numbered] = await onPc('chuyenvien', [
    { method: 'documents.get', input: { id } },
    { method: 'outgoing.number', input: { id } },
  ]);
  assert.equal(read?.ok, true);
  assert.equal(numbered?.error?.code, 'FORBIDDEN');
  await new Promise((resolve) => setTimeout(resolve, 1300)); // reads are written a second apart
  const core = openCore({ dataDir, shell: 'cli' });
  try {
    const entries = core.db.prepare('SELECT actor, kind FROM audit_events WHERE document_id = ? ORDER BY id').all(id) as { actor: string; kind: string }[];
    assert.deepEqual(entries.map((e) => [e.actor, e.kind]), [['vanthu', entries[0]!.kind], ['chuyenvien', 'document_read']]);
  } finally {
    core.close();
  }
});

test('signing out ends the session; signing out everywhere ends the others', async () => {
  const first = await signedIn('vanthu');
  const second = await signedIn('vanthu');
  await first.signOut();
  await refusedWith(first.call('documents.list', {}), 'SIGN_IN_REQUIRED');
  assert.ok(await second.call('documents.list', {}));
  const admin = await signedIn('quantri');
  assert.ok((await admin.call('users.signOutEverywhere', { login: 'vanthu' })).sessions >= 1);
  await refusedWith(second.call('documents.list', {}), 'SIGN_IN_REQUIRED');
});

test('the command line on another PC acts on the host as a person: the fingerprint compared once, then pinned', async () => {
  const clientDir = tempDir('eoffice-office-client-');
  const cli = (args: string[], password: string) => runWith(clientDir, ['--host', hostUrl, ...args], { EOFFICE_PASSWORD: password });
  const first = await cli(['--user', 'vanthu', 'list', '--json'], PASSWORDS.vanthu);
  assert.equal(first.code, 1);
  assert.match(first.stderr, new RegExp(`first connection to 127\\.0\\.0\\.1:\\d+: its certificate is ${pinned.fingerprint256}`));
  const wrong = await cli(['--user', 'vanthu', '--fingerprint', '00:11:22', 'list'], PASSWORDS.vanthu);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /not the one given: do not connect/);
  const listed = await cli(['--user', 'vanthu', '--fingerprint', pinned.fingerprint256, 'list', '--json'], PASSWORDS.vanthu);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok((JSON.parse(listed.stdout) as { total: number }).total >= 1);
  // Pinned: no --fingerprint from now on.
  const again = await cli(['--user', 'chuyenvien', 'users', 'list'], PASSWORDS.chuyenvien);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /chuyenvien may not call users\.list/);
  const local = await cli(['--user', 'vanthu', 'config', 'get'], PASSWORDS.vanthu);
  assert.equal(local.code, 1);
  assert.match(local.stderr, /works on this PC's data folder/);
  const badPassword = await cli(['--user', 'chutich', 'list'], 'không đúng mật khẩu');
  assert.equal(badPassword.code, 1);
  assert.match(badPassword.stderr, /Wrong login or password/);
  assert.ok(!fs.readFileSync(path.join(clientDir, 'office', 'pinned-hosts.json'), 'utf8').includes('PRIVATE'), 'only the certificate is pinned');
});

test('a host whose certificate changed is refused, never accepted', async () => {
  await stopHost();
  // Reinstalled, or someone in between: another key and certificate.
  fs.rmSync(certificatePaths(dataDir).cert);
  fs.rmSync(certificatePaths(dataDir).key);
  await startHost();
  const changed = await refusedWith(new OfficeConnection(hostUrl, pinned).signIn('vanthu', PASSWORDS.vanthu), 'HOST_CERTIFICATE_CHANGED');
  assert.match(changed.message, /compare the fingerprint/);
  const fresh = await firstLook(hostUrl);
  assert.notEqual(fresh.fingerprint256, pinned.fingerprint256);
  assert.equal((await new OfficeConnection(hostUrl, fresh).signIn('vanthu', PASSWORDS.vanthu)).login, 'vanthu', 'once the new fingerprint is compared and pinned');
});
