// PAdES signing by incremental update, checked by independent tools: poppler's pdfsig (with an
// NSS database trusting the test CA) and qpdf --check, plus our own parse of the CMS.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { signPdfFile } from '../../main/core/pades/signPdf.js';
import { parseSignedData } from '../../main/core/pades/cms.js';
import { AppError } from '../../main/common/errors.js';
import { createTestCa, type TestCa } from '../support/testCa.js';
import { fileSigningKey } from '../support/fileKey.js';
import { nssTrusting, pdfsig, qpdfCheck } from '../support/pdfsig.js';
import { createNssSigner } from '../support/pdfsigSigner.js';
import { startTestTsa } from '../support/tsaServer.js';
import { pdfLibFontkit } from '../../main/core/pdf/fonts.js';
import { createRequire } from 'node:module';
import { interopPdf, listFiles, tempDir } from '../support/fixtures.js';
import { sealImage, signatureImage } from '../support/png.js';
import type { AppearanceSpec } from '../../main/core/pades/appearance.js';
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

/** Pixels of page 1 rendered by poppler (pdftoppm), as [r, g, b] rows, for checking appearances. */
function renderPage(file: string, dpi = 50): { width: number; height: number; pixel(x: number, y: number): [number, number, number] } {
  const out = path.join(tempDir('eoffice-render-'), 'page');
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', file, out]);
  const ppm = fs.readFileSync(`${out}.ppm`);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const data = ppm.subarray(header[0].length);
  return { width, height, pixel: (x, y) => [data[(y * width + x) * 3]!, data[(y * width + x) * 3 + 1]!, data[(y * width + x) * 3 + 2]!] };
}

function countPixels(file: string, match: (r: number, g: number, b: number) => boolean, dpi = 50): number {
  const page = renderPage(file, dpi);
  let n = 0;
  for (let y = 0; y < page.height; y++) for (let x = 0; x < page.width; x++) if (match(...page.pixel(x, y))) n++;
  return n;
}

test('Decree 30 appearances: the signer’s blue signature, then the agency’s red seal with its name and time, both valid', async () => {
  const input = await makePdf('visible.pdf', { objectStreams: false, pages: 1 });
  const withSigner = path.join(work, 'visible.signer.pdf');
  await signPdfFile(input, withSigner, {
    key: signer,
    appearance: { kind: 'signer', page: 1, rect: [330, 120, 180, 72], image: signatureImage(), lines: ['Nguyễn Văn An'] },
  });
  const withAgency = path.join(work, 'visible.agency.pdf');
  // The seal covers about a third of the signature image, on its left.
  await signPdfFile(withSigner, withAgency, { key: agency, appearance: { kind: 'agency', page: 1, rect: [290, 110, 200, 90], sealImage: sealImage(), agencyName: 'UBND xã Thử Nghiệm' } });
  const signatures = pdfsig(withAgency, nss);
  assert.deepEqual(signatures.map((s) => s.validation), ['Signature is Valid.', 'Signature is Valid.']);
  assert.equal(qpdfCheck(withAgency).status, 0);
  assert.ok(countPixels(withSigner, (r, g, b) => b > 150 && r < 100 && g < 120) > 20, 'the blue signature is drawn');
  assert.ok(countPixels(withAgency, (r, g, b) => r > 180 && g < 80 && b < 80) > 20, 'the red seal is drawn');
  // The caption wraps in the room beside the seal rather than shrink past reading (or lose its end).
  const text = execFileSync('pdftotext', ['-layout', withAgency, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(text, /Ký bởi: UBND xã Thử Nghiệm/, 'Vietnamese text is embedded correctly (a subset of Tinos)');
  assert.match(text, /Thời gian ký: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00/);
  assert.match(text, /Nguyễn Văn An/);
});

test('an attachment’s agency signature sits at the top right of page 1, with no image', async () => {
  const input = await makePdf('attachment.pdf', { objectStreams: true, pages: 2 });
  const output = await signAndVerifyWith(input, { kind: 'attachment', agencyName: 'UBND xã Thử Nghiệm', mainNotation: '05/UBND-VP' });
  // pdftotext -bbox gives each word's box in points from the top-left corner of the page.
  const html = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-bbox', output, '-'], { encoding: 'utf8' });
  const word = /<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>05\/UBND-VP<\/word>/.exec(html);
  assert.ok(word, 'the main document’s notation is shown');
  assert.ok(Number(word[1]) > 595 / 2, 'on the right half');
  assert.ok(Number(word[2]) < 100, 'at the top');
  const fonts = execFileSync('pdffonts', [output], { encoding: 'utf8' });
  assert.match(fonts, /Tinos\S*\s+CID TrueType\s+Identity-H\s+yes/, 'Tinos is embedded');
  // The whole Tinos file is ~500 kB; only the glyphs used are embedded (pdf-lib names subsets without the ABCDEF+ tag).
  assert.ok(fs.statSync(output).size - fs.statSync(input).size < 100_000, 'as a subset');
});

async function signAndVerifyWith(input: string, appearance: AppearanceSpec): Promise<string> {
  const output = `${input}.signed.pdf`;
  await signPdfFile(input, output, { key: agency, appearance });
  assert.equal(pdfsig(output, nss)[0]!.validation, 'Signature is Valid.');
  assert.equal(qpdfCheck(output).status, 0);
  return output;
}

test('a PDF already signed by poppler’s pdfsig -add-signature keeps that signature valid after ours', async () => {
  const peer = createNssSigner();
  const input = await makePdf('peer.pdf', { objectStreams: false });
  const peerSigned = path.join(work, 'peer.pdfsig.pdf');
  peer.sign(input, peerSigned);
  const both = await signAndVerify(peerSigned, agency, 2, path.join(work, 'peer.both.pdf'));
  const report = pdfsig(both, nssTrusting([peer.caCertPem, fs.readFileSync(ca.root.certPath, 'utf8')]));
  assert.deepEqual(report.map((s) => [s.subFilter, s.validation, s.certificate]), [
    ['adbe.pkcs7.detached', 'Signature is Valid.', 'Certificate is Trusted.'],
    ['ETSI.CAdES.detached', 'Signature is Valid.', 'Certificate is Trusted.'],
  ]);
});

test('with a timestamp authority the signature is PAdES B-T; the token verifies with openssl ts', async (t) => {
  const tsa = await startTestTsa();
  t.after(() => tsa.close());
  const input = await makePdf('bt.pdf', { objectStreams: true });
  const output = path.join(work, 'bt.signed.pdf');
  const outcome = await signPdfFile(input, output, { key: signer, timestamp: { url: tsa.url } });
  assert.deepEqual(outcome, { level: 'B-T' });
  assert.equal(tsa.requests, 1);
  const [signature] = pdfsig(output, nss);
  assert.equal(signature!.validation, 'Signature is Valid.');
  assert.equal(qpdfCheck(output).status, 0);
  const text = fs.readFileSync(output).toString('latin1');
  const hex = /\/Contents <([0-9a-fA-F]+)>/.exec(text.slice(text.lastIndexOf('/ETSI.CAdES.detached') - 200))![1]!;
  const cmsDer = Buffer.from(hex, 'hex');
  const cms = parseSignedData(cmsDer);
  assert.deepEqual(cms.unsignedAttributeOids, ['1.2.840.113549.1.9.16.2.14']);
  // The token is over the signature value, as ETSI EN 319 122 asks: check it with OpenSSL.
  const dir = tempDir('eoffice-ts-verify-');
  fs.writeFileSync(path.join(dir, 'token.der'), cms.timestampTokens[0]!);
  fs.writeFileSync(path.join(dir, 'signature.bin'), cms.signature);
  execFileSync('openssl', ['ts', '-verify', '-token_in', '-in', path.join(dir, 'token.der'), '-data', path.join(dir, 'signature.bin'), '-CAfile', tsa.caCertPath], { stdio: ['ignore', 'pipe', 'pipe'] });
});

test('offline, the timestamp authority cannot be reached: the signature stays B-B and says why', async () => {
  const input = await makePdf('offline.pdf', { objectStreams: false });
  const output = path.join(work, 'offline.signed.pdf');
  // A port on the loopback that nothing listens on.
  const outcome = await signPdfFile(input, output, { key: signer, timestamp: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 2000 } });
  assert.equal(outcome.level, 'B-B');
  assert.match(outcome.timestampProblem!, /cannot be reached/);
  assert.equal(pdfsig(output, nss)[0]!.validation, 'Signature is Valid.');
  assert.deepEqual(parseSignedData(Buffer.from(/\/Contents <([0-9a-fA-F]+)>/.exec(fs.readFileSync(output).toString('latin1'))![1]!, 'hex')).unsignedAttributeOids, []);
});

test('a scanned-image PDF over 20 MB and a PDF 2.0 file are signed and verify', async () => {
  const doc = await PDFDocument.create();
  for (let i = 0; i < 4; i++) {
    const side = 1400; // 1400² RGB ≈ 5.6 MB of uncompressible "scan" per page
    const image = doc.context.register(doc.context.stream(randomBytes(side * side * 3), { Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 }));
    const page = doc.addPage([595, 842]);
    page.node.set(PDFName.of('Resources'), doc.context.obj({ XObject: { Im0: image } }));
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream('q 595 0 0 842 0 0 cm /Im0 Do Q')));
  }
  const scan = path.join(work, 'scan.pdf');
  fs.writeFileSync(scan, await doc.save());
  assert.ok(fs.statSync(scan).size > 20 * 1048576);
  await signAndVerify(scan, signer, 1);

  const v20 = path.join(work, 'v20.pdf');
  execFileSync('qpdf', ['--force-version=2.0', await makePdf('for-v20.pdf', { objectStreams: true }), v20]);
  assert.match(fs.readFileSync(v20).subarray(0, 8).toString('latin1'), /%PDF-2\.0/);
  await signAndVerify(v20, agency, 1);
});

test('Vietnamese letters in an appearance are drawn whole: the subset keeps composite glyphs', async () => {
  const input = await makePdf('glyphs.pdf', { objectStreams: false, pages: 1 });
  const output = path.join(work, 'glyphs.signed.pdf');
  const name = 'Nguyễn Văn Ánh — Ủy ban nhân dân xã Thử Nghiệm';
  await signPdfFile(input, output, { key: agency, appearance: { kind: 'signer', page: 1, rect: [60, 300, 480, 40], lines: [name] } });
  // The same line drawn with the whole font (no subsetting) is the reference for the ink it takes.
  const reference = await PDFDocument.create();
  reference.registerFontkit(pdfLibFontkit);
  const font = await reference.embedFont(fs.readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf')), { subset: false });
  reference.addPage([595, 842]).drawText(name, { x: 62, y: 300, size: 10, font });
  const referenceFile = path.join(work, 'glyphs.reference.pdf');
  fs.writeFileSync(referenceFile, await reference.save());
  const ink = (file: string) => countPixels(file, (r, g, b) => r + g + b < 300, 150);
  const ours = ink(output) - ink(input);
  const expected = ink(referenceFile);
  assert.ok(expected > 50);
  assert.ok(Math.abs(ours - expected) / expected < 0.25, `ink ${ours} vs ${expected} with the whole font`);
});
