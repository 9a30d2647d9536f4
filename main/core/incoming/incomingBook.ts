// Sổ đăng ký văn bản đến: the documents taken into a year's register (those with a số đến), as the
// ten columns of Decree 30, in số đến order. The same rows feed the screen and the printed book.
// Read through the register's số đến index, in its order (no scan of every incoming document, no sort).
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { formatDateVn } from '../../common/dates.js';
import { documentType } from '../../common/doctypes.js';
import { localAgency } from '../registry/agency.js';
import type { BookPeriod, RegisterBook } from '../books/book.js';
import { formatIncomingNumber } from './register.js';

export interface IncomingBookRow {
  id: number;
  cells: string[];
}

export function incomingBookRows(db: Database, year: number, confidential: boolean, period: BookPeriod | null = null): IncomingBookRow[] {
  const rows = prepared(
    db,
    `SELECT d.id, d.incoming_number, d.registered_at, d.author_agency, d.sender_code, d.notation, d.document_date, d.type_code, d.subject,
            d.assigned_at, d.handling_due, d.state, d.state_reason, d.notes, d.exchange_id, h.name AS handler_name, h.unit AS handler_unit,
            (SELECT group_concat(r.id, ', ') FROM documents r WHERE r.replaces_id = d.id) AS replaced_by
       FROM registers g JOIN documents d INDEXED BY documents_incoming_number ON d.register_id = g.id LEFT JOIN handlers h ON h.id = d.handler_id
      WHERE d.direction = 'in' AND g.year = @year AND g.confidential = @confidential AND d.incoming_number IS NOT NULL
        AND (@from IS NULL OR (d.registered_at >= @from AND substr(d.registered_at, 1, 10) <= @to))
      ORDER BY d.incoming_number`,
  ).all({ year, confidential: confidential ? 1 : 0, from: period?.from ?? null, to: period?.to ?? null }) as {
    id: number;
    incoming_number: number;
    registered_at: string;
    author_agency: string;
    sender_code: string | null;
    notation: string | null;
    document_date: string | null;
    type_code: string;
    subject: string;
    assigned_at: string | null;
    handling_due: string | null;
    state: string;
    state_reason: string | null;
    notes: string;
    exchange_id: string | null;
    handler_name: string | null;
    handler_unit: string | null;
    replaced_by: string | null;
  }[];
  return rows.map((r) => {
    const type = documentType(r.type_code)?.vi ?? r.type_code;
    const handler = r.handler_name ? (r.handler_unit ? `${r.handler_name} (${r.handler_unit})` : r.handler_name) : '';
    const notes = [
      r.state === 'recalled' ? `Đã thu hồi: ${r.state_reason ?? ''}`.trim() : '',
      r.handling_due ? `Hạn giải quyết: ${formatDateVn(r.handling_due)}` : '',
      r.state === 'done' ? 'Đã xử lý xong' : '',
      r.replaced_by ? `Có văn bản cập nhật/thay thế (#${r.replaced_by})` : '',
      r.notes,
      // The sender's mã định danh văn bản (Appendix VI 1c), for what came over the axis.
      r.exchange_id ? `Mã định danh: ${r.exchange_id}` : '',
    ].filter(Boolean);
    return {
      id: r.id,
      cells: [
        formatDateVn(r.registered_at.slice(0, 10)),
        formatIncomingNumber(r.incoming_number),
        r.author_agency || (r.sender_code ?? ''),
        r.notation ?? '',
        formatDateVn(r.document_date),
        `${type} ${r.subject}`.trim(),
        handler,
        r.assigned_at ? formatDateVn(r.assigned_at.slice(0, 10)) : '',
        '',
        notes.join('. '),
      ],
    };
  });
}

export function incomingBook(db: Database, year: number, confidential: boolean, period: BookPeriod | null = null): RegisterBook {
  const rows = incomingBookRows(db, year, confidential, period);
  const first = rows[0]?.cells;
  const last = rows.at(-1)?.cells;
  const dates = rows.map((r) => r.cells[0]!.split('/').reverse().join('-')).sort();
  const vn = (iso: string | undefined) => (iso ? iso.split('-').reverse().join('/') : undefined);
  return {
    kind: 'in',
    agencyName: localAgency(db).name.toUpperCase(),
    year,
    confidential,
    rows: rows.map((r) => r.cells),
    ...(first && last ? { firstNumber: first[1], lastNumber: last[1], firstDate: vn(dates[0]), lastDate: vn(dates.at(-1)) } : {}),
  };
}
