// The certificates of the plugged-in tokens as one select: the leader's signature and the
// agency's both pick from it. Certificates that cannot sign now stay listed, disabled, with why.
import { useI18n } from '../i18n/i18n.js';
import { canSignWith, type TokenCertificate } from './TokensProvider.js';

export function CertificateSelect(props: {
  id: string;
  testId: string;
  certificates: readonly TokenCertificate[];
  chosen: TokenCertificate | undefined;
  disabled: boolean;
  onChoose(fingerprint256: string): void;
}) {
  const { t } = useI18n();
  return (
    <select id={props.id} data-testid={props.testId} value={props.chosen?.certificate.fingerprint256 ?? ''} disabled={props.disabled} onChange={(e) => props.onChoose(e.target.value)}>
      {props.certificates.map(({ token, certificate }) => (
        <option key={certificate.fingerprint256} value={certificate.fingerprint256} disabled={!canSignWith(certificate)}>
          {t('sign.certificateOption', { name: certificate.subjectCommonName ?? certificate.subject, token: token.label })}
          {certificate.warning === 'ok' ? '' : ` — ${t(`sign.warning.${certificate.warning}`)}`}
        </option>
      ))}
    </select>
  );
}
