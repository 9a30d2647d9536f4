// Issue 15: the office's people. A user signs in with a login and a password (scrypt, see
// accounts/passwords.ts) or with the certificate the administrator bound to the account; holds
// roles (văn thư, lãnh đạo, chuyên viên, quản trị) in a unit (phòng ban). Failed sign-ins are
// counted on the row, for the backoff and the lockout. A session is stored by the SHA-256 of its
// token only, so that a copy of the database opens no session; its CSRF token goes with it.
import type { Database } from 'better-sqlite3';

export function migrate0014Accounts(db: Database): void {
  db.exec(`
    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      login TEXT NOT NULL UNIQUE COLLATE NOCASE,
      full_name TEXT NOT NULL,
      position TEXT NOT NULL DEFAULT '',
      unit TEXT NOT NULL DEFAULT '',
      roles TEXT NOT NULL,
      password_hash TEXT,
      certificate_fingerprint TEXT UNIQUE,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      failed_sign_ins INTEGER NOT NULL DEFAULT 0,
      last_failure_at TEXT,
      locked_until TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
      token_sha256 TEXT PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      csrf_token TEXT NOT NULL,
      client TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_user ON sessions(user_id);
  `);
}
