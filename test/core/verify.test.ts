// The signature verifier, checked against poppler's pdfsig as an independent witness: the real
// government PDFs in shared/interop, the app's own issuing flow (leader certifies, fields are
// filled, the agency signs), tampered copies, CMS made by openssl instead of by us, bad inputs,
// and a 100 MB file that must be verified without being loaded.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFArray, PDFName, PDFRef } from 'pdf-lib';
import { AppError } from '../../main/common/errors.js';
import { toVnIso } from '../../main/common/dates.js';
import { parseSignedData } from '../../main/core/pades/cms.js';
import { addTextFields, fillTextFields } from '../../main/core/pades/formFields.js';
import { PdfRevision } from '../../main/core/pades/revision.js';
import { requestTimestamp } from '../../main/core/pades/timestamp.js';
import { signPdfFile, signPdfSource, type SignPdfOptions } from '../../main/core/pades/signPdf.js';
import { verifyPdfSignatures, type SignatureCheck } from '../../main/core/pades/verify.js';
import { appendedSource, bytesSource, fileSource, type PdfSource } from '../../main/core/pdf/source.js';
import type { SigningKey } from '../../main/core/token/signingKey.js';
import { fileSigningKey } from '../support/fileKey.js';
import { INTEROP_DIR, makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { nssTrusting, pdfsig } from '../support/pdfsig.js';
import { createTestCa, type TestCa } from '../support/testCa.js';
import { startTestTsa } from '../support/tsaServer.js';
import { bytesOf } from '../support/pdfBytes.js';

let ca: TestCa;
let nss: string;
let leader: SigningKey;
let agency: SigningKey;
let work: string;

before(() => {
  ca = createTestCa();
  nss = nssTrusting([ca.root.certPem]);
  leader = fileSigningKey(ca.rsa.keyPem, ca.rsa.certDer, ca.chain);
  agency = fileSigningKey(ca.ec.keyPem, ca.ec.certDer, ca.chain);
  work = tempDir('eoffice-verify-');
});

// The test CA is made when the tests start, so signing times are taken from then on.
const START = Math.floor(Date.now() / 1000) * 1000;
const LEADER_TIME = new Date(START + 60_000);
const AGENCY_TIME = new Date(START + 120_000);

let fileCount = 0;
function writePdf(name: string, bytes: Uint8Array): string {
  const file = path.join(work, `${++fileCount}-${name}`);
  fs.writeFileSync(file, bytes);
  return file;
}

function verifyFile(file: string): SignatureCheck[] {
  const fd = fs.openSync(file, 'r');
  try {
    return verifyPdfSignatures(fileSource(fd), path.basename(file));
  } finally {
    fs.closeSync(fd);
  }
}

function verifyBytes(bytes: Uint8Array): SignatureCheck[] {
  return verifyPdfSignatures(bytesSource(bytes), 'test.pdf');
}

async function signed(source: PdfSource, options: SignPdfOptions): Promise<PdfSource> {
  return appendedSource(source, (await signPdfSource(source, options)).appended);
}

/** What pdfsig says beyond what the shared helper parses: the hash algorithm of each signature. */
function pdfsigHashAlgorithms(file: string): string[] {
  const run = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, file], { encoding: 'utf8' });
  return [...`${run.stdout}`.matchAll(/- Signing Hash Algorithm: (.*)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace('-', ''));
}

// ---- The document the app issues ----------------------------------------------------------

interface IssuingStages {
  draft: PdfSource;
  /** After the leader's certification, with the empty 'agency' field. */
  certified: PdfSource;
  filled: PdfSource;
  issued: PdfSource;
}

async function draftWithFields(names: string[] = ['so_ky_hieu', 'ngay_ban_hanh']): Promise<PdfSource> {
  const pdf = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:       /QĐ-UBND', 'Hà Nội, ngày     tháng     năm 2026', 'QUYẾT ĐỊNH về việc thử ký số']);
  const source = bytesSource(pdf);
  const specs = names.map((name, i) => ({ name, page: 1, rect: [55, 755 - 20 * i, 250, 18] as [number, number, number, number] }));
  return appendedSource(source, await addTextFields(source, specs));
}

/** Decree 30's order: the leader signs (certifying), the clerk gives number and date, the agency signs. */
async function issuingFlow(): Promise<IssuingStages> {
  const draft = await draftWithFields();
  const certified = await signed(draft, {
    key: leader,
    signingTime: LEADER_TIME,
    permissions: { certify: true, lockAllExcept: ['so_ky_hieu', 'ngay_ban_hanh', 'agency'] },
    emptySignatureFields: [{ name: 'agency', page: 1, rect: [270, 180, 110, 110] }],
  });
  const filled = appendedSource(
    certified,
    await fillTextFields(certified, {
      so_ky_hieu: { text: 'Số: 05/QĐ-UBND', fontSize: 12, opaque: true },
      ngay_ban_hanh: { text: 'Hà Nội, ngày 26 tháng 11 năm 2026', fontSize: 12, italic: true, opaque: true },
    }),
  );
  const issued = await signed(filled, { key: agency, fieldName: 'agency', signingTime: AGENCY_TIME });
  return { draft, certified, filled, issued };
}

/** The page's /Contents gets a second stream drawing over the text: what a forger would do. */
async function withPageDrawnOver(source: PdfSource): Promise<PdfSource> {
  const revision = new PdfRevision(source, 'tampered.pdf');
  const page = revision.page(1);
  const pageDict = page.node.clone(revision.doc.context);
  const overlay = revision.doc.context.register(revision.doc.context.flateStream('1 1 1 rg 55 750 250 30 re f'));
  pageDict.set(PDFName.of('Contents'), revision.doc.context.obj([page.node.get(PDFName.of('Contents')) as PDFRef, overlay]));
  revision.replace(page.ref, pageDict);
  return appendedSource(source, (await revision.build()).appended);
}

/** A sticky note on page 1, as a reader's comment. */
async function withTextAnnotation(source: PdfSource): Promise<PdfSource> {
  const revision = new PdfRevision(source, 'annotated.pdf');
  const { context } = revision.doc;
  const page = revision.page(1);
  const note = context.register(context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [400, 700, 420, 720], Contents: 'Đã xem', P: page.ref }));
  const pageDict = page.node.clone(context);
  pageDict.set(PDFName.of('Annots'), context.obj([...page.node.lookup(PDFName.of('Annots'), PDFArray).asArray(), note]));
  revision.replace(page.ref, pageDict);
  return appendedSource(source, (await revision.build()).appended);
}

/**
 * Signs with a DocMDP level other than the 2 the app uses. signPdf writes the signature
 * dictionary as text before hashing; the level is swapped in that text (same length) on its way in.
 */
async function signedAtDocMdpLevel(level: 1 | 3, source: PdfSource, options: SignPdfOptions): Promise<PdfSource> {
  const addRaw = PdfRevision.prototype.addRaw;
  PdfRevision.prototype.addRaw = function (this: PdfRevision, ref: PDFRef, bytes: Uint8Array) {
    const text = Buffer.from(bytes).toString('latin1').replace('/TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 2 ', `/TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${level} `);
    addRaw.call(this, ref, new Uint8Array(Buffer.from(text, 'latin1')));
  };
  try {
    return await signed(source, { ...options, permissions: { ...options.permissions, certify: true } });
  } finally {
    PdfRevision.prototype.addRaw = addRaw;
  }
}

/**
 * Flips one bit of the binary comment on the original's second line: every signature covers it,
 * and no parser reads it, so only the digests can notice.
 */
function flipByteInOriginal(bytes: Uint8Array): void {
  assert.equal(Buffer.from(bytes.subarray(0, 10)).toString('latin1'), '%PDF-1.7\n%');
  bytes[11] = bytes[11]! ^ 0x01;
}

// ---- Real documents -----------------------------------------------------------------------

test('every signature of the real government PDFs verifies as pdfsig says, SHA-1 ones included, with their timestamps', () => {
  const files = fs.readdirSync(path.join(INTEROP_DIR, 'pdf')).filter((f) => f.endsWith('.pdf')).sort();
  assert.ok(files.length >= 6, `the interop PDFs are missing from ${INTEROP_DIR}`);
  let sha1Signatures = 0;
  for (const name of files) {
    const file = path.join(INTEROP_DIR, 'pdf', name);
    const witness = pdfsig(file, nss);
    const witnessHashes = pdfsigHashAlgorithms(file);
    const ours = verifyFile(file);
    assert.ok(witness.length > 0, `${name}: pdfsig sees signatures`);
    assert.equal(ours.length, witness.length, `${name}: as many signatures as pdfsig`);
    witness.forEach((expected, i) => {
      const check = ours.find((c) => c.fieldName === expected.fieldName);
      assert.ok(check, `${name}: ${expected.fieldName} found`);
      const where = `${name} ${check.fieldName}`;
      assert.equal(expected.validation, 'Signature is Valid.', `${where}: pdfsig`);
      assert.equal(check.integrity, 'valid', `${where}: ${check.problem}`);
      assert.equal(check.signer?.commonName, expected.commonName, `${where}: signer`);
      assert.equal(check.subFilter, expected.subFilter, where);
      assert.equal(check.coversWholeDocument, expected.totalDocumentSigned, where);
      assert.equal(check.digestAlgorithm, witnessHashes[i], `${where}: hash algorithm`);
      if (check.digestAlgorithm === 'sha1') sha1Signatures++;
      // PROVENANCE.md: every signature carries a VGCA timestamp, and every signer's chain was
      // valid at signing time.
      assert.ok(check.timestamp, `${where}: timestamp`);
      assert.ok(check.timestamp.digestMatches && check.timestamp.signatureValid, `${where}: timestamp sound`);
      assert.equal(check.certificateValidAtSigningTime, true, where);
      assert.match(check.signingTime ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/, where);
      assert.equal(check.chain.length, 1, `${where}: these signers embed only their own certificate`);
    });
    // Each later signer added a signature in a new field and the producers touched /Info:
    // nothing a signature forbids.
    for (const check of ours.slice(0, -1)) assert.equal(check.laterChanges.verdict, 'permitted', `${name} ${check.fieldName}: ${JSON.stringify(check.laterChanges.changes)}`);
    assert.equal(ours.at(-1)!.laterChanges.verdict, 'none', name);
  }
  assert.ok(sha1Signatures >= 10, 'the SHA-1 organisation signatures are accepted');
});

test('the timestamp and the certification of the Government Portal signature are read', () => {
  const [check] = verifyFile(path.join(INTEROP_DIR, 'pdf', 'qd-729-ttg-2026.signed.pdf'));
  // PROVENANCE.md: genTime 2026-04-23 08:54:17Z; /M 15:54:16 local.
  assert.equal(check!.timestamp?.time, '2026-04-23T15:54:17+07:00');
  assert.equal(check!.signingTime, '2026-04-23T15:54:16+07:00');
  assert.equal(check!.certification, 2);
  assert.equal(check!.signer?.serialNumber, '64F15B53E2D116B1');
});

// ---- Our own flow -------------------------------------------------------------------------

test('the issuing flow: both signatures valid; the leader sees the filling and the agency signature as permitted', async () => {
  const { issued } = await issuingFlow();
  const file = writePdf('issued.pdf', bytesOf(issued));
  const witness = pdfsig(file, nss);
  assert.deepEqual(witness.map((s) => s.validation), ['Signature is Valid.', 'Signature is Valid.']);

  const [leaderCheck, agencyCheck] = verifyFile(file);
  assert.equal(leaderCheck!.fieldName, 'Signature1');
  assert.equal(leaderCheck!.integrity, 'valid', leaderCheck!.problem);
  assert.equal(leaderCheck!.signer?.commonName, 'Nguyễn Văn An');
  assert.equal(leaderCheck!.signingTime, toVnIso(LEADER_TIME));
  assert.match(leaderCheck!.signingTime!, /\+07:00$/);
  assert.equal(leaderCheck!.subFilter, 'ETSI.CAdES.detached');
  assert.equal(leaderCheck!.digestAlgorithm, 'sha256');
  assert.equal(leaderCheck!.certification, 2);
  assert.deepEqual(leaderCheck!.lock, { action: 'Exclude', fields: ['so_ky_hieu', 'ngay_ban_hanh', 'agency'] });
  assert.equal(leaderCheck!.coversWholeDocument, false);
  assert.equal(leaderCheck!.certificateValidAtSigningTime, true);
  assert.equal(leaderCheck!.timestamp, null);
  assert.equal(leaderCheck!.chain.length, 2, 'the signer and the intermediate');
  assert.equal(leaderCheck!.laterChanges.verdict, 'permitted', JSON.stringify(leaderCheck!.laterChanges));
  assert.deepEqual(leaderCheck!.laterChanges.changes.map((c) => [c.kind, c.permitted]), [
    ['form-fill', true],
    ['form-fill', true],
    ['signature-added', true],
  ]);
  assert.match(leaderCheck!.laterChanges.changes[0]!.detail, /so_ky_hieu.*Số: 05\/QĐ-UBND/);
  assert.match(leaderCheck!.laterChanges.changes[2]!.detail, /"agency"/);

  assert.equal(agencyCheck!.fieldName, 'agency');
  assert.equal(agencyCheck!.integrity, 'valid', agencyCheck!.problem);
  assert.equal(agencyCheck!.signer?.commonName, 'Trần Thị Bình');
  assert.equal(agencyCheck!.signingTime, toVnIso(AGENCY_TIME));
  assert.equal(agencyCheck!.coversWholeDocument, true);
  assert.equal(agencyCheck!.certification, null);
  assert.deepEqual(agencyCheck!.laterChanges, { verdict: 'none', changes: [] });
  assert.ok(agencyCheck!.revisionEnd > leaderCheck!.revisionEnd);
});

test('under a P=2 certification a later signer may add a signature field of its own, noted as tolerated', async () => {
  const { draft } = await issuingFlow();
  const certified = await signed(draft, { key: leader, permissions: { certify: true } });
  const second = await signed(certified, { key: agency, emptySignatureFields: [{ name: 'next_signer', page: 1, rect: [50, 50, 100, 40] }] });
  const [leaderCheck] = verifyBytes(bytesOf(second));
  assert.equal(leaderCheck!.laterChanges.verdict, 'permitted', JSON.stringify(leaderCheck!.laterChanges));
  const kinds = leaderCheck!.laterChanges.changes.map((c) => c.kind).sort();
  assert.deepEqual(kinds, ['signature-added', 'signature-field-added']);
  assert.match(leaderCheck!.laterChanges.changes.find((c) => c.kind === 'signature-field-added')!.detail, /tolerated/);
});

test('a linearized original counts as one revision: its first-page section points forward, not back', async () => {
  const plain = writePdf('plain.pdf', await makeVietnamesePdf(['Công văn tuyến tính hoá']));
  const linearized = path.join(work, 'linearized.pdf');
  execFileSync('qpdf', ['--linearize', plain, linearized]);
  const once = await signed(bytesSource(fs.readFileSync(linearized)), { key: leader, permissions: { certify: true } });
  const twice = await signed(once, { key: agency });
  const file = writePdf('linearized-signed.pdf', bytesOf(twice));
  assert.deepEqual(pdfsig(file, nss).map((s) => s.validation), ['Signature is Valid.', 'Signature is Valid.']);
  const [first, second] = verifyFile(file);
  assert.equal(first!.integrity, 'valid', first!.problem);
  assert.equal(second!.integrity, 'valid', second!.problem);
  assert.equal(first!.laterChanges.verdict, 'permitted', JSON.stringify(first!.laterChanges));
  assert.deepEqual(first!.laterChanges.changes.map((c) => c.kind), ['signature-added']);
});

// ---- Tampering ----------------------------------------------------------------------------

test('one byte flipped inside the signed range is a digest mismatch, as pdfsig says', async () => {
  const { issued } = await issuingFlow();
  const bytes = bytesOf(issued);
  flipByteInOriginal(bytes);
  const file = writePdf('flipped.pdf', bytes);
  assert.ok(pdfsig(file, nss).every((s) => /Digest Mismatch/.test(s.validation)), JSON.stringify(pdfsig(file, nss)));
  const checks = verifyFile(file);
  assert.deepEqual(checks.map((c) => c.integrity), ['digest-mismatch', 'digest-mismatch']);
  assert.match(checks[0]!.problem!, /changed after signing/);
});

test('a replaced signature value is an invalid signature, the document digest still matching', async () => {
  const { certified } = await issuingFlow();
  const bytes = bytesOf(certified);
  const text = Buffer.from(bytes).toString('latin1');
  const contentsAt = text.lastIndexOf('/Contents <') + '/Contents <'.length;
  const cmsHex = text.slice(contentsAt, text.indexOf('>', contentsAt));
  const signatureHex = Buffer.from(parseSignedData(Buffer.from(cmsHex, 'hex')).signature).toString('hex');
  const valueAt = contentsAt + cmsHex.indexOf(signatureHex);
  const replaced = Buffer.from(randomBytes(signatureHex.length / 2)).toString('hex');
  Buffer.from(bytes.buffer, bytes.byteOffset).write(replaced, valueAt, 'latin1');
  const file = writePdf('bad-signature.pdf', bytes);
  assert.notEqual(pdfsig(file, nss)[0]!.validation, 'Signature is Valid.');
  const [check] = verifyFile(file);
  assert.equal(check!.integrity, 'signature-invalid');
  assert.equal(check!.signer?.commonName, 'Nguyễn Văn An', 'the signer is still named');
});

test('drawing over the page after the certification is reported as a page-content change, not permitted', async () => {
  const { certified } = await issuingFlow();
  const [check] = verifyBytes(bytesOf(await withPageDrawnOver(certified)));
  assert.equal(check!.integrity, 'valid', 'the signed bytes themselves are intact');
  assert.equal(check!.laterChanges.verdict, 'not-permitted');
  const pageChange = check!.laterChanges.changes.find((c) => c.kind === 'page-content');
  assert.ok(pageChange && !pageChange.permitted, JSON.stringify(check!.laterChanges));
  assert.match(pageChange.detail, /page 1: \/Contents/);
});

test('without any DocMDP, drawing over the page is still reported, not permitted', async () => {
  const approved = await signed(await draftWithFields(), { key: leader });
  const [check] = verifyBytes(bytesOf(await withPageDrawnOver(approved)));
  assert.equal(check!.certification, null);
  assert.equal(check!.laterChanges.verdict, 'not-permitted');
});

test('a signing time outside the certificate validity is reported', async () => {
  const backdated = await signed(await draftWithFields(), { key: leader, signingTime: new Date('2020-01-01T00:00:00Z') });
  const [check] = verifyBytes(bytesOf(backdated));
  assert.equal(check!.integrity, 'valid');
  assert.equal(check!.signingTime, '2020-01-01T07:00:00+07:00');
  assert.equal(check!.certificateValidAtSigningTime, false);
});

test('filling a field that a FieldMDP lock covers is not permitted; the excluded field may be filled', async () => {
  const draft = await draftWithFields(['so_ky_hieu', 'ghi_chu']);
  const locked = await signed(draft, { key: leader, permissions: { lockAllExcept: ['so_ky_hieu'] } });
  const filled = appendedSource(locked, await fillTextFields(locked, { so_ky_hieu: { text: '05/QĐ-UBND', fontSize: 12 }, ghi_chu: { text: 'sửa sau khi ký', fontSize: 12 } }));
  const [check] = verifyBytes(bytesOf(filled));
  assert.equal(check!.certification, null);
  assert.deepEqual(check!.lock, { action: 'Exclude', fields: ['so_ky_hieu'] });
  assert.equal(check!.laterChanges.verdict, 'not-permitted');
  const byField = (name: string) => check!.laterChanges.changes.find((c) => c.detail.includes(`"${name}"`));
  assert.equal(byField('so_ky_hieu')?.permitted, true);
  assert.equal(byField('ghi_chu')?.permitted, false);
  assert.equal(byField('ghi_chu')?.kind, 'form-fill');
  assert.match(byField('ghi_chu')!.detail, /locked/);
});

test('a certification with P=1 permits no filling at all', async () => {
  const certified = await signedAtDocMdpLevel(1, await draftWithFields(), { key: leader });
  const filled = appendedSource(certified, await fillTextFields(certified, { so_ky_hieu: { text: '05/QĐ-UBND', fontSize: 12 } }));
  const file = writePdf('p1-filled.pdf', bytesOf(filled));
  assert.equal(pdfsig(file, nss)[0]!.validation, 'Signature is Valid.');
  const [check] = verifyFile(file);
  assert.equal(check!.integrity, 'valid');
  assert.equal(check!.certification, 1);
  assert.equal(check!.laterChanges.verdict, 'not-permitted');
  assert.deepEqual(check!.laterChanges.changes.map((c) => [c.kind, c.permitted]), [['form-fill', false]]);
  assert.match(check!.laterChanges.changes[0]!.detail, /P=1/);
});

test('annotations are permitted after a P=3 certification only', async () => {
  const atLevel3 = await signedAtDocMdpLevel(3, await draftWithFields(), { key: leader });
  const [level3] = verifyBytes(bytesOf(await withTextAnnotation(atLevel3)));
  assert.equal(level3!.certification, 3);
  assert.deepEqual(level3!.laterChanges.changes.map((c) => [c.kind, c.permitted]), [['annotation-added', true]]);
  const atLevel2 = await signed(await draftWithFields(), { key: leader, permissions: { certify: true } });
  const [level2] = verifyBytes(bytesOf(await withTextAnnotation(atLevel2)));
  assert.deepEqual(level2!.laterChanges.changes.map((c) => [c.kind, c.permitted]), [['annotation-added', false]]);
});

test('a /ByteRange that does not end at a revision is malformed', async () => {
  const { issued } = await issuingFlow();
  const bytes = bytesOf(issued);
  const text = Buffer.from(bytes).toString('latin1');
  const at = text.lastIndexOf('/ByteRange [');
  const original = text.slice(at, text.indexOf(']', at) + 1);
  const [a, b, c, d] = original.match(/\d+/g)!.map(Number) as [number, number, number, number];
  const shortened = `/ByteRange [${a} ${b} ${c} ${d - 40}]`.padEnd(original.length, ' ');
  Buffer.from(bytes.buffer, bytes.byteOffset).write(shortened, at, 'latin1');
  const checks = verifyBytes(bytes);
  assert.equal(checks[1]!.integrity, 'malformed');
  assert.match(checks[1]!.problem!, /not the end of a revision/);
  assert.equal(checks[0]!.integrity, 'valid', 'the leader signature does not cover the agency dictionary');
});

// ---- CMS made by another implementation ---------------------------------------------------

/** The signed document with its CMS replaced by one openssl makes over the same ranges. */
function resignedByOpenssl(bytes: Uint8Array, opensslArgs: string[]): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const at = text.lastIndexOf('/ByteRange [');
  const [, gapStart, gapEnd] = text.slice(at, text.indexOf(']', at)).match(/\d+/g)!.map(Number) as [number, number, number, number];
  const content = path.join(work, `${++fileCount}-content.bin`);
  fs.writeFileSync(content, Buffer.concat([bytes.subarray(0, gapStart), bytes.subarray(gapEnd)]));
  const cms = execFileSync('openssl', ['cms', '-sign', '-binary', '-outform', 'DER', '-in', content, '-signer', ca.rsa.certPath, '-inkey', ca.rsa.keyPath, '-certfile', ca.intermediate.certPath, ...opensslArgs]);
  const hex = cms.toString('hex').padEnd(gapEnd - gapStart - 2, '0');
  const out = new Uint8Array(bytes);
  Buffer.from(out.buffer, out.byteOffset).write(hex, gapStart + 1, 'latin1');
  return out;
}

test('CMS made by openssl verifies: without signed attributes, with SHA-1, with RSA-PSS', async () => {
  const base = bytesOf(await signed(await draftWithFields(), { key: leader, signingTime: LEADER_TIME }));
  const variants: [string, string[], string][] = [
    ['no signed attributes', ['-noattr', '-md', 'sha256'], 'sha256'],
    ['SHA-1', ['-md', 'sha1'], 'sha1'],
    ['RSA-PSS', ['-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss'], 'sha256'],
  ];
  for (const [what, args, digest] of variants) {
    const bytes = resignedByOpenssl(base, args);
    const file = writePdf(`openssl-${digest}.pdf`, bytes);
    if (what !== 'RSA-PSS') assert.equal(pdfsig(file, nss)[0]!.validation, 'Signature is Valid.', `${what}: pdfsig`);
    const [check] = verifyFile(file);
    assert.equal(check!.integrity, 'valid', `${what}: ${check!.problem}`);
    assert.equal(check!.digestAlgorithm, digest, what);
    assert.equal(check!.signer?.commonName, 'Nguyễn Văn An', what);
    assert.equal(check!.signingTime, toVnIso(LEADER_TIME), `${what}: /M`);

    flipByteInOriginal(bytes);
    assert.equal(verifyBytes(bytes)[0]!.integrity, 'digest-mismatch', `${what}: tampered`);
  }
});

// ---- Timestamps ---------------------------------------------------------------------------

test('a B-T signature reports its timestamp; a document timestamp (ETSI.RFC3161) verifies against the ranges', async () => {
  const tsa = await startTestTsa();
  try {
    const stamped = await signed(await draftWithFields(), { key: leader, timestamp: { url: tsa.url } });
    const [check] = verifyBytes(bytesOf(stamped));
    assert.equal(check!.integrity, 'valid', check!.problem);
    assert.ok(check!.timestamp?.digestMatches && check!.timestamp.signatureValid, JSON.stringify(check!.timestamp));
    assert.ok(Math.abs(new Date(check!.timestamp.time).getTime() - Date.now()) < 120_000, 'the TSA time is now');

    // A document timestamp: the same dictionary, its SubFilter changed (padded to the same
    // length) before anything is hashed, and a token over the ranges in /Contents.
    const bytes = bytesOf(await signed(await draftWithFields(), { key: leader }));
    const text = Buffer.from(bytes).toString('latin1');
    const subFilterAt = text.lastIndexOf('/SubFilter /ETSI.CAdES.detached');
    Buffer.from(bytes.buffer, bytes.byteOffset).write('/SubFilter /ETSI.RFC3161'.padEnd('/SubFilter /ETSI.CAdES.detached'.length, ' '), subFilterAt, 'latin1');
    const rangeAt = text.lastIndexOf('/ByteRange [');
    const [, gapStart, gapEnd] = text.slice(rangeAt, text.indexOf(']', rangeAt)).match(/\d+/g)!.map(Number) as [number, number, number, number];
    const outcome = await requestTimestamp(Buffer.concat([bytes.subarray(0, gapStart), bytes.subarray(gapEnd)]), { url: tsa.url });
    assert.equal(outcome.status, 'stamped');
    if (outcome.status !== 'stamped') return;
    Buffer.from(bytes.buffer, bytes.byteOffset).write(Buffer.from(outcome.token).toString('hex'), gapStart + 1, 'latin1');
    const [documentStamp] = verifyBytes(bytes);
    assert.equal(documentStamp!.subFilter, 'ETSI.RFC3161');
    assert.equal(documentStamp!.integrity, 'valid', documentStamp!.problem);
    assert.equal(documentStamp!.signer?.commonName, 'Máy chủ cấp dấu thời gian thử nghiệm');
    assert.equal(documentStamp!.digestAlgorithm, 'sha256');
    assert.ok(documentStamp!.timestamp?.digestMatches);

    flipByteInOriginal(bytes);
    assert.equal(verifyBytes(bytes)[0]!.integrity, 'digest-mismatch');
  } finally {
    await tsa.close();
  }
});

// ---- Bad inputs ---------------------------------------------------------------------------

function assertAppError(run: () => unknown, code: string): void {
  assert.throws(run, (error: unknown) => error instanceof AppError && error.code === code);
}

test('random bytes and a truncated PDF are damaged; an encrypted PDF is refused as such', async () => {
  assertAppError(() => verifyBytes(randomBytes(5000)), 'DAMAGED_PDF');
  assertAppError(() => verifyBytes(new Uint8Array(0)), 'DAMAGED_PDF');
  const { issued } = await issuingFlow();
  const bytes = bytesOf(issued);
  assertAppError(() => verifyBytes(bytes.subarray(0, Math.floor(bytes.length * 0.6))), 'DAMAGED_PDF');
  // A startxref that points nowhere.
  const broken = new Uint8Array(bytes);
  const text = Buffer.from(broken).toString('latin1');
  const at = text.lastIndexOf('startxref') + 'startxref\n'.length;
  const digits = /^\d+/.exec(text.slice(at))![0];
  Buffer.from(broken.buffer, broken.byteOffset).write('9'.repeat(digits.length), at, 'latin1');
  assertAppError(() => verifyBytes(broken), 'DAMAGED_PDF');

  const plain = writePdf('plain.pdf', await makeVietnamesePdf(['Công văn']));
  const encrypted = path.join(work, 'encrypted.pdf');
  execFileSync('qpdf', ['--encrypt', '', 'owner-secret', '256', '--', plain, encrypted]);
  assertAppError(() => verifyFile(encrypted), 'ENCRYPTED_PDF');
});

test('an unsigned PDF, even one with an empty signature field, has no signatures', async () => {
  assert.deepEqual(verifyBytes(await makeVietnamesePdf(['Công văn chưa ký'])), []);
  const draft = await draftWithFields();
  assert.deepEqual(verifyBytes(bytesOf(draft)), []);
  const prepared = appendedSource(draft, await addTextFields(draft, [{ name: 'extra', page: 1, rect: [10, 10, 50, 10] }]));
  assert.deepEqual(verifyBytes(bytesOf(prepared)), []);
});

test('a /Contents holding garbage makes that signature malformed while the others are still checked', async () => {
  const { issued } = await issuingFlow();
  for (const garbage of ['476172626167652c206e6f7420434d53', '3082012c020101a003020101']) {
    const bytes = bytesOf(issued);
    const text = Buffer.from(bytes).toString('latin1');
    const at = text.lastIndexOf('/Contents <') + '/Contents <'.length;
    Buffer.from(bytes.buffer, bytes.byteOffset).write(garbage, at, 'latin1');
    const [leaderCheck, agencyCheck] = verifyBytes(bytes);
    assert.equal(agencyCheck!.integrity, 'malformed');
    assert.ok(agencyCheck!.problem, 'a reason is given');
    assert.equal(agencyCheck!.signer, null);
    assert.equal(leaderCheck!.integrity, 'valid');
  }
});

// ---- Size ---------------------------------------------------------------------------------

/** A one-page PDF around a 100 MiB uncompressed image of zeros, written in 1 MiB pieces. */
function writeLargePdf(file: string, side: number): void {
  const fd = fs.openSync(file, 'w');
  let at = 0;
  const offsets: number[] = [];
  const put = (data: string | Uint8Array) => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    fs.writeSync(fd, bytes);
    at += bytes.length;
  };
  const object = (num: number, body: string) => {
    offsets[num] = at;
    put(`${num} 0 obj\n${body}\nendobj\n`);
  };
  try {
    put('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    object(1, '<< /Type /Catalog /Pages 2 0 R >>');
    object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
    object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Scan 4 0 R >> >> /Contents 5 0 R >>');
    offsets[4] = at;
    put(`4 0 obj\n<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${side * side} >>\nstream\n`);
    const zeros = Buffer.alloc(1 << 20);
    for (let left = side * side; left > 0; left -= zeros.length) put(zeros.subarray(0, Math.min(left, zeros.length)));
    put('\nendstream\nendobj\n');
    const content = 'q 595 0 0 842 0 0 cm /Scan Do Q';
    object(5, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    const xrefAt = at;
    put(`xref\n0 6\n0000000000 65535 f\r\n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('')}`);
    put(`trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  } finally {
    fs.closeSync(fd);
  }
}

test('a 100 MB PDF is verified without being loaded: memory grows far less than the file', async () => {
  const dir = tempDir('eoffice-verify-large-');
  try {
    const input = path.join(dir, 'scan.pdf');
    const output = path.join(dir, 'scan.signed.pdf');
    writeLargePdf(input, 10240);
    await signPdfFile(input, output, { key: leader });
    fs.rmSync(input);
    const size = fs.statSync(output).size;
    assert.ok(size > 100 * 1024 * 1024);

    // A child process, so that the peak (maxRSS) belongs to the verification alone.
    const moduleUrl = (file: string) => JSON.stringify(pathToFileURL(path.join(REPO_ROOT, file)).href);
    const script = `
      import fs from 'node:fs';
      import { fileSource } from ${moduleUrl('main/core/pdf/source.ts')};
      import { verifyPdfSignatures } from ${moduleUrl('main/core/pades/verify.ts')};
      const fd = fs.openSync(process.env.LARGE_PDF, 'r');
      const before = process.resourceUsage().maxRSS;
      const checks = verifyPdfSignatures(fileSource(fd), 'scan.signed.pdf');
      const after = process.resourceUsage().maxRSS;
      console.log(JSON.stringify({ growthKb: after - before, checks: checks.map((c) => [c.integrity, c.coversWholeDocument]) }));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, LARGE_PDF: output }, cwd: REPO_ROOT });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { growthKb: number; checks: [string, boolean][] };
    assert.deepEqual(result.checks, [['valid', true]]);
    // One reused 1 MB buffer and the document's structure: a few MB, whatever the file's size.
    assert.ok(result.growthKb < 24 * 1024, `peak memory grew by ${Math.round(result.growthKb / 1024)} MB for a ${Math.round(size / 1048576)} MB file`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
