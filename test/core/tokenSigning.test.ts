// PDFs signed with a real PKCS#11 token (SoftHSM2): the leader's RSA key, the agency's ECDSA key,
// a batch on one login, and a token pulled out mid-batch (injected: SoftHSM cannot be unplugged).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadModule, type LoadedModule } from '../../main/core/token/modules.js';
import { openTokenSession } from '../../main/core/token/session.js';
import { signBatch } from '../../main/core/pades/batch.js';
import { createTestToken, faultyPkcs11, pkcs11Failure, type TestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig, qpdfCheck } from '../support/pdfsig.js';
import { listFiles, tempDir } from '../support/fixtures.js';
import { signatureImage } from '../support/png.js';

const LABEL = 'Token Lãnh đạo';
let token: TestToken;
let module: LoadedModule;
let nss: string;
let work: string;

before(async () => {
  token = await createTestToken({ label: LABEL, alwaysAuthenticateKey: true });
  module = loadModule(token.modulePath);
  nss = nssTrusting([token.caCertPem]);
  work = tempDir('eoffice-token-sign-');
});

after(() => {
  module?.release();
  token?.cleanup();
});

async function makePdfs(prefix: string, count: number): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    doc.addPage([595, 842]).drawText(`Document ${prefix}-${i}`, { x: 72, y: 760, size: 12, font });
    const file = path.join(work, `${prefix}-${i}.pdf`);
    fs.writeFileSync(file, await doc.save({ useObjectStreams: i % 2 === 0 }));
    files.push(file);
  }
  return files;
}

const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('one login signs a batch with the leader’s RSA key, then the agency’s ECDSA key countersigns; pdfsig trusts both', async () => {
  const inputs = await makePdfs('batch', 4);
  const session = openTokenSession(module.pkcs11, { label: LABEL });
  try {
    await session.login(token.userPin);
    const leader = await session.signingKey(token.ids.signer);
    const progress: number[] = [];
    const signed = await signBatch(
      inputs.map((input) => ({ input, output: input.replace(/\.pdf$/, '.leader.pdf') })),
      { key: leader, appearance: { kind: 'signer', page: 1, rect: [330, 120, 180, 72], image: signatureImage(), lines: ['Nguyễn Văn An'] }, onProgress: (done) => progress.push(done) },
    );
    assert.deepEqual(signed.map((r) => r.status), ['signed', 'signed', 'signed', 'signed']);
    assert.deepEqual(progress, [1, 2, 3, 4]);
    const agency = await session.signingKey(token.ids.agency);
    const countersigned = await signBatch(
      signed.map((r) => ({ input: (r as { output: string }).output, output: r.input.replace(/\.pdf$/, '.issued.pdf') })),
      { key: agency, appearance: { kind: 'agency', page: 1, rect: [290, 110, 200, 90], agencyName: 'UBND xã Thử Nghiệm' } },
    );
    for (const result of countersigned) {
      assert.equal(result.status, 'signed');
      const output = (result as { output: string }).output;
      const report = pdfsig(output, nss);
      assert.deepEqual(report.map((s) => [s.validation, s.certificate]), [
        ['Signature is Valid.', 'Certificate is Trusted.'],
        ['Signature is Valid.', 'Certificate is Trusted.'],
      ]);
      assert.deepEqual(report.map((s) => s.commonName), ['Nguyễn Văn An', 'UBND xã Thử Nghiệm']);
      assert.equal(qpdfCheck(output).status, 0);
    }
  } finally {
    await session.close();
  }
});

test('a token pulled out mid-batch: the signed one stays, the failing one leaves no file, the rest are reported unsigned', async () => {
  const inputs = await makePdfs('pulled', 4);
  const before = inputs.map(digest);
  const { api, faults } = faultyPkcs11(module.pkcs11);
  const session = openTokenSession(api, { label: LABEL });
  try {
    await session.login(token.userPin);
    const key = await session.signingKey(token.ids.signer);
    let signatures = 0;
    faults.C_SignAsync = async (s, data, out) => {
      if (++signatures === 2) throw pkcs11Failure('CKR_DEVICE_REMOVED', 'C_Sign');
      return module.pkcs11.C_SignAsync(s, data, out);
    };
    const results = await signBatch(
      inputs.map((input) => ({ input, output: input.replace(/\.pdf$/, '.signed.pdf') })),
      { key },
    );
    assert.deepEqual(results.map((r) => r.status), ['signed', 'failed', 'skipped', 'skipped']);
    assert.equal((results[1] as { error: { code: string } }).error.code, 'TOKEN_REMOVED');
    assert.equal((results[2] as { error: { code: string } }).error.code, 'TOKEN_REMOVED');
    assert.deepEqual(inputs.map(digest), before, 'no source was changed');
    const outputs = listFiles(work).filter((f) => f.startsWith('pulled') && f.includes('.signed'));
    assert.deepEqual(outputs, ['pulled-0.signed.pdf'], 'no partial output for the others');
    assert.equal(pdfsig(path.join(work, outputs[0]!), nss)[0]!.validation, 'Signature is Valid.');
  } finally {
    await session.close();
  }
});

test('a key that must be unlocked for every signature asks for the PIN once per document', async () => {
  const inputs = await makePdfs('always', 2);
  let asked = 0;
  const session = openTokenSession(module.pkcs11, { label: LABEL }, { pinProvider: async () => (asked++, token.userPin) });
  try {
    await session.login(token.userPin);
    const key = await session.signingKey(token.ids.alwaysAuth!);
    const results = await signBatch(inputs.map((input) => ({ input, output: `${input}.signed.pdf` })), { key });
    assert.deepEqual(results.map((r) => r.status), ['signed', 'signed']);
    assert.equal(asked, 2);
    for (const input of inputs) assert.equal(pdfsig(`${input}.signed.pdf`, nss)[0]!.validation, 'Signature is Valid.');
  } finally {
    await session.close();
  }
});

test('cancelling between documents stops the batch there', async () => {
  const inputs = await makePdfs('cancel', 3);
  const session = openTokenSession(module.pkcs11, { label: LABEL });
  try {
    await session.login(token.userPin);
    const key = await session.signingKey(token.ids.agency);
    let done = 0;
    const results = await signBatch(inputs.map((input) => ({ input, output: `${input}.signed.pdf` })), { key, onProgress: (n) => (done = n), cancelled: () => done >= 1 });
    assert.deepEqual(results.map((r) => r.status), ['signed', 'skipped', 'skipped']);
    assert.equal((results[1] as { error: { code: string } }).error.code, 'CANCELLED');
    assert.ok(!fs.existsSync(`${inputs[1]}.signed.pdf`));
  } finally {
    await session.close();
  }
});
