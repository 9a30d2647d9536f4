// Attachments of a received package (Decree 30, Appendix VI 1b; issue 20.2): Hà Nội's system sends,
// over the reference axis, a công văn with two attachments — Hà Nội's real signed TB 453 as an
// annex, and a Word form. The receiver lists them with their names as sent and their sizes, opens
// them, and validates the annex's signatures like the main file's — through the API and through
// the built `eoffice` (`in show` prints each PDF attachment's signatures, `in export --attachment N`
// copies one out whole).
//
// Bad inputs tried: --attachment 0, --attachment abc, --attachment 3 (there are two), validating
// the Word file (NOT_PDF), an attachment hash that is not this document's (NOT_FOUND).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { freePort, openAgency, type TestAgency } from './support/agencies.js';
import { handPackage } from './support/edxmlSamples.js';
import { interopPdf, listFiles, makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { CLI_BUNDLE, runEoffice } from './support/cliRun.js';
import { createAxisAdapter } from '../main/core/axis/createAdapter.js';
import { invoke } from '../main/core/api/invoke.js';

const RECEIVER = { code: '000.00.00.H41', name: 'UBND Tỉnh Nghệ An', abbreviation: 'UBND' };
const GOVERNMENT = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', systemId: 'sys-vpcp', secret: 'bí mật VPCP' };

let receiver: TestAgency;
let axis: AxisServer;
const work = tempDir('eoffice-received-attachments-');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

before(async () => {
  const port = await freePort();
  receiver = await openAgency(RECEIVER, `http://127.0.0.1:${port}`);
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [GOVERNMENT, { code: receiver.code, name: receiver.name, systemId: receiver.systemId, secret: receiver.secret }] });
});

after(async () => {
  await axis?.close();
  receiver?.close();
});

test('a received package’s attachments are listed as sent, opened, validated like the main file, and shown and exported by eoffice in show / in export', async () => {
  assert.ok(fs.existsSync(CLI_BUNDLE), 'npm run build (or node main/build/build.mjs --cli) makes dist/cli/eoffice.mjs');
  const main = await makeVietnamesePdf(['VĂN PHÒNG CHÍNH PHỦ', 'Số: 12/VPCP-TTĐT', 'V/v gửi kèm thông báo của Hà Nội']);
  const annex = new Uint8Array(fs.readFileSync(interopPdf('hanoi-tb-453-ubnd-2026.pdf')));
  const form = Buffer.from('PK\u0003\u0004 biểu mẫu Word giả lập');
  const xml = handPackage({
    subject: 'V/v gửi kèm thông báo của Hà Nội',
    attachments: [
      { name: 'cong-van-12.pdf', base64: Buffer.from(main).toString('base64') },
      { name: 'Phụ lục 1 - Thông báo 453 của UBND Hà Nội.pdf', base64: Buffer.from(annex).toString('base64') },
      { name: 'Biểu mẫu số 2.docx', base64: form.toString('base64'), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    ],
  });
  const file = path.join(work, 'goi-tin.edxml');
  fs.writeFileSync(file, xml);
  const bytes = fs.readFileSync(file);
  await createAxisAdapter({ variant: 'vxp', endpoint: axis.url, systemId: GOVERNMENT.systemId, secret: GOVERNMENT.secret }).send({ path: file, size: bytes.length, sha256: sha256(bytes), from: GOVERNMENT.code, to: [RECEIVER.code], messageType: 'edoc' });
  assert.equal((await receiver.ok('exchange.syncNow', {})).received, 1);
  const id = (await receiver.ok('exchange.received', {}))[0]!.documentId!;

  // Listed: names as sent, sizes, in the order sent.
  const files = await receiver.ok('documents.files', { id });
  assert.deepEqual(files.versions.map((v) => [v.step, v.fileName, v.sha256]), [['received', 'cong-van-12.pdf', sha256(main)]]);
  assert.deepEqual(
    files.attachments.map((a) => [a.index, a.fileName, a.size, a.sha256]),
    [
      [1, 'Phụ lục 1 - Thông báo 453 của UBND Hà Nội.pdf', annex.length, sha256(annex)],
      [2, 'Biểu mẫu số 2.docx', form.length, sha256(form)],
    ],
  );
  // Opened whole.
  assert.equal(sha256((await receiver.ok('documents.content', { id, sha256: sha256(annex) })).bytes), sha256(annex));
  // Validated like the main file: Hà Nội's signatures found, each intact.
  const report = await receiver.ok('documents.validate', { id, sha256: sha256(annex), online: false });
  assert.ok(report.signatures.length >= 1);
  for (const s of report.signatures) assert.equal(s.integrity, 'valid');
  assert.equal(report.fileName, 'Phụ lục 1 - Thông báo 453 của UBND Hà Nội.pdf');
  const notPdf = await invoke(receiver.core.handlers, 'documents.validate', { id, sha256: sha256(form), online: false }, () => undefined);
  assert.equal(notPdf.ok ? 'validated' : notPdf.error.code, 'NOT_PDF');
  const stranger = await invoke(receiver.core.handlers, 'documents.content', { id, sha256: 'a'.repeat(64) }, () => undefined);
  assert.equal(stranger.ok ? 'read' : stranger.error.code, 'NOT_FOUND');

  // The command line: the list, each PDF attachment's signatures, and the copies out.
  const shown = await runEoffice(receiver.dataDir, ['in', 'show', String(id)]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /đính kèm 1: Phụ lục 1 - Thông báo 453 của UBND Hà Nội\.pdf, [\d.]+ (KB|MB)$/m);
  assert.match(shown.stdout, /đính kèm 2: Biểu mẫu số 2\.docx, [\d.]+ B$/m);
  const signatureLines = shown.stdout.split('\n').filter((l) => l.startsWith('  đính kèm 1 — chữ ký số:'));
  assert.equal(signatureLines.length, report.signatures.length, shown.stdout);
  for (const line of signatureLines) assert.match(line, /, toàn vẹn, /);
  assert.doesNotMatch(shown.stdout, /đính kèm 2 — chữ ký số/, 'a Word file is not checked as a PDF');
  const copy = path.join(work, 'phu-luc-1.pdf');
  const exported = await runEoffice(receiver.dataDir, ['in', 'export', String(id), '--attachment', '1', '-o', copy]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(sha256(fs.readFileSync(copy)), sha256(annex));
  const word = path.join(work, 'bieu-mau.docx');
  assert.equal((await runEoffice(receiver.dataDir, ['in', 'export', String(id), '--attachment', '2', '-o', word])).code, 0);
  assert.deepEqual(fs.readFileSync(word), form);

  const before = listFiles(work);
  for (const bad of ['0', 'abc', '3']) {
    const refused = await runEoffice(receiver.dataDir, ['in', 'export', String(id), '--attachment', bad, '-o', path.join(work, `x-${bad}.pdf`)]);
    assert.equal(refused.code, 1, `--attachment ${bad}`);
    assert.match(refused.stderr, new RegExp(`has no attachment ${bad}: it has 1 to 2`));
  }
  assert.deepEqual(listFiles(work), before, 'nothing written');
});
