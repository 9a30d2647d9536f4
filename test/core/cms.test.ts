// The CMS SignedData of a PAdES B-B signature, checked by parsing it back and by verifying it
// with the openssl CLI, an implementation that shares no code with ours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, verify, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addTimestampToken, buildSignedData, CMS_OIDS, parseSignedData, signatureValue } from '../../main/core/pades/cms.js';
import type { SigningKey } from '../../main/core/token/signingKey.js';
import { fileSigningKey } from '../support/fileKey.js';
import { createTestCa, type TestCertificate } from '../support/testCa.js';

const ca = createTestCa();
const CONTENT = new TextEncoder().encode('Công văn số 123/UBND-VP về việc ký số văn bản điện tử.\n');
const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

let fileCount = 0;
function writeTemp(name: string, bytes: Uint8Array): string {
  const file = path.join(ca.dir, `${++fileCount}-${name}`);
  fs.writeFileSync(file, bytes);
  return file;
}

function opensslVerify(cms: Uint8Array, content: Uint8Array): { ok: boolean; stderr: string } {
  const run = spawnSync(
    'openssl',
    ['cms', '-verify', '-binary', '-inform', 'DER', '-in', writeTemp('sig.der', cms), '-content', writeTemp('data.bin', content), '-CAfile', ca.root.certPath, '-purpose', 'any', '-out', '/dev/null'],
    { encoding: 'utf8' },
  );
  return { ok: run.status === 0 && run.stderr.includes('Verification successful'), stderr: run.stderr };
}

/** The signer key, recording the bytes it was asked to sign. */
function recordingKey(signer: TestCertificate): { key: SigningKey; signed: Uint8Array[] } {
  const inner = fileSigningKey(signer.keyPem, signer.certDer, ca.chain);
  const signed: Uint8Array[] = [];
  return { signed, key: { ...inner, sign: (data) => (signed.push(data.slice()), inner.sign(data)) } };
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

/** The issuer Name of a certificate as openssl's asn1parse delimits it: TBSCertificate's fourth element. */
function issuerFromOpenssl(certDerPath: string): { bytes: Uint8Array; stringTypes: string[] } {
  const der = fs.readFileSync(certDerPath);
  const lines = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', certDerPath], { encoding: 'utf8' }).split('\n');
  const entries = lines
    .map((line) => /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+\w+:\s*(\S+)/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ offset: Number(match[1]), depth: Number(match[2]), header: Number(match[3]), length: Number(match[4]), type: match[5]! }));
  const issuer = entries.filter((entry) => entry.depth === 2)[3]!;
  const end = issuer.offset + issuer.header + issuer.length;
  return {
    bytes: new Uint8Array(der.subarray(issuer.offset, end)),
    stringTypes: entries.filter((entry) => entry.offset > issuer.offset && entry.offset < end && entry.type.endsWith('STRING')).map((entry) => entry.type),
  };
}

for (const keyType of ['rsa', 'ec'] as const) {
  test(`${keyType}: the CMS is a detached B-B SignedData that openssl verifies, and not over other content`, async () => {
    const signer = ca[keyType];
    const { key, signed } = recordingKey(signer);
    const digest = sha256(CONTENT);
    const cms = await buildSignedData(key, digest);
    const parsed = parseSignedData(cms);

    assert.equal(parsed.version, 1);
    assert.deepEqual(parsed.digestAlgorithms, [CMS_OIDS.sha256]);
    assert.equal(parsed.eContentType, CMS_OIDS.data);
    assert.equal(parsed.hasEContent, false, 'detached');
    assert.equal(parsed.signerInfoVersion, 1);
    assert.equal(parsed.digestAlgorithm, CMS_OIDS.sha256);

    assert.deepEqual([...parsed.signedAttributeOids].sort(), [CMS_OIDS.contentType, CMS_OIDS.messageDigest, CMS_OIDS.signingCertificateV2].sort());
    assert.ok(!parsed.signedAttributeOids.includes('1.2.840.113549.1.9.5'), 'no signing-time');
    assert.equal(parsed.contentType, CMS_OIDS.data);
    assert.equal(hex(parsed.messageDigest!), hex(digest));
    assert.deepEqual(parsed.unsignedAttributeOids, []);

    const essCertId = parsed.signingCertificateV2!;
    assert.equal(hex(essCertId.certHash), hex(sha256(signer.certDer)));
    assert.equal(essCertId.hashAlgorithm, CMS_OIDS.sha256);
    const signingCertValue = parsed.signedAttributes.find((attribute) => attribute.type === CMS_OIDS.signingCertificateV2)!.values[0]!;
    assert.ok(!contains(signingCertValue, Buffer.from('0609608648016503040201', 'hex')), 'hashAlgorithm left out: SHA-256 is the default');
    assert.ok('issuer' in parsed.sid);
    assert.equal(hex(essCertId.issuerSerial!.serialNumber), hex(parsed.sid.serialNumber));
    assert.equal(essCertId.issuerSerial!.issuer[2], 0xa4, 'GeneralNames holds one directoryName');
    assert.ok(hex(essCertId.issuerSerial!.issuer).endsWith(hex(parsed.sid.issuer)));

    // What the key signed is the 0x31 form of exactly the embedded [0] attributes, in DER order.
    assert.equal(signed.length, 1);
    assert.equal(signed[0]![0], 0x31);
    assert.equal(hex(signed[0]!), hex(parsed.signedAttributesDer!));
    assert.ok(contains(cms, Buffer.concat([Buffer.from([0xa0]), signed[0]!.subarray(1)])));
    assert.ok(verify('sha256', signed[0]!, new X509Certificate(signer.certDer).publicKey, parsed.signature));

    const algorithm = keyType === 'rsa' ? '06092a864886f70d01010b0500' : '06082a8648ce3d040302';
    assert.equal(parsed.signatureAlgorithm, keyType === 'rsa' ? CMS_OIDS.sha256WithRSAEncryption : CMS_OIDS.ecdsaWithSha256);
    assert.ok(hex(cms).includes(`30${(algorithm.length / 2).toString(16).padStart(2, '0')}${algorithm}`), 'RSA with NULL parameters, ECDSA with none');

    assert.equal(parsed.certificates.length, 2, 'the signer and the intermediate');
    assert.ok(parsed.certificates.some((certificate) => hex(certificate) === hex(signer.certDer)));
    assert.ok(parsed.certificates.some((certificate) => hex(certificate) === hex(ca.intermediate.certDer)));

    const verified = opensslVerify(cms, CONTENT);
    assert.ok(verified.ok, verified.stderr);
    const tampered = CONTENT.slice();
    tampered[5]! ^= 0x01;
    assert.equal(opensslVerify(cms, tampered).ok, false, 'one changed byte of content fails');
  });
}

test('the sid and the ESSCertIDv2 carry the issuer Name verbatim, PrintableString and UTF8String mixed', async () => {
  const issuer = issuerFromOpenssl(ca.rsa.certDerPath);
  assert.ok(issuer.stringTypes.includes('PRINTABLESTRING') && issuer.stringTypes.includes('UTF8STRING'), issuer.stringTypes.join(','));
  const parsed = parseSignedData(await buildSignedData(fileSigningKey(ca.rsa.keyPem, ca.rsa.certDer, ca.chain), sha256(CONTENT)));
  assert.ok('issuer' in parsed.sid);
  assert.equal(hex(parsed.sid.issuer), hex(issuer.bytes));
  assert.ok(hex(parsed.signingCertificateV2!.issuerSerial!.issuer).endsWith(hex(issuer.bytes)));
  // The serial's top bit is set: its content octets keep the leading zero.
  assert.equal(hex(parsed.sid.serialNumber), '008f3a5c0011223344556677');
});

test('the chain and extra certificates are carried once each, as a DER SET OF', async () => {
  const key = fileSigningKey(ca.ec.keyPem, ca.ec.certDer, ca.chain);
  const cms = await buildSignedData(key, sha256(CONTENT), { extraCertificates: [ca.intermediate.certDer, ca.root.certDer, ca.ec.certDer] });
  const { certificates } = parseSignedData(cms);
  assert.deepEqual(certificates.map(hex).sort(), [ca.ec.certDer, ca.intermediate.certDer, ca.root.certDer].map(hex).sort());
  for (let i = 1; i < certificates.length; i++) assert.ok(Buffer.compare(Buffer.from(certificates[i - 1]!), Buffer.from(certificates[i]!)) < 0);
  const verified = opensslVerify(cms, CONTENT);
  assert.ok(verified.ok, verified.stderr);
});

test('a timestamp token goes in as an unsigned attribute and the signature still verifies', async () => {
  const cms = await buildSignedData(fileSigningKey(ca.rsa.keyPem, ca.rsa.certDer, ca.chain), sha256(CONTENT));
  // Any DER ContentInfo serves as the token here; a real one comes from a TSA.
  const token = await buildSignedData(fileSigningKey(ca.ec.keyPem, ca.ec.certDer), sha256(signatureValue(cms)));
  const before = parseSignedData(cms);
  assert.equal(hex(signatureValue(cms)), hex(before.signature));

  const stamped = addTimestampToken(cms, token);
  const after = parseSignedData(stamped);
  assert.deepEqual(after.unsignedAttributeOids, [CMS_OIDS.timeStampToken]);
  assert.deepEqual(after.timestampTokens.map(hex), [hex(token)]);
  assert.equal(hex(after.signedAttributesDer!), hex(before.signedAttributesDer!));
  assert.equal(hex(after.signature), hex(before.signature));
  assert.deepEqual(after.certificates.map(hex), before.certificates.map(hex));
  assert.ok(stamped.length > cms.length);
  const verified = opensslVerify(stamped, CONTENT);
  assert.ok(verified.ok, verified.stderr);

  const twice = parseSignedData(addTimestampToken(stamped, cms));
  assert.equal(twice.timestampTokens.length, 2);
  assert.throws(() => addTimestampToken(cms, new Uint8Array([1, 2, 3])), /timestamp token/);
});

test('a CMS made by openssl parses: subjectKeyIdentifier sid, signing-time, verbatim signed attributes, /Contents padding', () => {
  const signed = spawnSync('openssl', [
    'cms', '-sign', '-binary', '-outform', 'DER', '-md', 'sha256', '-cades', '-keyid', '-signer', ca.rsa.certPath, '-inkey', ca.rsa.keyPath,
    '-certfile', ca.intermediate.certPath, '-in', writeTemp('data.bin', CONTENT),
  ]);
  assert.equal(signed.status, 0, signed.stderr.toString());
  // A PDF's /Contents holds the CMS followed by zeros up to the reserved size.
  const padded = Buffer.concat([signed.stdout, Buffer.alloc(512)]);
  const parsed = parseSignedData(padded);

  const skiText = execFileSync('openssl', ['x509', '-in', ca.rsa.certPath, '-noout', '-ext', 'subjectKeyIdentifier'], { encoding: 'utf8' });
  const ski = /([0-9A-F]{2}(?::[0-9A-F]{2})+)/.exec(skiText)![1]!.replaceAll(':', '').toLowerCase();
  assert.ok('subjectKeyIdentifier' in parsed.sid);
  assert.equal(hex(parsed.sid.subjectKeyIdentifier), ski);
  assert.equal(parsed.signerInfoVersion, 3);
  assert.ok(parsed.signedAttributeOids.includes(CMS_OIDS.signingTime));
  assert.equal(hex(parsed.messageDigest!), hex(sha256(CONTENT)));
  assert.equal(hex(parsed.signingCertificateV2!.certHash), hex(sha256(ca.rsa.certDer)));
  assert.equal(parsed.hasEContent, false);
  assert.ok(verify('sha256', parsed.signedAttributesDer!, new X509Certificate(ca.rsa.certDer).publicKey, parsed.signature));

  const attached = execFileSync('openssl', ['cms', '-sign', '-binary', '-outform', 'DER', '-md', 'sha256', '-nodetach', '-signer', ca.ec.certPath, '-inkey', ca.ec.keyPath, '-in', writeTemp('data.bin', CONTENT)]);
  assert.equal(parseSignedData(attached).hasEContent, true);
});

test('a wrong digest, a key that is not the certificate’s, or a raw ECDSA signature is refused', async () => {
  const rsa = fileSigningKey(ca.rsa.keyPem, ca.rsa.certDer, ca.chain);
  await assert.rejects(buildSignedData(rsa, new Uint8Array(20)), /32 bytes/);
  await assert.rejects(buildSignedData(fileSigningKey(ca.rsa.keyPem, ca.ec.certDer), sha256(CONTENT)), /certificate holds a ec key/);
  await assert.rejects(buildSignedData(fileSigningKey(ca.rsa.keyPem, ca.intermediate.certDer), sha256(CONTENT)), /do not match/);
  const ec = fileSigningKey(ca.ec.keyPem, ca.ec.certDer);
  const rawEcdsa: SigningKey = { ...ec, sign: async () => new Uint8Array(64).fill(7) };
  await assert.rejects(buildSignedData(rawEcdsa, sha256(CONTENT)), /not a DER ECDSA-Sig-Value/);
  assert.throws(() => parseSignedData(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])), /not valid DER|SignedData/);
});
