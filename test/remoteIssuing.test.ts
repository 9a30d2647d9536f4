// Issuing with the leader's signature made on the phone (VNPT SmartCA, against the reference
// service) and the agency's seal from its token (SoftHSM), through the API as the UI calls it:
// the signer list shows both kinds side by side and says at once when a service cannot be asked;
// while the phone has not confirmed, the draft is a draft and takes no number; a refused, expired
// or cancelled confirmation leaves it exactly as it was; once confirmed, the leader's signature is
// checked like any other before the number is taken, and pdfsig finds both signatures valid.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../main/core/app/core.js';
import type { EventName, Output } from '../main/common/contract.js';
import { createFileSettings } from '../main/core/settings/settings.js';
import { writeSealedSecret } from '../main/core/secrets/sealedFile.js';
import { remoteSecretName } from '../main/core/signing/remote/services.js';
import { coreCalls } from './support/coreCalls.js';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { nssTrusting, pdfsig, qpdfCheck } from './support/pdfsig.js';
import { decisionDraftPdf, tempDir } from './support/fixtures.js';
import { startRemoteSigner, type RemoteSigner } from './remoteSigner/server.js';
import { closedPort } from './support/ports.js';

const AGENCY = 'Token Cơ quan';
const ACCOUNT = '079123456789'; // the reference service's SmartCA user: Nguyễn Văn An
const clientSecret = randomBytes(18).toString('base64url');

let agency: TestToken;
let providerHsm: TestToken;
let service: RemoteSigner;
let core: Core;
let nss: string;
const events: Array<{ name: EventName; payload: unknown }> = [];
const logLines: string[] = [];

before(async () => {
  agency = await createTestToken({ label: AGENCY });
  // The provider's HSM: a token of its own, which this PC's token service never logs in or out.
  providerHsm = await createTestToken({ label: 'Provider HSM' });
  service = await startRemoteSigner({ token: providerHsm, clientSecret, apPassword: randomBytes(12).toString('base64url') });
  const dataDir = tempDir('eoffice-remote-issuing-');
  const settings = createFileSettings(dataDir);
  settings.update({
    tokenModules: [agency.modulePath],
    remoteSigners: {
      smartca: { baseUrl: `${service.url}/smartca`, clientId: 'eoffice-test', accounts: [ACCOUNT] },
      csc: [{ name: 'down', baseUrl: `http://127.0.0.1:${await closedPort()}/csc/v2`, clientId: 'eoffice-test', userId: '' }],
      mss: null,
    },
  });
  core = openCore({ dataDir, shell: 'web', actor: 'văn thư', settings, tokens: { pollIntervalMs: 200 } });
  writeSealedSecret(dataDir, remoteSecretName('smartca'), core.secrets, clientSecret);
  writeSealedSecret(dataDir, remoteSecretName('csc', 'down'), core.secrets, clientSecret);
  core.events.subscribe((name, payload) => events.push({ name, payload }));
  nss = nssTrusting([agency.caCertPem, providerHsm.caCertPem]);
  await ok('agency.update', { code: '000.00.32.H41', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND' });
});

after(async () => {
  core?.close();
  await service?.close();
  agency?.cleanup();
  providerHsm?.cleanup();
});

const { call, ok } = coreCalls(() => core, logLines);

async function newDraft(subject: string): Promise<Output<'outgoing.get'>> {
  const bytes = await decisionDraftPdf(subject);
  return ok('outgoing.create', {
    fileName: `${subject}.pdf`,
    bytes,
    details: { typeCode: 'QD', subject, signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['Lưu: VT'], recipientCodes: ['000.00.00.H41'], priority: 'normal', copies: 2, archiveHolder: '' },
  });
}

/** The phone's requests already played by an earlier signOnPhone. */
const handled = new Set<string>();

const LEADER_ON_PHONE = { kind: 'smartca', account: ACCOUNT, credentialId: 'smartca-an' } as const;

/**
 * The leader signs from the phone; `onPhone` plays the phone once the request is waiting there,
 * after checking what the draft looks like meanwhile.
 */
async function signOnPhone(id: number, batchId: string, onPhone: (pendingId: string) => Promise<void>): Promise<Output<'documents.sign'>> {
  const seen = events.length;
  const signing = ok('documents.sign', { ids: [id], batchId, signer: LEADER_ON_PHONE, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  type Waiting = { batchId: string; display: string; documents: number; expiresAt: string };
  let pending: string | undefined;
  let waiting: Waiting | undefined;
  // The service holds the request a moment before eOffice has its transaction and tells the UI.
  for (let i = 0; i < 500 && !(pending && waiting); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    // A cancelled request stays on the phone until it expires there (no protocol can withdraw it): not this one.
    pending = service.control.pending().find((p) => !handled.has(p.id))?.id;
    waiting = events.slice(seen).find((e) => e.name === 'signing.waiting')?.payload as Waiting | undefined;
  }
  assert.ok(pending, 'the request reached the phone');
  handled.add(pending);
  assert.equal(waiting?.batchId, batchId);
  assert.equal(waiting?.documents, 1);
  assert.ok(Date.parse(waiting!.expiresAt) > Date.now(), 'the countdown runs to a time ahead');
  await onPhone(pending);
  return signing;
}

function fileOf(id: number): string {
  return (core.db.prepare('SELECT file_sha256 FROM documents WHERE id = ?').get(id) as { file_sha256: string }).file_sha256;
}

test('the signer list offers the tokens and the phone side by side, and says at once which service cannot be asked', async () => {
  const { signers, problems } = await ok('signers.list', {});
  const phone = signers.find((s) => s.name === `smartca:${ACCOUNT}/smartca-an`);
  assert.equal(phone?.approval, 'phone');
  assert.equal(phone?.source, 'VNPT SmartCA');
  assert.equal(phone?.certificate.subjectCommonName, 'Nguyễn Văn An');
  const token = signers.find((s) => s.choice.kind === 'token' && s.choice.label === AGENCY && s.certificate.keyType === 'ec');
  assert.equal(token?.approval, 'pin');
  assert.deepEqual(problems.map((p) => [p.source, p.error.code]), [['CSC: down', 'REMOTE_UNREACHABLE']]);
});

test('no number before the phone confirms; refused, expired and cancelled confirmations leave the draft as it was', async () => {
  const draft = await newDraft('thử ký từ xa');
  const id = draft.document.id;
  const before = fileOf(id);
  for (const [outcome, code] of [['refuse', 'REMOTE_REFUSED'], ['expire', 'REMOTE_EXPIRED'], ['cancel', 'REMOTE_CANCELLED']] as const) {
    const batchId = `remote-${outcome}-0001`;
    const { results } = await signOnPhone(id, batchId, async (pending) => {
      // Waiting on the phone: still a draft, and cấp số is refused.
      const meanwhile = await ok('outgoing.get', { id });
      assert.equal(meanwhile.document.state, 'draft');
      assert.equal(meanwhile.numbering.allowed, false);
      const refused = await call('outgoing.number', { id });
      assert.equal(refused.ok ? null : refused.error.code, 'NOT_SIGNED');
      if (outcome === 'refuse') service.control.refuse(pending);
      else if (outcome === 'expire') service.control.expire(pending);
      else assert.deepEqual(await ok('signing.cancel', { batchId }), { cancelled: true });
    });
    assert.deepEqual(results.map((r) => [r.status, r.error?.code]), [['failed', code]], outcome);
    assert.equal(fileOf(id), before, `${outcome}: the file is the draft's`);
    assert.equal((await ok('outgoing.get', { id })).document.state, 'draft', outcome);
  }
  const audit = core.db.prepare("SELECT count(*) AS n FROM audit_events WHERE document_id = ? AND kind = 'signed'").get(id) as { n: number };
  assert.equal(audit.n, 0);
});

test('confirmed on the phone: the leader signed, then the number and the agency token’s seal — both signatures valid for pdfsig', async () => {
  const id = (await newDraft('ký từ xa rồi phát hành')).document.id;
  const { results } = await signOnPhone(id, 'remote-approve-0001', async (pending) => {
    await service.control.approve(pending);
  });
  assert.deepEqual(results.map((r) => r.status), ['signed'], JSON.stringify(results));
  assert.equal((await ok('outgoing.get', { id })).document.state, 'signed');
  const issued = await ok('outgoing.issue', { id, label: AGENCY, certificateId: agency.ids.agency, pin: agency.userPin });
  assert.equal(issued.document.state, 'queued');
  assert.ok(issued.document.number! >= 1);
  const file = path.join(tempDir('eoffice-remote-issued-'), 'issued.pdf');
  fs.writeFileSync(file, core.blobs.read(fileOf(id)));
  const signatures = pdfsig(file, nss);
  assert.deepEqual(signatures.map((s) => [s.commonName, s.validation, s.certificate]), [
    ['Nguyễn Văn An', 'Signature is Valid.', 'Certificate is Trusted.'],
    ['UBND xã Thử Nghiệm', 'Signature is Valid.', 'Certificate is Trusted.'],
  ]);
  assert.notEqual(qpdfCheck(file).status, 2);
  assert.ok(!logLines.some((line) => line.includes(clientSecret) || line.includes(agency.userPin)), 'no secret and no PIN in the log');
});
