// Ký số: choose the role (competent person, agency, attachment), the certificate, where the
// signature goes, then sign the document shown — or every document ticked in the list — with a
// progress bar, a cancel between documents and a result for each. Each signing asks for the
// token's PIN (the host logs the token out after it). The agency's roles offer only the agency's
// own certificates, on its tokens or held by a remote signing service, and say why the others are
// not there. A remote identity (the leader's, or the agency's for its roles) signs on its holder's
// phone: no PIN here, a panel waits for the phone's confirmation, with Hủy.
import { useEffect, useId, useMemo, useState } from 'react';
import type { SignatureAppearance, SignerEntry, TokenInfo } from '../../../main/common/contract.js';
import { ApiError, call, isApiError } from '../api/client.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import type { SignaturePlacement, SigningRole } from '../signing/placement.js';
import type { Signing, SigningKey, SigningRequest, SigningTarget } from '../signing/useSigning.js';
import { remoteCanSign, remoteValue, useRemoteSigners } from '../signing/useRemoteSigners.js';
import { PhoneWaitingPanel } from '../signing/PhoneWaitingPanel.js';
import { allCertificates, canSignWith, onToken, sameToken, useTokens, type TokenCertificate } from '../tokens/TokensProvider.js';
import { CertificateSelect } from '../tokens/CertificateSelect.js';
import { AgencyCertificateNote, agencyCertificates } from '../tokens/agencyCertificates.js';
import { PinDialog } from './PinDialog.js';
import { certificateDay } from './TokenPanel.js';

const ROLES: readonly SigningRole[] = ['signer', 'agency', 'attachment'];

interface SignPanelProps {
  /** The documents the button signs: those ticked in the list, or else the one shown. */
  targets: readonly SigningTarget[];
  /** The targets are the ticked documents (which need not include the one shown). */
  fromSelection: boolean;
  signing: Signing;
  role: SigningRole;
  onRoleChange(role: SigningRole): void;
  placement: SignaturePlacement | null;
  placing: boolean;
  onPlacingChange(placing: boolean): void;
  agencyName: string;
  onAgencyNamed(name: string): void;
}

/** The key a role most likely wants among those offered: one that can sign, a person's for the competent person. */
function suggest<Entry>(role: SigningRole, offered: readonly Entry[], agencyOwn: readonly unknown[], usable: (entry: Entry) => boolean): Entry | undefined {
  const ready = offered.filter(usable);
  return (role === 'signer' ? ready.find((entry) => !agencyOwn.includes(entry)) : undefined) ?? ready[0] ?? offered[0];
}

const tokenUsable = (c: TokenCertificate) => canSignWith(c.certificate);

type PinRequest = { purpose: 'login' | 'signature'; token: TokenInfo; request: SigningRequest };

/** The token a request signs with, which a PIN unlocks; none for a remote signer. */
function tokenOf(request: SigningRequest): TokenInfo | null {
  return request.key.kind === 'token' ? request.key.token : null;
}

export function SignPanel({ targets, fromSelection, signing, role, onRoleChange, placement, placing, onPlacingChange, agencyName, onAgencyNamed }: SignPanelProps) {
  const { t, count, errorMessage } = useI18n();
  const { overview } = useTokens();
  const allOnTokens = useMemo(() => allCertificates(overview), [overview]);
  const { remote, problems } = useRemoteSigners();
  const [chosenPrint, setChosenPrint] = useState<string | null>(null);
  const [mainNotation, setMainNotation] = useState('');
  const [agencyDraft, setAgencyDraft] = useState('');
  const [pinRequest, setPinRequest] = useState<PinRequest | null>(null);
  const [setupError, setSetupError] = useState<unknown>(null);
  const formId = useId();

  const needsAgency = role !== 'signer' && !agencyName;
  // The agency's roles print its name: only its own certificates, on a token or at a remote
  // service (named as typed here when unset). The competent person may take any.
  const agencyChoice = useMemo(
    () => agencyCertificates<TokenCertificate | SignerEntry>([...allOnTokens, ...remote], agencyName || agencyDraft),
    [allOnTokens, remote, agencyName, agencyDraft],
  );
  const certificates = role === 'signer' ? allOnTokens : agencyChoice.offered.filter(onToken);
  const offeredRemote = role === 'signer' ? remote : agencyChoice.offered.filter((entry): entry is SignerEntry => !onToken(entry));
  // A token's certificate comes first, as before; a remote identity when chosen, or when no token
  // has one (the select would show it, yet choosing what it already shows changes nothing).
  const chosenRemote =
    offeredRemote.find((entry) => remoteValue(entry) === chosenPrint) ?? (certificates.length === 0 ? suggest(role, offeredRemote, agencyChoice.offered, remoteCanSign) : undefined);
  const chosen = chosenRemote ? undefined : (certificates.find((c) => c.certificate.fingerprint256 === chosenPrint) ?? suggest(role, certificates, agencyChoice.offered, tokenUsable));
  const { state } = signing;
  const running = state.phase === 'running';

  const keyMissing: MessageKey | null = chosenRemote
    ? remoteCanSign(chosenRemote)
      ? null
      : 'sign.missingUsableCertificate'
    : !chosen
      ? 'sign.missingCertificate'
      : !canSignWith(chosen.certificate)
        ? 'sign.missingUsableCertificate'
        : null;
  const missing: MessageKey | null =
    keyMissing ?? (role === 'attachment' ? (mainNotation.trim() ? null : 'sign.missingNotation') : placement ? null : 'sign.missingPlacement');
  const agencyMissing = needsAgency && !agencyDraft.trim();

  function appearance(): SignatureAppearance {
    if (role === 'attachment') return { kind: 'attachment', mainNotation: mainNotation.trim() };
    return { kind: role, page: placement!.page, rect: placement!.rect };
  }

  async function start() {
    if ((!chosen && !chosenRemote) || missing || agencyMissing || running) return;
    setSetupError(null);
    onPlacingChange(false);
    try {
      if (needsAgency) {
        const current = await call('agency.get', {});
        onAgencyNamed((await call('agency.update', { ...current, name: agencyDraft.trim() })).name);
      }
    } catch (error) {
      setSetupError(error);
      return;
    }
    const key: SigningKey = chosenRemote ? { kind: 'remote', entry: chosenRemote } : { kind: 'token', token: chosen!.token, certificate: chosen!.certificate };
    const request: SigningRequest = { targets, key, appearance: appearance() };
    // A phone asks its holder itself; a token not logged in wants its PIN first.
    if (key.kind === 'token' && !key.token.loggedIn) setPinRequest({ purpose: 'login', token: key.token, request });
    else void signing.sign(request);
  }

  const liveToken = (token: TokenInfo) => overview?.tokens.find((tk) => sameToken(tk, token)) ?? token;
  const unsigned = state.phase === 'finished' ? state.results.filter((r) => r.status !== 'signed') : [];
  const labelOf = (id: number) => (state.phase === 'finished' ? state.request.targets.find((d) => d.id === id)?.label : undefined) ?? `#${id}`;
  const wantsPin = state.phase === 'finished' && tokenOf(state.request) !== null && unsigned.some((r) => r.error?.code === 'PIN_REQUIRED');
  // The login was gone by the time the batch started (it lapsed, the screen was locked): ask again.
  const failedToken = state.phase === 'failed' ? tokenOf(state.request) : null;
  const finishedToken = state.phase === 'finished' ? tokenOf(state.request) : null;
  const loginLapsed = failedToken !== null && state.phase === 'failed' && isApiError(state.error) && (state.error.code === 'PIN_REQUIRED' || state.error.code === 'NOT_LOGGED_IN');

  return (
    <section className="pane-section sign-section" aria-labelledby={`${formId}-title`} data-testid="sign-panel">
      <h3 id={`${formId}-title`} className="section-title">
        {t('sign.title')}
      </h3>
      {problems.map((problem) => (
        <p key={problem.source} className="field-error signer-problem" role="alert" data-testid="signer-problem">
          {t('sign.remoteProblem', { source: problem.source, message: errorMessage(problem.error) })}
        </p>
      ))}
      {allOnTokens.length === 0 && remote.length === 0 ? (
        <p className="muted">{t('sign.noToken')}</p>
      ) : (
        <>
          <fieldset className="role-choice" disabled={running}>
            <legend>{t('sign.role')}</legend>
            {ROLES.map((r) => (
              <label key={r} className={r === role ? 'role-option is-chosen' : 'role-option'}>
                <input type="radio" name={`${formId}-role`} value={r} checked={r === role} onChange={() => {
                    // A new role suggests its usual certificate again.
                    setChosenPrint(null);
                    onRoleChange(r);
                  }} data-testid={`sign-role-${r}`} />
                <span className="role-name">{t(`sign.role.${r}`)}</span>
                <span className="role-hint">{t(`sign.roleHint.${r}`)}</span>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={`${formId}-certificate`}>{t('sign.certificate')}</label>
            {certificates.length + offeredRemote.length > 0 && (
              <CertificateSelect
                id={`${formId}-certificate`}
                testId="sign-certificate"
                certificates={certificates}
                remote={offeredRemote}
                value={chosenRemote ? remoteValue(chosenRemote) : (chosen?.certificate.fingerprint256 ?? '')}
                disabled={running}
                onChoose={setChosenPrint}
              />
            )}
            {chosenRemote && (
              <span className="field-hint" data-testid="remote-signer-facts">
                {t('sign.remoteFacts', { source: chosenRemote.source, issuer: chosenRemote.certificate.issuerCommonName ?? '—', date: certificateDay(chosenRemote.certificate.validTo) })}
              </span>
            )}
            {role !== 'signer' && <AgencyCertificateNote choice={agencyChoice} agencyName={agencyName || agencyDraft} />}
            {chosen && (
              <span className={chosen.certificate.warning === 'ok' ? 'field-hint' : chosen.certificate.warning === 'expiring' ? 'field-hint is-warning' : 'field-error'}>
                {chosen.certificate.warning === 'ok'
                  ? t('sign.certificateFacts', { issuer: chosen.certificate.issuerCommonName ?? '—', date: certificateDay(chosen.certificate.validTo) })
                  : t(`sign.warningLong.${chosen.certificate.warning}`, {
                      date: certificateDay(chosen.certificate.warning === 'not-yet-valid' ? chosen.certificate.validFrom : chosen.certificate.validTo),
                    })}
              </span>
            )}
          </div>
          {role === 'attachment' ? (
            <div className="field">
              <label htmlFor={`${formId}-notation`}>{t('sign.mainNotation')}</label>
              <input id={`${formId}-notation`} value={mainNotation} onChange={(e) => setMainNotation(e.target.value)} placeholder={t('sign.mainNotationPlaceholder')} maxLength={100} disabled={running} />
              <span className="field-hint">{t('sign.attachmentHint')}</span>
            </div>
          ) : (
            <div className="placement-row">
              <button
                type="button"
                className={placing ? 'button button-small is-pressed' : 'button button-small'}
                data-testid="place-signature"
                aria-pressed={placing}
                disabled={running}
                onClick={() => onPlacingChange(!placing)}
              >
                <span className="icon-target" aria-hidden="true" />
                {placing ? t('sign.placing') : placement ? t('sign.placeAgain') : t('sign.place')}
              </button>
              <span className="placement-status" role="status">
                {placing
                  ? t('sign.placingHint')
                  : placement
                    ? t('sign.placed', { page: placement.page, width: Math.round(placement.rect[2]), height: Math.round(placement.rect[3]) })
                    : t('sign.notPlaced')}
              </span>
            </div>
          )}
          {needsAgency && (
            <div className="field">
              <label htmlFor={`${formId}-agency`}>{t('sign.agencyName')}</label>
              <input id={`${formId}-agency`} value={agencyDraft} onChange={(e) => setAgencyDraft(e.target.value)} maxLength={300} disabled={running} />
              <span className="field-hint">{t('sign.agencyNameHint')}</span>
            </div>
          )}
          <div className="sign-actions">
            <button type="button" className="button button-primary" data-testid="sign-button" disabled={running || missing !== null || agencyMissing} onClick={start}>
              <span className="icon-pen" aria-hidden="true" />
              {fromSelection ? t('sign.submitMany', { count: count(targets.length) }) : t('sign.submit')}
            </button>
            {missing && !running && <span className="field-hint">{t(missing)}</span>}
          </div>
        </>
      )}
      {setupError !== null && (
        <p className="form-error" role="alert">
          {errorMessage(setupError)}
        </p>
      )}
      {state.phase === 'running' && state.waiting && <PhoneWaitingPanel waiting={state.waiting} cancelling={state.cancelling} onCancel={signing.cancel} />}
      {state.phase === 'running' && !state.waiting && (
        <div className="sign-progress">
          <div className="sign-progress-label" aria-live="polite">
            {state.cancelling ? t('sign.cancelling') : t('sign.progress', { done: count(state.done), total: count(state.total) })}
          </div>
          <div className="sign-progress-row">
            <div
              className="progress-track"
              role="progressbar"
              data-testid="sign-progress"
              aria-label={t('sign.progressLabel')}
              aria-valuemin={0}
              aria-valuemax={state.total}
              aria-valuenow={state.done}
            >
              <div className="progress-fill" style={{ width: `${(state.done / Math.max(1, state.total)) * 100}%` }} />
            </div>
            <button type="button" className="button button-small" onClick={signing.cancel} disabled={state.cancelling}>
              {t('sign.cancel')}
            </button>
          </div>
        </div>
      )}
      {state.phase === 'failed' && (
        <div className="sign-outcome has-failures" role="alert">
          <p>
            {t('sign.notStarted')} {errorMessage(state.error)}
          </p>
          {loginLapsed && (
            <button type="button" className="button button-small button-primary" onClick={() => setPinRequest({ purpose: 'login', token: failedToken, request: state.request })}>
              {t('sign.enterPinToSign')}
            </button>
          )}
          <button type="button" className="button button-quiet button-small" onClick={signing.dismiss}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      <TimestampAuthorityField disabled={running} />
      {state.phase === 'finished' && (
        <div className={unsigned.length ? 'sign-outcome has-failures' : 'sign-outcome'}>
          <div className="sign-outcome-head">
            <p role="status">{t('sign.summary', { signed: count(state.results.length - unsigned.length), total: count(state.results.length) })}</p>
            {wantsPin && (
              <button type="button" className="button button-small button-primary" onClick={() =>
                  setPinRequest({
                    purpose: 'signature',
                    token: finishedToken!,
                    request: { ...state.request, targets: state.request.targets.filter((d) => unsigned.some((r) => r.id === d.id)) },
                  })
                }>
                {t('sign.enterPinToSign')}
              </button>
            )}
            <button type="button" className="button button-quiet button-small" onClick={signing.dismiss}>
              {t('common.dismiss')}
            </button>
          </div>
          <ul className="sign-results">
            {state.results.map((result) => (
              <li key={result.id} className={`sign-result is-${result.status}`} data-testid="sign-result" data-status={result.status} data-doc-id={result.id}>
                <span className="result-mark" aria-hidden="true">
                  {result.status === 'signed' ? '✓' : result.status === 'failed' ? '✕' : '–'}
                </span>
                <span className="result-file">{labelOf(result.id)}</span>
                <span className="result-status">{t(`sign.status.${result.status}`)}</span>
                {/* Said in words; the PAdES level is for the tooltip and the logs. */}
                {result.level && (
                  <span className="result-level" data-testid="sign-level" data-level={result.level} title={t('sign.levelCode', { level: result.level })}>
                    {t(`sign.level.${result.level}`)}
                  </span>
                )}
                {result.timestampProblem && (
                  <span className="result-reason" role="status">
                    {t('sign.noTimestamp')}
                  </span>
                )}
                {result.error && <span className="result-reason">{errorMessage(new ApiError(result.error.code, result.error.message, result.error.details))}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {pinRequest && (
        <PinDialog
          token={liveToken(pinRequest.token)}
          purpose={pinRequest.purpose}
          onClose={() => setPinRequest(null)}
          onSubmit={async (pin, confirmFinalTry) => {
            const { request, purpose } = pinRequest;
            if (purpose === 'login') {
              await call('tokens.login', { label: pinRequest.token.label, serial: pinRequest.token.serial, pin, confirmFinalTry });
              void signing.sign(request);
            } else {
              void signing.sign(request, pin);
            }
          }}
        />
      )}
    </section>
  );
}

/** The timestamp authority (TSA) setting: with one, signatures are PAdES B-T when it can be reached. */
function TimestampAuthorityField({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const [value, setValue] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    call('settings.get', {}).then((s) => setValue(s.tsaUrl), () => setValue(''));
  }, []);
  if (value === null) return null;
  const save = () => {
    call('settings.update', { tsaUrl: value.trim() }).then(
      () => setProblem(null),
      () => setProblem(t('sign.tsaInvalid')),
    );
  };
  return (
    <div className="field tsa-field">
      <label htmlFor={id}>{t('sign.tsa')}</label>
      <input id={id} type="url" value={value} placeholder="https://" onChange={(e) => setValue(e.target.value)} onBlur={save} disabled={disabled} data-testid="tsa-url" />
      <span className="field-hint">{problem ?? t('sign.tsaHint')}</span>
    </div>
  );
}
