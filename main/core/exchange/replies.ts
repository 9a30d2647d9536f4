// Answers to the sender of a received document: the business status of QCVN 102 (03 accepted,
// 02 returned with the reason, 04 assigned, 05 being handled, 06 done, 15/16 a recall accepted or
// refused), queued with its package in the commit that changes the document, so the document and
// the answer are never out of step. What each step means for the register is in ../incoming/.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { appendAudit } from '../registry/audit.js';
import { indexDocument } from '../registry/documents.js';
import { storeFileThenCommit } from '../registry/fileJournal.js';
import { AppError } from '../../common/errors.js';
import { toVnIso } from '../../common/dates.js';
import type { StatusCode } from '../edxml/model.js';
import { statusPackage } from './outgoingPackage.js';
import { queueJob } from './queue.js';
import type { ExchangeContext } from './outbox.js';

export interface ReceivedRow {
  id: number;
  direction: 'in' | 'out';
  state: string;
  notation: string | null;
  document_date: string | null;
  exchange_id: string | null;
  sender_code: string | null;
}

export function receivedRow(db: Database, id: number): ReceivedRow {
  const row = prepared(db, 'SELECT id, direction, state, notation, document_date, exchange_id, sender_code FROM documents WHERE id = ?').get(id) as ReceivedRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Document ${id} does not exist.`, { id });
  if (row.direction !== 'in') throw new AppError('WRONG_STATE', `Document ${id} is an outgoing document.`, { id, state: row.state });
  return row;
}

export interface SenderAnswer<T> {
  code: StatusCode;
  /** What the sender reads (≤ 500 characters on the axis). */
  description: string;
  /** The states the document may be in; anything else is WRONG_STATE, and nothing changes. */
  from: readonly string[];
  /** The state it takes (the same one for an answer that changes no state, such as 16). */
  to: string;
  /** Why it was returned or recalled; left as it is when undefined. */
  stateReason?: string | null;
  auditKind: string;
  details?: Record<string, unknown>;
  /** Further changes inside the same transaction, after the state is checked; what it returns goes into the audit entry and back to the caller. */
  apply?: (stamp: string) => T;
}

/**
 * Moves a received document from one of `from` to `to` and, when it came over the axis, queues
 * `code` with `description` to its sender. A document registered from paper changes state only.
 */
export function answerSender<T extends Record<string, unknown> | void = void>(ctx: ExchangeContext, id: number, change: SenderAnswer<T>): T {
  const row = receivedRow(ctx.db, id);
  if (!change.from.includes(row.state)) throw new AppError('WRONG_STATE', `Document ${id} is ${row.state}: it cannot be ${change.to} now.`, { id, state: row.state });
  const overAxis = Boolean(row.exchange_id && row.sender_code);
  const at = ctx.now?.() ?? new Date();
  const answer = overAxis
    ? statusPackage(ctx.db, {
        responseFor: { organId: row.sender_code!, code: row.notation ?? '', promulgationDate: row.document_date?.replaceAll('-', '/'), documentId: row.exchange_id! },
        statusCode: change.code,
        description: change.description.slice(0, 500),
        actor: ctx.actor,
        at,
      })
    : null;
  return storeFileThenCommit(ctx, answer ? [answer] : [], (now) => {
    // The clock the caller gave (tests set it), or the commit's time.
    const stamp = ctx.now ? toVnIso(at) : now;
    const current = receivedRow(ctx.db, id);
    if (current.state !== row.state) throw new AppError('DOCUMENT_CHANGED', `Document ${id} changed meanwhile.`, { id });
    prepared(ctx.db, 'UPDATE documents SET state = @state, state_reason = CASE WHEN @keep THEN state_reason ELSE @reason END, updated_at = @stamp WHERE id = @id').run({
      id,
      state: change.to,
      keep: change.stateReason === undefined ? 1 : 0,
      reason: change.stateReason ?? null,
      stamp,
    });
    const applied = change.apply?.(stamp);
    appendAudit(ctx.db, {
      actor: ctx.actor,
      kind: change.auditKind,
      documentId: id,
      at: stamp,
      details: { ...change.details, ...(applied ?? {}), statusCode: change.code, description: change.description, toSender: overAxis ? row.sender_code : null },
    });
    // A step may give the số đến or the handler, and its note is searchable (Appendix VI 6d).
    indexDocument(ctx.db, id);
    if (answer) {
      queueJob(ctx.db, { documentId: id, action: 'status', messageType: 'status', statusCode: change.code, reason: change.stateReason ?? '', recipients: [row.sender_code!], exchangeId: row.exchange_id!, packageSha256: answer.sha256, packageSize: (answer.parts[0] as Uint8Array).length }, stamp);
    }
    return applied as T;
  });
}
