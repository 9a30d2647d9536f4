// The periodic report (Decree 09/2019) counts documents by day over a period of up to a year or
// more. Each figure is one range scan of an index that holds every column the figure reads, so a
// year of a busy province (a quarter of a million documents) is counted without touching the table.
import type { Database } from 'better-sqlite3';

export function migrate0007Reports(db: Database): void {
  db.exec(`
    -- Two facts the report reads for every document of a period, kept in real columns by triggers
    -- rather than generated ones (SQLite reads the table for a generated column even when an
    -- index holds it), so that each figure is read from its index alone:
    -- issued_on: the day an outgoing document counts as issued — the day this client numbered it,
    --   else the date it bears (one imported from elsewhere), else the day it was registered; NULL
    --   while it is a draft or signed but not numbered;
    -- handling_seconds: from arrival to done, for the handling-time percentiles (parsing two
    --   timestamps per document cost more than the percentiles themselves).
    ALTER TABLE documents ADD COLUMN issued_on TEXT;
    ALTER TABLE documents ADD COLUMN handling_seconds INTEGER;
    UPDATE documents SET
      issued_on = CASE WHEN direction = 'out' AND state NOT IN ('draft', 'signed') THEN coalesce(numbered_at, document_date, registered_at) END,
      handling_seconds = unixepoch(handled_at) - unixepoch(registered_at);
    CREATE TRIGGER documents_report_insert AFTER INSERT ON documents BEGIN
      UPDATE documents SET
        issued_on = CASE WHEN NEW.direction = 'out' AND NEW.state NOT IN ('draft', 'signed') THEN coalesce(NEW.numbered_at, NEW.document_date, NEW.registered_at) END,
        handling_seconds = unixepoch(NEW.handled_at) - unixepoch(NEW.registered_at)
       WHERE id = NEW.id;
    END;
    CREATE TRIGGER documents_issued_on_update AFTER UPDATE OF direction, state, numbered_at, document_date, registered_at ON documents BEGIN
      UPDATE documents SET issued_on = CASE WHEN NEW.direction = 'out' AND NEW.state NOT IN ('draft', 'signed') THEN coalesce(NEW.numbered_at, NEW.document_date, NEW.registered_at) END
       WHERE id = NEW.id;
    END;
    CREATE TRIGGER documents_handling_seconds_update AFTER UPDATE OF handled_at, registered_at ON documents BEGIN
      UPDATE documents SET handling_seconds = unixepoch(NEW.handled_at) - unixepoch(NEW.registered_at) WHERE id = NEW.id;
    END;
    CREATE INDEX documents_report_issued ON documents(issued_on, exchange_id, numbered_at, sealed_at) WHERE issued_on IS NOT NULL;

    -- Incoming documents by the day they arrived, with what the figures read of them; and by state
    -- then day, so that each state of the period's documents is one range count.
    CREATE INDEX documents_report_received ON documents(registered_at, exchange_id, incoming_number, assigned_at) WHERE direction = 'in';
    CREATE INDEX documents_report_state ON documents(state, registered_at) WHERE direction = 'in';

    -- Incoming documents by the day they were done, with their due dates and handling times.
    CREATE INDEX documents_report_done ON documents(handled_at, handling_due, handling_seconds) WHERE direction = 'in' AND handled_at IS NOT NULL;

    -- Open incoming documents by due date (overdue, due soon), with their handler for the count per
    -- handler. Its condition is the one reports/figures.ts and incoming/views.ts call open.
    CREATE INDEX documents_report_open ON documents(handling_due, handler_id) WHERE direction = 'in' AND state IN ('registered', 'assigned', 'in_progress');

    -- The incoming register names the documents that update or replace each row.
    CREATE INDEX documents_by_replaces ON documents(replaces_id) WHERE replaces_id IS NOT NULL;

    -- Packages refused on arrival are few among many accepted ones.
    CREATE INDEX received_refused_by_time ON received_packages(received_at) WHERE outcome = 'refused';
  `);
}
