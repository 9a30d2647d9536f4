// Vào sổ văn bản đến: the clerk's tiếp nhận gives the document the next số đến of the register of
// the year it arrived in (Vietnam time; numbers restart at 01 each 1 January; confidential
// documents in their own series when the agency keeps one). As for outgoing numbers, the number
// is read first (the status 03 names it), then one transaction moves the register's last number
// only if it is still the one read, records the number and the audit entry, and queues the
// answer; another writer meanwhile means starting again. A paper document scanned to PDF is
// imported and numbered in one commit (registerPaper).
//
// The register writes each document's số, ký hiệu, date, issuing agency, type and trích yếu:
// a số đến is given only once the record has them, the clerk's own values in place of what was
// read off the file, and what was read is confirmed with it (main/common/capture.ts).
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { AppError } from '../../common/errors.js';
import { vnYear } from '../../common/dates.js';
import { appendAudit } from '../registry/audit.js';
import { ensureRegister } from '../registry/registers.js';
import { importDocument, throwIfIncomplete, type ImportContext } from '../registry/importDocument.js';
import { getDocumentRow, indexDocument, updateDocument, type DocumentChanges } from '../registry/documents.js';
import { confirmRecord, markTypedByClerk } from '../registry/incomingRecord.js';
import { parseCapture } from '../../common/capture.js';
import type { RegisterFieldsInput } from '../../common/contract.js';
import { answerSender } from '../exchange/replies.js';
import type { ExchangeContext } from '../exchange/outbox.js';

export interface IncomingContext extends ExchangeContext {
  /** Confidential documents take numbers from a series of their own. */
  separateConfidentialSeries?: boolean;
}

class NumberTaken extends Error {}

interface Arrival {
  year: number;
  confidential: boolean;
}

function arrivalOf(db: Database, id: number, separateConfidentialSeries: boolean): Arrival {
  const row = prepared(db, 'SELECT registered_at, confidential FROM documents WHERE id = ?').get(id) as { registered_at: string; confidential: number } | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Document ${id} does not exist.`, { id });
  return { year: vnYear(new Date(row.registered_at)), confidential: separateConfidentialSeries && row.confidential === 1 };
}

function lastNumber(db: Database, arrival: Arrival): number {
  const row = prepared(
    db,
    "SELECT r.last_number FROM registers r JOIN agencies a ON a.id = r.agency_id AND a.is_local = 1 WHERE r.direction = 'in' AND r.year = ? AND r.confidential = ?",
  ).get(arrival.year, arrival.confidential ? 1 : 0) as { last_number: number } | undefined;
  return row?.last_number ?? 0;
}

/**
 * Inside the transaction: moves the register from `expected` to `expected + 1` (or fails with
 * NumberTaken) and gives the document that number. Returns what the audit entry records.
 */
function takeNumber(db: Database, id: number, arrival: Arrival, expected: number, stamp: string): { incomingNumber: number; registerId: number; registerYear: number; confidential: boolean } {
  const registerId = ensureRegister(db, 'in', arrival.year, arrival.confidential);
  const incomingNumber = expected + 1;
  const moved = prepared(db, 'UPDATE registers SET last_number = ? WHERE id = ? AND last_number = ?').run(incomingNumber, registerId, expected);
  if (moved.changes !== 1) throw new NumberTaken();
  prepared(db, 'UPDATE documents SET incoming_number = ?, register_id = ?, year = ?, accepted_at = ? WHERE id = ?').run(incomingNumber, registerId, arrival.year, stamp, id);
  return { incomingNumber, registerId, registerYear: arrival.year, confidential: arrival.confidential };
}

export function formatIncomingNumber(n: number | null | undefined): string {
  return n == null ? '' : String(n).padStart(2, '0');
}

/**
 * The clerk's values that differ from the record's (`changes`), and the fields the clerk supplied
 * (`typed`: those changed, and those nothing had said — a type given as "Công văn" is the clerk's
 * even though "CV" stood there as a placeholder); refused (INCOMING_INCOMPLETE, nothing changed)
 * while the register would still lack a field. A guess given back unchanged stays where it came
 * from, confirmed. Only a document waiting for tiếp nhận is checked: answerSender refuses any other
 * for its state.
 */
function changesForRegister(ctx: IncomingContext, id: number, given: RegisterFieldsInput): { changes: DocumentChanges; typed: string[] } {
  const row = getDocumentRow(ctx.db, id);
  if (row.state !== 'received') return { changes: {}, typed: [] };
  const capture = parseCapture(row.capture);
  const changes: DocumentChanges = {};
  const typed: string[] = [];
  for (const [field, value] of Object.entries(given) as [keyof RegisterFieldsInput, string | undefined][]) {
    if (value === undefined) continue;
    const current = { notation: row.notation, documentDate: row.document_date, authorAgency: row.author_agency, typeCode: row.type_code, subject: row.subject }[field];
    const source = capture?.sources[field] ?? null;
    if (value !== current) Object.assign(changes, { [field]: value });
    if (value !== current || source === null || source === 'file-name') typed.push(field);
    if (capture) capture.sources[field] = 'clerk';
  }
  throwIfIncomplete({ notation: row.notation, documentDate: row.document_date, authorAgency: row.author_agency, typeCode: row.type_code, subject: row.subject, ...changes, capture }, { id });
  return { changes, typed };
}

/** Tiếp nhận: the next số đến, status 03 to the sender; `given`: what the clerk filled in or corrected. */
export function acceptIncoming(ctx: IncomingContext, id: number, given: RegisterFieldsInput = {}): number {
  const { changes, typed } = changesForRegister(ctx, id, given);
  const arrival = arrivalOf(ctx.db, id, ctx.separateConfidentialSeries ?? false);
  for (let attempt = 0; ; attempt++) {
    const expected = lastNumber(ctx.db, arrival);
    try {
      const taken = answerSender(ctx, id, {
        code: '03',
        description: `Đã tiếp nhận văn bản, số đến ${formatIncomingNumber(expected + 1)}`,
        from: ['received'],
        to: 'registered',
        stateReason: null,
        auditKind: 'accepted',
        apply: (stamp) => {
          updateDocument(ctx.db, id, changes, ctx.actor);
          markTypedByClerk(ctx.db, id, typed);
          confirmRecord(ctx.db, id, stamp);
          return takeNumber(ctx.db, id, arrival, expected, stamp);
        },
      });
      return taken.incomingNumber;
    } catch (error) {
      if (error instanceof NumberTaken && attempt < 20) continue;
      throw error;
    }
  }
}

/** Trả lại: status 02 with the reason; the document takes no number. */
export function returnIncoming(ctx: IncomingContext, id: number, reason: string): void {
  const why = reason.trim();
  if (!why) throw new AppError('INVALID_INPUT', 'Say why the document is returned: the sender sees the reason.', { field: 'reason' });
  answerSender(ctx, id, { code: '02', description: why, from: ['received'], to: 'returned', stateReason: why, auditKind: 'returned', details: { reason: why } });
}

/**
 * A paper document: imported and taken into the register with its số đến, in one commit; refused
 * before anything is stored (INCOMING_INCOMPLETE, with what was read) while the register would
 * lack a field that neither the scan nor `given` supplies.
 */
export async function registerPaper(
  ctx: ImportContext & { separateConfidentialSeries?: boolean },
  request: { fileName: string; bytes: Uint8Array },
  given: RegisterFieldsInput = {},
): Promise<number> {
  return importDocument(ctx, { direction: 'in', ...request }, {
    receivedVia: 'paper',
    given,
    complete: true,
    within: (id, stamp) => {
      // Inside the import's transaction: the register is read and moved under its lock.
      const arrival = arrivalOf(ctx.db, id, ctx.separateConfidentialSeries ?? false);
      const taken = takeNumber(ctx.db, id, arrival, lastNumber(ctx.db, arrival), stamp);
      prepared(ctx.db, "UPDATE documents SET state = 'registered', updated_at = ? WHERE id = ?").run(stamp, id);
      confirmRecord(ctx.db, id, stamp);
      indexDocument(ctx.db, id); // the import indexed it before it had its số đến
      appendAudit(ctx.db, { actor: ctx.actor, kind: 'accepted', documentId: id, at: stamp, details: { ...taken, source: 'paper' } });
    },
  });
}
