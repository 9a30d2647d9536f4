// Issue 20.5: every field of the record searchable (số đến, handlers, recipients, notes, the
// identifier code, the attachments' text), and saved searches.
//
// The full-text index gets a column per kind of field, so that a hit can still be weighed by
// where it was found. The rows already indexed are rewritten here from what the database holds,
// folded by the same function the app folds with (registered for this migration only: a shipped
// migration must not change when the app's indexing later does). Attachments' text is read from
// their PDFs by the app, not here (registry/fileTexts.ts): the index takes their names for now.
import type { Database } from 'better-sqlite3';
import { foldVietnamese } from '../../../common/fold.js';

export function migrate0012SearchFields(db: Database): void {
  db.function('fold_0012', { deterministic: true }, (text: unknown) => foldVietnamese(typeof text === 'string' ? text : ''));
  db.exec(`
    DROP TABLE documents_fts;
    CREATE VIRTUAL TABLE documents_fts USING fts5(
      subject, notation, author, signer, body,
      incoming, handler, recipients, notes, code, attachments,
      tokenize = 'unicode61 remove_diacritics 0',
      prefix = '2 3',
      detail = column
    );

    -- The text read from a stored PDF that is not a document's own file (an attachment), by its
    -- hash: the same annex attached twice is read once. Empty when it had no text or could not be read.
    CREATE TABLE file_texts (
      sha256 TEXT PRIMARY KEY REFERENCES files(sha256),
      text TEXT NOT NULL
    );

    -- Tìm kiếm đã lưu: the search (query, filters, order, columns) as JSON, by a name the clerk gives.
    CREATE TABLE saved_searches (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 100),
      search TEXT NOT NULL CHECK (json_valid(search)),
      saved_at TEXT NOT NULL
    );

    INSERT INTO documents_fts (rowid, subject, notation, author, signer, body, incoming, handler, recipients, notes, code, attachments)
    SELECT d.id, fold_0012(d.subject), fold_0012(d.notation), fold_0012(d.author_agency), fold_0012(d.signer_name), fold_0012(t.text),
           CASE WHEN d.incoming_number IS NULL THEN '' ELSE d.incoming_number || ' ' || printf('%02d', d.incoming_number) END,
           fold_0012(h.name || ' ' || h.unit),
           fold_0012(concat_ws(' ',
             (SELECT group_concat(r.name, ' ') FROM document_recipients r WHERE r.document_id = d.id),
             (SELECT group_concat(c.code, ' ') FROM document_recipient_agencies c WHERE c.document_id = d.id))),
           fold_0012(concat_ws(' ', d.notes,
             (SELECT group_concat(json_extract(a.details, '$.note'), ' ') FROM audit_events a WHERE a.document_id = d.id AND json_extract(a.details, '$.note') <> ''))),
           fold_0012(d.exchange_id),
           fold_0012((SELECT group_concat(a.file_name || ' ' || a.description, ' ') FROM attachments a WHERE a.document_id = d.id))
      FROM documents d
      LEFT JOIN document_texts t ON t.document_id = d.id
      LEFT JOIN handlers h ON h.id = d.handler_id;
  `);
}
