import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentDetail } from '../../../main/common/contract.js';
import { formatDateVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { AuditTrail } from './AuditTrail.js';
import { DocumentDetails } from './DocumentDetails.js';
import { DocumentEditForm } from './DocumentEditForm.js';
import { PdfPreview } from './PdfPreview.js';
import { SignPanel } from './SignPanel.js';
import { DEFAULT_BOX, type SignaturePlacement, type SigningRole } from '../signing/placement.js';
import type { Signing, SigningTarget } from '../signing/useSigning.js';
import { IssuingPanel } from '../outgoing/IssuingPanel.js';
import { underIssuingRules, useIssuing } from '../outgoing/useIssuing.js';
import { SignaturePanel } from '../validation/SignaturePanel.js';

/** Arrowing through the list should not fetch every document passed on the way. */
const LOAD_DELAY_MS = 60;

type Loaded = { status: 'idle' } | { status: 'ready'; detail: DocumentDetail } | { status: 'failed'; id: number; error: unknown };

interface DocumentPaneProps {
  documentId: number | null;
  /** Changes when the registry changed, so the shown document is fetched again. */
  refreshToken: number;
  /** Changes when the clerk "opens" a document (Enter): focus moves to the pane once it shows it. */
  focusRequest: number;
  onSaved: (detail: DocumentDetail) => void;
  /** The documents ticked in the list, signed together instead of the one shown. */
  checked: readonly SigningTarget[];
  signing: Signing;
  agencyName: string;
  onAgencyNamed: (name: string) => void;
}

export function DocumentPane({ documentId, refreshToken, focusRequest, onSaved, checked, signing, agencyName, onAgencyNamed }: DocumentPaneProps) {
  const { t, typeName, errorMessage } = useI18n();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'idle' });
  const [role, setRole] = useState<SigningRole>('signer');
  const [placement, setPlacement] = useState<SignaturePlacement | null>(null);
  const [placing, setPlacing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [savedNotice, setSavedNotice] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const focusDone = useRef(focusRequest);

  useEffect(() => {
    if (documentId === null) return setLoaded({ status: 'idle' });
    let cancelled = false;
    const timer = setTimeout(() => {
      call('documents.get', { id: documentId }).then(
        (detail) => !cancelled && setLoaded({ status: 'ready', detail }),
        (error: unknown) => !cancelled && setLoaded({ status: 'failed', id: documentId, error }),
      );
    }, LOAD_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [documentId, refreshToken]);

  const detail = loaded.status === 'ready' ? loaded.detail : null;
  const current = detail?.id === documentId;

  // Văn bản đi: the issuing steps, and the places for the number and date marked on the preview.
  const showIssuingAnswer = useCallback((next: DocumentDetail) => setLoaded({ status: 'ready', detail: next }), []);
  const stopSignaturePlacing = useCallback(() => setPlacing(false), []);
  const issuing = useIssuing({
    detail: current && detail?.direction === 'out' ? detail : null,
    refreshToken,
    onDocument: showIssuingAnswer,
    onMarkingStart: stopSignaturePlacing,
    signaturePlacement: placing ? 'placing' : placement ? 'placed' : 'none',
  });

  // Leaving a document abandons its edit, and placing a signature on it.
  useEffect(() => {
    setEditing(false);
    setSavedNotice(false);
    setPlacing(false);
  }, [documentId]);

  // A placed signature has done its work once the batch signed something: the preview now shows it.
  const { state: signingState } = signing;
  useEffect(() => {
    if (signingState.phase === 'finished' && signingState.results.some((r) => r.status === 'signed')) setPlacement(null);
  }, [signingState]);

  useEffect(() => {
    if (current && focusDone.current !== focusRequest) {
      focusDone.current = focusRequest;
      heading.current?.focus();
    }
  }, [current, focusRequest]);

  if (documentId === null) {
    return (
      <aside className="doc-pane is-empty" data-testid="doc-pane" aria-label={t('pane.label')}>
        <p className="pane-placeholder">{t('pane.empty')}</p>
      </aside>
    );
  }

  if (loaded.status === 'failed' && loaded.id === documentId) {
    return (
      <aside className="doc-pane is-empty" data-testid="doc-pane" aria-label={t('pane.label')}>
        <p className="pane-placeholder is-error" role="alert">
          {t('pane.loadFailed')} {errorMessage(loaded.error)}
        </p>
      </aside>
    );
  }

  if (!detail) {
    return (
      <aside className="doc-pane is-empty" data-testid="doc-pane" aria-label={t('pane.label')} aria-busy="true">
        <p className="pane-placeholder" role="status">
          <span className="spinner" aria-hidden="true" /> {t('pane.loading')}
        </p>
      </aside>
    );
  }

  // Under the issuing rules the agency signs when the document is issued ("Phát hành"), after its
  // number: here only the competent person signs it.
  const signerOnly = underIssuingRules(detail);
  const signingRole: SigningRole = signerOnly ? 'signer' : role;
  const signPanel = detail.fileName && (
    <SignPanel
      targets={checked.length > 0 ? checked : [{ id: detail.id, label: detail.notation || detail.subject }]}
      fromSelection={checked.length > 0}
      signing={signing}
      role={signingRole}
      onRoleChange={(next) => {
        setRole(next);
        setPlacing(false);
      }}
      placement={placement}
      placing={placing}
      onPlacingChange={setPlacing}
      agencyName={agencyName}
      onAgencyNamed={onAgencyNamed}
    />
  );

  // While the next document loads the previous one stays, dimmed: no blank flash between rows.
  return (
    <aside className={current ? 'doc-pane' : 'doc-pane is-stale'} data-testid="doc-pane" data-doc-id={detail.id} aria-label={t('pane.label')} aria-busy={!current}>
      <header className="pane-head">
        <div className="pane-kicker">
          <span>{typeName(detail.typeCode)}</span>
          <span>{detail.notation || t('common.none')}</span>
          {detail.documentDate && <span>{formatDateVn(detail.documentDate)}</span>}
        </div>
        <h2 className="pane-subject" data-testid="doc-subject" ref={heading} tabIndex={-1}>
          {detail.subject}
        </h2>
        <div className="pane-badges">
          <span className={`state-badge state-${detail.state}`}>{t(`state.${detail.state}`)}</span>
          {detail.priority !== 'normal' && <span className={`priority-badge priority-${detail.priority}`}>{t(`priority.${detail.priority}`)}</span>}
          {detail.pageCount !== null && <span className="muted">{t('pane.pageCount', { count: detail.pageCount })}</span>}
          <span className="toolbar-gap" />
          {savedNotice && (
            <span className="saved-notice" role="status">
              {t('pane.saved')}
            </span>
          )}
          {!editing && (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setSavedNotice(false);
                setEditing(true);
              }}
            >
              {t('pane.edit')}
            </button>
          )}
        </div>
      </header>
      <div className="pane-body">
        {editing ? (
          <DocumentEditForm
            key={detail.id}
            detail={detail}
            onCancel={() => setEditing(false)}
            onSaved={(saved) => {
              setLoaded({ status: 'ready', detail: saved });
              setEditing(false);
              setSavedNotice(true);
              onSaved(saved);
            }}
          />
        ) : (
          <section className="pane-section" aria-label={t('pane.metadata')}>
            <DocumentDetails detail={detail} />
          </section>
        )}
        {detail.direction === 'out' ? (
          <IssuingPanel issuing={issuing} signPanel={signPanel} signerOnly={signerOnly} signingActive={signing.state.phase !== 'idle'} agencyName={agencyName} onAgencyNamed={onAgencyNamed} />
        ) : (
          signPanel
        )}
        {/* A draft being issued is judged by the issuing steps; any other file shows its signatures. */}
        {detail.fileName && !signerOnly && <SignaturePanel key={detail.id} documentId={detail.id} fileKey={detail.fileSha256} compact />}
        <section className="pane-section" aria-labelledby="preview-title">
          <h3 id="preview-title" className="section-title">
            {t('pane.preview')}
          </h3>
          {detail.fileName ? (
            // Keyed by the file too: once signed, the document's file is a new one to load.
            <PdfPreview
              key={`${detail.id}:${detail.fileSha256}`}
              documentId={detail.id}
              placement={
                issuing.previewControl ??
                (signingRole === 'attachment'
                  ? undefined
                  : {
                      active: placing,
                      value: placement,
                      size: DEFAULT_BOX[signingRole],
                      label: t(`placement.${signingRole}`),
                      onChange: setPlacement,
                      onDone: () => setPlacing(false),
                    })
              }
            />
          ) : (
            <p className="muted">{t('pane.noFile')}</p>
          )}
        </section>
        <AuditTrail events={detail.events} />
      </div>
    </aside>
  );
}
