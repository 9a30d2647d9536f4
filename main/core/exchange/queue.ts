// Putting a package in the outbox. Called inside the transaction that makes the state change the
// package announces, so the two are committed together or not at all.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { MessageType } from '../axis/adapter.js';
import type { StatusCode } from '../edxml/model.js';

export type JobAction = 'send' | 'recall' | 'update' | 'replace' | 'status';

export interface JobToQueue {
  /** The outgoing document, or the received one a status is about. */
  documentId: number | null;
  /** A received package that could not be accepted, which a status 02 answers. */
  receivedId?: number | null;
  action: JobAction;
  messageType: MessageType;
  statusCode?: StatusCode;
  reason?: string;
  recipients: string[];
  exchangeId: string;
  packageSha256: string;
  packageSize: number;
}

export function queueJob(db: Database, job: JobToQueue, now: string): number {
  const id = Number(
    prepared(
      db,
      `INSERT INTO outbox_jobs (document_id, received_id, action, message_type, status_code, reason, recipients, exchange_id, package_sha256, package_size, queued_at)
       VALUES (@documentId, @receivedId, @action, @messageType, @statusCode, @reason, @recipients, @exchangeId, @packageSha256, @packageSize, @now)`,
    ).run({
      documentId: job.documentId,
      receivedId: job.receivedId ?? null,
      action: job.action,
      messageType: job.messageType,
      statusCode: job.statusCode ?? null,
      reason: job.reason ?? '',
      recipients: JSON.stringify(job.recipients),
      exchangeId: job.exchangeId,
      packageSha256: job.packageSha256,
      packageSize: job.packageSize,
      now,
    }).lastInsertRowid,
  );
  if (job.action === 'send' && job.documentId !== null) {
    const delivery = prepared(db, "INSERT OR IGNORE INTO deliveries (document_id, recipient_code, state, updated_at) VALUES (?, ?, 'queued', ?)");
    for (const code of job.recipients) delivery.run(job.documentId, code, now);
  }
  return id;
}
