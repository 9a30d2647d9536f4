// The certificates of the plugged-in tokens as one select: the leader's signature and the
// agency's both pick from it. Certificates that cannot sign now stay listed, disabled, with why.
// Identities held by remote signing services (confirmed on the signer's phone) follow in a group
// of their own, so that the clerk sees both kinds side by side.
import type { SignerEntry } from '../../../main/common/contract.js';
import { useI18n } from '../i18n/i18n.js';
import { remoteCanSign, remoteValue } from '../signing/useRemoteSigners.js';
import { canSignWith, type TokenCertificate } from './TokensProvider.js';

export function CertificateSelect(props: {
  id: string;
  testId: string;
  certificates: readonly TokenCertificate[];
  /** The value chosen: a token certificate's fingerprint, or remoteValue() of a remote identity. */
  value: string;
  remote?: readonly SignerEntry[];
  disabled: boolean;
  onChoose(value: string): void;
}) {
  const { t } = useI18n();
  const remote = props.remote ?? [];
  return (
    <select id={props.id} data-testid={props.testId} value={props.value} disabled={props.disabled} onChange={(e) => props.onChoose(e.target.value)}>
      {props.certificates.map(({ token, certificate }) => (
        <option key={certificate.fingerprint256} value={certificate.fingerprint256} disabled={!canSignWith(certificate)}>
          {t('sign.certificateOption', { name: certificate.subjectCommonName ?? certificate.subject, token: token.label })}
          {certificate.warning === 'ok' ? '' : ` — ${t(`sign.warning.${certificate.warning}`)}`}
        </option>
      ))}
      {remote.length > 0 && (
        <optgroup label={t('sign.remoteGroup')}>
          {remote.map((entry) => (
            <option key={entry.name} value={remoteValue(entry)} disabled={!remoteCanSign(entry)} data-approval={entry.approval}>
              {t('sign.remoteOption', { name: entry.certificate.subjectCommonName ?? entry.name, source: entry.source })}
              {remoteCanSign(entry) ? '' : ` — ${t('sign.warning.expired')}`}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  );
}
