// Why an outbox job last failed, as a code the UI turns into a sentence in the clerk's language
// (an error code of main/common/errors.ts, and its parameters as JSON) beside the English
// message kept for the CLI and the logs. Jobs that failed before keep only their message; the
// UI then says, by the job's error kind, that the last try did not go through.
import type { Database } from 'better-sqlite3';

export function migrate0009OutboxErrorCodes(db: Database): void {
  db.exec(`
    ALTER TABLE outbox_jobs ADD COLUMN last_error_code TEXT;
    ALTER TABLE outbox_jobs ADD COLUMN last_error_details TEXT;
  `);
}
