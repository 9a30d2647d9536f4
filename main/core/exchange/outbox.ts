// Sending what the outbox holds. Each job is sent with the package committed when it was queued,
// so a retry carries the same bytes and the same DocumentId and the axis (and the recipient)
// recognise it. Transient failures are retried without end on a jittered exponential schedule
// capped at 15 minutes; permanent ones stop the job with the axis's reason for the clerk to see.
import fs from 'node:fs';
import { prepared } from '../storage/database.js';
import { isProcessAlive } from '../storage/blobStore.js';
import { appendAudit } from '../registry/audit.js';
import { indexDocument } from '../registry/documents.js';
import { storeFilesThenCommitWith, type FileStoreContext } from '../registry/fileJournal.js';
import { toVnIso } from '../../common/dates.js';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import { AxisError, type AxisAdapter, type MessageType } from '../axis/adapter.js';
import { outgoingFacts, writeOutgoingPackage } from './outgoingPackage.js';
import { exchangeProblem } from './problems.js';

export interface ExchangeContext extends FileStoreContext {
  actor: string;
  now?: () => Date;
  /** Jitter; tests make it deterministic. */
  random?: () => number;
}

export const MAX_RETRY_DELAY_MS = 15 * 60 * 1000;
const FIRST_RETRY_DELAY_MS = 10 * 1000;

/**
 * Full-jitter-from-half exponential backoff: 10 s, 20 s, 40 s … up to 15 minutes, each drawn
 * between half and all of it, so that communes coming back online together do not retry in step.
 * The axis's Retry-After wins when it asks for longer.
 */
export function retryDelayMs(attempts: number, random: () => number, retryAfterMs: number | null = null): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(jittered, retryAfterMs ?? 0));
}

export interface JobRow {
  id: number;
  document_id: number | null;
  received_id: number | null;
  action: 'send' | 'recall' | 'update' | 'replace' | 'status';
  message_type: MessageType;
  status_code: string | null;
  reason: string;
  recipients: string;
  exchange_id: string | null;
  package_sha256: string | null;
  package_size: number | null;
  state: 'queued' | 'sending' | 'sent' | 'failed';
  claimed_by: number | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_details: string | null;
  error_kind: string | null;
}

export interface SendResult {
  sent: number;
  retrying: number;
  failed: number;
  /** False when the axis could not be reached at all. */
  reachable: boolean;
  authFailed: boolean;
  lastError: ApiErrorShape | null;
}

export interface SendProgress {
  jobId: number;
  done: number;
  total: number;
  bytes: number;
}

/**
 * Jobs due now, oldest first. A job waits while an earlier one about the same document is unsent,
 * stopped ones included: a recall never overtakes its document, even one the clerk must retry.
 */
function dueJobs(ctx: ExchangeContext, now: string, onlyJob?: number): JobRow[] {
  return prepared(
    ctx.db,
    `SELECT * FROM outbox_jobs j
      WHERE j.state IN ('queued', 'sending') AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= @now) AND (@only IS NULL OR j.id = @only)
        AND NOT EXISTS (SELECT 1 FROM outbox_jobs e WHERE e.id < j.id AND e.state IN ('queued', 'sending', 'failed')
                        AND ((j.document_id IS NOT NULL AND e.document_id = j.document_id) OR (j.received_id IS NOT NULL AND e.received_id = j.received_id)))
      ORDER BY j.id`,
  ).all({ now, only: onlyJob ?? null }) as JobRow[];
}

/**
 * A claim this old is taken over even if its pid is alive: pids are reused (often, on Windows),
 * and a resend is harmless, since it carries the same DocumentId.
 */
const CLAIM_LEASE_MS = 30 * 60 * 1000;

/** Marks the job as being sent by this process, unless another live process is sending it. */
function claim(ctx: ExchangeContext, job: JobRow): boolean {
  const now = ctx.now?.() ?? new Date();
  return ctx.db
    .transaction(() => {
      const current = prepared(ctx.db, 'SELECT state, claimed_by, claimed_at FROM outbox_jobs WHERE id = ?').get(job.id) as Pick<JobRow, 'state' | 'claimed_by'> & { claimed_at: string | null };
      if (current.state === 'sent' || current.state === 'failed') return false;
      const heldElsewhere = current.state === 'sending' && current.claimed_by !== null && current.claimed_by !== process.pid && isProcessAlive(current.claimed_by);
      const leaseRunning = current.claimed_at !== null && now.getTime() - Date.parse(current.claimed_at) < CLAIM_LEASE_MS;
      if (heldElsewhere && leaseRunning) return false;
      prepared(ctx.db, "UPDATE outbox_jobs SET state = 'sending', claimed_by = ?, claimed_at = ?, attempts = attempts + 1 WHERE id = ?").run(process.pid, toVnIso(now), job.id);
      return true;
    })
    .immediate();
}

/** Jobs queued before packages were kept with them (an upgraded database) get theirs now, once. */
async function ensurePackage(ctx: ExchangeContext, job: JobRow): Promise<JobRow> {
  if (job.package_sha256) return job;
  if (job.document_id === null || job.action === 'status') throw new Error(`Outbox job ${job.id} has no package.`);
  const facts = outgoingFacts(ctx.db, job.document_id);
  let written: Awaited<ReturnType<typeof writeOutgoingPackage>> | undefined;
  await storeFilesThenCommitWith(
    ctx,
    [],
    async () => {
      written = await writeOutgoingPackage(ctx.db, ctx.blobs, { facts, action: job.action as 'send', reason: job.reason, actor: ctx.actor, at: ctx.now?.() ?? new Date() });
      return [written.file];
    },
    () => {
      const size = fs.statSync(ctx.blobs.pathFor(written!.file.sha256)).size;
      prepared(ctx.db, 'UPDATE outbox_jobs SET package_sha256 = ?, package_size = ?, exchange_id = ?, recipients = ? WHERE id = ?').run(
        written!.file.sha256,
        size,
        written!.exchangeId,
        JSON.stringify(written!.recipients),
        job.id,
      );
      if (job.action === 'send' && job.document_id !== null) {
        prepared(ctx.db, 'UPDATE documents SET exchange_id = ? WHERE id = ?').run(written!.exchangeId, job.document_id);
        indexDocument(ctx.db, job.document_id); // the identifier code is searchable
      }
    },
  );
  return prepared(ctx.db, 'SELECT * FROM outbox_jobs WHERE id = ?').get(job.id) as JobRow;
}

function recordSent(ctx: ExchangeContext, job: JobRow, axisDocId: string): void {
  const now = toVnIso(ctx.now?.() ?? new Date());
  ctx.db
    .transaction(() => {
      prepared(ctx.db, "UPDATE outbox_jobs SET state = 'sent', sent_at = ?, axis_doc_id = ?, claimed_by = NULL, last_error = NULL, last_error_code = NULL, last_error_details = NULL, error_kind = NULL, next_attempt_at = NULL WHERE id = ?").run(
        now,
        axisDocId,
        job.id,
      );
      if (job.document_id !== null && job.action === 'send') {
        prepared(ctx.db, "UPDATE deliveries SET state = 'sent', updated_at = ? WHERE document_id = ? AND state = 'queued'").run(now, job.document_id);
        prepared(ctx.db, "UPDATE documents SET state = 'sent', updated_at = ? WHERE id = ? AND state = 'queued'").run(now, job.document_id);
      }
      appendAudit(ctx.db, {
        actor: ctx.actor,
        kind: job.action === 'status' ? 'status-sent' : 'sent',
        documentId: job.document_id,
        at: now,
        details: { jobId: job.id, action: job.action, statusCode: job.status_code, recipients: JSON.parse(job.recipients) as string[], axisDocId, exchangeId: job.exchange_id, attempts: job.attempts + 1 },
      });
    })
    .immediate();
}

function recordRetry(ctx: ExchangeContext, job: JobRow, error: AxisError | Error, kind: 'transient' | 'auth'): void {
  const at = ctx.now?.() ?? new Date();
  const retryAfter = error instanceof AxisError ? error.retryAfterMs : null;
  const next = new Date(at.getTime() + retryDelayMs(job.attempts + 1, ctx.random ?? Math.random, retryAfter));
  const problem = exchangeProblem(error);
  prepared(ctx.db, "UPDATE outbox_jobs SET state = 'queued', claimed_by = NULL, next_attempt_at = ?, last_error = ?, last_error_code = ?, last_error_details = ?, error_kind = ? WHERE id = ?").run(
    toVnIso(next),
    error.message,
    problem.code,
    problem.details ? JSON.stringify(problem.details) : null,
    kind,
    job.id,
  );
}

function recordFailure(ctx: ExchangeContext, job: JobRow, error: Error): void {
  const now = toVnIso(ctx.now?.() ?? new Date());
  ctx.db
    .transaction(() => {
      const problem = exchangeProblem(error);
      prepared(
        ctx.db,
        "UPDATE outbox_jobs SET state = 'failed', claimed_by = NULL, next_attempt_at = NULL, last_error = ?, last_error_code = ?, last_error_details = ?, error_kind = 'permanent' WHERE id = ?",
      ).run(error.message, problem.code, problem.details ? JSON.stringify(problem.details) : null, job.id);
      appendAudit(ctx.db, { actor: ctx.actor, kind: 'send-failed', documentId: job.document_id, at: now, details: { jobId: job.id, action: job.action, error: error.message } });
    })
    .immediate();
}

/**
 * Sends every due job (or only `onlyJob`). Stops early when the axis cannot be reached or refuses
 * our credentials: the rest would fail the same way, and each try costs the commune's bandwidth.
 */
export async function sendDueJobs(
  ctx: ExchangeContext,
  adapter: AxisAdapter,
  localCode: string,
  options: { onlyJob?: number; signal?: AbortSignal; onProgress?: (progress: SendProgress) => void } = {},
): Promise<SendResult> {
  const result: SendResult = { sent: 0, retrying: 0, failed: 0, reachable: true, authFailed: false, lastError: null };
  const held = new Set<string>();
  const tried = new Set<number>();
  let done = 0;
  // Rounds: a job held back by an earlier one about the same document (03 behind 01) becomes due
  // once that one is sent, and goes in the same pass.
  for (let progressed = true; progressed; ) {
    progressed = false;
    const jobs = dueJobs(ctx, toVnIso(ctx.now?.() ?? new Date()), options.onlyJob).filter((j) => !tried.has(j.id));
    for (const queued of jobs) {
      if (options.signal?.aborted) return result;
      const heldKey = queued.document_id !== null ? `d${queued.document_id}` : `r${queued.received_id}`;
      if (held.has(heldKey) || !claim(ctx, queued)) continue;
      tried.add(queued.id);
      let job = queued;
      try {
        job = await ensurePackage(ctx, queued);
        const { axisDocId } = await adapter.send(
          { path: ctx.blobs.pathFor(job.package_sha256!), size: job.package_size!, sha256: job.package_sha256!, from: localCode, to: JSON.parse(job.recipients) as string[], messageType: job.message_type },
          options.signal,
        );
        recordSent(ctx, job, axisDocId);
        result.sent++;
        progressed = true;
      } catch (error) {
        if (options.signal?.aborted) {
          // Stopping (the app closes): the job is neither sent nor failed; it goes on next time.
          prepared(ctx.db, "UPDATE outbox_jobs SET state = 'queued', claimed_by = NULL WHERE id = ?").run(job.id);
          return result;
        }
        const failure = error instanceof Error ? error : new Error(String(error));
        result.lastError = exchangeProblem(failure);
        held.add(heldKey);
        if (failure instanceof AxisError && failure.kind === 'permanent') {
          recordFailure(ctx, job, failure);
          result.failed++;
        } else {
          // Transient, or our own side (a full disk, a busy database): tried again later, not given up.
          const kind = failure instanceof AxisError && failure.kind === 'auth' ? 'auth' : 'transient';
          recordRetry(ctx, job, failure, kind);
          result.retrying++;
          if (kind === 'auth') {
            result.authFailed = true;
            return result;
          }
          // The rest would fail the same way: the network, the endpoint (a wrong address or path
          // answers 404/405 or redirects), or our own side.
          if (!(failure instanceof AxisError) || failure.httpStatus === null || failure.httpStatus === 404 || failure.httpStatus === 405 || (failure.httpStatus >= 300 && failure.httpStatus < 400)) {
            result.reachable = false;
            return result;
          }
        }
      }
      done++;
      options.onProgress?.({ jobId: job.id, done, total: done + jobs.length - jobs.indexOf(queued) - 1, bytes: job.package_size ?? 0 });
    }
  }
  return result;
}

/** "Gửi lại": a stopped job goes back in the queue, due now; a waiting one is made due now. */
export function retryJob(ctx: ExchangeContext, jobId: number): void {
  const changed = prepared(ctx.db, "UPDATE outbox_jobs SET state = 'queued', next_attempt_at = NULL, error_kind = NULL WHERE id = ? AND state IN ('queued', 'failed')").run(jobId);
  if (changed.changes === 0 && !prepared(ctx.db, 'SELECT 1 FROM outbox_jobs WHERE id = ?').get(jobId)) {
    throw new AppError('NOT_FOUND', `Outbox job ${jobId} does not exist.`, { id: jobId });
  }
}

/** "Gửi ngay": every waiting job is due now. */
export function makeAllDue(ctx: ExchangeContext): number {
  return prepared(ctx.db, "UPDATE outbox_jobs SET next_attempt_at = NULL WHERE state IN ('queued', 'sending')").run().changes;
}

