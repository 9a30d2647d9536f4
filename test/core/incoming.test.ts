// The incoming register on a real database: số đến per year from 01 (the year of arrival in
// Vietnam time, across a year boundary, no gaps or duplicates, axis and paper documents alike),
// the handlers directory, assignment with a due date, overdue and due-soon marks, a sender's
// recall answered, every bad input refused with nothing changed, and the register book in PDF,
// XLSX and CSV read back by pdftotext, exceljs and a strict CSV parser.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import { AppError, type ErrorCode } from '../../main/common/errors.js';
import { toVnIso } from '../../main/common/dates.js';
import { INCOMING_COLUMNS } from '../../main/core/books/book.js';
import { insertDocument } from '../../main/core/registry/documents.js';
import { updateLocalAgency } from '../../main/core/registry/agency.js';
import { appendAudit, verifyAudit } from '../../main/core/registry/audit.js';
import { acceptIncoming, registerPaper, returnIncoming, type IncomingContext } from '../../main/core/incoming/register.js';
import { assignIncoming, finishIncoming, startIncoming } from '../../main/core/incoming/handling.js';
import { answerRecall } from '../../main/core/incoming/recall.js';
import { incomingCounts, incomingDetail, listIncoming } from '../../main/core/incoming/views.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';

const work = tempDir('eoffice-incoming-');
const cores: Core[] = [];
after(() => {
  for (const c of cores) c.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const SENDER = '000.00.01.H99';

function openIncoming(): Core {
  const core = openCore({ dataDir: tempDir('eoffice-incoming-core-'), shell: 'web', actor: 'văn thư' });
  cores.push(core);
  updateLocalAgency(core.db, { code: '000.00.02.H99', name: 'Ủy ban nhân dân huyện Thử Nghiệm', abbreviation: 'UBND' });
  return core;
}

function ctxAt(core: Core, iso: string): IncomingContext {
  return { db: core.db, blobs: core.blobs, actor: 'văn thư', now: () => new Date(iso) };
}

let serial = 0;
/** A document as the inbox leaves it: received over the axis at `arrivedAt`. */
function arrived(core: Core, arrivedAt: string, fields: { subject?: string; notation?: string } = {}): number {
  const at = new Date(arrivedAt);
  return core.db.transaction(() => {
    const id = insertDocument(
      core.db,
      {
        direction: 'in',
        year: Number(toVnIso(at).slice(0, 4)),
        typeCode: 'CV',
        subject: fields.subject ?? `Văn bản đến ${++serial}`,
        state: 'received',
        notation: fields.notation ?? `${serial}/UBND-VP`,
        documentDate: toVnIso(at).slice(0, 10),
        authorAgency: 'Ủy ban nhân dân xã Thử Nghiệm',
        registeredAt: toVnIso(at),
      },
      'văn thư',
    );
    core.db.prepare('UPDATE documents SET exchange_id = ?, sender_code = ? WHERE id = ?').run(`${SENDER},2026/01/01,${id}/UBND-VP`, SENDER, id);
    return id;
  })();
}

/** A paper document's scan registered at once: its text gives all the register needs but the date, which the clerk types. */
async function paper(core: Core, at: string, subject: string): Promise<number> {
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ AN BÌNH', `Số: ${++serial}/UBND-VP`, 'V/v ' + subject]);
  return registerPaper({ ...ctxAt(core, at), maxBytes: 10 * 1024 * 1024 }, { fileName: `${subject}.pdf`, bytes }, { documentDate: at.slice(0, 10) });
}

function numberOf(core: Core, id: number): { n: number | null; year: number } {
  const row = core.db.prepare('SELECT d.incoming_number AS n, g.year FROM documents d JOIN registers g ON g.id = d.register_id WHERE d.id = ?').get(id) as { n: number | null; year: number };
  return row;
}

/** Everything a refused step must leave as it was. */
function snapshot(core: Core): string {
  return JSON.stringify({
    documents: core.db.prepare('SELECT * FROM documents ORDER BY id').all(),
    registers: core.db.prepare('SELECT * FROM registers ORDER BY id').all(),
    audit: core.db.prepare('SELECT count(*) AS n FROM audit_events').get(),
    jobs: core.db.prepare('SELECT count(*) AS n FROM outbox_jobs').get(),
    handlers: core.db.prepare('SELECT * FROM handlers ORDER BY id').all(),
  });
}

function refused(core: Core, code: ErrorCode, step: () => unknown): void {
  const before = snapshot(core);
  assert.throws(step, (error: unknown) => error instanceof AppError && error.code === code, `expected ${code}`);
  assert.equal(snapshot(core), before, `a refused step (${code}) changes nothing`);
}

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<{ ok: true; result: Output<M> } | { ok: false; code: string; message: string }> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  return envelope.ok ? { ok: true, result: envelope.result as Output<M> } : { ok: false, code: envelope.error.code, message: envelope.error.message };
}

test('số đến runs per year of arrival from 01: across the new year in Vietnam time, no gaps or duplicates, paper documents included', async () => {
  const core = openIncoming();
  // 17:30 UTC on 31 December is already 00:30 on 1 January in Vietnam.
  const late2025a = arrived(core, '2025-12-31T23:10:00+07:00');
  const late2025b = arrived(core, '2025-12-31T16:59:59Z');
  const early2026a = arrived(core, '2025-12-31T17:30:00Z');
  const early2026b = arrived(core, '2026-01-02T08:00:00+07:00');
  // Accepted out of order, on 2 January: each takes the next number of the year it arrived in.
  const on2Jan = ctxAt(core, '2026-01-02T09:00:00+07:00');
  assert.equal(acceptIncoming(on2Jan, early2026b), 1);
  assert.equal(acceptIncoming(on2Jan, late2025b), 1);
  assert.equal(acceptIncoming(on2Jan, early2026a), 2);
  assert.equal(acceptIncoming(on2Jan, late2025a), 2);
  assert.deepEqual(numberOf(core, late2025b), { n: 1, year: 2025 });
  assert.deepEqual(numberOf(core, early2026a), { n: 2, year: 2026 });
  // A scanned paper document is imported and registered in one step, numbered in the same series.
  const scan = await paper(core, '2026-01-02T10:00:00+07:00', 'giấy mời họp');
  assert.deepEqual(numberOf(core, scan), { n: 3, year: 2026 });
  const scanDetail = incomingDetail(core.db, scan);
  assert.equal(scanDetail.state, 'registered');
  assert.equal(scanDetail.source, 'paper');
  assert.equal(scanDetail.arrivedAt, '2026-01-02T10:00:00+07:00');
  assert.equal((core.db.prepare("SELECT count(*) AS n FROM outbox_jobs").get() as { n: number }).n, 4, 'a 03 for each axis document, nothing for paper');

  // Many more, interleaved with a paper document: 2026 runs 01..N with no gap and no repeat.
  const more = [];
  for (let i = 0; i < 8; i++) more.push(arrived(core, `2026-01-0${3 + (i % 5)}T08:00:00+07:00`));
  for (const [i, id] of more.entries()) {
    acceptIncoming(ctxAt(core, '2026-01-09T08:00:00+07:00'), id);
    if (i === 3) await paper(core, '2026-01-09T08:30:00+07:00', 'đơn đề nghị');
  }
  const numbers = (year: number) => (core.db.prepare("SELECT d.incoming_number AS n FROM documents d JOIN registers g ON g.id = d.register_id WHERE d.direction = 'in' AND g.year = ? AND d.incoming_number IS NOT NULL ORDER BY n").all(year) as { n: number }[]).map((r) => r.n);
  assert.deepEqual(numbers(2026), Array.from({ length: 12 }, (_, i) => i + 1));
  assert.deepEqual(numbers(2025), [1, 2]);
  const last = (year: number) => (core.db.prepare("SELECT last_number AS n FROM registers WHERE direction = 'in' AND year = ?").get(year) as { n: number }).n;
  assert.equal(last(2026), 12);
  assert.equal(last(2025), 2);

  // The "ĐẾN" data on the detail, and the audit entry with the number.
  const detail = incomingDetail(core.db, early2026a);
  assert.equal(detail.incomingNumber, 2);
  assert.equal(detail.registerYear, 2026);
  assert.equal(detail.arrivedAt, '2026-01-01T00:30:00+07:00');
  assert.equal(detail.acceptedAt, '2026-01-02T09:00:00+07:00');
  assert.equal(detail.state, 'registered');
  assert.deepEqual(detail.statusHistory.map((s) => [s.direction, s.statusCode, s.delivery]), [['sent', '03', 'queued']]);
  assert.match(detail.statusHistory[0]!.description, /Đã tiếp nhận/);
  const accepted = detail.document.events.find((e) => e.kind === 'accepted');
  assert.equal(accepted?.details.incomingNumber, 2);
  assert.deepEqual(detail.allowed, { accept: false, return: false, assign: true, start: false, done: false, answerRecall: false });
  // The status 03 names the number it gave.
  const job = core.db.prepare("SELECT package_sha256 FROM outbox_jobs WHERE document_id = ? AND status_code = '03'").get(early2026a) as { package_sha256: string };
  assert.match(core.blobs.read(job.package_sha256).toString('utf8'), /số đến 02/);

  // Accepting twice, or returning what was accepted, is refused with nothing changed.
  refused(core, 'WRONG_STATE', () => acceptIncoming(on2Jan, early2026a));
  refused(core, 'WRONG_STATE', () => returnIncoming(on2Jan, early2026a, 'Sai địa chỉ'));
  assert.equal(verifyAudit(core.db).ok, true);
});

test('trả lại needs a reason and takes no number; the API refuses a blank reason too', async () => {
  const core = openIncoming();
  const id = arrived(core, '2026-03-02T08:00:00+07:00');
  refused(core, 'INVALID_INPUT', () => returnIncoming(ctxAt(core, '2026-03-02T09:00:00+07:00'), id, '   '));
  const blank = await api(core, 'incoming.return', { id, reason: ' ' });
  assert.equal(blank.ok, false);
  assert.equal(!blank.ok && blank.code, 'INVALID_INPUT');
  const returned = await api(core, 'incoming.return', { id, reason: 'Gửi nhầm cơ quan' });
  assert.ok(returned.ok);
  assert.equal(returned.result.state, 'returned');
  assert.equal(returned.result.incomingNumber, null);
  assert.equal(returned.result.stateReason, 'Gửi nhầm cơ quan');
  const job = core.db.prepare("SELECT status_code, reason FROM outbox_jobs WHERE document_id = ?").get(id);
  assert.deepEqual(job, { status_code: '02', reason: 'Gửi nhầm cơ quan' });
  const next = arrived(core, '2026-03-02T10:00:00+07:00');
  assert.equal(acceptIncoming(ctxAt(core, '2026-03-02T11:00:00+07:00'), next), 1, 'the returned one took no number');
});

test('the handlers directory: add, rename, deactivate; names unique among the active; by id or exact name', async () => {
  const core = openIncoming();
  const a = await api(core, 'handlers.add', { name: 'Phòng Tư pháp', kind: 'unit' });
  assert.ok(a.ok);
  assert.deepEqual(a.result, { id: a.result.id, name: 'Phòng Tư pháp', unit: '', kind: 'unit', active: true });
  const b = await api(core, 'handlers.add', { name: 'Nguyễn Thị Lan', unit: 'Phòng Tài chính' });
  assert.ok(b.ok);
  assert.equal(b.result.kind, 'person');
  const clash = await api(core, 'handlers.add', { name: 'Phòng Tư pháp', kind: 'unit' });
  assert.equal(!clash.ok && clash.code, 'HANDLER_EXISTS');
  const blank = await api(core, 'handlers.add', { name: '  ' });
  assert.equal(!blank.ok && blank.code, 'INVALID_INPUT');
  const renamed = await api(core, 'handlers.update', { id: b.result.id, unit: 'Phòng Tài chính - Kế hoạch' });
  assert.ok(renamed.ok);
  assert.equal(renamed.result.unit, 'Phòng Tài chính - Kế hoạch');
  const off = await api(core, 'handlers.deactivate', { id: a.result.id });
  assert.ok(off.ok);
  assert.equal(off.result.active, false);
  const active = await api(core, 'handlers.list', {});
  assert.ok(active.ok);
  assert.deepEqual(active.result.map((h) => h.name), ['Nguyễn Thị Lan']);
  const all = await api(core, 'handlers.list', { includeInactive: true });
  assert.ok(all.ok);
  assert.equal(all.result.length, 2);
  // The name is free again once its holder is inactive.
  assert.ok((await api(core, 'handlers.add', { name: 'Phòng Tư pháp', kind: 'unit' })).ok);
  const missing = await api(core, 'handlers.update', { id: 999, name: 'x' });
  assert.equal(!missing.ok && missing.code, 'HANDLER_NOT_FOUND');
});

test('handling: assign with a due date (04), start (05), done (06); bad inputs refused with nothing changed', async () => {
  const core = openIncoming();
  const at = (iso: string) => ctxAt(core, iso);
  const lan = (await api(core, 'handlers.add', { name: 'Nguyễn Thị Lan', unit: 'Phòng Tài chính' })) as { ok: true; result: { id: number } };
  const gone = (await api(core, 'handlers.add', { name: 'Trần Văn Cũ' })) as { ok: true; result: { id: number } };
  await api(core, 'handlers.deactivate', { id: gone.result.id });
  const id = arrived(core, '2026-04-10T08:00:00+07:00');

  // Not yet accepted: neither assigned nor done.
  refused(core, 'WRONG_STATE', () => assignIncoming(at('2026-04-10T09:00:00+07:00'), id, { handlerId: lan.result.id, due: '2026-04-20' }));
  acceptIncoming(at('2026-04-10T09:00:00+07:00'), id);
  refused(core, 'WRONG_STATE', () => finishIncoming(at('2026-04-10T09:00:00+07:00'), id));
  refused(core, 'WRONG_STATE', () => startIncoming(at('2026-04-10T09:00:00+07:00'), id));
  refused(core, 'HANDLER_NOT_FOUND', () => assignIncoming(at('2026-04-10T09:00:00+07:00'), id, { handlerId: 4242, due: '2026-04-20' }));
  refused(core, 'HANDLER_INACTIVE', () => assignIncoming(at('2026-04-10T09:00:00+07:00'), id, { handlerId: gone.result.id, due: '2026-04-20' }));
  refused(core, 'DUE_BEFORE_ARRIVAL', () => assignIncoming(at('2026-04-10T09:00:00+07:00'), id, { handlerId: lan.result.id, due: '2026-04-09' }));
  refused(core, 'INVALID_INPUT', () => assignIncoming(at('2026-04-10T09:00:00+07:00'), id, { handlerId: lan.result.id, due: '2026-02-30' }));
  for (const due of ['20/04/2026', '2026-02-30', '']) {
    const before = snapshot(core);
    const bad = await api(core, 'incoming.assign', { id, handlerId: lan.result.id, due });
    assert.equal(!bad.ok && bad.code, 'INVALID_INPUT', due);
    assert.equal(snapshot(core), before);
  }

  // The due date may be the day it arrived.
  assignIncoming(at('2026-04-10T10:00:00+07:00'), id, { handlerId: lan.result.id, due: '2026-04-10', note: 'Tham mưu trả lời' });
  let detail = incomingDetail(core.db, id, new Date('2026-04-10T11:00:00+07:00'));
  assert.equal(detail.state, 'assigned');
  assert.deepEqual(detail.handler, { id: lan.result.id, name: 'Nguyễn Thị Lan', unit: 'Phòng Tài chính', kind: 'person', active: true });
  assert.equal(detail.handlingDue, '2026-04-10');
  assert.equal(detail.assignedAt, '2026-04-10T10:00:00+07:00');
  assert.equal(detail.dueSoon, true);
  assert.equal(detail.overdue, false);
  // Reassigned with a later date.
  assignIncoming(at('2026-04-10T10:30:00+07:00'), id, { handlerId: lan.result.id, due: '2026-04-17' });
  startIncoming(at('2026-04-11T08:00:00+07:00'), id);
  refused(core, 'WRONG_STATE', () => startIncoming(at('2026-04-11T08:00:00+07:00'), id));
  finishIncoming(at('2026-04-12T16:00:00+07:00'), id, 'Đã có văn bản trả lời');
  detail = incomingDetail(core.db, id);
  assert.equal(detail.state, 'done');
  assert.equal(detail.startedAt, '2026-04-11T08:00:00+07:00');
  assert.equal(detail.handledAt, '2026-04-12T16:00:00+07:00');
  assert.equal(detail.overdue, false, 'done is never overdue');
  assert.deepEqual(detail.statusHistory.map((s) => s.statusCode), ['03', '04', '04', '05', '06']);
  assert.deepEqual(
    detail.document.events.map((e) => e.kind),
    ['created', 'accepted', 'assigned', 'assigned', 'handling-started', 'handled'],
  );
  refused(core, 'WRONG_STATE', () => finishIncoming(at('2026-04-12T16:00:00+07:00'), id));
  assert.equal(verifyAudit(core.db).ok, true);
});

test('overdue and due soon in Vietnam time; the list filters and counts', async () => {
  const core = openIncoming();
  const lan = (await api(core, 'handlers.add', { name: 'Nguyễn Thị Lan' })) as { ok: true; result: { id: number } };
  const ctx = ctxAt(core, '2026-05-04T08:00:00+07:00');
  const make = (due: string | null, state: 'received' | 'registered' | 'assigned' | 'in_progress' | 'done') => {
    const id = arrived(core, '2026-05-04T07:00:00+07:00');
    if (state === 'received') return id;
    acceptIncoming(ctx, id);
    if (state === 'registered') return id;
    assignIncoming(ctx, id, { handlerId: lan.result.id, due: due! });
    if (state === 'in_progress' || state === 'done') startIncoming(ctx, id);
    if (state === 'done') finishIncoming(ctx, id);
    return id;
  };
  const ids = {
    fresh: make(null, 'received'),
    waiting: make(null, 'registered'),
    dueYesterday: make('2026-05-09', 'assigned'),
    dueToday: make('2026-05-10', 'in_progress'),
    dueIn2: make('2026-05-12', 'assigned'),
    dueIn3: make('2026-05-13', 'assigned'),
    doneLate: make('2026-05-05', 'done'),
  };
  // 10 May 2026, 23:30 in Vietnam is still 10 May there, though 16:30 UTC.
  const now = new Date('2026-05-10T16:30:00Z');
  const filter = (f: Parameters<typeof listIncoming>[1]['filter']) => listIncoming(core.db, { filter: f, offset: 0, limit: 50 }, now).items.map((i) => i.id).sort((a, b) => a - b);
  assert.deepEqual(filter('overdue'), [ids.dueYesterday]);
  assert.deepEqual(filter('due_soon'), [ids.dueToday, ids.dueIn2].sort((a, b) => a - b));
  assert.deepEqual(filter('to_accept'), [ids.fresh]);
  assert.deepEqual(filter('new'), [], 'arrived on 4 May: waiting, but not new on the 10th');
  assert.deepEqual(listIncoming(core.db, { filter: 'new', offset: 0, limit: 50 }, new Date('2026-05-04T09:00:00+07:00')).items.map((i) => i.id), [ids.fresh]);
  assert.deepEqual(filter('registered'), [ids.waiting]);
  assert.deepEqual(filter('assigned'), [ids.dueYesterday, ids.dueIn2, ids.dueIn3]);
  assert.deepEqual(filter('in_progress'), [ids.dueToday]);
  assert.deepEqual(filter('done'), [ids.doneLate]);
  assert.equal(filter('all').length, 7);
  // One minute later it is 11 May in Vietnam: what was due on the 10th is overdue.
  const next = listIncoming(core.db, { filter: 'overdue', offset: 0, limit: 50 }, new Date('2026-05-10T17:01:00Z')).items.map((i) => i.id).sort((a, b) => a - b);
  assert.deepEqual(next, [ids.dueYesterday, ids.dueToday]);
  const item = listIncoming(core.db, { filter: 'overdue', offset: 0, limit: 50 }, now).items[0]!;
  assert.equal(item.overdue, true);
  assert.equal(item.handler?.name, 'Nguyễn Thị Lan');
  assert.equal(item.incomingNumber, 2);
  // Paginated, newest first, with the total.
  const page = listIncoming(core.db, { filter: 'all', offset: 2, limit: 3 }, now);
  assert.equal(page.total, 7);
  assert.equal(page.items.length, 3);
  const counts = incomingCounts(core.db, undefined, now);
  assert.deepEqual(
    { ...counts },
    { all: 7, new: 0, to_accept: 1, registered: 1, assigned: 3, in_progress: 1, overdue: 1, due_soon: 2, done: 1, returned: 0, recalled: 0, recall_pending: 0 },
  );
  const byYear = await api(core, 'incoming.list', { filter: 'assigned', year: 2025 });
  assert.ok(byYear.ok);
  assert.equal(byYear.result.total, 0);
});

/** Records a recall as the inbox does: a recall package tied to the document (or a status 13). */
function recallArrives(core: Core, id: number, via: 'recall' | 'status-13', reason: string, at = '2026-06-01T09:00:00+07:00'): void {
  core.db.transaction(() => {
    const axisDocId = `axis-recall-${id}-${Math.random()}`;
    const exchangeId = (core.db.prepare('SELECT exchange_id FROM documents WHERE id = ?').get(id) as { exchange_id: string }).exchange_id;
    const received = Number(
      core.db
        .prepare("INSERT INTO received_packages (axis_doc_id, message_type, sender_code, exchange_id, business_type, status_code, package_size, outcome, document_id, received_at) VALUES (?, ?, ?, ?, ?, ?, 1, 'accepted', ?, ?)")
        .run(axisDocId, via === 'recall' ? 'edoc' : 'status', SENDER, exchangeId, via === 'recall' ? 1 : null, via === 'recall' ? null : '13', id, at).lastInsertRowid,
    );
    if (via === 'recall') appendAudit(core.db, { actor: 'văn thư', kind: 'recall-requested', documentId: id, details: { sender: SENDER, reason, axisDocId } });
    else core.db.prepare("INSERT INTO status_events (document_id, from_code, status_code, description, received_id, received_at) VALUES (?, ?, '13', ?, ?, ?)").run(id, SENDER, reason, received, at);
  })();
}

test('a recall: accepted (15) makes the document recalled and read-only; refused (16) leaves it; each answered once', async () => {
  const core = openIncoming();
  const lan = (await api(core, 'handlers.add', { name: 'Nguyễn Thị Lan' })) as { ok: true; result: { id: number } };
  let ctx = ctxAt(core, '2026-06-01T08:00:00+07:00');
  const a = arrived(core, '2026-06-01T07:00:00+07:00');
  const b = arrived(core, '2026-06-01T07:00:00+07:00');
  acceptIncoming(ctx, a);
  acceptIncoming(ctx, b);
  assignIncoming(ctx, b, { handlerId: lan.result.id, due: '2026-06-10' });
  refused(core, 'NO_RECALL_REQUEST', () => answerRecall(ctx, a, true));
  ctx = ctxAt(core, '2026-06-01T10:00:00+07:00');

  recallArrives(core, a, 'recall', 'Ban hành sai thẩm quyền');
  recallArrives(core, b, 'status-13', 'Đề nghị thu hồi để sửa nơi nhận');
  assert.deepEqual(listIncoming(core.db, { filter: 'recall_pending', offset: 0, limit: 10 }).items.map((i) => i.id).sort(), [a, b].sort());
  assert.equal(incomingDetail(core.db, a).allowed.answerRecall, true);

  const recalled = await api(core, 'incoming.answerRecall', { id: a, accept: true });
  assert.ok(recalled.ok, JSON.stringify(recalled));
  assert.equal(recalled.result.state, 'recalled');
  assert.equal(recalled.result.stateReason, 'Ban hành sai thẩm quyền');
  assert.deepEqual(recalled.result.recall && { ...recalled.result.recall, requestedAt: '', answeredAt: Boolean(recalled.result.recall.answeredAt) }, {
    via: 'recall',
    requestedAt: '',
    reason: 'Ban hành sai thẩm quyền',
    answer: 'accepted',
    answeredAt: true,
  });
  assert.deepEqual(recalled.result.notices.map((n) => [n.kind, n.reason]), [['recall', 'Ban hành sai thẩm quyền']]);
  assert.equal(recalled.result.incomingNumber, 1, 'it keeps its place in the register');
  // Read-only: no handling, no second answer, no edits.
  refused(core, 'WRONG_STATE', () => assignIncoming(ctx, a, { handlerId: lan.result.id, due: '2026-06-10' }));
  refused(core, 'WRONG_STATE', () => finishIncoming(ctx, a));
  refused(core, 'WRONG_STATE', () => answerRecall(ctx, a, false));
  const edit = await api(core, 'documents.update', { id: a, patch: { subject: 'sửa' } });
  assert.equal(!edit.ok && edit.code, 'RECORD_LOCKED');

  const kept = await api(core, 'incoming.answerRecall', { id: b, accept: false, reason: 'Văn bản đã được giải quyết' });
  assert.ok(kept.ok);
  assert.equal(kept.result.state, 'assigned', 'a refused recall changes nothing in the handling');
  assert.equal(kept.result.recall?.answer, 'refused');
  assert.equal(kept.result.recall?.via, 'status-13');
  assert.deepEqual(kept.result.statusHistory.map((s) => [s.direction, s.statusCode]), [
    ['sent', '03'],
    ['sent', '04'],
    ['received', '13'],
    ['sent', '16'],
  ]);
  refused(core, 'NO_RECALL_REQUEST', () => answerRecall(ctx, b, true));
  finishIncoming(ctx, b);
  // A second recall is a new question.
  recallArrives(core, b, 'recall', 'Thu hồi lần hai', '2026-06-01T11:00:00+07:00');
  ctx = ctxAt(core, '2026-06-01T12:00:00+07:00');
  answerRecall(ctx, b, true);
  assert.equal(incomingDetail(core.db, b).state, 'recalled');
  const jobs = (core.db.prepare("SELECT document_id, status_code FROM outbox_jobs WHERE status_code IN ('15', '16') ORDER BY id").all() as { document_id: number; status_code: string }[]).map((j) => [j.document_id, j.status_code]);
  assert.deepEqual(jobs, [[a, '15'], [b, '16'], [b, '15']]);
  assert.equal(listIncoming(core.db, { filter: 'recall_pending', offset: 0, limit: 10 }).total, 0);
  assert.equal(verifyAudit(core.db).ok, true);
});

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** RFC 4180: records end in CRLF; quotes double inside quoted fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') record.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field || record.length) record.push(field), records.push(record);
  return records;
}

test('the incoming register book: ten columns on screen, and as PDF, XLSX and CSV', async () => {
  const core = openIncoming();
  const lan = (await api(core, 'handlers.add', { name: 'Nguyễn Thị Lan', unit: 'Phòng Tài chính' })) as { ok: true; result: { id: number } };
  const ctx = ctxAt(core, '2026-02-03T08:00:00+07:00');
  const first = arrived(core, '2026-02-02T15:00:00+07:00', { subject: 'Về việc triển khai chuyển đổi số', notation: '12/UBND-VP' });
  const second = arrived(core, '2026-02-03T07:30:00+07:00', { subject: 'Về việc báo cáo "quý I", năm 2026', notation: '15/BC-UBND' });
  const notTaken = arrived(core, '2026-02-03T07:40:00+07:00', { subject: 'Chưa tiếp nhận' });
  acceptIncoming(ctx, first);
  acceptIncoming(ctx, second);
  assignIncoming(ctx, first, { handlerId: lan.result.id, due: '2026-02-10' });
  const scan = await paper(core, '2026-02-04T09:00:00+07:00', 'giấy mời');
  // Another year's register stays apart.
  acceptIncoming(ctx, arrived(core, '2025-12-30T08:00:00+07:00'));

  const screen = await api(core, 'incoming.book', { year: 2026 });
  assert.ok(screen.ok);
  assert.deepEqual(screen.result.columns, INCOMING_COLUMNS.map((c) => c.vi));
  assert.deepEqual(screen.result.rows.map((r) => r.id), [first, second, scan], 'in số đến order, only what was taken into the register');
  assert.ok(!screen.result.rows.some((r) => r.id === notTaken));
  const [row1, row2] = screen.result.rows;
  assert.deepEqual(row1!.cells, [
    '02/02/2026',
    '01',
    'Ủy ban nhân dân xã Thử Nghiệm',
    '12/UBND-VP',
    '02/02/2026',
    'Công văn Về việc triển khai chuyển đổi số',
    'Nguyễn Thị Lan (Phòng Tài chính)',
    '03/02/2026',
    '',
    // The sender's identifier code (mã định danh văn bản) its package carried, in the notes.
    `Hạn giải quyết: 10/02/2026. Mã định danh: ${SENDER},2026/01/01,${first}/UBND-VP`,
  ]);
  assert.equal(row2!.cells[1], '02');
  assert.equal(screen.result.rows[2]!.cells[1], '03');

  const exported = async (format: 'pdf' | 'xlsx' | 'csv') => {
    const result = await api(core, 'incoming.exportBook', { year: 2026, format });
    assert.ok(result.ok);
    assert.equal(result.result.fileName, `so-van-ban-den-2026.${format}`);
    const file = path.join(work, result.result.fileName);
    fs.writeFileSync(file, result.result.bytes);
    return { file, bytes: result.result.bytes };
  };
  const pdf = await exported('pdf');
  const cover = run('pdftotext', ['-layout', '-f', '1', '-l', '1', pdf.file, '-']).normalize('NFC');
  assert.ok(cover.includes('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN'), cover);
  assert.ok(cover.includes('Từ số 01 đến số 03'), cover);
  assert.ok(cover.includes('Từ ngày 02/02/2026 đến ngày 04/02/2026'), cover);
  const pages = run('pdftotext', ['-layout', '-f', '2', pdf.file, '-']).normalize('NFC').split(/\s+/).join(' ');
  for (const text of ['Ngày đến', 'Số đến', 'Tác giả', '12/UBND-VP', '15/BC-UBND', 'Nguyễn Thị Lan', 'chuyển đổi số']) assert.ok(pages.includes(text), `${text} in the printed book`);

  const xlsx = await exported('xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(xlsx.bytes).buffer);
  const sheet = workbook.getWorksheet('2026');
  assert.ok(sheet);
  const text = (r: number, c: number) => String(sheet.getRow(r).getCell(c).value ?? '');
  let header = 0;
  for (let r = 1; r <= 10 && !header; r++) if (text(r, 1) === 'Ngày đến') header = r;
  assert.ok(header > 0);
  assert.deepEqual(INCOMING_COLUMNS.map((_, c) => text(header, c + 1)), INCOMING_COLUMNS.map((c) => c.vi));
  screen.result.rows.forEach((row, i) => assert.deepEqual(row.cells.map((_, c) => text(header + 2 + i, c + 1)), row.cells));

  const csv = await exported('csv');
  const body = Buffer.from(csv.bytes).toString('utf8');
  assert.equal(body.charCodeAt(0), 0xfeff, 'a BOM for Excel');
  const records = parseCsv(body.slice(1));
  assert.deepEqual(records[0], INCOMING_COLUMNS.map((c) => c.vi));
  assert.deepEqual(records.slice(1), screen.result.rows.map((r) => r.cells));

  const empty = await api(core, 'incoming.book', { year: 2026, confidential: true });
  assert.ok(empty.ok);
  assert.equal(empty.result.rows.length, 0, 'the confidential series is its own book');
});
