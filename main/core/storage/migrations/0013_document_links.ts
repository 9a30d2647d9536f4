// Issue 20.3: documents the clerk linked as duplicates of each other (Appendix VI 1h).
// A link is one row per pair, the lower id first, so that "A is B's duplicate" and "B is A's"
// cannot both be stored; it is read from either side. The warning itself is computed when asked
// (registry/duplicates.ts): it looks an incoming document up by its notation, so that lookup
// needs an index of its own — a scan of 250,000 rows on every import would cost what the
// registry benchmark forbids. NOCASE, because "173/KH-UBND" and "173/kh-ubnd" are the same
// document to a clerk; accents and the issuing agency are compared on the few rows it finds.
import type { Database } from 'better-sqlite3';

export function migrate0013DocumentLinks(db: Database): void {
  db.exec(`
    CREATE TABLE document_links (
      document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      linked_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('duplicate')),
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      PRIMARY KEY (document_id, linked_id, kind),
      CHECK (document_id < linked_id)
    ) WITHOUT ROWID;
    CREATE INDEX document_links_by_linked ON document_links(linked_id, document_id);
    CREATE INDEX documents_incoming_by_notation ON documents(notation COLLATE NOCASE) WHERE direction = 'in' AND notation IS NOT NULL;
  `);
}
