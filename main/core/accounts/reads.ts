// Lịch sử truy cập (Appendix VI 6a, 6l): every read of a document through the office host is
// recorded — who, when, from which PC, by which call — in the audit trail, from which the reads
// of a document are also counted.
//
// The reads are written in groups, a second apart, in one transaction each: written one by one,
// each read cost a commit and its fsync on the host's one thread, and 200 colleagues opening
// documents queued behind the disk (issue 15's benchmark). A crash loses at most the reads of that
// last second, never a change: changes are audited in the transaction that makes them.
import type { Database } from '../storage/database.js';
import { appendAudit } from '../registry/audit.js';
import { toVnIso } from '../../common/dates.js';
import type { CallContext } from '../app/caller.js';

/** The calls that show a document (its record, its file, its versions, its validation). */
const DOCUMENT_READS = new Set(['documents.get', 'documents.content', 'documents.files', 'documents.validate', 'incoming.get', 'outgoing.get']);
const FLUSH_MS = 1000;

export interface ReadRecorder {
  /** Notes the call if it read a document. */
  record(caller: CallContext, method: string, input: unknown): void;
  /** Writes what is noted; the host calls it before it closes. */
  flush(): void;
}

export function readRecorder(db: Database): ReadRecorder {
  let pending: { actor: string; documentId: number; at: string; details: Record<string, unknown> }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const entries = pending;
    pending = [];
    db.transaction(() => {
      for (const entry of entries) appendAudit(db, { actor: entry.actor, kind: 'document_read', documentId: entry.documentId, at: entry.at, details: entry.details });
    }).immediate();
  };
  return {
    record(caller, method, input) {
      if (!DOCUMENT_READS.has(method)) return;
      const id = (input as { id?: unknown } | null)?.id;
      if (typeof id !== 'number' || !Number.isInteger(id)) return;
      pending.push({ actor: caller.login, documentId: id, at: toVnIso(), details: { method, client: caller.client } });
      timer ??= setTimeout(flush, FLUSH_MS);
    },
    flush,
  };
}
