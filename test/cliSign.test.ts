// eoffice tokens / eoffice sign against a real SoftHSM2 token, run as a user runs them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { nssTrusting, pdfsig } from './support/pdfsig.js';
import { tempDir } from './support/fixtures.js';
import { CLI_BUNDLE } from './support/cliRun.js';

const BIN = CLI_BUNDLE;
const LABEL = 'Token Văn thư';
let token: TestToken;
let work: string;
let input: string;

before(async () => {
  token = await createTestToken({ label: LABEL });
  work = tempDir('eoffice-cli-sign-');
  input = path.join(work, 'cong-van.pdf');
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  fs.writeFileSync(input, await doc.save());
});

after(() => token?.cleanup());

function eoffice(args: string[], env: NodeJS.ProcessEnv = {}) {
  // SOFTHSM2_CONF (set by the test token) is inherited, so the child sees the same token.
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, EOFFICE_PIN: '', ...env }, input: '' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('eoffice tokens lists the token and its certificates', () => {
  const run = eoffice(['tokens', '--module', token.modulePath, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const tokens = JSON.parse(run.stdout) as Array<{ label: string; certificates: Array<{ subjectCommonName: string; id: string }> }>;
  const ours = tokens.find((t) => t.label === LABEL)!;
  assert.ok(ours);
  assert.deepEqual(ours.certificates.map((c) => c.subjectCommonName).sort(), ['Nguyễn Văn An', 'UBND xã Thử Nghiệm']);
  const text = eoffice(['tokens', '--module', token.modulePath]);
  assert.match(text.stdout, new RegExp(`${LABEL} \\(serial`));
});

test('eoffice sign signs as the agency with the PIN from EOFFICE_PIN; pdfsig says valid and trusted', () => {
  const output = path.join(work, 'signed.pdf');
  const run = eoffice(
    ['sign', input, '-o', output, '--module', token.modulePath, '--token', LABEL, '--cert', token.ids.agency, '--as', 'agency', '--rect', '300,100,200,80', '--agency-name', 'UBND xã Thử Nghiệm'],
    { EOFFICE_PIN: token.userPin },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /✓ .*cong-van\.pdf → .*signed\.pdf \(PAdES B-B\)/);
  const [signature] = pdfsig(output, nssTrusting([token.caCertPem]));
  assert.equal(signature!.validation, 'Signature is Valid.');
  assert.equal(signature!.certificate, 'Certificate is Trusted.');
  assert.equal(signature!.commonName, 'UBND xã Thử Nghiệm');
});

test('failures exit non-zero with one line, write nothing, and never show the PIN', () => {
  const wrongPin = '11119999';
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    // The agency's name on the page takes the agency's certificate, not the leader's own (first:
    // after the wrong PIN below, every login adds a warning line).
    [['sign', input, '-o', path.join(work, 'f.pdf'), '--module', token.modulePath, '--token', LABEL, '--cert', token.ids.signer, '--as', 'agency', '--rect', '300,100,200,80', '--agency-name', 'UBND xã Thử Nghiệm'], { EOFFICE_PIN: token.userPin }, /"Nguyễn Văn An" cannot sign as the agency/],
    [['sign', input, '-o', path.join(work, 'a.pdf'), '--module', token.modulePath, '--token', LABEL, '--invisible'], { EOFFICE_PIN: wrongPin }, /PIN is incorrect/],
    [['sign', input, '-o', path.join(work, 'b.pdf'), '--module', token.modulePath, '--token', LABEL, '--invisible'], {}, /set EOFFICE_PIN or run eoffice sign in a terminal/],
    [['sign', input, '-o', path.join(work, 'c.pdf'), '--module', '/nonexistent/vnptca_p11_v8.dll', '--token', LABEL, '--invisible'], { EOFFICE_PIN: token.userPin }, /vnptca_p11_v8\.dll/],
    [['sign', input, '-o', path.join(work, 'd.pdf'), '--module', token.modulePath, '--token', 'Không có', '--invisible'], { EOFFICE_PIN: token.userPin }, /token/i],
    [['sign', input, '--module', token.modulePath, '--token', LABEL], { EOFFICE_PIN: token.userPin }, /-o <file or folder> is required/],
    [['sign', input, '-o', path.join(work, 'e.pdf'), '--module', token.modulePath, '--token', LABEL, '--rect', '1,2'], { EOFFICE_PIN: token.userPin }, /--rect must be/],
  ];
  for (const [args, env, reason] of cases) {
    const run = eoffice(args, env);
    assert.notEqual(run.code, 0, args.join(' '));
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, reason);
    for (const pin of [wrongPin, token.userPin]) assert.ok(!`${run.stdout}${run.stderr}`.includes(pin), 'the PIN never shows');
  }
  assert.deepEqual(fs.readdirSync(work).filter((f) => /^[a-f]\.pdf$/.test(f)), [], 'no output file');
});
