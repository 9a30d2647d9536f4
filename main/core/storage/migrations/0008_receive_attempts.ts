// Items of the axis inbox that this client fetched whole but could not store. Each attempt is
// counted before the package is read, so that one that fails on our side every time — or takes
// the process down with it — is refused after a few tries instead of being fetched on every pass
// (exchange/inbox.ts). The row goes when the item is recorded, whatever the outcome.
import type { Database } from 'better-sqlite3';

export function migrate0008ReceiveAttempts(db: Database): void {
  db.exec(`
    CREATE TABLE receive_attempts (
      axis_doc_id TEXT PRIMARY KEY,
      attempts INTEGER NOT NULL CHECK (attempts >= 1),
      last_error TEXT,
      last_attempt_at TEXT NOT NULL
    );
  `);
}
