// The registry: the local agency and its correspondents, registers (sổ văn bản) per year,
// documents, their files, and the hash-chained audit trail.
import type { Database } from 'better-sqlite3';

export function migrate0001Registry(db: Database): void {
  db.exec(`
    CREATE TABLE agencies (
      id INTEGER PRIMARY KEY,
      code TEXT UNIQUE CHECK (code IS NULL OR length(code) <= 32),  -- mã định danh, opaque
      name TEXT NOT NULL DEFAULT '',
      abbreviation TEXT NOT NULL DEFAULT '',
      is_local INTEGER NOT NULL DEFAULT 0 CHECK (is_local IN (0, 1))
    );
    CREATE UNIQUE INDEX agencies_one_local ON agencies(is_local) WHERE is_local = 1;

    -- sổ đăng ký văn bản đi / đến: one per agency, direction, year (and confidential series)
    CREATE TABLE registers (
      id INTEGER PRIMARY KEY,
      agency_id INTEGER NOT NULL REFERENCES agencies(id),
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      year INTEGER NOT NULL,
      confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
      name TEXT NOT NULL,
      last_number INTEGER NOT NULL DEFAULT 0,
      UNIQUE (agency_id, direction, year, confidential)
    );

    -- Content-addressed files: the bytes live under files/<sha256[0:2]>/<sha256>.
    CREATE TABLE files (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      size INTEGER NOT NULL,
      media_type TEXT NOT NULL,
      stored_at TEXT NOT NULL
    );

    -- A blob being written before its row commits; swept at start-up if the process died between.
    -- The pid tells a live writer (another eOffice process) from a dead one.
    CREATE TABLE pending_files (
      sha256 TEXT NOT NULL,
      pid INTEGER NOT NULL,
      started_at TEXT NOT NULL,
      PRIMARY KEY (sha256, pid)
    );

    CREATE TABLE documents (
      id INTEGER PRIMARY KEY,
      register_id INTEGER NOT NULL REFERENCES registers(id),
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      year INTEGER NOT NULL,
      type_code TEXT NOT NULL,
      number INTEGER,
      notation TEXT,
      document_date TEXT,            -- yyyy-MM-dd, the date printed on the document
      subject TEXT NOT NULL,         -- trích yếu
      author_agency TEXT NOT NULL DEFAULT '',
      signer_name TEXT NOT NULL DEFAULT '',
      signer_position TEXT NOT NULL DEFAULT '',
      signer_competence TEXT NOT NULL DEFAULT '',
      priority TEXT NOT NULL DEFAULT 'normal',
      due_date TEXT,
      state TEXT NOT NULL,
      registered_at TEXT NOT NULL,   -- ISO 8601 +07:00
      updated_at TEXT NOT NULL,
      file_sha256 TEXT REFERENCES files(sha256),
      file_name TEXT,
      page_count INTEGER
    );
    CREATE INDEX documents_by_time ON documents(registered_at DESC, id DESC);
    CREATE INDEX documents_by_direction_time ON documents(direction, registered_at DESC, id DESC);
    CREATE INDEX documents_by_year ON documents(year, direction);
    CREATE INDEX documents_by_file ON documents(file_sha256);
    CREATE INDEX documents_by_register ON documents(register_id);
    CREATE INDEX documents_by_date ON documents(document_date);

    CREATE TABLE document_recipients (
      document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      name TEXT NOT NULL,
      PRIMARY KEY (document_id, position)
    );

    CREATE TABLE attachments (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      file_sha256 TEXT NOT NULL REFERENCES files(sha256),
      file_name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT ''
    );

    -- Append-only; each row carries the hash of the one before, so an edit or a deletion shows.
    CREATE TABLE audit_events (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      document_id INTEGER REFERENCES documents(id),
      kind TEXT NOT NULL,
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE INDEX audit_by_document ON audit_events(document_id, id);
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

    INSERT INTO agencies (code, name, abbreviation, is_local) VALUES (NULL, '', '', 1);
  `);
}
