// Khóa hồ sơ văn bản: what of a document's record may still change, in one place (Decree 30,
// Appendix VI 5d — documents and files kept whole and unchanged; 8a — a recalled outgoing
// document frozen with its metadata). Every path that writes a document asks this module
// before it writes: documents.update ("Sửa"), outgoing.updateDraft, marking the number's places,
// signing (which makes a new current file), and so the CLI commands that call them.
//
// - An outgoing document, from the moment it has its number (numbered, queued, sent, issued,
//   updated, replaced): its number, notation, date, type, trích yếu, signer, recipients, drafting
//   unit, series and files are what was signed and numbered, and what the register and the
//   package print. What was issued changes only through the recorded flows (update, replace,
//   recall: issuing/outgoing.ts afterIssue), which keep the original readable and linked. The
//   register's own columns the clerk keeps by hand — notes, copies, the file-copy holder — stay open.
// - An incoming document, from tiếp nhận on (it has its số đến, or was returned): the record as
//   received and registered. Tiếp nhận is where the clerk confirms or corrects what was read off
//   the package or the scan (registry/incomingRecord.ts), and the status 03 that goes back names
//   that record; after it, the register's line is a fact about what arrived, like the file. An
//   update or replacement from the sender arrives as a document of its own, linked to this one
//   (exchange/inbox.ts). Handling (assign, start, done) is not the record and goes on.
// - A recalled document, either way, is frozen whole.
import type { Database } from '../storage/database.js';
import { AppError } from '../../common/errors.js';
import { appendAudit } from './audit.js';

/** The record's fields, as the API names them (DocumentPatch, DraftPatch), and its files. */
export const RECORD_FIELDS = [
  'typeCode',
  'notation',
  'documentDate',
  'subject',
  'authorAgency',
  'signerName',
  'signerPosition',
  'signerCompetence',
  'priority',
  'dueDate',
  'recipients',
  'recipientCodes',
  'draftingUnit',
  'confidential',
  'files',
] as const;
/** Sổ đăng ký's columns the clerk keeps by hand: open until the document is recalled. */
export const KEPT_BY_HAND = ['notes', 'copies', 'archiveHolder'] as const;

export type RecordField = (typeof RECORD_FIELDS)[number] | (typeof KEPT_BY_HAND)[number];
/** Why the record is locked: numbered (outgoing), registered or returned (incoming), recalled (either). */
export type LockReason = 'numbered' | 'registered' | 'returned' | 'recalled';

export interface RecordLock {
  reason: LockReason;
  fields: RecordField[];
}

/** What the rule reads of a document's row. */
export interface LockableRow {
  id: number;
  direction: 'in' | 'out';
  state: string;
  numbered_at?: string | null;
  incoming_number?: number | null;
}

/** An outgoing document's states from its number on. */
const NUMBERED_STATES = new Set(['numbered', 'sealed', 'queued', 'sent', 'issued', 'updated', 'replaced', 'recalled']);

/** The document's lock, or null while its record is open (a draft, a document waiting for tiếp nhận). */
export function recordLock(row: LockableRow): RecordLock | null {
  if (row.state === 'recalled') return { reason: 'recalled', fields: [...RECORD_FIELDS, ...KEPT_BY_HAND] };
  if (row.direction === 'out') return row.numbered_at || NUMBERED_STATES.has(row.state) ? { reason: 'numbered', fields: [...RECORD_FIELDS] } : null;
  // From the số đến on — not from the state: tiếp nhận writes the clerk's last corrections in the
  // same transaction that turns it registered, just before the number is taken.
  if (row.incoming_number != null) return { reason: 'registered', fields: [...RECORD_FIELDS] };
  if (row.state === 'returned') return { reason: 'returned', fields: [...RECORD_FIELDS] };
  return null;
}

const WHAT_TO_DO: Record<LockReason, string> = {
  numbered: 'What was issued changes only by updating, replacing or recalling it (out update|replace|recall); its notes, copies and file-copy holder stay editable.',
  registered: 'The record is kept as it was received and registered; an update from the sender arrives as a document of its own.',
  returned: 'It was returned to its sender as it was received.',
  recalled: 'A recalled document is kept as it was, read-only.',
};

/**
 * Refuses, with RECORD_LOCKED, a change to any of `changing` that the document's lock holds.
 * `changing` names only what would really change (a field given its own value again is no change).
 */
export function assertRecordOpen(row: LockableRow, changing: readonly string[]): void {
  const lock = recordLock(row);
  if (!lock) return;
  const refused = changing.filter((field) => (lock.fields as readonly string[]).includes(field));
  if (refused.length === 0) return;
  const since = lock.reason === 'numbered' ? 'since it was numbered' : lock.reason === 'recalled' ? 'since it was recalled' : `since it was ${lock.reason}`;
  throw new AppError('RECORD_LOCKED', `Document ${row.id} is ${row.state}: its ${refused.join(', ')} are fixed ${since}. ${WHAT_TO_DO[lock.reason]}`, {
    id: row.id,
    state: row.state,
    reason: lock.reason,
    fields: refused.join(', '),
  });
}

/**
 * Runs a change and, when the lock refuses it, records the refusal in the audit trail. The change
 * runs in its own transaction, which the refusal rolls back — its audit entry with it — so the
 * refusal is written after, in a transaction of its own. Called where a change starts (the API's
 * handler, the core function the CLI calls), never inside another transaction.
 */
export function auditRefusals<T>(db: Database, actor: string, change: () => T): T {
  const record = (error: unknown): never => {
    if (error instanceof AppError && error.code === 'RECORD_LOCKED' && !db.inTransaction) {
      const { id, state, reason, fields } = error.details ?? {};
      db.transaction(() =>
        appendAudit(db, { actor, kind: 'change-refused', documentId: typeof id === 'number' ? id : null, details: { state, reason, fields: String(fields).split(', ') } }),
      ).immediate();
    }
    throw error;
  };
  let result: T;
  try {
    result = change();
  } catch (error) {
    return record(error);
  }
  return (result instanceof Promise ? result.catch(record) : result) as T;
}
