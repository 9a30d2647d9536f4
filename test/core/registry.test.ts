import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDatabase, type Database } from '../../main/core/storage/database.js';
import { getDocument, insertDocument, listDocuments, updateDocument } from '../../main/core/registry/documents.js';
import { listRegisters } from '../../main/core/registry/registers.js';
import { appendAudit, verifyAudit } from '../../main/core/registry/audit.js';
import { localAgency, updateLocalAgency } from '../../main/core/registry/agency.js';
import { AppError } from '../../main/common/errors.js';
import { tempDir } from '../support/fixtures.js';

function freshDb(): Database {
  return openDatabase(path.join(tempDir(), 'r.sqlite'));
}

function add(db: Database, fields: Partial<Parameters<typeof insertDocument>[1]> = {}): number {
  return db.transaction(() =>
    insertDocument(db, { direction: 'in', year: 2026, typeCode: 'CV', subject: 'Về việc chuyển đổi số', state: 'received', ...fields }, 'tester'),
  )();
}

test('the local agency keeps its identifier code as an opaque string, validated loosely', () => {
  const db = freshDb();
  assert.equal(updateLocalAgency(db, { code: '000.00.32.H10', name: 'UBND tỉnh', abbreviation: 'UBND' }).code, '000.00.32.H10');
  assert.equal(updateLocalAgency(db, { code: 'H37.DN.001', name: 'Sở', abbreviation: 'SNV' }).code, 'H37.DN.001');
  assert.throws(() => updateLocalAgency(db, { code: '../etc', name: '', abbreviation: '' }), (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT');
  assert.equal(localAgency(db).code, 'H37.DN.001', 'a refused update changes nothing');
});

test('documents go into the register of their direction and year, created on first use', () => {
  const db = freshDb();
  add(db, { direction: 'in', year: 2025 });
  add(db, { direction: 'in', year: 2026 });
  add(db, { direction: 'out', year: 2026, state: 'draft' });
  const registers = listRegisters(db);
  assert.deepEqual(
    registers.map((r) => [r.direction, r.year, r.documentCount, r.name]),
    [
      ['in', 2026, 1, 'Sổ đăng ký văn bản đến năm 2026'],
      ['out', 2026, 1, 'Sổ đăng ký văn bản đi năm 2026'],
      ['in', 2025, 1, 'Sổ đăng ký văn bản đến năm 2025'],
    ],
  );
  assert.equal(listRegisters(db, 2025).length, 1);
});

test('the list filters by direction, year, type, state and date range, newest first, paged', () => {
  const db = freshDb();
  const a = add(db, { typeCode: 'QD', documentDate: '2026-01-05', registeredAt: '2026-01-06T08:00:00+07:00' });
  const b = add(db, { typeCode: 'TB', documentDate: '2026-03-10', registeredAt: '2026-03-11T08:00:00+07:00' });
  const c = add(db, { direction: 'out', state: 'draft', registeredAt: '2026-04-01T08:00:00+07:00' });
  assert.deepEqual(listDocuments(db, {}, 0, 10).items.map((d) => d.id), [c, b, a]);
  assert.deepEqual(listDocuments(db, { direction: 'in' }, 0, 10).items.map((d) => d.id), [b, a]);
  assert.deepEqual(listDocuments(db, { typeCode: 'QD' }, 0, 10).items.map((d) => d.id), [a]);
  assert.deepEqual(listDocuments(db, { state: 'draft' }, 0, 10).items.map((d) => d.id), [c]);
  assert.deepEqual(listDocuments(db, { dateFrom: '2026-02-01', dateTo: '2026-03-31' }, 0, 10).items.map((d) => d.id), [b]);
  const page = listDocuments(db, {}, 1, 1);
  assert.equal(page.total, 3);
  assert.deepEqual(page.items.map((d) => d.id), [b]);
});

test('an update changes only the given fields, reindexes and is audited with what changed', () => {
  const db = freshDb();
  const id = add(db, { recipients: ['Sở Nội vụ'] });
  db.transaction(() => updateDocument(db, id, { subject: 'Về việc cải cách hành chính', recipients: ['Sở Nội vụ', 'Sở Tài chính'] }, 'clerk'))();
  const doc = getDocument(db, id);
  assert.equal(doc.subject, 'Về việc cải cách hành chính');
  assert.deepEqual(doc.recipients, ['Sở Nội vụ', 'Sở Tài chính']);
  assert.deepEqual(doc.events.map((e) => e.kind), ['created', 'updated']);
  assert.deepEqual(doc.events[1]!.details, { subject: 'Về việc cải cách hành chính', recipients: ['Sở Nội vụ', 'Sở Tài chính'] });
  assert.equal(doc.events[1]!.actor, 'clerk');
  const hits = db.prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'cai cach'").all();
  assert.equal(hits.length, 1);
  assert.throws(() => getDocument(db, 999), (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND');
});

test('the audit trail is append-only and its hash chain names the first altered or missing entry', () => {
  const db = freshDb();
  for (let i = 0; i < 5; i++) add(db);
  assert.deepEqual(verifyAudit(db), { ok: true, checked: 5 });
  assert.throws(() => db.prepare("UPDATE audit_events SET actor = 'x' WHERE id = 3").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_events WHERE id = 3').run(), /append-only/);

  // Someone with direct access to the file drops the triggers and edits a row.
  db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  db.prepare("UPDATE audit_events SET actor = 'mallory' WHERE id = 3").run();
  assert.deepEqual(verifyAudit(db), { ok: false, checked: 2, firstBroken: { id: 3, reason: 'altered' } });

  const other = freshDb();
  for (let i = 0; i < 5; i++) appendAudit(other, { actor: 'a', kind: 'k' });
  other.exec('DROP TRIGGER audit_events_no_delete;');
  other.prepare('DELETE FROM audit_events WHERE id = 2').run();
  assert.deepEqual(verifyAudit(other), { ok: false, checked: 1, firstBroken: { id: 3, reason: 'missing-before' } });
});

test('foreign keys hold: a document cannot point at a file row that does not exist', () => {
  const db = freshDb();
  assert.throws(() => add(db, { fileSha256: 'a'.repeat(64) }), /FOREIGN KEY/);
  assert.equal(listDocuments(db, {}, 0, 10).total, 0, 'the failed insert left no row');
  assert.deepEqual(verifyAudit(db), { ok: true, checked: 0 }, 'nor an audit entry');
});

/**
 * How many index segments FTS5 has written to documents_fts since it was created: the write
 * counter of its structure record (row 10 of documents_fts_data: a 4-byte cookie, then the level
 * count, the segment count and the write counter as SQLite varints; FTS5's file format).
 */
function searchSegmentsWritten(db: Database): number {
  const block = (db.prepare('SELECT block FROM documents_fts_data WHERE id = 10').get() as { block: Uint8Array }).block;
  let at = 4;
  const varint = (): number => {
    let value = 0;
    for (let i = 0; i < 9; i++) {
      const byte = block[at++]!;
      if (i === 8) return value * 256 + byte;
      value = value * 128 + (byte & 0x7f);
      if (byte < 0x80) break;
    }
    return value;
  };
  varint(); // levels
  varint(); // segments
  return varint();
}

test('a thousand documents registered in one transaction write the search index in a few segments, not one per document', () => {
  // A trigger on INSERT INTO documents gives every insert a savepoint of its own, and FTS5 writes
  // its pending entries out as a new segment at each savepoint, then merges them: 2.4 times the
  // work per document (issue 19).
  const db = freshDb();
  add(db);
  const before = searchSegmentsWritten(db);
  db.transaction(() => {
    for (let i = 0; i < 1000; i++) {
      const direction = i % 2 ? 'in' : 'out';
      insertDocument(db, { direction, year: 2026, typeCode: 'CV', subject: `Về việc thử nghiệm số ${i}`, state: direction === 'in' ? 'received' : 'issued', bodyText: i % 3 ? undefined : `Nội dung ${i}` }, 'tester');
    }
  })();
  const written = searchSegmentsWritten(db) - before;
  assert.ok(written < 100, `${written} segments written for 1,000 documents`);
  assert.equal((db.prepare("SELECT count(*) AS n FROM documents_fts WHERE documents_fts MATCH 'thu nghiem'").get() as { n: number }).n, 1000, 'every document is found');
});

test('a registered document carries the day it counts as issued and its handling time, as the report triggers keep them', () => {
  // insertDocument writes issued_on and handling_seconds itself (migration 0011 dropped the insert
  // trigger); migration 0007's update triggers keep them afterwards. Firing those triggers on every
  // row must change nothing.
  const db = freshDb();
  const at = '2026-03-02T09:00:00+07:00';
  const cases: Array<Partial<Parameters<typeof insertDocument>[1]>> = [
    { direction: 'out', state: 'draft' },
    { direction: 'out', state: 'signed' },
    { direction: 'out', state: 'numbered', documentDate: '2026-03-01' },
    { direction: 'out', state: 'issued', documentDate: '2026-02-27' },
    { direction: 'out', state: 'issued', documentDate: null },
    { direction: 'in', state: 'received', documentDate: '2026-02-28' },
    { direction: 'in', state: 'registered' },
  ];
  for (const fields of cases) add(db, { registeredAt: at, ...fields });
  const columns = () => db.prepare('SELECT id, issued_on, handling_seconds FROM documents ORDER BY id').all();
  const inserted = columns();
  assert.deepEqual(
    inserted.map((r) => (r as { issued_on: string | null }).issued_on),
    [null, null, '2026-03-01', '2026-02-27', at, null, null],
    'numbered or issued: the date it bears, else the day it was registered; drafts, signed drafts and incoming documents are not issued',
  );
  db.prepare('UPDATE documents SET state = state, handled_at = handled_at').run();
  assert.deepEqual(columns(), inserted);
});
