// Sổ đăng ký: one register per agency, direction and year. Numbers restart on 1 January, so a
// new year's register starts empty; it is created the first time a document enters it.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { localAgency } from './agency.js';

export type Direction = 'in' | 'out';

export interface RegisterRow {
  id: number;
  direction: Direction;
  year: number;
  confidential: boolean;
  name: string;
  documentCount: number;
}

export function registerName(direction: Direction, year: number, confidential: boolean): string {
  const base = direction === 'in' ? 'Sổ đăng ký văn bản đến' : 'Sổ đăng ký văn bản đi';
  return `${base}${confidential ? ' (mật)' : ''} năm ${year}`;
}

export function ensureRegister(db: Database, direction: Direction, year: number, confidential = false): number {
  const agency = localAgency(db);
  const existing = prepared(db, 'SELECT id FROM registers WHERE agency_id = ? AND direction = ? AND year = ? AND confidential = ?')
    .get(agency.id, direction, year, confidential ? 1 : 0) as { id: number } | undefined;
  if (existing) return existing.id;
  return Number(
    prepared(db, 'INSERT INTO registers (agency_id, direction, year, confidential, name) VALUES (?, ?, ?, ?, ?)')
      .run(agency.id, direction, year, confidential ? 1 : 0, registerName(direction, year, confidential)).lastInsertRowid,
  );
}

export function listRegisters(db: Database, year?: number): RegisterRow[] {
  const rows = prepared(db, 
      `SELECT r.id, r.direction, r.year, r.confidential, r.name,
              (SELECT count(*) FROM documents d WHERE d.register_id = r.id) AS documentCount
         FROM registers r
        WHERE (@year IS NULL OR r.year = @year)
        ORDER BY r.year DESC, r.direction, r.confidential`,
    )
    .all({ year: year ?? null }) as Array<Omit<RegisterRow, 'confidential'> & { confidential: number }>;
  return rows.map((r) => ({ ...r, confidential: r.confidential === 1 }));
}
