// The two-agency exchange of the axis issue, continued into the incoming register: the commune
// issues, the district receives (01 at once), accepts (03, số đến 01 of the year), assigns to a
// handler with a due date (04), starts (05) and completes (06); the commune sees every status in
// order for that recipient. Then recalls: one accepted (15, the district's copy is recalled and
// read-only), one refused (16); and an update shown linked to the earlier document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { COMMUNE, DISTRICT, axisAgency, freePort, issueTo, openAgency, type TestAgency } from './support/agencies.js';
import { invoke } from '../main/core/api/invoke.js';
import { verifyAudit } from '../main/core/registry/audit.js';
import { vnDate, vnYear } from '../main/common/dates.js';
import type { MethodName } from '../main/common/contract.js';
import { tempDir } from './support/fixtures.js';

let commune: TestAgency;
let district: TestAgency;
let axis: AxisServer;
const work = tempDir('eoffice-incoming-exchange-');

before(async () => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  commune = await openAgency(COMMUNE, endpoint, { tokens: 'issuer' });
  district = await openAgency(DISTRICT, endpoint);
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)] });
});

after(async () => {
  await axis?.close();
  commune?.close();
  district?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function failure(agency: TestAgency, method: MethodName, input: unknown): Promise<string> {
  const envelope = await invoke(agency.core.handlers, method, input, () => undefined);
  assert.equal(envelope.ok, false, `${method} should have been refused`);
  return envelope.ok ? '' : envelope.error.code;
}

/** Issued by the commune, carried by the axis, stored by the district: the district's document id. */
async function deliver(subjects: string[]): Promise<{ outgoing: number[]; incoming: number[] }> {
  const outgoing = [];
  for (const subject of subjects) outgoing.push((await issueTo(commune, [DISTRICT.code], subject)).document.id);
  assert.equal((await commune.ok('exchange.syncNow', {})).sent, subjects.length);
  const received = await district.ok('exchange.syncNow', {});
  assert.equal(received.received, subjects.length, JSON.stringify(received));
  const incoming = subjects.map((subject) => (district.core.db.prepare("SELECT id FROM documents WHERE direction = 'in' AND subject = ? ORDER BY id DESC LIMIT 1").get(subject) as { id: number }).id);
  return { outgoing, incoming };
}

/**
 * Passes until nothing more goes: the outbox sends one job per document per pass (a later status
 * waits for the earlier one to be sent), so four answers about one document take four passes.
 */
async function drain(agency: TestAgency): Promise<number> {
  let sent = 0;
  for (let pass = 0; pass < 10; pass++) {
    const result = await agency.ok('exchange.syncNow', {});
    if (result.sent === 0) return sent;
    sent += result.sent;
  }
  assert.fail('the queue did not drain');
}

const inDays = (days: number) => vnDate(new Date(Date.now() + days * 86_400_000));

test('accepted (03, số đến 01), assigned with a due date (04), started (05), done (06): the commune sees 01, 03, 04, 05, 06 in order', async () => {
  const { outgoing: [sentId], incoming: [id] } = await deliver(['kế hoạch phòng chống thiên tai năm 2026']);
  const waiting = await district.ok('incoming.list', { filter: 'to_accept' });
  assert.deepEqual(waiting.items.map((i) => i.id), [id]);
  assert.equal(waiting.items[0]!.source, 'axis');
  assert.equal(waiting.items[0]!.senderCode, COMMUNE.code);
  assert.equal(waiting.items[0]!.incomingNumber, null, 'no số đến before tiếp nhận');
  assert.equal((await district.ok('incoming.counts', {})).new, 1);

  const accepted = await district.ok('incoming.accept', { id: id! });
  assert.equal(accepted.state, 'registered');
  assert.equal(accepted.incomingNumber, 1);
  assert.equal(accepted.registerYear, vnYear());
  assert.equal(accepted.document.authorAgency, COMMUNE.name);
  assert.equal(accepted.document.id, id);
  assert.equal(await failure(district, 'incoming.accept', { id }), 'WRONG_STATE', 'accepted once');
  assert.equal(await failure(district, 'incoming.done', { id }), 'WRONG_STATE', 'not done before it is assigned');

  const handler = await district.ok('handlers.add', { name: 'Phòng Nông nghiệp và Môi trường', kind: 'unit' });
  const due = inDays(5);
  assert.equal(await failure(district, 'incoming.assign', { id, handlerId: handler.id, due: inDays(-3) }), 'DUE_BEFORE_ARRIVAL');
  assert.equal(await failure(district, 'incoming.assign', { id, handlerId: handler.id + 100, due }), 'HANDLER_NOT_FOUND');
  const assigned = await district.ok('incoming.assign', { id, handlerId: handler.id, due, note: 'Chủ trì tham mưu' });
  assert.equal(assigned.state, 'assigned');
  assert.equal(assigned.handler?.name, 'Phòng Nông nghiệp và Môi trường');
  assert.equal(assigned.handlingDue, due);
  assert.equal(assigned.overdue, false);
  assert.equal((await district.ok('incoming.start', { id })).state, 'in_progress');
  const done = await district.ok('incoming.done', { id });
  assert.equal(done.state, 'done');
  assert.ok(done.handledAt);

  assert.equal(await drain(district), 4);
  const detail = await district.ok('incoming.get', { id: id! });
  assert.deepEqual(detail.statusHistory.map((s) => [s.direction, s.statusCode, s.delivery]), [
    ['sent', '01', 'sent'],
    ['sent', '03', 'sent'],
    ['sent', '04', 'sent'],
    ['sent', '05', 'sent'],
    ['sent', '06', 'sent'],
  ]);
  assert.equal((await district.ok('incoming.list', { filter: 'done' })).total, 1);

  const statuses = await commune.ok('exchange.syncNow', {});
  assert.equal(statuses.statuses, 5, JSON.stringify(statuses));
  const [delivery] = await commune.ok('exchange.deliveries', { documentId: sentId! });
  assert.equal(delivery!.recipientCode, DISTRICT.code);
  assert.deepEqual(delivery!.history.map((h) => h.statusCode), ['01', '03', '04', '05', '06']);
  assert.equal(delivery!.statusCode, '06');
  assert.match(delivery!.history[1]!.description, /số đến 01/);
  assert.match(delivery!.history[2]!.description, /Phòng Nông nghiệp và Môi trường/);
  for (const agency of [commune, district]) assert.equal(verifyAudit(agency.core.db).ok, true);
});

test('a recall accepted (15: the copy is recalled and read-only) and one refused (16); the commune sees 15 and 16', async () => {
  const { outgoing, incoming } = await deliver(['văn bản bị thu hồi', 'văn bản đề nghị thu hồi nhưng đã xử lý']);
  const [recalledOut, keptOut] = outgoing as [number, number];
  const [recalledIn, keptIn] = incoming as [number, number];
  assert.equal((await district.ok('incoming.accept', { id: recalledIn })).incomingNumber, 2);
  assert.equal((await district.ok('incoming.accept', { id: keptIn })).incomingNumber, 3);
  const handler = await district.ok('handlers.add', { name: 'Nguyễn Thị Lan', unit: 'Văn phòng' });
  await district.ok('incoming.assign', { id: keptIn, handlerId: handler.id, due: inDays(2) });
  assert.equal(await failure(district, 'incoming.answerRecall', { id: recalledIn, accept: true }), 'NO_RECALL_REQUEST');

  await commune.ok('outgoing.afterIssue', { id: recalledOut, action: 'recall', reason: 'Ban hành sai thẩm quyền' });
  await commune.ok('outgoing.afterIssue', { id: keptOut, action: 'recall', reason: 'Sai sót nơi nhận' });
  assert.equal((await commune.ok('exchange.syncNow', {})).sent, 2);
  assert.equal((await district.ok('exchange.syncNow', {})).received, 2);

  const pending = await district.ok('incoming.list', { filter: 'recall_pending' });
  assert.deepEqual(pending.items.map((i) => i.id).sort((a, b) => a - b), [recalledIn, keptIn].sort((a, b) => a - b));
  const asked = await district.ok('incoming.get', { id: recalledIn });
  assert.equal(asked.recall?.reason, 'Ban hành sai thẩm quyền');
  assert.equal(asked.recall?.via, 'recall');
  assert.equal(asked.allowed.answerRecall, true);

  const recalled = await district.ok('incoming.answerRecall', { id: recalledIn, accept: true });
  assert.equal(recalled.state, 'recalled');
  assert.equal(recalled.stateReason, 'Ban hành sai thẩm quyền');
  assert.equal(recalled.incomingNumber, 2, 'it keeps its line in the register');
  assert.deepEqual(recalled.allowed, { accept: false, return: false, assign: false, start: false, done: false, answerRecall: false });
  assert.equal(await failure(district, 'incoming.assign', { id: recalledIn, handlerId: handler.id, due: inDays(3) }), 'WRONG_STATE');
  assert.equal(await failure(district, 'incoming.done', { id: recalledIn }), 'WRONG_STATE');
  assert.equal(await failure(district, 'documents.update', { id: recalledIn, patch: { subject: 'sửa lại' } }), 'RECORD_LOCKED');
  assert.equal(await failure(district, 'incoming.answerRecall', { id: recalledIn, accept: false }), 'WRONG_STATE');

  const kept = await district.ok('incoming.answerRecall', { id: keptIn, accept: false, reason: 'Văn bản đã được triển khai' });
  assert.equal(kept.state, 'assigned');
  assert.equal(kept.recall?.answer, 'refused');
  assert.equal((await district.ok('incoming.list', { filter: 'recall_pending' })).total, 0);
  assert.equal((await district.ok('incoming.done', { id: keptIn })).state, 'done', 'the handling goes on');

  assert.equal(await drain(district), 3);
  await commune.ok('exchange.syncNow', {});
  const history = async (id: number) => (await commune.ok('exchange.deliveries', { documentId: id }))[0]!;
  const recalledDelivery = await history(recalledOut);
  assert.deepEqual(recalledDelivery.history.map((h) => h.statusCode), ['01', '03', '15']);
  assert.equal(recalledDelivery.statusCode, '15');
  const keptDelivery = await history(keptOut);
  assert.deepEqual(keptDelivery.history.map((h) => h.statusCode), ['01', '03', '04', '16', '06']);
  assert.match(keptDelivery.history[3]!.description, /Văn bản đã được triển khai/);

  // The book keeps the recalled line with the reason.
  const book = await district.ok('incoming.book', { year: vnYear() });
  const line = book.rows.find((r) => r.id === recalledIn)!;
  assert.equal(line.cells[1], '02');
  assert.match(line.cells[9]!, /Đã thu hồi: Ban hành sai thẩm quyền/);
  for (const agency of [commune, district]) assert.equal(verifyAudit(agency.core.db).ok, true);
});

test('an update from the sender arrives linked: the new document names the earlier one, and the earlier one lists it', async () => {
  const { outgoing: [original], incoming: [earlier] } = await deliver(['văn bản sẽ được cập nhật nơi nhận']);
  await district.ok('incoming.accept', { id: earlier! });
  await commune.ok('outgoing.afterIssue', { id: original!, action: 'update', reason: 'Bổ sung nơi nhận' });
  await commune.ok('exchange.syncNow', {});
  assert.equal((await district.ok('exchange.syncNow', {})).received, 1);
  const later = (district.core.db.prepare('SELECT id FROM documents WHERE replaces_id = ?').get(earlier) as { id: number }).id;
  const newer = await district.ok('incoming.get', { id: later });
  assert.equal(newer.replacesId, earlier);
  assert.equal(newer.state, 'received', 'the update is a document of its own, to accept');
  const older = await district.ok('incoming.get', { id: earlier! });
  assert.deepEqual(older.replacedBy, [later]);
  assert.equal((await district.ok('incoming.accept', { id: later })).incomingNumber, 5);
});
