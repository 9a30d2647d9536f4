// The incoming register (sổ đăng ký văn bản đến, Decree 30/2020): the incoming number (số đến)
// per register — a year, and the confidential series when it is kept apart — given when the
// clerk accepts a document into the register; the local directory of handlers (people or units);
// who handles each document, by when, and when it was started and finished; the clerk's answer
// to a sender's recall.
import type { Database } from 'better-sqlite3';

export function migrate0006Incoming(db: Database): void {
  db.exec(`
    -- Người hoặc đơn vị xử lý: a local directory; a handler who leaves is made inactive, never
    -- deleted, so that the documents they handled still name them.
    CREATE TABLE handlers (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
      unit TEXT NOT NULL DEFAULT '' CHECK (length(unit) <= 200),
      kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'unit')),
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    -- "--to <name>" finds one active handler by its exact name.
    CREATE UNIQUE INDEX handlers_active_name ON handlers(name) WHERE active = 1;

    ALTER TABLE documents ADD COLUMN incoming_number INTEGER CHECK (incoming_number IS NULL OR incoming_number >= 1); -- số đến
    ALTER TABLE documents ADD COLUMN accepted_at TEXT;     -- when the clerk took it into the register (tiếp nhận)
    ALTER TABLE documents ADD COLUMN handler_id INTEGER REFERENCES handlers(id);
    ALTER TABLE documents ADD COLUMN handling_due TEXT;    -- hạn giải quyết, yyyy-MM-dd (Vietnam)
    ALTER TABLE documents ADD COLUMN assigned_at TEXT;     -- ngày chuyển
    ALTER TABLE documents ADD COLUMN started_at TEXT;
    ALTER TABLE documents ADD COLUMN handled_at TEXT;
    -- The clerk's answer to the sender's latest recall: the received package (a recall, or a
    -- status 13) it answered, so that a later recall is a new question.
    ALTER TABLE documents ADD COLUMN recall_answer TEXT CHECK (recall_answer IS NULL OR recall_answer IN ('accepted', 'refused'));
    ALTER TABLE documents ADD COLUMN recall_answered_at TEXT;
    ALTER TABLE documents ADD COLUMN recall_received_id INTEGER REFERENCES received_packages(id);

    CREATE UNIQUE INDEX documents_incoming_number ON documents(register_id, incoming_number) WHERE incoming_number IS NOT NULL;
    CREATE INDEX documents_by_handling ON documents(direction, state, handling_due);
    CREATE INDEX received_by_document ON received_packages(document_id, id);

    -- Documents accepted before this version have no incoming number yet: they get theirs in the
    -- order they arrived, and each register's last number follows.
    UPDATE documents SET incoming_number = (
        SELECT n FROM (SELECT id, row_number() OVER (PARTITION BY register_id ORDER BY registered_at, id) AS n
                         FROM documents WHERE direction = 'in' AND state = 'registered') AS numbered
         WHERE numbered.id = documents.id),
      accepted_at = updated_at
     WHERE direction = 'in' AND state = 'registered';
    UPDATE registers SET last_number = max(last_number, (SELECT coalesce(max(incoming_number), 0) FROM documents d WHERE d.register_id = registers.id))
     WHERE direction = 'in';
  `);
}
