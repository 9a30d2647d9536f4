// Liên thông văn bản: where the clerk sees whether the axis is reachable, what waits to go and
// why something did not, and what arrived. It takes the place of the list and the pane like the
// register book does; "Gửi ngay" sends everything waiting without waiting for the next interval.
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ExchangeStatus } from '../../../main/common/contract.js';
import { formatDateTimeVn } from '../../../main/common/dates.js';
import { call } from '../api/client.js';
import type { Direction } from '../documents/filters.js';
import { useI18n } from '../i18n/i18n.js';
import { AxisDialog } from './AxisDialog.js';
import { useExchangeStatus } from './ExchangeStatusProvider.js';
import { PassNotice, type PassOutcome } from './PassNotice.js';
import { QueueTable } from './QueueTable.js';
import { ReceivedTable } from './ReceivedTable.js';
import { passProgressLabel, progressPercent } from './progress.js';
import '../outgoing/outgoing.css';
import './exchange.css';

type Tab = 'queue' | 'received';
const TABS: readonly Tab[] = ['queue', 'received'];

interface ExchangeViewProps {
  onOpenDocument: (id: number, direction: Direction) => void;
  onClose: () => void;
}

export function ExchangeView({ onOpenDocument, onClose }: ExchangeViewProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const status = useExchangeStatus();
  const [tab, setTab] = useState<Tab>('queue');
  const [includeSent, setIncludeSent] = useState(false);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<PassOutcome | null>(null);
  const [axisDialog, setAxisDialog] = useState(false);
  const dismissOutcome = useCallback(() => setOutcome(null), []);

  useEffect(() => heading.current?.focus(), []);

  const syncing = sending || Boolean(status?.syncing);
  // Without an axis (or the agency's code) a pass cannot go anywhere: the banner says what to set.
  const notConfigured = status?.connection === 'not-configured';

  async function sendNow() {
    setSending(true);
    setOutcome(null);
    try {
      setOutcome({ ok: true, result: await call('exchange.syncNow', {}) });
    } catch (error) {
      setOutcome({ ok: false, error });
    } finally {
      setSending(false);
    }
  }

  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const next = tab === 'queue' ? 'received' : 'queue';
    setTab(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  }

  return (
    <section className="exchange-view" aria-labelledby={`${id}-title`} data-testid="exchange-view">
      <header className="view-head">
        <div className="view-head-text">
          <h2 id={`${id}-title`} className="view-title" ref={heading} tabIndex={-1}>
            {t('exchange.title')}
          </h2>
          <p className="muted">{t('exchange.lead')}</p>
        </div>
        <button type="button" className="button" data-testid="open-axis-settings" onClick={() => setAxisDialog(true)}>
          <span className="icon-plug" aria-hidden="true" />
          {t('exchange.settings')}
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="sync-now"
          disabled={syncing || notConfigured}
          title={notConfigured ? t('exchange.needsSetup') : undefined}
          onClick={() => void sendNow()}
        >
          {syncing ? <span className="spinner spinner-on-primary" aria-hidden="true" /> : <span className="icon-send" aria-hidden="true" />}
          {syncing ? t('exchange.syncing') : t('exchange.syncNow')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('draft.backToList')}
        </button>
      </header>
      <ConnectionBanner status={status} onSettings={() => setAxisDialog(true)} />
      {outcome && <PassNotice outcome={outcome} onDismiss={dismissOutcome} />}
      <QueueSummary status={status} />
      <div className="exchange-tabs" role="tablist" aria-label={t('exchange.title')} onKeyDown={onTabKey}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`${id}-tab-${name}`}
            type="button"
            role="tab"
            className="exchange-tab"
            data-testid={`exchange-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`${id}-panel`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(`exchange.tab.${name}`)}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} className="exchange-panel" role="tabpanel" aria-labelledby={`${id}-tab-${tab}`}>
        {tab === 'queue' ? (
          <QueueTable
            includeSent={includeSent}
            onIncludeSent={setIncludeSent}
            syncing={syncing}
            notConfigured={notConfigured}
            onRetried={setOutcome}
            // A status answer belongs to a document received; everything else to one issued here.
            onOpenDocument={(documentId, action) => onOpenDocument(documentId, action === 'status' ? 'in' : 'out')}
          />
        ) : (
          <ReceivedTable onOpenDocument={(documentId, messageType) => onOpenDocument(documentId, messageType === 'status' ? 'out' : 'in')} />
        )}
      </div>
      {axisDialog && <AxisDialog onClose={() => setAxisDialog(false)} />}
    </section>
  );
}

/** Where the connection stands, in a sentence that says what it means for the documents waiting. */
function ConnectionBanner({ status, onSettings }: { status: ExchangeStatus | null; onSettings: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const connection = status?.connection ?? 'unknown';
  const needsSettings = connection === 'not-configured' || connection === 'auth-failed';
  const progress = status?.syncing ? status.progress : null;
  return (
    <div className={`connection-banner is-${connection}`} data-testid="connection-banner" data-connection={connection}>
      <span className="connection-dot" aria-hidden="true" />
      <div className="connection-banner-text">
        <strong>{t(`exchange.connection.${connection}`)}</strong>
        <span>{t(`exchange.banner.${connection}`)}</span>
        <span className="muted">
          {status?.lastSyncAt ? t('exchange.indicator.lastSync', { time: formatDateTimeVn(status.lastSyncAt) }) : t('exchange.indicator.neverSynced')}
        </span>
        {status?.lastError && connection !== 'online' && (
          // The code stays in the tooltip, for whoever the clerk calls about it.
          <span className="connection-error" data-testid="connection-error" data-code={status.lastError.code} title={status.lastError.code}>
            {i18n.problemMessage(status.lastError)}
          </span>
        )}
      </div>
      {needsSettings && (
        <button type="button" className="button button-small" onClick={onSettings}>
          {t('exchange.settingsOpen')}
        </button>
      )}
      {status?.syncing && (
        <div className="connection-banner-progress">
          <span>{progress ? passProgressLabel(i18n, progress) : t('exchange.syncing')}</span>
          <div
            className="progress-track"
            role="progressbar"
            aria-label={t('exchange.progressLabel')}
            aria-valuemin={0}
            aria-valuemax={progress?.total || undefined}
            aria-valuenow={progress?.total ? progress.done : undefined}
          >
            <div className={progress?.total ? 'progress-fill' : 'progress-fill is-indeterminate'} style={progress?.total ? { width: `${progressPercent(progress)}%` } : undefined} />
          </div>
        </div>
      )}
    </div>
  );
}

function QueueSummary({ status }: { status: ExchangeStatus | null }) {
  const { t, count, fileSize } = useI18n();
  const queue = status?.queue;
  const none = t('common.none');
  const facts: { key: string; label: string; value: string; tone?: 'danger' }[] = [
    { key: 'waiting', label: t('exchange.summary.waiting'), value: queue ? count(queue.waiting) : none },
    { key: 'failed', label: t('exchange.summary.failed'), value: queue ? count(queue.failed) : none, ...(queue && queue.failed > 0 ? { tone: 'danger' as const } : {}) },
    { key: 'sentToday', label: t('exchange.summary.sentToday'), value: queue ? count(queue.sentToday) : none },
    { key: 'bytesWaiting', label: t('exchange.summary.bytesWaiting'), value: queue ? fileSize(queue.bytesWaiting) : none },
    { key: 'oldest', label: t('exchange.summary.oldest'), value: queue?.oldestQueuedAt ? formatDateTimeVn(queue.oldestQueuedAt) : none },
    {
      key: 'nextAttempt',
      label: t('exchange.summary.nextAttempt'),
      // Waiting with no time set means due now: it goes with the next pass.
      value: queue?.nextAttemptAt ? formatDateTimeVn(queue.nextAttemptAt) : queue && queue.waiting > 0 ? t('exchange.summary.nextPass') : none,
    },
  ];
  return (
    <dl className="exchange-summary" data-testid="exchange-summary">
      {facts.map((fact) => (
        <div key={fact.key} className={fact.tone ? `summary-fact is-${fact.tone}` : 'summary-fact'} data-testid={`summary-${fact.key}`}>
          <dt>{fact.label}</dt>
          <dd>{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}
