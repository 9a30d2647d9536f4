// What the user needs to know about a certificate on a token before signing with it: whose it is,
// who issued it, whether it is valid now, and whether it may sign at all.
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, KeyUsage, KeyUsageFlags, id_ce_basicConstraints, id_ce_keyUsage } from '@peculiar/asn1-x509';

export type CertificateWarning = 'expired' | 'expiring' | 'not-yet-valid' | 'ok';
export type CertificateKeyType = 'rsa' | 'ec' | 'other';

/** A certificate is flagged 'expiring' this many days before it ends: time to ask the CA to renew. */
export const EXPIRING_WITHIN_DAYS = 30;

export interface CertificateFacts {
  /** The subject, RFC 4514 style in the certificate's order: "CN=Nguyễn Văn An, O=UBND xã Thử Nghiệm, C=VN". */
  subject: string;
  subjectCommonName: string | null;
  issuer: string;
  issuerCommonName: string | null;
  /** Upper-case hex without leading zeros, as CAs print it. */
  serialNumber: string;
  validFrom: string;
  validTo: string;
  /** The KeyUsage extension's signing bits; null when the certificate has none (no restriction). */
  keyUsage: { digitalSignature: boolean; nonRepudiation: boolean } | null;
  /** digitalSignature or nonRepudiation allowed (or no KeyUsage at all). */
  canSign: boolean;
  keyType: CertificateKeyType;
  isCa: boolean;
  /** SHA-256 of the DER, upper-case hex with colons (as Windows and openssl show it). */
  fingerprint256: string;
  warning: CertificateWarning;
}

export function certificateWarning(validFrom: Date, validTo: Date, now: Date): CertificateWarning {
  if (now.getTime() < validFrom.getTime()) return 'not-yet-valid';
  if (now.getTime() > validTo.getTime()) return 'expired';
  if (validTo.getTime() - now.getTime() <= EXPIRING_WITHIN_DAYS * 86_400_000) return 'expiring';
  return 'ok';
}

/** Reads a DER certificate; throws if it is not one. */
export function certificateFacts(der: Uint8Array, now: Date = new Date()): CertificateFacts {
  const x509 = new X509Certificate(der);
  const parsed = AsnConvert.parse(der, Certificate);
  const { validity, extensions } = parsed.tbsCertificate;
  const validFrom = validity.notBefore.getTime();
  const validTo = validity.notAfter.getTime();

  let keyUsage: CertificateFacts['keyUsage'] = null;
  let isCa = false;
  for (const extension of extensions ?? []) {
    if (extension.extnID === id_ce_keyUsage) {
      const flags = AsnConvert.parse(extension.extnValue, KeyUsage).toNumber();
      keyUsage = {
        digitalSignature: (flags & KeyUsageFlags.digitalSignature) !== 0,
        nonRepudiation: (flags & KeyUsageFlags.nonRepudiation) !== 0,
      };
    } else if (extension.extnID === id_ce_basicConstraints) {
      isCa = AsnConvert.parse(extension.extnValue, BasicConstraints).cA;
    }
  }
  const keyAlgorithm = x509.publicKey.asymmetricKeyType;
  const subject = distinguishedName(x509.subject);
  const issuer = distinguishedName(x509.issuer);
  return {
    subject: subject.text,
    subjectCommonName: subject.commonName,
    issuer: issuer.text,
    issuerCommonName: issuer.commonName,
    serialNumber: x509.serialNumber.toUpperCase().replace(/^0+(?=.)/, ''),
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    keyUsage,
    canSign: keyUsage === null || keyUsage.digitalSignature || keyUsage.nonRepudiation,
    keyType: keyAlgorithm === 'rsa' ? 'rsa' : keyAlgorithm === 'ec' ? 'ec' : 'other',
    isCa,
    fingerprint256: x509.fingerprint256,
    warning: certificateWarning(validFrom, validTo, now),
  };
}

/** Node prints a name one attribute per line ("CN=…\nO=…"); shown on one line, and its CN picked out. */
function distinguishedName(multiline: string): { text: string; commonName: string | null } {
  const parts = multiline.split('\n').filter((part) => part.length > 0);
  const commonName = parts.find((part) => part.startsWith('CN='))?.slice(3) ?? null;
  return { text: parts.join(', '), commonName };
}

/** Serial numbers compare as numbers: case and leading zeros (the DER sign byte) do not matter. */
export function sameSerialNumber(a: string, b: string): boolean {
  const normalize = (serial: string) => serial.replace(/[\s:]/g, '').toUpperCase().replace(/^0+(?=.)/, '');
  return normalize(a) === normalize(b);
}

/**
 * The certificates among `candidates` that issue `certificate`, nearest first (its CA, then that
 * CA's issuer…), each checked by name and signature. Stops at a self-signed root or when no
 * issuer is found; `certificate` itself is never included.
 */
export function issuerChain(certificate: Uint8Array, candidates: readonly Uint8Array[]): Uint8Array[] {
  const parsed = candidates.map((der) => ({ der, x509: new X509Certificate(der) }));
  const chain: Uint8Array[] = [];
  const used = new Set<string>();
  let current = new X509Certificate(certificate);
  used.add(current.fingerprint256);
  for (let depth = 0; depth < 10; depth++) {
    if (current.checkIssued(current) && current.verify(current.publicKey)) break;
    const issuer = parsed.find(({ x509 }) => !used.has(x509.fingerprint256) && current.checkIssued(x509) && current.verify(x509.publicKey));
    if (!issuer) break;
    chain.push(issuer.der);
    used.add(issuer.x509.fingerprint256);
    current = issuer.x509;
  }
  return chain;
}
