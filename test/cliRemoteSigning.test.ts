// Remote signing from the command line (issue 14), on the built CLI, the reference remote signing
// service (its own SoftHSM token as the provider's HSM) and the agency's SoftHSM token: the
// administrator sets SmartCA up with `config set` (the secret from standard input only), `signers`
// lists the phone identity beside the tokens and names a CSC service that is down, the leader
// signs from the phone (the test plays the phone) and the clerk issues with the agency token; a
// refused confirmation fails the command and leaves the draft as it was; loose files are signed on
// the phone under one confirmation; a malformed --signer is a usage error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { decisionDraftPdf, makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { nssTrusting, pdfsig } from './support/pdfsig.js';
import { CLI_BUNDLE } from './support/cliRun.js';
import { startRemoteSigner, type RemoteSigner } from './remoteSigner/server.js';
import { closedPort } from './support/ports.js';

const AGENCY = 'Token Cơ quan CLI từ xa';
const AGENCY_NAME = 'Ủy ban nhân dân xã Thử Nghiệm';
const ACCOUNT = '079123456789'; // the reference service's SmartCA user: Nguyễn Văn An
const ON_PHONE = `smartca:${ACCOUNT}/smartca-an`;
const clientSecret = randomBytes(18).toString('base64url');

let agency: TestToken;
let providerHsm: TestToken;
let service: RemoteSigner;
let dataDir: string;
let work: string;

before(async () => {
  agency = await createTestToken({ label: AGENCY, agencyName: AGENCY_NAME });
  providerHsm = await createTestToken({ label: 'Provider HSM CLI' });
  service = await startRemoteSigner({ token: providerHsm, clientSecret, apPassword: randomBytes(12).toString('base64url') });
  dataDir = tempDir('eoffice-cli-remote-');
  work = tempDir('eoffice-cli-remote-work-');
});

after(async () => {
  await service?.close();
  agency?.cleanup();
  providerHsm?.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };

/**
 * The command in a child process, without blocking this one: the reference service runs here and
 * must answer meanwhile. `whileRunning` plays the phone.
 */
function eoffice(args: string[], options: { input?: string; pin?: string; whileRunning?: (running: () => boolean, child: ChildProcess) => Promise<void> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, '--data-dir', dataDir, ...args], { env: { ...process.env, EOFFICE_PIN: options.pin ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let running = true;
    const closed = new Promise<number | null>((done) => child.on('close', (code) => ((running = false), done(code))));
    child.stdin.end(options.input ?? '');
    Promise.all([closed, options.whileRunning?.(() => running, child)]).then(([code]) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }), reject);
  });
}

async function ok(args: string[], options: Parameters<typeof eoffice>[1] = {}): Promise<string> {
  const run = await eoffice(args, options);
  assert.equal(run.code, 0, `eoffice ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** The phone's requests already played. */
const handled = new Set<string>();

/** Waits for the next request to reach the phone, then plays it. */
function phone(play: (pendingId: string, child: ChildProcess) => Promise<unknown> | unknown): (running: () => boolean, child: ChildProcess) => Promise<void> {
  return async (running, child) => {
    while (running()) {
      const pending = service.control.pending().find((p) => !handled.has(p.id));
      if (pending) {
        handled.add(pending.id);
        await play(pending.id, child);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail('the command ended before its request reached the phone');
  };
}

async function newDraft(subject: string): Promise<number> {
  const file = path.join(work, `${subject}.pdf`);
  fs.writeFileSync(file, await decisionDraftPdf(subject));
  return Number(await ok(['out', 'new', file, '--type', 'QĐ', '--subject', subject, '--to', '000.00.00.H41', '--signer-name', 'Nguyễn Văn An', '--signer-position', 'CHỦ TỊCH', '--competence', 'TM.']));
}

async function currentFile(id: number): Promise<Buffer> {
  const file = path.join(work, `current-${id}-${randomBytes(4).toString('hex')}.pdf`);
  await ok(['out', 'export', String(id), '-o', file]);
  return fs.readFileSync(file);
}

const state = async (id: number) => (JSON.parse(await ok(['out', 'show', String(id), '--json'])) as { document: { state: string } }).document.state;

test('config set sets SmartCA up whole, takes the secret from standard input only, and shows it as (set)', async () => {
  for (const [key, value] of [['agency.code', '000.00.32.H41'], ['agency.name', AGENCY_NAME], ['agency.abbr', 'UBND']] as const) await ok(['config', 'set', key, value]);
  const smartcaUrl = `${service.url}/smartca`;
  // An address alone is not a service: refused, naming what is missing, and nothing saved.
  const alone = await eoffice(['config', 'set', 'signer.smartca.url', smartcaUrl]);
  assert.equal(alone.code, 1);
  assert.match(alone.stderr, /signer\.smartca\.clientId/);
  assert.equal(await ok(['config', 'get', 'signer.smartca']), '(not configured)');
  // Not an http(s) address: refused by the settings' schema.
  const badUrl = await eoffice(['config', 'set', 'signer.smartca.url', 'ftp://example', 'signer.smartca.clientId', 'eoffice-test']);
  assert.equal(badUrl.code, 1);
  assert.match(badUrl.stderr, /not saved/);
  assert.equal(await ok(['config', 'get', 'signer.smartca']), '(not configured)');

  await ok(['config', 'set', 'signer.smartca.url', smartcaUrl, 'signer.smartca.clientId', 'eoffice-test', 'signer.smartca.accounts', `${ACCOUNT}, 001122334455`]);
  assert.equal(await ok(['config', 'get', 'signer.smartca.accounts']), `${ACCOUNT},001122334455`);
  await ok(['config', 'set', 'signer.smartca.accounts', ACCOUNT]);
  assert.equal(await ok(['config', 'get', 'signer.smartca.url']), smartcaUrl);

  // The secret on the command line would stay in the shell history and the process list.
  const onArgv = await eoffice(['config', 'set', 'signer.smartca.secret', clientSecret]);
  assert.equal(onArgv.code, 1);
  assert.match(onArgv.stderr, /standard input only/);
  assert.equal(await ok(['config', 'get', 'signer.smartca.secret']), '(not set)');
  assert.equal((await eoffice(['config', 'set', 'signer.smartca.secret', '-'], { input: '\n' })).code, 1, 'an empty secret is refused');
  assert.equal(await ok(['config', 'set', 'signer.smartca.secret', '-'], { input: `${clientSecret}\n` }), 'signer.smartca.secret=(set)');
  const all = await ok(['config', 'get']);
  assert.match(all, /^signer\.smartca\.secret=\(set\)$/m);
  assert.ok(!all.includes(clientSecret), 'config get never prints the secret');
  for (const name of fs.readdirSync(dataDir)) {
    const file = path.join(dataDir, name);
    if (fs.statSync(file).isFile()) assert.ok(!fs.readFileSync(file).includes(clientSecret), `${name} does not hold the secret in clear`);
  }

  // A CSC service that is down, set up and then listed as a problem; unset removes a second one.
  const down = `http://127.0.0.1:${await closedPort()}/csc/v2`;
  await ok(['config', 'set', 'signer.csc.down.url', down, 'signer.csc.down.clientId', 'eoffice-test']);
  await ok(['config', 'set', 'signer.csc.down.secret', '-'], { input: clientSecret });
  await ok(['config', 'set', 'signer.csc.spare.url', down, 'signer.csc.spare.clientId', 'eoffice-test']);
  assert.equal(await ok(['config', 'unset', 'signer.csc.spare']), 'signer.csc.spare removed');
  assert.ok(!(await ok(['config', 'get'])).includes('signer.csc.spare'));
  // A service's name is a short word: refused by the schema.
  assert.equal((await eoffice(['config', 'set', 'signer.csc.Bad_Name.url', down, 'signer.csc.Bad_Name.clientId', 'x'])).code, 1);
  // A SIM PKI number given a certificate that is not there.
  const noFile = await eoffice(['config', 'set', 'signer.mss.identities', `84912345678=${path.join(work, 'missing.pem')}`]);
  assert.equal(noFile.code, 1);
  assert.match(noFile.stderr, /no file at/);
});

test('signers lists the phone identity beside the token, and names the CSC service that is down', async () => {
  const listed = JSON.parse(await ok(['signers', '--module', agency.modulePath, '--json'])) as {
    signers: Array<{ name: string; approval: string; source: string; certificate: { subjectCommonName: string | null } }>;
    problems: Array<{ source: string; error: { code: string } }>;
  };
  const onPhone = listed.signers.find((s) => s.name === ON_PHONE);
  assert.equal(onPhone?.approval, 'phone');
  assert.equal(onPhone?.certificate.subjectCommonName, 'Nguyễn Văn An');
  assert.ok(listed.signers.some((s) => s.name === `token:${AGENCY}/${agency.ids.agency}` && s.approval === 'pin'), JSON.stringify(listed.signers.map((s) => s.name)));
  assert.deepEqual(listed.problems.map((p) => [p.source, p.error.code]), [['CSC: down', 'REMOTE_UNREACHABLE']]);
  const text = await eoffice(['signers', '--module', agency.modulePath]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, new RegExp(`^${ON_PHONE}  Nguyễn Văn An.*điện thoại`, 'm'));
  assert.match(text.stderr, /warning: CSC: down/);
});

test('the leader signs on the phone, then the clerk issues with the agency token: both signatures valid', async () => {
  const id = await newDraft('ký trên điện thoại');
  const signed = await eoffice(['out', 'sign', String(id), '--signer', ON_PHONE, '--rect', '330,420,180,80'], {
    whileRunning: phone(async (pending) => {
      assert.equal(await state(id), 'draft', 'still a draft while the phone has not confirmed');
      await service.control.approve(pending);
    }),
  });
  assert.equal(signed.code, 0, signed.stderr);
  assert.match(signed.stderr, /Đang chờ xác nhận trên điện thoại…/);
  assert.match(signed.stderr, /Trên điện thoại: “/);
  assert.doesNotMatch(signed.stderr, /PIN/);
  assert.equal(await state(id), 'signed');

  const issued = await ok(['out', 'issue', String(id), '--module', agency.modulePath, '--token', AGENCY, '--cert', agency.ids.agency, '--yes'], { pin: agency.userPin });
  assert.match(issued, /queued/);
  const file = path.join(work, 'issued.pdf');
  fs.writeFileSync(file, await currentFile(id));
  const signatures = pdfsig(file, nssTrusting([agency.caCertPem, providerHsm.caCertPem]));
  assert.deepEqual(signatures.map((s) => [s.commonName, s.validation]), [
    ['Nguyễn Văn An', 'Signature is Valid.'],
    [AGENCY_NAME, 'Signature is Valid.'],
  ]);
});

test('refused on the phone: the command fails with the refusal and the draft is unchanged', async () => {
  const id = await newDraft('bị từ chối');
  const before = await currentFile(id);
  const run = await eoffice(['out', 'sign', String(id), '--signer', ON_PHONE], { whileRunning: phone((pending) => service.control.refuse(pending)) });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^eoffice: .*refused/m);
  assert.equal(await state(id), 'draft');
  assert.ok((await currentFile(id)).equals(before), 'the draft file is the same');
});

test('Ctrl+C while the phone has not confirmed cancels: nothing is signed', async () => {
  const id = await newDraft('hủy bằng Ctrl C');
  const before = await currentFile(id);
  const run = await eoffice(['out', 'sign', String(id), '--signer', ON_PHONE], { whileRunning: phone((_pending, child) => child.kill('SIGINT')) });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Đang hủy…/);
  assert.match(run.stderr, /^eoffice: .*cancelled/m);
  assert.equal(await state(id), 'draft');
  assert.ok((await currentFile(id)).equals(before));
});

test('a malformed --signer, or --signer with --token, is a usage error (exit 2); --tsa is the settings\' on registry documents', async () => {
  const id = await newDraft('sai cú pháp');
  for (const bad of ['smartca:', 'mss:123', 'phone:0912345678', 'csc:only-provider']) {
    const run = await eoffice(['out', 'sign', String(id), '--signer', bad]);
    assert.equal(run.code, 2, `${bad}: ${run.stderr}`);
    assert.match(run.stderr, /--signer/);
  }
  const both = await eoffice(['out', 'issue', String(id), '--signer', ON_PHONE, '--token', AGENCY, '--yes']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /not both/);
  // --image goes through the contract with the act, checked before the phone is asked.
  const notPng = path.join(work, 'chữ ký.png');
  fs.writeFileSync(notPng, '%PDF-1.4 not an image');
  const badImage = await eoffice(['out', 'sign', String(id), '--signer', ON_PHONE, '--image', notPng]);
  assert.equal(badImage.code, 1);
  assert.match(badImage.stderr, /not a PNG/);
  assert.equal(service.control.pending().filter((p) => !handled.has(p.id)).length, 0, 'the phone was never asked');
  const tsa = await eoffice(['out', 'sign', String(id), '--signer', ON_PHONE, '--tsa', 'http://127.0.0.1:1/tsa']);
  assert.equal(tsa.code, 2);
  assert.match(tsa.stderr, /config set tsaUrl/);
  assert.equal(await state(id), 'draft');
});

test('loose files signed on the phone: three files under one confirmation, each valid; a refusal writes nothing', async () => {
  const inputs = [];
  for (const name of ['tờ trình 1', 'tờ trình 2', 'tờ trình 3']) {
    const file = path.join(work, `${name}.pdf`);
    fs.writeFileSync(file, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', `Tờ trình ${name}`, 'Nguyễn Văn An']));
    inputs.push(file);
  }
  const originals = inputs.map((file) => fs.readFileSync(file));
  const out = path.join(work, 'loose-signed');
  const approvalsBefore = service.control.stats().approvals;
  let seen: { hashes: number; display: string } | undefined;
  const run = await eoffice(['sign', ...inputs, '-o', out, '--signer', ON_PHONE, '--invisible'], {
    whileRunning: phone(async (pending) => {
      seen = service.control.pending().find((p) => p.id === pending);
      assert.equal(fs.existsSync(out) ? fs.readdirSync(out).length : 0, 0, 'nothing is written before the phone confirms');
      await service.control.approve(pending);
    }),
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(seen?.hashes, 3, 'the three files go to the phone in one request');
  assert.match(seen?.display ?? '', /Ký 3 tệp: tờ trình 1\.pdf/);
  assert.equal(service.control.stats().approvals - approvalsBefore, 1, 'one confirmation');
  assert.match(run.stderr, /Đang chờ xác nhận trên điện thoại…/);
  assert.equal(run.stdout.split('\n').filter((line) => line.startsWith('✓')).length, 3, run.stdout);
  inputs.forEach((file, i) => assert.ok(fs.readFileSync(file).equals(originals[i]!), 'the source is never changed'));
  for (const name of fs.readdirSync(out)) {
    const signatures = pdfsig(path.join(out, name), nssTrusting([providerHsm.caCertPem]));
    assert.deepEqual(signatures.map((s) => [s.commonName, s.validation]), [['Nguyễn Văn An', 'Signature is Valid.']], name);
  }

  const refusedOut = path.join(work, 'loose-refused');
  const refused = await eoffice(['sign', ...inputs, '-o', refusedOut, '--signer', ON_PHONE, '--invisible'], { whileRunning: phone((pending) => service.control.refuse(pending)) });
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /✗ .*tờ trình 1\.pdf: .*refused/);
  assert.match(refused.stderr, /3 of 3 document\(s\) were not signed/);
  assert.deepEqual(fs.existsSync(refusedOut) ? fs.readdirSync(refusedOut) : [], [], 'no half-written output');
});
