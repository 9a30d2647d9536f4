// Attachments that travel (Decree 30, Appendix VI 1b): a commune issues a decision with its annex
// to the district over the reference axis; the district's registry lists the annex with its name
// as sent and its size, opens it, validates its signature like the main file's, and gives it out —
// through the API the UI calls and through `eoffice in show` / `in export --attachment N` (the
// built command on the district's data folder). A package from another system brings a Word annex:
// listed and exported too, and refused for validation with the reason (not a PDF). The commune's
// own versions come out of `eoffice out export --version`. Bad requests name what is wrong and
// leave no file behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { COMMUNE, DISTRICT, axisAgency, freePort, openAgency, type TestAgency } from './support/agencies.js';
import { handPackage } from './support/edxmlSamples.js';
import { listFiles, makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { CLI_BUNDLE, runEoffice } from './support/cliRun.js';
import { createAxisAdapter } from '../main/core/axis/createAdapter.js';
import { invoke } from '../main/core/api/invoke.js';

const GOVERNMENT = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', abbreviation: 'VPCP' };
const PROVINCE = { code: '000.00.00.H41', name: 'UBND Tỉnh Nghệ An', abbreviation: 'UBND' };

let commune: TestAgency;
let district: TestAgency;
let government: TestAgency;
let province: TestAgency;
let axis: AxisServer;
const work = tempDir('eoffice-attachments-');

before(async () => {
  assert.ok(fs.existsSync(CLI_BUNDLE), 'npm run build (or node main/build/build.mjs --cli) makes dist/cli/eoffice.mjs');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  commune = await openAgency(COMMUNE, endpoint, { tokens: 'issuer' });
  district = await openAgency(DISTRICT, endpoint);
  government = await openAgency(GOVERNMENT, endpoint);
  province = await openAgency(PROVINCE, endpoint);
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [commune, district, government, province].map(axisAgency) });
});

after(async () => {
  await axis?.close();
  for (const agency of [commune, district, government, province]) agency?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('an issued annex arrives with its name and size, opens, validates like the main file, and comes out through the API and the CLI', async () => {
  const [leader, seal] = commune.tokens;
  const annex = await makeVietnamesePdf(['PHỤ LỤC', 'Danh sách hộ nghèo năm 2026 của xã Thử Nghiệm']);
  const drafted = await commune.ok('outgoing.create', {
    fileName: 'quyet-dinh-ho-ngheo.pdf',
    bytes: await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', 'Về việc công nhận hộ nghèo']),
    details: { typeCode: 'QD', subject: 'Về việc công nhận hộ nghèo', signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipientCodes: [DISTRICT.code] },
    attachments: [{ fileName: 'Phụ lục - Danh sách hộ nghèo.pdf', bytes: annex }],
  });
  const id = drafted.document.id;
  await commune.ok('documents.sign', { ids: [id], label: leader!.label, certificateId: leader!.ids.signer, pin: leader!.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  await commune.ok('outgoing.issue', { id, label: seal!.label, certificateId: seal!.ids.agency, pin: seal!.userPin });
  const sent = (await commune.ok('documents.files', { id })).attachments[0]!;
  assert.equal((await commune.ok('exchange.syncNow', {})).sent, 1);
  assert.equal((await district.ok('exchange.syncNow', {})).received, 1);

  const [item] = await district.ok('exchange.received', {});
  const received = item!.documentId!;
  const files = await district.ok('documents.files', { id: received });
  assert.deepEqual(
    files.versions.map((v) => [v.step, v.current, v.fileName]),
    [['received', true, 'quyet-dinh-ho-ngheo.pdf']],
  );
  assert.equal(files.attachments.length, 1);
  const [attachment] = files.attachments;
  assert.deepEqual([attachment!.index, attachment!.fileName, attachment!.mediaType], [1, 'Phụ lục - Danh sách hộ nghèo.pdf', 'application/pdf']);
  assert.equal(attachment!.sha256, sent.sha256, 'the annex as the commune signed and sent it');
  assert.equal(attachment!.size, sent.size);
  const opened = await district.ok('documents.content', { id: received, sha256: attachment!.sha256 });
  assert.equal(sha256(opened.bytes), sent.sha256);
  assert.equal(opened.fileName, 'Phụ lục - Danh sách hộ nghèo.pdf');
  // Its signature is checked as the main file's is: the commune's seal, intact.
  const report = await district.ok('documents.validate', { id: received, online: false, sha256: attachment!.sha256 });
  assert.equal(report.signatures.length, 1);
  assert.equal(report.signatures[0]!.integrity, 'valid');
  assert.equal(report.signatures[0]!.signer?.name, COMMUNE.name);
  assert.equal(report.fileName, 'Phụ lục - Danh sách hộ nghèo.pdf');

  // eoffice in show / in export on the district's data folder, beside the app's open registry (WAL).
  const shown = await runEoffice(district.dataDir, ['in', 'show', String(received)]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /tệp: bản nhận \(hiện tại\) — quyet-dinh-ho-ngheo\.pdf/);
  assert.match(shown.stdout, /đính kèm 1: Phụ lục - Danh sách hộ nghèo\.pdf, [\d.]+ KB$/m);
  const exported = path.join(work, 'phu-luc.pdf');
  const out = await runEoffice(district.dataDir, ['in', 'export', String(received), '--attachment', '1', '-o', exported]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(sha256(fs.readFileSync(exported)), sent.sha256);
  const main = path.join(work, 'van-ban.pdf');
  assert.equal((await runEoffice(district.dataDir, ['in', 'export', String(received), '-o', main])).code, 0);
  assert.equal(sha256(fs.readFileSync(main)), files.versions[0]!.sha256);

  // Bad requests: named, and nothing written.
  const before = listFiles(work);
  const noSuch = await runEoffice(district.dataDir, ['in', 'export', String(received), '--attachment', '2', '-o', path.join(work, 'x.pdf')]);
  assert.equal(noSuch.code, 1);
  assert.match(noSuch.stderr, /has no attachment 2: it has 1 to 1/);
  const noFolder = await runEoffice(district.dataDir, ['in', 'export', String(received), '--attachment', '1', '-o', path.join(work, 'missing', 'x.pdf')]);
  assert.equal(noFolder.code, 1);
  assert.match(noFolder.stderr, /folder .* does not exist/);
  const noOutput = await runEoffice(district.dataDir, ['in', 'export', String(received)]);
  assert.equal(noOutput.code, 1);
  assert.match(noOutput.stderr, /-o <file> is required/);
  assert.deepEqual(listFiles(work), before);

  // The commune's own versions: the one the leader signed, and the issued one.
  const signedCopy = path.join(work, 'da-ky.pdf');
  assert.equal((await runEoffice(commune.dataDir, ['out', 'export', String(id), '--version', 'signed', '-o', signedCopy])).code, 0);
  const versions = (await commune.ok('documents.files', { id })).versions;
  assert.equal(sha256(fs.readFileSync(signedCopy)), versions.find((v) => v.step === 'signed')!.sha256);
  const annexCopy = path.join(work, 'phu-luc-xa.pdf');
  assert.equal((await runEoffice(commune.dataDir, ['out', 'export', String(id), '--attachment', '1', '-o', annexCopy])).code, 0);
  assert.equal(sha256(fs.readFileSync(annexCopy)), sent.sha256);
  const bogus = await runEoffice(commune.dataDir, ['out', 'export', String(id), '--version', 'final', '-o', path.join(work, 'y.pdf')]);
  assert.equal(bogus.code, 1);
  assert.match(bogus.stderr, /--version must be one of draft, signed, numbered, issued/);
  // A draft whose drafting unit changes its printed notation: `out new` says so before anyone signs.
  const draftFile = path.join(work, 'du-thao-vp.pdf');
  fs.writeFileSync(draftFile, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', 'Về việc giao nhiệm vụ']));
  const created = await runEoffice(commune.dataDir, ['out', 'new', draftFile, '--type', 'QĐ', '--subject', 'Về việc giao nhiệm vụ', '--signer-name', 'Nguyễn Văn An', '--unit', 'VP']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stderr, /the draft prints \/QĐ-UBND but numbering will give …\/QĐ-UBND-VP/);
  const outShown = await runEoffice(commune.dataDir, ['out', 'show', String(id)]);
  assert.match(outShown.stdout, /tệp: đã ký — quyet-dinh-ho-ngheo \(đã ký\)\.pdf, .*ký bởi Nguyễn Văn An/);
  assert.match(outShown.stdout, /đính kèm 1: Phụ lục - Danh sách hộ nghèo\.pdf/);
});

test('a Word annex from another system is listed with its name and description as sent, exported, and not validated as a PDF', async () => {
  const main = await makeVietnamesePdf(['VĂN PHÒNG CHÍNH PHỦ', 'Công văn về việc báo cáo số liệu']);
  const docx = Buffer.from('PK\u0003\u0004 một tệp Word giả lập, không phải PDF');
  const xml = handPackage({
    subject: 'Về việc báo cáo số liệu quý IV',
    attachments: [
      { name: 'cong-van.pdf', base64: Buffer.from(main).toString('base64') },
      { name: 'Biểu mẫu báo cáo.docx', base64: docx.toString('base64'), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    ],
  });
  const file = path.join(work, 'package.edxml');
  fs.writeFileSync(file, xml);
  const bytes = fs.readFileSync(file);
  await createAxisAdapter({ variant: 'vxp', endpoint: axis.url, systemId: government.systemId, secret: government.secret }).send({
    path: file,
    size: bytes.length,
    sha256: sha256(bytes),
    from: GOVERNMENT.code,
    to: [PROVINCE.code],
    messageType: 'edoc',
  });
  assert.equal((await province.ok('exchange.syncNow', {})).received, 1);
  const [item] = await province.ok('exchange.received', {});
  const id = item!.documentId!;
  const files = await province.ok('documents.files', { id });
  assert.equal(files.versions[0]!.fileName, 'cong-van.pdf');
  const [word] = files.attachments;
  assert.deepEqual([word!.index, word!.fileName, word!.size, word!.mediaType], [1, 'Biểu mẫu báo cáo.docx', docx.length, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']);
  assert.deepEqual(Buffer.from((await province.ok('documents.content', { id, sha256: word!.sha256 })).bytes), docx);
  const refused = await invoke(province.core.handlers, 'documents.validate', { id, online: false, sha256: word!.sha256 }, () => undefined);
  assert.equal(refused.ok ? 'validated' : refused.error.code, 'NOT_PDF');
  const copy = path.join(work, 'bieu-mau.docx');
  assert.equal((await runEoffice(province.dataDir, ['in', 'export', String(id), '--attachment', '1', '-o', copy])).code, 0);
  assert.deepEqual(fs.readFileSync(copy), docx);
});
