// The report's issued_on and handling_seconds (0007) of a new document are written by the one
// INSERT that registers it (registry/documents.ts insertDocument), no longer by a trigger. Any
// trigger on INSERT INTO documents makes each insert a statement with a savepoint of its own, and
// FTS5 writes its pending entries out as a new index segment at every savepoint: a transaction
// that registers many documents wrote one segment per document and merged them over and over,
// 2.4 times the work per document (issue 19). 0007's update triggers stay: they keep both
// columns as documents change.
import type { Database } from 'better-sqlite3';

export function migrate0011ReportColumnsOnInsert(db: Database): void {
  db.exec(`
    DROP TRIGGER documents_report_insert;
  `);
}
