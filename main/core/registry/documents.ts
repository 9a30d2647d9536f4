// Documents in the registers: plain functions over the database handle (the registry's one
// read/write interface), tested directly against real database files.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { DocumentDetail, DocumentFilters, DocumentSummary } from '../../common/contract.js';
import { AppError } from '../../common/errors.js';
import { foldVietnamese } from '../../common/fold.js';
import { toVnIso } from '../../common/dates.js';
import { numberOfNotation, parseCapture } from '../../common/capture.js';
import { appendAudit, documentEvents } from './audit.js';
import { incomingFacts, markTypedByClerk } from './incomingRecord.js';
import { ensureRegister, type Direction } from './registers.js';
import { localAgency } from './agency.js';
import { assertRecordOpen, recordLock } from './recordLock.js';
import { exchangeIdOf } from '../../common/identifierCode.js';

export interface DocumentRow {
  id: number;
  register_id: number;
  direction: Direction;
  year: number;
  type_code: string;
  number: number | null;
  notation: string | null;
  document_date: string | null;
  subject: string;
  author_agency: string;
  signer_name: string;
  signer_position: string;
  signer_competence: string;
  priority: string;
  due_date: string | null;
  state: string;
  registered_at: string;
  updated_at: string;
  file_sha256: string | null;
  file_name: string | null;
  page_count: number | null;
  /** JSON: where an incoming document's fields came from (incomingRecord.ts). */
  capture?: string | null;
  /** The identifier code the package carried: ours once queued for the axis, the sender's when received over it. */
  exchange_id?: string | null;
  numbered_at?: string | null;
  incoming_number?: number | null;
  /** The local agency's identifier code, where the query joins it (SUMMARY_COLUMNS). */
  agency_code?: string | null;
}

export const SUMMARY_COLUMNS =
  'd.id, d.direction, d.year, d.type_code, d.number, d.notation, d.document_date, d.subject, d.author_agency, d.signer_name, d.state, d.priority, d.registered_at, d.file_name, d.page_count, d.capture, d.exchange_id, d.numbered_at, (SELECT a.code FROM agencies a WHERE a.is_local = 1) AS agency_code';

/**
 * Mã định danh văn bản (Decree 30 Appendix VI 1c): the agency's identifier code, the date and the
 * number and notation, as the edXML's DocumentId writes them (exchangeIdOf, the one maker of it).
 * A received document has its sender's; one of ours has it from its number on — the three facts
 * it is made of are fixed then (recordLock.ts) — and keeps the one its package carried once queued.
 * It is not stored at numbering: exchange_id also says that a document went over the axis.
 */
export function identifierCodeOf(row: Pick<DocumentRow, 'direction' | 'number' | 'notation' | 'document_date' | 'exchange_id' | 'numbered_at' | 'agency_code'>): string | null {
  if (row.exchange_id) return row.exchange_id;
  if (row.direction !== 'out' || !row.numbered_at || !row.agency_code || !row.notation || !row.document_date) return null;
  return exchangeIdOf(row.agency_code, { documentDate: row.document_date, notation: row.notation, number: String(row.number ?? '') });
}

export function toSummary(row: Pick<DocumentRow, keyof DocumentRow & string>): DocumentSummary {
  return {
    id: row.id,
    direction: row.direction,
    year: row.year,
    typeCode: row.type_code as DocumentSummary['typeCode'],
    number: row.number,
    notation: row.notation,
    documentDate: row.document_date,
    subject: row.subject,
    authorAgency: row.author_agency,
    signerName: row.signer_name,
    state: row.state as DocumentSummary['state'],
    priority: row.priority as DocumentSummary['priority'],
    registeredAt: row.registered_at,
    fileName: row.file_name,
    pageCount: row.page_count,
    capture: parseCapture(row.capture),
    identifierCode: identifierCodeOf(row),
  };
}

export interface NewDocument {
  direction: Direction;
  year: number;
  typeCode: string;
  subject: string;
  state: string;
  notation?: string | null;
  number?: number | null;
  documentDate?: string | null;
  authorAgency?: string;
  signerName?: string;
  signerPosition?: string;
  signerCompetence?: string;
  priority?: string;
  dueDate?: string | null;
  recipients?: string[];
  fileSha256?: string | null;
  fileName?: string | null;
  pageCount?: number | null;
  /** The PDF's own text, in NFC, for full-text search and snippets. */
  bodyText?: string;
  registeredAt?: string;
}

/**
 * The report's issued_on of a new row, by the rule of migration 0007's triggers: an outgoing
 * document past signing counts from the day it was numbered here (never at insert), else the date
 * it bears, else the day it was registered. Its handling_seconds stays NULL: nothing is handled
 * at insert. Written by the INSERT itself, not by a trigger (see migration 0011).
 */
const ISSUED_ON_OF_NEW_DOCUMENT = "CASE WHEN @direction = 'out' AND @state NOT IN ('draft', 'signed') THEN coalesce(@documentDate, @now) END";

/** Inserts a document with its search entry and its audit entry. Call inside a transaction. */
export function insertDocument(db: Database, doc: NewDocument, actor: string): number {
  const registerId = ensureRegister(db, doc.direction, doc.year);
  const now = doc.registeredAt ?? toVnIso();
  const id = Number(
    prepared(db, 
        `INSERT INTO documents (register_id, direction, year, type_code, number, notation, document_date, subject,
           author_agency, signer_name, signer_position, signer_competence, priority, due_date, state,
           registered_at, updated_at, file_sha256, file_name, page_count, issued_on)
         VALUES (@registerId, @direction, @year, @typeCode, @number, @notation, @documentDate, @subject,
           @authorAgency, @signerName, @signerPosition, @signerCompetence, @priority, @dueDate, @state,
           @now, @now, @fileSha256, @fileName, @pageCount, ${ISSUED_ON_OF_NEW_DOCUMENT})`,
      )
      .run({
        registerId,
        direction: doc.direction,
        year: doc.year,
        typeCode: doc.typeCode,
        number: doc.number ?? null,
        notation: doc.notation ?? null,
        documentDate: doc.documentDate ?? null,
        subject: doc.subject,
        authorAgency: doc.authorAgency ?? '',
        signerName: doc.signerName ?? '',
        signerPosition: doc.signerPosition ?? '',
        signerCompetence: doc.signerCompetence ?? '',
        priority: doc.priority ?? 'normal',
        dueDate: doc.dueDate ?? null,
        state: doc.state,
        now,
        fileSha256: doc.fileSha256 ?? null,
        fileName: doc.fileName ?? null,
        pageCount: doc.pageCount ?? null,
      }).lastInsertRowid,
  );
  writeRecipients(db, id, doc.recipients ?? []);
  if (doc.bodyText) prepared(db, 'INSERT INTO document_texts (document_id, text) VALUES (?, ?)').run(id, doc.bodyText);
  indexDocument(db, id);
  appendAudit(db, { actor, kind: 'created', documentId: id, at: now, details: { direction: doc.direction, fileSha256: doc.fileSha256 ?? null, fileName: doc.fileName ?? null } });
  return id;
}

function writeRecipients(db: Database, id: number, recipients: string[]): void {
  prepared(db, 'DELETE FROM document_recipients WHERE document_id = ?').run(id);
  const insert = prepared(db, 'INSERT INTO document_recipients (document_id, position, name) VALUES (?, ?, ?)');
  recipients.forEach((name, i) => insert.run(id, i, name));
}

/**
 * What the full-text index holds of a document, one column per kind of field (migration 0012),
 * unfolded: every field a clerk types or reads (Appendix VI 6d), the handling notes kept in the
 * audit trail, the identifier code, and the attachments' names and text (fileTexts.ts).
 */
const INDEXED_FIELDS = `
  SELECT d.subject, coalesce(d.notation, '') AS notation, d.author_agency AS author, d.signer_name AS signer, coalesce(t.text, '') AS body,
         CASE WHEN d.incoming_number IS NULL THEN '' ELSE d.incoming_number || ' ' || printf('%02d', d.incoming_number) END AS incoming,
         coalesce(h.name || ' ' || h.unit, '') AS handler,
         concat_ws(' ',
           (SELECT group_concat(r.name, ' ') FROM document_recipients r WHERE r.document_id = d.id),
           (SELECT group_concat(c.code, ' ') FROM document_recipient_agencies c WHERE c.document_id = d.id)) AS recipients,
         concat_ws(' ', d.notes,
           (SELECT group_concat(json_extract(a.details, '$.note'), ' ') FROM audit_events a WHERE a.document_id = d.id AND json_extract(a.details, '$.note') <> '')) AS notes,
         d.direction, d.number, d.notation AS printed_notation, d.document_date, d.exchange_id, d.numbered_at,
         (SELECT a.code FROM agencies a WHERE a.is_local = 1) AS agency_code,
         coalesce((SELECT group_concat(concat_ws(' ', a.file_name, a.description, ft.text), ' ')
                     FROM attachments a LEFT JOIN file_texts ft ON ft.sha256 = a.file_sha256 WHERE a.document_id = d.id), '') AS attachments
    FROM documents d
    LEFT JOIN document_texts t ON t.document_id = d.id
    LEFT JOIN handlers h ON h.id = d.handler_id
   WHERE d.id = ?`;
const INDEX_COLUMNS = ['subject', 'notation', 'author', 'signer', 'body', 'incoming', 'handler', 'recipients', 'notes', 'code', 'attachments'] as const;

/**
 * (Re)writes the document's full-text entry from its current fields and stored texts. Every path
 * that changes an indexed field calls it in the same transaction: the register's own writes here,
 * the answers of incoming handling (exchange/replies.ts), the handlers directory, the identifier
 * code when a package is queued, and the attachments when they are stored or read.
 */
export function indexDocument(db: Database, id: number): void {
  const fields = prepared(db, INDEXED_FIELDS).get(id) as
    | (Record<Exclude<(typeof INDEX_COLUMNS)[number], 'code'>, string> & Parameters<typeof identifierCodeOf>[0] & { printed_notation: string | null })
    | undefined;
  if (!fields) return;
  // The identifier code as the record shows it (made from the number once numbered, or the package's).
  const row = { ...fields, code: identifierCodeOf({ ...fields, notation: fields.printed_notation }) ?? '' };
  prepared(db, 'DELETE FROM documents_fts WHERE rowid = ?').run(id);
  prepared(db, `INSERT INTO documents_fts (rowid, ${INDEX_COLUMNS.join(', ')}) VALUES (?, ${INDEX_COLUMNS.map(() => '?').join(', ')})`).run(
    id,
    ...INDEX_COLUMNS.map((column) => foldVietnamese(row[column] ?? '')),
  );
}

export function getDocumentRow(db: Database, id: number): DocumentRow {
  const row = prepared(db, 'SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Document ${id} does not exist.`, { id });
  return row;
}

export function getDocument(db: Database, id: number): DocumentDetail {
  const row = getDocumentRow(db, id);
  const recipients = recipientsOf(db, id);
  const file = row.file_sha256 ? (prepared(db, 'SELECT size FROM files WHERE sha256 = ?').get(row.file_sha256) as { size: number } | undefined) : undefined;
  return {
    ...toSummary({ ...row, agency_code: localAgency(db).code }),
    signerPosition: row.signer_position,
    signerCompetence: row.signer_competence,
    dueDate: row.due_date,
    recipients,
    fileSha256: row.file_sha256,
    fileSize: file?.size ?? null,
    underIssuingRules: row.direction === 'out' && (row as DocumentRow & { draft_sha256?: string | null }).draft_sha256 != null,
    incoming: incomingFacts(db, id, row),
    lock: recordLock(row),
    events: documentEvents(db, id),
  };
}

/** WHERE clause and parameters for the list and search filters, on the alias `d`. */
export function filterClause(filters: DocumentFilters): { sql: string; params: Record<string, string | number> } {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  if (filters.direction) (parts.push('d.direction = @direction'), (params.direction = filters.direction));
  if (filters.year) (parts.push('d.year = @year'), (params.year = filters.year));
  if (filters.typeCode) (parts.push('d.type_code = @typeCode'), (params.typeCode = filters.typeCode));
  if (filters.state) (parts.push('d.state = @state'), (params.state = filters.state));
  // The date range applies to the document's own date, or to its registration date when it has none yet.
  if (filters.dateFrom) (parts.push("coalesce(d.document_date, substr(d.registered_at, 1, 10)) >= @dateFrom"), (params.dateFrom = filters.dateFrom));
  if (filters.dateTo) (parts.push("coalesce(d.document_date, substr(d.registered_at, 1, 10)) <= @dateTo"), (params.dateTo = filters.dateTo));
  return { sql: parts.join(' AND '), params };
}

/** `orderBy`: SQL on the alias `d` (search.ts orders the list as the clerk asked); newest registered first by default. */
export function listDocuments(db: Database, filters: DocumentFilters, offset: number, limit: number, orderBy = 'd.registered_at DESC, d.id DESC'): { total: number; items: DocumentSummary[] } {
  const where = filterClause(filters);
  const whereSql = where.sql ? `WHERE ${where.sql}` : '';
  const total = (prepared(db, `SELECT count(*) AS n FROM documents d ${whereSql}`).get(where.params) as { n: number }).n;
  const rows = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM documents d ${whereSql} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset`)
    .all({ ...where.params, limit, offset }) as DocumentRow[];
  return { total, items: rows.map(toSummary) };
}

/** The metadata a clerk may correct after registration. */
export type DocumentChanges = Partial<
  Pick<NewDocument, 'typeCode' | 'subject' | 'notation' | 'documentDate' | 'authorAgency' | 'signerName' | 'signerPosition' | 'signerCompetence' | 'priority' | 'dueDate' | 'recipients'>
>;

const COLUMN_OF: Record<Exclude<keyof DocumentChanges, 'recipients'>, keyof DocumentRow> = {
  typeCode: 'type_code',
  subject: 'subject',
  notation: 'notation',
  documentDate: 'document_date',
  authorAgency: 'author_agency',
  signerName: 'signer_name',
  signerPosition: 'signer_position',
  signerCompetence: 'signer_competence',
  priority: 'priority',
  dueDate: 'due_date',
};

function recipientsOf(db: Database, id: number): string[] {
  return (prepared(db, 'SELECT name FROM document_recipients WHERE document_id = ? ORDER BY position').all(id) as { name: string }[]).map((r) => r.name);
}

/**
 * Updates metadata fields, reindexes, and records which fields changed. Call inside a transaction.
 * Refused (RECORD_LOCKED, nothing written) when the record's lock holds a field that would change.
 */
export function updateDocument(db: Database, id: number, changes: DocumentChanges, actor: string): void {
  const before = getDocumentRow(db, id);
  const recipientsChange = changes.recipients !== undefined && JSON.stringify(changes.recipients) !== JSON.stringify(recipientsOf(db, id));
  assertRecordOpen(before, [
    ...(Object.keys(COLUMN_OF) as (keyof typeof COLUMN_OF)[]).filter((k) => changes[k] !== undefined && changes[k] !== before[COLUMN_OF[k]]),
    ...(recipientsChange ? ['recipients'] : []),
  ]);
  const sets: string[] = [];
  const params: Record<string, unknown> = { id, now: toVnIso() };
  const changed: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(COLUMN_OF) as [keyof typeof COLUMN_OF, keyof DocumentRow][]) {
    const value = changes[key];
    if (value === undefined || value === before[column]) continue;
    sets.push(`${column} = @${key}`);
    params[key] = value;
    changed[key] = value;
  }
  if (changes.recipients && recipientsChange) {
    writeRecipients(db, id, changes.recipients);
    changed.recipients = changes.recipients;
  }
  if (Object.keys(changed).length === 0) return;
  // A received document's number is the one its notation begins with ("57/UBND-VP").
  if ('notation' in changed && before.direction === 'in') {
    sets.push('number = @number');
    params.number = numberOfNotation(changes.notation);
  }
  prepared(db, `UPDATE documents SET ${[...sets, 'updated_at = @now'].join(', ')} WHERE id = @id`).run(params);
  markTypedByClerk(db, id, Object.keys(changed));
  indexDocument(db, id);
  appendAudit(db, { actor, kind: 'updated', documentId: id, details: changed });
}

export function findDocumentByFile(db: Database, sha256: string): { id: number; direction: Direction; notation: string | null; subject: string } | undefined {
  // A draft is stored as drafted and, with its number fields, as prepared: either is the same file.
  return prepared(db, 'SELECT id, direction, notation, subject FROM documents WHERE file_sha256 = @sha256 OR draft_sha256 = @sha256 ORDER BY id LIMIT 1').get({ sha256 }) as
    | { id: number; direction: Direction; notation: string | null; subject: string }
    | undefined;
}
