// The outbox's schedule and its error classes, against the reference axis: backoff doubles from
// 10 s with jitter and stops at 15 minutes; Retry-After is honoured; a refusal (another 4xx) stops
// the job with the axis's reason until the clerk retries it; a job left "sending" by a process
// that died is sent on the next pass; a job queued before packages existed is packaged on its
// first send; the OS's "online" event starts a pass at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from '../axis/server.js';
import { COMMUNE, DISTRICT, axisAgency, freePort, issueTo, openAgency, type TestAgency } from '../support/agencies.js';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../../main/core/exchange/outbox.js';
import { tempDir } from '../support/fixtures.js';

let commune: TestAgency;
let district: TestAgency;
let axis: AxisServer;
let port: number;
const work = tempDir('eoffice-outbox-');

before(async () => {
  port = await freePort();
  commune = await openAgency(COMMUNE, `http://127.0.0.1:${port}`, { tokens: 'issuer' });
  district = await openAgency(DISTRICT, `http://127.0.0.1:${port}`);
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)] });
});

after(async () => {
  await axis?.close();
  commune?.close();
  district?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

function job(id: number) {
  return commune.core.db.prepare('SELECT * FROM outbox_jobs WHERE document_id = ? ORDER BY id DESC LIMIT 1').get(id) as {
    id: number;
    state: string;
    attempts: number;
    last_error: string | null;
    error_kind: string | null;
    next_attempt_at: string | null;
    package_sha256: string | null;
  };
}

test('backoff doubles from 10 s, is jittered between half and all of it, and stops at 15 minutes; Retry-After wins when longer', () => {
  assert.equal(retryDelayMs(1, () => 1), 10_000);
  assert.equal(retryDelayMs(1, () => 0), 5_000);
  assert.equal(retryDelayMs(4, () => 1), 80_000);
  for (let attempts = 1; attempts < 40; attempts++) {
    const delay = retryDelayMs(attempts, Math.random);
    assert.ok(delay > 0 && delay <= MAX_RETRY_DELAY_MS, `attempt ${attempts}: ${delay}`);
  }
  assert.equal(retryDelayMs(30, () => 1), MAX_RETRY_DELAY_MS, 'capped at 15 minutes');
  assert.equal(retryDelayMs(1, () => 0, 120_000), 120_000, 'the axis asked for two minutes');
  assert.equal(retryDelayMs(1, () => 0, 3_600_000), MAX_RETRY_DELAY_MS, 'but never more than the cap');
});

test('a package the axis refuses (an unknown recipient: 400) stops with the reason; "retry" puts it back', async () => {
  const issued = await issueTo(commune, ['999.99.99.Z99'], 'gửi tới mã không tồn tại');
  const result = await commune.ok('exchange.syncNow', {});
  assert.equal(result.failed, 1);
  assert.equal(result.connection, 'online', 'a refusal is not a lost connection');
  const stopped = job(issued.document.id);
  assert.equal(stopped.state, 'failed');
  assert.equal(stopped.error_kind, 'permanent');
  assert.match(stopped.last_error ?? '', /999\.99\.99\.Z99/, 'the axis says which recipient it does not know');
  assert.equal((await commune.ok('exchange.status', {})).queue.failed, 1);
  // The queue carries the refusal as a code for the clerk's language, with the axis's own words as its parameter.
  const [listed] = (await commune.ok('exchange.queue', { includeSent: false, limit: 10 })).filter((item) => item.id === stopped.id);
  assert.equal(listed?.lastError?.code, 'AXIS_REFUSED');
  assert.match(String(listed?.lastError?.details?.reason), /999\.99\.99\.Z99/);
  assert.equal(listed?.lastError?.details?.status, 400);
  // Not retried on its own: the next pass leaves it alone.
  await commune.ok('exchange.syncNow', {});
  assert.equal(job(issued.document.id).attempts, 1);
  // "Thử lại": it goes again (and fails again for the same reason, which is the point).
  const again = await commune.ok('exchange.retry', { jobId: stopped.id });
  assert.equal(again.failed, 1);
  assert.equal(job(issued.document.id).attempts, 2);
});

test('429 with Retry-After and 503 are retried later, not failed; a job left "sending" by a dead process is sent on the next pass', async () => {
  await axis.close();
  // Every call fails; the draw below 0.25 makes it a 429 with Retry-After: 1.
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)], failRate: 1, random: () => 0.1 });
  const issued = await issueTo(commune, [DISTRICT.code], 'gửi khi trục quá tải');
  const busy = await commune.ok('exchange.syncNow', {});
  assert.equal(busy.retrying, 1);
  const waiting = job(issued.document.id);
  assert.equal(waiting.state, 'queued');
  assert.equal(waiting.error_kind, 'transient');
  assert.ok(Date.parse(waiting.next_attempt_at!) >= Date.now(), 'a later try is scheduled');
  assert.equal(busy.error?.code, 'AXIS_UNAVAILABLE', 'the pass says the axis is busy, as a code the UI says in words');

  await axis.close();
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)] });
  // As if a process had claimed it and died (pid 2^22 + 1 is above Linux's pid_max default: never alive).
  commune.core.db.prepare("UPDATE outbox_jobs SET state = 'sending', claimed_by = ?, next_attempt_at = NULL WHERE id = ?").run(4194305, waiting.id);
  const resumed = await commune.ok('exchange.syncNow', {});
  assert.ok(resumed.sent >= 1, JSON.stringify(resumed));
  assert.equal(job(issued.document.id).state, 'sent');
});

test('a job queued before packages were kept with jobs is packaged on its first send, with its DocumentId', async () => {
  const issued = await issueTo(commune, [DISTRICT.code], 'hàng đợi từ phiên bản trước');
  const id = issued.document.id;
  const original = job(id);
  commune.core.db.prepare('UPDATE outbox_jobs SET package_sha256 = NULL, package_size = NULL, exchange_id = NULL WHERE id = ?').run(original.id);
  assert.equal((await commune.ok('exchange.syncNow', {})).sent, 1);
  const sent = job(id);
  assert.equal(sent.state, 'sent');
  assert.ok(sent.package_sha256 && commune.core.blobs.has(sent.package_sha256));
  const exchangeId = (commune.core.db.prepare('SELECT exchange_id AS e FROM documents WHERE id = ?').get(id) as { e: string }).e;
  assert.match(exchangeId, new RegExp(`^${COMMUNE.code.replaceAll('.', '\\.')},\\d{4}/\\d{2}/\\d{2},\\d+/QĐ-UBND$`));
});

test('the OS saying "online" starts a pass at once; "offline" shows at once', async () => {
  const issued = await issueTo(commune, [DISTRICT.code], 'gửi khi có mạng trở lại');
  const offline = await commune.ok('exchange.networkChanged', { online: false });
  assert.equal(offline.connection, 'offline');
  const online = await commune.ok('exchange.networkChanged', { online: true });
  assert.equal(online.syncing, true, 'a pass started without waiting for the interval');
  for (let i = 0; i < 100 && job(issued.document.id).state !== 'sent'; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(job(issued.document.id).state, 'sent');
  assert.equal((await commune.ok('exchange.status', {})).connection, 'online');
});

test('while the app runs the exchange, a document just issued goes out at once, not at the next interval', async () => {
  commune.core.exchange.start();
  // The first pass after start-up (two seconds in), then the interval is a minute.
  for (let i = 0; i < 100 && !(await commune.ok('exchange.status', {})).lastSyncAt; i++) await new Promise((r) => setTimeout(r, 100));
  const issued = await issueTo(commune, [DISTRICT.code], 'gửi ngay sau khi phát hành');
  for (let i = 0; i < 100 && job(issued.document.id).state !== 'sent'; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(job(issued.document.id).state, 'sent', 'sent within seconds of issuing');
});
