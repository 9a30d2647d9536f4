// What the exchange has done, as the clerk reads it: the packages received (refused ones with the
// reason) and, per outgoing document, where each recipient stands.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { Delivery, ReceivedItem } from '../../common/contract.js';

interface ReceivedRow {
  id: number;
  axis_doc_id: string;
  message_type: 'edoc' | 'status';
  sender_code: string;
  sender_name: string | null;
  exchange_id: string | null;
  business_type: number | null;
  status_code: string | null;
  outcome: ReceivedItem['outcome'];
  refusal_reason: string | null;
  refusal_detail: string | null;
  document_id: number | null;
  subject: string | null;
  notation: string | null;
  state: ReceivedItem['documentState'];
  package_size: number;
  received_at: string;
}

export function listReceived(db: Database, limit: number, outcome?: ReceivedItem['outcome']): ReceivedItem[] {
  const rows = prepared(
    db,
    `SELECT p.id, p.axis_doc_id, p.message_type, p.sender_code, COALESCE(a.name, d.author_agency) AS sender_name, p.exchange_id, p.business_type,
            p.status_code, p.outcome, p.refusal_reason, p.refusal_detail, p.document_id, d.subject, d.notation, d.state, p.package_size, p.received_at
       FROM received_packages p
       LEFT JOIN documents d ON d.id = p.document_id
       LEFT JOIN agencies a ON a.code = p.sender_code AND a.is_local = 0
      WHERE @outcome IS NULL OR p.outcome = @outcome
      ORDER BY p.id DESC LIMIT @limit`,
  ).all({ outcome: outcome ?? null, limit }) as ReceivedRow[];
  return rows.map((r) => ({
    id: r.id,
    axisDocId: r.axis_doc_id,
    messageType: r.message_type,
    sender: r.sender_code,
    senderName: r.sender_name || null,
    exchangeId: r.exchange_id,
    businessType: r.business_type,
    statusCode: r.status_code,
    outcome: r.outcome,
    refusalReason: r.refusal_reason,
    refusalDetail: r.refusal_detail,
    documentId: r.document_id,
    subject: r.subject,
    notation: r.notation,
    documentState: r.state,
    bytes: r.package_size,
    receivedAt: r.received_at,
  }));
}

export function listDeliveries(db: Database, documentId: number): Delivery[] {
  const rows = prepared(
    db,
    `SELECT d.recipient_code, a.name, d.state, d.status_code, d.description, d.updated_at
       FROM deliveries d LEFT JOIN agencies a ON a.code = d.recipient_code AND a.is_local = 0
      WHERE d.document_id = ? ORDER BY d.recipient_code`,
  ).all(documentId) as { recipient_code: string; name: string | null; state: Delivery['state']; status_code: string | null; description: string; updated_at: string }[];
  const history = prepared(db, 'SELECT from_code, status_code, description, sent_at, received_at FROM status_events WHERE document_id = ? ORDER BY id').all(documentId) as {
    from_code: string;
    status_code: string;
    description: string;
    sent_at: string;
    received_at: string;
  }[];
  return rows.map((r) => ({
    recipientCode: r.recipient_code,
    recipientName: r.name || null,
    state: r.state,
    statusCode: r.status_code,
    description: r.description,
    updatedAt: r.updated_at,
    history: history.filter((h) => h.from_code === r.recipient_code).map((h) => ({ statusCode: h.status_code, description: h.description, sentAt: h.sent_at, receivedAt: h.received_at })),
  }));
}
