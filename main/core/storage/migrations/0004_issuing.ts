// Issuing outgoing documents (Decree 30/2020): what the draft form collects, where the number and
// date go on the page, the queue of what the axis must carry, and the constraints that make a
// number unique within its register's year.
import type { Database } from 'better-sqlite3';

export function migrate0004Issuing(db: Database): void {
  db.exec(`
    ALTER TABLE documents ADD COLUMN drafting_unit TEXT NOT NULL DEFAULT '';   -- đơn vị soạn thảo, e.g. VP
    ALTER TABLE documents ADD COLUMN copies INTEGER CHECK (copies IS NULL OR copies >= 0); -- số lượng bản
    ALTER TABLE documents ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1));
    ALTER TABLE documents ADD COLUMN archive_holder TEXT NOT NULL DEFAULT ''; -- đơn vị, người nhận bản lưu
    ALTER TABLE documents ADD COLUMN notes TEXT NOT NULL DEFAULT '';          -- ghi chú
    -- The file as drafted, before any field was added: places can be marked again until signed.
    ALTER TABLE documents ADD COLUMN draft_sha256 TEXT REFERENCES files(sha256);
    -- Set only when this client assigned the number: imported documents keep theirs unchecked.
    ALTER TABLE documents ADD COLUMN numbered_at TEXT;
    ALTER TABLE documents ADD COLUMN sealed_at TEXT;
    ALTER TABLE documents ADD COLUMN queued_at TEXT;   -- ngày chuyển
    ALTER TABLE documents ADD COLUMN state_reason TEXT; -- why recalled, updated or replaced
    ALTER TABLE documents ADD COLUMN replaces_id INTEGER REFERENCES documents(id);

    CREATE INDEX documents_by_draft ON documents(draft_sha256);
    CREATE UNIQUE INDEX documents_assigned_number ON documents(register_id, number) WHERE numbered_at IS NOT NULL;
    CREATE UNIQUE INDEX documents_assigned_notation ON documents(register_id, notation) WHERE numbered_at IS NOT NULL;

    -- Recipients on the axis, by agency identifier code; document_recipients keeps the printed "Nơi nhận".
    CREATE TABLE document_recipient_agencies (
      document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
      PRIMARY KEY (document_id, code)
    );

    -- Where the number and the date are written once the document is signed.
    CREATE TABLE number_places (
      document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('number', 'date')),
      page INTEGER NOT NULL CHECK (page >= 1),
      x REAL NOT NULL, y REAL NOT NULL, width REAL NOT NULL CHECK (width > 0), height REAL NOT NULL CHECK (height > 0),
      font_size REAL NOT NULL,
      italic INTEGER NOT NULL DEFAULT 0,
      -- found: laid over the printed "Số: …/…" or "…, ngày … tháng … năm …" and rewrites it whole;
      -- marked: a spot the clerk marked on a blank, which gets the bare value.
      origin TEXT NOT NULL CHECK (origin IN ('found', 'marked')),
      prefix TEXT NOT NULL DEFAULT '',  -- the locality before "ngày" on a found date line
      PRIMARY KEY (document_id, kind)
    );

    ALTER TABLE attachments ADD COLUMN signed_sha256 TEXT REFERENCES files(sha256);

    -- What the axis must carry, in order; the sync of issue 5 takes from here.
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES documents(id),
      action TEXT NOT NULL CHECK (action IN ('send', 'recall', 'update', 'replace')),
      reason TEXT NOT NULL DEFAULT '',
      state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
      queued_at TEXT NOT NULL,
      sent_at TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT
    );
    CREATE INDEX outbox_by_state ON outbox(state, id);
    CREATE INDEX outbox_by_document ON outbox(document_id, id);
  `);
}
