// The certificates that may sign as the agency (the seal, an attachment): only the agency's own,
// by the rule the host enforces (main/common/agencyCertificate.ts), whether a token holds them or
// a remote signing service does. The others are left out of the choice, and a note under it says
// why, so that a clerk who sees no certificate knows what to plug in or to set.
import { agencyCertificateProblem, type CertificateNaming } from '../../../main/common/agencyCertificate.js';
import { useI18n } from '../i18n/i18n.js';
import type { TokenCertificate } from './TokensProvider.js';

export interface AgencyCertificates<Entry = TokenCertificate> {
  /** The certificates that can sign as the agency. */
  offered: Entry[];
  /** Left out: personal certificates (their holder is not the agency). */
  personal: number;
  /** Left out: the certificate that signed the document as the competent person. */
  competent: boolean;
  /** No agency name yet: no certificate can be recognised as the agency's. */
  nameUnset: boolean;
}

/** A token's certificates (TokenCertificate) or remote identities (SignerEntry): both carry theirs. */
export function agencyCertificates<Entry extends { certificate: CertificateNaming }>(certificates: readonly Entry[], agencyName: string, competentSigner: string | null = null): AgencyCertificates<Entry> {
  const out: AgencyCertificates<Entry> = { offered: [], personal: 0, competent: false, nameUnset: false };
  for (const entry of certificates) {
    const problem = agencyCertificateProblem(entry.certificate, agencyName, competentSigner);
    if (problem === null) out.offered.push(entry);
    else if (problem === 'agency-name-unset') out.nameUnset = true;
    else if (problem === 'competent-signer') out.competent = true;
    else out.personal += 1;
  }
  return out;
}

/** Why certificates on the tokens (or remote ones) are not offered for the agency's signature. */
export function AgencyCertificateNote({ choice, agencyName }: { choice: AgencyCertificates<unknown>; agencyName: string }) {
  const { t, count } = useI18n();
  const lines: string[] = [];
  if (choice.nameUnset) lines.push(t('agencyCertificate.nameUnset'));
  else {
    if (choice.offered.length === 0) lines.push(t('agencyCertificate.none', { agencyName: agencyName.trim() }));
    if (choice.personal > 0) lines.push(t('agencyCertificate.personalHidden', { count: count(choice.personal), agencyName: agencyName.trim() }));
    if (choice.competent) lines.push(t('agencyCertificate.competentHidden'));
  }
  if (lines.length === 0) return null;
  return (
    <span className={choice.offered.length === 0 ? 'field-error' : 'field-hint'} data-testid="agency-certificate-note">
      {lines.join(' ')}
    </span>
  );
}
