// eoffice sign without --rect, and as the agency without --agency-name, against a real SoftHSM2
// token, run as a user runs it: the signature goes on the document's signature block (Decree 30,
// Appendix I), the seal over the left third of the competent person's signature, and the agency's
// name comes from the data folder.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFName } from 'pdf-lib';
import { PdfRevision } from '../main/core/pades/revision.js';
import { sealRect, type Rect } from '../main/core/pades/appearance.js';
import { bytesSource } from '../main/core/pdf/source.js';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { nssTrusting, pdfsig } from './support/pdfsig.js';
import { interopPdf, makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { CLI_BUNDLE, runEoffice } from './support/cliRun.js';
import { BLOCK, makeSignerBlockPdf } from './support/signerBlockPdf.js';
import { signatureImage } from './support/png.js';

const LABEL = 'Token Khối ký';
const AGENCY = 'UBND xã Thử Nghiệm';
let token: TestToken;
let work: string;
/** Two pages; the last ends with "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", a gap, "Nguyễn Văn An". */
let decision: string;
/** One page of text and no signature block. */
let letter: string;
let image: string;
let nss: string;

before(async () => {
  token = await createTestToken({ label: LABEL, agencyName: AGENCY });
  work = tempDir('eoffice-cli-sign-block-');
  decision = path.join(work, 'quyet-dinh.pdf');
  fs.writeFileSync(decision, await makeSignerBlockPdf({ position: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], name: 'Nguyễn Văn An' }));
  letter = path.join(work, 'cong-van.pdf');
  fs.writeFileSync(letter, await makeVietnamesePdf(['Kính gửi: các phòng, ban', 'Đề nghị các đơn vị báo cáo trước ngày 15/5/2026.']));
  image = path.join(work, 'chu-ky.png');
  fs.writeFileSync(image, signatureImage());
  nss = nssTrusting([token.caCertPem]);
});

after(() => token?.cleanup());

function eoffice(args: string[], env: NodeJS.ProcessEnv = {}) {
  // A data folder of the test's own (absent unless a test makes it): never the user's.
  const base = { ...process.env, EOFFICE_PIN: '', EOFFICE_DATA_DIR: path.join(work, 'no-data-folder') };
  const run = spawnSync(process.execPath, [CLI_BUNDLE, ...args], { encoding: 'utf8', env: { ...base, ...env }, input: '' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const tokenArgs = (cert: 'signer' | 'agency') => ['--module', token.modulePath, '--token', LABEL, '--cert', token.ids[cert]];

/** The signature fields' widgets: page (1-based) and /Rect, in the order the form lists them. */
function signatureWidgets(file: string): Array<{ page: number; rect: Rect }> {
  const fields = new PdfRevision(bytesSource(new Uint8Array(fs.readFileSync(file))), path.basename(file)).fields();
  return [...fields.values()].filter((f) => f.dict.lookup(PDFName.of('FT')) === PDFName.of('Sig')).map((f) => ({ page: f.pageIndex + 1, rect: f.rect }));
}

function assertRefused(run: ReturnType<typeof eoffice>, reason: RegExp): void {
  assert.notEqual(run.code, 0, run.stdout);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, reason);
}

test('sign without --rect: the signature goes in the last page’s block, between the position and the name; pdfsig says valid', () => {
  const output = path.join(work, 'signed.pdf');
  const run = eoffice(['sign', decision, '-o', output, ...tokenArgs('signer'), '--image', image], { EOFFICE_PIN: token.userPin });
  assert.equal(run.code, 0, run.stderr);
  const [widget] = signatureWidgets(output);
  assert.ok(widget);
  assert.equal(widget.page, 2);
  const [x, y, w, h] = widget.rect;
  assert.ok(y > BLOCK.nameBaseline + 0.7 * BLOCK.size, `the widget (bottom ${y}) is above the name`);
  assert.ok(y + h < BLOCK.positionBaseline - 16 - 0.2 * BLOCK.size, `the widget (top ${y + h}) is below "CHỦ TỊCH"`);
  assert.ok(Math.abs(x + w / 2 - BLOCK.middle) < 1, `centred on the name (${x + w / 2})`);
  const [signature] = pdfsig(output, nss);
  assert.equal(signature!.validation, 'Signature is Valid.');
  assert.equal(signature!.commonName, 'Nguyễn Văn An');
});

test('sign --as agency without --agency-name: the data folder’s agency.name, the seal over the left third of the signer’s signature', async () => {
  const dataDir = path.join(work, 'data');
  assert.equal((await runEoffice(dataDir, ['config', 'set', 'agency.name', AGENCY])).code, 0);
  const signed = path.join(work, 'by-leader.pdf');
  assert.equal(eoffice(['sign', decision, '-o', signed, ...tokenArgs('signer'), '--image', image], { EOFFICE_PIN: token.userPin }).code, 0);

  const sealed = path.join(work, 'sealed.pdf');
  const run = eoffice(['sign', signed, '-o', sealed, ...tokenArgs('agency'), '--as', 'agency'], { EOFFICE_PIN: token.userPin, EOFFICE_DATA_DIR: dataDir });
  assert.equal(run.code, 0, run.stderr);
  const [leader, seal] = signatureWidgets(sealed);
  assert.ok(leader && seal);
  assert.equal(seal.page, 2);
  const expected = sealRect(leader.rect);
  seal.rect.forEach((n, i) => assert.ok(Math.abs(n - expected[i]!) < 0.01, `seal ${seal.rect} over the left third of ${leader.rect}`));
  // The appearance names the agency, as read from the data folder (in the caption under the seal, which may wrap).
  const text = execFileSync('pdftotext', ['-f', '2', '-l', '2', sealed, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(text, /Ký bởi: UBND xã Thử Nghiệm Thời gian ký: \S+\+07:00/);
  const signatures = pdfsig(sealed, nss);
  assert.deepEqual(
    signatures.map((s) => [s.commonName, s.validation]),
    [
      ['Nguyễn Văn An', 'Signature is Valid.'],
      [AGENCY, 'Signature is Valid.'],
    ],
  );
  // --data-dir names the folder as well as EOFFICE_DATA_DIR does.
  const viaOption = eoffice(['--data-dir', dataDir, 'sign', decision, '-o', path.join(work, 'sealed-2.pdf'), ...tokenArgs('agency'), '--as', 'agency'], { EOFFICE_PIN: token.userPin });
  assert.equal(viaOption.code, 0, viaOption.stderr);
});

test('no signature block to place it on: refused with how to place it, and no output file', () => {
  const how = /--page N --rect x,y,w,h \(points from the bottom-left corner\), or sign with --invisible$/;
  const cases: Array<[string, string[], RegExp]> = [
    ['a letter without a block', ['sign', letter, '-o', path.join(work, 'r1.pdf'), ...tokenArgs('signer')], /cong-van\.pdf: no signature block with the name "Nguyễn Văn An" \(the certificate's holder\) on any of its 1 page\(s\);/],
    ['the block on another page than --page', ['sign', decision, '-o', path.join(work, 'r2.pdf'), ...tokenArgs('signer'), '--page', '1'], /quyet-dinh\.pdf: no signature block .* on page 1;/],
    ['the agency on a letter without a signature or block', ['sign', letter, '-o', path.join(work, 'r3.pdf'), ...tokenArgs('agency'), '--as', 'agency', '--agency-name', AGENCY], /no signature of the competent person and no signature block on any of its 1 page\(s\);/],
  ];
  for (const [what, args, reason] of cases) {
    const run = eoffice(args, { EOFFICE_PIN: token.userPin });
    assertRefused(run, reason);
    assert.match(run.stderr.trim(), how, what);
  }
  assertRefused(eoffice(['sign', decision, '-o', path.join(work, 'r4.pdf'), ...tokenArgs('signer'), '--page', '3'], { EOFFICE_PIN: token.userPin }), /quyet-dinh\.pdf has no page 3 \(it has 2\)/);
  assert.deepEqual(fs.readdirSync(work).filter((f) => /^r\d\.pdf/.test(f)), [], 'no output file, nor a part of one');
});

test('a block printed for someone else is not the signer’s', async () => {
  const other = path.join(work, 'nguoi-khac.pdf');
  fs.writeFileSync(other, await makeSignerBlockPdf({ position: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], name: 'Trần Thị Bình' }));
  const output = path.join(work, 'nguoi-khac.signed.pdf');
  assertRefused(eoffice(['sign', other, '-o', output, ...tokenArgs('signer')], { EOFFICE_PIN: token.userPin }), /no signature block with the name "Nguyễn Văn An"/);
  assert.ok(!fs.existsSync(output));
});

test('--as agency or attachment with no agency name anywhere: refused before the PIN, saying both ways to give it; no data folder made', async () => {
  const absent = path.join(work, 'absent-data');
  const unnamed = path.join(work, 'unnamed-data');
  assert.equal((await runEoffice(unnamed, ['config', 'set', 'agency.code', '000.00.32.H41'])).code, 0);
  const reason = /^eoffice: signing as the agency needs its name: pass --agency-name "…", or set it in the data folder \(.*\) with eoffice config set agency\.name "…"$/;
  for (const [dataDir, role] of [
    [absent, ['--as', 'agency']],
    [unnamed, ['--as', 'agency', '--rect', '300,100,200,80']],
    [unnamed, ['--as', 'attachment', '--notation', '12/QĐ-UBND']],
  ] as const) {
    const output = path.join(work, 'agency-unnamed.pdf');
    // No EOFFICE_PIN and no terminal: a PIN question would be refused with another reason.
    const run = eoffice(['sign', decision, '-o', output, ...tokenArgs('agency'), ...role], { EOFFICE_DATA_DIR: dataDir });
    assertRefused(run, reason);
    assert.ok(run.stderr.includes(`(${dataDir})`), run.stderr);
    assert.ok(!fs.existsSync(output));
  }
  assert.ok(!fs.existsSync(absent), 'sign never creates a data folder');
});

test('the Hà Nội documents: the block found back from the last page past an annex, a clear refusal where there is none', () => {
  // TB 453 is signed by Võ Tuấn Anh: the test token's signer has no block there.
  const notice = eoffice(['sign', interopPdf('hanoi-tb-453-ubnd-2026.pdf'), '-o', path.join(work, 'tb.pdf'), ...tokenArgs('signer')], { EOFFICE_PIN: token.userPin });
  assertRefused(notice, /hanoi-tb-453-ubnd-2026\.pdf: no signature block with the name "Nguyễn Văn An" .* on any of its 1 page\(s\);/);
  // KH 173 ends with an annex page: its block, and Vũ Đại Thắng's signature, are on page 11.
  const plan = interopPdf('hanoi-kh-173-ubnd-2026.pdf');
  const agencyArgs = [...tokenArgs('agency'), '--as', 'agency', '--agency-name', AGENCY];
  assertRefused(eoffice(['sign', plan, '-o', path.join(work, 'kh.pdf'), ...agencyArgs, '--page', '12'], { EOFFICE_PIN: token.userPin }), /no signature of the competent person and no signature block on page 12;/);
  const output = path.join(work, 'kh-11.pdf');
  const run = eoffice(['sign', plan, '-o', output, ...agencyArgs], { EOFFICE_PIN: token.userPin });
  assert.equal(run.code, 0, run.stderr);
  const ours = signatureWidgets(output).at(-1)!;
  assert.deepEqual(ours, { page: 11, rect: sealRect([361, 417, 150, 70]) });
  const last = pdfsig(output, nss).at(-1)!;
  assert.deepEqual([last.commonName, last.validation], [AGENCY, 'Signature is Valid.']);
  assert.ok(!fs.existsSync(path.join(work, 'tb.pdf')) && !fs.existsSync(path.join(work, 'kh.pdf')));
});
