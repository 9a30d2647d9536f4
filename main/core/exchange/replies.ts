// Answers to the sender of a received document: the business status of QCVN 102 (03 accepted,
// 02 returned with the reason, …), queued with its package in the commit that changes the
// document's state, so the state and the answer are never out of step.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { appendAudit } from '../registry/audit.js';
import { storeFileThenCommit } from '../registry/fileJournal.js';
import { AppError } from '../../common/errors.js';
import type { StatusCode } from '../edxml/model.js';
import { statusPackage } from './outgoingPackage.js';
import { queueJob } from './queue.js';
import type { ExchangeContext } from './outbox.js';

interface ReceivedRow {
  id: number;
  direction: 'in' | 'out';
  state: string;
  notation: string | null;
  document_date: string | null;
  exchange_id: string | null;
  sender_code: string | null;
}

function receivedRow(db: Database, id: number): ReceivedRow {
  const row = prepared(db, 'SELECT id, direction, state, notation, document_date, exchange_id, sender_code FROM documents WHERE id = ?').get(id) as ReceivedRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Document ${id} does not exist.`, { id });
  if (row.direction !== 'in') throw new AppError('WRONG_STATE', `Document ${id} is an outgoing document.`, { id, state: row.state });
  return row;
}

const AUDIT_KIND: Partial<Record<StatusCode, string>> = { '02': 'returned', '03': 'accepted' };

/**
 * Moves a received document from one of `from` to `to` and, when it came over the axis, queues
 * `code` with `description` to its sender. A document registered from paper changes state only.
 */
export function answerSender(ctx: ExchangeContext, id: number, change: { code: StatusCode; description: string; from: readonly string[]; to: string; reason?: string }): void {
  const row = receivedRow(ctx.db, id);
  if (!change.from.includes(row.state)) throw new AppError('WRONG_STATE', `Document ${id} is ${row.state}: it cannot be ${change.to} now.`, { id, state: row.state });
  const overAxis = Boolean(row.exchange_id && row.sender_code);
  const at = ctx.now?.() ?? new Date();
  const answer = overAxis
    ? statusPackage(ctx.db, {
        responseFor: { organId: row.sender_code!, code: row.notation ?? '', promulgationDate: row.document_date?.replaceAll('-', '/'), documentId: row.exchange_id! },
        statusCode: change.code,
        description: change.description,
        actor: ctx.actor,
        at,
      })
    : null;
  storeFileThenCommit(ctx, answer ? [answer] : [], (now) => {
    const current = receivedRow(ctx.db, id);
    if (current.state !== row.state) throw new AppError('DOCUMENT_CHANGED', `Document ${id} changed meanwhile.`, { id });
    prepared(ctx.db, 'UPDATE documents SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?').run(change.to, change.reason ?? null, now, id);
    appendAudit(ctx.db, { actor: ctx.actor, kind: AUDIT_KIND[change.code] ?? `status-${change.code}`, documentId: id, at: now, details: { statusCode: change.code, description: change.description, toSender: row.sender_code } });
    if (answer) {
      queueJob(ctx.db, { documentId: id, action: 'status', messageType: 'status', statusCode: change.code, reason: change.reason ?? '', recipients: [row.sender_code!], exchangeId: row.exchange_id!, packageSha256: answer.sha256, packageSize: (answer.parts[0] as Uint8Array).length }, now);
    }
  });
}

/** Tiếp nhận: the clerk accepts the document (status 03). */
export function acceptReceived(ctx: ExchangeContext, id: number): void {
  answerSender(ctx, id, { code: '03', description: 'Đã tiếp nhận văn bản', from: ['received'], to: 'registered' });
}

/** Trả lại: the clerk returns it with the reason (status 02). */
export function returnReceived(ctx: ExchangeContext, id: number, reason: string): void {
  const why = reason.trim();
  if (!why) throw new AppError('INVALID_INPUT', 'Say why the document is returned: the sender sees the reason.', { field: 'reason' });
  answerSender(ctx, id, { code: '02', description: why, from: ['received'], to: 'returned', reason: why });
}
