import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase, schemaVersion } from '../../main/core/storage/database.js';
import { SCHEMA_VERSION } from '../../main/core/storage/migrations/index.js';
import { AppError } from '../../main/common/errors.js';
import { tempDir } from '../support/fixtures.js';

function tables(db: BetterSqlite3.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

test('migration 0001 creates the registry tables, the append-only audit trail and the local agency', () => {
  const db = openDatabase(path.join(tempDir(), 'r.sqlite'), { targetVersion: 1 });
  assert.equal(schemaVersion(db), 1);
  for (const t of ['agencies', 'registers', 'files', 'pending_files', 'documents', 'document_recipients', 'attachments', 'audit_events', 'audit_events_no_update', 'audit_events_no_delete']) {
    assert.ok(tables(db).includes(t), `missing ${t}`);
  }
  assert.equal((db.prepare('SELECT count(*) AS n FROM agencies WHERE is_local = 1').get() as { n: number }).n, 1);
  assert.throws(() => db.prepare("INSERT INTO agencies (code, is_local) VALUES ('x', 1)").run(), /UNIQUE/);
  assert.throws(() => db.prepare("INSERT INTO files (sha256, size, media_type, stored_at) VALUES ('short', 1, 'a', 'b')").run(), /CHECK/);
  db.close();
});

test('migration 0002 adds the full-text index of folded text, on a database that already holds 0001 data', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v1 = openDatabase(file, { targetVersion: 1 });
  v1.prepare("INSERT INTO registers (agency_id, direction, year, name) VALUES (1, 'in', 2026, 'Sổ đến 2026')").run();
  v1.close();
  const db = openDatabase(file, { targetVersion: 2 });
  assert.equal(schemaVersion(db), 2);
  assert.ok(tables(db).includes('documents_fts'));
  assert.ok(tables(db).includes('document_texts'));
  // The index holds folded text: what the app writes is what a folded query finds.
  db.prepare("INSERT INTO documents_fts (rowid, subject, notation, author, signer, body) VALUES (1, 'de an dao tao', '', '', '', '')").run();
  assert.equal((db.prepare(`SELECT count(*) AS n FROM documents_fts WHERE documents_fts MATCH '"dao"*'`).get() as { n: number }).n, 1);
  assert.equal((db.prepare('SELECT count(*) AS n FROM registers').get() as { n: number }).n, 1, 'existing rows survive');
  db.close();
});

test('migration 0003 adds the signature and seal images per certificate, each pointing to a stored file', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v2 = openDatabase(file, { targetVersion: 2 });
  v2.prepare("INSERT INTO files (sha256, size, media_type, stored_at) VALUES (?, 1, 'image/png', 'now')").run('a'.repeat(64));
  v2.close();
  const db = openDatabase(file, { targetVersion: 3 });
  assert.equal(schemaVersion(db), 3);
  const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');
  const insert = db.prepare("INSERT INTO certificate_images (fingerprint256, kind, file_sha256, updated_at) VALUES (?, ?, ?, 'now')");
  insert.run(fingerprint, 'signature', 'a'.repeat(64));
  insert.run(fingerprint, 'seal', 'a'.repeat(64));
  assert.throws(() => insert.run(fingerprint, 'signature', 'a'.repeat(64)), /UNIQUE|PRIMARY/, 'one image of each kind per certificate');
  assert.throws(() => insert.run(fingerprint, 'logo', 'a'.repeat(64)), /CHECK/);
  assert.throws(() => insert.run('AB:CD', 'signature', 'a'.repeat(64)), /CHECK/);
  assert.throws(() => insert.run(fingerprint.replace('AB', 'CD'), 'signature', 'b'.repeat(64)), /FOREIGN KEY/, 'the file must be stored');
  assert.equal((db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n, 1, 'existing rows survive');
  db.close();
});

test('migration 0004 adds issuing: number places, the outbox, and unique numbers per register for numbers this client assigned', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v3 = openDatabase(file, { targetVersion: 3 });
  v3.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'out', 2026, 'Sổ đi 2026')").run();
  // Two imported documents with the same number: an old archive may hold such; the migration must not fail on them.
  const old = v3.prepare("INSERT INTO documents (register_id, direction, year, type_code, number, notation, subject, state, registered_at, updated_at) VALUES (1, 'out', 2026, 'QD', 5, '05/QĐ-UBND', 'cũ', 'issued', 'now', 'now')");
  old.run();
  old.run();
  v3.close();
  const db = openDatabase(file, { targetVersion: 4 });
  assert.equal(schemaVersion(db), 4);
  for (const t of ['number_places', 'outbox', 'document_recipient_agencies']) assert.ok(tables(db).includes(t), `missing ${t}`);
  const assign = db.prepare("UPDATE documents SET number = ?, notation = ?, numbered_at = 'now' WHERE id = ?");
  assign.run(7, '07/QĐ-UBND', 1);
  assert.throws(() => assign.run(7, '07/TB-UBND', 2), /UNIQUE/, 'no number twice in one register');
  assert.throws(() => assign.run(8, '07/QĐ-UBND', 2), /UNIQUE/, 'no notation twice in one register');
  assert.throws(() => db.prepare("INSERT INTO outbox (document_id, action, queued_at) VALUES (1, 'delete', 'now')").run(), /CHECK/);
  assert.throws(() => db.prepare("INSERT INTO number_places (document_id, kind, page, x, y, width, height, font_size, origin) VALUES (1, 'number', 1, 0, 0, 0, 10, 12, 'found')").run(), /CHECK/);
  assert.equal((db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n, 2, 'existing rows survive');
  db.close();
});

test('migration 0005 remakes the outbox with packages and schedules, keeping queued jobs and their recipients', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v4 = openDatabase(file, { targetVersion: 4 });
  v4.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'out', 2026, 'Sổ đi 2026')").run();
  v4.prepare("INSERT INTO documents (id, register_id, direction, year, type_code, subject, state, registered_at, updated_at) VALUES (1, 1, 'out', 2026, 'QD', 'đã phát hành', 'queued', 'now', 'now')").run();
  v4.prepare("INSERT INTO document_recipient_agencies (document_id, position, code) VALUES (1, 0, '000.00.00.H41'), (1, 1, '000.00.02.H41')").run();
  v4.prepare("INSERT INTO outbox (document_id, action, reason, queued_at) VALUES (1, 'send', '', '2026-11-01T08:00:00+07:00')").run();
  v4.close();
  const db = openDatabase(file, { targetVersion: 5 });
  assert.equal(schemaVersion(db), 5);
  assert.ok(!tables(db).includes('outbox'), 'the old outbox is gone');
  for (const t of ['outbox_jobs', 'received_packages', 'deliveries', 'status_events']) assert.ok(tables(db).includes(t), `missing ${t}`);
  const job = db.prepare('SELECT document_id, action, message_type, state, recipients, package_sha256 FROM outbox_jobs').get();
  assert.deepEqual(job, { document_id: 1, action: 'send', message_type: 'edoc', state: 'queued', recipients: '["000.00.00.H41","000.00.02.H41"]', package_sha256: null }, 'packaged on its first send');
  assert.throws(() => db.prepare("INSERT INTO outbox_jobs (action, message_type, queued_at) VALUES ('status', 'status', 'now')").run(), /CHECK/, 'a job is about a document or a received package');
  const received = db.prepare(
    "INSERT INTO received_packages (axis_doc_id, message_type, sender_code, exchange_id, business_type, package_size, outcome, received_at) VALUES (?, 'edoc', 'S', 'X,2026/11/01,1/QĐ', 0, 1, ?, 'now')",
  );
  received.run('axis-1', 'accepted');
  assert.throws(() => received.run('axis-1', 'duplicate'), /UNIQUE/, 'an axis item is recorded once');
  assert.throws(() => received.run('axis-2', 'accepted'), /UNIQUE/, 'the same document from the same sender is accepted once');
  received.run('axis-3', 'duplicate');
  const update = db.prepare(
    "INSERT INTO received_packages (axis_doc_id, message_type, sender_code, exchange_id, business_type, package_size, outcome, received_at) VALUES (?, 'edoc', 'S', 'X,2026/11/01,1/QĐ', 2, 1, 'accepted', 'now')",
  );
  update.run('axis-4');
  update.run('axis-5'); // a second update of the same document is another update
  db.close();
});

test('migration 0006 adds the incoming register: số đến unique per register, the handlers directory, and numbers for documents accepted before', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v5 = openDatabase(file, { targetVersion: 5 });
  v5.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'in', 2026, 'Sổ đến 2026')").run();
  const old = v5.prepare("INSERT INTO documents (register_id, direction, year, type_code, subject, state, registered_at, updated_at) VALUES (1, 'in', 2026, 'CV', ?, ?, ?, ?)");
  old.run('đến sau', 'registered', '2026-03-02T09:00:00+07:00', '2026-03-02T10:00:00+07:00');
  old.run('đến trước', 'registered', '2026-03-01T09:00:00+07:00', '2026-03-01T10:00:00+07:00');
  old.run('chưa tiếp nhận', 'received', '2026-03-03T09:00:00+07:00', '2026-03-03T09:00:00+07:00');
  v5.close();
  const db = openDatabase(file, { targetVersion: 6 });
  assert.equal(schemaVersion(db), 6);
  assert.ok(tables(db).includes('handlers'));
  assert.deepEqual(
    db.prepare('SELECT subject, incoming_number AS n, accepted_at IS NOT NULL AS accepted FROM documents ORDER BY id').all(),
    [
      { subject: 'đến sau', n: 2, accepted: 1 },
      { subject: 'đến trước', n: 1, accepted: 1 },
      { subject: 'chưa tiếp nhận', n: null, accepted: 0 },
    ],
    'accepted documents numbered in the order they arrived',
  );
  assert.equal((db.prepare('SELECT last_number AS n FROM registers WHERE id = 1').get() as { n: number }).n, 2);
  assert.throws(() => db.prepare('UPDATE documents SET incoming_number = 1 WHERE id = 3').run(), /UNIQUE/, 'no số đến twice in one register');
  assert.throws(() => db.prepare('UPDATE documents SET incoming_number = 0 WHERE id = 3').run(), /CHECK/, 'numbers run from 01');
  const handler = db.prepare("INSERT INTO handlers (name, unit, kind, active, created_at, updated_at) VALUES (?, '', ?, ?, 'now', 'now')");
  handler.run('Phòng Tư pháp', 'unit', 1);
  assert.throws(() => handler.run('Phòng Tư pháp', 'unit', 1), /UNIQUE/, 'one active handler per name');
  handler.run('Phòng Tư pháp', 'unit', 0); // an inactive namesake is history
  assert.throws(() => handler.run('Ai đó', 'robot', 1), /CHECK/);
  assert.throws(() => handler.run('  ', 'person', 1), /CHECK/);
  assert.throws(() => db.prepare('UPDATE documents SET handler_id = 99 WHERE id = 1').run(), /FOREIGN KEY/);
  assert.throws(() => db.prepare("UPDATE documents SET recall_answer = 'maybe' WHERE id = 1").run(), /CHECK/);
  db.close();
});

test('migration 0007 gives issued documents the day they count on, and keeps it as documents change', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v6 = openDatabase(file, { targetVersion: 6 });
  v6.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'out', 2026, 'Sổ đi 2026')").run();
  const old = v6.prepare("INSERT INTO documents (register_id, direction, year, type_code, subject, state, registered_at, updated_at, numbered_at, document_date) VALUES (1, 'out', 2026, 'CV', ?, ?, ?, ?, ?, ?)");
  old.run('cấp số ở đây', 'sent', '2026-03-01T09:00:00+07:00', '2026-03-02T10:00:00+07:00', '2026-03-02T10:00:00+07:00', '2026-03-02');
  old.run('nhập từ nơi khác', 'issued', '2026-04-01T09:00:00+07:00', '2026-04-01T09:00:00+07:00', null, '2026-02-15');
  old.run('nhập, không ngày', 'issued', '2026-04-03T09:00:00+07:00', '2026-04-03T09:00:00+07:00', null, null);
  old.run('dự thảo', 'draft', '2026-04-04T09:00:00+07:00', '2026-04-04T09:00:00+07:00', null, null);
  v6.close();
  const db = openDatabase(file, { targetVersion: 7 });
  const issuedOn = () => (db.prepare('SELECT issued_on AS d FROM documents ORDER BY id').all() as { d: string | null }[]).map((r) => r.d);
  assert.deepEqual(issuedOn(), ['2026-03-02T10:00:00+07:00', '2026-02-15', '2026-04-03T09:00:00+07:00', null], 'numbered here, else the date borne, else registered; a draft is not issued');
  // The draft is signed (still not issued), then numbered: the triggers follow.
  db.prepare("UPDATE documents SET state = 'signed' WHERE id = 4").run();
  assert.equal(issuedOn()[3], null);
  db.prepare("UPDATE documents SET state = 'numbered', numbered_at = '2026-04-05T08:00:00+07:00', document_date = '2026-04-05' WHERE id = 4").run();
  assert.equal(issuedOn()[3], '2026-04-05T08:00:00+07:00');
  db.prepare("INSERT INTO documents (register_id, direction, year, type_code, subject, state, registered_at, updated_at, document_date) VALUES (1, 'out', 2026, 'CV', 'mới nhập', 'issued', '2026-05-01T09:00:00+07:00', '2026-05-01T09:00:00+07:00', '2026-04-30')").run();
  assert.equal(issuedOn()[4], '2026-04-30');
  db.close();
});

test('migration 0008 adds the per-item receive attempts, one row per axis id, on a database that holds 0007 data', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v7 = openDatabase(file, { targetVersion: 7 });
  v7.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'in', 2026, 'Sổ đến 2026')").run();
  v7.close();
  const db = openDatabase(file, { targetVersion: 8 });
  assert.equal(schemaVersion(db), 8);
  assert.ok(tables(db).includes('receive_attempts'));
  const insert = db.prepare("INSERT INTO receive_attempts (axis_doc_id, attempts, last_error, last_attempt_at) VALUES (?, ?, 'ENOSPC', '2026-12-07T18:30:35+07:00')");
  insert.run('doc-1', 1);
  assert.throws(() => insert.run('doc-1', 2), /UNIQUE|PRIMARY/, 'one count per axis item');
  assert.throws(() => insert.run('doc-2', 0), /CHECK/, 'a row is an attempt made');
  assert.equal((db.prepare('SELECT count(*) AS n FROM registers').get() as { n: number }).n, 1, 'existing rows survive');
  db.close();
});

test('migration 0009 gives outbox jobs an error code and its details beside the English message; jobs already failed keep theirs', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v8 = openDatabase(file, { targetVersion: 8 });
  v8.prepare("INSERT INTO received_packages (id, axis_doc_id, message_type, sender_code, package_size, outcome, refusal_reason, received_at) VALUES (1, 'doc-1', 'edoc', '000.00.02.H99', 10, 'refused', 'malformed-xml', '2026-12-07T18:30:35+07:00')").run();
  v8.prepare(
    "INSERT INTO outbox_jobs (received_id, action, message_type, status_code, recipients, queued_at, state, last_error, error_kind) VALUES (1, 'status', 'status', '02', '[]', '2026-12-07T18:30:35+07:00', 'failed', 'The axis refused sendEdoc.', 'permanent')",
  ).run();
  v8.close();
  const db = openDatabase(file, { targetVersion: 9 });
  assert.equal(schemaVersion(db), 9);
  assert.deepEqual(db.prepare('SELECT last_error, last_error_code, last_error_details FROM outbox_jobs').get(), {
    last_error: 'The axis refused sendEdoc.',
    last_error_code: null,
    last_error_details: null,
  });
  db.prepare("UPDATE outbox_jobs SET last_error_code = 'AXIS_UNREACHABLE', last_error_details = '{\"host\":\"127.0.0.1:9\"}'").run();
  assert.equal((db.prepare('SELECT last_error_code AS c FROM outbox_jobs').get() as { c: string }).c, 'AXIS_UNREACHABLE');
  db.close();
});

test('migration 0010 records how each incoming document came (axis, electronic file, paper scan) and what its record was read from', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v9 = openDatabase(file, { targetVersion: 9 });
  v9.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'in', 2026, 'Sổ đến 2026'), (2, 1, 'out', 2026, 'Sổ đi 2026')").run();
  v9.prepare("INSERT INTO files (sha256, size, media_type, stored_at) VALUES (?, 1, 'application/pdf', 'now')").run('a'.repeat(64));
  const doc = v9.prepare("INSERT INTO documents (register_id, direction, year, type_code, subject, state, registered_at, updated_at, exchange_id, file_sha256) VALUES (?, ?, 2026, 'CV', ?, 'registered', '2026-03-01T09:00:00+07:00', '2026-03-01T09:00:00+07:00', ?, ?)");
  doc.run(1, 'in', 'qua trục', '000.00.32.H41,2026/03/01,5/UBND-VP', 'a'.repeat(64));
  doc.run(1, 'in', 'quét từ giấy', null, 'a'.repeat(64));
  doc.run(1, 'in', 'tệp nhận qua thư điện tử', null, 'a'.repeat(64));
  doc.run(2, 'out', 'văn bản đi', null, 'a'.repeat(64));
  // Before 0010 a scan registered as a paper document said so in its audit entry.
  v9.prepare("INSERT INTO audit_events (at, actor, document_id, kind, details, prev_hash, hash) VALUES ('now', 'vt', 2, 'accepted', '{\"incomingNumber\":1,\"source\":\"paper\"}', '', '')").run();
  v9.close();
  const db = openDatabase(file, { targetVersion: 10 });
  assert.equal(schemaVersion(db), 10);
  assert.deepEqual(
    (db.prepare('SELECT received_via AS via, capture FROM documents ORDER BY id').all() as { via: string | null; capture: string | null }[]).map((r) => [r.via, r.capture]),
    [
      ['axis', null],
      ['paper', null],
      ['electronic', null],
      [null, null],
    ],
  );
  assert.throws(() => db.prepare("UPDATE documents SET received_via = 'email' WHERE id = 1").run(), /CHECK/);
  assert.throws(() => db.prepare("UPDATE documents SET capture = '{not json' WHERE id = 1").run(), /CHECK/);
  db.prepare(`UPDATE documents SET capture = '{"sources":{"notation":"page-text"},"signedBy":[],"confirmedAt":null}' WHERE id = 3`).run();
  // The report's figure for paper is read from its index alone.
  const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM documents d INDEXED BY documents_report_received WHERE d.direction = 'in' AND d.registered_at >= '2026-03-01' AND d.received_via = 'paper'").all() as { detail: string }[]).map((r) => r.detail).join(' ');
  assert.match(plan, /COVERING INDEX documents_report_received/);
  db.close();
});

test('migration 0011 leaves no trigger on inserting a document, keeps the report columns of the rows it finds, and the update triggers still keep them', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  const v10 = openDatabase(file, { targetVersion: 10 });
  v10.prepare("INSERT INTO registers (id, agency_id, direction, year, name) VALUES (1, 1, 'out', 2026, 'Sổ đi 2026'), (2, 1, 'in', 2026, 'Sổ đến 2026')").run();
  const doc = v10.prepare("INSERT INTO documents (register_id, direction, year, type_code, subject, state, registered_at, updated_at, document_date, handled_at) VALUES (?, ?, 2026, 'CV', ?, ?, '2026-03-01T09:00:00+07:00', 'now', ?, ?)");
  doc.run(1, 'out', 'phát hành', 'issued', '2026-02-27', null);
  doc.run(1, 'out', 'dự thảo', 'draft', null, null);
  doc.run(2, 'in', 'đã xong', 'done', null, '2026-03-02T09:00:00+07:00');
  v10.close();
  const db = openDatabase(file, { targetVersion: 11 });
  assert.equal(schemaVersion(db), 11);
  const triggers = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  assert.deepEqual(triggers, ['documents_handling_seconds_update', 'documents_issued_on_update']);
  const report = () => db.prepare('SELECT issued_on, handling_seconds FROM documents ORDER BY id').all();
  assert.deepEqual(report(), [
    { issued_on: '2026-02-27', handling_seconds: null },
    { issued_on: null, handling_seconds: null },
    { issued_on: null, handling_seconds: 86400 },
  ]);
  db.prepare("UPDATE documents SET state = 'numbered', numbered_at = '2026-03-03T08:00:00+07:00' WHERE id = 2").run();
  db.prepare("UPDATE documents SET handled_at = '2026-03-01T10:00:00+07:00' WHERE id = 3").run();
  assert.deepEqual(report(), [
    { issued_on: '2026-02-27', handling_seconds: null },
    { issued_on: '2026-03-03T08:00:00+07:00', handling_seconds: null },
    { issued_on: null, handling_seconds: 3600 },
  ]);
  db.close();
});

test('migration 0014 adds the accounts: a login taken in any case once, sessions by the hash of their token, gone with their account', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  openDatabase(file, { targetVersion: 13 }).close();
  const db = openDatabase(file, { targetVersion: 14 });
  assert.equal(schemaVersion(db), 14);
  const user = db.prepare("INSERT INTO users (login, full_name, roles, created_at, updated_at) VALUES (?, ?, '[\"van-thu\"]', 'now', 'now')");
  const id = Number(user.run('vanthu', 'Nguyễn Thị Bình').lastInsertRowid);
  assert.throws(() => user.run('VanThu', 'Ai Đó'), /UNIQUE/);
  db.prepare("INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, 'c', 'now', 'now')").run('f'.repeat(64), id);
  assert.throws(() => db.prepare("UPDATE users SET active = 2 WHERE id = ?").run(id), /CHECK/);
  db.pragma('foreign_keys = ON');
  db.prepare('DELETE FROM users WHERE id = ?').run(id);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n, 0);
  db.close();
});

test('opening runs every pending migration and is idempotent', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  openDatabase(file).close();
  const db = openDatabase(file);
  assert.equal(schemaVersion(db), SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('synchronous', { simple: true }), 2, 'synchronous=FULL');
  db.close();
});

test('a database written by a newer version is refused with a clear message and left untouched', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  openDatabase(file).close();
  const raw = new BetterSqlite3(file);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
  raw.close();
  assert.throws(
    () => openDatabase(file),
    (error: unknown) => error instanceof AppError && error.code === 'DATABASE_TOO_NEW' && /newer version of eOffice/.test(error.message),
  );
  const check = new BetterSqlite3(file);
  assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION + 5);
  check.close();
});

test('a migration that fails leaves the previous schema version whole', () => {
  const file = path.join(tempDir(), 'r.sqlite');
  openDatabase(file, { targetVersion: 1 }).close();
  // A table 0002 wants to create already exists: the migration fails midway.
  const raw = new BetterSqlite3(file);
  raw.exec('CREATE TABLE document_texts (x)');
  raw.close();
  assert.throws(() => openDatabase(file), /already exists/);
  const check = new BetterSqlite3(file);
  assert.equal(check.pragma('user_version', { simple: true }), 1);
  assert.equal((check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'documents_fts'").get() as { n: number }).n, 0);
  check.close();
});
