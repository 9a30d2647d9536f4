// A signer that confirms on the phone covers several documents with one confirmation
// (signing/signDocuments.ts, signUnderApprovals). The key here is a real SoftHSM key with the
// phone's batching laid over it — the phone's own protocols are tested against the reference
// service in remoteSigners.test.ts; here what is tested is the grouping: how many confirmations
// a batch asks for, a document that fails on its own, a refused confirmation that leaves its
// group as it was and stops the batch, and a document listed twice.
import { signaturePlacement } from '../../main/core/issuing/outgoing.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { importDocument } from '../../main/core/registry/importDocument.js';
import { signDocuments, type SigningContext } from '../../main/core/signing/signDocuments.js';
import type { ApprovalRequest, SignerKey } from '../../main/core/signing/signerKey.js';
import { AppError } from '../../main/common/errors.js';
import { randomBytes } from 'node:crypto';
import { remoteSignerKey } from '../../main/core/signing/signerKey.js';
import { createSmartCaClient } from '../../main/core/signing/remote/smartca.js';
import { createCscClient } from '../../main/core/signing/remote/csc.js';
import type { RemoteSignerClient } from '../../main/core/signing/remote/remoteSigner.js';
import { startRemoteSigner, type RemoteSigner } from '../remoteSigner/server.js';
import { verifyPdfSignatures } from '../../main/core/pades/verify.js';
import { bytesSource } from '../../main/core/pdf/source.js';
import { parseSignedData } from '../../main/core/pades/cms.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig, qpdfCheck } from '../support/pdfsig.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';

let token: TestToken;
let core: Core;
let nss: string;
let service: RemoteSigner;
let remoteToken: TestToken;
const clientSecret = randomBytes(18).toString('base64url');

before(async () => {
  token = await createTestToken({ label: 'Phone Lãnh đạo' });
  const dataDir = tempDir('eoffice-approvals-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  core = openCore({ dataDir, shell: 'cli', actor: 'văn thư', settings });
  // The provider's keys are on a token of their own, as they are on the provider's HSM, apart from the one the acts here log in and out of.
  remoteToken = await createTestToken({ label: 'Remote HSM' });
  service = await startRemoteSigner({ token: remoteToken, clientSecret, apPassword: randomBytes(12).toString('base64url') });
  nss = nssTrusting([token.caCertPem, remoteToken.caCertPem]);
});

after(async () => {
  await service?.close();
  core?.close();
  token?.cleanup();
  remoteToken?.cleanup();
});

async function draft(subject: string): Promise<number> {
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', `V/v ${subject}`]);
  const id = await importDocument({ db: core.db, blobs: core.blobs, actor: 'văn thư', maxBytes: 10 * 1048576 }, { direction: 'out', fileName: `${subject}.pdf`, bytes });
  core.db.prepare('UPDATE documents SET subject = ? WHERE id = ?').run(subject, id);
  return id;
}

function fileOf(id: number): string {
  return (core.db.prepare('SELECT file_sha256 FROM documents WHERE id = ?').get(id) as { file_sha256: string }).file_sha256;
}

/** The token's key, confirming `perApproval` signatures at a time; `answer` may refuse a confirmation. */
function phoneKey(key: SignerKey, perApproval: number, answer: (request: ApprovalRequest, count: number) => void = () => {}): { key: SignerKey; approvals: ApprovalRequest[] } {
  const approvals: ApprovalRequest[] = [];
  const phone: SignerKey = Object.assign(Object.create(key) as SignerKey, {
    approval: 'phone' as const,
    signaturesPerApproval: perApproval,
    async signMany(datas: Uint8Array[], request: ApprovalRequest) {
      approvals.push(request);
      answer(request, datas.length);
      return key.signMany(datas, request);
    },
  });
  return { key: phone, approvals };
}

async function withPhone<T>(perApproval: number, answer: Parameters<typeof phoneKey>[2], act: (context: SigningContext, approvals: ApprovalRequest[]) => Promise<T>): Promise<T> {
  return core.tokens.signingAct({ label: token.label }, token.ids.signer, { pin: token.userPin }, async (tokenKey) => {
    const { key, approvals } = phoneKey(tokenKey, perApproval, answer);
    return act({ db: core.db, blobs: core.blobs, actor: 'văn thư', key, role: 'invisible', appearance: { kind: 'invisible' }, placement: signaturePlacement, cancelled: () => false }, approvals);
  });
}

test('five documents, three to a confirmation: two confirmations, and a document whose file is gone fails alone', async () => {
  const ids = [await draft('Tờ trình 1'), await draft('Tờ trình 2'), await draft('Tờ trình 3'), await draft('Tờ trình 4'), await draft('Tờ trình 5')];
  const gone = ids[1]!;
  const goneFile = core.blobs.pathFor(fileOf(gone));
  const kept = fs.readFileSync(goneFile);
  fs.rmSync(goneFile);
  try {
    const { results, approvals } = await withPhone(3, undefined, async (context, approvals) => ({ results: await signDocuments(context, ids), approvals }));
    assert.deepEqual(results.map((r) => [r.id, r.status, r.error?.code]), [
      [ids[0], 'signed', undefined],
      [gone, 'failed', 'STORAGE_CORRUPT'],
      [ids[2], 'signed', undefined],
      [ids[3], 'signed', undefined],
      [ids[4], 'signed', undefined],
    ]);
    assert.equal(approvals.length, 2, 'one confirmation per group of three');
    assert.deepEqual(approvals.map((a) => a.names.length), [2, 2], 'the document that failed was not sent to the phone');
    assert.match(approvals[0]!.display, /^Ký 2 văn bản: Tờ trình 1/);
    for (const id of [ids[0]!, ids[4]!]) {
      const file = path.join(tempDir('eoffice-approvals-out-'), 'signed.pdf');
      fs.writeFileSync(file, core.blobs.read(fileOf(id)));
      assert.equal(pdfsig(file, nss)[0]?.validation, 'Signature is Valid.');
      assert.notEqual(qpdfCheck(file).status, 2);
    }
  } finally {
    fs.writeFileSync(goneFile, kept);
  }
});

test('a refused confirmation leaves its documents as they were and skips the groups after it', async () => {
  const ids = [await draft('Công văn 1'), await draft('Công văn 2'), await draft('Công văn 3'), await draft('Công văn 4'), await draft('Công văn 5')];
  const before = ids.map(fileOf);
  let asked = 0;
  const results = await withPhone(2, () => {
    if (++asked === 2) throw new AppError('REMOTE_REFUSED', 'The signer refused on the phone.');
  }, (context) => signDocuments(context, ids));
  assert.deepEqual(results.map((r) => [r.status, r.error?.code]), [
    ['signed', undefined],
    ['signed', undefined],
    ['failed', 'REMOTE_REFUSED'],
    ['failed', 'REMOTE_REFUSED'],
    ['skipped', 'REMOTE_REFUSED'],
  ]);
  assert.equal(asked, 2, 'no confirmation is asked after a refusal');
  assert.deepEqual(ids.slice(2).map(fileOf), before.slice(2), 'the refused and skipped documents keep their files');
  const states = ids.map((id) => (core.db.prepare('SELECT state FROM documents WHERE id = ?').get(id) as { state: string }).state);
  assert.deepEqual(states.slice(2), states.slice(2).map(() => states[4]), 'and their state');
  const audit = core.db.prepare("SELECT count(*) AS n FROM audit_events WHERE kind = 'signed' AND document_id IN (?, ?, ?)").get(ids[2], ids[3], ids[4]) as { n: number };
  assert.equal(audit.n, 0);
});

test('a document listed twice is signed twice, the second time over its first signature, in a later confirmation', async () => {
  const id = await draft('Báo cáo');
  const { results, approvals } = await withPhone(50, undefined, async (context, approvals) => ({ results: await signDocuments(context, [id, id]), approvals }));
  assert.deepEqual(results.map((r) => r.status), ['signed', 'signed']);
  assert.equal(approvals.length, 2);
  const file = path.join(tempDir('eoffice-approvals-out-'), 'twice.pdf');
  fs.writeFileSync(file, core.blobs.read(fileOf(id)));
  assert.deepEqual(pdfsig(file, nss).map((s) => s.validation), ['Signature is Valid.', 'Signature is Valid.']);
});

test('through SmartCA and a CSC service, the leader confirms once on the phone for a batch: each PDF verified by pdfsig and by our validator', async () => {
  const fast = { intervalMs: 20 };
  const providers: Array<[string, RemoteSignerClient, string]> = [
    ['smartca', createSmartCaClient({ baseUrl: `${service.url}/smartca`, clientId: 'eoffice-test', clientSecret }, fast), '079123456789'],
    ['csc', createCscClient({ baseUrl: `${service.url}/csc/v2`, clientId: 'eoffice-test', clientSecret }, fast), ''],
  ];
  for (const [name, client, account] of providers) {
    const ids = [await draft(`${name} 1`), await draft(`${name} 2`), await draft(`${name} 3`)];
    const identity = (await client.listIdentities(account || undefined)).find((i) => i.keyType === 'rsa')!;
    const key = remoteSignerKey(client, identity);
    assert.equal(key.approval, 'phone');
    assert.equal(key.facts.subjectCommonName, 'Nguyễn Văn An');
    const approvalsBefore = service.control.stats().approvals;
    const waits: string[] = [];
    // The leader confirms on the phone what the phone shows: three documents, one confirmation.
    const confirmed = new Set<string>();
    const confirm = setInterval(() => {
      for (const pending of service.control.pending()) {
        if (confirmed.has(pending.id)) continue;
        confirmed.add(pending.id);
        waits.push(pending.display);
        void service.control.approve(pending.id);
      }
    }, 10);
    try {
      const results = await signDocuments(
        { db: core.db, blobs: core.blobs, actor: 'văn thư', key, role: 'signer', appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80], lines: ['Nguyễn Văn An'] }, placement: signaturePlacement, cancelled: () => false, onWaiting: (w) => waits.push(`waiting ${w.hashes}`) },
        ids,
      );
      assert.deepEqual(results.map((r) => r.status), ['signed', 'signed', 'signed'], `${name}: ${JSON.stringify(results)}`);
    } finally {
      clearInterval(confirm);
    }
    assert.equal(service.control.stats().approvals - approvalsBefore, 1, `${name}: one confirmation for the batch`);
    assert.ok(waits.includes('waiting 3'), `${name}: the wait was announced (${waits.join('; ')})`);
    assert.ok(waits.some((w) => w.startsWith(`Ký 3 văn bản: ${name} 1`)), `${name}: the phone showed the batch (${waits.join('; ')})`);
    for (const id of ids) {
      const file = path.join(tempDir('eoffice-remote-out-'), `${name}-${id}.pdf`);
      fs.writeFileSync(file, core.blobs.read(fileOf(id)));
      const [signature] = pdfsig(file, nss);
      assert.equal(signature?.validation, 'Signature is Valid.', name);
      assert.equal(signature?.certificate, 'Certificate is Trusted.', name);
      assert.equal(signature?.commonName, 'Nguyễn Văn An');
      assert.notEqual(qpdfCheck(file).status, 2);
      const [ours] = verifyPdfSignatures(bytesSource(fs.readFileSync(file)), file);
      assert.equal(ours?.integrity, 'valid', name);
      // Still PAdES B-B with a hash signed elsewhere: content type, message digest, signing-certificate-v2; no signing-time.
      const text = fs.readFileSync(file).toString('latin1');
      const hex = /\/Contents <([0-9a-fA-F]+)>/.exec(text.slice(text.lastIndexOf('/ETSI.CAdES.detached') - 200))![1]!;
      const cms = parseSignedData(Buffer.from(hex, 'hex'));
      assert.deepEqual(cms.signedAttributeOids, ['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.16.2.47'], name);
      assert.equal(cms.hasEContent, false);
    }
  }
});
