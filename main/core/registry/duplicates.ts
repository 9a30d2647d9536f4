// Trùng văn bản (Decree 30, Appendix VI 1h): an incoming document that has the same identifier
// code (mã định danh, the edXML DocumentId) as one already in the register, or the same number,
// notation and issuing agency, is probably the same document received twice — over the axis and
// by e-mail, or sent again by a sender whose answer was lost. The clerk is warned, never refused
// (two agencies may truly write the same notation in different years, and only the clerk knows),
// and may link the two, or go on. Every path that brings an incoming document in (the import, the
// axis inbox, tiếp nhận, a paper document's registration) asks here, so they all warn alike.
//
// Identical files and the same axis package are caught before this, as before (DUPLICATE_FILE,
// the inbox's 'duplicate' outcome): what is found here was stored.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { DuplicateCandidate } from '../../common/contract.js';
import { AppError } from '../../common/errors.js';
import { comparableName, foldVietnamese } from '../../common/fold.js';
import { toVnIso } from '../../common/dates.js';
import { appendAudit } from './audit.js';

/** What a document is matched by: its record as stored, or as the clerk is typing it. */
export interface DuplicateProbe {
  notation: string | null;
  authorAgency: string;
  documentDate: string | null;
  /** The identifier code (documents.exchange_id); null for a document that did not come over the axis. */
  exchangeId: string | null;
}

/** Enough to name a duplicate to a clerk: never the row id alone, which reads like a number. */
interface CandidateRow {
  id: number;
  notation: string | null;
  subject: string;
  author_agency: string;
  document_date: string | null;
  incoming_number: number | null;
  registered_at: string;
  state: string;
  exchange_id: string | null;
  replaces_id: number | null;
}

const CANDIDATE_COLUMNS = 'd.id, d.notation, d.subject, d.author_agency, d.document_date, d.incoming_number, d.registered_at, d.state, d.exchange_id, d.replaces_id';
/** A notation shared by more documents than this is no longer a warning anyone reads. */
const MAX_CANDIDATES = 20;

const comparableNotation = (notation: string) => foldVietnamese(notation).replace(/\s+/g, '');

/**
 * Numbers restart each year: 173/KH-UBND of 2025 is not 173/KH-UBND of 2026. Only when both dates
 * are known can they be told apart; otherwise the clerk decides.
 */
function sameYearOrUnknown(a: string | null, b: string | null): boolean {
  return a === null || b === null || a.slice(0, 4) === b.slice(0, 4);
}

/**
 * The incoming documents the probe may duplicate, each with why. Both lookups go through an index
 * (the identifier code's, and migration 0013's notation index): this runs on every import.
 */
export function findDuplicates(db: Database, probe: DuplicateProbe, exclude: readonly number[] = []): DuplicateCandidate[] {
  const found = new Map<number, { row: CandidateRow; reasons: Set<'identifier' | 'notation'> }>();
  const note = (row: CandidateRow, reason: 'identifier' | 'notation') => {
    if (exclude.includes(row.id)) return;
    const entry = found.get(row.id) ?? { row, reasons: new Set() };
    entry.reasons.add(reason);
    found.set(row.id, entry);
  };
  const exchangeId = probe.exchangeId?.trim();
  if (exchangeId) {
    const rows = prepared(db, `SELECT ${CANDIDATE_COLUMNS} FROM documents d INDEXED BY documents_by_exchange_id WHERE d.exchange_id = ? AND d.direction = 'in' ORDER BY d.id LIMIT ${MAX_CANDIDATES}`).all(exchangeId) as CandidateRow[];
    rows.forEach((row) => note(row, 'identifier'));
  }
  const notation = probe.notation?.trim();
  const agency = comparableName(probe.authorAgency);
  if (notation && agency) {
    const rows = prepared(
      db,
      `SELECT ${CANDIDATE_COLUMNS} FROM documents d INDEXED BY documents_incoming_by_notation
        WHERE d.direction = 'in' AND d.notation IS NOT NULL AND d.notation = ? COLLATE NOCASE ORDER BY d.id LIMIT ${MAX_CANDIDATES * 5}`,
    ).all(notation) as CandidateRow[];
    const wanted = comparableNotation(notation);
    for (const row of rows) {
      if (comparableNotation(row.notation ?? '') !== wanted) continue;
      if (comparableName(row.author_agency) !== agency) continue;
      if (!sameYearOrUnknown(probe.documentDate, row.document_date)) continue;
      note(row, 'notation');
    }
  }
  return [...found.values()].slice(0, MAX_CANDIDATES).map(({ row, reasons }) => candidate(row, [...reasons], false));
}

function candidate(row: CandidateRow, reasons: ('identifier' | 'notation')[], linked: boolean): DuplicateCandidate {
  return {
    id: row.id,
    notation: row.notation,
    subject: row.subject,
    authorAgency: row.author_agency,
    documentDate: row.document_date,
    incomingNumber: row.incoming_number,
    registeredAt: row.registered_at,
    state: row.state as DuplicateCandidate['state'],
    reasons: reasons.sort(),
    linked,
  };
}

function incomingRow(db: Database, id: number): CandidateRow {
  const row = prepared(db, `SELECT ${CANDIDATE_COLUMNS}, d.direction FROM documents d WHERE d.id = ?`).get(id) as (CandidateRow & { direction: string }) | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Document ${id} does not exist.`, { id });
  if (row.direction !== 'in') throw new AppError('WRONG_STATE', `Document ${id} is an outgoing document: only received documents are checked for duplicates.`, { id, state: row.state });
  return row;
}

/** The documents linked to `id` as duplicates, from either side of the link. */
function linkedIds(db: Database, id: number): number[] {
  return (prepared(db, 'SELECT linked_id AS other FROM document_links WHERE document_id = @id UNION SELECT document_id FROM document_links WHERE linked_id = @id').all({ id }) as { other: number }[]).map((r) => r.other);
}

/**
 * A stored incoming document's possible duplicates, and those the clerk linked to it (kept even
 * once its record no longer matches, as the clerk said so). An update or replacement of it, or
 * the document it updates, is not a duplicate: the sender said what it is.
 */
export function duplicatesOf(db: Database, id: number, typed: Partial<Pick<DuplicateProbe, 'notation' | 'authorAgency' | 'documentDate'>> = {}): DuplicateCandidate[] {
  // `typed`: the record as the clerk is correcting it at tiếp nhận, before it is saved.
  const row = { ...incomingRow(db, id), ...definedOnly({ notation: typed.notation, author_agency: typed.authorAgency, document_date: typed.documentDate }) };
  const replacing = (prepared(db, 'SELECT id FROM documents INDEXED BY documents_by_replaces WHERE replaces_id = ? AND replaces_id IS NOT NULL').all(id) as { id: number }[]).map((r) => r.id);
  const exclude = [id, ...(row.replaces_id !== null ? [row.replaces_id] : []), ...replacing];
  const linked = new Set(linkedIds(db, id));
  const found = findDuplicates(db, { notation: row.notation, authorAgency: row.author_agency, documentDate: row.document_date, exchangeId: row.exchange_id }, exclude).map((c) => ({ ...c, linked: linked.has(c.id) }));
  for (const other of linked) {
    if (!found.some((c) => c.id === other)) found.push(candidate(incomingRow(db, other), [], true));
  }
  return found;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * "Liên kết": records that the two are the same document, on both documents' audit trails. Linking
 * again changes nothing. Call inside a transaction.
 */
export function linkDuplicates(db: Database, id: number, otherId: number, actor: string): void {
  if (id === otherId) throw new AppError('INVALID_INPUT', 'A document cannot be linked to itself.', { field: 'linkedId' });
  const [a, b] = [incomingRow(db, id), incomingRow(db, otherId)];
  const at = toVnIso();
  const added = prepared(db, "INSERT OR IGNORE INTO document_links (document_id, linked_id, kind, at, actor) VALUES (?, ?, 'duplicate', ?, ?)").run(Math.min(id, otherId), Math.max(id, otherId), at, actor);
  if (added.changes === 0) return;
  for (const [self, other] of [
    [a, b],
    [b, a],
  ] as const) {
    appendAudit(db, { actor, kind: 'duplicate-linked', documentId: self.id, at, details: { linkedId: other.id, notation: other.notation, incomingNumber: other.incoming_number, subject: other.subject } });
  }
}
