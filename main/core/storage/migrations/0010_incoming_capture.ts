// An incoming document's record, and how it came. Each field an incoming document's record was
// read from (the edXML header, the printed text, a signature field's appearance, a signer's
// certificate, the file's name, or the clerk), so that a guess shows as one until the clerk
// confirms it at tiếp nhận; and whether it came over the axis, as an electronic file outside the
// axis (imported by hand), or on paper (a scan registered as a paper document), which the
// periodic report counts apart.
import type { Database } from 'better-sqlite3';

export function migrate0010IncomingCapture(db: Database): void {
  db.exec(`
    -- JSON (main/common/capture.ts): {sources: {field: source|null}, signedBy: [...], confirmedAt}.
    -- NULL for outgoing documents and for incoming ones recorded before: nothing marked as a guess.
    ALTER TABLE documents ADD COLUMN capture TEXT CHECK (capture IS NULL OR json_valid(capture));
    -- NULL is read as paper: what the report called paper before this version.
    ALTER TABLE documents ADD COLUMN received_via TEXT CHECK (received_via IS NULL OR received_via IN ('axis', 'electronic', 'paper'));

    -- Before this version a scan was registered at once ("paper" in its audit entry) and any other
    -- file was imported by hand: the latter are electronic documents received outside the axis.
    UPDATE documents SET received_via = CASE
        WHEN exchange_id IS NOT NULL THEN 'axis'
        WHEN EXISTS (SELECT 1 FROM audit_events a WHERE a.document_id = documents.id AND a.kind = 'accepted' AND json_extract(a.details, '$.source') = 'paper') THEN 'paper'
        WHEN file_sha256 IS NOT NULL THEN 'electronic'
      END
     WHERE direction = 'in';

    -- The report's incoming figures read how each document came from the same index (0007).
    DROP INDEX documents_report_received;
    CREATE INDEX documents_report_received ON documents(registered_at, exchange_id, received_via, incoming_number, assigned_at) WHERE direction = 'in';
  `);
}
