// What comes out of an outgoing document, on real SoftHSM2 tokens (the leader's RSA key, the
// agency's ECDSA key) and read back by poppler: the agency's seal with its caption printed whole
// beside it, never over it (pdftoppm for where the seal's red is, pdftotext -bbox for the words);
// the filled number and date as the only text on their lines ("Số: 01/QĐ-UBND" once in pdftotext,
// for a draft made by pdf-lib, a header table with both lines on one baseline, and a Writer draft
// converted by LibreOffice); a drafting unit that changes the printed notation, said before
// anyone signs; a signer declared without accents, kept in the register as the certificate spells
// it; and every version and attachment listed, read, validated and shown in a folder.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { vietnameseDate } from '../../main/core/issuing/notation.js';
import { vnDate } from '../../main/common/dates.js';
import { pdfLibFontkit, tinosFontBytes } from '../../main/core/pdf/fonts.js';
import { signPdfSource } from '../../main/core/pades/signPdf.js';
import { verifyPdfSignatures } from '../../main/core/pades/verify.js';
import { bytesSource } from '../../main/core/pdf/source.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig, qpdfCheck } from '../support/pdfsig.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';
import { sealImage, signatureImage } from '../support/png.js';

const LEADER = 'Token Lãnh đạo (đầu ra)';
const AGENCY = 'Token Cơ quan (đầu ra)';
const SIGNER_NAME = 'Nguyễn Văn An'; // the CN of createTestToken's RSA certificate
const AGENCY_NAME = 'UBND xã Thử Nghiệm'; // the CN of its ECDSA certificate

let leader: TestToken;
let agency: TestToken;
let core: Core;
let nss: string;
let work: string;

before(async () => {
  leader = await createTestToken({ label: LEADER });
  agency = await createTestToken({ label: AGENCY });
  const dataDir = tempDir('eoffice-outputs-');
  work = tempDir('eoffice-outputs-out-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [leader.modulePath] });
  core = openCore({ dataDir, shell: 'web', actor: 'văn thư', settings, tokens: { pollIntervalMs: 200 } });
  nss = nssTrusting([leader.caCertPem, agency.caCertPem]);
  await ok('agency.update', { code: '000.00.32.H41', name: AGENCY_NAME, abbreviation: 'UBND' });
  const certs = (await ok('tokens.list', {})).tokens.flatMap((t) => t.certificates.map((c) => ({ label: t.label, ...c })));
  const leaderCert = certs.find((c) => c.label === LEADER && c.id === leader.ids.signer)!;
  const agencyCert = certs.find((c) => c.label === AGENCY && c.id === agency.ids.agency)!;
  await ok('tokens.setImage', { fingerprint256: leaderCert.fingerprint256, kind: 'signature', png: signatureImage() });
  await ok('tokens.setImage', { fingerprint256: agencyCert.fingerprint256, kind: 'seal', png: sealImage() });
});

after(() => {
  core?.close();
  leader?.cleanup();
  agency?.cleanup();
});

async function call<M extends MethodName>(method: M, input: unknown): Promise<Envelope<Output<M>>> {
  return (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
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

const DETAILS = {
  typeCode: 'QD',
  signerName: SIGNER_NAME,
  signerPosition: 'CHỦ TỊCH',
  signerCompetence: 'TM.',
  recipients: ['- Như Điều 3;', '- Lưu: VT.'],
  recipientCodes: ['000.00.00.H41'],
};

function draftLines(subject: string): string[] {
  return ['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', `Về việc ${subject}`, 'Điều 1. Quyết định này có hiệu lực kể từ ngày ký.'];
}

async function draft(subject: string, bytes?: Uint8Array, overrides: Record<string, unknown> = {}, attachments: { fileName: string; bytes: Uint8Array }[] = []): Promise<Output<'outgoing.get'>> {
  return ok('outgoing.create', { fileName: `${subject}.pdf`, bytes: bytes ?? (await makeVietnamesePdf(draftLines(subject))), details: { ...DETAILS, subject, ...overrides }, attachments });
}

async function signAsLeader(id: number): Promise<void> {
  const signed = await ok('documents.sign', { ids: [id], label: LEADER, certificateId: leader.ids.signer, pin: leader.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  assert.equal(signed.results[0]!.status, 'signed', JSON.stringify(signed.results[0]));
}

async function issue(id: number): Promise<Output<'outgoing.get'>> {
  return ok('outgoing.issue', { id, label: AGENCY, certificateId: agency.ids.agency, pin: agency.userPin });
}

async function saved(id: number, name: string, sha256?: string): Promise<string> {
  const file = path.join(work, name);
  fs.writeFileSync(file, (await ok('documents.content', { id, ...(sha256 ? { sha256 } : {}) })).bytes);
  return file;
}

function text(file: string, ...args: string[]): string {
  return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' }).normalize('NFC');
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

interface Box {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Each word of page 1 with its box, in points from the top-left corner (pdftotext -bbox). */
function words(file: string): (Box & { word: string })[] {
  const html = text(file, '-f', '1', '-l', '1', '-bbox');
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    word: m[5]!.replace(/&amp;/g, '&'),
  }));
}

/** Where poppler paints the seal's red on page 1 (pdftoppm at 72 dpi: one pixel a point), top-left origin. */
function redBox(file: string): Box {
  const out = path.join(work, `red-${path.basename(file)}`);
  execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-singlefile', file, out]);
  const ppm = fs.readFileSync(`${out}.ppm`);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const width = Number(header[1]);
  const data = ppm.subarray(header[0].length);
  const box = { xMin: Infinity, yMin: Infinity, xMax: -Infinity, yMax: -Infinity };
  for (let i = 0; i < data.length / 3; i++) {
    const [r, g, b] = [data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!];
    if (r > 180 && g < 90 && b < 90) {
      const x = i % width;
      const y = Math.floor(i / width);
      box.xMin = Math.min(box.xMin, x);
      box.xMax = Math.max(box.xMax, x + 1);
      box.yMin = Math.min(box.yMin, y);
      box.yMax = Math.max(box.yMax, y + 1);
    }
  }
  return box;
}

const overlaps = (a: Box, b: Box) => a.xMin < b.xMax && b.xMin < a.xMax && a.yMin < b.yMax && b.yMin < a.yMax;

test('the issued PDF prints the seal’s caption whole, with its +07:00, under the seal and not over it', async () => {
  const { document } = await draft('ban hành quy chế văn thư');
  await signAsLeader(document.id);
  await issue(document.id);
  const file = await saved(document.id, 'seal-caption.pdf');
  assert.deepEqual(pdfsig(file, nss).map((s) => s.validation), ['Signature is Valid.', 'Signature is Valid.']);
  assert.equal(qpdfCheck(file).status, 0);

  const all = words(file);
  const time = all.findIndex((w) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/.test(w.word));
  assert.ok(time >= 0, `the signing time is printed whole, "+07:00" and all: ${all.map((w) => w.word).join(' ')}`);
  const start = all.findIndex((w, i) => w.word === 'Ký' && all[i + 1]?.word === 'bởi:');
  assert.ok(start >= 0 && start < time, 'the caption starts with "Ký bởi:"');
  const caption = all.slice(start, time + 1);
  assert.deepEqual(
    caption.map((w) => w.word).join(' '),
    `Ký bởi: ${AGENCY_NAME} Thời gian ký: ${all[time]!.word}`,
    'the agency’s name and the time, nothing cut',
  );
  const seal = redBox(file);
  assert.ok(seal.xMax - seal.xMin > 60, `the seal is drawn (${JSON.stringify(seal)})`);
  for (const w of caption) assert.ok(!overlaps(w, seal), `"${w.word}" ${JSON.stringify(w)} lies over the seal ${JSON.stringify(seal)}`);
  assert.ok(caption.every((w) => w.yMin >= seal.yMax - 1), 'the caption is under the seal');
});

test('the filled number and date are the only text on their lines: "Số: 01/QĐ-UBND" once, the date once', async () => {
  const year = vnDate().slice(0, 4);
  const { document } = await draft('ban hành nội quy cơ quan');
  // Before anyone signs, the draft still reads as printed — once: the field shows the placeholder.
  const prepared = await saved(document.id, 'prepared.pdf');
  const before = text(prepared);
  for (const word of ['Số:', '/QĐ-UBND', 'Nghiệm, ngày', 'tháng', 'năm 2026']) assert.equal(occurrences(before, word), 1, `${word} in ${before}`);

  await signAsLeader(document.id);
  const numbered = await ok('outgoing.number', { id: document.id });
  const notation = numbered.document.notation!;
  assert.match(notation, /^\d{2}\/QĐ-UBND$/);
  await issue(document.id);
  const file = await saved(document.id, 'issued-text.pdf');
  const issued = text(file);
  assert.equal(occurrences(issued, `Số: ${notation}`), 1, issued);
  assert.equal(occurrences(issued, 'Số:'), 1, `no second "Số:" from the printed line: ${issued}`);
  assert.equal(occurrences(issued, '/QĐ-UBND'), 1, issued);
  const dateLine = `Thử Nghiệm, ${vietnameseDate(numbered.document.documentDate!)}`;
  assert.equal(occurrences(issued.replace(/[ \t]+/g, ' '), dateLine), 1, issued);
  assert.equal(occurrences(issued, 'tháng'), 1, issued);
  assert.ok(issued.includes(`năm ${year}`));
  // The rest of the page is as it was printed.
  assert.match(issued, /ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM/);
  assert.match(issued, /Điều 1\. Quyết định này có hiệu lực kể từ ngày ký\./);
  // And the leader's signature still covers what it signed: only the fields were filled after it.
  assert.deepEqual(pdfsig(file, nss).map((s) => s.validation), ['Signature is Valid.', 'Signature is Valid.']);
});

/** A Decree 30 header: two columns, the number line on the left and the date line on the right, on one baseline. */
async function headerTableDraft(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(pdfLibFontkit);
  const regular = await doc.embedFont(tinosFontBytes('regular'), { subset: true });
  const italic = await doc.embedFont(tinosFontBytes('italic'), { subset: true });
  const page = doc.addPage([595, 842]);
  const draw = (s: string, x: number, y: number, font = regular, size = 13) => page.drawText(s, { x, y, size, font, color: rgb(0, 0, 0) });
  draw('ỦY BAN NHÂN DÂN', 80, 780);
  draw('XÃ THỬ NGHIỆM', 90, 764);
  draw('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 280, 780);
  draw('Độc lập - Tự do - Hạnh phúc', 330, 764);
  draw('Số:        /QĐ-UBND', 80, 735);
  draw('Thử Nghiệm, ngày      tháng      năm 2026', 300, 735, italic);
  draw('QUYẾT ĐỊNH', 250, 690);
  draw('Về việc công nhận tổ dân phố văn hóa', 190, 672);
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  return doc.save();
}

test('in a header table the number and the date, on one baseline, each replace their own line and nothing else', async () => {
  const { document, places } = await draft('công nhận tổ dân phố văn hóa', await headerTableDraft());
  assert.equal(places.number?.origin, 'found');
  assert.equal(places.date?.origin, 'found');
  assert.equal(places.date?.italic, true);
  await signAsLeader(document.id);
  const numbered = await ok('outgoing.number', { id: document.id });
  const file = await saved(document.id, 'header-table.pdf');
  const layout = text(file, '-layout');
  const line = layout.split('\n').find((l) => l.includes('Số:'))!;
  assert.ok(line.includes(`Số: ${numbered.document.notation}`), line);
  assert.ok(line.includes(`Thử Nghiệm, ${vietnameseDate(numbered.document.documentDate!)}`), line);
  assert.equal(occurrences(layout, 'Số:'), 1, layout);
  assert.equal(occurrences(layout, 'tháng'), 1, layout);
  for (const kept of ['ỦY BAN NHÂN DÂN', 'XÃ THỬ NGHIỆM', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'QUYẾT ĐỊNH']) assert.ok(layout.includes(kept), `${kept} is still printed`);
  assert.equal(pdfsig(file, nss)[0]!.validation, 'Signature is Valid.');
});

test('a Writer draft converted by LibreOffice: the filled number is the only "Số:" of its text', async () => {
  const paragraph = (s: string) => `<text:p>${s.replace(/ {2,}/g, (run) => ` <text:s text:c="${run.length - 1}"/>`)}</text:p>`;
  const odt = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text>
  ${['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:        /TB-UBND', 'Thử Nghiệm, ngày      tháng      năm 2026', 'THÔNG BÁO', 'Về lịch trực Tết'].map(paragraph).join('\n  ')}
 </office:text></office:body>
</office:document>`;
  const created = await ok('outgoing.create', { fileName: 'thông báo trực tết.odt', bytes: new TextEncoder().encode(odt), details: { ...DETAILS, typeCode: 'TB', subject: 'về lịch trực Tết' } });
  await signAsLeader(created.document.id);
  const numbered = await ok('outgoing.number', { id: created.document.id });
  const file = await saved(created.document.id, 'writer.pdf');
  const issued = text(file);
  assert.equal(occurrences(issued, `Số: ${numbered.document.notation}`), 1, issued);
  assert.equal(occurrences(issued, 'Số:'), 1, issued);
  assert.equal(occurrences(issued, 'tháng'), 1, issued);
  // The line under the date prints as it did: no white box of the field clips its accents.
  const heading = words(file).find((w) => w.word === 'THÔNG')!;
  const draftFile = await saved(created.document.id, 'writer-draft.pdf', (await ok('documents.files', { id: created.document.id })).versions[0]!.sha256);
  const [before, after] = [pixels(draftFile), pixels(file)];
  const inked = (rgb: number[]) => rgb.some((c) => c < 160);
  let ink = 0;
  for (let y = Math.floor(heading.yMin); y < Math.ceil(heading.yMax); y++) {
    for (let x = Math.floor(heading.xMin); x < Math.ceil(heading.xMax); x++) {
      if (!inked(before(x, y))) continue;
      ink++;
      assert.ok(inked(after(x, y)), `the ink of “THÔNG” at ${x},${y} is gone`);
    }
  }
  assert.ok(ink > 20, 'the heading was compared');
});

/** Page 1 rendered by poppler at 72 dpi (a pixel a point): the pixel at (x, y) from the top-left, as [r, g, b]. */
function pixels(file: string): (x: number, y: number) => number[] {
  const out = path.join(work, `px-${path.basename(file)}`);
  execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-singlefile', file, out]);
  const ppm = fs.readFileSync(`${out}.ppm`);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const width = Number(header[1]);
  const data = ppm.subarray(header[0].length);
  return (x, y) => [...data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
}

test('a page not read for certain (a standard font without widths) keeps its printed line; the filled field covers it, white, as before', async () => {
  const doc = await PDFDocument.create();
  const times = await doc.embedFont(StandardFonts.TimesRoman);
  const page = doc.addPage([595, 842]);
  ['UY BAN NHAN DAN XA THU NGHIEM', 'So:          /QD-UBND', 'Thu Nghiem, ngay        thang        nam 2026', 'QUYET DINH'].forEach((line, i) => page.drawText(line, { x: 60, y: 780 - i * 20, size: 12, font: times }));
  const { document, places } = await draft('ve viec thu nghiem phong chuan', await doc.save());
  assert.equal(places.number?.origin, 'found');
  const prepared = await saved(document.id, 'standard-font-prepared.pdf');
  assert.equal(occurrences(text(prepared), 'So:'), 1, 'the printed line is still the page’s');
  await signAsLeader(document.id);
  const numbered = await ok('outgoing.number', { id: document.id });
  const file = await saved(document.id, 'standard-font-numbered.pdf');
  const filled = text(file);
  // The number is filled in; the page's own line stays in the text layer (hidden on paper under
  // the white field): the fallback of a page that cannot be rewritten for certain.
  assert.equal(occurrences(filled, numbered.document.notation!), 1, filled);
  assert.equal(occurrences(filled, 'So:'), 1, filled);
  assert.equal(pdfsig(file, nss)[0]!.validation, 'Signature is Valid.');
});

test('a draft that someone signed already keeps its pages as they are: its signature stays valid', async () => {
  // Signed outside the registry (an approval signature on the file a unit sent in).
  const unsigned = await makeVietnamesePdf(draftLines('ký trước khi soạn'));
  const signedBytes = await core.tokens.signingAct({ label: AGENCY }, agency.ids.agency, { pin: agency.userPin }, async (key) => {
    const update = await signPdfSource(bytesSource(unsigned), { key, fileName: 'da-ky-truoc.pdf' });
    return new Uint8Array(Buffer.concat([unsigned, update.appended]));
  });
  const { document, places } = await draft('ký trước khi soạn', signedBytes);
  assert.equal(places.number?.origin, 'found');
  const prepared = await saved(document.id, 'presigned-prepared.pdf');
  assert.deepEqual(pdfsig(prepared, nss).map((s) => s.validation), ['Signature is Valid.'], 'the earlier signature still holds');
  // And the page it signed was not rewritten after it: the fields were added, the content left alone.
  const [check] = verifyPdfSignatures(bytesSource(new Uint8Array(fs.readFileSync(prepared))), 'presigned-prepared.pdf');
  assert.equal(check!.integrity, 'valid');
  assert.deepEqual(
    check!.laterChanges.changes.filter((c) => c.kind === 'page-content'),
    [],
    JSON.stringify(check!.laterChanges),
  );
  assert.equal(occurrences(text(prepared), 'Số:'), 1, 'the printed line is left on its page');
});

test('a drafting unit that changes the printed notation is said before anyone signs, and no longer once they agree', async () => {
  const withUnit = await draft('giao chỉ tiêu thu ngân sách', undefined, { draftingUnit: 'VP' });
  assert.deepEqual(withUnit.notationMismatch, { printed: 'QĐ-UBND', given: 'QĐ-UBND-VP' });
  const agreed = await ok('outgoing.updateDraft', { id: withUnit.document.id, details: { draftingUnit: '' } });
  assert.equal(agreed.notationMismatch, null);
  // A công văn printed "/UBND-VP" agrees with its unit; another type does not.
  const congVan = await ok('outgoing.create', {
    fileName: 'cong-van.pdf',
    bytes: await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:        /UBND-VP', 'Thử Nghiệm, ngày      tháng      năm 2026', 'V/v trả lời kiến nghị']),
    details: { ...DETAILS, typeCode: 'CV', subject: 'V/v trả lời kiến nghị', draftingUnit: 'VP' },
  });
  assert.equal(congVan.notationMismatch, null);
  const retyped = await ok('outgoing.updateDraft', { id: congVan.document.id, details: { typeCode: 'TB' } });
  assert.deepEqual(retyped.notationMismatch, { printed: 'UBND-VP', given: 'TB-UBND-VP' });
});

test('a signer declared without accents is accepted, offered the certificate’s spelling, and kept in the register as the certificate writes it', async () => {
  const { document } = await draft('phân công nhiệm vụ', undefined, { signerName: 'Nguyen Van An' });
  await signAsLeader(document.id);
  const signed = await ok('outgoing.get', { id: document.id });
  assert.equal(signed.numbering.allowed, true, JSON.stringify(signed.numbering.reason));
  assert.equal(signed.numbering.certificateName, SIGNER_NAME, 'the clerk is offered the spelling of the certificate');
  assert.equal(signed.document.signerName, 'Nguyen Van An', 'nothing changes until numbering or the clerk says so');
  const numbered = await ok('outgoing.number', { id: document.id });
  assert.equal(numbered.document.signerName, SIGNER_NAME);
  const year = Number(numbered.document.documentDate!.slice(0, 4));
  const row = (await ok('outgoing.book', { year, confidential: false })).rows.find((r) => r.id === document.id)!;
  assert.ok(row.cells[3]!.startsWith(SIGNER_NAME), row.cells[3]);
  const audit = numbered.document.events.find((e) => e.kind === 'numbered')!;
  assert.equal(audit.details.declaredSignerName, 'Nguyen Van An');
  assert.equal(audit.details.signerName, SIGNER_NAME);

  // Taking the offer before numbering changes the declared name; then there is nothing to offer.
  const other = await draft('phân công trực', undefined, { signerName: 'NGUYEN VAN AN' });
  await signAsLeader(other.document.id);
  assert.equal((await ok('outgoing.get', { id: other.document.id })).numbering.certificateName, SIGNER_NAME);
  const corrected = await ok('outgoing.updateDraft', { id: other.document.id, details: { signerName: SIGNER_NAME } });
  assert.equal(corrected.numbering.certificateName, null);
  assert.equal(corrected.numbering.allowed, true);
});

test('every version and attachment of an issued document is listed, read, validated, and copied to a folder; nothing else is', async () => {
  const annex = await makeVietnamesePdf(['PHỤ LỤC', 'Danh sách tổ dân phố']);
  const created = await draft('ban hành danh sách tổ dân phố', undefined, {}, [{ fileName: 'Phụ lục danh sách.pdf', bytes: annex }]);
  const id = created.document.id;
  await signAsLeader(id);
  await ok('outgoing.number', { id });
  await issue(id);
  const files = await ok('documents.files', { id });
  assert.deepEqual(
    files.versions.map((v) => [v.step, v.current, v.signed]),
    [
      ['draft', false, false],
      ['signed', false, true],
      ['numbered', false, false],
      ['issued', true, true],
    ],
  );
  assert.equal(files.versions[1]!.signer, SIGNER_NAME);
  assert.equal(files.versions[3]!.signer, AGENCY_NAME);
  assert.equal(files.versions[3]!.fileName, 'ban hành danh sách tổ dân phố.pdf');
  assert.equal(files.versions[0]!.fileName, 'ban hành danh sách tổ dân phố (dự thảo).pdf');
  for (const v of files.versions) {
    const { bytes, mediaType } = await ok('documents.content', { id, sha256: v.sha256 });
    assert.equal(createHash('sha256').update(bytes).digest('hex'), v.sha256);
    assert.equal(bytes.length, v.size);
    assert.equal(mediaType, 'application/pdf');
  }
  const [attachment] = files.attachments;
  assert.deepEqual([attachment!.index, attachment!.fileName, attachment!.signed], [1, 'Phụ lục danh sách.pdf', true]);
  const annexFile = await saved(id, 'annex.pdf', attachment!.sha256);
  assert.equal(fs.statSync(annexFile).size, attachment!.size);
  assert.equal(pdfsig(annexFile, nss)[0]!.validation, 'Signature is Valid.', 'the attachment carries the agency’s signature');
  const report = await ok('documents.validate', { id, online: false, sha256: attachment!.sha256 });
  assert.equal(report.signatures.length, 1);
  assert.equal(report.signatures[0]!.signer?.name, AGENCY_NAME);
  assert.equal(report.signatures[0]!.integrity, 'valid');
  const signedVersion = await ok('documents.validate', { id, online: false, sha256: files.versions[1]!.sha256 });
  assert.equal(signedVersion.signatures.length, 1, 'the signed version holds the leader’s signature only');

  // The current file is still what documents.content gives without a hash.
  assert.equal((await ok('documents.content', { id })).bytes.length, files.versions[3]!.size);
  // A hash of another document's file, or no hash at all, reads nothing.
  const other = await draft('văn bản khác');
  const otherSha = (await ok('documents.files', { id: other.document.id })).versions[0]!.sha256;
  await fails('documents.content', { id, sha256: otherSha }, 'NOT_FOUND');
  await fails('documents.validate', { id, sha256: otherSha }, 'NOT_FOUND');
  await fails('documents.content', { id, sha256: '../../secret.key' }, 'INVALID_INPUT');
  await fails('documents.content', { id: 999_999 }, 'NOT_FOUND');

  // "Mở thư mục" needs the desktop shell: the web host says so.
  await fails('documents.showInFolder', { id }, 'SHELL_UNAVAILABLE');
});

/** A call on another core than the suite's, failing with the error's code and message. */
async function okOn<M extends MethodName>(on: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = await invoke(on.handlers, method, input, () => undefined);
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result as Output<M>;
}

test('"Mở thư mục" copies the file whole into the shell’s folder, never over another copy, and shows it', async () => {
  const shown: string[] = [];
  const folder = path.join(tempDir('eoffice-reveal-'), 'Downloads', 'eOffice');
  const desktop = openCore({ dataDir: tempDir('eoffice-reveal-data-'), shell: 'electron', actor: 'văn thư', fileReveal: { folder: () => folder, reveal: (file) => void shown.push(file) } });
  try {
    const bytes = await makeVietnamesePdf(['Tờ trình', 'Về việc sửa chữa trụ sở']);
    const id = (await okOn(desktop, 'documents.import', { direction: 'in', fileName: 'tờ trình.pdf', bytes })).document.id;
    await okOn(desktop, 'documents.showInFolder', { id });
    await okOn(desktop, 'documents.showInFolder', { id });
    assert.deepEqual(shown, [path.join(folder, 'tờ trình.pdf'), path.join(folder, 'tờ trình (2).pdf')]);
    for (const file of shown) assert.deepEqual(new Uint8Array(fs.readFileSync(file)), bytes);
    assert.deepEqual(fs.readdirSync(folder).sort(), ['tờ trình (2).pdf', 'tờ trình.pdf'], 'no stray part file');
  } finally {
    desktop.close();
  }
  // A folder that cannot be made (a file stands in its way): said, and nothing shown.
  const blockedParent = tempDir('eoffice-reveal-blocked-');
  fs.writeFileSync(path.join(blockedParent, 'Downloads'), '');
  const blocked = openCore({ dataDir: tempDir('eoffice-reveal-data-'), shell: 'electron', fileReveal: { folder: () => path.join(blockedParent, 'Downloads', 'eOffice'), reveal: (file) => void shown.push(file) } });
  try {
    const imported = await okOn(blocked, 'documents.import', { direction: 'in', fileName: 'x.pdf', bytes: await makeVietnamesePdf(['Giấy mời']) });
    const refused = await invoke(blocked.handlers, 'documents.showInFolder', { id: imported.document.id }, () => undefined);
    assert.equal(refused.ok ? 'ok' : refused.error.code, 'EXPORT_FAILED');
    assert.equal(shown.length, 2);
  } finally {
    blocked.close();
  }
});
