// The validation report of a registry document through the API, as the clerk's signature panel
// asks for it, with the trust store managed through the API too: a real Government Office PDF
// (VGCA G2) is untrusted in an empty store, trusted once the G2 root and its CA are imported,
// and untrusted again when they are removed. Offline, revocation is "unknown", never "good": the
// signature is then "valid, revocation unknown", a verdict apart from real problems.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { INTEROP_DIR, interopPdf, tempDir } from '../support/fixtures.js';
import { signerCertificatePem } from '../support/signerCertificate.js';

let core: Core;
before(() => {
  core = openCore({ dataDir: tempDir('eoffice-validation-api-'), shell: 'web', actor: 'văn thư' });
});
after(() => core?.close());

async function call<M extends MethodName>(method: M, input: unknown): Promise<Envelope<Output<M>>> {
  return (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
}
async function ok<M extends MethodName>(method: M, input: unknown): Promise<Output<M>> {
  const envelope = await call(method, input);
  if (!envelope.ok) assert.fail(`${method}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

const G2 = ['rootcag2.pem', 'cpcag2.pem'].map((name) => path.join(INTEROP_DIR, 'trust/vgca/g2', name));

test('a received PDF is validated against the trust store the clerk manages: untrusted, trusted after import, untrusted after removal', async () => {
  const pdf = interopPdf('qd-729-ttg-2026.signed.pdf');
  const { document } = await ok('documents.import', { direction: 'in', fileName: path.basename(pdf), bytes: new Uint8Array(fs.readFileSync(pdf)) });

  assert.deepEqual(await ok('trust.list', {}), [], 'the store ships empty');
  const untrusted = await ok('documents.validate', { id: document.id, online: false });
  assert.equal(untrusted.signatures.length, 1);
  const [signature] = untrusted.signatures;
  assert.equal(signature!.integrity, 'valid');
  assert.equal(signature!.trust.status, 'no-path');
  assert.equal(untrusted.status, 'indeterminate');

  for (const file of G2) await ok('trust.import', { fileName: path.basename(file), bytes: new Uint8Array(fs.readFileSync(file)) });
  const store = await ok('trust.list', {});
  assert.equal(store.length, 2);
  assert.equal(store.filter((c) => c.isRoot).length, 1);

  const trusted = await ok('documents.validate', { id: document.id, online: false });
  assert.equal(trusted.signatures[0]!.trust.status, 'trusted');
  assert.equal(trusted.signatures[0]!.revocation.status, 'unknown', 'offline with nothing cached: unknown, never good');
  assert.equal(trusted.signatures[0]!.revocation.unavailableBecause, 'offline');
  assert.deepEqual(
    trusted.signatures[0]!.reasons.filter((r) => r.severity !== 'info').map((r) => r.code),
    ['REVOCATION_UNKNOWN'],
  );
  assert.equal(trusted.signatures[0]!.status, 'valid-revocation-unknown');
  assert.equal(trusted.status, 'valid-revocation-unknown');

  for (const certificate of store) await ok('trust.remove', { fingerprint256: certificate.fingerprint256 });
  assert.equal((await ok('documents.validate', { id: document.id, online: false })).signatures[0]!.trust.status, 'no-path');
});

test('the trust store refuses what is not a CA certificate, saying which file and why; validating a document without a file says so', async () => {
  const refused = await call('trust.import', { fileName: 'rac.pem', bytes: new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nrác\n-----END CERTIFICATE-----\n') });
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.error.code, 'NOT_CERTIFICATE_FILE');
    assert.equal(refused.error.details?.fileName, 'rac.pem');
  }
  // The signer's certificate out of a real document's signature: not a CA, refused by name.
  const signer = signerCertificatePem(interopPdf('qd-729-ttg-2026.signed.pdf'));
  const leaf = await call('trust.import', { fileName: 'nguoi-ky.pem', bytes: new TextEncoder().encode(signer) });
  assert.equal(leaf.ok, false);
  if (!leaf.ok) {
    assert.equal(leaf.error.code, 'NOT_CA_CERTIFICATE');
    assert.equal(leaf.error.details?.fileName, 'nguoi-ky.pem');
    assert.equal(typeof leaf.error.details?.subject, 'string');
    assert.ok((leaf.error.details!.subject as string).length > 0);
  }
  assert.deepEqual(await ok('trust.list', {}), []);
  const missing = await call('documents.validate', { id: 999_999, online: false });
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.equal(missing.error.code, 'NOT_FOUND');
});
