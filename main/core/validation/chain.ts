// The signer's certificate path: from the signer certificate up to a trust anchor, through the
// certificates the signature carries and those in the trust store (Vietnamese signers embed only
// their own certificate, so the intermediates usually come from the store). Each link is checked
// by name and by signature as it is chosen; then the path as a whole: CA flags and path lengths,
// every certificate valid at the signing time, and the signer's key usage. SHA-1 certificate
// signatures are accepted: the government CAs' G1 hierarchy and many 2026 documents use them.
import { id_kp_timeStamping } from '@peculiar/asn1-x509';
import { toVnIso } from '../../common/dates.js';
import { canIssueCertificates, canSign, readCertificate, type CertificateView } from './certificates.js';
import type { TrustAnchors } from './trustStore.js';
import type { PathProblemCode, TrustStatus } from '../../common/validation.js';

export interface PathProblem {
  code: PathProblemCode;
  /** English; names the certificate. */
  message: string;
  /** Which certificate of the path: 0 is the signer's. */
  index: number;
}

export interface CertificatePath {
  trust: TrustStatus;
  /** The signer's certificate first, then its issuers; the last is the anchor when trusted. */
  certificates: CertificateView[];
  problems: PathProblem[];
}

/** What the end certificate must be allowed to do. */
export type PathPurpose = 'document-signing' | 'timestamping';

/** Sub-CAs beyond this depth are not followed: no real hierarchy comes near it, a loop would. */
const MAX_DEPTH = 8;

/**
 * Builds and checks the path for `endDer` at the time `at`. `carried` are the certificates the
 * signature (or timestamp token) carries; unreadable ones are ignored.
 */
export function certificatePath(endDer: Uint8Array, carried: readonly Uint8Array[], trust: TrustAnchors, at: Date, purpose: PathPurpose): CertificatePath {
  const readable = (ders: readonly Uint8Array[]) =>
    ders.flatMap((der) => {
      try {
        return [readCertificate(der)];
      } catch {
        return [];
      }
    });
  const anchors = readable(trust.anchors());
  const anchorPrints = new Set(anchors.map((view) => view.fingerprint256));
  const pool = new Map<string, CertificateView>();
  // Anchors first: among issuers of the same name, the trusted one is tried first.
  for (const view of [...anchors, ...readable(trust.intermediates()), ...readable(carried)]) if (!pool.has(view.fingerprint256)) pool.set(view.fingerprint256, view);

  const end = readCertificate(endDer);
  const badSignatures: PathProblem[] = [];
  let best: CertificatePath = { trust: 'no-path', certificates: [end], problems: [] };
  const rank: Record<TrustStatus, number> = { 'no-path': 0, 'untrusted-root': 1, trusted: 2 };

  // Depth first, backtracking over same-named issuers (a renewed CA keeps its name): the first
  // path to an anchor wins, else the one reaching furthest (a root we do not trust beats nothing).
  const extend = (path: CertificateView[]): boolean => {
    const current = path.at(-1)!;
    const trust: TrustStatus = anchorPrints.has(current.fingerprint256) ? 'trusted' : current.selfSigned ? 'untrusted-root' : 'no-path';
    if (rank[trust] > rank[best.trust] || (trust === best.trust && path.length > best.certificates.length)) best = { trust, certificates: [...path], problems: [] };
    if (trust !== 'no-path' || path.length > MAX_DEPTH) return trust === 'trusted';
    const inPath = new Set(path.map((view) => view.fingerprint256));
    const issuers = [...pool.values()]
      .filter((candidate) => !inPath.has(candidate.fingerprint256) && current.x509.checkIssued(candidate.x509))
      .sort((a, b) => Number(validAt(b, at)) - Number(validAt(a, at)));
    for (const issuer of issuers) {
      if (!current.x509.verify(issuer.x509.publicKey)) {
        badSignatures.push({ code: 'ISSUER_SIGNATURE_INVALID', message: `the signature on "${current.subject}" does not verify with the key of "${issuer.subject}"`, index: path.length - 1 });
        continue;
      }
      if (extend([...path, issuer])) return true;
    }
    return false;
  };
  extend([end]);

  const problems = checkPath(best.certificates, at, purpose);
  // A name match whose signature fails explains a missing path; once a path is found it is noise.
  if (best.trust === 'no-path') problems.push(...badSignatures.filter((p) => p.index === best.certificates.length - 1));
  return { ...best, problems };
}

function validAt(view: CertificateView, at: Date): boolean {
  return at.getTime() >= view.notBefore.getTime() && at.getTime() <= view.notAfter.getTime();
}

function checkPath(path: CertificateView[], at: Date, purpose: PathPurpose): PathProblem[] {
  const problems: PathProblem[] = [];
  path.forEach((view, index) => {
    const who = index === 0 ? `the ${purpose === 'timestamping' ? "timestamp authority's" : "signer's"} certificate "${view.subject}"` : `the CA certificate "${view.subject}"`;
    if (at.getTime() > view.notAfter.getTime()) {
      problems.push({ code: 'CERTIFICATE_EXPIRED', message: `${who} expired on ${toVnIso(view.notAfter)}, before the signing time ${toVnIso(at)}`, index });
    } else if (at.getTime() < view.notBefore.getTime()) {
      problems.push({ code: 'CERTIFICATE_NOT_YET_VALID', message: `${who} was valid only from ${toVnIso(view.notBefore)}, after the signing time ${toVnIso(at)}`, index });
    }
    if (index === 0) return;
    if (!view.isCa || !canIssueCertificates(view)) {
      problems.push({ code: 'ISSUER_NOT_CA', message: `${who} is not allowed to issue certificates (basicConstraints or keyUsage)`, index });
    }
    // pathLenConstraint counts the CA certificates below this one, the end certificate excluded.
    if (view.pathLength !== null && index - 1 > view.pathLength) {
      problems.push({ code: 'PATH_TOO_LONG', message: `${who} allows ${view.pathLength} CA certificate(s) below it; the path has ${index - 1}`, index });
    }
  });
  const end = path[0]!;
  if (purpose === 'document-signing' && !canSign(end)) {
    problems.push({ code: 'KEY_USAGE', message: `the signer's certificate "${end.subject}" allows neither digitalSignature nor nonRepudiation`, index: 0 });
  }
  if (purpose === 'timestamping' && !end.extendedKeyUsage?.includes(id_kp_timeStamping)) {
    problems.push({ code: 'KEY_USAGE', message: `the timestamp authority's certificate "${end.subject}" is not for timestamping (extendedKeyUsage)`, index: 0 });
  }
  return problems;
}
