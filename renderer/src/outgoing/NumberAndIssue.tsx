// Cấp số and Phát hành. "Cấp số" stays disabled until the host has verified a valid signature of
// the declared signer: the reason is shown under the button and in its tooltip, since clerks
// taking numbers before the leader signed ("lấy số trước") is exactly what Decree 30 ends.
// "Phát hành" signs as the agency with its own certificate (the seal) — the choice offers only
// the agency's certificates, on its tokens or held by a remote signing service, and says why the
// others are not there —, numbering first when needed, and queues the document for the axis; a
// token not logged in asks for its PIN first, a remote identity is confirmed on its holder's phone
// while a panel waits, with Hủy. Neither can be undone: each first says what it will do and waits
// for the clerk's yes.
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { OutgoingDetail, SignerEntry, TokenInfo } from '../../../main/common/contract.js';
import { formatDateVn, vnYear } from '../../../main/common/dates.js';
import { call, isApiError } from '../api/client.js';
import { useApiEvent } from '../api/useApiEvent.js';
import { useI18n } from '../i18n/i18n.js';
import { ModalDialog, useModalRequest } from '../components/ModalDialog.js';
import { PinDialog } from '../components/PinDialog.js';
import { certificateDay } from '../components/TokenPanel.js';
import { PhoneWaitingPanel } from '../signing/PhoneWaitingPanel.js';
import { remoteCanSign, remoteValue, useRemoteSigners } from '../signing/useRemoteSigners.js';
import { newBatchId, type PhoneWaiting } from '../signing/useSigning.js';
import { allCertificates, canSignWith, onToken, sameToken, useTokens, type TokenCertificate } from '../tokens/TokensProvider.js';
import { CertificateSelect } from '../tokens/CertificateSelect.js';
import { AgencyCertificateNote, agencyCertificates } from '../tokens/agencyCertificates.js';
import { AgencyDialog } from './AgencyDialog.js';
import { fromShape, useIssuingErrorMessage } from './issuingErrors.js';

interface NumberAndIssueProps {
  outgoing: OutgoingDetail;
  agencyName: string;
  onAgencyNamed: (name: string) => void;
  onDone: (next: OutgoingDetail) => void;
}

type Busy = 'number' | 'issue' | null;
type PinRequest = { purpose: 'login' | 'signature'; token: TokenInfo };
type Confirming = 'number' | 'issue' | null;
/** Issuing with a remote identity: the request the phone has (once it says so), and whether Hủy was pressed. */
type PhoneIssue = { batchId: string; waiting: PhoneWaiting | null; cancelling: boolean };

export function NumberAndIssue({ outgoing, agencyName, onAgencyNamed, onDone }: NumberAndIssueProps) {
  const { t, count, errorMessage } = useI18n();
  const describeError = useIssuingErrorMessage();
  const id = useId();
  const { overview } = useTokens();
  const { remote, problems } = useRemoteSigners();
  const { document, numbering } = outgoing;
  // Only the agency's own certificates may seal, on a token or at a remote service, and not the one
  // the competent person signed with.
  const choice = useMemo(
    () => agencyCertificates<TokenCertificate | SignerEntry>([...allCertificates(overview), ...remote], agencyName, numbering.competentSigner),
    [overview, remote, agencyName, numbering.competentSigner],
  );
  const certificates = choice.offered.filter(onToken);
  const offeredRemote = choice.offered.filter((entry): entry is SignerEntry => !onToken(entry));
  const [chosenPrint, setChosenPrint] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [pinRequest, setPinRequest] = useState<PinRequest | null>(null);
  const [agencyDialog, setAgencyDialog] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [phone, setPhone] = useState<PhoneIssue | null>(null);
  const phoneBatch = useRef<string | null>(null);

  useApiEvent('signing.waiting', ({ batchId, ...waiting }) => {
    if (batchId !== phoneBatch.current) return;
    setPhone((current) => (current?.batchId === batchId ? { ...current, waiting } : current));
  });

  const documentId = document.id;
  const state = document.state;
  // A token's certificate comes first, as before; a remote identity when chosen, or when no token has one.
  const chosenRemote =
    offeredRemote.find((entry) => remoteValue(entry) === chosenPrint) ?? (certificates.length === 0 ? (offeredRemote.find((entry) => remoteCanSign(entry)) ?? offeredRemote[0]) : undefined);
  const chosen = chosenRemote
    ? undefined
    : (certificates.find((c) => c.certificate.fingerprint256 === chosenPrint) ?? certificates.find((c) => canSignWith(c.certificate)) ?? certificates[0]);
  const canNumber = state === 'signed' && numbering.allowed;
  const numberReason = numbering.reason ? describeError(fromShape(numbering.reason)) : null;
  const canIssue = state === 'numbered' || canNumber;
  const keyMissing = chosenRemote
    ? remoteCanSign(chosenRemote)
      ? null
      : t('sign.missingUsableCertificate')
    : !chosen
      ? t('sign.missingCertificate')
      : !canSignWith(chosen.certificate)
        ? t('sign.missingUsableCertificate')
        : null;
  const issueBlocked = canIssue ? keyMissing : (numberReason ?? t('issuing.issueNotYet'));

  /** Runs from the confirmation, which shows the refusal if there is one. */
  async function number() {
    setBusy('number');
    setFailure(null);
    try {
      onDone(await call('outgoing.number', { id: documentId }));
    } finally {
      setBusy(null);
    }
  }

  /** Issues with the chosen key; a PIN problem goes back to the PIN dialog, which shows it. */
  async function issue(pin?: string) {
    if (!chosen) return;
    setBusy('issue');
    setFailure(null);
    try {
      const { token, certificate } = chosen;
      onDone(await call('outgoing.issue', { id: documentId, label: token.label, serial: token.serial, certificateId: certificate.id, ...(pin === undefined ? {} : { pin }) }));
    } catch (error) {
      if (pin !== undefined && isApiError(error) && error.code.startsWith('PIN_') && error.code !== 'PIN_REQUIRED') throw error;
      if (isApiError(error) && error.code === 'PIN_REQUIRED') setPinRequest({ purpose: 'signature', token: chosen.token });
      else if (isApiError(error) && error.code === 'NOT_LOGGED_IN') setPinRequest({ purpose: 'login', token: chosen.token });
      else setFailure(error);
    } finally {
      setBusy(null);
    }
  }

  /** Issues with a remote identity: no PIN here; the host waits for the phone, refused or cancelled says why. */
  async function issueOnPhone(entry: SignerEntry) {
    // Chosen here, not by the host, so that Hủy can name the request before the host answers.
    const batchId = newBatchId();
    phoneBatch.current = batchId;
    setPhone({ batchId, waiting: null, cancelling: false });
    setBusy('issue');
    setFailure(null);
    try {
      onDone(await call('outgoing.issue', { id: documentId, signer: entry.choice, batchId }));
    } catch (error) {
      setFailure(error);
    } finally {
      phoneBatch.current = null;
      setPhone(null);
      setBusy(null);
    }
  }

  /** Withdraws the phone's request; the issue call then ends with REMOTE_CANCELLED. */
  function cancelPhone() {
    const batchId = phoneBatch.current;
    if (!batchId) return;
    setPhone((current) => (current ? { ...current, cancelling: true } : current));
    call('signing.cancel', { batchId }).catch(() => undefined);
  }

  /** After the clerk confirmed: the phone, or the PIN when the token asks for it, then the agency's signature. */
  function startIssue() {
    if (issueBlocked || busy) return;
    if (chosenRemote) void issueOnPhone(chosenRemote);
    else if (!chosen) return;
    else if (!chosen.token.loggedIn) setPinRequest({ purpose: 'login', token: chosen.token });
    else void issue();
  }

  const next = numbering.next;
  const nextNotation = next?.notation ?? '…';
  const confirmation = (() => {
    if (confirming === 'number') {
      return {
        title: t('issuing.confirmNumber.title', { notation: nextNotation }),
        lead: t('issuing.confirmNumber.lead', { subject: document.subject, notation: nextNotation, date: next ? formatDateVn(next.documentDate) : '…', year: next?.documentDate.slice(0, 4) ?? vnYear() }),
        submit: t('issuing.confirmNumber.submit', { notation: nextNotation }),
        run: number,
      };
    }
    const sealName = chosenRemote ? (chosenRemote.certificate.subjectCommonName ?? chosenRemote.name) : chosen ? (chosen.certificate.subjectCommonName ?? chosen.certificate.subject) : null;
    if (confirming === 'issue' && sealName !== null) {
      const codes = outgoing.draft.recipientCodes;
      const params = {
        subject: document.subject,
        notation: state === 'numbered' ? (document.notation ?? '') : nextNotation,
        date: next ? formatDateVn(next.documentDate) : '…',
        certificate: sealName,
        attachments: outgoing.attachments.length ? t('issuing.confirmIssue.attachments', { count: count(outgoing.attachments.length) }) : '',
        delivery: codes.length ? t('issuing.confirmIssue.delivery', { count: count(codes.length), codes: codes.join(', ') }) : t('issuing.confirmIssue.paperOnly'),
      };
      return {
        title: t('issuing.confirmIssue.title', { notation: params.notation }),
        lead: t(state === 'numbered' ? 'issuing.confirmIssue.leadNumbered' : 'issuing.confirmIssue.leadUnnumbered', params),
        submit: t('issuing.confirmIssue.submit'),
        // The dialog closes at once: the PIN or the phone, the progress and any refusal show in the section.
        run: async () => startIssue(),
      };
    }
    return null;
  })();

  const liveToken = (token: TokenInfo) => overview?.tokens.find((tk) => sameToken(tk, token)) ?? token;
  const agencyMissing = isApiError(failure) && failure.code === 'AGENCY_NOT_CONFIGURED';

  return (
    <section className="pane-section issue-section" aria-labelledby={`${id}-title`} data-testid="issue-section">
      <h3 id={`${id}-title`} className="section-title">
        {t('issuing.numberAndIssue')}
      </h3>

      {state !== 'numbered' && (
        <div className="issuing-action">
          {/* The wrapper carries the tooltip too: some engines show none on a disabled button. */}
          <span className="action-tooltip" title={canNumber ? undefined : (numberReason ?? undefined)}>
            <button
              type="button"
              className="button button-primary"
              data-testid="number-button"
              disabled={!canNumber || busy !== null}
              title={canNumber ? t('issuing.numberHint', { year: vnYear() }) : (numberReason ?? undefined)}
              aria-describedby={`${id}-number-note`}
              onClick={() => setConfirming('number')}
            >
              {busy === 'number' && <span className="spinner spinner-on-primary" aria-hidden="true" />}
              <span className="icon-number" aria-hidden="true" />
              {t('issuing.number')}
            </button>
          </span>
          <p id={`${id}-number-note`} className={canNumber ? 'field-hint' : 'action-blocked'} data-testid="number-reason">
            {canNumber ? t('issuing.numberHint', { year: vnYear() }) : numberReason}
          </p>
        </div>
      )}

      {/* A service that cannot be asked is said as soon as issuing is the step; the tokens stay offered. */}
      {canIssue &&
        problems.map((problem) => (
          <p key={problem.source} className="field-error signer-problem" role="alert" data-testid="issue-signer-problem">
            {t('sign.remoteProblem', { source: problem.source, message: errorMessage(problem.error) })}
          </p>
        ))}
      <div className="issue-form">
        <div className="field">
          <label htmlFor={`${id}-certificate`}>{t('issuing.agencyCertificate')}</label>
          {(overview?.tokens.length ?? 0) === 0 && remote.length === 0 ? (
            <span className="field-hint">{t('issuing.noToken')}</span>
          ) : (
            <>
              {certificates.length + offeredRemote.length > 0 && (
                <CertificateSelect
                  id={`${id}-certificate`}
                  testId="issue-certificate"
                  certificates={certificates}
                  remote={offeredRemote}
                  value={chosenRemote ? remoteValue(chosenRemote) : (chosen?.certificate.fingerprint256 ?? '')}
                  disabled={busy !== null}
                  onChoose={setChosenPrint}
                />
              )}
              {chosenRemote && (
                <span className="field-hint" data-testid="issue-remote-facts">
                  {t('sign.remoteFacts', { source: chosenRemote.source, issuer: chosenRemote.certificate.issuerCommonName ?? '—', date: certificateDay(chosenRemote.certificate.validTo) })}
                </span>
              )}
              {chosen && (
                <span className="field-hint">
                  {t('issuing.certificateFacts', {
                    token: chosen.token.label,
                    issuer: chosen.certificate.issuerCommonName ?? '—',
                    date: certificateDay(chosen.certificate.validTo),
                  })}
                </span>
              )}
              <AgencyCertificateNote choice={choice} agencyName={agencyName} />
              {choice.nameUnset && (
                <button type="button" className="button button-small" onClick={() => setAgencyDialog(true)}>
                  {t('agency.open')}
                </button>
              )}
            </>
          )}
        </div>
        <div className="issuing-action">
          <span className="action-tooltip" title={issueBlocked ?? undefined}>
            <button
              type="button"
              className="button button-primary"
              data-testid="issue-button"
              disabled={issueBlocked !== null || busy !== null}
              title={issueBlocked ?? t('issuing.issueHint')}
              aria-describedby={`${id}-issue-note`}
              onClick={() => setConfirming('issue')}
            >
              {busy === 'issue' && <span className="spinner spinner-on-primary" aria-hidden="true" />}
              <span className="icon-send" aria-hidden="true" />
              {busy === 'issue' ? t('issuing.issuing') : t('issuing.issue')}
            </button>
          </span>
          <p id={`${id}-issue-note`} className="field-hint">
            {state === 'numbered' ? t('issuing.issueHint') : t('issuing.issueHintUnnumbered')}
          </p>
        </div>
      </div>

      {phone?.waiting && <PhoneWaitingPanel waiting={phone.waiting} cancelling={phone.cancelling} onCancel={cancelPhone} />}
      {failure !== null && (
        <div className="form-error issuing-failure" role="alert" data-testid="issuing-failure">
          <span>{describeError(failure)}</span>
          {agencyMissing && (
            <button type="button" className="button button-small" onClick={() => setAgencyDialog(true)}>
              {t('agency.open')}
            </button>
          )}
        </div>
      )}

      {pinRequest && (
        <PinDialog
          token={liveToken(pinRequest.token)}
          purpose={pinRequest.purpose}
          onClose={() => setPinRequest(null)}
          onSubmit={async (pin, confirmFinalTry) => {
            if (pinRequest.purpose === 'login') {
              await call('tokens.login', { label: pinRequest.token.label, serial: pinRequest.token.serial, pin, confirmFinalTry });
              // The dialog closes on return; issuing goes on behind it, with its own progress and errors.
              void issue();
            } else {
              await issue(pin);
            }
          }}
        />
      )}
      {confirmation && <ConfirmStep key={confirming} {...confirmation} onClose={() => setConfirming(null)} />}
      {agencyDialog && (
        <AgencyDialog
          onClose={() => setAgencyDialog(false)}
          onSaved={(saved) => {
            setFailure(null);
            onAgencyNamed(saved.name);
          }}
        />
      )}
    </section>
  );
}

/** Says what an irreversible step will do; it runs only on the clerk's yes. */
function ConfirmStep({ title, lead, submit, run, onClose }: { title: string; lead: string; submit: string; run: () => Promise<unknown>; onClose: () => void }) {
  const describeError = useIssuingErrorMessage();
  const request = useModalRequest(onClose);
  return (
    <ModalDialog
      className="confirm-dialog"
      testId="confirm-dialog"
      title={title}
      lead={lead}
      describedByLead
      request={request}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (!request.busy) void request.run(run);
      }}
      describeError={describeError}
      errorTestId="confirm-error"
      submit={{ label: submit, testId: 'confirm-submit' }}
    >
      {null}
    </ModalDialog>
  );
}
