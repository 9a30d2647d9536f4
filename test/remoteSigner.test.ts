// The reference remote signing service (test/remoteSigner/) spoken to directly over HTTP(S), not
// through eOffice's adapters: each protocol of main/core/signing/remote/PROTOCOLS.md, the control
// endpoint that plays the user, the fault switches, and `npm run remote-signer -- serve`.
//
// How signatures are checked: the service signs a SHA-256 hash it is given, and node:crypto's
// verify hashes its input itself. So each test makes random "signed attributes" bytes, sends
// SHA-256 of them, and verifies the returned value over those bytes with crypto.verify('sha256'):
// for RSA that checks PKCS#1 v1.5 over DigestInfo(sha256, hash), for EC an ECDSA-Sig-Value (DER)
// over the hash: exactly what the spec promises, with the certificate's public key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash, randomBytes, randomUUID, verify, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, tempDir } from './support/fixtures.js';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { startRemoteSigner, type RemoteSigner } from './remoteSigner/server.js';
import { KEYS_FILES, serveFromArgs } from './remoteSigner/serve.js';

const CLIENT_SECRET = randomBytes(18).toString('base64url');
const AP_PASSWORD = randomBytes(18).toString('base64url');
const LEADER = '079123456789';
const MSISDN = '84912345678';
const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const RSA_OID = '1.2.840.113549.1.1.1';

let token: TestToken;
let signer: RemoteSigner;

before(async () => {
  token = await createTestToken({ label: 'remote-signer-test' });
  signer = await startRemoteSigner({ token, clientSecret: CLIENT_SECRET, apPassword: AP_PASSWORD });
});

after(async () => {
  await signer?.close();
  token?.cleanup();
});

/** Bytes standing for a CMS SignedAttributes, and the hash the client would send for them. */
function toBeSigned(): { data: Buffer; hash: Buffer } {
  const data = randomBytes(96);
  return { data, hash: createHash('sha256').update(data).digest() };
}

function verifies(certificateDer: Uint8Array, data: Buffer, signatureBase64: string): boolean {
  const key = new X509Certificate(certificateDer).publicKey;
  return verify('sha256', data, { key, dsaEncoding: 'der' }, Buffer.from(signatureBase64, 'base64'));
}

async function call(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

async function form(url: string, secret: string): Promise<{ status: number; json: any }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'eoffice-test', client_secret: secret });
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: response.status, json: await response.json() };
}

const control = (action: string, body: unknown = {}) => call(`${signer.url}/control/${action}`, body);

async function smartca(server: RemoteSigner = signer): Promise<(route: string, body: unknown) => Promise<{ status: number; json: any }>> {
  const { json } = await form(`${server.url}/smartca/auth/token`, CLIENT_SECRET);
  assert.equal(json.code, 0);
  return (route, body) => call(`${server.url}/smartca${route}`, body, { authorization: `Bearer ${json.content.access_token}` });
}

async function csc(): Promise<(route: string, body: unknown) => Promise<{ status: number; json: any }>> {
  const { status, json } = await form(`${signer.url}/csc/v2/oauth2/token`, CLIENT_SECRET);
  assert.equal(status, 200);
  assert.equal(json.token_type, 'Bearer');
  return (route, body) => call(`${signer.url}/csc/v2${route}`, body, { authorization: `Bearer ${json.access_token}` });
}

const hashItems = (items: { hash: Buffer }[]) => items.map((item, index) => ({ name: `văn bản ${index + 1}.pdf`, hash: item.hash.toString('base64') }));

test('SmartCA: token, credentials, a 3-hash request approved on the phone gives signatures that verify with the RSA certificate', async () => {
  const smart = await smartca();
  const list = await smart('/csc/credentials/list', { userId: LEADER });
  assert.deepEqual(list.json.content, { credentialIds: ['smartca-an'] });
  const info = await smart('/csc/credentials/info', { credentialId: 'smartca-an', certificates: 'chain', certInfo: true });
  assert.equal(info.json.code, 0);
  assert.deepEqual(info.json.content.cert.certificates, [Buffer.from(token.signerCertDer).toString('base64'), new X509Certificate(token.caCertPem).raw.toString('base64')]);
  assert.match(info.json.content.cert.subjectDN, /CN=Nguyễn Văn An/);
  assert.deepEqual(info.json.content.key, { algo: 'rsa', len: 2048 });
  assert.equal(info.json.content.multisign, 50);

  const items = [toBeSigned(), toBeSigned(), toBeSigned()];
  const refTranId = randomUUID();
  const request = { credentialId: 'smartca-an', refTranId, description: 'Ký 12/QĐ-UBND: Về việc thử nghiệm', datas: hashItems(items) };
  const started = await smart('/csc/signature/signhash', request);
  assert.equal(started.json.code, 0);
  assert.equal(started.json.content.expiresIn, 300);
  const { tranId } = started.json.content;
  const again = await smart('/csc/signature/signhash', request);
  assert.equal(again.json.content.tranId, tranId, 'the same refTranId is the same transaction');

  const waiting = await smart('/csc/credentials/gettraninfo', { tranId });
  assert.equal(waiting.json.content.tranStatus, 4000);
  assert.equal(waiting.json.content.documents[0].sig, undefined);
  const pending = (await (await fetch(`${signer.url}/control/pending`)).json()) as { id: string; protocol: string; hashes: number; display: string }[];
  const mine = pending.filter((entry) => entry.id === tranId);
  assert.equal(mine.length, 1, 'the retried request is not a second approval');
  assert.deepEqual({ protocol: mine[0]!.protocol, hashes: mine[0]!.hashes, display: mine[0]!.display }, { protocol: 'smartca', hashes: 3, display: request.description });

  const approvalsBefore = signer.control.stats().approvals;
  const approved = await control('approve', { id: tranId });
  assert.deepEqual(approved.json, { id: tranId, state: 'approved' });
  assert.equal(signer.control.stats().approvals, approvalsBefore + 1);
  const signed = await smart('/csc/credentials/gettraninfo', { tranId });
  assert.equal(signed.json.content.tranStatus, 1);
  const documents = signed.json.content.documents as { name: string; hash: string; sig: string }[];
  assert.deepEqual(documents.map((document) => document.name), request.datas.map((data) => data.name));
  documents.forEach((document, index) => {
    assert.equal(document.hash, items[index]!.hash.toString('base64'));
    assert.equal(Buffer.from(document.sig, 'base64').length, 256);
    assert.ok(verifies(token.signerCertDer, items[index]!.data, document.sig), `signature ${index + 1} verifies`);
  });
  assert.ok(!verifies(token.signerCertDer, items[1]!.data, documents[0]!.sig), 'a signature belongs to its own hash');
  const stillSigned = await smart('/csc/credentials/gettraninfo', { tranId });
  assert.equal(stillSigned.json.content.tranStatus, 1, 'a final transaction stays final');
});

test('SmartCA: the EC agency key signs a DER ECDSA-Sig-Value; 50 hashes are one approval, 51 are refused with 1004', async () => {
  const smart = await smartca();
  assert.deepEqual((await smart('/csc/credentials/list', { userId: 'ubnd-thunghiem' })).json.content.credentialIds, ['smartca-agency']);
  const items = Array.from({ length: 50 }, toBeSigned);
  const approvalsBefore = signer.control.stats().approvals;
  const started = await smart('/csc/signature/signhash', { credentialId: 'smartca-agency', refTranId: randomUUID(), description: 'Đóng dấu', datas: hashItems(items) });
  assert.equal(started.json.code, 0);
  await control('approve', { id: started.json.content.tranId });
  assert.equal(signer.control.stats().approvals, approvalsBefore + 1, 'a batch of 50 hashes is one approval');
  const signed = await smart('/csc/credentials/gettraninfo', { tranId: started.json.content.tranId });
  const documents = signed.json.content.documents as { sig: string }[];
  assert.equal(documents.length, 50);
  documents.forEach((document, index) => {
    assert.equal(Buffer.from(document.sig, 'base64')[0], 0x30, 'a DER SEQUENCE, not raw r‖s');
    assert.ok(verifies(token.agencyCertDer, items[index]!.data, document.sig));
  });

  const tooMany = await smart('/csc/signature/signhash', { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'x', datas: hashItems(Array.from({ length: 51 }, toBeSigned)) });
  assert.equal(tooMany.status, 200);
  assert.equal(tooMany.json.code, 1004);
  const shortHash = await smart('/csc/signature/signhash', { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'x', datas: [{ name: 'a.pdf', hash: randomBytes(31).toString('base64') }] });
  assert.equal(shortHash.json.code, 1004, 'a hash of 31 bytes');
  const longDescription = await smart('/csc/signature/signhash', { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'â'.repeat(201), datas: hashItems([toBeSigned()]) });
  assert.equal(longDescription.json.code, 1004, 'a description over 200 characters');
  assert.equal(signer.control.stats().approvals, approvalsBefore + 1, 'refused requests ask no approval');
});

test('SmartCA: wrong client secret 1001, no bearer 401, unknown user 1002, credential 1003, transaction 1005', async () => {
  const wrong = await form(`${signer.url}/smartca/auth/token`, 'not-the-secret');
  assert.equal(wrong.status, 200);
  assert.equal(wrong.json.code, 1001);
  assert.equal(wrong.json.content, null);
  const unauthenticated = await call(`${signer.url}/smartca/csc/credentials/list`, { userId: LEADER }, { authorization: 'Bearer made-up' });
  assert.equal(unauthenticated.status, 401);
  const smart = await smartca();
  assert.equal((await smart('/csc/credentials/list', { userId: '000000000000' })).json.code, 1002);
  assert.equal((await smart('/csc/credentials/info', { credentialId: 'smartca-nobody' })).json.code, 1003);
  assert.equal((await smart('/csc/credentials/gettraninfo', { tranId: randomUUID() })).json.code, 1005);
});

test('SmartCA: refused on the phone is 4002, expired by control 4001; control refuses a second decision and an unknown id', async () => {
  const smart = await smartca();
  const start = async () => (await smart('/csc/signature/signhash', { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'x', datas: hashItems([toBeSigned()]) })).json.content.tranId as string;
  const refusedId = await start();
  assert.equal((await control('refuse', { id: refusedId })).json.state, 'refused');
  const refused = await smart('/csc/credentials/gettraninfo', { tranId: refusedId });
  assert.equal(refused.json.content.tranStatus, 4002);
  assert.equal(refused.json.content.documents[0].sig, undefined);
  const expiredId = await start();
  await control('expire', { id: expiredId });
  assert.equal((await smart('/csc/credentials/gettraninfo', { tranId: expiredId })).json.content.tranStatus, 4001);

  assert.equal((await control('approve', { id: refusedId })).status, 409, 'a refused request cannot be approved after');
  assert.equal((await control('approve', { id: 'no-such-transaction' })).status, 404);
  const pending = (await (await fetch(`${signer.url}/control/pending`)).json()) as { id: string }[];
  assert.ok(!pending.some((entry) => entry.id === refusedId || entry.id === expiredId));
});

test('a request not approved within expiresIn expires by itself (SmartCA 4001) and can no longer be approved', async () => {
  const shortLived = await startRemoteSigner({ token, clientSecret: CLIENT_SECRET, apPassword: AP_PASSWORD, expiresInSeconds: 1 });
  try {
    const smart = await smartca(shortLived);
    const started = await smart('/csc/signature/signhash', { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'x', datas: hashItems([toBeSigned()]) });
    assert.equal(started.json.content.expiresIn, 1);
    await sleep(1100);
    assert.equal((await smart('/csc/credentials/gettraninfo', { tranId: started.json.content.tranId })).json.content.tranStatus, 4001);
    assert.deepEqual(shortLived.control.pending(), []);
    assert.equal((await call(`${shortLived.url}/control/approve`, { id: started.json.content.tranId })).status, 409, 'too late to approve');
  } finally {
    await shortLived.close();
  }
});

test('CSC v2: info, token, credentials, authorize + signHash (A) + signPolling, approved: signatures verify; S mode after approval', async () => {
  const info = await call(`${signer.url}/csc/v2/info`, {});
  assert.equal(info.json.specs, '2.0.0.0');
  assert.ok(info.json.methods.includes('signatures/signPolling'));
  const wrong = await form(`${signer.url}/csc/v2/oauth2/token`, 'not-the-secret');
  assert.deepEqual({ status: wrong.status, error: wrong.json.error }, { status: 400, error: 'invalid_client' });
  const cscCall = await csc();
  const list = await cscCall('/credentials/list', { userID: LEADER, credentialInfo: true, certificates: 'chain', certInfo: true });
  assert.deepEqual(list.json.credentialIDs, ['csc-an']);
  const credential = list.json.credentialInfos[0];
  assert.deepEqual(credential.key, { status: 'enabled', algo: [RSA_OID], len: 2048 });
  assert.equal(credential.cert.certificates[0], Buffer.from(token.signerCertDer).toString('base64'));
  assert.equal(credential.multisign, 50);
  assert.equal((await cscCall('/credentials/list', { credentialInfo: false })).json.credentialIDs.length, 2, 'without userID: every credential');
  assert.equal((await cscCall('/credentials/info', { credentialID: 'csc-an', certificates: 'chain', certInfo: true, authInfo: true })).json.authMode, 'implicit');

  const items = [toBeSigned(), toBeSigned()];
  const hashes = items.map((item) => item.hash.toString('base64'));
  const authorized = await cscCall('/credentials/authorize', { credentialID: 'csc-an', numSignatures: 2, hashes, hashAlgorithmOID: SHA256_OID, description: 'Ký 12/QĐ-UBND' });
  assert.equal(authorized.status, 200);
  assert.equal(authorized.json.expiresIn, 300);
  const early = await cscCall('/signatures/signHash', { credentialID: 'csc-an', SAD: authorized.json.SAD, hashes, hashAlgorithmOID: SHA256_OID, signAlgo: RSA_OID, operationMode: 'S' });
  assert.deepEqual({ status: early.status, error: early.json.error }, { status: 400, error: 'invalid_request' }, 'S mode before the user approved');
  const wrongAlgorithm = await cscCall('/signatures/signHash', { credentialID: 'csc-an', SAD: authorized.json.SAD, hashes, hashAlgorithmOID: SHA256_OID, signAlgo: '1.2.840.10045.4.3.2', operationMode: 'A' });
  assert.equal(wrongAlgorithm.status, 400, 'ECDSA for an RSA key');
  const started = await cscCall('/signatures/signHash', { credentialID: 'csc-an', SAD: authorized.json.SAD, hashes, hashAlgorithmOID: SHA256_OID, signAlgo: RSA_OID, operationMode: 'A' });
  const { responseID } = started.json;
  assert.equal(typeof responseID, 'string');
  assert.deepEqual((await cscCall('/signatures/signPolling', { responseID })).json, { status: 'pending' });
  assert.equal(signer.control.pending().find((entry) => entry.id === responseID)?.hashes, 2);

  await control('approve', { id: responseID });
  const done = await cscCall('/signatures/signPolling', { responseID });
  assert.equal(done.json.status, 'done');
  assert.equal(done.json.signatures.length, 2);
  done.json.signatures.forEach((signature: string, index: number) => assert.ok(verifies(token.signerCertDer, items[index]!.data, signature)));
  const synchronous = await cscCall('/signatures/signHash', { credentialID: 'csc-an', SAD: authorized.json.SAD, hashes, hashAlgorithmOID: SHA256_OID, signAlgo: RSA_OID, operationMode: 'S' });
  assert.deepEqual(synchronous.json.signatures, done.json.signatures);
});

test('CSC v2: refused is 403 access_denied, expired 400 expired_transaction, bad token 401 invalid_token, 51 hashes invalid_request', async () => {
  const cscCall = await csc();
  const start = async () => {
    const hashes = [toBeSigned().hash.toString('base64')];
    const { json } = await cscCall('/credentials/authorize', { credentialID: 'csc-agency', numSignatures: 1, hashes, hashAlgorithmOID: SHA256_OID });
    return (await cscCall('/signatures/signHash', { credentialID: 'csc-agency', SAD: json.SAD, hashes, hashAlgorithmOID: SHA256_OID, signAlgo: '1.2.840.10045.4.3.2', operationMode: 'A' })).json.responseID as string;
  };
  const refusedId = await start();
  await control('refuse', { id: refusedId });
  const refused = await cscCall('/signatures/signPolling', { responseID: refusedId });
  assert.deepEqual({ status: refused.status, error: refused.json.error }, { status: 403, error: 'access_denied' });
  const expiredId = await start();
  await control('expire', { id: expiredId });
  const expired = await cscCall('/signatures/signPolling', { responseID: expiredId });
  assert.deepEqual({ status: expired.status, error: expired.json.error }, { status: 400, error: 'expired_transaction' });

  const badToken = await call(`${signer.url}/csc/v2/credentials/list`, {}, { authorization: 'Bearer made-up' });
  assert.deepEqual({ status: badToken.status, error: badToken.json.error }, { status: 401, error: 'invalid_token' });
  const hashes = Array.from({ length: 51 }, () => toBeSigned().hash.toString('base64'));
  const tooMany = await cscCall('/credentials/authorize', { credentialID: 'csc-an', numSignatures: 51, hashes, hashAlgorithmOID: SHA256_OID });
  assert.deepEqual({ status: tooMany.status, error: tooMany.json.error }, { status: 400, error: 'invalid_request' });
  const unknown = await cscCall('/signatures/signPolling', { responseID: 'no-such-response' });
  assert.equal(unknown.status, 400);
});

// ---- MSS over mutual TLS ----

function mssPost(body: string, options: { clientCertificate?: { cert: string; key: string } | null; action?: string } = {}): Promise<{ status: number; text: string }> {
  const url = new URL(signer.mssUrl);
  const clientCertificate = options.clientCertificate === undefined ? { cert: signer.mssTls.clientCertPem, key: signer.mssTls.clientKeyPem } : options.clientCertificate;
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        ca: signer.mssTls.caPem,
        ...(clientCertificate ?? {}),
        agent: false,
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"#${options.action ?? 'MSS_Signature'}"` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:mss="http://uri.etsi.org/TS102204/v1.1.2#"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const apInfo = (password = AP_PASSWORD) => `<mss:AP_Info AP_ID="eoffice-ap" AP_TransID="${randomUUID()}" AP_PWD="${password}" Instant="2026-12-07T10:00:00+07:00"/>`;
const msspInfo = '<mss:MSSP_Info><mss:MSSP_ID><mss:URI>http://mss.test</mss:URI></mss:MSSP_ID></mss:MSSP_Info>';

function signatureRequest(fields: { hash?: string; msisdn?: string; password?: string; display?: string } = {}): string {
  return envelope(
    `<mss:MSS_Signature><mss:MSS_SignatureReq MajorVersion="1" MinorVersion="1" MessagingMode="asynchClientServer" TimeOut="300">${apInfo(fields.password)}${msspInfo}` +
      `<mss:MobileUser><mss:MSISDN>${fields.msisdn ?? MSISDN}</mss:MSISDN></mss:MobileUser>` +
      `<mss:DataToBeSigned MimeType="application/octet-stream" Encoding="base64">${fields.hash ?? toBeSigned().hash.toString('base64')}</mss:DataToBeSigned>` +
      `<mss:DataToBeDisplayed MimeType="text/plain" Encoding="UTF-8">${fields.display ?? 'Ký 12/QĐ-UBND'}</mss:DataToBeDisplayed>` +
      '<mss:SignatureProfile><mss:mssURI>http://mss.gov.vn/profiles/sha256-hash</mss:mssURI></mss:SignatureProfile>' +
      '<mss:MSS_Format><mss:mssURI>http://uri.etsi.org/TS102204/v1.1.2#PKCS1</mss:mssURI></mss:MSS_Format></mss:MSS_SignatureReq></mss:MSS_Signature>',
  );
}

const statusQuery = (transId: string) =>
  envelope(`<mss:MSS_StatusQuery><mss:MSS_StatusReq MajorVersion="1" MinorVersion="1" MSSP_TransID="${transId}">${apInfo()}${msspInfo}</mss:MSS_StatusReq></mss:MSS_StatusQuery>`);
const statusCode = (text: string) => Number(/<mss:StatusCode Value="(\d+)"\/>/.exec(text)?.[1]);

async function mssStart(hash?: Buffer): Promise<string> {
  const { status, text } = await mssPost(signatureRequest(hash ? { hash: hash.toString('base64') } : {}));
  assert.equal(status, 200);
  assert.equal(statusCode(text), 100);
  assert.match(text, /<mss:StatusMessage>REQUEST_OK<\/mss:StatusMessage>/);
  return /MSSP_TransID="([^"]+)"/.exec(text)![1]!;
}

test('MSS: MSS_Signature 100, status 504 while waiting, 500 with a Base64Signature that verifies after approval; the certificate call', async () => {
  const chain = (await (await fetch(`${signer.url}/mss/certificate?msisdn=${MSISDN}`)).json()) as string[];
  assert.equal(chain[0], Buffer.from(token.signerCertDer).toString('base64'));
  const item = toBeSigned();
  const transId = await mssStart(item.hash);
  assert.equal(statusCode((await mssPost(statusQuery(transId), { action: 'MSS_StatusQuery' })).text), 504);
  await control('approve', { id: transId });
  const { text } = await mssPost(statusQuery(transId), { action: 'MSS_StatusQuery' });
  assert.equal(statusCode(text), 500);
  const signature = /<mss:Base64Signature>([^<]+)<\/mss:Base64Signature>/.exec(text)?.[1];
  assert.ok(signature && verifies(token.signerCertDer, item.data, signature));
  assert.ok((signer.control.stats().calls['/mss#MSS_StatusQuery'] ?? 0) >= 2);
});

test('MSS: refused 401, expired 208, PIN blocked 402; wrong AP_PWD fault 104, unknown MSISDN 105, bad DTBS and long display 101', async () => {
  const refusedId = await mssStart();
  await control('refuse', { id: refusedId });
  assert.equal(statusCode((await mssPost(statusQuery(refusedId))).text), 401);
  const expiredId = await mssStart();
  await control('expire', { id: expiredId });
  assert.equal(statusCode((await mssPost(statusQuery(expiredId))).text), 208);
  const blockedId = await mssStart();
  await control('fail', { id: blockedId, reason: 'pinBlocked' });
  assert.equal(statusCode((await mssPost(statusQuery(blockedId))).text), 402);

  const faults: [string, string, number][] = [
    ['wrong AP_PWD', signatureRequest({ password: 'wrong' }), 104],
    ['unknown MSISDN', signatureRequest({ msisdn: '84900000000' }), 105],
    ['a DTBS of 20 bytes', signatureRequest({ hash: randomBytes(20).toString('base64') }), 101],
    ['a DTBS not base64', signatureRequest({ hash: 'không phải base64' }), 101],
    ['161 characters to display', signatureRequest({ display: 'ă'.repeat(161) }), 101],
    ['not XML', 'this is not xml', 101],
  ];
  for (const [name, body, code] of faults) {
    const { status, text } = await mssPost(body);
    assert.equal(status, 500, name);
    assert.match(text, /<faultcode>soapenv:Client<\/faultcode>/, name);
    assert.equal(statusCode(text), code, name);
  }
});

test('MSS: the TLS handshake refuses a client without a certificate, or with one the test CA did not issue', async () => {
  const before = signer.control.stats().calls['/mss#MSS_Signature'] ?? 0;
  await assert.rejects(mssPost(signatureRequest(), { clientCertificate: null }), { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
  const dir = tempDir('eoffice-remote-signer-stranger-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=stranger'], { stdio: 'ignore' });
  const stranger = { cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  await assert.rejects(mssPost(signatureRequest(), { clientCertificate: stranger }), (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET' || /^ERR_SSL_/.test(error.code ?? ''), 'the server ends the handshake');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(signer.control.stats().calls['/mss#MSS_Signature'] ?? 0, before, 'neither request reached the service');
  // The MSS listener serves MSS only; the plain listener's /mss takes no signature request.
  assert.equal((await fetch(`${signer.url}/mss`, { method: 'POST', body: signatureRequest() })).status, 404);
});

// ---- faults and policy ----

test('faults: failNext answers 503 in each protocol style, dropNext destroys the socket after the work (SmartCA retry finds its transaction)', async () => {
  const smart = await smartca();
  try {
    await control('faults', { failNext: 2 });
    const first = await smart('/csc/credentials/list', { userId: LEADER });
    assert.deepEqual({ status: first.status, code: first.json.code }, { status: 503, code: 503 });
    const second = await call(`${signer.url}/csc/v2/info`, {});
    assert.deepEqual({ status: second.status, error: second.json.error }, { status: 503, error: 'temporarily_unavailable' });
    assert.equal((await smart('/csc/credentials/list', { userId: LEADER })).status, 200, 'only the next two calls');

    await control('faults', { dropNext: 1 });
    const pendingBefore = signer.control.pending().length;
    const request = { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'x', datas: hashItems([toBeSigned()]) };
    await assert.rejects(smart('/csc/signature/signhash', request), 'no answer: the socket was destroyed');
    assert.equal(signer.control.pending().length, pendingBefore + 1, 'the work was done before the answer was dropped');
    const retried = await smart('/csc/signature/signhash', request);
    assert.equal(retried.json.code, 0);
    assert.equal(signer.control.pending().length, pendingBefore + 1, 'the retry with the same refTranId made no second transaction');
    assert.ok(signer.control.pending().some((entry) => entry.id === retried.json.content.tranId));
  } finally {
    await control('faults', {});
  }
});

test('faults: latencyMs delays every call; downAfterPolls lets k polls through then answers 503 until cleared', async () => {
  const smart = await smartca();
  try {
    await control('faults', { latencyMs: 300 });
    const started = Date.now();
    await smart('/csc/credentials/list', { userId: LEADER });
    assert.ok(Date.now() - started >= 300, 'the answer came after the latency');

    const tranId = (await smart('/csc/signature/signhash', { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'x', datas: hashItems([toBeSigned()]) })).json.content.tranId;
    await control('faults', { downAfterPolls: 2 });
    assert.equal((await smart('/csc/credentials/list', { userId: LEADER })).status, 200, 'not a poll: not counted');
    assert.equal((await smart('/csc/credentials/gettraninfo', { tranId })).json.content.tranStatus, 4000);
    assert.equal((await smart('/csc/credentials/gettraninfo', { tranId })).json.content.tranStatus, 4000);
    assert.equal((await smart('/csc/credentials/gettraninfo', { tranId })).status, 503);
    assert.equal((await form(`${signer.url}/smartca/auth/token`, CLIENT_SECRET)).status, 503, 'every call, not only polls');
    const mss = await mssPost(statusQuery('whatever'));
    assert.equal(mss.status, 503);
    assert.match(mss.text, /<faultcode>soapenv:Server<\/faultcode>/);
    assert.equal((await control('faults', {})).status, 200, 'control still answers');
    assert.equal((await smart('/csc/credentials/gettraninfo', { tranId })).status, 200);
  } finally {
    await control('faults', {});
  }
  assert.equal((await control('faults', { failNext: -1 })).status, 400);
  assert.equal((await control('faults', { dropnext: 1 })).status, 400, 'a misspelt switch');
});

/**
 * On one connection: `first`, then `second` once the first answer is in; resolves with every byte
 * received, once `until` matches them.
 */
function onOneConnection(first: string, firstAnswered: RegExp, second: string, until: RegExp): Promise<string> {
  const url = new URL(signer.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let received = '';
    let sentSecond = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (until.test(received)) {
        socket.destroy();
        resolve(received);
      } else if (!sentSecond && firstAnswered.test(received)) {
        sentSecond = true;
        socket.write(second);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`the connection closed with: ${received}`)));
    socket.write(first);
  });
}

test('faults: duplicateAnswers writes a final poll answer twice on its connection; without it, once', async () => {
  const smart = await smartca();
  const { json } = await form(`${signer.url}/smartca/auth/token`, CLIENT_SECRET);
  const tranId = (await smart('/csc/signature/signhash', { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'x', datas: hashItems([toBeSigned()]) })).json.content.tranId;
  await control('approve', { id: tranId });
  const body = JSON.stringify({ tranId });
  const poll = `POST /smartca/csc/credentials/gettraninfo HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${json.content.access_token}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const stats = 'GET /control/stats HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n';
  const answers = (text: string) => text.split('"tranStatus":1').length - 1;
  try {
    const received = () => onOneConnection(poll, /"tranStatus":1/, stats, /"approvals":\d+\}$/);
    assert.equal(answers(await received()), 1);
    await control('faults', { duplicateAnswers: true });
    assert.equal(answers(await received()), 2);
  } finally {
    await control('faults', {});
  }
});

test('policy: auto approve signs new requests by itself after afterMs; auto refuse refuses them', async () => {
  const smart = await smartca();
  const start = async () => (await smart('/csc/signature/signhash', { credentialId: 'smartca-an', refTranId: randomUUID(), description: 'x', datas: hashItems([toBeSigned()]) })).json.content.tranId as string;
  const outcome = async (tranId: string) => {
    // Generous bound: the decision is due after 0 ms.
    for (let attempt = 0; attempt < 200; attempt++) {
      const status = (await smart('/csc/credentials/gettraninfo', { tranId })).json.content.tranStatus as number;
      if (status !== 4000) return status;
      await sleep(50);
    }
    return 4000;
  };
  try {
    assert.deepEqual((await control('policy', { auto: 'approve', afterMs: 0 })).json, { auto: 'approve', afterMs: 0 });
    assert.equal(await outcome(await start()), 1);
    await control('policy', { auto: 'refuse' });
    assert.equal(await outcome(await start()), 4002);
  } finally {
    await control('policy', { auto: 'none' });
  }
  assert.equal((await control('policy', { auto: 'sometimes' })).status, 400);
});

// ---- npm run remote-signer -- serve ----

test('npm run remote-signer -- serve: prints its URLs, writes the client files, answers, exits 0 on SIGTERM and removes them', async () => {
  const dir = tempDir('eoffice-remote-signer-serve-');
  const keys = path.join(dir, 'keys');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/remoteSigner/serve.ts', 'serve', '--port', '0', '--keys', keys], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /remote signer listening on (http:\/\/127\.0\.0\.1:\d+)\n[^]*MSS listening on https:\/\/127\.0\.0\.1:\d+\/mss/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening:\n${output}`)));
    });
    assert.deepEqual(fs.readdirSync(keys).sort(), [...KEYS_FILES].sort());
    const credentials = JSON.parse(fs.readFileSync(path.join(keys, 'credentials.json'), 'utf8')) as { clientSecret: string };
    assert.equal(fs.statSync(path.join(keys, 'credentials.json')).mode & 0o077, 0, 'the credentials are readable by their owner only');
    const tokenAnswer = await form(`${url}/smartca/auth/token`, credentials.clientSecret);
    assert.equal(tokenAnswer.json.code, 0);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    assert.deepEqual(fs.readdirSync(keys), []);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('serve: a command line without --keys or with a bad port exits 2 with the reason; a --keys folder that is not empty is refused', async () => {
  for (const [args, reason] of [
    [['serve', '--port', '0'], /--keys/],
    [['serve', '--port', 'x', '--keys', '/tmp/k'], /--port must be a whole number/],
    [['start', '--port', '0', '--keys', '/tmp/k'], /usage/],
  ] as [string[], RegExp][]) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/remoteSigner/serve.ts', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, reason);
  }
  const full = tempDir('eoffice-remote-signer-full-');
  fs.writeFileSync(path.join(full, 'notes.txt'), 'mine');
  await assert.rejects(serveFromArgs({ port: 0, keys: full }, () => undefined), /not empty/);
  assert.deepEqual(fs.readdirSync(full), ['notes.txt'], 'nothing of the folder touched');
  fs.rmSync(full, { recursive: true, force: true });
});
