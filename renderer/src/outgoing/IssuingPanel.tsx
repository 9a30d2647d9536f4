// Phát hành văn bản đi, in the document pane: the stepper, then what the document's state asks
// for next — places for the number and date and the leader's signature on a draft, "Cấp số" and
// "Phát hành" once signed, recall / update / replace once issued.
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { OutgoingDetail } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { DeliveriesSection } from '../exchange/DeliveriesSection.js';
import { AfterIssueSection } from './AfterIssue.js';
import { IssuingStepper } from './IssuingStepper.js';
import { NumberAndIssue } from './NumberAndIssue.js';
import { PlacesSection } from './PlacesSection.js';
import { useIssuingErrorMessage } from './issuingErrors.js';
import { notationPreview } from './notation.js';
import type { Issuing } from './useIssuing.js';
import './outgoing.css';

interface IssuingPanelProps {
  issuing: Issuing;
  /** The pane's signing form, shown while the leader's signature is the step to take. */
  signPanel: ReactNode;
  /** The host takes only the competent person's signature here: the form's other roles are hidden. */
  signerOnly: boolean;
  /** A signing batch is running or its results are still shown: the form stays until dismissed. */
  signingActive: boolean;
  agencyName: string;
  onAgencyNamed: (name: string) => void;
}

export function IssuingPanel({ issuing, signPanel, signerOnly, signingActive, agencyName, onAgencyNamed }: IssuingPanelProps) {
  const { t } = useI18n();
  const describeError = useIssuingErrorMessage();
  const id = useId();
  const { outgoing, loadError } = issuing;
  const [abbreviation, setAbbreviation] = useState('');

  // The agency's abbreviation is part of the notation the draft will take; re-read when the agency changes.
  useEffect(() => {
    call('agency.get', {}).then(
      (agency) => setAbbreviation(agency.abbreviation),
      () => setAbbreviation(''),
    );
  }, [agencyName]);

  if (!outgoing) {
    return (
      <section className="pane-section" aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`} className="section-title">
          {t('issuing.title')}
        </h3>
        {loadError ? (
          <p className="form-error" role="alert">
            {describeError(loadError)}
          </p>
        ) : (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> {t('issuing.loading')}
          </p>
        )}
      </section>
    );
  }

  const { document, numbering } = outgoing;
  const state = document.state;
  // The leader signs a draft; a signature the host does not accept (another signer, broken) is signed again.
  const wantsSignature = state === 'draft' || (state === 'signed' && (!numbering.allowed || signingActive));
  // Once queued the document has recipients on the axis, until then nothing to show.
  const onAxis = ['queued', 'sent', 'recalled', 'updated', 'replaced'].includes(state);
  const preview = document.number === null ? notationPreview(document.typeCode, abbreviation, outgoing.draft.draftingUnit) : null;

  return (
    <>
      <section className="pane-section issuing-section" aria-labelledby={`${id}-title`} data-testid="issuing-panel" data-state={state}>
        <div className="issuing-head">
          <h3 id={`${id}-title`} className="section-title">
            {t('issuing.title')}
          </h3>
          {document.notation ? (
            <span className="issuing-notation" data-testid="issuing-notation">
              {document.notation}
            </span>
          ) : (
            preview && (
              <span className="issuing-notation is-preview" title={t('draft.notationHint')}>
                {preview}
              </span>
            )
          )}
        </div>
        <IssuingStepper outgoing={outgoing} />
        <IssuingWarnings outgoing={outgoing} onDone={issuing.apply} />
        <DraftFacts outgoing={outgoing} />
      </section>
      {state === 'draft' && <PlacesSection documentId={document.id} marking={issuing.marking} />}
      {wantsSignature && signPanel && <div className={signerOnly ? 'issuing-sign is-signer-only' : 'issuing-sign'}>{signPanel}</div>}
      {(state === 'draft' || state === 'signed' || state === 'numbered') && (
        <NumberAndIssue outgoing={outgoing} agencyName={agencyName} onAgencyNamed={onAgencyNamed} onDone={issuing.apply} />
      )}
      <AfterIssueSection outgoing={outgoing} onDone={issuing.apply} />
      {onAxis && <DeliveriesSection documentId={document.id} />}
    </>
  );
}

/**
 * What the clerk should settle before the leader signs or the number is given: a notation printed
 * on the draft that numbering will not give (a drafting unit added in the form), and a signer's
 * name the certificate spells otherwise — numbering takes the certificate's spelling, and the
 * clerk may take it now.
 */
function IssuingWarnings({ outgoing, onDone }: { outgoing: OutgoingDetail; onDone: (next: OutgoingDetail) => void }) {
  const { t } = useI18n();
  const describeError = useIssuingErrorMessage();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const { notationMismatch, numbering, document } = outgoing;
  const certificateName = numbering.certificateName;
  if (!notationMismatch && !certificateName) return null;

  async function takeCertificateName(name: string) {
    setBusy(true);
    setFailure(null);
    try {
      onDone(await call('outgoing.updateDraft', { id: document.id, details: { signerName: name } }));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="issuing-warnings">
      {notationMismatch && (
        <p className="issuing-warning" role="status" data-testid="notation-mismatch">
          {t('issuing.notationMismatch', { printed: notationMismatch.printed, given: notationMismatch.given })}
        </p>
      )}
      {certificateName && (
        <div className="issuing-warning" role="status" data-testid="signer-spelling">
          <p>{t('issuing.signerSpelling', { certificate: certificateName, declared: document.signerName })}</p>
          <button type="button" className="button button-small" data-testid="use-certificate-name" disabled={busy} onClick={() => void takeCertificateName(certificateName)}>
            {busy && <span className="spinner" aria-hidden="true" />}
            {t('issuing.useCertificateName')}
          </button>
          {failure !== null && (
            <span className="form-error" role="alert">
              {describeError(failure)}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

/** What the register and the axis need beyond the document's own fields. */
function DraftFacts({ outgoing }: { outgoing: OutgoingDetail }) {
  const { t, count } = useI18n();
  const { draft, attachments } = outgoing;
  const none = t('common.none');
  return (
    <dl className="draft-facts">
      <div>
        <dt>{t('draft.draftingUnit')}</dt>
        <dd>{draft.draftingUnit || none}</dd>
      </div>
      <div>
        <dt>{t('draft.copies')}</dt>
        <dd>{draft.copies === null ? none : count(draft.copies)}</dd>
      </div>
      <div>
        <dt>{t('draft.archiveHolder')}</dt>
        <dd>{draft.archiveHolder || none}</dd>
      </div>
      <div>
        <dt>{t('draft.confidentialShort')}</dt>
        <dd>{draft.confidential ? t('draft.confidentialYes') : t('draft.confidentialNo')}</dd>
      </div>
      <div className="is-wide">
        <dt>{t('draft.recipientCodes')}</dt>
        <dd>
          {draft.recipientCodes.length === 0 ? (
            none
          ) : (
            <ul className="chip-list">
              {draft.recipientCodes.map((code) => (
                <li key={code} className="chip">
                  {code}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
      {attachments.length > 0 && (
        <div className="is-wide">
          <dt>{t('draft.attachments')}</dt>
          <dd>
            <ul className="attachment-facts">
              {attachments.map((a) => (
                <li key={a.id}>
                  <span>{a.fileName}</span>
                  {a.signed && <span className="attachment-signed">{t('issuing.attachmentSigned')}</span>}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
      {draft.notes && (
        <div className="is-wide">
          <dt>{t('draft.notes')}</dt>
          <dd>{draft.notes}</dd>
        </div>
      )}
    </dl>
  );
}
