// The certificates this installation trusts for signature validation: a folder in the data
// directory, <dataDir>/trust/, holding one DER file per certificate named by its SHA-256
// (<hex>.der) and nothing else, so that IT staff can see what is trusted, copy it to another
// machine and back it up with ordinary tools. A file's name is checked against its bytes when
// read: a certificate edited in place is not trusted.
//
// The store ships EMPTY. Seeding it would need the national and government CA certificates from
// a registry package with recorded provenance, and the repository has none; the user imports
// them (PEM, DER or PKCS#7 .p7b/.p7c) from settings or with `--trust` on the command line.
//
// Self-signed certificates are the trust anchors; the intermediates in the store are trusted
// through them and serve to build paths, since Vietnamese signers embed only their own
// certificate in the signature (test/fixtures/interop/PROVENANCE.md).
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as asn1 from 'asn1js';
import { AppError } from '../../common/errors.js';
import { toVnIso } from '../../common/dates.js';
import type { TrustedCertificate } from '../../common/validation.js';
import { childrenOf, readCertificate, sha256Hex, type CertificateView } from './certificates.js';

/** What path building needs: the trust anchors, and the CA certificates that may lead to them. */
export interface TrustAnchors {
  /** The self-signed certificates, DER. */
  anchors(): Uint8Array[];
  /** The other CA certificates, DER. */
  intermediates(): Uint8Array[];
}

export interface TrustStore extends TrustAnchors {
  readonly dir: string;
  list(): TrustedCertificate[];
  /** Adds every certificate in the file; returns them (with their first addedAt when already there). */
  import(bytes: Uint8Array, fileName?: string): TrustedCertificate[];
  /** Takes a certificate out; false when it was not there. Colons and case do not matter. */
  remove(fingerprint256: string): boolean;
}

const CERTIFICATE_FILE = /^([0-9a-f]{64})\.der$/;
const PKCS7_SIGNED_DATA = '1.2.840.113549.1.7.2';

export function openTrustStore(dataDir: string): TrustStore {
  const dir = path.join(dataDir, 'trust');

  function stored(): { file: string; view: CertificateView }[] {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const found: { file: string; view: CertificateView }[] = [];
    for (const name of names.sort()) {
      const match = CERTIFICATE_FILE.exec(name);
      if (!match) continue;
      const file = path.join(dir, name);
      const der = new Uint8Array(fs.readFileSync(file));
      if (sha256Hex(der) !== match[1]) continue;
      try {
        found.push({ file, view: readCertificate(der) });
      } catch {
        // Bytes that hash to their name but are no certificate were never written by import().
      }
    }
    return found;
  }

  const describe = (file: string, view: CertificateView): TrustedCertificate => ({
    subject: view.subject,
    issuer: view.issuer,
    serialNumber: view.serialNumber,
    notBefore: toVnIso(view.notBefore),
    notAfter: toVnIso(view.notAfter),
    fingerprint256: view.fingerprint256,
    isRoot: view.selfSigned,
    isCa: view.isCa,
    addedAt: toVnIso(fs.statSync(file).mtime),
  });

  return {
    dir,
    list: () => stored().map(({ file, view }) => describe(file, view)),
    anchors: () => stored().flatMap(({ view }) => (view.selfSigned ? [view.der] : [])),
    intermediates: () => stored().flatMap(({ view }) => (view.selfSigned ? [] : [view.der])),
    import(bytes, fileName = 'certificate') {
      const views = readTrustFile(bytes, fileName);
      fs.mkdirSync(dir, { recursive: true });
      return views.map((view) => {
        const file = path.join(dir, `${sha256Hex(view.der)}.der`);
        if (!fs.existsSync(file)) writeAtomically(file, view.der);
        return describe(file, view);
      });
    },
    remove(fingerprint256) {
      const hex = fingerprint256.replace(/[\s:]/g, '').toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(hex)) throw new AppError('INVALID_INPUT', `"${fingerprint256}" is not a SHA-256 fingerprint.`);
      try {
        fs.unlinkSync(path.join(dir, `${hex}.der`));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
  };
}

/**
 * The CA certificates in a file a user offers for trust: PEM (certificates or PKCS#7), DER, or a
 * DER PKCS#7 bundle. Refuses the whole file when anything in it is not a CA certificate, so that
 * a signer's certificate (or a bundle carrying one) is never made a trust anchor by mistake.
 */
export function readTrustFile(bytes: Uint8Array, fileName = 'certificate'): CertificateView[] {
  const views = readCertificateFile(bytes, fileName);
  const notCa = views.find((view) => !view.isCa);
  if (notCa) throw notCaError(notCa, fileName);
  return views;
}

/** Every certificate in a certificate file (PEM, DER or PKCS#7), CA or not; NOT_CERTIFICATE_FILE when something in it is not one. */
export function readCertificateFile(bytes: Uint8Array, fileName = 'certificate'): CertificateView[] {
  return certificatesIn(bytes, fileName).map((der) => {
    try {
      return readCertificate(der);
    } catch (error) {
      throw new AppError('NOT_CERTIFICATE_FILE', `${fileName} holds something that is not a readable X.509 certificate (${(error as Error).message}).`, { fileName });
    }
  });
}

/** The refusal of a certificate that is not a CA's; `subject` in its details is the name a person reads (CN). */
export function notCaError(view: CertificateView, fileName: string): AppError {
  return new AppError('NOT_CA_CERTIFICATE', `${fileName}: "${view.subject}" is not a CA certificate; only root and intermediate CA certificates can be trusted.`, { fileName, subject: view.commonName ?? view.subject });
}

/** Trust anchors for one run, on top of (or instead of) a store: nothing is written. */
export function withExtraCertificates(base: TrustAnchors | null, extra: readonly CertificateView[]): TrustAnchors {
  return {
    anchors: () => [...(base?.anchors() ?? []), ...extra.filter((v) => v.selfSigned).map((v) => v.der)],
    intermediates: () => [...(base?.intermediates() ?? []), ...extra.filter((v) => !v.selfSigned).map((v) => v.der)],
  };
}

function certificatesIn(bytes: Uint8Array, fileName: string): Uint8Array[] {
  const refuse = () => new AppError('NOT_CERTIFICATE_FILE', `${fileName} is not a certificate file (PEM, DER or PKCS#7 .p7b/.p7c).`, { fileName });
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN ')) {
    const found: Uint8Array[] = [];
    for (const block of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)) {
      const der = new Uint8Array(Buffer.from(block[2]!.replace(/\s+/g, ''), 'base64'));
      if (block[1] === 'CERTIFICATE' || block[1] === 'TRUSTED CERTIFICATE' || block[1] === 'X509 CERTIFICATE') found.push(der);
      else if (block[1] === 'PKCS7' || block[1] === 'CMS') found.push(...pkcs7Certificates(der) ?? []);
    }
    if (found.length === 0) throw refuse();
    return found;
  }
  const bundled = pkcs7Certificates(bytes);
  if (bundled) {
    if (bundled.length === 0) throw new AppError('NOT_CERTIFICATE_FILE', `${fileName} is a PKCS#7 file without certificates.`, { fileName });
    return bundled;
  }
  if (bytes[0] !== 0x30) throw refuse();
  return [bytes];
}

/** The certificates of a PKCS#7 SignedData, as encoded; null when `der` is no PKCS#7. */
function pkcs7Certificates(der: Uint8Array): Uint8Array[] | null {
  const parsed = asn1.fromBER(der);
  if (parsed.offset === -1) return null;
  const contentInfo = childrenOf(parsed.result);
  if (!(contentInfo[0] instanceof asn1.ObjectIdentifier) || contentInfo[0].valueBlock.toString() !== PKCS7_SIGNED_DATA || !contentInfo[1]) return null;
  const signedData = childrenOf(childrenOf(contentInfo[1])[0]!);
  // SignedData: version, digestAlgorithms, encapContentInfo, [0] IMPLICIT certificates, …
  const certificates = signedData.find((node) => node.idBlock.tagClass === 3 && node.idBlock.tagNumber === 0);
  return certificates ? childrenOf(certificates).map((node) => new Uint8Array(node.valueBeforeDecodeView)) : [];
}

/** Whole file or nothing: a temporary name in the same folder, then a rename. */
function writeAtomically(file: string, bytes: Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes, { flush: true });
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}
