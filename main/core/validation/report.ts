// The validation report of a PDF, signature by signature, for the clerk who receives it (Decree
// 30: check authenticity and integrity) and for `eoffice verify`. verifyPdfSignatures says what
// the bytes say (integrity, signer, times, what changed after each signature); this adds what
// the installation knows: the certificate path to a trust anchor in the trust store, validity at
// the signing time, revocation, and trust in the timestamp authority, and turns it all into a
// status with reasons. Reasons carry stable codes (the UI translates them) and English text.
//
// Revocation is looked for only along a trusted path: the services an untrusted certificate names
// are its sender's choice, and asking them would tell the sender who opened the document, when.
// A signature whose only shortfall is an unknown revocation status (offline, typically) is
// 'valid-revocation-unknown', a verdict apart from the real doubts of 'indeterminate'.
//
// The report is plain JSON data (strings, numbers, booleans), so that it can cross the IPC
// boundary, be stored with an incoming document and be printed by the CLI as it is.
import { toVnIso } from '../../common/dates.js';
import type { PdfSource } from '../pdf/source.js';
import { verifyPdfSignatures, type SignatureCheck } from '../pades/verify.js';
import { readRevisions } from '../pades/verifyChanges.js';
import { pdfWorker } from '../pdfWorker/pdfWorker.js';
import { readCertificate, type CertificateView } from './certificates.js';
import { certificatePath, type CertificatePath } from './chain.js';
import type { RevocationChecker } from './revocation.js';
import type { TrustAnchors } from './trustStore.js';
import type {
  CertificateSummary,
  ChangeArea,
  ChangeKind,
  PathProblemCode,
  Reason,
  ReasonCode,
  RevocationGap,
  RevocationReport,
  SignatureReport,
  ValidationReport,
  ValidationStatus,
} from '../../common/validation.js';

// The report's types live with the API contract; they are the validator's output.
export type * from '../../common/validation.js';

export interface ValidateOptions {
  trustStore: TrustAnchors;
  revocation: RevocationChecker;
  fileName?: string;
  /** The validation time (defaults to the clock): revocation freshness and documents without a signing time. */
  now?: Date;
}

/**
 * Throws DAMAGED_PDF or ENCRYPTED_PDF as verifyPdfSignatures does, and PDF_TOO_COMPLEX; everything
 * else is in the report. The file is untrusted: its bytes are read in the PDF worker, within a
 * time and memory budget (readSignatureFacts); what the installation knows is judged here.
 */
export async function validatePdf(source: PdfSource, options: ValidateOptions): Promise<ValidationReport> {
  const fileName = options.fileName ?? 'document.pdf';
  const now = options.now ?? new Date();
  const { checks, signedRevisions, revisions } = await pdfWorker().run('signatureFacts', { origin: source.origin, fileName }, fileName);
  const signatures: SignatureReport[] = [];
  for (const [index, check] of checks.entries()) {
    signatures.push(await validateSignature(check, { revision: signedRevisions[index] ?? null, revisions }, options, now));
  }
  const reasons: Reason[] =
    signatures.length === 0
      ? [{ code: 'NOT_SIGNED', severity: 'indeterminate', message: `${fileName} has no signatures` }]
      : signatures.flatMap((s) => s.reasons.filter((r) => r.severity !== 'info').map((r) => ({ ...r, message: `${s.fieldName}: ${r.message}` })));
  return { fileName, size: source.size, validatedAt: toVnIso(now), status: statusOf(reasons), reasons, signatures };
}

/** What the bytes say about a PDF's signatures: each one checked, and the revision it signs. */
export interface SignatureFacts {
  checks: SignatureCheck[];
  /** The revision each check signs (same order), null when its range ends at no revision. */
  signedRevisions: (number | null)[];
  revisions: number;
}

/** The part of validation that parses the file; run in the PDF worker (validatePdf). */
export function readSignatureFacts(source: PdfSource, fileName: string): SignatureFacts {
  const checks = verifyPdfSignatures(source, fileName);
  const revisions = checks.length > 0 ? readRevisions(source) : [];
  const signedRevisions = checks.map((check) => revisions.find((r) => check.revisionEnd >= r.eofEnd && check.revisionEnd <= r.end)?.number ?? null);
  return { checks, signedRevisions, revisions: revisions.length };
}

/** The reasons that say only that the revocation status is not known now. */
const REVOCATION_NOT_KNOWN: readonly ReasonCode[] = ['REVOCATION_UNKNOWN', 'REVOCATION_STALE'];

function statusOf(reasons: readonly Reason[]): ValidationStatus {
  if (reasons.some((r) => r.severity === 'invalid')) return 'invalid';
  const doubts = reasons.filter((r) => r.severity === 'indeterminate');
  if (doubts.length === 0) return 'valid';
  return doubts.every((r) => REVOCATION_NOT_KNOWN.includes(r.code)) ? 'valid-revocation-unknown' : 'indeterminate';
}

const PATH_PROBLEM_SEVERITY: Record<PathProblemCode, Reason['severity']> = {
  CERTIFICATE_EXPIRED: 'invalid',
  CERTIFICATE_NOT_YET_VALID: 'invalid',
  ISSUER_NOT_CA: 'invalid',
  PATH_TOO_LONG: 'invalid',
  KEY_USAGE: 'invalid',
  // Only reported when no path was found: the path is missing rather than proven false.
  ISSUER_SIGNATURE_INVALID: 'indeterminate',
};

async function validateSignature(check: SignatureCheck, coverage: { revision: number | null; revisions: number }, options: ValidateOptions, now: Date): Promise<SignatureReport> {
  const reasons: Reason[] = [];
  const add = (code: ReasonCode, severity: Reason['severity'], message: string) => reasons.push({ code, severity, message });

  if (check.integrity === 'digest-mismatch') add('DIGEST_MISMATCH', 'invalid', check.problem ?? 'the signed bytes were changed after signing');
  else if (check.integrity === 'signature-invalid') add('SIGNATURE_INVALID', 'invalid', check.problem ?? "the signature value does not verify with the signer's certificate");
  else if (check.integrity === 'malformed') add('SIGNATURE_MALFORMED', 'invalid', check.problem ?? 'the signature cannot be read');

  const changes = changeReport(check);
  if (changes.verdict === 'modified-after-signing') {
    const refused = changes.items.filter((c) => !c.permitted).map((c) => `revision ${c.revision}: ${c.detail}`);
    add('MODIFIED_AFTER_SIGNING', 'invalid', `the document was modified after signing in ways the signature does not permit (${refused.join('; ')})`);
  }

  const timestamp = timestampReport(check, options.trustStore, reasons);
  const claimed = check.signingTime;
  let signingTime: Date;
  let signingTimeSource: SignatureReport['signingTimeSource'];
  if (timestamp?.usedAsSigningTime) {
    signingTime = new Date(timestamp.time);
    signingTimeSource = 'timestamp';
  } else if (claimed) {
    signingTime = new Date(claimed);
    signingTimeSource = 'claimed';
  } else {
    signingTime = now;
    signingTimeSource = 'validation-time';
    add('NO_SIGNING_TIME', 'info', 'the signature states no signing time; the certificates are judged at the validation time');
  }

  let path: CertificatePath | null = null;
  let signerView: CertificateView | null = null;
  if (check.signer) {
    signerView = readCertificate(check.signer.certificateDer);
    path = certificatePath(check.signer.certificateDer, check.chain, options.trustStore, signingTime, 'document-signing');
    if (path.trust === 'untrusted-root') add('UNTRUSTED_ROOT', 'indeterminate', `the certificate path ends at "${path.certificates.at(-1)!.subject}", which is not in the trust store`);
    else if (path.trust === 'no-path') add('NO_TRUST_PATH', 'indeterminate', `no certificate path leads from "${path.certificates.at(-1)!.subject}" to its issuer "${path.certificates.at(-1)!.issuer}": import that CA certificate into the trust store`);
    for (const problem of path.problems) add(problem.code, PATH_PROBLEM_SEVERITY[problem.code], problem.message);
  }

  const { revocation, issuerRevocation } = await revocationReports(path, options.revocation, now);
  const everyRevocation = [revocation, ...issuerRevocation];
  const revoked = everyRevocation.find((r) => r.status === 'revoked');
  // Not looked for along an untrusted path: the path is the reason (UNTRUSTED_ROOT, NO_TRUST_PATH).
  const unknownRevocation = everyRevocation.find((r) => r.status === 'unknown' && r.unavailableBecause !== 'untrusted-path');
  const stale = everyRevocation.find((r) => r.status === 'good' && r.stale);
  if (revoked) {
    add('REVOKED', 'invalid', `"${revoked.subject}" was revoked${revoked.revokedAt ? ` on ${revoked.revokedAt}` : ''}${revoked.revocationReason ? ` (${revoked.revocationReason})` : ''}, according to ${revoked.source === 'ocsp' ? 'OCSP' : 'the CRL'} ${revoked.url}${revoked.cached ? ' (cached answer)' : ''}`);
  } else if (unknownRevocation) {
    add('REVOCATION_UNKNOWN', 'indeterminate', `the revocation status of "${unknownRevocation.subject}" is unknown: ${unknownRevocation.problems.join('; ')}`);
  } else if (stale) {
    add('REVOCATION_STALE', 'indeterminate', `the only revocation answer for "${stale.subject}" is a cached one past its next update (${stale.nextUpdate ?? 'none given'})`);
  }

  const signerSummary = signerView ? { ...summary(signerView), name: signerView.commonName, agency: signerView.organization } : null;
  return {
    fieldName: check.fieldName,
    status: statusOf(reasons),
    reasons,
    signer: signerSummary,
    claimedSigningTime: claimed,
    signingTime: toVnIso(signingTime),
    signingTimeSource,
    subFilter: check.subFilter,
    digestAlgorithm: check.digestAlgorithm,
    integrity: check.integrity,
    coverage: { ...coverage, coversWholeDocument: check.coversWholeDocument },
    certification: check.certification,
    changes,
    trust: { status: path?.trust ?? 'no-path', path: path?.certificates.map(summary) ?? [] },
    revocation,
    issuerRevocation,
    timestamp,
  };
}

function summary(view: CertificateView): CertificateSummary {
  return { subject: view.subject, issuer: view.issuer, serialNumber: view.serialNumber, fingerprint256: view.fingerprint256, notBefore: toVnIso(view.notBefore), notAfter: toVnIso(view.notAfter) };
}

const AREA_OF: Record<ChangeKind, ChangeArea> = {
  'form-fill': 'form-fields',
  'signature-added': 'signatures',
  'signature-field-added': 'signatures',
  'annotation-added': 'annotations',
  'page-content': 'pages',
  other: 'other',
};

function changeReport(check: SignatureCheck): SignatureReport['changes'] {
  const items = check.laterChanges.changes.map((c) => ({ revision: c.revision, kind: c.kind, area: AREA_OF[c.kind], detail: c.detail, permitted: c.permitted }));
  const modifiedAreas = [...new Set(items.filter((c) => !c.permitted).map((c) => c.area))];
  const verdict = check.laterChanges.verdict === 'not-permitted' ? 'modified-after-signing' : check.laterChanges.verdict;
  return { verdict, modifiedAreas, items };
}

/**
 * The timestamp, and whether it proves the signing time: its imprint and TSA signature hold and
 * the TSA's certificate leads to a trust anchor. Otherwise the claimed time is used instead.
 */
function timestampReport(check: SignatureCheck, trust: TrustAnchors, reasons: Reason[]): SignatureReport['timestamp'] {
  const stamp = check.timestamp;
  if (!stamp) return null;
  const base = { time: stamp.time, digestMatches: stamp.digestMatches, signatureValid: stamp.signatureValid };
  if (!stamp.digestMatches || !stamp.signatureValid) {
    reasons.push({
      code: 'TIMESTAMP_INVALID',
      severity: 'indeterminate',
      message: stamp.digestMatches ? "the timestamp authority's signature on the timestamp does not verify" : 'the timestamp does not match the signature it claims to date',
    });
    return { ...base, authority: null, trust: null, usedAsSigningTime: false };
  }
  if (!stamp.tsaCertificate) {
    reasons.push({ code: 'TIMESTAMP_UNTRUSTED', severity: 'info', message: "the timestamp does not carry its authority's certificate; the claimed signing time is used" });
    return { ...base, authority: null, trust: null, usedAsSigningTime: false };
  }
  const tsa = readCertificate(stamp.tsaCertificate);
  const path = certificatePath(stamp.tsaCertificate, stamp.certificates, trust, new Date(stamp.time), 'timestamping');
  const usable = path.trust === 'trusted' && path.problems.length === 0;
  if (!usable) {
    const why = path.trust !== 'trusted' ? `its certificate path is not trusted (${path.trust})` : path.problems.map((p) => p.message).join('; ');
    reasons.push({ code: 'TIMESTAMP_UNTRUSTED', severity: 'info', message: `the timestamp authority "${tsa.commonName ?? tsa.subject}" cannot be relied on: ${why}; the claimed signing time is used` });
  }
  return { ...base, authority: tsa.commonName ?? tsa.subject, trust: path.trust, usedAsSigningTime: usable };
}

async function revocationReports(path: CertificatePath | null, checker: RevocationChecker, now: Date): Promise<{ revocation: RevocationReport; issuerRevocation: RevocationReport[] }> {
  const missing = (subject: string, why: string, unavailableBecause: RevocationGap): RevocationReport => ({
    subject,
    status: 'unknown',
    source: null,
    url: null,
    cached: false,
    stale: false,
    thisUpdate: null,
    nextUpdate: null,
    revokedAt: null,
    revocationReason: null,
    problems: [why],
    unavailableBecause,
  });
  if (!path) return { revocation: missing('', "the signer's certificate cannot be read", 'no-service'), issuerRevocation: [] };
  if (path.trust !== 'trusted') {
    return { revocation: missing(path.certificates[0]!.subject, 'not checked: the certificate path does not lead to a trusted certificate, so the services it names are not asked', 'untrusted-path'), issuerRevocation: [] };
  }
  const reports: RevocationReport[] = [];
  // Every certificate but a self-signed root: the CA's own key vouches for a root, nothing revokes it.
  for (const [index, view] of path.certificates.entries()) {
    const issuer = path.certificates[index + 1];
    if (!issuer) {
      if (!view.selfSigned) reports.push(missing(view.subject, "the issuer's certificate is not available, so no CRL or OCSP answer can be checked", 'no-service'));
      break;
    }
    reports.push({ subject: view.subject, ...(await checker.check(view, issuer, now)) });
  }
  const [revocation, ...issuerRevocation] = reports;
  return { revocation: revocation ?? missing(path.certificates[0]!.subject, 'the certificate is self-signed', 'no-service'), issuerRevocation };
}
