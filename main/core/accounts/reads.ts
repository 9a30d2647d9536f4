// Lịch sử truy cập (Appendix VI 6a, 6l): every read of a document through the office host is
// recorded — who, when, from which PC, by which call — in the audit trail, from which the reads
// of a document are also counted.
import type { Database } from '../storage/database.js';
import { appendAudit } from '../registry/audit.js';
import type { CallContext } from '../app/caller.js';

/** The calls that show a document (its record, its file, its versions, its validation). */
const DOCUMENT_READS = new Set(['documents.get', 'documents.content', 'documents.files', 'documents.validate', 'incoming.get', 'outgoing.get']);

export function auditDocumentRead(db: Database, caller: CallContext, method: string, input: unknown): void {
  if (!DOCUMENT_READS.has(method)) return;
  const id = (input as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' || !Number.isInteger(id)) return;
  db.transaction(() => appendAudit(db, { actor: caller.login, kind: 'document_read', documentId: id, details: { method, client: caller.client } })).immediate();
}
