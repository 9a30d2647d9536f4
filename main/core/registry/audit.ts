// Nhật ký: the audit trail. Each entry's hash covers its own content and the previous entry's
// hash, so altering or removing a row breaks the chain from that row on.
import { createHash } from 'node:crypto';
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { toVnIso } from '../../common/dates.js';

const GENESIS = '0'.repeat(64);

export interface AuditEntryInput {
  actor: string;
  kind: string;
  documentId?: number | null;
  details?: Record<string, unknown>;
  at?: string;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  document_id: number | null;
  kind: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function entryHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([row.id, row.at, row.actor, row.document_id, row.kind, row.details]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** Appends an entry; call it inside the transaction that makes the change it records. */
export function appendAudit(db: Database, entry: AuditEntryInput): number {
  const last = prepared(db, 'SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
  const prevHash = last?.hash ?? GENESIS;
  const row = {
    id: (last?.id ?? 0) + 1,
    at: entry.at ?? toVnIso(),
    actor: entry.actor,
    document_id: entry.documentId ?? null,
    kind: entry.kind,
    details: JSON.stringify(entry.details ?? {}),
  };
  prepared(db, 
    'INSERT INTO audit_events (id, at, actor, document_id, kind, details, prev_hash, hash) VALUES (@id, @at, @actor, @document_id, @kind, @details, @prev_hash, @hash)',
  ).run({ ...row, prev_hash: prevHash, hash: entryHash(prevHash, row) });
  return row.id;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first entry whose content or link does not match, or after which one is missing. */
  firstBroken?: { id: number; reason: 'altered' | 'missing-before' };
}

export function verifyAudit(db: Database): AuditVerification {
  let prevHash = GENESIS;
  let expectedId = 1;
  let checked = 0;
  for (const row of prepared(db, 'SELECT * FROM audit_events ORDER BY id').iterate() as Iterable<AuditRow>) {
    if (row.id !== expectedId || row.prev_hash !== prevHash) return { ok: false, checked, firstBroken: { id: row.id, reason: 'missing-before' } };
    if (entryHash(prevHash, row) !== row.hash) return { ok: false, checked, firstBroken: { id: row.id, reason: 'altered' } };
    prevHash = row.hash;
    expectedId = row.id + 1;
    checked++;
  }
  return { ok: true, checked };
}

export function documentEvents(db: Database, documentId: number) {
  return (prepared(db, 'SELECT id, at, actor, kind, details FROM audit_events WHERE document_id = ? ORDER BY id').all(documentId) as AuditRow[]).map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    kind: r.kind,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
