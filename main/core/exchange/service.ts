// The exchange as the app runs it: one pass at a time (send what is due, then receive what waits),
// on an interval while the app is open, at once when the network comes back, and on demand
// ("Gửi ngay"). It keeps the connection state the UI shows, learnt from how requests fare and
// from the OS's network events.
import { prepared } from '../storage/database.js';
import { toVnIso } from '../../common/dates.js';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import type { ExchangeStatus, QueueItem, SyncPassResult } from '../../common/contract.js';
import type { CoreServices } from '../app/core.js';
import type { AxisAdapter } from '../axis/adapter.js';
import { createAxisAdapter } from '../axis/createAdapter.js';
import { localAgency } from '../registry/agency.js';
import { axisConfig, hasAxisSecret } from './axisSettings.js';
import { makeAllDue, retryJob, sendDueJobs, type ExchangeContext } from './outbox.js';
import { receiveWaiting } from './inbox.js';
import { mergeAgencyDirectory } from './agencies.js';
import { exchangeProblem, storedProblem } from './problems.js';

/** The directory changes rarely: once a day is enough, and the first online pass of a run. */
const DIRECTORY_REFRESH_MS = 24 * 60 * 60 * 1000;

type Connection = ExchangeStatus['connection'];

export class ExchangeService {
  private connection: Connection = 'unknown';
  private lastSyncAt: string | null = null;
  private lastError: ApiErrorShape | null = null;
  private progress: ExchangeStatus['progress'] = null;
  private running: Promise<SyncPassResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private adapterFor: { key: string; adapter: AxisAdapter } | null = null;
  private directoryFetchedAt = 0;
  private readonly abort = new AbortController();

  private soon: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly core: CoreServices,
    private readonly options: { random?: () => number; now?: () => Date } = {},
  ) {
    this.unsubscribe = core.events.subscribe((name) => {
      if (name === 'documents.changed') this.documentsChanged();
    });
  }

  /**
   * Issuing, recalling or answering a sender queues a job: the header's counts change at once, and
   * while the app runs its interval, the job goes out now rather than a minute later.
   */
  private documentsChanged(): void {
    this.changed();
    if (!this.timer || this.soon || this.connection === 'offline' || this.connection === 'auth-failed' || this.connection === 'not-configured') return;
    if (!prepared(this.core.db, "SELECT 1 FROM outbox_jobs WHERE state = 'queued' AND next_attempt_at IS NULL LIMIT 1").get()) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.syncOnce().catch((error: unknown) => this.noteFailure(error));
    }, 1000);
    this.soon.unref();
  }

  private context(): ExchangeContext {
    return { db: this.core.db, blobs: this.core.blobs, actor: this.core.actor, ...this.options };
  }

  /**
   * The adapter for the current settings, rebuilt when they change so that a new secret takes
   * effect at once; or why there is none (nothing set, or a secret this shell cannot open).
   */
  private adapter(): { adapter: AxisAdapter } | { problem: ApiErrorShape } {
    let config;
    try {
      config = axisConfig(this.core.dataDir, this.core.settings, this.core.secrets);
    } catch (error) {
      // A setting to fix (an endpoint refused, a secret this shell cannot open), not a failed pass.
      if (error instanceof AppError && error.code.startsWith('AXIS_')) return { problem: error.toShape() };
      throw error;
    }
    if (!config) return { problem: new AppError('AXIS_NOT_CONFIGURED', 'The axis connection is not set up.').toShape() };
    const key = JSON.stringify(config);
    if (this.adapterFor?.key !== key) this.adapterFor = { key, adapter: createAxisAdapter(config) };
    return { adapter: this.adapterFor.adapter };
  }

  /** One pass; a second call while one runs waits for it instead of starting another. */
  syncOnce(): Promise<SyncPassResult> {
    if (this.stopped) return Promise.reject(new Error('The exchange has stopped (the app is closing).'));
    this.running ??= this.pass().finally(() => {
      this.running = null;
      this.progress = null;
      this.changed();
    });
    return this.running;
  }

  private async pass(): Promise<SyncPassResult> {
    const result: SyncPassResult = { sent: 0, retrying: 0, failed: 0, received: 0, statuses: 0, duplicates: 0, possibleDuplicates: 0, refused: 0, connection: this.connection, error: null };
    const configured = this.adapter();
    const localCode = localAgency(this.core.db).code;
    if (!('adapter' in configured) || !localCode) {
      this.connection = 'not-configured';
      this.lastError = !localCode ? new AppError('AGENCY_CODE_MISSING', "The agency's identifier code is not set.").toShape() : (configured as { problem: ApiErrorShape }).problem;
      return { ...result, connection: this.connection, error: this.lastError };
    }
    const { adapter } = configured;
    const ctx = this.context();
    const signal = this.abort.signal;
    this.changed();
    const sent = await sendDueJobs(ctx, adapter, localCode, {
      signal,
      onProgress: (p) => this.report({ phase: 'sending', done: p.done, total: p.total }),
    });
    Object.assign(result, { sent: sent.sent, retrying: sent.retrying, failed: sent.failed });
    let error = sent.lastError;
    let connection: Connection = sent.authFailed ? 'auth-failed' : sent.reachable ? 'online' : 'offline';
    if (connection === 'online') {
      const received = await receiveWaiting(ctx, adapter, localCode, {
        signal,
        onProgress: (p) => this.report({ phase: 'receiving', done: p.done, total: p.total }),
      });
      Object.assign(result, { received: received.received, statuses: received.statuses, duplicates: received.duplicates, possibleDuplicates: received.possibleDuplicates, refused: received.refused });
      error = received.lastError ?? error;
      connection = received.authFailed ? 'auth-failed' : received.reachable ? 'online' : 'offline';
      // A 01 queued for what just arrived goes out in the same pass rather than a minute later.
      if (connection === 'online' && received.received > 0) {
        const answers = await sendDueJobs(ctx, adapter, localCode, { signal });
        result.sent += answers.sent;
        result.retrying += answers.retrying;
        result.failed += answers.failed;
      }
    }
    this.connection = connection;
    this.lastError = error;
    if (connection === 'online') await this.refreshDirectory(adapter, signal);
    this.lastSyncAt = toVnIso(this.options.now?.() ?? new Date());
    if (result.received + result.statuses > 0) this.core.events.emit('documents.changed', { ids: [] });
    return { ...result, connection, error };
  }

  /** A directory that cannot be fetched now is fetched next pass; the pass does not fail for it. */
  private async refreshDirectory(adapter: AxisAdapter, signal: AbortSignal): Promise<void> {
    const now = (this.options.now?.() ?? new Date()).getTime();
    if (now - this.directoryFetchedAt < DIRECTORY_REFRESH_MS) return;
    try {
      mergeAgencyDirectory(this.core.db, await adapter.listAgencies(signal));
      this.directoryFetchedAt = now;
    } catch (error) {
      this.lastError = exchangeProblem(error);
    }
  }

  private report(progress: NonNullable<ExchangeStatus['progress']>): void {
    this.progress = progress;
    this.changed();
  }

  private changed(): void {
    if (this.stopped) return;
    this.core.events.emit('exchange.changed', this.status());
  }

  status(): ExchangeStatus {
    // Known without a pass: a clerk opening the exchange view before any pass ran is told what is
    // missing at once, and "Gửi ngay" is not offered for a pass that cannot go anywhere.
    const missing = this.missingSetup();
    return {
      connection: missing ? 'not-configured' : this.connection,
      syncing: this.running !== null,
      progress: this.progress,
      lastSyncAt: this.lastSyncAt,
      lastError: missing ?? this.lastError,
      queue: queueSummary(this.core, this.options.now?.() ?? new Date()),
    };
  }

  /** What a pass would lack (the agency's code, the axis's address, system id or secret), without opening the secret. */
  private missingSetup(): ApiErrorShape | null {
    if (!localAgency(this.core.db).code) return new AppError('AGENCY_CODE_MISSING', "The agency's identifier code is not set.").toShape();
    const { axisEndpoint, axisSystemId } = this.core.settings.read();
    if (!axisEndpoint || !axisSystemId || !hasAxisSecret(this.core.dataDir)) return new AppError('AXIS_NOT_CONFIGURED', 'The axis connection is not set up.').toShape();
    return null;
  }

  /** "Gửi ngay". */
  sendNow(): Promise<SyncPassResult> {
    makeAllDue(this.context());
    return this.syncOnce();
  }

  /** "Thử lại" on one job. */
  retry(jobId: number): Promise<SyncPassResult> {
    retryJob(this.context(), jobId);
    return this.syncOnce();
  }

  /** New axis settings: what was learnt about the old connection no longer holds. */
  configurationChanged(): void {
    this.connection = 'unknown';
    this.lastError = null;
    this.changed();
  }

  /** The OS says the network came back (or went): back online, everything waiting goes at once. */
  networkChanged(online: boolean): ExchangeStatus {
    if (!online) {
      this.connection = 'offline';
      this.changed();
    } else {
      makeAllDue(this.context());
      void this.syncOnce().catch((error: unknown) => this.noteFailure(error));
    }
    return this.status();
  }

  private noteFailure(error: unknown): void {
    // A pass cut short by closing the app (its database gone) is not news for anyone.
    if (this.stopped) return;
    this.lastError = exchangeProblem(error);
    this.changed();
  }

  /** Passes on an interval (the setting), the first soon after start-up. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.syncOnce()
        .catch((error: unknown) => this.noteFailure(error))
        .finally(() => {
          if (!this.timer) return;
          this.timer = setTimeout(tick, this.core.settings.read().syncIntervalSeconds * 1000);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, 2000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
    this.unsubscribe();
    this.abort.abort();
  }

  queue(includeSent: boolean, limit: number): QueueItem[] {
    return listQueue(this.core, includeSent, limit);
  }
}

function queueSummary(core: CoreServices, now: Date): ExchangeStatus['queue'] {
  const today = toVnIso(now).slice(0, 10);
  const row = prepared(
    core.db,
    `SELECT SUM(state IN ('queued', 'sending')) AS waiting, SUM(state = 'failed') AS failed,
            SUM(state = 'sent' AND substr(sent_at, 1, 10) = @today) AS sentToday,
            COALESCE(SUM(CASE WHEN state IN ('queued', 'sending') THEN package_size END), 0) AS bytesWaiting,
            MIN(CASE WHEN state IN ('queued', 'sending') THEN queued_at END) AS oldestQueuedAt,
            MIN(CASE WHEN state IN ('queued', 'sending') THEN next_attempt_at END) AS nextAttemptAt
       FROM outbox_jobs WHERE state != 'sent' OR sent_at >= @today`,
  ).get({ today }) as Record<string, number | string | null>;
  return {
    waiting: Number(row.waiting ?? 0),
    failed: Number(row.failed ?? 0),
    sentToday: Number(row.sentToday ?? 0),
    bytesWaiting: Number(row.bytesWaiting ?? 0),
    oldestQueuedAt: (row.oldestQueuedAt as string | null) ?? null,
    nextAttemptAt: (row.nextAttemptAt as string | null) ?? null,
  };
}

interface QueueRow {
  id: number;
  document_id: number | null;
  notation: string | null;
  subject: string | null;
  action: QueueItem['action'];
  status_code: string | null;
  recipients: string;
  state: QueueItem['state'];
  attempts: number;
  package_size: number | null;
  queued_at: string;
  next_attempt_at: string | null;
  sent_at: string | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_details: string | null;
  error_kind: QueueItem['errorKind'];
}

export function listQueue(core: Pick<CoreServices, 'db'>, includeSent: boolean, limit: number): QueueItem[] {
  const rows = prepared(
    core.db,
    `SELECT j.id, j.document_id, d.notation, d.subject, j.action, j.status_code, j.recipients, j.state, j.attempts, j.package_size,
            j.queued_at, j.next_attempt_at, j.sent_at, j.last_error, j.last_error_code, j.last_error_details, j.error_kind
       FROM outbox_jobs j LEFT JOIN documents d ON d.id = j.document_id
      WHERE @includeSent OR j.state != 'sent'
      ORDER BY j.state = 'sent', j.id DESC LIMIT @limit`,
  ).all({ includeSent: includeSent ? 1 : 0, limit }) as QueueRow[];
  return rows.map((r) => ({
    id: r.id,
    documentId: r.document_id,
    notation: r.notation,
    subject: r.subject,
    action: r.action,
    statusCode: r.status_code,
    recipients: JSON.parse(r.recipients) as string[],
    state: r.state,
    attempts: r.attempts,
    bytes: r.package_size ?? 0,
    queuedAt: r.queued_at,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    lastError: storedProblem(r),
    errorKind: r.error_kind,
  }));
}

