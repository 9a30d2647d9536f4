// Sổ đăng ký văn bản đi: the documents this client numbered in a year's register, as the ten
// columns of Decree 30, in number order. The same rows feed the screen and the printed book.
// The rows are read through the register's number index, in its order: a year of a province
// (70,000 rows) needs neither a scan of every outgoing document nor a sort.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { formatDateVn } from '../../common/dates.js';
import { documentType } from '../../common/doctypes.js';
import { localAgency } from '../registry/agency.js';
import { identifierCodeOf } from '../registry/documents.js';
import type { BookPeriod, RegisterBook } from '../books/book.js';

const STATE_NOTE: Record<string, string> = { recalled: 'Đã thu hồi', updated: 'Đã cập nhật', replaced: 'Đã bị thay thế' };

export interface OutgoingBookRow {
  id: number;
  cells: string[];
}

export function outgoingBookRows(db: Database, year: number, confidential: boolean, period: BookPeriod | null = null): OutgoingBookRow[] {
  const rows = prepared(
    db,
    `SELECT d.id, d.number, d.notation, d.document_date, d.type_code, d.subject, d.signer_name, d.signer_position, d.signer_competence,
            d.archive_holder, d.copies, d.queued_at, d.notes, d.state, d.state_reason, d.number, d.numbered_at, d.exchange_id,
            (SELECT group_concat(name, '; ') FROM (SELECT name FROM document_recipients r WHERE r.document_id = d.id ORDER BY position)) AS printed,
            (SELECT group_concat(code, '; ') FROM (SELECT code FROM document_recipient_agencies a WHERE a.document_id = d.id ORDER BY position)) AS codes
       FROM registers g JOIN documents d INDEXED BY documents_assigned_number ON d.register_id = g.id
      WHERE d.direction = 'out' AND g.year = @year AND g.confidential = @confidential AND d.numbered_at IS NOT NULL
        AND (@from IS NULL OR d.document_date BETWEEN @from AND @to)
      ORDER BY d.number`,
  ).all({ year, confidential: confidential ? 1 : 0, from: period?.from ?? null, to: period?.to ?? null }) as {
    id: number;
    number: number;
    numbered_at: string;
    exchange_id: string | null;
    notation: string;
    document_date: string;
    type_code: string;
    subject: string;
    signer_name: string;
    signer_position: string;
    signer_competence: string;
    archive_holder: string;
    copies: number | null;
    queued_at: string | null;
    notes: string;
    state: string;
    state_reason: string | null;
    printed: string | null;
    codes: string | null;
  }[];
  const agencyCode = localAgency(db).code;
  return rows.map((r) => {
    const type = documentType(r.type_code)?.vi ?? r.type_code;
    // Mã định danh văn bản (Appendix VI 1c): in the notes, the book keeping Appendix IV's ten columns.
    const code = identifierCodeOf({ ...r, direction: 'out', agency_code: agencyCode });
    const signer = [r.signer_competence, r.signer_position].filter(Boolean).join(' ');
    // Printed "Nơi nhận" lines end in ";" or "." already.
    const recipients = (r.printed ?? '').split('; ').map((line) => line.replace(/[;.,\s]+$/, '')).filter(Boolean).join('; ');
    const note = [STATE_NOTE[r.state] ? `${STATE_NOTE[r.state]}: ${r.state_reason ?? ''}`.trim() : '', r.notes, code ? `Mã định danh: ${code}` : ''].filter(Boolean).join('. ');
    return {
      id: r.id,
      cells: [
        r.notation,
        formatDateVn(r.document_date),
        `${type} ${r.subject}`.trim(),
        signer ? `${r.signer_name} (${signer})` : r.signer_name,
        recipients || (r.codes ?? ''),
        r.archive_holder,
        r.copies === null ? '' : String(r.copies),
        r.queued_at ? formatDateVn(r.queued_at.slice(0, 10)) : '',
        '',
        note,
      ],
    };
  });
}

export function outgoingBook(db: Database, year: number, confidential: boolean, period: BookPeriod | null = null): RegisterBook {
  const rows = outgoingBookRows(db, year, confidential, period);
  const first = rows[0]?.cells;
  const last = rows.at(-1)?.cells;
  return {
    kind: 'out',
    agencyName: localAgency(db).name.toUpperCase(),
    year,
    confidential,
    rows: rows.map((r) => r.cells),
    ...(first && last ? { firstNumber: first[0]!.split('/')[0], lastNumber: last[0]!.split('/')[0], firstDate: first[1], lastDate: last[1] } : {}),
  };
}
