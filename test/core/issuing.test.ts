// Issuing outgoing documents end to end on real SoftHSM2 tokens, through the API as the UI calls
// it: a leader's token (RSA) and the agency's token (ECDSA), each from its own test CA. The
// issued PDF is checked by pdfsig (both signatures valid and trusted), qpdf --check and
// pdftotext; numbering is refused before the signature, for a signature by someone else and for
// a signature that no longer matches the file; numbers run per register and per year in
// Vietnam time; recall, update and replace take a new state with their reason. The agency's
// signature takes the agency's own certificate (not a person's, not the competent person's),
// checked before any number is taken; each signing and each issue is an act with its own PIN.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { verifyAudit } from '../../main/core/registry/audit.js';
import { signDocuments } from '../../main/core/signing/signDocuments.js';
import { numberDocument, signaturePlacement, type IssuingContext } from '../../main/core/issuing/outgoing.js';
import { vietnameseDate } from '../../main/core/issuing/notation.js';
import { verifyPdfSignatures } from '../../main/core/pades/verify.js';
import { bytesSource } from '../../main/core/pdf/source.js';
import { vnDate } from '../../main/common/dates.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig, qpdfCheck } from '../support/pdfsig.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';
import { sealImage, signatureImage } from '../support/png.js';

const LEADER = 'Token Lãnh đạo';
const AGENCY = 'Token Cơ quan';
const SIGNER_NAME = 'Nguyễn Văn An'; // the CN of createTestToken's RSA certificate
const AGENCY_NAME = 'UBND xã Thử Nghiệm'; // the CN of its ECDSA certificate, the agency's

let leader: TestToken;
let agency: TestToken;
let core: Core;
let nss: string;
let work: string;

before(async () => {
  leader = await createTestToken({ label: LEADER });
  agency = await createTestToken({ label: AGENCY });
  const dataDir = tempDir('eoffice-issuing-');
  work = tempDir('eoffice-issuing-out-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [leader.modulePath] });
  core = openCore({ dataDir, shell: 'web', actor: 'văn thư', settings, tokens: { pollIntervalMs: 200 } });
  nss = nssTrusting([leader.caCertPem, agency.caCertPem]);
  // Named as the agency's certificate names it: only that certificate may sign as the agency.
  await ok('agency.update', { code: '000.00.32.H41', name: AGENCY_NAME, abbreviation: 'UBND' });
  // The leader's handwritten signature and the agency's seal, as the clerk sets them once per certificate.
  const leaderCert = (await ok('tokens.list', {})).tokens.find((t) => t.label === LEADER)!.certificates.find((c) => c.id === leader.ids.signer)!;
  const agencyCert = (await ok('tokens.list', {})).tokens.find((t) => t.label === AGENCY)!.certificates.find((c) => c.id === agency.ids.agency)!;
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

async function fails(method: MethodName, input: unknown, code: string): Promise<string> {
  const envelope = await call(method, input);
  assert.equal(envelope.ok, false, `${method} should fail with ${code}`);
  if (envelope.ok) return '';
  assert.equal(envelope.error.code, code, envelope.error.message);
  return envelope.error.message;
}

/** A draft laid out as Decree 30 prints one: "Số:   /QĐ-UBND" and the date line with blanks. */
async function draftPdf(subject: string): Promise<Uint8Array> {
  return makeVietnamesePdf([
    'ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM',
    'Số:          /QĐ-UBND',
    'Thử Nghiệm, ngày        tháng        năm 2026',
    'QUYẾT ĐỊNH',
    `Về việc ${subject}`,
    'Điều 1. Quyết định này có hiệu lực kể từ ngày ký.',
  ]);
}

const DETAILS = {
  typeCode: 'QD',
  signerName: SIGNER_NAME,
  signerPosition: 'CHỦ TỊCH',
  signerCompetence: 'TM.',
  recipients: ['UBND huyện Thử Nghiệm', 'Lưu: VT'],
  recipientCodes: ['000.00.00.H41', '001.00.10.H41'],
  priority: 'urgent',
  copies: 5,
  archiveHolder: 'Văn phòng',
};

async function newDraft(subject: string, overrides: Record<string, unknown> = {}): Promise<Output<'outgoing.get'>> {
  return ok('outgoing.create', { fileName: `${subject}.pdf`, bytes: await draftPdf(subject), details: { ...DETAILS, subject, ...overrides } });
}

/** Each signature is a signing act of its own, and asks for the token's PIN. */
function signAsLeader(id: number, certificateId = leader.ids.signer, label = LEADER) {
  const pin = label === LEADER ? leader.userPin : agency.userPin;
  return ok('documents.sign', { ids: [id], label, certificateId, pin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
}

function issueWith(id: number, certificateId = agency.ids.agency, label = AGENCY) {
  const pin = label === LEADER ? leader.userPin : agency.userPin;
  return { id, label, certificateId, pin };
}

function exportPdf(id: number, name: string): string {
  const file = path.join(work, name);
  const content = core.blobs.read((core.db.prepare('SELECT file_sha256 FROM documents WHERE id = ?').get(id) as { file_sha256: string }).file_sha256);
  fs.writeFileSync(file, content);
  return file;
}

test('the whole flow: draft with places found, leader signs, number, agency seal — two valid, trusted signatures and the number in the text', async () => {
  const draft = await newDraft('ban hành quy chế làm việc');
  const id = draft.document.id;
  assert.equal(draft.document.state, 'draft');
  assert.equal(draft.places.number?.origin, 'found', 'the "Số:" line was found in the page text');
  assert.equal(draft.places.date?.origin, 'found', 'the date line was found');
  assert.equal(draft.places.date?.prefix, 'Thử Nghiệm');
  assert.deepEqual(draft.draft.recipientCodes, ['000.00.00.H41', '001.00.10.H41']);
  assert.equal(draft.numbering.allowed, false);
  assert.equal(draft.numbering.reason?.code, 'NOT_SIGNED');
  assert.match(await fails('outgoing.number', { id }, 'NOT_SIGNED'), /Không cấp số trước khi ký/);

  const signed = await signAsLeader(id);
  assert.equal(signed.results[0]!.status, 'signed', JSON.stringify(signed.results[0]));
  const afterSigning = await ok('outgoing.get', { id });
  assert.equal(afterSigning.document.state, 'signed');
  assert.equal(afterSigning.numbering.allowed, true, JSON.stringify(afterSigning.numbering.reason));
  // What the confirmation of "Cấp số" says, and the certificate the agency's signature must not be.
  assert.deepEqual(afterSigning.numbering.next, { number: 1, notation: '01/QĐ-UBND', documentDate: vnDate() });
  const leaderPrint = new X509Certificate(leader.signerCertDer).fingerprint256;
  assert.equal(afterSigning.numbering.competentSigner, leaderPrint);
  assert.equal(draft.numbering.next, null, 'no number is promised before the signature');
  assert.equal(afterSigning.steps.find((s) => s.step === 'signed')?.certificate?.includes(SIGNER_NAME), true);

  const numbered = await ok('outgoing.number', { id });
  const year = Number(vnDate().slice(0, 4));
  assert.equal(numbered.document.state, 'numbered');
  assert.equal(numbered.document.number, 1);
  assert.equal(numbered.document.notation, '01/QĐ-UBND');
  assert.equal(numbered.document.documentDate, vnDate());
  assert.equal(numbered.document.year, year);
  await fails('outgoing.number', { id }, 'WRONG_STATE');
  assert.deepEqual([numbered.numbering.next, numbered.numbering.competentSigner], [null, leaderPrint]);

  const issued = await ok('outgoing.issue', issueWith(id));
  assert.equal(issued.document.state, 'queued');
  assert.deepEqual(
    issued.steps.map((s) => [s.step, s.done]),
    [['draft', true], ['signed', true], ['numbered', true], ['sealed', true], ['queued', true], ['sent', false]],
  );
  assert.match(issued.steps.find((s) => s.step === 'sealed')!.certificate!, /UBND xã Thử Nghiệm/);
  const outbox = core.db.prepare('SELECT action, state, recipients, package_sha256 IS NOT NULL AS packaged FROM outbox_jobs WHERE document_id = ?').all(id);
  assert.deepEqual(outbox, [{ action: 'send', state: 'queued', recipients: JSON.stringify(DETAILS.recipientCodes), packaged: 1 }], 'queued with its edXML package, in the same commit');

  const file = exportPdf(id, 'issued.pdf');
  const signatures = pdfsig(file, nss);
  assert.equal(signatures.length, 2, JSON.stringify(signatures));
  for (const s of signatures) {
    assert.equal(s.validation, 'Signature is Valid.', JSON.stringify(s));
    assert.equal(s.certificate, 'Certificate is Trusted.', JSON.stringify(s));
  }
  assert.equal(signatures[0]!.commonName, SIGNER_NAME);
  assert.equal(signatures[1]!.commonName, 'UBND xã Thử Nghiệm');
  assert.equal(qpdfCheck(file).status, 0, qpdfCheck(file).output);
  const text = execFileSync('pdftotext', [file, '-']).toString('utf8').normalize('NFC');
  assert.match(text, /01\/QĐ-UBND/);
  assert.ok(text.replace(/\s+/g, ' ').includes(vietnameseDate(vnDate()).replace(/^ngày /, '')), text);

  // Our own verifier agrees and says what came after the leader's signature: permitted steps only.
  const checks = verifyPdfSignatures(bytesSource(new Uint8Array(fs.readFileSync(file))), 'issued.pdf');
  assert.deepEqual(checks.map((c) => c.integrity), ['valid', 'valid']);
  assert.equal(checks[0]!.certification, 2, 'the leader certified with form filling and signing allowed');
  assert.equal(checks[0]!.laterChanges.verdict, 'permitted', JSON.stringify(checks[0]!.laterChanges));
  assert.equal(checks[1]!.laterChanges.verdict, 'none');

  const book = await ok('outgoing.book', { year, confidential: false });
  const row = book.rows.find((r) => r.id === id)!;
  assert.equal(book.columns.length, 10);
  assert.equal(row.cells[0], '01/QĐ-UBND');
  assert.match(row.cells[2]!, /^Quyết định ban hành quy chế làm việc/);
  assert.match(row.cells[3]!, /Nguyễn Văn An \(TM\. CHỦ TỊCH\)/);
  assert.equal(row.cells[6], '5');
  const csv = new TextDecoder().decode((await ok('outgoing.exportBook', { year, confidential: false, format: 'csv' })).bytes);
  assert.match(csv, /01\/QĐ-UBND/);
  const pdfBook = (await ok('outgoing.exportBook', { year, confidential: false, format: 'pdf' })).bytes;
  fs.writeFileSync(path.join(work, 'book.pdf'), pdfBook);
  assert.equal(qpdfCheck(path.join(work, 'book.pdf')).status, 0);
  assert.match(execFileSync('pdftotext', [path.join(work, 'book.pdf'), '-']).toString('utf8').normalize('NFC'), /SỔ ĐĂNG KÝ VĂN BẢN ĐI/);
  assert.equal(verifyAudit(core.db).ok, true);
});

/** What numbering and issuing would have changed: the register, the document, the queue, the trail. */
function issuingTrace(id: number) {
  return {
    lastNumbers: core.db.prepare("SELECT year, confidential, last_number FROM registers WHERE direction = 'out' ORDER BY id").all(),
    document: core.db.prepare('SELECT state, number, notation, file_sha256, numbered_at, sealed_at, queued_at FROM documents WHERE id = ?').get(id),
    jobs: (core.db.prepare('SELECT count(*) AS n FROM outbox_jobs WHERE document_id = ?').get(id) as { n: number }).n,
    audit: (core.db.prepare("SELECT count(*) AS n FROM audit_events WHERE document_id = ? AND kind IN ('numbered', 'agency-signed', 'queued')").get(id) as { n: number }).n,
  };
}

test('the agency’s signature refuses a personal certificate with AGENCY_CERTIFICATE_REQUIRED before any number is taken', async () => {
  const draft = await newDraft('ký thay dấu bằng chứng thư cá nhân');
  const id = draft.document.id;
  await signAsLeader(id);
  const before = issuingTrace(id);
  // The leader's own certificate: its O names the agency, its holder (CN) is a person.
  const message = await fails('outgoing.issue', issueWith(id, leader.ids.signer, LEADER), 'AGENCY_CERTIFICATE_REQUIRED');
  assert.match(message, new RegExp(AGENCY_NAME));
  assert.deepEqual(issuingTrace(id), before, 'no number taken, no file, no seal, nothing queued or audited');
  const detail = await ok('outgoing.get', { id });
  assert.equal(detail.document.state, 'signed');
  assert.equal(detail.steps.find((s) => s.step === 'sealed')?.done, false);

  // Numbered first, then issued with the personal certificate: refused the same, the number kept as it was.
  await ok('outgoing.number', { id });
  const numbered = issuingTrace(id);
  await fails('outgoing.issue', issueWith(id, leader.ids.signer, LEADER), 'AGENCY_CERTIFICATE_REQUIRED');
  assert.deepEqual(issuingTrace(id), numbered);
  // The agency's own certificate issues it.
  assert.equal((await ok('outgoing.issue', issueWith(id))).document.state, 'queued');
});

test('the certificate that signed as the competent person cannot sign as the agency; the name is compared without accents or case', async (t) => {
  t.after(() => ok('agency.update', { code: '000.00.32.H41', name: AGENCY_NAME, abbreviation: 'UBND' }));
  // Typed without accents, in capitals and with doubled spaces: still the agency's name.
  await ok('agency.update', { code: '000.00.32.H41', name: 'UBND  XA THU NGHIEM', abbreviation: 'UBND' });
  // A document the agency itself signs as the competent person (its declared signer is the agency).
  const draft = await newDraft('cơ quan ký thay người có thẩm quyền', { signerName: AGENCY_NAME });
  const id = draft.document.id;
  assert.equal((await signAsLeader(id, agency.ids.agency, AGENCY)).results[0]!.status, 'signed');
  const before = issuingTrace(id);
  await fails('outgoing.issue', issueWith(id), 'AGENCY_CERTIFICATE_REQUIRED');
  assert.deepEqual(issuingTrace(id), before);
  // Another certificate of the agency (on the leader's token here) may seal it.
  const issued = await ok('outgoing.issue', issueWith(id, leader.ids.agency, LEADER));
  assert.equal(issued.document.state, 'queued');
  const file = exportPdf(id, 'agency-twice.pdf');
  const signatures = pdfsig(file, nss);
  assert.deepEqual(signatures.map((s) => [s.commonName, s.validation, s.certificate]), [
    [AGENCY_NAME, 'Signature is Valid.', 'Certificate is Trusted.'],
    [AGENCY_NAME, 'Signature is Valid.', 'Certificate is Trusted.'],
  ]);
  const checks = verifyPdfSignatures(bytesSource(new Uint8Array(fs.readFileSync(file))), 'agency-twice.pdf');
  assert.notEqual(checks[0]!.signer?.fingerprint256, checks[1]!.signer?.fingerprint256, 'two different certificates');
});

test('issuing is a signing act of its own: after the leader’s signature and an earlier issue, it asks for the agency token’s PIN again', async () => {
  const first = await newDraft('phát hành lần một');
  await signAsLeader(first.document.id);
  assert.equal((await ok('outgoing.issue', issueWith(first.document.id))).document.state, 'queued');
  const second = await newDraft('phát hành lần hai');
  await signAsLeader(second.document.id);
  const before = issuingTrace(second.document.id);
  await fails('outgoing.issue', { id: second.document.id, label: AGENCY, certificateId: agency.ids.agency }, 'PIN_REQUIRED');
  assert.deepEqual(issuingTrace(second.document.id), before, 'no number taken without the PIN');
  const overview = await ok('tokens.list', {});
  assert.deepEqual(overview.tokens.filter((t) => t.label === LEADER || t.label === AGENCY).map((t) => t.loggedIn), [false, false], 'both tokens logged out after their acts');
});

test('numbering is refused when the signature is by someone other than the declared signer', async () => {
  const draft = await newDraft('người ký khác');
  // Signed with the agency's certificate in the leader's place: valid, but not the declared signer.
  const signed = await signAsLeader(draft.document.id, agency.ids.agency, AGENCY);
  assert.equal(signed.results[0]!.status, 'signed');
  const message = await fails('outgoing.number', { id: draft.document.id }, 'SIGNER_MISMATCH');
  assert.match(message, /UBND xã Thử Nghiệm/);
  assert.equal((await ok('outgoing.get', { id: draft.document.id })).numbering.reason?.code, 'SIGNER_MISMATCH');
});

test('numbering is refused on a signature that no longer matches the file, and no number is taken', async () => {
  const draft = await newDraft('chữ ký bị sửa');
  const id = draft.document.id;
  await signAsLeader(id);
  const before = core.db.prepare("SELECT coalesce(max(last_number), 0) AS n FROM registers WHERE direction = 'out'").get() as { n: number };
  // Someone edits the stored file behind the registry's back: one byte of the signed text.
  const sha = (core.db.prepare('SELECT file_sha256 FROM documents WHERE id = ?').get(id) as { file_sha256: string }).file_sha256;
  const stored = core.blobs.pathFor(sha);
  const bytes = fs.readFileSync(stored);
  // Inside the first stream's data: the structure still reads, the signed bytes differ.
  const at = bytes.indexOf('stream\n') + 'stream\n'.length + 10;
  bytes[at] = bytes[at]! ^ 0x01;
  fs.chmodSync(stored, 0o644);
  fs.writeFileSync(stored, bytes);
  await fails('outgoing.number', { id }, 'SIGNATURE_INVALID');
  const afterRefusal = core.db.prepare("SELECT coalesce(max(last_number), 0) AS n FROM registers WHERE direction = 'out'").get() as { n: number };
  assert.equal(afterRefusal.n, before.n, 'a refused numbering takes no number');
  assert.equal((await ok('outgoing.get', { id })).document.state, 'signed');
});

test('a draft without places for its number cannot be signed, and marked places work like found ones', async () => {
  const bytes = await makeVietnamesePdf(['CÔNG VĂN KHÔNG CÓ DÒNG SỐ', 'Nội dung']);
  const draft = await ok('outgoing.create', { fileName: 'cv.pdf', bytes, details: { ...DETAILS, typeCode: 'CV', subject: 'v/v thử công văn', draftingUnit: 'VP' } });
  const id = draft.document.id;
  assert.equal(draft.places.number, null);
  const refused = await signAsLeader(id);
  assert.equal(refused.results[0]!.status, 'failed');
  assert.equal(refused.results[0]!.error?.code, 'NO_NUMBER_PLACE');
  await ok('outgoing.markPlaces', { id, places: { number: { page: 1, rect: [60, 700, 120, 16] }, date: { page: 1, rect: [300, 700, 230, 16], italic: true } } });
  await signAsLeader(id);
  const numbered = await ok('outgoing.number', { id });
  // A công văn has no type abbreviation: {number}/{agency}-{unit}.
  assert.match(numbered.document.notation!, /^\d{2}\/UBND-VP$/);
  const file = exportPdf(id, 'cv.pdf');
  // A marked number place is the blank before the printed "/…": it gets the bare number.
  const text = execFileSync('pdftotext', [file, '-']).toString('utf8').normalize('NFC');
  assert.ok(text.includes(numbered.document.notation!.split('/')[0]!), text);
  assert.ok(text.replace(/\s+/g, ' ').includes(vietnameseDate(vnDate())), text);
});

test('numbers run per year in Vietnam time: 31/12 23:59:59 and 01/01 00:00:00 (+07:00) fall in different series', async () => {
  const ctx = (iso: string): IssuingContext => ({ db: core.db, blobs: core.blobs, actor: 'văn thư', separateConfidentialSeries: true, now: () => new Date(iso) });
  const late = (await newDraft('cuối năm')).document.id;
  const early = (await newDraft('đầu năm')).document.id;
  const early2 = (await newDraft('đầu năm thứ hai')).document.id;
  // One signing act, one PIN, for the three.
  await core.tokens.signingAct({ label: LEADER }, leader.ids.signer, { pin: leader.userPin }, async (key) => {
    const signed = await signDocuments({ db: core.db, blobs: core.blobs, actor: 'lãnh đạo', key, role: 'signer', appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80], image: signatureImage() }, placement: signaturePlacement, cancelled: () => false }, [late, early, early2]);
    assert.deepEqual(signed.map((r) => r.status), ['signed', 'signed', 'signed']);
  });

  const lastOf2030 = await numberDocument(ctx('2030-12-31T23:59:59+07:00'), late);
  const firstOf2031 = await numberDocument(ctx('2031-01-01T00:00:00+07:00'), early);
  const secondOf2031 = await numberDocument(ctx('2030-12-31T17:00:01Z'), early2); // 00:00:01 on 1 January in Vietnam
  assert.equal(lastOf2030.documentDate, '2030-12-31');
  assert.equal(lastOf2030.notation, '01/QĐ-UBND');
  assert.equal(firstOf2031.documentDate, '2031-01-01');
  assert.equal(firstOf2031.notation, '01/QĐ-UBND', 'a new year starts again from 01');
  assert.equal(secondOf2031.notation, '02/QĐ-UBND');
  const years = core.db.prepare('SELECT year FROM documents WHERE id IN (?, ?, ?) ORDER BY id').all(late, early, early2) as { year: number }[];
  assert.deepEqual(years.map((y) => y.year), [2030, 2031, 2031]);
});

test('confidential documents take numbers from their own series', async () => {
  const ctx: IssuingContext = { db: core.db, blobs: core.blobs, actor: 'văn thư', separateConfidentialSeries: true, now: () => new Date('2032-03-05T09:00:00+07:00') };
  const open = (await newDraft('văn bản thường 2032')).document.id;
  const secret = (await newDraft('văn bản mật 2032', { confidential: true })).document.id;
  await core.tokens.signingAct({ label: LEADER }, leader.ids.signer, { pin: leader.userPin }, (key) =>
    signDocuments({ db: core.db, blobs: core.blobs, actor: 'lãnh đạo', key, role: 'signer', appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] }, placement: signaturePlacement, cancelled: () => false }, [open, secret]),
  );
  assert.equal((await numberDocument(ctx, open)).number, 1);
  assert.equal((await numberDocument(ctx, secret)).number, 1, 'the confidential series has its own 01');
  const registers = core.db.prepare('SELECT confidential, last_number FROM registers WHERE year = 2032 ORDER BY confidential').all();
  assert.deepEqual(registers, [{ confidential: 0, last_number: 1 }, { confidential: 1, last_number: 1 }]);
});

test('recall, update and replace give an issued document a new state with its reason, queued for the axis', async () => {
  const issue = async (subject: string) => {
    const draft = await newDraft(subject);
    await signAsLeader(draft.document.id);
    return (await ok('outgoing.issue', issueWith(draft.document.id))).document;
  };
  const first = await issue('thu hồi');
  await fails('outgoing.afterIssue', { id: first.id, action: 'recall', reason: '   ' }, 'INVALID_INPUT');
  const recalled = await ok('outgoing.afterIssue', { id: first.id, action: 'recall', reason: 'Ban hành sai thẩm quyền' });
  assert.equal(recalled.document.state, 'recalled');
  assert.equal(recalled.stateReason, 'Ban hành sai thẩm quyền');
  await fails('outgoing.afterIssue', { id: first.id, action: 'recall', reason: 'lần nữa' }, 'WRONG_STATE');

  const second = await issue('cập nhật');
  assert.equal((await ok('outgoing.afterIssue', { id: second.id, action: 'update', reason: 'Bổ sung nơi nhận' })).document.state, 'updated');

  const old = await issue('bị thay thế');
  const replacement = await issue('thay thế');
  await fails('outgoing.afterIssue', { id: old.id, action: 'replace', reason: 'Sai sót' }, 'INVALID_INPUT');
  const replaced = await ok('outgoing.afterIssue', { id: old.id, action: 'replace', reason: 'Sai sót nội dung', replacementId: replacement.id });
  assert.equal(replaced.document.state, 'replaced');
  assert.equal((await ok('outgoing.get', { id: replacement.id })).replacesId, old.id);

  const actions = core.db.prepare('SELECT document_id AS id, action, reason FROM outbox_jobs WHERE action != ? ORDER BY id').all('send');
  assert.deepEqual(actions, [
    { id: first.id, action: 'recall', reason: 'Ban hành sai thẩm quyền' },
    { id: second.id, action: 'update', reason: 'Bổ sung nơi nhận' },
    { id: old.id, action: 'replace', reason: 'Sai sót nội dung' },
  ]);
  const kinds = (await ok('outgoing.get', { id: old.id })).document.events.map((e) => e.kind);
  assert.deepEqual(kinds.slice(-2), ['replaced', 'queued'], 'the notice is queued for the axis in the same commit');
  const year = Number(vnDate().slice(0, 4));
  const row = (await ok('outgoing.book', { year, confidential: false })).rows.find((r) => r.id === first.id)!;
  assert.match(row.cells[9]!, /Đã thu hồi: Ban hành sai thẩm quyền/);
});

test('a numbered document keeps its number, date and type; the register columns stay editable', async () => {
  const draft = await newDraft('khóa số');
  await signAsLeader(draft.document.id);
  const numbered = await ok('outgoing.number', { id: draft.document.id });
  await fails('documents.update', { id: numbered.document.id, patch: { notation: '99/QĐ-UBND' } }, 'RECORD_LOCKED');
  await fails('outgoing.updateDraft', { id: numbered.document.id, details: { subject: 'đổi trích yếu' } }, 'RECORD_LOCKED');
  const edited = await ok('outgoing.updateDraft', { id: numbered.document.id, details: { notes: 'Gửi kèm bản giấy', copies: 7 } });
  assert.equal(edited.draft.notes, 'Gửi kèm bản giấy');
  assert.equal(edited.draft.copies, 7);
});

test('a Writer draft (.odt) is converted by LibreOffice and its number and date lines are found', async () => {
  const paragraph = (text: string) => `<text:p>${text.replace(/ {2,}/g, (run) => ` <text:s text:c="${run.length - 1}"/>`)}</text:p>`;
  // A flat ODT: LibreOffice reads it by its content whatever the extension says.
  const odt = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text>
  ${['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:        /TB-UBND', 'Thử Nghiệm, ngày      tháng      năm 2026', 'THÔNG BÁO', 'Về lịch tiếp công dân'].map(paragraph).join('\n  ')}
 </office:text></office:body>
</office:document>`;
  const draft = await ok('outgoing.create', { fileName: 'thông báo.odt', bytes: new TextEncoder().encode(odt), details: { ...DETAILS, typeCode: 'TB', subject: 'về lịch tiếp công dân' } });
  assert.equal(draft.document.fileName, 'thông báo.pdf');
  assert.equal(draft.places.number?.origin, 'found');
  assert.equal(draft.places.date?.prefix, 'Thử Nghiệm');
  const stored = exportPdf(draft.document.id, 'odt.pdf');
  assert.equal(qpdfCheck(stored).status, 0);
  assert.match(execFileSync('pdftotext', [stored, '-']).toString('utf8').normalize('NFC'), /THÔNG BÁO/);
  await fails('outgoing.create', { fileName: 'hỏng.docx', bytes: new TextEncoder().encode('not a word file'), details: { ...DETAILS, subject: 'hỏng' } }, 'CONVERSION_FAILED');
});

test('bad drafts are refused whole: not a PDF, a bad agency code, an unknown type; nothing is left behind', async () => {
  const count = () => (core.db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
  const files = () => (core.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
  const before = [count(), files()];
  await fails('outgoing.create', { fileName: 'x.pdf', bytes: new TextEncoder().encode('not a pdf'), details: { ...DETAILS, subject: 'x' } }, 'NOT_PDF');
  await fails('outgoing.create', { fileName: 'x.pdf', bytes: await draftPdf('x'), details: { ...DETAILS, subject: 'x', recipientCodes: ['bad code!'] } }, 'INVALID_INPUT');
  await fails('outgoing.create', { fileName: 'x.pdf', bytes: await draftPdf('x'), details: { ...DETAILS, subject: 'x', typeCode: 'CV2' } }, 'INVALID_INPUT');
  await fails('outgoing.create', { fileName: 'x.pdf', bytes: await draftPdf('x'), details: { ...DETAILS, subject: '' } }, 'INVALID_INPUT');
  await fails('outgoing.create', { fileName: 'x.txt', bytes: new TextEncoder().encode('plain'), details: { ...DETAILS, subject: 'x' } }, 'NOT_PDF');
  assert.deepEqual([count(), files()], before);
  // The same draft twice: found by the file as drafted, though the stored one has its number fields.
  const bytes = await draftPdf('hai lần');
  await ok('outgoing.create', { fileName: 'a.pdf', bytes, details: { ...DETAILS, subject: 'hai lần' } });
  await fails('outgoing.create', { fileName: 'b.pdf', bytes, details: { ...DETAILS, subject: 'hai lần' } }, 'DUPLICATE_FILE');
});

test('tampering with an audit row of the issuing trail is detected at that row', () => {
  assert.equal(verifyAudit(core.db).ok, true);
  const row = core.db.prepare("SELECT id FROM audit_events WHERE kind = 'numbered' ORDER BY id LIMIT 1").get() as { id: number };
  // The triggers forbid edits through SQL; an attacker with the file drops them first.
  core.db.exec('DROP TRIGGER audit_events_no_update');
  core.db.prepare("UPDATE audit_events SET actor = 'người khác' WHERE id = ?").run(row.id);
  const result = verifyAudit(core.db);
  assert.equal(result.ok, false);
  assert.deepEqual(result.firstBroken, { id: row.id, reason: 'altered' });
});
