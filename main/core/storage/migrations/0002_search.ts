// Full-text search. The indexed text is folded (accents and đ removed, lower case) by the app
// before it is written (main/common/fold.ts): SQLite's remove_diacritics cannot fold "đ", and
// folding once at write time keeps queries cheap. The original text, in NFC, is kept beside it
// for snippets: folding keeps positions, so a match in one is the same span in the other.
import type { Database } from 'better-sqlite3';

export function migrate0002Search(db: Database): void {
  db.exec(`
    CREATE VIRTUAL TABLE documents_fts USING fts5(
      subject, notation, author, signer, body,
      tokenize = 'unicode61 remove_diacritics 0',
      prefix = '2 3',
      detail = column
    );
    -- Column weights: a hit in the trích yếu or the notation matters more than one in the body.
    INSERT INTO documents_fts (documents_fts, rank) VALUES ('rank', 'bm25(10.0, 8.0, 3.0, 3.0, 1.0)');

    CREATE TABLE document_texts (
      document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
      text TEXT NOT NULL
    );
  `);
}
