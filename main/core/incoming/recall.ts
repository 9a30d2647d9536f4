// A sender's recall of a document we received: a recall package (BussinessDocType 1) or a status
// 13, recorded by the inbox against the document. The clerk accepts it (15: the document is
// recalled, kept read-only with the reason) or refuses it (16: it stays as it was). Each recall
// is answered once; a later one is a new question.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { AppError } from '../../common/errors.js';
import { answerSender, receivedRow } from '../exchange/replies.js';
import type { IncomingContext } from './register.js';

/** States in which a recall can still be answered. */
export const RECALLABLE = ['received', 'registered', 'assigned', 'in_progress', 'done'] as const;

/** The received packages that ask for a document back, on the alias `rp`. */
export const RECALL_PACKAGE_SQL = "rp.outcome = 'accepted' AND ((rp.message_type = 'edoc' AND rp.business_type = 1) OR (rp.message_type = 'status' AND rp.status_code = '13'))";

export interface RecallRequest {
  receivedId: number;
  via: 'recall' | 'status-13';
  requestedAt: string;
  reason: string;
  answer: 'accepted' | 'refused' | null;
  answeredAt: string | null;
  pending: boolean;
}

/** The sender's latest recall of the document, and whether it waits for the clerk's answer. */
export function latestRecall(db: Database, id: number): RecallRequest | null {
  const rp = prepared(db, `SELECT rp.id, rp.message_type, rp.axis_doc_id, rp.received_at FROM received_packages rp WHERE rp.document_id = ? AND ${RECALL_PACKAGE_SQL} ORDER BY rp.id DESC LIMIT 1`).get(id) as
    | { id: number; message_type: 'edoc' | 'status'; axis_doc_id: string; received_at: string }
    | undefined;
  if (!rp) return null;
  const doc = prepared(db, 'SELECT state, recall_answer, recall_answered_at, recall_received_id FROM documents WHERE id = ?').get(id) as {
    state: string;
    recall_answer: 'accepted' | 'refused' | null;
    recall_answered_at: string | null;
    recall_received_id: number | null;
  };
  const reason =
    rp.message_type === 'status'
      ? ((prepared(db, 'SELECT description FROM status_events WHERE received_id = ? ORDER BY id LIMIT 1').get(rp.id) as { description: string } | undefined)?.description ?? '')
      : ((prepared(db, "SELECT json_extract(details, '$.reason') AS reason FROM audit_events WHERE document_id = ? AND kind = 'recall-requested' AND json_extract(details, '$.axisDocId') = ? ORDER BY id DESC LIMIT 1").get(id, rp.axis_doc_id) as
          | { reason: string | null }
          | undefined)?.reason ?? '');
  const answered = doc.recall_received_id !== null && doc.recall_received_id >= rp.id;
  return {
    receivedId: rp.id,
    via: rp.message_type === 'status' ? 'status-13' : 'recall',
    requestedAt: rp.received_at,
    reason,
    answer: answered ? doc.recall_answer : null,
    answeredAt: answered ? doc.recall_answered_at : null,
    pending: !answered && (RECALLABLE as readonly string[]).includes(doc.state),
  };
}

/** Accepts (15) or refuses (16) the sender's pending recall. */
export function answerRecall(ctx: IncomingContext, id: number, accept: boolean, reason = ''): void {
  const row = receivedRow(ctx.db, id);
  const request = latestRecall(ctx.db, id);
  if (!request?.pending) {
    if (row.state === 'recalled' || row.state === 'returned') throw new AppError('WRONG_STATE', `Document ${id} is ${row.state}: there is nothing to recall.`, { id, state: row.state });
    throw new AppError('NO_RECALL_REQUEST', `The sender has not asked to recall document ${id}, or the request was answered.`, { id });
  }
  const note = reason.trim();
  const apply = (stamp: string) => {
    // Answered meanwhile (another window): refuse the second answer.
    const answered = (prepared(ctx.db, 'SELECT recall_received_id AS r FROM documents WHERE id = ?').get(id) as { r: number | null }).r;
    if (answered !== null && answered >= request.receivedId) throw new AppError('DOCUMENT_CHANGED', `The recall of document ${id} was answered meanwhile.`, { id });
    prepared(ctx.db, 'UPDATE documents SET recall_answer = ?, recall_answered_at = ?, recall_received_id = ? WHERE id = ?').run(accept ? 'accepted' : 'refused', stamp, request.receivedId, id);
  };
  if (accept) {
    const why = request.reason || note || 'Thu hồi theo đề nghị của cơ quan gửi';
    answerSender(ctx, id, {
      code: '15',
      description: note ? `Đồng ý thu hồi văn bản. ${note}` : 'Đồng ý thu hồi văn bản',
      from: RECALLABLE,
      to: 'recalled',
      stateReason: why,
      auditKind: 'recall-accepted',
      details: { reason: why, note, receivedId: request.receivedId },
      apply,
    });
  } else {
    answerSender(ctx, id, {
      code: '16',
      description: note ? `Không đồng ý thu hồi văn bản: ${note}` : 'Không đồng ý thu hồi văn bản',
      from: [row.state],
      to: row.state,
      auditKind: 'recall-refused',
      details: { reason: note, requestReason: request.reason, receivedId: request.receivedId },
      apply,
    });
  }
}
