// Document exchange over the axis (QCVN 102:2016): every outbox job carries its edXML package,
// built and committed with the state change that queued it, so a retry sends the same bytes with
// the same DocumentId; what the recipients said comes back per recipient; every package fetched
// from the axis is recorded before it is acknowledged, so a crash means fetching it again and
// recognising it, never losing or doubling it.
import type { Database } from 'better-sqlite3';

export function migrate0005Exchange(db: Database): void {
  db.exec(`
    -- The DocumentId {OrganId},{yyyy/MM/dd},{Number}/{Notation}: set when an outgoing document is
    -- packaged, taken from the package for a received one. Statuses find their document by it.
    ALTER TABLE documents ADD COLUMN exchange_id TEXT;
    ALTER TABLE documents ADD COLUMN sender_code TEXT;  -- mã định danh of the sender (received documents)
    CREATE INDEX documents_by_exchange_id ON documents(exchange_id, direction);

    -- Packages fetched from the axis, refused ones included (the clerk sees why).
    CREATE TABLE received_packages (
      id INTEGER PRIMARY KEY,
      axis_doc_id TEXT NOT NULL UNIQUE,
      message_type TEXT NOT NULL CHECK (message_type IN ('edoc', 'status')),
      sender_code TEXT NOT NULL,
      exchange_id TEXT,
      business_type INTEGER CHECK (business_type IS NULL OR business_type BETWEEN 0 AND 3),
      status_code TEXT,
      package_sha256 TEXT REFERENCES files(sha256),  -- NULL when it was too large to keep
      package_size INTEGER NOT NULL,
      -- accepted: a new document (or status) recorded; duplicate: the same document again under
      -- another axis id; refused: not accepted, with the reason.
      outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'refused')),
      refusal_reason TEXT,
      refusal_detail TEXT,
      document_id INTEGER REFERENCES documents(id),
      received_at TEXT NOT NULL
    );
    -- A new document is accepted once per sender and DocumentId. Recalls, updates and
    -- replacements reuse the DocumentId they are about, and there may be several: each is told
    -- apart by its bytes (a resend carries the same bytes), checked when it arrives.
    CREATE UNIQUE INDEX received_edoc_once ON received_packages(sender_code, exchange_id)
      WHERE outcome = 'accepted' AND message_type = 'edoc' AND business_type = 0;
    CREATE INDEX received_by_time ON received_packages(received_at DESC, id DESC);

    -- The outbox of 0004, remade: a job now carries its package and recipients, may answer a
    -- received package (status 02 for one that could not be accepted) and is retried on a schedule.
    CREATE TABLE outbox_jobs (
      id INTEGER PRIMARY KEY,
      document_id INTEGER REFERENCES documents(id),
      received_id INTEGER REFERENCES received_packages(id),
      action TEXT NOT NULL CHECK (action IN ('send', 'recall', 'update', 'replace', 'status')),
      message_type TEXT NOT NULL CHECK (message_type IN ('edoc', 'status')),
      status_code TEXT,
      reason TEXT NOT NULL DEFAULT '',
      recipients TEXT NOT NULL DEFAULT '[]',        -- JSON array of agency codes
      exchange_id TEXT,                             -- DocumentId the package carries or answers
      package_sha256 TEXT REFERENCES files(sha256), -- NULL only for jobs queued before packaging existed
      package_size INTEGER,
      state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
      claimed_by INTEGER,                           -- pid of the process sending it
      claimed_at TEXT,                              -- when: a claim older than the lease is taken over (pids are reused)
      queued_at TEXT NOT NULL,
      next_attempt_at TEXT,                         -- ISO 8601; NULL = due now
      sent_at TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      error_kind TEXT CHECK (error_kind IS NULL OR error_kind IN ('transient', 'permanent', 'auth')),
      axis_doc_id TEXT,
      CHECK (document_id IS NOT NULL OR received_id IS NOT NULL)
    );
    INSERT INTO outbox_jobs (id, document_id, action, message_type, reason, state, queued_at, sent_at, attempts, last_error, recipients)
      SELECT o.id, o.document_id, o.action, 'edoc', o.reason, o.state, o.queued_at, o.sent_at, o.attempts, o.last_error,
             COALESCE((SELECT json_group_array(code) FROM (SELECT code FROM document_recipient_agencies r WHERE r.document_id = o.document_id ORDER BY position)), '[]')
      FROM outbox o;
    DROP TABLE outbox;
    CREATE INDEX outbox_due ON outbox_jobs(state, next_attempt_at, id);
    CREATE INDEX outbox_by_document ON outbox_jobs(document_id, id);

    -- Where each recipient stands with each outgoing document: queued, sent (the axis took it),
    -- then the last status it reported (01 arrived … 06 done, 02 refused, 15/16 recall answers).
    CREATE TABLE deliveries (
      document_id INTEGER NOT NULL REFERENCES documents(id),
      recipient_code TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'status')),
      status_code TEXT,
      description TEXT NOT NULL DEFAULT '',
      status_sent_at TEXT,                -- the status's own Timestamp: one that arrives late does not overwrite a newer one
      updated_at TEXT NOT NULL,
      PRIMARY KEY (document_id, recipient_code)
    );

    -- Every status a recipient sent, in order of arrival.
    CREATE TABLE status_events (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES documents(id),
      from_code TEXT NOT NULL,
      status_code TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      staff TEXT NOT NULL DEFAULT '',
      sent_at TEXT NOT NULL DEFAULT '',   -- the Timestamp as the sender wrote it
      received_id INTEGER NOT NULL REFERENCES received_packages(id),
      received_at TEXT NOT NULL
    );
    CREATE INDEX status_events_by_document ON status_events(document_id, id);
  `);
}
