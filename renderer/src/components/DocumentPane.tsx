// The document pane: the document a clerk reads is its main area — the preview, with the file it
// shows (the current one, an earlier version, an attachment) and "Tải về", "In", "Mở thư mục" —
// and beside it the panels: the document's data, signing, issuing, its signatures, its files and
// its history. The split between preview and panels is the clerk's to drag (and is kept), the
// panels fold away, and the pane can widen over the list. A narrow pane (a commune's 1024 px
// laptop) puts the panels under the preview instead, the split then dragged up and down.
import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import type { DocumentDetail, DocumentFile } from '../../../main/common/contract.js';
import { formatDateVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { AuditTrail } from './AuditTrail.js';
import { DocumentDetails } from './DocumentDetails.js';
import { DocumentEditForm, editLocked } from './DocumentEditForm.js';
import { PdfPreview } from './PdfPreview.js';
import { SignPanel } from './SignPanel.js';
import { Splitter } from './Splitter.js';
import { DEFAULT_BOX, type SignaturePlacement, type SigningRole } from '../signing/placement.js';
import type { Signing, SigningTarget } from '../signing/useSigning.js';
import { IssuingPanel } from '../outgoing/IssuingPanel.js';
import { underIssuingRules, useIssuing } from '../outgoing/useIssuing.js';
import { SignaturePanel } from '../validation/SignaturePanel.js';
import { DocumentFilesSection } from '../files/DocumentFilesSection.js';
import { DocumentDuplicates } from '../incoming/DuplicateNotice.js';
import { FileBar, useFileLabel } from '../files/FileBar.js';
import { isPdf } from '../files/fileActions.js';
import { useDocumentFiles } from '../files/useDocumentFiles.js';
import { CapturedValue, useTypeLabel } from '../incoming/CapturedValue.js';
import './documentPane.css';

/** Arrowing through the list should not fetch every document passed on the way. */
const LOAD_DELAY_MS = 60;

/** Below this width (CSS pixels) the panels go under the preview rather than beside it. */
const SIDE_BY_SIDE_MIN = 720;
const SIDE_MIN = 300;
const PREVIEW_MIN = 320;
const SIDE_DEFAULT = 380;
const PREVIEW_HEIGHT_MIN = 200;
const PANEL_HEIGHT_MIN = 140;
const SIDE_WIDTH_KEY = 'eoffice.paneSideWidth';
const PREVIEW_HEIGHT_KEY = 'eoffice.panePreviewHeight';
const PANELS_KEY = 'eoffice.panePanels';
const WIDE_KEY = 'eoffice.paneWide';

type Loaded = { status: 'idle' } | { status: 'ready'; detail: DocumentDetail } | { status: 'failed'; id: number; error: unknown };

/** A size the clerk chose, kept between sessions; null until they choose one. */
function useStoredNumber(key: string): [number | null, (next: number) => void] {
  const [value, setValue] = useState<number | null>(() => {
    const saved = localStorage.getItem(key);
    return saved !== null && Number.isFinite(Number(saved)) ? Number(saved) : null;
  });
  const set = useCallback(
    (next: number) => {
      setValue(next);
      localStorage.setItem(key, String(next));
    },
    [key],
  );
  return [value, set];
}

function useStoredFlag(key: string, fallback: boolean): [boolean, (next: boolean) => void] {
  const [value, setValue] = useState(() => (localStorage.getItem(key) === null ? fallback : localStorage.getItem(key) === 'true'));
  const set = useCallback(
    (next: boolean) => {
      setValue(next);
      localStorage.setItem(key, String(next));
    },
    [key],
  );
  return [value, set];
}

/** An element's size, followed as the window or the splitters change it (0×0 until it is there). */
function useBoxSize(element: HTMLElement | null): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const box = entry?.contentRect;
      if (box) setSize({ width: Math.floor(box.width), height: Math.floor(box.height) });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return size;
}

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
  const { t, errorMessage } = useI18n();
  const typeLabel = useTypeLabel();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'idle' });
  const [role, setRole] = useState<SigningRole>('signer');
  const [placement, setPlacement] = useState<SignaturePlacement | null>(null);
  const [placing, setPlacing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [savedNotice, setSavedNotice] = useState(false);
  // The file the preview shows when it is not the current one: a version or an attachment.
  const [shownSha, setShownSha] = useState<string | null>(null);
  const [wide, setWide] = useStoredFlag(WIDE_KEY, false);
  const [panelsOpen, setPanelsOpen] = useStoredFlag(PANELS_KEY, true);
  const [sideWidth, setSideWidth] = useStoredNumber(SIDE_WIDTH_KEY);
  const [previewHeight, setPreviewHeight] = useStoredNumber(PREVIEW_HEIGHT_KEY);
  const heading = useRef<HTMLHeadingElement>(null);
  const focusDone = useRef(focusRequest);
  // A state, not a ref: the main area exists only once a document is shown, and its size is followed from then.
  const [main, setMain] = useState<HTMLDivElement | null>(null);
  const mainSize = useBoxSize(main);

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
  const files = useDocumentFiles(documentId ?? 0, detail?.fileSha256 ?? null, refreshToken);
  const fileLabel = useFileLabel();

  // Leaving a document abandons its edit, placing a signature on it, and the file picked to view.
  useEffect(() => {
    setEditing(false);
    setSavedNotice(false);
    setPlacing(false);
    setShownSha(null);
  }, [documentId]);

  // Signing and marking places work on the current file: starting either brings it back into view.
  const marking = issuing.marking.marking;
  useEffect(() => {
    if (placing || marking) setShownSha(null);
  }, [placing, marking]);

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
  const shown: DocumentFile | null = files.find(shownSha);
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

  // Side by side when there is room for both; else the panels under the preview.
  const sideBySide = mainSize.width === 0 || mainSize.width >= SIDE_BY_SIDE_MIN;
  const sideMax = Math.max(SIDE_MIN, mainSize.width - PREVIEW_MIN);
  const side = Math.min(sideMax, Math.max(SIDE_MIN, sideWidth ?? SIDE_DEFAULT));
  const previewMax = Math.max(PREVIEW_HEIGHT_MIN, mainSize.height - PANEL_HEIGHT_MIN);
  const preview = Math.min(previewMax, Math.max(PREVIEW_HEIGHT_MIN, previewHeight ?? Math.round(mainSize.height * 0.68)));
  const layout = !panelsOpen ? 'is-preview-only' : sideBySide ? 'is-side-by-side' : 'is-stacked';
  const mainStyle = { '--pane-side-width': `${side}px`, '--pane-preview-height': `${preview}px` } as CSSProperties;

  const previewArea = (
    <section className="pane-preview" aria-label={t('pane.preview')} data-testid="pane-preview">
      {detail.fileName ? (
        <>
          <FileBar documentId={detail.id} files={files.files} shown={shown} onShow={(file) => setShownSha(file?.sha256 ?? null)} currentName={detail.fileName} />
          {shown && (
            <p className="file-not-current" role="status" data-testid="file-not-current">
              <span>{t('files.notCurrent', { file: fileLabel(shown) })}</span>
              <button type="button" className="link-button" onClick={() => setShownSha(null)}>
                {t('files.backToCurrent')}
              </button>
            </p>
          )}
          {shown && !isPdf(shown) ? (
            <p className="muted pane-preview-message">{t('files.notPreviewable')}</p>
          ) : (
            // Keyed by the file: once signed, the document's file is a new one to load.
            <PdfPreview
              key={`${detail.id}:${shown?.sha256 ?? detail.fileSha256}`}
              documentId={detail.id}
              sha256={shown?.sha256}
              placement={
                shown
                  ? undefined
                  : (issuing.previewControl ??
                    (signingRole === 'attachment'
                      ? undefined
                      : {
                          active: placing,
                          value: placement,
                          size: DEFAULT_BOX[signingRole],
                          label: t(`placement.${signingRole}`),
                          onChange: setPlacement,
                          onDone: () => setPlacing(false),
                        }))
              }
            />
          )}
        </>
      ) : (
        <p className="muted pane-preview-message">{t('pane.noFile')}</p>
      )}
    </section>
  );

  const panels = (
    <div className="pane-side" role="region" aria-label={t('pane.panelsLabel')} data-testid="pane-side">
      {detail.direction === 'in' && <DocumentDuplicates key={detail.id} documentId={detail.id} />}
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
          <DocumentDetails detail={detail} agencyName={agencyName} />
        </section>
      )}
      {detail.direction === 'out' ? (
        <IssuingPanel issuing={issuing} signPanel={signPanel} signerOnly={signerOnly} signingActive={signing.state.phase !== 'idle'} agencyName={agencyName} onAgencyNamed={onAgencyNamed} />
      ) : (
        signPanel
      )}
      {/* The signatures of the file shown; a draft being issued is judged by the issuing steps instead, until numbered. */}
      {detail.fileName && (shown ? isPdf(shown) : !signerOnly || (detail.state !== 'draft' && detail.state !== 'signed')) && (
        <SignaturePanel key={`${detail.id}:${shown?.sha256 ?? ''}`} documentId={detail.id} fileKey={shown?.sha256 ?? detail.fileSha256} sha256={shown?.sha256} pageCount={shown ? null : detail.pageCount} compact />
      )}
      {detail.fileName && <DocumentFilesSection documentId={detail.id} fileKey={detail.fileSha256} files={files.files} shown={shown} onShow={(file) => setShownSha(file?.sha256 ?? null)} />}
      <AuditTrail events={detail.events} />
    </div>
  );

  // While the next document loads the previous one stays, dimmed: no blank flash between rows.
  return (
    <aside className={['doc-pane', current ? '' : 'is-stale', wide ? 'is-wide' : ''].filter(Boolean).join(' ')} data-testid="doc-pane" data-doc-id={detail.id} data-layout={layout} aria-label={t('pane.label')} aria-busy={!current}>
      <header className="pane-head">
        <div className="pane-kicker">
          {/* An incoming document whose type nothing said shows that, not "Công văn". */}
          <span>{typeLabel(detail.typeCode, detail.capture)}</span>
          <span>{detail.notation || t('common.none')}</span>
          {detail.documentDate && <span>{formatDateVn(detail.documentDate)}</span>}
        </div>
        <h2 className="pane-subject" data-testid="doc-subject" ref={heading} tabIndex={-1}>
          {/* A trích yếu that is only the file's name or PDF title is marked as such, to fill in. */}
          <CapturedValue field="subject" capture={detail.capture} values={detail} marks="missing">
            {detail.subject}
          </CapturedValue>
        </h2>
        <div className="pane-badges">
          <span className={`state-badge state-${detail.state}`}>{t(`state.${detail.state}`)}</span>
          {detail.priority !== 'normal' && <span className={`priority-badge priority-${detail.priority}`}>{t(`priority.${detail.priority}`)}</span>}
          {detail.pageCount !== null && <span className="muted">{detail.pageCount === 1 ? t('pane.pageCountOne') : t('pane.pageCount', { count: detail.pageCount })}</span>}
          <span className="toolbar-gap" />
          {savedNotice && (
            <span className="saved-notice" role="status">
              {t('pane.saved')}
            </span>
          )}
          {!editing && (
            // Closed once the record is locked (numbered, registered, recalled): the details say why.
            <button
              type="button"
              className="button button-small"
              data-testid="pane-edit"
              disabled={editLocked(detail)}
              title={detail.lock ? t('pane.editLocked', { reason: t(`lock.${detail.lock.reason}`) }) : undefined}
              onClick={() => {
                setSavedNotice(false);
                setPanelsOpen(true);
                setEditing(true);
              }}
            >
              {t('pane.edit')}
            </button>
          )}
          <button type="button" className="button button-small" data-testid="pane-panels" aria-pressed={panelsOpen} title={t('pane.panelsHint')} onClick={() => setPanelsOpen(!panelsOpen)}>
            {t('pane.panels')}
          </button>
          <button type="button" className="button button-small" data-testid="pane-widen" aria-pressed={wide} title={wide ? t('pane.narrowHint') : t('pane.widenHint')} onClick={() => setWide(!wide)}>
            {wide ? t('pane.narrow') : t('pane.widen')}
          </button>
        </div>
      </header>
      <div ref={setMain} className={`pane-main ${layout}`} style={mainStyle} data-testid="pane-main">
        {previewArea}
        {panelsOpen &&
          (sideBySide ? (
            <Splitter width={side} min={SIDE_MIN} max={sideMax} label={t('pane.resizePanels')} onChange={setSideWidth} />
          ) : (
            <Splitter width={preview} min={PREVIEW_HEIGHT_MIN} max={previewMax} label={t('pane.resizePanels')} onChange={setPreviewHeight} orientation="horizontal" sizes="before" />
          ))}
        {panelsOpen && panels}
      </div>
    </aside>
  );
}
