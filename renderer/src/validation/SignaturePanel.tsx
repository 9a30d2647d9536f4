// Chữ ký số: the validation report of a document's file, one card per signature, the way a PDF
// reader's signature panel shows it — whether it is genuine, by whom, when, what it covers, what
// changed after it, and whether its certificate leads to a trusted root and is not revoked. It
// runs when the document opens; "Kiểm tra lại" runs it again (after a trust store change, or once
// the network is back). Revocation is asked online only when the OS says there is a network:
// offline, the core answers from its cache (or "unknown"), without waiting on timeouts.
//
// A signature that is intact and trusted but whose revocation could not be checked (a commune
// offline, most days) gets a plain sentence saying so, in the colours of a valid one: it is not a
// problem, and it is kept apart from the reasons a signature fails.
import { useCallback, useEffect, useId, useState } from 'react';
import type { ChangeArea, ChangeKind, RevocationReport, SignatureReport, ValidationReport, ValidationStatus } from '../../../main/common/validation.js';
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { commonName } from '../../../main/common/distinguishedName.js';
import { call } from '../api/client.js';
import { useI18n, type I18n } from '../i18n/i18n.js';
import { TrustDialog } from './TrustDialog.js';
import './validation.css';

const BROWSE_DELAY_MS = 400;

type Loaded = { status: 'loading' } | { status: 'ready'; report: ValidationReport } | { status: 'failed'; error: unknown };

interface SignaturePanelProps {
  documentId: number;
  /** The file's hash: a new file (signed again, filled in) is checked again. */
  fileKey: string | null;
  /** One of the document's files (a version, an attachment) rather than its current file. */
  sha256?: string;
  /** The file's pages, when known: the coverage says them. */
  pageCount?: number | null;
  /** Shown open (the incoming panel) or folded into a summary line (the registry pane). */
  compact?: boolean;
}

function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

export function SignaturePanel({ documentId, fileKey, sha256, pageCount = null, compact = false }: SignaturePanelProps) {
  const { t, errorMessage, count } = useI18n();
  const id = useId();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [online, setOnline] = useState(isOnline);
  const [trustDialog, setTrustDialog] = useState(false);

  useEffect(() => {
    const update = () => setOnline(isOnline());
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    setLoaded({ status: 'loading' });
    // In the registry pane the clerk may be arrowing through the list: only a document stayed on is checked.
    const timer = setTimeout(
      () =>
        call('documents.validate', { id: documentId, online: isOnline(), ...(sha256 ? { sha256 } : {}) }).then(
          (report) => !cancelled && setLoaded({ status: 'ready', report }),
          (error: unknown) => !cancelled && setLoaded({ status: 'failed', error }),
        ),
      compact && generation === 0 ? BROWSE_DELAY_MS : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [documentId, fileKey, sha256, generation, compact]);

  const recheck = useCallback(() => setGeneration((n) => n + 1), []);
  const report = loaded.status === 'ready' ? loaded.report : null;
  const needsTrust = report?.signatures.some((s) => s.trust.status !== 'trusted') ?? false;

  return (
    <section className="pane-section sig-panel" aria-labelledby={`${id}-title`} data-testid="signature-panel" data-status={report?.status ?? loaded.status}>
      <div className="sig-head">
        <h3 id={`${id}-title`} className="section-title">
          {t('sig.title')}
        </h3>
        {report && report.signatures.length > 0 && <StatusBadge status={report.status} testId="signature-overall" />}
        {report && <span className="muted sig-count">{t('sig.count', { count: count(report.signatures.length) })}</span>}
        <span className="toolbar-gap" />
        <button type="button" className="button button-small" data-testid="signature-recheck" disabled={loaded.status === 'loading'} onClick={recheck}>
          {loaded.status === 'loading' && <span className="spinner" aria-hidden="true" />}
          {t('sig.recheck')}
        </button>
      </div>
      {loaded.status === 'loading' && (
        <p className="muted" role="status" data-testid="signature-checking">
          <span className="spinner" aria-hidden="true" /> {t('sig.checking')}
        </p>
      )}
      {loaded.status === 'failed' && (
        <p className="form-error" role="alert">
          {t('sig.failed')} {errorMessage(loaded.error)}
        </p>
      )}
      {report && (
        <>
          {report.signatures.length === 0 ? (
            <p className="muted" data-testid="signature-none">
              {t('sig.none')}
            </p>
          ) : (
            <ol className="sig-cards">
              {report.signatures.map((signature, index) => (
                <li key={`${signature.fieldName}:${index}`}>
                  <SignatureCard signature={signature} pageCount={pageCount} folded={compact && report.signatures.length > 1} />
                </li>
              ))}
            </ol>
          )}
          <p className="sig-foot muted">
            <span>{t('sig.checkedAt', { time: formatDateTimeVn(report.validatedAt) })}</span>
            {!online && <span>{t('sig.offlineNote')}</span>}
            {(needsTrust || !compact) && (
              <button type="button" className="link-button" data-testid="open-trust" onClick={() => setTrustDialog(true)}>
                {t('sig.trust.manage')}
              </button>
            )}
          </p>
        </>
      )}
      {trustDialog && (
        <TrustDialog
          onClose={(changed) => {
            setTrustDialog(false);
            if (changed) recheck();
          }}
        />
      )}
    </section>
  );
}

export function StatusBadge({ status, testId }: { status: ValidationStatus; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`sig-badge is-${status}`} data-testid={testId} data-status={status}>
      <span className="sig-badge-icon" aria-hidden="true" />
      {t(`sig.status.${status}`)}
    </span>
  );
}

function SignatureCard({ signature, pageCount, folded }: { signature: SignatureReport; pageCount: number | null; folded: boolean }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const none = t('common.none');
  const areas = (list: readonly ChangeArea[]) => list.map((a) => t(`sig.area.${a}`)).join(locale === 'vi' ? ', ' : ', ');
  const { coverage, changes, trust, revocation } = signature;
  // A valid signature (revocation unknown or not) is told in one sentence; the reasons are for the others.
  const summary = summaryKey(signature);
  const reasons = summary ? [] : signature.reasons;

  const changeText =
    changes.verdict === 'none'
      ? t('sig.changes.none')
      : changes.verdict === 'permitted'
        ? t('sig.changes.permitted')
        : t('sig.changes.modified', { areas: areas(changes.modifiedAreas) || t('sig.area.other') });
  const coverageText = coverageInWords(signature, pageCount, i18n);
  const revocationText = [
    revocation.status === 'revoked' && revocation.revokedAt
      ? t('sig.revocation.revokedAt', { time: formatDateTimeVn(revocation.revokedAt) })
      : revocation.status === 'unknown' && revocation.unavailableBecause
        ? t(`sig.revocation.because.${revocation.unavailableBecause}`)
        : t(`sig.revocation.${revocation.status}`),
    revocation.source ? t('sig.revocation.source', { source: revocation.source.toUpperCase() }) : null,
    revocation.cached ? t('sig.revocation.cached') : null,
    revocation.stale ? t('sig.revocation.stale') : null,
  ]
    .filter(Boolean)
    .join(', ');
  const issuer = trust.path[1]?.subject ?? signature.signer?.issuer ?? null;

  const body = (
    <>
      {summary && (
        <p className={`sig-summary is-${signature.status}`} data-testid="signature-summary">
          {t(summary)}
        </p>
      )}
      {reasons.length > 0 && (
        <ul className="sig-reasons" data-testid="signature-reasons">
          {reasons.map((reason, i) => (
            <li key={`${reason.code}:${i}`} className={`sig-reason is-${reason.severity}`} data-code={reason.code} title={reason.message}>
              {t(`sig.reason.${reason.code}`)}
            </li>
          ))}
        </ul>
      )}
      <dl className="sig-facts">
        <div>
          <dt>{t('sig.time')}</dt>
          <dd data-testid="signature-time">
            {formatDateTimeVn(signature.signingTime)} <span className="muted">(+07:00) — {t(`sig.time.${signature.signingTimeSource}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('sig.coverage')}</dt>
          <dd data-testid="signature-coverage" title={coverage.revision === null ? undefined : t('sig.coverage.revisionTitle', { revision: coverage.revision, revisions: coverage.revisions })}>
            {coverageText}
          </dd>
        </div>
        <div>
          <dt>{t('sig.changes')}</dt>
          <dd data-testid="signature-changes" className={changes.verdict === 'modified-after-signing' ? 'is-bad' : undefined}>
            {changeText}
          </dd>
        </div>
        <div>
          <dt>{t('sig.trust')}</dt>
          <dd data-testid="signature-trust" data-trust={trust.status} className={trust.status === 'trusted' ? 'is-good' : 'is-warn'}>
            {t(`sig.trust.${trust.status}`)}
            {issuer && <span className="sig-sub">{t('sig.trust.issuer', { issuer: commonName(issuer) })}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('sig.revocation')}</dt>
          <dd data-testid="signature-revocation" data-revocation={revocation.status} className={revocation.status === 'good' ? 'is-good' : revocation.status === 'revoked' ? 'is-bad' : 'is-warn'}>
            {revocationText}
          </dd>
        </div>
        {signature.timestamp && (
          <div>
            <dt>{t('sig.timestamp')}</dt>
            <dd>
              {formatDateTimeVn(signature.timestamp.time)} {signature.timestamp.authority && <span className="muted">— {commonName(signature.timestamp.authority)}</span>}
            </dd>
          </div>
        )}
      </dl>
      <details className="sig-technical">
        <summary>{t('sig.details')}</summary>
        <dl className="sig-facts">
          <div>
            <dt>{t('sig.field')}</dt>
            <dd>{signature.fieldName || none}</dd>
          </div>
          {signature.signer && (
            <>
              <div>
                <dt>{t('sig.serial')}</dt>
                <dd className="technical-value">{signature.signer.serialNumber}</dd>
              </div>
              <div>
                <dt>{t('sig.validity')}</dt>
                <dd>{t('trust.validity', { from: formatDateTimeVn(signature.signer.notBefore), to: formatDateTimeVn(signature.signer.notAfter) })}</dd>
              </div>
              <div>
                <dt>{t('sig.fingerprint')}</dt>
                <dd className="technical-value">{signature.signer.fingerprint256}</dd>
              </div>
            </>
          )}
          <div>
            <dt>{t('sig.algorithm')}</dt>
            <dd>
              {signature.subFilter} · {signature.digestAlgorithm}
            </dd>
          </div>
        </dl>
      </details>
    </>
  );

  const head = (
    <div className="sig-card-head">
      <StatusBadge status={signature.status} testId="signature-status" />
      <div className="sig-who">
        <strong data-testid="signature-signer">{signature.signer?.name || (signature.signer ? commonName(signature.signer.subject) : t('sig.unknownSigner'))}</strong>
        {signature.signer?.agency && <span className="muted">{signature.signer.agency}</span>}
      </div>
    </div>
  );

  return (
    <article className={`sig-card is-${signature.status}`} data-testid="signature-card" data-status={signature.status}>
      {folded ? (
        <details>
          <summary>{head}</summary>
          {body}
        </details>
      ) : (
        <>
          {head}
          {body}
        </>
      )}
    </article>
  );
}

/**
 * What the signature covers, in words: the pages as they were when it was made, and what the file
 * was given after it (the number and date filled in, another signature). The revision numbers
 * stay in the tooltip: "3/9" says nothing to a clerk.
 */
function coverageInWords(signature: SignatureReport, pageCount: number | null, { t, count }: I18n): string {
  const { coverage, changes } = signature;
  if (coverage.revision === null) return t('sig.coverage.unknown');
  const pages = pageCount === null ? t('sig.coverage.allPages') : pageCount === 1 ? t('sig.coverage.onePage') : t('sig.coverage.pageCount', { count: count(pageCount) });
  if (coverage.coversWholeDocument) return t('sig.coverage.whole', { pages });
  const kinds = new Map<ChangeKind, number>();
  for (const item of changes.items) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
  const added = [...kinds].map(([kind, n]) => t(`sig.added.${kind}`, { count: count(n) })).join(', ');
  return added ? t('sig.coverage.before', { pages, changes: added }) : t('sig.coverage.beforeCount', { pages, count: count(coverage.revisions - coverage.revision) });
}

/** The plain sentence for a valid signature, saying why revocation is not known when it is not; null for the others. */
function summaryKey(signature: SignatureReport): 'sig.summary.valid' | 'sig.summary.offline' | 'sig.summary.unreachable' | 'sig.summary.revocationUnknown' | null {
  if (signature.status === 'valid') return 'sig.summary.valid';
  if (signature.status !== 'valid-revocation-unknown') return null;
  const gaps = [signature.revocation, ...signature.issuerRevocation].filter((r: RevocationReport) => r.status === 'unknown' || r.stale).map((r) => r.unavailableBecause);
  if (gaps.length > 0 && gaps.every((gap) => gap === 'offline')) return 'sig.summary.offline';
  if (gaps.length > 0 && gaps.every((gap) => gap === 'offline' || gap === 'unreachable')) return 'sig.summary.unreachable';
  return 'sig.summary.revocationUnknown';
}

/** CN=… of a distinguished name, or the whole name. */
