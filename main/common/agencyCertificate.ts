// Chứng thư số của cơ quan. The agency's signature replaces its seal (Decree 30/2020), so it must
// come from the agency's own certificate: one whose holder — the subject's common name — is the
// agency, named as agency.name names it (accents, case and spacing aside, as the signer check
// compares names). A person's certificate does not qualify even when its O names the agency (CA
// certificates for officials carry their agency there), nor does the certificate that signed the
// document as the competent person. Shared by the core, which refuses, and the UI, which offers
// only the certificates that qualify.
import { AppError } from './errors.js';
import { comparableName } from './fold.js';

/** Why a certificate cannot sign as the agency. */
export type AgencyCertificateProblem = 'agency-name-unset' | 'not-the-agency' | 'competent-signer';

export interface CertificateNaming {
  subjectCommonName: string | null;
  fingerprint256: string;
}

/**
 * Null when the certificate can sign as the agency; else why not. `competentSigner` is the
 * fingerprint of the certificate that signed the document as the competent person, if any.
 */
export function agencyCertificateProblem(certificate: CertificateNaming, agencyName: string, competentSigner: string | null = null): AgencyCertificateProblem | null {
  const agency = comparableName(agencyName);
  if (!agency) return 'agency-name-unset';
  if (comparableName(certificate.subjectCommonName ?? '') !== agency) return 'not-the-agency';
  if (competentSigner !== null && certificate.fingerprint256 === competentSigner) return 'competent-signer';
  return null;
}

/** Refuses a certificate that cannot sign as the agency, saying which certificate would. */
export function assertAgencyCertificate(certificate: CertificateNaming & { subject: string }, agencyName: string, competentSigner: string | null = null): void {
  const problem = agencyCertificateProblem(certificate, agencyName, competentSigner);
  if (problem === null) return;
  if (problem === 'agency-name-unset') {
    throw new AppError('AGENCY_NOT_CONFIGURED', "Set the agency's name first: the agency's certificate is the one that bears it.");
  }
  const name = certificate.subjectCommonName ?? certificate.subject;
  const why = problem === 'competent-signer' ? 'it already signed this document as the competent person' : `its holder is not the agency "${agencyName.trim()}"`;
  throw new AppError('AGENCY_CERTIFICATE_REQUIRED', `The certificate "${name}" cannot sign as the agency: ${why}. Use the agency's token and its certificate named "${agencyName.trim()}".`, {
    agencyName: agencyName.trim(),
    certificate: name,
    reason: problem,
  });
}
