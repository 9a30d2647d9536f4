// The exchange of issue 5 for real: the reference axis on loopback and two agencies — a commune
// and a district — each with its own data directory, database and SoftHSM token. The commune
// issues while the axis is down: the document waits in the queue; the axis comes up: it is
// delivered once; the district receives it, stores it and answers 01 at once and 03 when the
// clerk accepts; the commune sees both, per recipient. The PDF that arrives is checked by pdfsig.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { COMMUNE, DISTRICT, axisAgency, freePort, issueTo, openAgency, type TestAgency } from './support/agencies.js';
import { verifyAudit } from '../main/core/registry/audit.js';
import { nssTrusting, pdfsig, qpdfCheck } from './support/pdfsig.js';
import { tempDir } from './support/fixtures.js';

let commune: TestAgency;
let district: TestAgency;
let axis: AxisServer | undefined;
let port: number;
const work = tempDir('eoffice-exchange-');

before(async () => {
  port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  commune = await openAgency(COMMUNE, endpoint, { tokens: 'issuer' });
  district = await openAgency(DISTRICT, endpoint);
});

after(async () => {
  await axis?.close();
  commune?.close();
  district?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

function rowCount(agency: TestAgency, sql: string, ...params: unknown[]): number {
  return (agency.core.db.prepare(sql).get(...params) as { n: number }).n;
}

test('issued while the axis is down, the document waits; when it comes up it is delivered once, answered 01 then 03', async () => {
  const issued = await issueTo(commune, [DISTRICT.code], 'phê duyệt kế hoạch liên thông');
  const id = issued.document.id;
  assert.equal(issued.document.state, 'queued');

  // The axis is down: the pass completes, the job waits with the reason and a time for the next try.
  const offline = await commune.ok('exchange.syncNow', {});
  assert.equal(offline.connection, 'offline');
  assert.equal(offline.sent, 0);
  const [waiting] = await commune.ok('exchange.queue', {});
  assert.equal(waiting!.state, 'queued');
  assert.equal(waiting!.attempts, 1);
  assert.ok(waiting!.lastError, 'the last error is kept for the clerk');
  assert.ok(waiting!.nextAttemptAt && waiting!.nextAttemptAt > new Date().toISOString().slice(0, 19), 'a later retry is scheduled');
  assert.ok(waiting!.bytes > 0);
  assert.equal((await commune.ok('exchange.status', {})).queue.waiting, 1);

  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)] });
  const online = await commune.ok('exchange.syncNow', {});
  assert.equal(online.connection, 'online');
  assert.equal(online.sent, 1);
  assert.equal((await commune.ok('outgoing.get', { id })).document.state, 'sent');
  assert.deepEqual(
    (await commune.ok('exchange.deliveries', { documentId: id })).map((d) => [d.recipientCode, d.state]),
    [[DISTRICT.code, 'sent']],
  );
  // Nothing more is due: a second pass sends nothing, and the axis holds one message.
  assert.equal((await commune.ok('exchange.syncNow', {})).sent, 0);
  assert.equal(axis.stats().messagesStored, 1);

  // The district receives it, stores it, and answers 01 in the same pass.
  const received = await district.ok('exchange.syncNow', {});
  assert.equal(received.received, 1, JSON.stringify(received));
  assert.equal(received.sent, 1, 'status 01 went back at once');
  const [item] = await district.ok('exchange.received', {});
  assert.equal(item!.outcome, 'accepted');
  assert.equal(item!.sender, COMMUNE.code);
  assert.equal(item!.notation, issued.document.notation);
  assert.equal(item!.subject, issued.document.subject);
  const incoming = await district.ok('documents.get', { id: item!.documentId! });
  assert.equal(incoming.direction, 'in');
  assert.equal(incoming.state, 'received');
  assert.equal(incoming.authorAgency, COMMUNE.name);
  assert.equal(incoming.documentDate, issued.document.documentDate);
  assert.equal(incoming.signerName, 'Nguyễn Văn An');

  // The PDF that arrived is the one the commune issued, byte for byte, and its signatures hold.
  const communeSha = (commune.core.db.prepare('SELECT file_sha256 AS s FROM documents WHERE id = ?').get(id) as { s: string }).s;
  const districtSha = (district.core.db.prepare('SELECT file_sha256 AS s FROM documents WHERE id = ?').get(incoming.id) as { s: string }).s;
  assert.equal(districtSha, communeSha);
  const file = path.join(work, 'received.pdf');
  fs.copyFileSync(district.core.blobs.pathFor(districtSha), file);
  const signatures = pdfsig(file, nssTrusting(commune.tokens.map((t) => t.caCertPem)));
  assert.equal(signatures.length, 2, JSON.stringify(signatures));
  for (const s of signatures) {
    assert.equal(s.validation, 'Signature is Valid.', JSON.stringify(s));
    assert.equal(s.certificate, 'Certificate is Trusted.', JSON.stringify(s));
  }
  assert.equal(qpdfCheck(file).status, 0);

  // The clerk accepts: 03 goes back.
  assert.equal((await district.ok('incoming.accept', { id: incoming.id })).state, 'registered');
  assert.equal((await district.ok('exchange.syncNow', {})).sent, 1);

  // The commune sees both, in order, for that recipient.
  const statuses = await commune.ok('exchange.syncNow', {});
  assert.equal(statuses.statuses, 2, JSON.stringify(statuses));
  const [delivery] = await commune.ok('exchange.deliveries', { documentId: id });
  assert.equal(delivery!.recipientName, DISTRICT.name, "the recipient's name comes from the axis's directory");
  assert.equal(delivery!.state, 'status');
  assert.equal(delivery!.statusCode, '03');
  assert.deepEqual(delivery!.history.map((h) => h.statusCode), ['01', '03']);

  // Everything acknowledged: the axis holds nothing more for either, and a further pass changes nothing.
  assert.deepEqual(await district.ok('exchange.syncNow', {}), { ...(await district.ok('exchange.syncNow', {})) });
  assert.equal(rowCount(district, "SELECT count(*) AS n FROM documents WHERE direction = 'in'"), 1, 'delivered once');
  assert.equal(rowCount(commune, "SELECT count(*) AS n FROM outbox_jobs WHERE state != 'sent'"), 0);
  for (const agency of [commune, district]) assert.equal(verifyAudit(agency.core.db).ok, true);
});

test('a request with a wrong secret is refused by the axis, and the job waits with the reason', async () => {
  assert.ok(axis, 'runs after the first test started the axis');
  await issueTo(commune, [DISTRICT.code], 'thử khóa bí mật sai');
  await commune.ok('exchange.setAxis', { endpoint: `http://127.0.0.1:${port}`, systemId: commune.systemId, secret: 'not-the-secret' });
  const before = axis.stats().unauthorized;
  const refused = await commune.ok('exchange.syncNow', {});
  assert.equal(refused.connection, 'auth-failed');
  assert.ok(axis.stats().unauthorized > before);
  const [job] = await commune.ok('exchange.queue', {});
  assert.equal(job!.errorKind, 'auth');
  assert.equal(job!.state, 'queued', 'not lost: it goes when the secret is right');
  await commune.ok('exchange.setAxis', { endpoint: `http://127.0.0.1:${port}`, systemId: commune.systemId, secret: commune.secret });
  assert.equal((await commune.ok('exchange.syncNow', {})).sent, 1);
});

test('a recall reaches the district and is tied to the document it received; an update arrives linked to the earlier one', async () => {
  assert.ok(axis, 'runs after the first test started the axis');
  await district.ok('exchange.syncNow', {}); // what the earlier tests left on the axis
  const recalled = await issueTo(commune, [DISTRICT.code], 'văn bản sẽ bị thu hồi');
  const updated = await issueTo(commune, [DISTRICT.code], 'văn bản sẽ được cập nhật');
  await commune.ok('exchange.syncNow', {});
  assert.equal((await district.ok('exchange.syncNow', {})).received, 2);
  await commune.ok('outgoing.afterIssue', { id: recalled.document.id, action: 'recall', reason: 'Ban hành sai thẩm quyền' });
  await commune.ok('outgoing.afterIssue', { id: updated.document.id, action: 'update', reason: 'Sửa nơi nhận' });
  const notices = await commune.ok('exchange.syncNow', {});
  assert.equal(notices.sent, 2, JSON.stringify(notices));

  assert.equal((await district.ok('exchange.syncNow', {})).received, 2);
  const idOf = (subject: string) => (district.core.db.prepare("SELECT id FROM documents WHERE direction = 'in' AND subject = ? ORDER BY id LIMIT 1").get(subject) as { id: number }).id;
  const recall = district.core.db.prepare('SELECT document_id, business_type FROM received_packages WHERE business_type = 1').get() as { document_id: number; business_type: number };
  assert.equal(recall.document_id, idOf('văn bản sẽ bị thu hồi'), 'the recall names the document it is about');
  const events = (await district.ok('documents.get', { id: recall.document_id })).events.map((e) => e.kind);
  assert.ok(events.includes('recall-requested'), events.join(', '));
  const update = district.core.db.prepare("SELECT id, replaces_id FROM documents WHERE direction = 'in' AND subject = ? ORDER BY id DESC LIMIT 1").get('văn bản sẽ được cập nhật') as {
    id: number;
    replaces_id: number;
  };
  assert.equal(update.replaces_id, idOf('văn bản sẽ được cập nhật'), 'the update links to the earlier document');
  assert.notEqual(update.id, update.replaces_id);
});

test('a second update of the same document arrives as another update; a replacement notice links the documents and invents none', async () => {
  assert.ok(axis, 'runs after the first test started the axis');
  await district.ok('exchange.syncNow', {});
  const original = await issueTo(commune, [DISTRICT.code], 'văn bản được cập nhật hai lần');
  const replacement = await issueTo(commune, [DISTRICT.code], 'văn bản thay thế');
  await commune.ok('exchange.syncNow', {});
  assert.equal((await district.ok('exchange.syncNow', {})).received, 2);
  const documentsBefore = rowCount(district, "SELECT count(*) AS n FROM documents WHERE direction = 'in'");

  await commune.ok('outgoing.afterIssue', { id: original.document.id, action: 'update', reason: 'Sửa lần 1' });
  await commune.ok('exchange.syncNow', {});
  await commune.ok('outgoing.afterIssue', { id: original.document.id, action: 'update', reason: 'Sửa lần 2' });
  await commune.ok('exchange.syncNow', {});
  const updates = await district.ok('exchange.syncNow', {});
  assert.equal(updates.received, 2, `two updates, not one and a duplicate: ${JSON.stringify(updates)}`);
  assert.equal(updates.duplicates, 0);

  await commune.ok('outgoing.afterIssue', { id: original.document.id, action: 'replace', reason: 'Thay bằng văn bản mới', replacementId: replacement.document.id });
  await commune.ok('exchange.syncNow', {});
  assert.equal((await district.ok('exchange.syncNow', {})).received, 1);
  // Two updates carried the file (two linked documents); the replacement notice carried none and made none.
  assert.equal(rowCount(district, "SELECT count(*) AS n FROM documents WHERE direction = 'in'"), documentsBefore + 2);
  const idOf = (subject: string) => (district.core.db.prepare("SELECT id FROM documents WHERE direction = 'in' AND subject = ? ORDER BY id LIMIT 1").get(subject) as { id: number }).id;
  const replacesId = (district.core.db.prepare('SELECT replaces_id AS r FROM documents WHERE id = ?').get(idOf('văn bản thay thế')) as { r: number | null }).r;
  assert.equal(replacesId, idOf('văn bản được cập nhật hai lần'), 'the replacement received earlier now names what it replaces');
  const kinds = (await district.ok('documents.get', { id: idOf('văn bản được cập nhật hai lần') })).events.map((e) => e.kind);
  assert.ok(kinds.includes('replacement-notified'), kinds.join(', '));
});
