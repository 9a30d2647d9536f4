// What validation reads from an X.509 certificate beyond node's X509Certificate: the CA flag and
// path length, key usages, where its revocation is published (CRL distribution points, OCSP in
// the authority information access), and the raw name and key bytes that OCSP hashes. Also the
// signature check for the signed structures a CA publishes (CRLs, OCSP responses), which node
// only offers for certificates.
import { createHash, verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1 from 'asn1js';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  id_ad_ocsp,
  id_ce_basicConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_pe_authorityInfoAccess,
  type AlgorithmIdentifier,
  type Name,
} from '@peculiar/asn1-x509';
import { certificateFacts } from '../token/certificate.js';

export interface CertificateView {
  der: Uint8Array;
  x509: X509Certificate;
  /** SHA-256 of the DER, upper-case hex with colons, as certificateFacts gives it. */
  fingerprint256: string;
  subject: string;
  issuer: string;
  commonName: string | null;
  /** The subject's O (organisation): the agency, for a Vietnamese signer certificate. */
  organization: string | null;
  /** Upper-case hex without leading zeros. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Issued by itself: its subject is its issuer and its own key verifies its signature. */
  selfSigned: boolean;
  isCa: boolean;
  /** basicConstraints pathLenConstraint, when the CA has one. */
  pathLength: number | null;
  /** KeyUsageFlags bits; null when the certificate has no KeyUsage extension (no restriction). */
  keyUsage: number | null;
  /** Extended key usage OIDs; null when there is no such extension. */
  extendedKeyUsage: string[] | null;
  /** http(s) URLs of the CRL distribution points, in the certificate's order. */
  crlUrls: string[];
  /** OCSP responder URLs from the authority information access. */
  ocspUrls: string[];
  /** The subject Name exactly as encoded, which OCSP hashes to name a CA. */
  subjectNameDer: Uint8Array;
  /** The subjectPublicKey BIT STRING's content, which OCSP hashes to name a CA's key. */
  publicKeyBits: Uint8Array;
  /** The serial number's INTEGER content bytes, as encoded. */
  serialBytes: Uint8Array;
}

const ORGANIZATION = '2.5.4.10';

const views = new Map<string, CertificateView>();

/**
 * Reads a DER certificate; throws when it is not one. Views are kept by their bytes (a few
 * hundred at most): one validation meets the same CA certificates for every signature.
 */
export function readCertificate(der: Uint8Array): CertificateView {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let view = views.get(key);
  if (!view) {
    view = parseCertificate(new Uint8Array(der));
    views.set(key, view);
    if (views.size > 512) views.delete(views.keys().next().value!);
  }
  return view;
}

function parseCertificate(der: Uint8Array): CertificateView {
  const x509 = new X509Certificate(der);
  const facts = certificateFacts(der);
  const parsed = AsnConvert.parse(der, Certificate);
  let isCa = false;
  let pathLength: number | null = null;
  let keyUsage: number | null = null;
  let extendedKeyUsage: string[] | null = null;
  const crlUrls: string[] = [];
  const ocspUrls: string[] = [];
  for (const extension of parsed.tbsCertificate.extensions ?? []) {
    const value = extension.extnValue.buffer;
    switch (extension.extnID) {
      case id_ce_basicConstraints: {
        const constraints = AsnConvert.parse(value, BasicConstraints);
        isCa = constraints.cA;
        pathLength = constraints.pathLenConstraint ?? null;
        break;
      }
      case id_ce_keyUsage:
        keyUsage = AsnConvert.parse(value, KeyUsage).toNumber();
        break;
      case id_ce_extKeyUsage:
        extendedKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)];
        break;
      case id_ce_cRLDistributionPoints:
        for (const point of AsnConvert.parse(value, CRLDistributionPoints)) {
          for (const name of point.distributionPoint?.fullName ?? []) if (name.uniformResourceIdentifier) crlUrls.push(name.uniformResourceIdentifier);
        }
        break;
      case id_pe_authorityInfoAccess:
        for (const access of AsnConvert.parse(value, AuthorityInfoAccessSyntax)) {
          if (access.accessMethod === id_ad_ocsp && access.accessLocation.uniformResourceIdentifier) ocspUrls.push(access.accessLocation.uniformResourceIdentifier);
        }
        break;
    }
  }
  const raw = rawParts(der);
  return {
    der,
    x509,
    fingerprint256: facts.fingerprint256,
    subject: facts.subject,
    issuer: facts.issuer,
    commonName: facts.subjectCommonName,
    organization: nameAttribute(parsed.tbsCertificate.subject, ORGANIZATION),
    serialNumber: facts.serialNumber,
    notBefore: new Date(facts.validFrom),
    notAfter: new Date(facts.validTo),
    selfSigned: x509.checkIssued(x509) && x509.verify(x509.publicKey),
    isCa,
    pathLength,
    keyUsage,
    extendedKeyUsage,
    crlUrls,
    ocspUrls,
    ...raw,
  };
}

function nameAttribute(name: Name, type: string): string | null {
  for (const rdn of name) for (const attribute of rdn) if (attribute.type === type) return attribute.value.toString();
  return null;
}

/** The subject Name, the key bits and the serial as encoded (re-encoding could change them). */
function rawParts(der: Uint8Array): Pick<CertificateView, 'subjectNameDer' | 'publicKeyBits' | 'serialBytes'> {
  const tbs = childrenOf(childrenOf(derNode(der))[0]!);
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, …
  const at = tbs[0]!.idBlock.tagClass === 3 ? 1 : 0;
  const spki = childrenOf(tbs[at + 5]!);
  return {
    serialBytes: new Uint8Array((tbs[at] as asn1.Integer).valueBlock.valueHexView),
    subjectNameDer: new Uint8Array(tbs[at + 4]!.valueBeforeDecodeView),
    publicKeyBits: new Uint8Array((spki[1] as asn1.BitString).valueBlock.valueHexView),
  };
}

export function derNode(bytes: Uint8Array): asn1.AsnType {
  const parsed = asn1.fromBER(bytes);
  if (parsed.offset === -1) throw new Error(`invalid DER (${parsed.result.error})`);
  return parsed.result;
}

export function childrenOf(node: asn1.AsnType): asn1.AsnType[] {
  const value = (node as asn1.Sequence).valueBlock.value;
  return Array.isArray(value) ? value : [];
}

export function canSign(view: CertificateView): boolean {
  return view.keyUsage === null || (view.keyUsage & (KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation)) !== 0;
}

export function canIssueCertificates(view: CertificateView): boolean {
  return view.keyUsage === null || (view.keyUsage & KeyUsageFlags.keyCertSign) !== 0;
}

export function canSignCrls(view: CertificateView): boolean {
  return view.keyUsage === null || (view.keyUsage & KeyUsageFlags.cRLSign) !== 0;
}

/** Serial numbers compare as integers: a leading zero (the DER sign byte) does not matter. */
export function sameSerial(a: Uint8Array, b: Uint8Array): boolean {
  const significant = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    return Buffer.from(bytes.subarray(start));
  };
  return significant(a).equals(significant(b));
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SIGNATURE_HASHES: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  // Ed25519 hashes inside the algorithm.
  '1.3.101.112': null,
};

/**
 * Whether `signature` over `signed` holds under `key` with the named algorithm (RSA PKCS#1 v1.5,
 * ECDSA or Ed25519, SHA-1 included: Vietnamese CAs still sign with it). An algorithm not listed
 * (RSA-PSS among them) does not hold, so what it signs stays unverified rather than trusted.
 */
export function signedBy(signed: Uint8Array, algorithm: AlgorithmIdentifier, signature: Uint8Array, key: KeyObject): boolean {
  const hash = SIGNATURE_HASHES[algorithm.algorithm];
  if (hash === undefined) return false;
  try {
    return verifySignature(hash, signed, key, signature);
  } catch {
    // A key of another type than the algorithm's, or a signature that is not well formed.
    return false;
  }
}
