// `eoffice verify`, run in-process through runVerify: exit codes, one line per signature, the
// JSON report, --trust for one run only, --offline, and files that are not PDFs. The signer's
// CA publishes its CRLs on 127.0.0.1, which the tests allow the checker to ask (the command as
// shipped refuses loopback).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signPdfSource } from '../../main/core/pades/signPdf.js';
import { appendedSource, bytesSource } from '../../main/core/pdf/source.js';
import { runVerify } from '../../main/cli/verifyCommand.js';
import { VERIFY_USAGE } from '../../main/cli/usage.js';
import type { ValidationReport } from '../../main/core/validation/report.js';
import { fileSigningKey } from '../support/fileKey.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';
import { allowTestServer, startRevocationServer, type RevocationServer } from '../support/revocationServer.js';
import { createTestCa, makeCrl, type TestCa } from '../support/testCa.js';

let server: RevocationServer;
let ca: TestCa;
let work: string;
let signedPdf: string;
let tamperedPdf: string;

before(async () => {
  server = await startRevocationServer();
  ca = createTestCa(undefined, { crlBaseUrl: server.baseUrl });
  const times = { lastUpdate: new Date(Date.now() - 3_600_000), nextUpdate: new Date(Date.now() + 86_400_000) };
  server.crls.set('root.crl', makeCrl(ca.dir, ca.root, [], times));
  server.crls.set('intermediate.crl', makeCrl(ca.dir, ca.intermediate, [], times));
  work = tempDir('eoffice-verify-cli-');
  const draft = bytesSource(await makeVietnamesePdf(['CÔNG VĂN', 'Về việc kiểm tra chữ ký số bằng dòng lệnh']));
  const signed = appendedSource(draft, (await signPdfSource(draft, { key: fileSigningKey(ca.rsa.keyPem, ca.rsa.certDer, ca.chain) })).appended);
  const bytes = new Uint8Array(signed.size);
  let at = 0;
  signed.forEachChunk((chunk) => {
    bytes.set(chunk, at);
    at += chunk.length;
  });
  signedPdf = path.join(work, 'cong-van.pdf');
  fs.writeFileSync(signedPdf, bytes);
  // One bit of the binary comment on the second line: inside the signed range, read by no parser.
  bytes[11] = bytes[11]! ^ 0x01;
  tamperedPdf = path.join(work, 'cong-van-sua.pdf');
  fs.writeFileSync(tamperedPdf, bytes);
});

after(() => server.close());

async function verify(argv: string[], dataDir = tempDir('eoffice-cli-data-')): Promise<{ code: number; lines: string[]; warnings: string[] }> {
  const lines: string[] = [];
  const warnings: string[] = [];
  const code = await runVerify(argv, (line) => lines.push(line), dataDir, { warn: (line) => warnings.push(line), addressAllowed: allowTestServer });
  return { code, lines, warnings };
}

test('a valid signature with its root given by --trust: exit 0, one line naming field, signer, time and status; nothing imported', async () => {
  const dataDir = tempDir('eoffice-cli-data-');
  const { code, lines } = await verify([signedPdf, '--trust', ca.root.certPath], dataDir);
  assert.equal(code, 0, lines.join('\n'));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^cong-van\.pdf {2}Signature1 {2}Nguyễn Văn An \(Sở Nội vụ\) {2}\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00 {2}valid$/);
  assert.ok(!fs.existsSync(path.join(dataDir, 'trust')) || fs.readdirSync(path.join(dataDir, 'trust')).length === 0, '--trust is for this run only');
});

test('without the root the signature is not trusted: exit 1 with the reason', async () => {
  const { code, lines } = await verify([signedPdf]);
  assert.equal(code, 1);
  assert.match(lines[0]!, /indeterminate {2}NO_TRUST_PATH: /);
});

test('the data directory trust store counts; --offline with nothing cached: valid but revocation unknown, exit 3', async () => {
  const dataDir = tempDir('eoffice-cli-data-');
  fs.mkdirSync(path.join(dataDir, 'trust'));
  // What IT staff may do by hand: copy a certificate in under its SHA-256.
  fs.writeFileSync(path.join(dataDir, 'trust', `${createHash('sha256').update(ca.root.certDer).digest('hex')}.der`), ca.root.certDer);
  const offline = await verify([signedPdf, '--offline'], dataDir);
  assert.equal(offline.code, 3, 'a code of its own: nothing is wrong, revocation could not be checked');
  assert.match(offline.lines[0]!, / {2}valid-revocation-unknown {2}REVOCATION_UNKNOWN: .*offline/);
  const json = await verify([signedPdf, '--offline', '--json'], dataDir);
  assert.equal(json.code, 3);
  const [report] = JSON.parse(json.lines[0]!) as ValidationReport[];
  assert.equal(report!.status, 'valid-revocation-unknown');
  assert.equal(report!.signatures[0]!.revocation.unavailableBecause, 'offline');
  // Revocation unknown beside a real problem is a real problem: exit 1.
  assert.equal((await verify([signedPdf, tamperedPdf, '--offline'], dataDir)).code, 1);
  // Online once, the CRLs are cached; then offline is enough.
  assert.equal((await verify([signedPdf], dataDir)).code, 0);
  assert.equal((await verify([signedPdf, '--offline'], dataDir)).code, 0);
});

test('--json prints the reports as one JSON array; a tampered file makes the exit 1', async () => {
  const { code, lines } = await verify([signedPdf, tamperedPdf, '--json', '--trust', ca.root.certPath]);
  assert.equal(code, 1);
  assert.equal(lines.length, 1);
  const reports = JSON.parse(lines[0]!) as ValidationReport[];
  assert.deepEqual(reports.map((r) => [r.fileName, r.status]), [['cong-van.pdf', 'valid'], ['cong-van-sua.pdf', 'invalid']]);
  assert.deepEqual(reports[1]!.signatures[0]!.reasons.map((r) => r.code), ['DIGEST_MISMATCH']);
});

test('a file that is not a PDF, or is missing, is a one-line error and exit 1; the other files are still checked', async () => {
  const text = path.join(work, 'ghi-chu.txt');
  fs.writeFileSync(text, 'Không phải PDF\n');
  const { code, lines } = await verify([text, path.join(work, 'khong-co.pdf'), signedPdf, '--trust', ca.root.certPath]);
  assert.equal(code, 1);
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^ghi-chu\.txt: error: .*ghi-chu\.txt.*PDF/);
  assert.match(lines[1]!, /^khong-co\.pdf: error: .*cannot be read \(ENOENT\)/);
  assert.match(lines[2]!, / {2}valid$/);

  const json = await verify([text, '--json']);
  assert.equal(json.code, 1);
  const [outcome] = JSON.parse(json.lines[0]!) as { fileName: string; error: { code: string } }[];
  assert.equal(outcome!.error.code, 'DAMAGED_PDF');
});

test('an unsigned PDF is not valid: exit 1', async () => {
  const unsigned = path.join(work, 'chua-ky.pdf');
  fs.writeFileSync(unsigned, await makeVietnamesePdf(['Công văn chưa ký']));
  const { code, lines } = await verify([unsigned]);
  assert.equal(code, 1);
  assert.deepEqual(lines, ['chua-ky.pdf: no signatures']);
});

test('the usage text names every exit code', () => {
  assert.match(VERIFY_USAGE, /\b0 every signature is valid/);
  assert.match(VERIFY_USAGE, /\b3 every signature is valid except that revocation could not be checked/);
  assert.match(VERIFY_USAGE, /\b1 anything else/);
  assert.match(VERIFY_USAGE, /\b2 a command line that makes no sense/);
});

test('--trust with a certificate that is not a CA: skipped with a warning, the run goes on with the rest', async () => {
  // A signer's certificate alone: nothing to trust, so the signature has no trusted path.
  let run = await verify([signedPdf, '--trust', ca.rsa.certPath]);
  assert.equal(run.code, 1, run.lines.join('\n'));
  assert.match(run.lines[0]!, /indeterminate {2}NO_TRUST_PATH: /);
  assert.equal(run.warnings.length, 1);
  assert.match(run.warnings[0]!, /^eoffice verify: warning: --trust .*signer-rsa\.pem: .*"[^"]*Nguyễn Văn An[^"]*" is not a CA certificate;.* It is skipped\.$/);

  // The same next to the root, and a bundle holding both: the root is used, the signer's certificate skipped.
  const bundle = path.join(work, 'bundle-with-leaf.pem');
  fs.writeFileSync(bundle, ca.rsa.certPem + ca.root.certPem);
  for (const argv of [[signedPdf, '--trust', ca.rsa.certPath, '--trust', ca.root.certPath], [signedPdf, '--trust', bundle]]) {
    run = await verify(argv);
    assert.equal(run.code, 0, `${argv.join(' ')}: ${run.lines.join('\n')}`);
    assert.match(run.lines[0]!, / {2}valid$/);
    assert.equal(run.warnings.length, 1, run.warnings.join('\n'));
    assert.match(run.warnings[0]!, /is not a CA certificate;.* It is skipped\.$/);
  }
});

test('bad usage exits 2: no file, an unknown option, a --trust file that is missing or no certificate at all', async () => {
  const text = path.join(work, 'not-a-cert.pem');
  fs.writeFileSync(text, 'Không phải chứng thư\n');
  for (const argv of [[], [signedPdf, '--bogus'], [signedPdf, '--trust', text], [signedPdf, '--trust', path.join(work, 'none.pem')]]) {
    const { code, lines } = await verify(argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(lines[0]!, /^eoffice verify: /);
    assert.match(lines.join('\n'), /Usage: eoffice verify/);
  }
});
