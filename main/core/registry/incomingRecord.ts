// An incoming document's record beyond the common fields: where each field was read from (the
// capture, main/common/capture.ts), how the document came (axis, electronic file, paper), and its
// place in the register and its handling as the document's detail shows them. The one writer of
// documents.capture and documents.received_via.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { parseCapture, CAPTURE_FIELDS, type Capture, type CaptureField } from '../../common/capture.js';
import type { DocumentDetail } from '../../common/contract.js';

export type ReceivedVia = 'axis' | 'electronic' | 'paper';

/** Records how an incoming document came and what its record was read from. Call inside the transaction that inserts it. */
export function recordArrival(db: Database, id: number, arrival: { receivedVia: ReceivedVia; capture: Capture | null }): void {
  prepared(db, 'UPDATE documents SET received_via = ?, capture = ? WHERE id = ?').run(arrival.receivedVia, arrival.capture ? JSON.stringify(arrival.capture) : null, id);
}

function readCapture(db: Database, id: number): Capture | null {
  const row = prepared(db, 'SELECT capture FROM documents WHERE id = ?').get(id) as { capture: string | null } | undefined;
  return parseCapture(row?.capture);
}

function writeCapture(db: Database, id: number, capture: Capture): void {
  prepared(db, 'UPDATE documents SET capture = ? WHERE id = ?').run(JSON.stringify(capture), id);
}

/** The clerk typed these fields (an edit, or at tiếp nhận): no longer a guess. A record kept without a capture stays so. */
export function markTypedByClerk(db: Database, id: number, fields: readonly string[]): void {
  const capture = readCapture(db, id);
  const typed = fields.filter((f): f is CaptureField => (CAPTURE_FIELDS as readonly string[]).includes(f));
  if (!capture || typed.length === 0) return;
  for (const field of typed) capture.sources[field] = 'clerk';
  writeCapture(db, id, capture);
}

/** Tiếp nhận: the clerk confirmed the record as it stands, guesses included. */
export function confirmRecord(db: Database, id: number, at: string): void {
  const capture = readCapture(db, id);
  if (!capture) return;
  capture.confirmedAt = at;
  writeCapture(db, id, capture);
}

interface IncomingColumns {
  direction: string;
  incoming_number?: number | null;
  accepted_at?: string | null;
  received_via?: ReceivedVia | null;
  exchange_id?: string | null;
  handling_due?: string | null;
  handler_id?: number | null;
}

/** How it came, for a row recorded before received_via existed: what the report called it then. */
export function receivedViaOf(row: { received_via?: ReceivedVia | null; exchange_id?: string | null }): ReceivedVia {
  return row.received_via ?? (row.exchange_id ? 'axis' : 'paper');
}

/** The latest note typed with each handling step (audit entries 'assigned' and 'handled'). */
export function handlingNotes(db: Database, id: number): { assignNote: string; doneNote: string } {
  const latest = (kind: string) =>
    (prepared(db, "SELECT coalesce(json_extract(details, '$.note'), '') AS note FROM audit_events WHERE document_id = ? AND kind = ? ORDER BY id DESC LIMIT 1").get(id, kind) as { note: string } | undefined)?.note ?? '';
  return { assignNote: String(latest('assigned')), doneNote: String(latest('handled')) };
}

/** The document detail's part for an incoming document; null for an outgoing one. */
export function incomingFacts(db: Database, id: number, row: IncomingColumns): DocumentDetail['incoming'] {
  if (row.direction !== 'in') return null;
  const handler = row.handler_id == null ? undefined : (prepared(db, 'SELECT name, unit FROM handlers WHERE id = ?').get(row.handler_id) as { name: string; unit: string } | undefined);
  return {
    incomingNumber: row.incoming_number ?? null,
    acceptedAt: row.accepted_at ?? null,
    receivedVia: receivedViaOf(row),
    handlingDue: row.handling_due ?? null,
    handler: handler ? (handler.unit ? `${handler.name} (${handler.unit})` : handler.name) : null,
    ...handlingNotes(db, id),
  };
}
