// The exchange from the command line, as IT staff and scheduled tasks use it: the axis settings
// (the secret sealed and never printed), `sync --once` offline and online, `queue`, `in list`
// and `in accept`, on the built CLI against the reference axis.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAxisServer, type AxisServer } from './axis/server.js';
import { COMMUNE, DISTRICT, axisAgency, freePort, issueTo, openAgency, type TestAgency } from './support/agencies.js';
import { tempDir } from './support/fixtures.js';
import { runEoffice as eoffice } from './support/cliRun.js';
import { axisEndpointProblem } from '../main/core/axis/endpoint.js';

const work = tempDir('eoffice-cli-exchange-');
let commune: TestAgency;
let district: TestAgency;
let axis: AxisServer | undefined;
let endpoint: string;
let port: number;


before(async () => {
  port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  commune = await openAgency(COMMUNE, endpoint, { tokens: 'issuer' });
  district = await openAgency(DISTRICT, endpoint);
  // Issued through the API (it needs the tokens); then the CLI takes over both data folders.
  await issueTo(commune, [DISTRICT.code], 'gửi bằng dòng lệnh');
  commune.close();
  district.close();
});

after(async () => {
  await axis?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('config set axis.*: the secret is sealed, never printed, and not in any file in plain text', async () => {
  const dir = tempDir('eoffice-cli-axis-');
  const secret = 'bí-mật-trục-0123456789';
  assert.equal((await eoffice(dir, ['config', 'set', 'axis.endpoint', endpoint])).code, 0);
  assert.equal((await eoffice(dir, ['config', 'set', 'axis.systemId', 'sys-commune'])).code, 0);
  const set = await eoffice(dir, ['config', 'set', 'axis.secret', '-'], `${secret}\n`);
  assert.equal(set.code, 0, set.stderr);
  assert.equal(set.stdout, 'axis.secret=(set)');
  const all = await eoffice(dir, ['config', 'get']);
  assert.match(all.stdout, /axis\.secret=\(set\)/);
  assert.match(all.stdout, new RegExp(`axis\\.endpoint=${endpoint.replaceAll('.', '\\.')}`));
  assert.ok(!all.stdout.includes(secret));
  for (const file of fs.readdirSync(dir, { recursive: true }).map(String)) {
    const full = path.join(dir, file);
    if (fs.statSync(full).isFile()) assert.ok(!fs.readFileSync(full).includes(Buffer.from(secret)), `${file} holds the secret in plain text`);
  }
  const bad = await eoffice(dir, ['config', 'set', 'axis.endpoint', 'ftp://trục']);
  assert.notEqual(bad.code, 0, 'only http(s) endpoints');
  // Plain http only to this computer, refused with the sentence the adapter gives.
  const insecure = await eoffice(dir, ['config', 'set', 'axis.endpoint', 'http://lgsp.example.gov.vn/vxp']);
  assert.notEqual(insecure.code, 0);
  assert.ok(insecure.stderr.includes(axisEndpointProblem('http://lgsp.example.gov.vn/vxp')!), insecure.stderr);
  assert.equal((await eoffice(dir, ['config', 'get', 'axis.endpoint'])).stdout, endpoint, 'the previous endpoint stays');
  // The SDK 2.0.1's signing by default; the older form by configuration.
  assert.equal((await eoffice(dir, ['config', 'get', 'axis.signing'])).stdout, 'sdk-2.0.1');
  assert.equal((await eoffice(dir, ['config', 'set', 'axis.signing', 'legacy'])).code, 0);
  assert.notEqual((await eoffice(dir, ['config', 'set', 'axis.signing', 'sdk-1.0'])).code, 0);
  // A provincial platform that differs from the national SDK, by configuration.
  assert.equal((await eoffice(dir, ['config', 'set', 'axis.hexStyle', 'standard'])).code, 0);
  assert.equal((await eoffice(dir, ['config', 'set', 'axis.paths', '{"sendEdoc":"api/v2/sendEdoc"}'])).code, 0);
  assert.equal((await eoffice(dir, ['config', 'get', 'axis.paths'])).stdout, '{"sendEdoc":"api/v2/sendEdoc"}');
  assert.equal((await eoffice(dir, ['config', 'get', 'axis.hexStyle'])).stdout, 'standard');
  assert.notEqual((await eoffice(dir, ['config', 'set', 'axis.paths', '{"sendEdoc":"../x?y"}'])).code, 0, 'a path, not a URL trick');
  assert.notEqual((await eoffice(dir, ['config', 'set', 'axis.hexStyle', 'base64'])).code, 0);
});

test('sync --once without a configured axis says so and fails', async () => {
  const run = await eoffice(tempDir('eoffice-cli-none-'), ['sync', '--once']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /not set/);
});

test('sync --once: offline the pass completes (exit 0) and the job waits; online it is sent; the district lists and accepts it', async () => {
  const waiting = await eoffice(commune.dataDir, ['queue', '--json']);
  assert.equal(waiting.code, 0, waiting.stderr);
  const queue = JSON.parse(waiting.stdout) as { summary: { waiting: number }; items: { state: string; recipients: string[] }[] };
  assert.equal(queue.summary.waiting, 1);
  assert.deepEqual(queue.items[0]!.recipients, [DISTRICT.code]);

  const offline = await eoffice(commune.dataDir, ['sync', '--once']);
  assert.equal(offline.code, 0, `a pass that ran is a success even if jobs wait: ${offline.stderr}`);
  assert.match(offline.stdout, /connection offline/);
  const text = await eoffice(commune.dataDir, ['queue']);
  assert.match(text.stdout, /queued .*gửi .*000\.00\.02\.H99.*1 tries/);

  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: [axisAgency(commune), axisAgency(district)] });
  // A scheduled pass keeps the retry schedule: the job is not due yet, so it is not tried again.
  const scheduled = JSON.parse((await eoffice(commune.dataDir, ['sync', '--once', '--json'])).stdout) as { sent: number; connection: string };
  assert.equal(scheduled.sent, 0);
  assert.equal((JSON.parse((await eoffice(commune.dataDir, ['queue', '--json'])).stdout) as { items: { attempts: number }[] }).items[0]!.attempts, 1);
  // --now is "Gửi ngay".
  const online = JSON.parse((await eoffice(commune.dataDir, ['sync', '--once', '--now', '--json'])).stdout) as { sent: number; connection: string };
  assert.deepEqual([online.connection, online.sent], ['online', 1]);
  assert.equal((JSON.parse((await eoffice(commune.dataDir, ['queue', '--json'])).stdout) as { items: unknown[] }).items.length, 0);

  const received = await eoffice(district.dataDir, ['sync', '--once']);
  assert.equal(received.code, 0, received.stderr);
  assert.match(received.stdout, /received 1/);
  const list = JSON.parse((await eoffice(district.dataDir, ['in', 'list', '--json'])).stdout) as { subject: string; sender: string; notation: string; documentState: string; documentId: number }[];
  assert.equal(list.length, 1);
  assert.equal(list[0]!.subject, 'gửi bằng dòng lệnh');
  assert.equal(list[0]!.sender, COMMUNE.code);
  assert.match(list[0]!.notation, /^\d+\/QĐ-UBND$/);
  assert.equal(list[0]!.documentState, 'received');
  assert.match((await eoffice(district.dataDir, ['in', 'list'])).stdout, /gửi bằng dòng lệnh/);

  const accepted = await eoffice(district.dataDir, ['in', 'accept', String(list[0]!.documentId)]);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.match(accepted.stdout, /registered/);
  assert.notEqual((await eoffice(district.dataDir, ['in', 'accept', String(list[0]!.documentId)])).code, 0, 'accepted once');
  assert.notEqual((await eoffice(district.dataDir, ['in', 'return', String(list[0]!.documentId)])).code, 0, 'returning needs a reason');
});
