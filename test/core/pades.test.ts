// PAdES signing by incremental update, checked by independent tools: poppler's pdfsig (with an
// NSS database trusting the test CA) and qpdf --check, plus our own parse of the CMS.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { signPdfFile } from '../../main/core/pades/signPdf.js';
import { parseSignedData } from '../../main/core/pades/cms.js';
import { AppError } from '../../main/common/errors.js';
import { createTestCa, type TestCa } from '../support/testCa.js';
import { fileSigningKey } from '../support/fileKey.js';
import { nssTrusting, pdfsig, qpdfCheck } from '../support/pdfsig.js';
import { interopPdf, listFiles, tempDir } from '../support/fixtures.js';
import type { SigningKey } from '../../main/core/token/signingKey.js';

let ca: TestCa;
let nss: string;
let signer: SigningKey;
let agency: SigningKey;
let work: string;

before(() => {
  ca = createTestCa();
  nss = nssTrusting([fs.readFileSync(ca.root.certPath, 'utf8')]);
  signer = fileSigningKey(fs.readFileSync(ca.rsa.keyPath, 'utf8'), ca.rsa.certDer, ca.chain);
  agency = fileSigningKey(fs.readFileSync(ca.ec.keyPath, 'utf8'), ca.ec.certDer, ca.chain);
  work = tempDir('eoffice-pades-');
});

async function makePdf(name: string, options: { objectStreams: boolean; pages?: number }): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  for (let i = 0; i < (options.pages ?? 2); i++) doc.addPage([595, 842]).drawText(`Page ${i + 1} of an official letter`, { x: 72, y: 760, size: 12, font });
  const file = path.join(work, name);
  fs.writeFileSync(file, await doc.save({ useObjectStreams: options.objectStreams }));
  return file;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Signs `input` into a new file and checks everything an independent verifier checks. */
async function signAndVerify(input: string, key: SigningKey, expectedSignatures: number, output = `${input}.signed.pdf`): Promise<string> {
  const before = sha256(input);
  await signPdfFile(input, output, { key, reason: 'Ký ban hành', location: 'Hà Nội' });
  assert.equal(sha256(input), before, 'the source is unchanged');
  const original = fs.readFileSync(input);
  const signed = fs.readFileSync(output);
  assert.ok(signed.subarray(0, original.length).equals(original), 'the earlier revision is kept byte for byte');
  const signatures = pdfsig(output, nss);
  assert.equal(signatures.length, expectedSignatures, JSON.stringify(signatures));
  const ours = signatures.at(-1)!;
  assert.equal(ours.validation, 'Signature is Valid.');
  assert.equal(ours.certificate, 'Certificate is Trusted.');
  assert.equal(ours.subFilter, 'ETSI.CAdES.detached');
  assert.ok(ours.totalDocumentSigned, 'the last signature covers the whole file');
  for (const earlier of signatures.slice(0, -1)) assert.equal(earlier.validation, 'Signature is Valid.', `earlier ${earlier.fieldName} stays valid`);
  assert.equal(qpdfCheck(output).status, 0, qpdfCheck(output).output);
  return output;
}

test('a classic-xref PDF is signed as an incremental update that pdfsig and qpdf accept', async () => {
  await signAndVerify(await makePdf('classic.pdf', { objectStreams: false }), signer, 1);
});

test('a PDF with an xref stream and object streams gets an xref stream update', async () => {
  const input = await makePdf('objstm.pdf', { objectStreams: true });
  const output = await signAndVerify(input, signer, 1);
  assert.match(fs.readFileSync(output).subarray(fs.statSync(input).size).toString('latin1'), /\/Type \/XRef/);
});

test('linearized and PDF 1.3 files are signed too', async () => {
  const base = await makePdf('base.pdf', { objectStreams: false, pages: 3 });
  const linearized = path.join(work, 'linearized.pdf');
  execFileSync('qpdf', ['--linearize', base, linearized]);
  await signAndVerify(linearized, signer, 1);
  const old = path.join(work, 'v13.pdf');
  execFileSync('qpdf', ['--force-version=1.3', '--object-streams=disable', base, old]);
  assert.match(fs.readFileSync(old).subarray(0, 8).toString('latin1'), /%PDF-1\.3/);
  await signAndVerify(old, signer, 1);
});

test('the leader signs, then the agency: both signatures stay valid (RSA then ECDSA)', async () => {
  const input = await makePdf('two.pdf', { objectStreams: true });
  const first = await signAndVerify(input, signer, 1);
  await signAndVerify(first, agency, 2, path.join(work, 'two.agency.pdf'));
});

test('a real government PDF already signed by other software keeps its signatures valid', async () => {
  const input = path.join(work, 'qd-729.pdf');
  fs.copyFileSync(interopPdf('qd-729-ttg-2026.signed.pdf'), input);
  const earlier = pdfsig(input, nss).length;
  assert.ok(earlier >= 1);
  await signAndVerify(input, agency, earlier + 1);
});

test('the CMS follows PAdES B-B: no signing-time, signing-certificate-v2, detached, chain included', async () => {
  const output = await signAndVerify(await makePdf('cms.pdf', { objectStreams: false }), signer, 1);
  const text = fs.readFileSync(output).toString('latin1');
  const hex = /\/Contents <([0-9a-fA-F]+)>/.exec(text.slice(text.lastIndexOf('/ETSI.CAdES.detached') - 200))![1]!;
  const cms = parseSignedData(Buffer.from(hex, 'hex'));
  assert.deepEqual(cms.signedAttributeOids, ['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.16.2.47']);
  assert.equal(cms.hasEContent, false);
  assert.ok(cms.certificates.some((c) => Buffer.from(c).equals(Buffer.from(ca.chain[0]!))), 'the intermediate is included');
  assert.match(text, /\/M \(D:\d{14}\+07'00'\)/, 'the signing time is in /M, Vietnam time');
});

test('bad inputs get a clear error and leave no output file', async () => {
  const dir = tempDir('eoffice-bad-');
  const base = await makePdf('good.pdf', { objectStreams: false });
  const encrypted = path.join(dir, 'encrypted.pdf');
  execFileSync('qpdf', ['--encrypt', 'u', 'o', '256', '--', base, encrypted]);
  const truncated = path.join(dir, 'truncated.pdf');
  fs.writeFileSync(truncated, fs.readFileSync(base).subarray(0, 400));
  const text = path.join(dir, 'text.pdf');
  fs.writeFileSync(text, 'not a pdf at all');
  const cases: Array<[string, string]> = [
    [encrypted, 'ENCRYPTED_PDF'],
    [truncated, 'TRUNCATED_PDF'],
    [text, 'NOT_PDF'],
  ];
  for (const [input, code] of cases) {
    const before = sha256(input);
    await assert.rejects(signPdfFile(input, path.join(dir, 'out.pdf'), { key: signer }), (e: unknown) => e instanceof AppError && e.code === code, input);
    assert.equal(sha256(input), before);
  }
  await assert.rejects(signPdfFile(base, base, { key: signer }), /another file/);
  assert.deepEqual(listFiles(dir).filter((f) => f.startsWith('out') || f.includes('.part')), [], 'no output, not even a partial one');
});
