// Người hoặc đơn vị xử lý: the agency's local directory of who handles incoming documents. A
// handler who leaves is made inactive, never deleted: the documents they handled still name them.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { appendAudit } from '../registry/audit.js';
import { indexDocument } from '../registry/documents.js';
import { AppError } from '../../common/errors.js';
import { toVnIso } from '../../common/dates.js';
import type { Handler } from '../../common/contract.js';

interface HandlerRow {
  id: number;
  name: string;
  unit: string;
  kind: 'person' | 'unit';
  active: number;
}

export function toHandler(row: HandlerRow): Handler {
  return { id: row.id, name: row.name, unit: row.unit, kind: row.kind, active: row.active === 1 };
}

export function listHandlers(db: Database, includeInactive = false): Handler[] {
  const rows = prepared(db, 'SELECT id, name, unit, kind, active FROM handlers WHERE active = 1 OR @all ORDER BY active DESC, name COLLATE NOCASE, id').all({ all: includeInactive ? 1 : 0 }) as HandlerRow[];
  return rows.map(toHandler);
}

export function getHandler(db: Database, id: number): Handler {
  const row = prepared(db, 'SELECT id, name, unit, kind, active FROM handlers WHERE id = ?').get(id) as HandlerRow | undefined;
  if (!row) throw new AppError('HANDLER_NOT_FOUND', `There is no handler ${id} in the directory.`, { handler: String(id) });
  return toHandler(row);
}

/** A handler by its id, or by its exact name among the active ones (the CLI's --to). */
export function findHandler(db: Database, idOrName: string): Handler {
  const text = idOrName.trim().normalize('NFC');
  if (/^\d+$/.test(text)) return getHandler(db, Number(text));
  const rows = prepared(db, 'SELECT id, name, unit, kind, active FROM handlers WHERE name = ? ORDER BY active DESC, id DESC').all(text) as HandlerRow[];
  if (!rows[0]) throw new AppError('HANDLER_NOT_FOUND', `There is no handler named "${text}" in the directory.`, { handler: text });
  return toHandler(rows[0]);
}

function assertFreeName(db: Database, name: string, exceptId: number | null): void {
  const clash = prepared(db, 'SELECT id FROM handlers WHERE active = 1 AND name = ? AND id IS NOT ?').get(name, exceptId) as { id: number } | undefined;
  if (clash) throw new AppError('HANDLER_EXISTS', `The directory already has an active handler named "${name}" (${clash.id}).`, { handler: name, existingId: clash.id });
}

export function addHandler(db: Database, actor: string, fields: { name: string; unit: string; kind: 'person' | 'unit' }): Handler {
  const name = fields.name.trim().normalize('NFC');
  const unit = fields.unit.trim().normalize('NFC');
  if (!name) throw new AppError('INVALID_INPUT', 'A handler needs a name.', { field: 'name' });
  return db
    .transaction(() => {
      assertFreeName(db, name, null);
      const now = toVnIso();
      const id = Number(prepared(db, 'INSERT INTO handlers (name, unit, kind, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)').run(name, unit, fields.kind, now, now).lastInsertRowid);
      appendAudit(db, { actor, kind: 'handler-added', documentId: null, at: now, details: { handlerId: id, name, unit, handlerKind: fields.kind } });
      return getHandler(db, id);
    })
    .immediate();
}

export function updateHandler(db: Database, actor: string, id: number, patch: { name?: string; unit?: string; kind?: 'person' | 'unit'; active?: boolean }): Handler {
  return db
    .transaction(() => {
      const before = getHandler(db, id);
      const after = {
        name: patch.name === undefined ? before.name : patch.name.trim().normalize('NFC'),
        unit: patch.unit === undefined ? before.unit : patch.unit.trim().normalize('NFC'),
        kind: patch.kind ?? before.kind,
        active: patch.active ?? before.active,
      };
      if (!after.name) throw new AppError('INVALID_INPUT', 'A handler needs a name.', { field: 'name' });
      if (after.active) assertFreeName(db, after.name, id);
      const changed = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key as keyof typeof after] !== value));
      if (Object.keys(changed).length === 0) return before;
      const now = toVnIso();
      prepared(db, 'UPDATE handlers SET name = ?, unit = ?, kind = ?, active = ?, updated_at = ? WHERE id = ?').run(after.name, after.unit, after.kind, after.active ? 1 : 0, now, id);
      appendAudit(db, { actor, kind: 'handler-updated', documentId: null, at: now, details: { handlerId: id, ...changed } });
      // The documents they handle are searched by their name and unit.
      if ('name' in changed || 'unit' in changed) for (const d of prepared(db, 'SELECT id FROM documents WHERE handler_id = ?').all(id) as { id: number }[]) indexDocument(db, d.id);
      return getHandler(db, id);
    })
    .immediate();
}
