// The office host's own TLS certificate, made on its first start: an EC P-256 key and a
// self-signed certificate naming the addresses it listens on, kept in the data folder (the key
// 0600). There is no CA on a commune's network to vouch for it, so the clients pin it instead:
// the person setting up compares its fingerprint, read aloud as Vietnamese syllables or scanned
// as a QR code, with what the client shows on first connection; a later change is refused.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  ExtendedKeyUsage,
  Extensions,
  GeneralName,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_kp_serverAuth,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { writeFileDurably } from '../storage/durableFile.js';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';
const VALID_YEARS = 10;

export interface HostCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate, AA:BB:… as Node writes it. */
  fingerprint256: string;
}

function extension(id: string, value: unknown, critical = false): Extension {
  return new Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** The names a client may reach the host by: this machine's name, localhost and its addresses. */
function hostNames(): GeneralName[] {
  const names = new Set<string>(['localhost', os.hostname()]);
  const addresses = new Set<string>(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) addresses.add(a.address.replace(/%.*$/, ''));
  return [...[...names].filter((n) => n && !net.isIP(n)).map((dNSName) => new GeneralName({ dNSName })), ...[...addresses].filter((a) => net.isIP(a)).map((iPAddress) => new GeneralName({ iPAddress }))];
}

function makeCertificate(agencyName: string, now: Date): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = new Name([
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: `eOffice — máy chủ văn phòng (${os.hostname()})` }) })]),
    ...(agencyName ? [new RelativeDistinguishedName([new AttributeTypeAndValue({ type: ORGANIZATION, value: new AttributeValue({ utf8String: agencyName }) })])] : []),
  ]);
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // positive
  const notBefore = new Date(now.getTime() - 60 * 60_000); // a client's clock a little behind still accepts it
  const notAfter = new Date(now.getTime() + VALID_YEARS * 365 * 86_400_000);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial.buffer.slice(serial.byteOffset, serial.byteOffset + serial.length),
    signature: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    issuer: name,
    validity: new Validity({ notBefore, notAfter }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo),
    extensions: new Extensions([
      extension(id_ce_basicConstraints, new BasicConstraints({ cA: false }), true),
      extension(id_ce_keyUsage, new KeyUsage(KeyUsageFlags.digitalSignature), true),
      extension(id_ce_extKeyUsage, new ExtendedKeyUsage([id_kp_serverAuth])),
      extension(id_ce_subjectAltName, new SubjectAlternativeName(hostNames())),
    ]),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, privateKey);
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signatureValue: signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.length),
  });
  const der = Buffer.from(AsnConvert.serialize(certificate));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export function certificatePaths(dataDir: string): { cert: string; key: string } {
  return { cert: path.join(dataDir, 'office', 'host-cert.pem'), key: path.join(dataDir, 'office', 'host-key.pem') };
}

/** The host's certificate: the one kept in the data folder, or a new one made and kept now. */
export function hostCertificate(dataDir: string, agencyName: string, now = new Date()): HostCertificate {
  const paths = certificatePaths(dataDir);
  if (!fs.existsSync(paths.cert) || !fs.existsSync(paths.key)) {
    const made = makeCertificate(agencyName, now);
    fs.mkdirSync(path.dirname(paths.cert), { recursive: true, mode: 0o700 });
    // The key first: a certificate without its key would be kept and never serve.
    writeFileDurably(paths.key, made.keyPem, 0o600);
    writeFileDurably(paths.cert, made.certPem, 0o644);
  }
  const certPem = fs.readFileSync(paths.cert, 'utf8');
  const keyPem = fs.readFileSync(paths.key, 'utf8');
  createPrivateKey(keyPem); // a damaged key is said here, not at the first client
  return { certPem, keyPem, fingerprint256: new X509Certificate(certPem).fingerprint256 };
}

// Each byte as one syllable: an initial for its high half, a rhyme for its low half, so that two
// people can read a fingerprint to each other over the phone (e.g. "đông thương ba…").
const INITIALS = ['b', 'ch', 'd', 'đ', 'h', 'l', 'm', 'n', 'nh', 'ph', 's', 't', 'th', 'tr', 'v', 'x'];
const RHYMES = ['a', 'ai', 'an', 'ang', 'anh', 'ao', 'âm', 'âu', 'en', 'ênh', 'im', 'inh', 'o', 'ông', 'ui', 'ương'];

/** The first 12 bytes of a fingerprint (96 bits) as syllables, in three groups of four. */
export function fingerprintWords(fingerprint256: string): string {
  const bytes = fingerprint256.split(':').slice(0, 12).map((hex) => parseInt(hex, 16));
  const words = bytes.map((b) => INITIALS[b >> 4]! + RHYMES[b & 15]!);
  return [words.slice(0, 4), words.slice(4, 8), words.slice(8, 12)].map((group) => group.join(' ')).join(' · ');
}

/** The fingerprint a client pins, as its hex for comparison with Node's fingerprint256. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** The fingerprint of the certificate the host keeps, without making one: null before it first served. */
export function keptHostCertificate(dataDir: string): string | null {
  try {
    return new X509Certificate(fs.readFileSync(certificatePaths(dataDir).cert, 'utf8')).fingerprint256;
  } catch {
    return null;
  }
}
