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

    CREATE TABLE document_texts (
      document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
      text TEXT NOT NULL
    );
  `);
}
