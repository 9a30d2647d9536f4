// Chữ ký số: the tokens plugged in, their certificates (with how long each is still valid), the
// login state, and the token libraries eOffice uses. It follows the host's token.changed events,
// so a token plugged in or pulled out shows within a couple of seconds.
import { useState } from 'react';
import type { TokenCertificateInfo, TokenInfo } from '../../../main/common/contract.js';
import { formatDateVn, vnDate } from '../../../main/common/dates.js';
import { allowedHere, call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { useTokens } from '../tokens/TokensProvider.js';
import { CertificateImagesDialog } from './CertificateImagesDialog.js';
import { PinDialog } from './PinDialog.js';

/** A certificate's last day, as a date in Vietnam. */
export function certificateDay(iso: string): string {
  return formatDateVn(vnDate(new Date(iso)));
}

export function TokenPanel() {
  const { t, errorMessage } = useI18n();
  const { overview, error } = useTokens();
  const [loginFor, setLoginFor] = useState<TokenInfo | null>(null);
  const [imagesFor, setImagesFor] = useState<TokenCertificateInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const tokens = overview?.tokens ?? [];
  const brokenModules = (overview?.modules ?? []).filter((m) => m.error);
  // The dialog follows the token's live state (its PIN counters change after a wrong PIN).
  const loginToken = loginFor && (tokens.find((tk) => tk.label === loginFor.label && tk.serial === loginFor.serial) ?? loginFor);

  async function logout(token: TokenInfo) {
    setNotice(null);
    setActionError(null);
    try {
      await call('tokens.logout', { label: token.label, serial: token.serial });
    } catch (failure) {
      setActionError(failure);
    }
  }

  return (
    <section className="token-panel" data-testid="token-panel" aria-labelledby="token-panel-title">
      <h2 id="token-panel-title" className="section-title">
        {t('tokens.title')}
      </h2>
      {overview === null && !error && (
        <p className="token-empty" role="status">
          <span className="spinner" aria-hidden="true" /> {t('tokens.loading')}
        </p>
      )}
      {error !== null && (
        <p className="token-empty is-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {overview && tokens.length === 0 && (
        <p className="token-empty" data-testid="token-empty">
          {!allowedHere('tokens.list') ? t('tokens.officeHost') : overview.modules.some((m) => m.loaded) ? t('tokens.empty') : t('tokens.noModules')}
        </p>
      )}
      <ul className="token-list">
        {tokens.map((token) => (
          <li key={`${token.modulePath}\u0000${token.label}\u0000${token.serial}`} className="token-item" data-testid="token-item" data-label={token.label}>
            <div className="token-head">
              <span className="token-icon" aria-hidden="true" />
              <div className="token-name">
                <span className="token-label" title={token.label}>
                  {token.label}
                </span>
                <span className="token-serial">{t('tokens.serial', { serial: token.serial })}</span>
              </div>
            </div>
            <TokenPinState token={token} />
            <div className="token-actions">
              {token.loggedIn ? (
                <>
                  <span className="token-state is-in">{t('tokens.loggedIn')}</span>
                  <button type="button" className="button button-small" onClick={() => logout(token)}>
                    {t('tokens.logout')}
                  </button>
                </>
              ) : (
                <>
                  <span className="token-state">{t('tokens.loggedOut')}</span>
                  <button
                    type="button"
                    className="button button-small button-primary"
                    data-testid="token-login"
                    onClick={() => {
                      setNotice(null);
                      setLoginFor(token);
                    }}
                  >
                    {t('tokens.login')}
                  </button>
                </>
              )}
            </div>
            {token.problem && <p className="token-warning is-danger">{t(`error.${token.problem.code}`, { ...token.problem.details })}</p>}
            <ul className="cert-list" aria-label={t('tokens.certificates', { label: token.label })}>
              {token.certificates.map((certificate) => (
                <CertificateItem key={certificate.fingerprint256} certificate={certificate} onImages={() => setImagesFor(certificate)} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {notice && (
        <p className="token-notice" role="status">
          {notice}
        </p>
      )}
      {actionError !== null && (
        <p className="token-notice is-error" role="alert">
          {errorMessage(actionError)}
        </p>
      )}
      {brokenModules.length > 0 && (
        <ul className="module-problems" aria-label={t('tokens.moduleProblems')}>
          {brokenModules.map((m) => (
            <li key={m.path} title={m.path}>
              {m.error ? t(`error.${m.error.code}`, { ...m.error.details }) : m.path}
            </li>
          ))}
        </ul>
      )}
      <AddModuleButton />
      {loginToken && (
        <PinDialog
          token={loginToken}
          purpose="login"
          onClose={() => setLoginFor(null)}
          onSubmit={async (pin, confirmFinalTry) => {
            const { warning } = await call('tokens.login', { label: loginToken.label, serial: loginToken.serial, pin, confirmFinalTry });
            setNotice(warning === 'PIN_COUNT_LOW' ? t('tokens.loggedInAfterWrongPin') : null);
          }}
        />
      )}
      {imagesFor && <CertificateImagesDialog certificate={imagesFor} onClose={() => setImagesFor(null)} />}
    </section>
  );
}

function TokenPinState({ token }: { token: TokenInfo }) {
  const { t } = useI18n();
  if (token.pin.locked) return <p className="token-warning is-danger">{t('tokens.pinLocked')}</p>;
  if (token.pin.finalTry) return <p className="token-warning is-danger">{t('tokens.pinFinalTry')}</p>;
  if (token.pin.countLow) return <p className="token-warning">{t('tokens.pinCountLow')}</p>;
  return null;
}

function CertificateItem({ certificate, onImages }: { certificate: TokenCertificateInfo; onImages: () => void }) {
  const { t } = useI18n();
  const validity =
    certificate.warning === 'expired'
      ? t('tokens.certExpired', { date: certificateDay(certificate.validTo) })
      : certificate.warning === 'not-yet-valid'
        ? t('tokens.certNotYetValid', { date: certificateDay(certificate.validFrom) })
        : certificate.warning === 'expiring'
          ? t('tokens.certExpiring', { date: certificateDay(certificate.validTo) })
          : t('tokens.certValidUntil', { date: certificateDay(certificate.validTo) });
  return (
    <li className={`cert-item is-${certificate.warning}`} data-testid="cert-item" data-id={certificate.id} data-warning={certificate.warning}>
      <span className="cert-name" title={certificate.subject}>
        {certificate.subjectCommonName ?? certificate.subject}
      </span>
      {certificate.issuerCommonName && <span className="cert-issuer">{t('tokens.issuer', { issuer: certificate.issuerCommonName })}</span>}
      <span className="cert-validity">{validity}</span>
      {!certificate.canSign && <span className="cert-validity is-expired">{t('tokens.certCannotSign')}</span>}
      <button type="button" className="link-button cert-images-button" onClick={onImages}>
        {t('tokens.images')}
      </button>
    </li>
  );
}

/**
 * "Add a token library": the page names no file (a library is native code run inside eOffice).
 * The desktop app opens the OS's file dialog and asks for confirmation itself; the browser
 * answers with a sentence saying to add it in the desktop app or at the terminal.
 */
export function AddModuleButton() {
  const { t, errorMessage } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A token library is this PC's: a browser on the office host has nothing to add it to.
  if (!allowedHere('tokens.addModule')) return null;

  async function add() {
    setBusy(true);
    setError(null);
    try {
      await call('tokens.addModule', {});
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="add-module">
      <button type="button" className="button button-quiet button-small add-module-button" onClick={add} disabled={busy} aria-describedby="add-module-hint">
        <span className="icon-plus" aria-hidden="true" />
        {t('tokens.addModule')}
      </button>
      <span id="add-module-hint" className="field-hint">
        {t('tokens.modulePathHint')}
      </span>
      {error !== null && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </div>
  );
}
