// Issuing with the leader's signature made on the SIM (SIM PKI, ETSI TS 102 204, against the
// reference gateway over mutual TLS) and the agency's seal from its token (SoftHSM), through the
// API as the UI calls it. The gateway is set up as an administrator would: its address, AP_ID and
// the files of the AP's certificate, its key, the gateway's CA and the SIM's certificate; the AP
// password sealed in the data folder. The phone is played over the gateway's control endpoint:
// while it waits the draft takes no number; USER_CANCEL (401) and an expired transaction (208)
// leave the draft exactly as it was; once approved, the signature is PAdES B-B, pdfsig finds it
// valid, and it is the competent person's signature numbering and issuing rest on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../main/core/app/core.js';
import type { EventName, Output } from '../main/common/contract.js';
import { createFileSettings } from '../main/core/settings/settings.js';
import { writeSealedSecret } from '../main/core/secrets/sealedFile.js';
import { remoteSecretName } from '../main/core/signing/remote/services.js';
import { CMS_OIDS, parseSignedData } from '../main/core/pades/cms.js';
import { coreCalls } from './support/coreCalls.js';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { nssTrusting, pdfsig, qpdfCheck } from './support/pdfsig.js';
import { decisionDraftPdf, tempDir } from './support/fixtures.js';
import { startRemoteSigner, type RemoteSigner } from './remoteSigner/server.js';
import type { PendingRequest } from './remoteSigner/core.js';

const AGENCY = 'Token Cơ quan';
const MSISDN = '84912345678'; // the reference gateway's SIM: Nguyễn Văn An's RSA key
const apPassword = randomBytes(18).toString('base64url');

let agency: TestToken;
let providerHsm: TestToken;
let service: RemoteSigner;
let core: Core;
let nss: string;
let simCertificate: X509Certificate;
/** The draft signed on the SIM, numbered and issued in the last test. */
let signedId = 0;
const events: Array<{ name: EventName; payload: unknown }> = [];
const logLines: string[] = [];

before(async () => {
  agency = await createTestToken({ label: AGENCY });
  // The operator's HSM: a token of its own. Sharing the agency's token with the gateway breaks
  // both, as this PC's token service logs in and out of it around each act.
  providerHsm = await createTestToken({ label: 'Provider HSM' });
  service = await startRemoteSigner({ token: providerHsm, clientSecret: randomBytes(18).toString('base64url'), apPassword });
  simCertificate = new X509Certificate(providerHsm.signerCertDer);

  // The files the administrator places on this PC: the AP's client certificate and key, the
  // gateway's CA, and the SIM's certificate with its chain as the operator hands it over.
  const files = tempDir('eoffice-mss-files-');
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(files, name), text);
    return path.join(files, name);
  };
  const chain = await fetch(`${service.url}/mss/certificate?msisdn=${MSISDN}`);
  assert.equal(chain.status, 200);
  const chainPem = ((await chain.json()) as string[]).map((der) => new X509Certificate(Buffer.from(der, 'base64')).toString()).join('');
  const dataDir = tempDir('eoffice-mss-issuing-');
  const settings = createFileSettings(dataDir);
  settings.update({
    tokenModules: [agency.modulePath],
    remoteSigners: {
      smartca: null,
      csc: [],
      mss: {
        url: service.mssUrl,
        apId: 'eoffice-ap',
        msspId: 'http://mss.test.eoffice.vn',
        clientCertificateFile: file('ap.crt', service.mssTls.clientCertPem),
        clientKeyFile: file('ap.key', service.mssTls.clientKeyPem),
        caFile: file('gateway-ca.pem', service.mssTls.caPem),
        identities: [{ msisdn: MSISDN, certificateFile: file(`${MSISDN}.pem`, chainPem) }],
      },
    },
  });
  core = openCore({ dataDir, shell: 'web', actor: 'văn thư', settings, tokens: { pollIntervalMs: 200 } });
  writeSealedSecret(dataDir, remoteSecretName('mss'), core.secrets, apPassword);
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

/** The gateway's control endpoint, over HTTP as a developer's script would play the phone. */
async function phone<T>(method: 'GET' | 'POST', route: string, body?: object): Promise<T> {
  const answer = await fetch(`${service.url}/control/${route}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  assert.equal(answer.status, 200, `control ${route}: ${answer.status}`);
  return (await answer.json()) as T;
}

type Waiting = { batchId: string; protocol: string; display: string; documents: number; expiresAt: string };

/**
 * The leader signs the draft `id` (trích yếu `subject`) on the SIM; `onPhone` plays the phone once
 * the gateway holds the request and the UI has been told, after checking the draft meanwhile.
 */
async function signOnSim(id: number, subject: string, batchId: string, onPhone: (pending: PendingRequest) => Promise<void>): Promise<Output<'documents.sign'>> {
  const seen = events.length;
  const before = new Set((await phone<PendingRequest[]>('GET', 'pending')).map((p) => p.id));
  const signing = ok('documents.sign', { ids: [id], batchId, signer: { kind: 'mss', msisdn: MSISDN }, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  try {
    let pending: PendingRequest | undefined;
    let waiting: Waiting | undefined;
    for (let i = 0; i < 500 && !(pending && waiting); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      pending = (await phone<PendingRequest[]>('GET', 'pending')).find((p) => !before.has(p.id));
      waiting = events.slice(seen).find((e) => e.name === 'signing.waiting')?.payload as Waiting | undefined;
    }
    assert.ok(pending, 'the request reached the gateway');
    assert.equal(pending.protocol, 'mss');
    assert.equal(pending.hashes, 1);
    // DataToBeDisplayed as the gateway received it: the leader must see what he signs.
    assert.ok(pending.display.includes(subject), `the phone shows the trích yếu, not "${pending.display}"`);
    assert.ok(waiting, 'the UI was told (signing.waiting) that the request waits on the phone');
    assert.equal(waiting.batchId, batchId);
    assert.equal(waiting.protocol, 'mss');
    assert.equal(waiting.documents, 1);
    assert.equal(waiting.display, pending.display, 'the UI says what the phone shows');
    assert.ok(Date.parse(waiting.expiresAt) > Date.now(), 'the countdown runs to a time ahead');
    await onPhone(pending);
  } catch (error) {
    // Not left polling the gateway after the test has failed.
    await call('signing.cancel', { batchId });
    await signing.catch(() => undefined);
    throw error;
  }
  return signing;
}

/** While the phone has not answered: a draft, no number, and cấp số refused. */
async function assertWaitingDraft(id: number): Promise<void> {
  const meanwhile = await ok('outgoing.get', { id });
  assert.equal(meanwhile.document.state, 'draft');
  assert.equal(meanwhile.document.number, null);
  assert.equal(meanwhile.numbering.allowed, false);
  assert.equal(meanwhile.numbering.reason?.code, 'NOT_SIGNED');
  const refused = await call('outgoing.number', { id });
  assert.equal(refused.ok ? null : refused.error.code, 'NOT_SIGNED');
}

function auditKinds(detail: Output<'documents.get'>): string[] {
  return detail.events.map((e) => e.kind);
}

/** The file as documents.content gives it, written out for pdfsig and qpdf. */
async function contentFile(id: number, name: string): Promise<string> {
  const { bytes } = await ok('documents.content', { id });
  const file = path.join(tempDir('eoffice-mss-out-'), name);
  fs.writeFileSync(file, Buffer.from(bytes));
  return file;
}

test('the SIM PKI gateway configured in settings is offered in the signer list beside the agency token', async () => {
  const { signers, problems } = await ok('signers.list', {});
  assert.deepEqual(problems, []);
  const sim = signers.find((s) => s.choice.kind === 'mss');
  assert.deepEqual(sim?.choice, { kind: 'mss', msisdn: MSISDN });
  assert.equal(sim?.name, `mss:${MSISDN}`);
  assert.equal(sim?.source, 'SIM PKI');
  assert.equal(sim?.approval, 'phone');
  assert.equal(sim?.certificate.subjectCommonName, 'Nguyễn Văn An');
  assert.equal(sim?.certificate.keyType, 'rsa');
  assert.equal(sim?.certificate.fingerprint256, simCertificate.fingerprint256, "the certificate file's, as configured");
  const token = signers.find((s) => s.choice.kind === 'token' && s.choice.label === AGENCY && s.certificate.keyType === 'ec');
  assert.equal(token?.approval, 'pin');
});

test('signed on the SIM: no number while the phone waits, then a signed draft whose PAdES B-B signature pdfsig finds valid', async () => {
  const subject = 'ban hành quy chế làm việc';
  const draft = await newDraft(subject);
  const id = draft.document.id;
  assert.equal(draft.document.state, 'draft');
  const calls = service.control.stats().calls;
  const { results } = await signOnSim(id, subject, 'mss-approve-0001', async (pending) => {
    await assertWaitingDraft(id);
    assert.deepEqual(await phone('POST', 'approve', { id: pending.id }), { id: pending.id, state: 'approved' });
  });
  assert.deepEqual(results, [{ id, status: 'signed', level: 'B-B' }]);
  const after = service.control.stats().calls;
  assert.equal((after['/mss#MSS_Signature'] ?? 0) - (calls['/mss#MSS_Signature'] ?? 0), 1, 'one signature request to the gateway');

  const signed = await ok('outgoing.get', { id });
  assert.equal(signed.document.state, 'signed');
  assert.equal(signed.document.number, null, 'signing gives no number');
  assert.equal(signed.numbering.allowed, true, JSON.stringify(signed.numbering.reason));
  assert.equal(signed.numbering.competentSigner, simCertificate.fingerprint256);
  const detail = await ok('documents.get', { id });
  const signedEvents = detail.events.filter((e) => e.kind === 'signed');
  assert.equal(signedEvents.length, 1);
  assert.equal(signedEvents[0]!.details.fingerprint256, simCertificate.fingerprint256);
  assert.equal(signedEvents[0]!.details.previousSha256, draft.document.fileSha256);

  const file = await contentFile(id, 'signed-on-sim.pdf');
  // The agency's field is there, still unsigned, for the seal at issuing.
  const signatures = pdfsig(file, nss).filter((s) => s.validation !== '');
  assert.deepEqual(signatures.map((s) => [s.commonName, s.subFilter, s.validation, s.certificate, s.totalDocumentSigned]), [
    ['Nguyễn Văn An', 'ETSI.CAdES.detached', 'Signature is Valid.', 'Certificate is Trusted.', true],
  ]);
  assert.notEqual(qpdfCheck(file).status, 2);

  // PAdES B-B with the hash signed on the SIM: content type, message digest and
  // signing-certificate-v2 naming the SIM's certificate; no signing-time (the time is in /M).
  const text = fs.readFileSync(file).toString('latin1');
  const hex = /\/Contents <([0-9a-fA-F]+)>/.exec(text.slice(text.lastIndexOf('/ETSI.CAdES.detached') - 200))![1]!;
  const cms = parseSignedData(Buffer.from(hex, 'hex'));
  assert.ok(!cms.signedAttributeOids.includes(CMS_OIDS.signingTime), 'no signing-time');
  assert.deepEqual(cms.signedAttributeOids, [CMS_OIDS.contentType, CMS_OIDS.messageDigest, CMS_OIDS.signingCertificateV2]);
  assert.equal(Buffer.from(cms.signingCertificateV2!.certHash).toString('hex'), createHash('sha256').update(providerHsm.signerCertDer).digest('hex'));
  assert.equal(cms.hasEContent, false);
  assert.equal(cms.signatureAlgorithm, CMS_OIDS.sha256WithRSAEncryption);
  // The value is the SIM key's PKCS#1 signature over the signed attributes, checked with node's own crypto.
  assert.ok(verify('sha256', cms.signedAttributesDer!, simCertificate.publicKey, cms.signature), "the SIM's key signed the attributes");
  assert.ok(cms.certificates.some((c) => Buffer.from(c).equals(Buffer.from(providerHsm.signerCertDer))), "the SIM's certificate is carried");
  assert.match(text, /\/M \(D:\d{14}\+07'00'\)/, 'the signing time is in /M, Vietnam time');
  signedId = id;
});

for (const [outcome, status, code, said] of [
  ['refuse', 401, 'REMOTE_REFUSED', /refused on the phone \(84912345678\)/],
  ['expire', 208, 'REMOTE_EXPIRED', /on the phone \(84912345678\) was not made in time/],
] as const) {
  test(`the gateway answers ${status} (${outcome === 'refuse' ? 'USER_CANCEL' : 'EXPIRED_TRANSACTION'}): the draft stays as it was, ${code}`, async () => {
    const subject = `thử ký SIM bị ${outcome === 'refuse' ? 'từ chối' : 'hết hạn'}`;
    const draft = await newDraft(subject);
    const id = draft.document.id;
    const before = draft.document.fileSha256;
    assert.ok(before);
    const { results } = await signOnSim(id, subject, `mss-${outcome}-0001`, async (pending) => {
      await assertWaitingDraft(id);
      assert.deepEqual(await phone('POST', outcome, { id: pending.id }), { id: pending.id, state: outcome === 'refuse' ? 'refused' : 'expired' });
    });
    assert.equal(results.length, 1);
    const [result] = results;
    assert.equal(result!.status, 'failed');
    assert.equal(result!.error?.code, code);
    assert.match(result!.error!.message, said);
    // The ETSI status the gateway answered with is kept for whoever reads the log.
    assert.equal(result!.error?.details?.providerCode, status);
    assert.ok(!result!.error!.message.includes(apPassword));

    const after = await ok('outgoing.get', { id });
    assert.equal(after.document.state, 'draft');
    assert.equal(after.document.fileSha256, before, 'the file is the draft’s, byte for byte');
    assert.equal(after.numbering.allowed, false);
    const { bytes } = await ok('documents.content', { id });
    assert.equal(createHash('sha256').update(bytes).digest('hex'), before);
    const detail = await ok('documents.get', { id });
    assert.ok(!auditKinds(detail).includes('signed'), `no signed entry: ${auditKinds(detail).join(', ')}`);
    const { versions } = await ok('documents.files', { id });
    assert.deepEqual(versions.map((v) => [v.step, v.sha256, v.signed]), [['draft', before, false]], 'no signed version was stored');
  });
}

test("the SIM signature is the competent person's: cấp số, then phát hành with the agency token, both signatures valid", async () => {
  assert.ok(signedId, 'the draft signed on the SIM');
  const id = signedId;
  const numbered = await ok('outgoing.number', { id });
  assert.equal(numbered.document.state, 'numbered');
  assert.ok(numbered.document.number! >= 1);
  assert.match(numbered.document.notation ?? '', /\/QĐ-UBND$/);
  const numberedEvent = (await ok('documents.get', { id })).events.find((e) => e.kind === 'numbered');
  assert.equal(numberedEvent?.details.signerCertificate, simCertificate.fingerprint256, 'numbering rests on the SIM signature');
  assert.equal(numberedEvent?.details.signedBy, 'Nguyễn Văn An');

  const issued = await ok('outgoing.issue', { id, signer: { kind: 'token', label: AGENCY, certificateId: agency.ids.agency }, pin: agency.userPin });
  assert.equal(issued.document.state, 'queued');
  assert.equal(issued.document.number, numbered.document.number);
  const file = await contentFile(id, 'issued.pdf');
  assert.deepEqual(pdfsig(file, nss).map((s) => [s.commonName, s.validation, s.certificate]), [
    ['Nguyễn Văn An', 'Signature is Valid.', 'Certificate is Trusted.'],
    ['UBND xã Thử Nghiệm', 'Signature is Valid.', 'Certificate is Trusted.'],
  ]);
  assert.notEqual(qpdfCheck(file).status, 2);
  assert.ok(!logLines.some((line) => line.includes(apPassword) || line.includes(agency.userPin)), 'no AP password and no PIN in the log');
});
