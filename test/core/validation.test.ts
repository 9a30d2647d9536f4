// Signature validation with real parts: PDFs signed by the app's own signer and by poppler's
// pdfsig, a test CA made by openssl that publishes CRLs and answers OCSP (openssl ocsp) on
// 127.0.0.1, the trust store on disk, and the real government PDFs with the VGCA certificates
// from shared/interop imported into the store. Nothing here reaches beyond 127.0.0.1: the real
// PDFs name ca.gov.vn services, so they are validated offline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFName, PDFRef } from 'pdf-lib';
import { AppError } from '../../main/common/errors.js';
import { addTextFields, fillTextFields } from '../../main/core/pades/formFields.js';
import { PdfRevision } from '../../main/core/pades/revision.js';
import { signPdfSource, type SignPdfOptions } from '../../main/core/pades/signPdf.js';
import { appendedSource, bytesSource, fileSource, type PdfSource } from '../../main/core/pdf/source.js';
import type { SigningKey } from '../../main/core/token/signingKey.js';
import { validatePdf, type ValidationReport } from '../../main/core/validation/report.js';
import { isPublicAddress, openRevocationChecker, type RevocationOptions } from '../../main/core/validation/revocation.js';
import { openTrustStore, type TrustAnchors } from '../../main/core/validation/trustStore.js';
import { fileSigningKey } from '../support/fileKey.js';
import { INTEROP_DIR, interopPdf, makeVietnamesePdf, tempDir } from '../support/fixtures.js';
import { createNssSigner } from '../support/pdfsigSigner.js';
import { allowTestServer, startRevocationServer, type RevocationServer } from '../support/revocationServer.js';
import { createTestCa, issueOcspResponder, issueSigner, makeCrl, type TestCa } from '../support/testCa.js';
import { bytesOf } from '../support/pdfBytes.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let server: RevocationServer;
let ca: TestCa;
let work: string;
/** The leader's key, its CMS carrying the intermediate only (as real signers do). */
let leader: SigningKey;

before(async () => {
  server = await startRevocationServer();
  ca = createTestCa(undefined, { crlBaseUrl: server.baseUrl });
  work = tempDir('eoffice-validation-');
  publishCrls(ca, server, []);
  leader = fileSigningKey(ca.rsa.keyPem, ca.rsa.certDer, ca.chain);
});

after(() => server.close());

function publishCrls(authority: TestCa, to: RevocationServer, revokedSerials: string[], nextUpdate = new Date(Date.now() + DAY)): void {
  const lastUpdate = new Date(Date.now() - HOUR);
  to.crls.set('root.crl', makeCrl(authority.dir, authority.root, [], { lastUpdate, nextUpdate }));
  to.crls.set('intermediate.crl', makeCrl(authority.dir, authority.intermediate, revokedSerials.map((serialHex) => ({ serialHex, revokedAt: new Date(Date.now() - 2 * HOUR), reason: 'keyCompromise' })), { lastUpdate, nextUpdate }));
}

async function draft(): Promise<PdfSource> {
  const source = bytesSource(await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:       /QĐ-UBND', 'QUYẾT ĐỊNH về việc kiểm tra chữ ký số']));
  return appendedSource(source, await addTextFields(source, [{ name: 'so_ky_hieu', page: 1, rect: [55, 755, 250, 18] }]));
}

async function signed(source: PdfSource, options: SignPdfOptions): Promise<PdfSource> {
  return appendedSource(source, (await signPdfSource(source, options)).appended);
}

/** The leader certifies, then the clerk fills in the number: Decree 30's issuing order. */
async function certifiedAndNumbered(key: SigningKey = leader): Promise<PdfSource> {
  const certified = await signed(await draft(), { key, permissions: { certify: true, lockAllExcept: ['so_ky_hieu'] } });
  return appendedSource(certified, await fillTextFields(certified, { so_ky_hieu: { text: 'Số: 12/QĐ-UBND', fontSize: 12, opaque: true } }));
}

/** An incremental update that adds a second content stream to page 1, drawing over its text. */
async function withContentAddedToPage(source: PdfSource): Promise<PdfSource> {
  const revision = new PdfRevision(source, 'edited.pdf');
  const { context } = revision.doc;
  const page = revision.page(1);
  const edited = page.node.clone(context);
  const cover = context.register(context.flateStream('1 1 1 rg 55 740 300 40 re f'));
  edited.set(PDFName.of('Contents'), context.obj([page.node.get(PDFName.of('Contents')) as PDFRef, cover]));
  revision.replace(page.ref, edited);
  return appendedSource(source, (await revision.build()).appended);
}

interface Setup {
  dataDir: string;
  trust: TrustAnchors;
  revocation: RevocationOptions;
}

function setup(options: { trustRoot?: boolean; online?: boolean; dataDir?: string; timeoutMs?: number } = {}): Setup {
  const dataDir = options.dataDir ?? tempDir('eoffice-validation-data-');
  const store = openTrustStore(dataDir);
  if (options.trustRoot ?? true) store.import(new TextEncoder().encode(ca.root.certPem), 'root.pem');
  return { dataDir, trust: store, revocation: { dataDir, online: options.online ?? true, timeoutMs: options.timeoutMs ?? 3000, addressAllowed: allowTestServer } };
}

function validate(source: PdfSource, { trust, revocation }: Setup, now?: Date): Promise<ValidationReport> {
  return validatePdf(source, { trustStore: trust, revocation: openRevocationChecker(revocation), fileName: 'test.pdf', now });
}

const codes = (report: ValidationReport, index = 0) => report.signatures[index]!.reasons.map((r) => r.code);

// ---- Integrity and later changes ----------------------------------------------------------

test('the number filled in after the leader certified is a permitted change: valid, with the change named', async () => {
  const report = await validate(await certifiedAndNumbered(), setup());
  const [signature] = report.signatures;
  assert.equal(report.status, 'valid', JSON.stringify(report.reasons));
  assert.equal(signature!.status, 'valid');
  assert.deepEqual(signature!.reasons, []);
  assert.equal(signature!.signer?.name, 'Nguyễn Văn An');
  assert.equal(signature!.signer?.agency, 'Sở Nội vụ');
  assert.match(signature!.signingTime, /\+07:00$/);
  assert.equal(signature!.signingTimeSource, 'claimed');
  // The draft, its form field, the certification, the filling.
  assert.deepEqual(signature!.coverage, { revision: 3, revisions: 4, coversWholeDocument: false });
  assert.equal(signature!.certification, 2);
  assert.equal(signature!.changes.verdict, 'permitted');
  assert.deepEqual(signature!.changes.items.map((c) => [c.area, c.permitted]), [['form-fields', true]]);
  assert.match(signature!.changes.items[0]!.detail, /so_ky_hieu/);
  assert.equal(signature!.trust.status, 'trusted');
  assert.deepEqual(signature!.trust.path.map((c) => c.subject.match(/CN=([^,]+)/)![1]), ['Nguyễn Văn An', 'Trung tâm Chứng thực điện tử thử nghiệm', 'eOffice Test Root CA']);
  assert.equal(signature!.revocation.status, 'good');
  assert.equal(signature!.revocation.source, 'crl');
  assert.deepEqual(signature!.issuerRevocation.map((r) => [r.status, r.source]), [['good', 'crl']]);
  assert.equal(signature!.timestamp, null);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(report)), 'the report is plain JSON');
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
});

test('one byte changed inside the signed range is invalid (digest)', async () => {
  const bytes = bytesOf(await certifiedAndNumbered());
  // The binary comment on the second line: every signature covers it and no parser reads it.
  assert.equal(Buffer.from(bytes.subarray(0, 10)).toString('latin1'), '%PDF-1.7\n%');
  bytes[11] = bytes[11]! ^ 0x01;
  const report = await validate(bytesSource(bytes), setup());
  assert.equal(report.status, 'invalid');
  assert.equal(report.signatures[0]!.integrity, 'digest-mismatch');
  assert.ok(codes(report).includes('DIGEST_MISMATCH'));
  assert.equal(report.reasons[0]!.code, 'DIGEST_MISMATCH');
  assert.match(report.reasons[0]!.message, /^Signature1: /);
});

test('page content added after signing is "modified after signing", naming the page', async () => {
  const report = await validate(await withContentAddedToPage(await certifiedAndNumbered()), setup());
  const [signature] = report.signatures;
  assert.equal(signature!.integrity, 'valid', 'the signed bytes themselves are intact');
  assert.equal(signature!.status, 'invalid');
  assert.equal(signature!.changes.verdict, 'modified-after-signing');
  assert.deepEqual(signature!.changes.modifiedAreas, ['pages']);
  const refused = signature!.changes.items.find((c) => !c.permitted)!;
  assert.equal(refused.kind, 'page-content');
  assert.match(refused.detail, /page 1/);
  assert.equal(signature!.reasons.find((r) => r.code === 'MODIFIED_AFTER_SIGNING')?.severity, 'invalid');
  assert.match(signature!.reasons.find((r) => r.code === 'MODIFIED_AFTER_SIGNING')!.message, /page 1/);
  // The permitted filling before it is still listed as permitted.
  assert.ok(signature!.changes.items.some((c) => c.area === 'form-fields' && c.permitted));
});

// ---- Trust --------------------------------------------------------------------------------

test('trust: no path, then an untrusted root, trusted after importing the root, untrusted again after removing it', async () => {
  const env = setup({ trustRoot: false });
  const document = await certifiedAndNumbered();
  let report = await validate(document, env);
  assert.equal(report.status, 'indeterminate');
  assert.equal(report.signatures[0]!.trust.status, 'no-path', 'the CMS carries the intermediate only; the root is nowhere');
  assert.ok(codes(report).includes('NO_TRUST_PATH'));

  const withRoot = await certifiedAndNumbered(fileSigningKey(ca.rsa.keyPem, ca.rsa.certDer, [ca.intermediate.certDer, ca.root.certDer]));
  report = await validate(withRoot, env);
  assert.equal(report.signatures[0]!.status, 'indeterminate');
  assert.equal(report.signatures[0]!.trust.status, 'untrusted-root');
  assert.equal(report.signatures[0]!.reasons.find((r) => r.code === 'UNTRUSTED_ROOT')?.severity, 'indeterminate');

  const store = openTrustStore(env.dataDir);
  const [imported] = store.import(new TextEncoder().encode(ca.root.certPem), 'root.pem');
  report = await validate(withRoot, env);
  assert.equal(report.status, 'valid', JSON.stringify(report.reasons));
  report = await validate(document, env);
  assert.equal(report.status, 'valid', 'the intermediate from the CMS leads to the imported root');

  assert.equal(store.remove(imported!.fingerprint256), true);
  report = await validate(withRoot, env);
  assert.equal(report.signatures[0]!.trust.status, 'untrusted-root');
  assert.equal(report.status, 'indeterminate');
});

test('the trust store: PEM, DER and PKCS#7 (DER and PEM) imports, one file per certificate named by its SHA-256, leaf and garbage refused', () => {
  const dataDir = tempDir('eoffice-trust-');
  const store = openTrustStore(dataDir);
  assert.deepEqual(store.list(), [], 'it ships empty');

  const [root] = store.import(new TextEncoder().encode(ca.root.certPem), 'root.pem');
  assert.equal(root!.isRoot, true);
  assert.equal(root!.isCa, true);
  assert.match(root!.subject, /CN=eOffice Test Root CA/);
  assert.equal(root!.serialNumber, '1');
  assert.match(root!.addedAt, /\+07:00$/);
  const rootHex = root!.fingerprint256.replace(/:/g, '').toLowerCase();
  assert.deepEqual(fs.readdirSync(store.dir), [`${rootHex}.der`]);
  assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(store.dir, `${rootHex}.der`))), ca.root.certDer);

  // The same certificate again, as DER: nothing changes.
  const again = store.import(ca.root.certDer, 'root.cer');
  assert.deepEqual(again, [root]);
  assert.equal(fs.readdirSync(store.dir).length, 1);

  // A .p7b with root and intermediate, as `openssl crl2pkcs7` makes it, in DER and in PEM.
  const p7bPem = execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', ca.root.certPath, '-certfile', ca.intermediate.certPath]);
  const p7bDer = execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', ca.root.certPath, '-certfile', ca.intermediate.certPath, '-outform', 'DER']);
  const fromDer = store.import(new Uint8Array(p7bDer), 'chain.p7b');
  assert.deepEqual(fromDer.map((c) => [c.isRoot, c.isCa]).sort(), [[false, true], [true, true]]);
  assert.deepEqual(store.import(new Uint8Array(p7bPem), 'chain.p7c'), fromDer);
  assert.equal(store.list().length, 2);
  assert.equal(store.anchors().length, 1);
  assert.equal(store.intermediates().length, 1);
  assert.deepEqual(fs.readdirSync(store.dir).sort(), store.list().map((c) => `${c.fingerprint256.replace(/:/g, '').toLowerCase()}.der`).sort());

  // Each refusal names the file and why, with a code of its own that the UI says in Vietnamese.
  const refused = (bytes: Uint8Array, fileName: string, code: string, pattern: RegExp, details: Record<string, unknown>) =>
    assert.throws(
      () => store.import(bytes, fileName),
      (error: unknown) => error instanceof AppError && error.code === code && pattern.test(error.message) && Object.entries(details).every(([k, v]) => error.details?.[k] === v),
    );
  refused(ca.rsa.certDer, 'leaf.cer', 'NOT_CA_CERTIFICATE', /not a CA certificate/, { fileName: 'leaf.cer', subject: 'Nguyễn Văn An' });
  refused(new TextEncoder().encode(ca.rsa.certPem + ca.intermediate.certPem), 'bundle.pem', 'NOT_CA_CERTIFICATE', /not a CA certificate/, { fileName: 'bundle.pem', subject: 'Nguyễn Văn An' });
  refused(new Uint8Array(randomBytes(300)), 'garbage.bin', 'NOT_CERTIFICATE_FILE', /garbage\.bin/, { fileName: 'garbage.bin' });
  refused(new TextEncoder().encode('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), 'key.pem', 'NOT_CERTIFICATE_FILE', /not a certificate file/, { fileName: 'key.pem' });
  refused(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), 'tiny.der', 'NOT_CERTIFICATE_FILE', /not a readable X\.509 certificate/, { fileName: 'tiny.der' });
  assert.equal(store.list().length, 2, 'nothing was added by the refused files');

  // Lower case without colons works too; removing twice is harmless.
  assert.equal(store.remove(rootHex), true);
  assert.equal(store.remove(root!.fingerprint256), false);
  assert.deepEqual(store.list().map((c) => c.isRoot), [false]);
  // A file whose bytes no longer match its name is not trusted.
  const [intermediateFile] = fs.readdirSync(store.dir);
  fs.writeFileSync(path.join(store.dir, intermediateFile!), ca.root.certDer);
  assert.deepEqual(store.list(), []);
});

test('intermediates may come from the store: a signature carrying only its own certificate is trusted after importing a .p7b', async () => {
  const env = setup({ trustRoot: false });
  const bare = await certifiedAndNumbered(fileSigningKey(ca.rsa.keyPem, ca.rsa.certDer, []));
  assert.equal((await validate(bare, env)).signatures[0]!.trust.status, 'no-path');
  const p7b = execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', ca.root.certPath, '-certfile', ca.intermediate.certPath, '-outform', 'DER']);
  openTrustStore(env.dataDir).import(new Uint8Array(p7b), 'chain.p7b');
  const report = await validate(bare, env);
  assert.equal(report.status, 'valid', JSON.stringify(report.reasons));
  assert.equal(report.signatures[0]!.trust.path.length, 3);
});

// ---- Certificate validity -----------------------------------------------------------------

test('a signer certificate that had expired at the signing time is invalid, with the reason', async () => {
  const expired = issueSigner(ca, 'signer-expired', { C: 'VN', O: 'Sở Tài chính', CN: 'Lê Văn Cũ' }, { serialHex: '0E0001', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
  const document = await signed(await draft(), { key: fileSigningKey(expired.keyPem, expired.certDer, ca.chain), signingTime: new Date() });
  const report = await validate(document, setup());
  const [signature] = report.signatures;
  assert.equal(signature!.integrity, 'valid');
  assert.equal(signature!.trust.status, 'trusted');
  assert.equal(signature!.status, 'invalid');
  const reason = signature!.reasons.find((r) => r.code === 'CERTIFICATE_EXPIRED');
  assert.equal(reason?.severity, 'invalid');
  assert.match(reason!.message, /Lê Văn Cũ.*expired on 2021-01-01T07:00:00\+07:00/);
});

// ---- Revocation ---------------------------------------------------------------------------

test('CRL: a revoked signer is invalid; the same check offline comes from the cache; a stale cached "good" is not enough', async () => {
  const revokedServer = await startRevocationServer();
  try {
    // The signer's CRL is on this test's server: the certificates name `${crlBaseUrl}/intermediate.crl`.
    const local = createTestCa(undefined, { crlBaseUrl: revokedServer.baseUrl });
    const victim = issueSigner(local, 'victim', { C: 'VN', O: 'Sở Nội vụ', CN: 'Phạm Thị Thu Hồi' }, { serialHex: '0A0B0C01', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 365 * DAY) });
    publishCrls(local, revokedServer, ['0A0B0C01']);
    const dataDir = tempDir('eoffice-crl-');
    openTrustStore(dataDir).import(new TextEncoder().encode(local.root.certPem), 'root.pem');
    const env: Setup = { dataDir, trust: openTrustStore(dataDir), revocation: { dataDir, online: true, timeoutMs: 3000, addressAllowed: allowTestServer } };
    const revokedDocument = await signed(await draft(), { key: fileSigningKey(victim.keyPem, victim.certDer, local.chain) });
    const goodDocument = await signed(await draft(), { key: fileSigningKey(local.rsa.keyPem, local.rsa.certDer, local.chain) });

    let report = await validate(revokedDocument, env);
    let signature = report.signatures[0]!;
    assert.equal(signature.status, 'invalid');
    assert.equal(signature.revocation.status, 'revoked');
    assert.equal(signature.revocation.source, 'crl');
    assert.equal(signature.revocation.cached, false);
    assert.equal(signature.revocation.revocationReason, 'keyCompromise');
    assert.match(signature.revocation.url!, /\/intermediate\.crl$/);
    assert.match(signature.reasons.find((r) => r.code === 'REVOKED')!.message, /Phạm Thị Thu Hồi.*revoked on .*keyCompromise/);
    assert.ok(fs.readdirSync(path.join(dataDir, 'revocation-cache')).every((name) => /^crl-[0-9a-f]{64}\.der$/.test(name)));

    await revokedServer.close();
    report = await validate(revokedDocument, { ...env, revocation: { ...env.revocation, online: false } });
    signature = report.signatures[0]!;
    assert.equal(signature.status, 'invalid');
    assert.deepEqual([signature.revocation.status, signature.revocation.source, signature.revocation.cached, signature.revocation.stale], ['revoked', 'crl', true, false]);

    // The good signer from the same cached CRL, offline: valid while the CRL is fresh…
    report = await validate(goodDocument, { ...env, revocation: { ...env.revocation, online: false } });
    assert.equal(report.status, 'valid', JSON.stringify(report.reasons));
    assert.equal(report.signatures[0]!.revocation.cached, true);
    // …and past its nextUpdate only a stale answer: not plainly valid any more, but nothing wrong either.
    report = await validate(goodDocument, { ...env, revocation: { ...env.revocation, online: false } }, new Date(Date.now() + 2 * DAY));
    assert.equal(report.signatures[0]!.revocation.status, 'good');
    assert.equal(report.signatures[0]!.revocation.stale, true);
    assert.equal(report.signatures[0]!.revocation.unavailableBecause, 'offline');
    assert.equal(report.status, 'valid-revocation-unknown');
    assert.ok(codes(report).includes('REVOCATION_STALE'));

    // A cache file altered on disk is no answer at all.
    for (const name of fs.readdirSync(path.join(dataDir, 'revocation-cache'))) {
      const file = path.join(dataDir, 'revocation-cache', name);
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
      fs.writeFileSync(file, bytes);
    }
    report = await validate(revokedDocument, { ...env, revocation: { ...env.revocation, online: false } });
    assert.equal(report.signatures[0]!.revocation.status, 'unknown');
    assert.match(report.signatures[0]!.revocation.problems.join(' '), /signature does not verify/);
  } finally {
    await revokedServer.close();
  }
});

test('a CRL server that never answers, or no network, and nothing cached: revocation unknown, never valid', async () => {
  const silent = await startRevocationServer();
  silent.silent = true;
  try {
    const local = createTestCa(undefined, { crlBaseUrl: silent.baseUrl });
    const dataDir = tempDir('eoffice-crl-silent-');
    const store = openTrustStore(dataDir);
    store.import(new TextEncoder().encode(local.root.certPem), 'root.pem');
    const document = await signed(await draft(), { key: fileSigningKey(local.rsa.keyPem, local.rsa.certDer, local.chain) });
    const started = Date.now();
    let report = await validate(document, { dataDir, trust: store, revocation: { dataDir, online: true, timeoutMs: 300, addressAllowed: allowTestServer } });
    assert.ok(Date.now() - started < 5000, 'the timeout holds');
    const [signature] = report.signatures;
    assert.equal(signature!.trust.status, 'trusted');
    assert.equal(signature!.revocation.status, 'unknown');
    assert.equal(signature!.revocation.unavailableBecause, 'unreachable');
    assert.match(signature!.revocation.problems.join(' '), /no answer within 300 ms/);
    // Intact and trusted, only the revocation is missing: a verdict of its own, not "indeterminate".
    assert.equal(signature!.status, 'valid-revocation-unknown');
    assert.deepEqual(codes(report), ['REVOCATION_UNKNOWN']);
    assert.equal(report.status, 'valid-revocation-unknown');

    report = await validate(document, { dataDir, trust: store, revocation: { dataDir, online: false } });
    assert.equal(report.signatures[0]!.revocation.status, 'unknown');
    assert.equal(report.signatures[0]!.revocation.unavailableBecause, 'offline');
    assert.match(report.signatures[0]!.revocation.problems.join(' '), /offline/);
    assert.equal(report.status, 'valid-revocation-unknown');
    // One signature with a real problem outweighs it: the report is what its worst signature is.
    const expired = issueSigner(local, 'silent-expired', { C: 'VN', O: 'Sở Tài chính', CN: 'Lê Văn Cũ' }, { serialHex: '0E0002', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    const both = await signed(document, { key: fileSigningKey(expired.keyPem, expired.certDer, local.chain), signingTime: new Date() });
    report = await validate(both, { dataDir, trust: store, revocation: { dataDir, online: false } });
    assert.deepEqual(report.signatures.map((s) => s.status), ['valid-revocation-unknown', 'invalid']);
    assert.equal(report.status, 'invalid');
  } finally {
    await silent.close();
  }
});

test('OCSP through a delegated responder (openssl ocsp): good, revoked, and offline from the cache', async () => {
  const responderServer = await startRevocationServer();
  try {
    const local = createTestCa(undefined, { ocspUrl: responderServer.ocspUrl });
    const revokedSigner = issueSigner(local, 'ocsp-revoked', { C: 'VN', O: 'Sở Y tế', CN: 'Đỗ Văn Bị Thu' }, { serialHex: '0B0C0D01', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 365 * DAY) });
    responderServer.ocsp = {
      issuer: local.intermediate,
      responder: issueOcspResponder(local),
      entries: [{ serialHex: '8F3A5C0011223344556677' }, { serialHex: '0B0C0D01', revokedAt: new Date(Date.now() - HOUR) }],
    };
    const dataDir = tempDir('eoffice-ocsp-');
    const store = openTrustStore(dataDir);
    store.import(new TextEncoder().encode(local.root.certPem), 'root.pem');
    const env = (online: boolean): Setup => ({ dataDir, trust: store, revocation: { dataDir, online, timeoutMs: 5000, addressAllowed: allowTestServer } });
    const goodDocument = await signed(await draft(), { key: fileSigningKey(local.rsa.keyPem, local.rsa.certDer, local.chain) });
    const revokedDocument = await signed(await draft(), { key: fileSigningKey(revokedSigner.keyPem, revokedSigner.certDer, local.chain) });

    let report = await validate(goodDocument, env(true));
    let signature = report.signatures[0]!;
    assert.deepEqual([signature.revocation.status, signature.revocation.source, signature.revocation.cached], ['good', 'ocsp', false]);
    assert.equal(signature.revocation.url, responderServer.ocspUrl);
    // The intermediate names neither CRL nor OCSP: its status stays unknown, so the whole is not plainly valid.
    assert.equal(signature.issuerRevocation[0]!.status, 'unknown');
    assert.equal(signature.issuerRevocation[0]!.unavailableBecause, 'no-service');
    assert.equal(report.status, 'valid-revocation-unknown');

    report = await validate(revokedDocument, env(true));
    signature = report.signatures[0]!;
    assert.deepEqual([signature.revocation.status, signature.revocation.source], ['revoked', 'ocsp']);
    assert.equal(signature.status, 'invalid');

    const asked = responderServer.requests.ocsp;
    await responderServer.close();
    report = await validate(revokedDocument, env(false));
    assert.deepEqual([report.signatures[0]!.revocation.status, report.signatures[0]!.revocation.cached], ['revoked', true]);
    report = await validate(goodDocument, env(true));
    assert.deepEqual([report.signatures[0]!.revocation.status, report.signatures[0]!.revocation.cached, report.signatures[0]!.revocation.stale], ['good', true, false], 'a fresh cached answer is used without asking');
    assert.equal(responderServer.requests.ocsp, asked);
  } finally {
    await responderServer.close();
  }
});

// ---- Revocation: which services are asked, where, and for how long ------------------------

test('revocation is asked only on a trusted path: an untrusted chain makes no request to the services its certificates name', async () => {
  const beacon = await startRevocationServer();
  try {
    // A hierarchy nobody trusts, naming its own CRLs and OCSP: what a forger or a tracker would send.
    const stranger = createTestCa(undefined, { crlBaseUrl: beacon.baseUrl, ocspUrl: beacon.ocspUrl });
    publishCrls(stranger, beacon, []);
    const document = await signed(await draft(), { key: fileSigningKey(stranger.rsa.keyPem, stranger.rsa.certDer, [stranger.intermediate.certDer, stranger.root.certDer]) });
    const report = await validate(document, setup());
    const [signature] = report.signatures;
    assert.equal(signature!.trust.status, 'untrusted-root');
    assert.deepEqual(beacon.requests, { crl: 0, ocsp: 0 }, 'not one request for an untrusted chain');
    assert.equal(signature!.revocation.status, 'unknown');
    assert.equal(signature!.revocation.unavailableBecause, 'untrusted-path');
    assert.match(signature!.revocation.problems.join(' '), /not checked.*not lead to a trusted certificate/);
    assert.deepEqual(signature!.issuerRevocation, []);
    assert.deepEqual(codes(report).filter((c) => c !== 'NO_SIGNING_TIME'), ['UNTRUSTED_ROOT'], 'the untrusted path is the reason; no revocation reason beside it');
    assert.equal(report.status, 'indeterminate');
  } finally {
    await beacon.close();
  }
});

test('isPublicAddress: loopback, private, link-local, unspecified and other special ranges are not the public internet', () => {
  const notPublic = [
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.10', '169.254.169.254', '0.0.0.0', '100.64.0.1',
    '192.0.2.1', '198.18.0.1', '198.51.100.7', '203.0.113.9', '224.0.0.251', '239.255.255.250', '240.0.0.1', '255.255.255.255',
    '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '::ffff:a9fe:a9fe', 'fec0::1',
  ];
  for (const address of notPublic) assert.equal(isPublicAddress(address), false, address);
  for (const address of ['8.8.8.8', '203.162.4.190', '172.32.0.1', '172.15.255.255', '100.128.0.1', '2001:4860:4860::8888', '2405:4800::1', '::ffff:8.8.8.8']) {
    assert.equal(isPublicAddress(address), true, address);
  }
  for (const notAnAddress of ['', 'localhost', 'ca.gov.vn', '999.1.1.1']) assert.equal(isPublicAddress(notAnAddress), false, notAnAddress);
});

test('by default a revocation service on the office network is not asked: loopback by address and by name, no request made', async () => {
  const inside = await startRevocationServer();
  try {
    const port = new URL(inside.baseUrl).port;
    for (const base of [inside.baseUrl, `http://localhost:${port}`]) {
      const local = createTestCa(undefined, { crlBaseUrl: base });
      publishCrls(local, inside, []);
      const dataDir = tempDir('eoffice-crl-inside-');
      const store = openTrustStore(dataDir);
      store.import(new TextEncoder().encode(local.root.certPem), 'root.pem');
      const document = await signed(await draft(), { key: fileSigningKey(local.rsa.keyPem, local.rsa.certDer, local.chain) });
      // The checker as shipped code opens it: no address policy given.
      const report = await validatePdf(document, { trustStore: store, revocation: openRevocationChecker({ dataDir, online: true, timeoutMs: 3000 }) });
      const [signature] = report.signatures;
      assert.equal(signature!.trust.status, 'trusted', base);
      assert.equal(signature!.revocation.status, 'unknown', base);
      assert.equal(signature!.revocation.unavailableBecause, 'no-service', base);
      assert.match(signature!.revocation.problems.join(' '), /127\.0\.0\.1.*not a public internet address/, base);
      assert.equal(inside.requests.crl, 0, `${base}: nothing was asked`);
    }
  } finally {
    await inside.close();
  }
});

test('the address checked is the address connected to: one lookup per host and validation, a later different answer (DNS rebinding) never asked for', async () => {
  const service = await startRevocationServer();
  try {
    const local = createTestCa(undefined, { crlBaseUrl: `http://crl.eoffice.test:${new URL(service.baseUrl).port}` });
    publishCrls(local, service, []);
    const dataDir = tempDir('eoffice-crl-pinned-');
    const store = openTrustStore(dataDir);
    store.import(new TextEncoder().encode(local.root.certPem), 'root.pem');
    const document = await signed(await draft(), { key: fileSigningKey(local.rsa.keyPem, local.rsa.certDer, local.chain) });
    // The name exists only in this lookup, so a connection that resolved it again would fail; and
    // a second lookup would answer an address nothing listens on.
    const asked: string[] = [];
    const lookup = async (hostname: string) => {
      asked.push(hostname);
      return [{ address: asked.length === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const report = await validatePdf(document, { trustStore: store, revocation: openRevocationChecker({ dataDir, online: true, timeoutMs: 3000, addressAllowed: (a) => a.startsWith('127.'), lookup }) });
    const [signature] = report.signatures;
    assert.deepEqual(asked, ['crl.eoffice.test'], 'one lookup for the host, however many requests');
    assert.equal(service.requests.crl, 2, 'the signer’s and the intermediate’s CRLs, both from the address looked up');
    assert.deepEqual([signature!.revocation.status, ...signature!.issuerRevocation.map((r) => r.status)], ['good', 'good']);
    assert.equal(report.status, 'valid', JSON.stringify(report.reasons));
  } finally {
    await service.close();
  }
});

test('a real Hà Nội PDF: offline, not one lookup; online without a network, each host looked up once; intact and trusted, only revocation unknown', async () => {
  const dataDir = tempDir('eoffice-hanoi-');
  const store = openTrustStore(dataDir);
  for (const file of ['rootcag2.pem', 'cpcag2.pem']) store.import(new Uint8Array(fs.readFileSync(path.join(INTEROP_DIR, 'trust/vgca/g2', file))), file);
  const asked: string[] = [];
  // A machine without a network: the resolver gives up after a moment, as getaddrinfo does.
  const lookup = async (hostname: string): Promise<{ address: string; family: number }[]> => {
    asked.push(hostname);
    await new Promise((resolve) => setTimeout(resolve, 50));
    throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${hostname}`), { code: 'EAI_AGAIN' });
  };
  const run = async (online: boolean) => {
    const fd = fs.openSync(interopPdf('hanoi-qd-2280-ubnd-2026.pdf'), 'r');
    try {
      return await validatePdf(fileSource(fd), { trustStore: store, revocation: openRevocationChecker({ dataDir, online, lookup }), fileName: 'hanoi-qd-2280-ubnd-2026.pdf' });
    } finally {
      fs.closeSync(fd);
    }
  };

  const offline = await run(false);
  assert.deepEqual(asked, [], 'offline: no name is even looked up');
  assert.ok(offline.signatures.length >= 2);
  for (const signature of offline.signatures) {
    assert.equal(signature.trust.status, 'trusted', signature.fieldName);
    assert.equal(signature.status, 'valid-revocation-unknown', `${signature.fieldName}: ${JSON.stringify(signature.reasons)}`);
    assert.equal(signature.revocation.unavailableBecause, 'offline');
  }
  assert.equal(offline.status, 'valid-revocation-unknown');

  const unreachable = await run(true);
  assert.deepEqual([...asked].sort(), ['ca.gov.vn', 'ocsp.ca.gov.vn'], `each host once for ${unreachable.signatures.length} signatures: ${asked.join(', ')}`);
  for (const signature of unreachable.signatures) {
    assert.equal(signature.status, 'valid-revocation-unknown', signature.fieldName);
    assert.equal(signature.revocation.unavailableBecause, 'unreachable', signature.fieldName);
  }
  assert.match(unreachable.signatures[0]!.revocation.problems.join(' '), /ocsp\.ca\.gov\.vn.*EAI_AGAIN/);
  assert.equal(unreachable.status, 'valid-revocation-unknown');
});

test('one time budget per validation, name resolution included: a resolver that never answers does not keep the clerk waiting', async () => {
  const dataDir = tempDir('eoffice-hanoi-budget-');
  const store = openTrustStore(dataDir);
  for (const file of ['rootcag2.pem', 'cpcag2.pem']) store.import(new Uint8Array(fs.readFileSync(path.join(INTEROP_DIR, 'trust/vgca/g2', file))), file);
  let lookups = 0;
  const never = () => {
    lookups++;
    return new Promise<{ address: string; family: number }[]>(() => undefined);
  };
  const fd = fs.openSync(interopPdf('hanoi-qd-2280-ubnd-2026.pdf'), 'r');
  const started = Date.now();
  try {
    const report = await validatePdf(fileSource(fd), { trustStore: store, revocation: openRevocationChecker({ dataDir, online: true, timeoutMs: 60_000, budgetMs: 1000, lookup: never }) });
    assert.ok(Date.now() - started < 20_000, `ended after ${Date.now() - started} ms`);
    assert.ok(lookups <= 2, `${lookups} lookups`);
    const problems = report.signatures.flatMap((s) => [s.revocation, ...s.issuerRevocation]).flatMap((r) => r.problems).join(' ');
    assert.match(problems, /no answer within \d+ ms/);
    assert.equal(report.status, 'valid-revocation-unknown');
  } finally {
    fs.closeSync(fd);
  }
});

// ---- Other signers ------------------------------------------------------------------------

test("a PDF signed by poppler's pdfsig -add-signature verifies, its CA trusted (its certificate names no revocation service)", async () => {
  const peer = createNssSigner('Poppler Peer');
  const input = path.join(work, 'peer-input.pdf');
  const output = path.join(work, 'peer-signed.pdf');
  fs.writeFileSync(input, await makeVietnamesePdf(['Công văn ký bằng pdfsig']));
  peer.sign(input, output);
  const dataDir = tempDir('eoffice-peer-');
  const store = openTrustStore(dataDir);
  store.import(new TextEncoder().encode(peer.caCertPem), 'peer-ca.pem');
  const fd = fs.openSync(output, 'r');
  try {
    const report = await validatePdf(fileSource(fd), { trustStore: store, revocation: openRevocationChecker({ dataDir, online: true }), fileName: 'peer-signed.pdf' });
    const [signature] = report.signatures;
    assert.equal(signature!.integrity, 'valid');
    assert.equal(signature!.subFilter, 'adbe.pkcs7.detached');
    assert.equal(signature!.signer?.name, 'Poppler Peer');
    assert.equal(signature!.trust.status, 'trusted');
    assert.equal(signature!.changes.verdict, 'none');
    assert.equal(signature!.coverage.coversWholeDocument, true);
    assert.equal(signature!.revocation.status, 'unknown');
    assert.equal(signature!.revocation.unavailableBecause, 'no-service');
    assert.deepEqual(signature!.reasons.map((r) => r.code), ['REVOCATION_UNKNOWN']);
    assert.equal(signature!.status, 'valid-revocation-unknown');
  } finally {
    fs.closeSync(fd);
  }
});

test('the real government PDFs: with the VGCA certificates imported, every chain is trusted; offline, revocation is unknown', async () => {
  const dataDir = tempDir('eoffice-vgca-');
  const store = openTrustStore(dataDir);
  for (const file of ['vgca/g2/rootcag2.pem', 'vgca/g2/cpcag2.pem', 'vgca/g1/rootca-g1.pem', 'vgca/g1/cp-g1.pem']) {
    store.import(new Uint8Array(fs.readFileSync(path.join(INTEROP_DIR, 'trust', file))), path.basename(file));
  }
  assert.equal(store.anchors().length, 2);
  const checker = openRevocationChecker({ dataDir, online: false });
  const names = fs.readdirSync(path.join(INTEROP_DIR, 'pdf')).filter((f) => f.endsWith('.pdf')).sort();
  assert.ok(names.length >= 6);
  let trusted = 0;
  for (const name of names) {
    const fd = fs.openSync(interopPdf(name), 'r');
    try {
      const report = await validatePdf(fileSource(fd), { trustStore: store, revocation: checker, fileName: name });
      for (const signature of report.signatures) {
        const where = `${name} ${signature.fieldName}`;
        assert.equal(signature.integrity, 'valid', where);
        assert.ok(signature.changes.verdict !== 'modified-after-signing', where);
        assert.equal(signature.revocation.status, 'unknown', where);
        if (signature.trust.status !== 'trusted') {
          // PROVENANCE.md: the Đảng G2 sub-CA of hanoi-kh-173's second signer was not found.
          assert.equal(name, 'hanoi-kh-173-ubnd-2026.pdf', where);
          assert.match(signature.trust.path[0]!.issuer, /Đảng G2/, where);
          // An untrusted path is the problem; its revocation was not even looked for.
          assert.equal(signature.status, 'indeterminate', where);
          assert.deepEqual(signature.reasons.filter((r) => r.severity !== 'info').map((r) => r.code), ['NO_TRUST_PATH'], `${where}: ${JSON.stringify(signature.reasons)}`);
          assert.equal(signature.revocation.unavailableBecause, 'untrusted-path', where);
          assert.deepEqual(signature.issuerRevocation, [], where);
          continue;
        }
        // Intact and trusted; offline, only the revocation is unknown.
        assert.equal(signature.status, 'valid-revocation-unknown', where);
        assert.deepEqual(signature.reasons.filter((r) => r.severity !== 'info').map((r) => r.code), ['REVOCATION_UNKNOWN'], `${where}: ${JSON.stringify(signature.reasons)}`);
        assert.equal(signature.revocation.unavailableBecause, 'offline', where);
        trusted++;
        assert.match(signature.trust.path.at(-1)!.subject, /RootCA|Co quan chung thuc so chuyen dung Chinh phu/, where);
        // Every signature carries a VGCA timestamp, whose authority chains to a root in the store.
        assert.equal(signature.timestamp?.trust, 'trusted', where);
        assert.equal(signature.signingTimeSource, 'timestamp', where);
      }
      assert.equal(report.status, name === 'hanoi-kh-173-ubnd-2026.pdf' ? 'indeterminate' : 'valid-revocation-unknown', name);
    } finally {
      fs.closeSync(fd);
    }
  }
  // PROVENANCE.md: 23 signatures in the six files, one of them under the missing Đảng G2 sub-CA.
  assert.equal(trusted, 22);

  // The 2018 decree: a SHA-1 signature under the G1 hierarchy, its certificate expired since but valid when stamped.
  const fd = fs.openSync(interopPdf('nd-119-2018-cp.signed.pdf'), 'r');
  try {
    const [signature] = (await validatePdf(fileSource(fd), { trustStore: store, revocation: checker })).signatures;
    assert.equal(signature!.digestAlgorithm, 'sha1');
    assert.equal(signature!.signer?.name, 'Cổng Thông tin điện tử Chính phủ');
    assert.equal(signature!.signer?.agency, 'Văn phòng Chính phủ');
    assert.equal(signature!.signingTime, '2018-09-13T16:07:31+07:00');
    assert.equal(signature!.trust.path.length, 3);
    assert.ok(!signature!.reasons.some((r) => r.code === 'CERTIFICATE_EXPIRED'));
  } finally {
    fs.closeSync(fd);
  }
});

test('an unsigned PDF is indeterminate, with NOT_SIGNED', async () => {
  const report = await validatePdf(bytesSource(await makeVietnamesePdf(['Công văn chưa ký'])), { trustStore: openTrustStore(tempDir()), revocation: openRevocationChecker({ dataDir: tempDir(), online: false }) });
  assert.equal(report.status, 'indeterminate');
  assert.deepEqual(report.reasons.map((r) => r.code), ['NOT_SIGNED']);
  assert.deepEqual(report.signatures, []);
});
