// The signature validation report as it crosses the API: what the core's validator
// (main/core/validation/report.ts) produces and what the UI and the CLI show. Plain data only.

/** What a change after a signature did (verifyChanges.ts judges it). */
export type ChangeKind = 'form-fill' | 'signature-added' | 'signature-field-added' | 'annotation-added' | 'page-content' | 'other';

export type TrustStatus = 'trusted' | 'untrusted-root' | 'no-path';

export type PathProblemCode = 'CERTIFICATE_EXPIRED' | 'CERTIFICATE_NOT_YET_VALID' | 'ISSUER_NOT_CA' | 'PATH_TOO_LONG' | 'KEY_USAGE' | 'ISSUER_SIGNATURE_INVALID';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/**
 * Why no current revocation answer could be had:
 * - 'offline': the network was not to be used, and the cache holds nothing current;
 * - 'unreachable': no service answered (name resolution, connection, time limit);
 * - 'untrusted-path': not asked, since the certificate path does not lead to a trusted certificate
 *   (the services an untrusted certificate names are the signer's choice);
 * - 'no-service': the certificate names no service eOffice may ask (none, not http(s), or not on the public internet);
 * - 'unusable-answer': a service answered, but not with an answer that can be used.
 */
export type RevocationGap = 'offline' | 'unreachable' | 'untrusted-path' | 'no-service' | 'unusable-answer';

export interface RevocationResult {
  status: RevocationStatus;
  source: 'ocsp' | 'crl' | null;
  /** The service that gave the answer. */
  url: string | null;
  /** Read from <dataDir>/revocation-cache/ rather than fetched now. */
  cached: boolean;
  /** Past its nextUpdate (or without one): the CA may have said something newer since. */
  stale: boolean;
  thisUpdate: string | null;
  nextUpdate: string | null;
  revokedAt: string | null;
  /** The CRL reason code's name (keyCompromise, superseded, …) when the CA gave one. */
  revocationReason: string | null;
  /** English: why the status is unknown, or which services failed before one answered. */
  problems: string[];
  /** Set when the status is unknown or the answer stale (when it can be said why); null otherwise. */
  unavailableBecause: RevocationGap | null;
}

export interface TrustedCertificate {
  subject: string;
  issuer: string;
  /** Upper-case hex without leading zeros. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER, upper-case hex with colons (as Windows and openssl show it). */
  fingerprint256: string;
  /** Self-signed: a trust anchor. */
  isRoot: boolean;
  /** basicConstraints cA. */
  isCa: boolean;
  /** When the file was put in the store (its modification time), +07:00. */
  addedAt: string;
}

/**
 * 'valid-revocation-unknown': intact, trusted, nothing wrong — only whether a certificate was
 * revoked could not be checked (offline, typically). Apart from 'indeterminate', which means a
 * real doubt (no trusted path, a bad timestamp…).
 */
export type ValidationStatus = 'valid' | 'valid-revocation-unknown' | 'invalid' | 'indeterminate';

export type ReasonCode =
  | 'NOT_SIGNED'
  | 'SIGNATURE_MALFORMED'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'MODIFIED_AFTER_SIGNING'
  | 'UNTRUSTED_ROOT'
  | 'NO_TRUST_PATH'
  | PathProblemCode
  | 'REVOKED'
  | 'REVOCATION_UNKNOWN'
  | 'REVOCATION_STALE'
  | 'TIMESTAMP_INVALID'
  | 'TIMESTAMP_UNTRUSTED'
  | 'NO_SIGNING_TIME';

export interface Reason {
  code: ReasonCode;
  /** What the reason does to the status: 'info' leaves a valid signature valid. */
  severity: 'invalid' | 'indeterminate' | 'info';
  /** English. */
  message: string;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
}

/** Where a change after signing falls, for the clerk: the pages themselves, annotations, form fields, signatures. */
export type ChangeArea = 'pages' | 'annotations' | 'form-fields' | 'signatures' | 'other';

export interface ChangeReport {
  revision: number;
  kind: ChangeKind;
  area: ChangeArea;
  detail: string;
  permitted: boolean;
}

export interface RevocationReport extends RevocationResult {
  /** The certificate checked. */
  subject: string;
}

export interface SignatureReport {
  fieldName: string;
  status: ValidationStatus;
  reasons: Reason[];
  signer: (CertificateSummary & { name: string | null; agency: string | null }) | null;
  /** What the signature claims (/M or the CMS signing time), +07:00. */
  claimedSigningTime: string | null;
  /** The time the certificates were judged at, +07:00, and where it comes from. */
  signingTime: string;
  signingTimeSource: 'timestamp' | 'claimed' | 'validation-time';
  subFilter: string;
  digestAlgorithm: string;
  integrity: 'valid' | 'digest-mismatch' | 'signature-invalid' | 'malformed';
  /** The revision this signature signs (1 is the document as first written) and how many the file has. */
  coverage: { revision: number | null; revisions: number; coversWholeDocument: boolean };
  certification: 1 | 2 | 3 | null;
  /** 'modified-after-signing' when a later change is not permitted by this signature or an earlier one. */
  changes: { verdict: 'none' | 'permitted' | 'modified-after-signing'; modifiedAreas: ChangeArea[]; items: ChangeReport[] };
  trust: { status: TrustStatus; path: CertificateSummary[] };
  /** The signer's certificate. */
  revocation: RevocationReport;
  /** The CA certificates between the signer and the anchor, nearest first. */
  issuerRevocation: RevocationReport[];
  timestamp: { time: string; digestMatches: boolean; signatureValid: boolean; authority: string | null; trust: TrustStatus | null; usedAsSigningTime: boolean } | null;
}

export interface ValidationReport {
  fileName: string;
  size: number;
  /** When the report was made, +07:00. */
  validatedAt: string;
  status: ValidationStatus;
  reasons: Reason[];
  signatures: SignatureReport[];
}

