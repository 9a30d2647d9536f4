import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { AppError } from '../../common/errors.js';

export interface Agency {
  id: number;
  code: string;
  name: string;
  abbreviation: string;
}

/** The agency this installation keeps the registers of. It exists from the first migration on. */
export function localAgency(db: Database): Agency {
  const row = prepared(db, 'SELECT id, code, name, abbreviation FROM agencies WHERE is_local = 1').get() as
    | { id: number; code: string | null; name: string; abbreviation: string }
    | undefined;
  if (!row) throw new AppError('STORAGE_CORRUPT', 'The local agency row is missing from the database.');
  return { ...row, code: row.code ?? '' };
}

// Identifier codes come in several shapes (000.00.32.H10, H37.DN.001, …): accept letters,
// digits, dots and dashes rather than one pattern, and keep the code as an opaque string.
const LOOSE_CODE = /^[A-Za-z0-9][A-Za-z0-9.\-_]{0,31}$/;

export function updateLocalAgency(db: Database, input: { code: string; name: string; abbreviation: string }): Agency {
  const code = input.code.trim();
  if (code && !LOOSE_CODE.test(code)) {
    throw new AppError('INVALID_INPUT', `"${code}" is not an agency identifier code (letters, digits, dots, at most 32 characters).`, { field: 'code' });
  }
  prepared(db, 'UPDATE agencies SET code = ?, name = ?, abbreviation = ? WHERE is_local = 1').run(code || null, input.name.trim(), input.abbreviation.trim());
  return localAgency(db);
}
