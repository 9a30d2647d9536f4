// Crash trials for issuing: `eoffice out issue` (number, fill, agency signature, queue) run as a
// user runs it, on a real SoftHSM2 token, and killed with SIGKILL at random moments. After every
// kill the data folder is opened again (which sweeps what a dead process left) and checked: the
// register's numbers run 01, 02, … with no gap and no duplicate, every stored file is whole (its
// bytes hash to its name; every numbered PDF passes qpdf --check), no temporary file is left, and
// the audit chain verifies. A document whose issuing was killed is issued again at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openCore } from '../main/core/app/core.js';
import { invoke } from '../main/core/api/invoke.js';
import { createFileSettings } from '../main/core/settings/settings.js';
import type { MethodName, Output } from '../main/common/contract.js';
import { verifyAudit } from '../main/core/registry/audit.js';
import { vnYear } from '../main/common/dates.js';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { qpdfCheck } from './support/pdfsig.js';
import { listFiles, makeVietnamesePdf, REPO_ROOT, tempDir } from './support/fixtures.js';

// The bundled command line (npm test builds it first): what a packaged app runs, and it starts in
// a fraction of the time tsx takes, which matters over some thirty runs.
const BIN = path.join(REPO_ROOT, 'dist/cli/eoffice.mjs');
const ISSUE_ONCE = path.join(REPO_ROOT, 'test/support/issueOnce.ts');
const LEADER = 'Token Lãnh đạo';
const AGENCY = 'Token Cơ quan';
/** Kills wanted; the issue asks for at least 20. */
const KILLS = 20;
/** Drafts ready for the trials: a killed run leaves its document to the next trial, so few more than the kills that land after a commit. */
const DRAFTS = 30;

let leader: TestToken;
let agency: TestToken;
let dataDir: string;
let work: string;

before(async () => {
  leader = await createTestToken({ label: LEADER });
  agency = await createTestToken({ label: AGENCY, agencyName: 'Ủy ban nhân dân xã Thử Nghiệm' });
  dataDir = tempDir('eoffice-crash-issue-');
  work = tempDir('eoffice-crash-work-');
});

after(() => {
  leader?.cleanup();
  agency?.cleanup();
});

function eoffice(args: string[], pin = '') {
  const run = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], { encoding: 'utf8', env: { ...process.env, EOFFICE_PIN: pin }, input: '' });
  return { code: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

function draftPdf(i: number): Promise<Uint8Array> {
  return makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', `QUYẾT ĐỊNH số thứ tự ${i}`]);
}

/** Drafts and has the leader sign `count` documents through the API, then closes the data folder. */
async function draftAndSign(count: number): Promise<number[]> {
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [leader.modulePath] });
  const core = openCore({ dataDir, shell: 'cli', settings });
  try {
    const call = async <M extends MethodName>(method: M, input: unknown): Promise<Output<M>> => {
      const envelope = await invoke(core.handlers, method, input, () => undefined);
      if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
      return envelope.result as Output<M>;
    };
    await call('tokens.login', { label: LEADER, pin: leader.userPin });
    const ids: number[] = [];
    for (let i = 1; i <= count; i++) {
      const details = { typeCode: 'QD', subject: `Quyết định thử ${i}`, signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipientCodes: ['000.00.00.H41'] };
      ids.push((await call('outgoing.create', { fileName: `qd-${i}.pdf`, bytes: await draftPdf(i), details })).document.id);
    }
    const signed = await call('documents.sign', { ids, label: LEADER, certificateId: leader.ids.signer, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
    assert.ok(signed.results.every((r) => r.status === 'signed'), JSON.stringify(signed.results.find((r) => r.status !== 'signed')));
    return ids;
  } finally {
    core.close();
  }
}

function issueArgs(id: number): string[] {
  // --yes: not at a terminal, the command is told that issuing, which cannot be undone, is meant.
  return ['out', 'issue', String(id), '--module', agency.modulePath, '--token', AGENCY, '--cert', agency.ids.agency, '--yes'];
}

/** Runs `out issue` and kills it after `delayMs`; resolves with how it ended. */
/** One `eoffice out issue`, killed with SIGKILL after `delayMs` unless that is null (an undisturbed run). */
function issueKilledAfter(id: number, delayMs: number | null): Promise<{ outcome: 'killed' | 'finished'; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...issueArgs(id)], { env: { ...process.env, EOFFICE_PIN: agency.userPin }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = delayMs === null ? undefined : setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`out issue ${id} failed with exit code ${code}: ${stderr}`));
      else resolve({ outcome: signal === 'SIGKILL' ? 'killed' : 'finished', ms: Date.now() - started });
    });
  });
}

/** Everything a kill must not break, checked on a freshly opened data folder. */
function checkInvariants(label: string): { numbered: number[]; queued: number[] } {
  const core = openCore({ dataDir, shell: 'cli' });
  try {
    const numbers = (core.db.prepare("SELECT number FROM documents WHERE direction = 'out' AND numbered_at IS NOT NULL ORDER BY number").all() as { number: number }[]).map((r) => r.number);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `${label}: numbers run 1..n with no gap and no duplicate`);
    const registers = core.db.prepare("SELECT last_number FROM registers WHERE direction = 'out'").all() as { last_number: number }[];
    assert.equal(Math.max(0, ...registers.map((r) => r.last_number)), numbers.length, `${label}: the register's last number is the last one used`);
    assert.equal((core.db.prepare('SELECT count(*) AS n FROM pending_files').get() as { n: number }).n, 0, `${label}: no pending file survives a restart`);
    for (const file of listFiles(path.join(dataDir, 'files'))) {
      const name = path.basename(file);
      assert.match(name, /^[0-9a-f]{64}$/, `${label}: no temporary file left (${file})`);
      const sha = createHash('sha256').update(fs.readFileSync(path.join(dataDir, 'files', file))).digest('hex');
      assert.equal(sha, name, `${label}: ${file} is whole`);
    }
    const rows = core.db.prepare("SELECT id, state, file_sha256, numbered_at FROM documents WHERE direction = 'out'").all() as { id: number; state: string; file_sha256: string; numbered_at: string | null }[];
    for (const row of rows) {
      assert.ok(fs.existsSync(core.blobs.pathFor(row.file_sha256)), `${label}: document ${row.id}'s file exists`);
      // A numbered document is numbered and filled and sealed together, or not at all.
      assert.equal(row.numbered_at !== null, row.state === 'queued', `${label}: document ${row.id} is ${row.state}`);
    }
    for (const row of rows.filter((r) => r.state === 'queued')) {
      const check = qpdfCheck(core.blobs.pathFor(row.file_sha256));
      assert.equal(check.status, 0, `${label}: ${check.output}`);
    }
    const audit = verifyAudit(core.db);
    assert.equal(audit.ok, true, `${label}: audit chain broken at ${JSON.stringify(audit.firstBroken)}`);
    return { numbered: rows.filter((r) => r.numbered_at).map((r) => r.id), queued: rows.filter((r) => r.state === 'queued').map((r) => r.id) };
  } finally {
    core.close();
  }
}

test(`${KILLS} runs of eoffice out issue killed with SIGKILL at random moments leave no gap, no duplicate, no half-written PDF and an intact audit chain`, { timeout: 600_000 }, async () => {
  for (const [key, value] of [['agency.code', '000.00.32.H41'], ['agency.name', 'Ủy ban nhân dân xã Thử Nghiệm'], ['agency.abbr', 'UBND']]) {
    const run = eoffice(['config', 'set', key!, value!]);
    assert.equal(run.code, 0, run.stderr);
  }
  assert.equal(eoffice(['config', 'get', 'agency.abbr']).stdout, 'UBND');

  // The first draft goes through the command line a clerk's script would use; the others are
  // drafted and signed in-process (the same core), which is quicker and not what is on trial.
  const firstFile = path.join(work, 'qd-0.pdf');
  fs.writeFileSync(firstFile, await draftPdf(0));
  const created = eoffice(['out', 'new', firstFile, '--type', 'QĐ', '--subject', 'Quyết định thử 0', '--to', '000.00.00.H41', '--signer-name', 'Nguyễn Văn An', '--signer-position', 'CHỦ TỊCH', '--competence', 'TM.']);
  assert.equal(created.code, 0, created.stderr);
  const firstId = Number(created.stdout);
  assert.ok(Number.isInteger(firstId) && firstId > 0, created.stdout);
  const refused = eoffice(['out', 'number', String(firstId)]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Không cấp số trước khi ký/);
  const signed = eoffice(['out', 'sign', String(firstId), '--module', leader.modulePath, '--token', LEADER, '--cert', leader.ids.signer, '--rect', '330,420,180,80'], leader.userPin);
  assert.equal(signed.code, 0, signed.stderr);
  const ids = [firstId, ...(await draftAndSign(DRAFTS))];
  // One undisturbed run gives the time scale the kills are spread over.
  const started = Date.now();
  const first = eoffice(issueArgs(ids[0]!), agency.userPin);
  assert.equal(first.code, 0, first.stderr);
  const duration = Date.now() - started;
  checkInvariants('after the undisturbed run');

  // Kills are spread over the whole run, from start-up to exit, so some land during the token
  // signature, some between the durable write and the commit, some after the commit. The run's
  // length is re-estimated from every run that finished, as the machine's load changes. Every
  // fourth run is left alone: on a machine that slowed down after the first run, every random
  // kill could land before the commit, and the trial would never see a run complete (CI did).
  let scale = duration;
  let kills = 0;
  let attempts = 0;
  let next = 1;
  while (kills < KILLS) {
    assert.ok(attempts++ < KILLS * 3, `only ${kills} kills in ${attempts} runs`);
    assert.ok(next < ids.length, 'enough drafts for the trials');
    const id = ids[next]!;
    const delay = attempts % 4 === 0 ? null : randomInt(Math.floor(scale * 0.3), Math.ceil(scale * 1.25));
    const run = await issueKilledAfter(id, delay);
    if (run.outcome === 'killed') kills++;
    else scale = run.ms;
    const state = checkInvariants(`run ${attempts} (${run.outcome} after ${run.outcome === 'killed' ? delay : run.ms} ms of ~${scale} ms)`);
    // A document whose run was killed before the commit is still signed and waits for the next trial.
    if (state.queued.includes(id)) next++;
  }
  // Random kills rarely land in the few milliseconds between the durable write and the commit;
  // three more runs kill themselves exactly there.
  for (let i = 0; i < 3; i++) {
    const id = ids[next]!;
    const child = spawnSync(process.execPath, ['--import', 'tsx', ISSUE_ONCE, dataDir, String(id), AGENCY, agency.ids.agency], { env: { ...process.env, EOFFICE_PIN: agency.userPin }, encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', `the child should have killed itself before the commit: ${child.stderr}`);
    const state = checkInvariants(`kill before commit ${i + 1}`);
    assert.ok(!state.queued.includes(id), 'killed before its commit, the document is not issued');
  }
  const after = checkInvariants('after the trials');
  process.stdout.write(`# crash trials: ${kills} killed in ${attempts} runs; ${after.queued.length} issued; a run takes ~${scale} ms\n`);
  assert.ok(after.queued.length >= 2, 'some runs were killed after their commit, or finished');

  // The document whose run was interrupted last is issued now, and the numbers still run without a gap.
  const pending = ids[next]!;
  const finish = eoffice(issueArgs(pending), agency.userPin);
  assert.equal(finish.code, 0, finish.stderr);
  const final = checkInvariants('after issuing the interrupted one');
  assert.equal(final.queued.length, after.queued.length + 1);
  const exported = path.join(work, 'last.pdf');
  assert.equal(eoffice(['out', 'export', String(pending), '-o', exported]).code, 0);
  assert.equal(qpdfCheck(exported).status, 0);
  const book = path.join(work, 'book.csv');
  assert.equal(eoffice(['book', 'out', '--year', String(vnYear()), '--format', 'csv', '-o', book]).code, 0);
  const lines = fs.readFileSync(book, 'utf8').trim().split(/\r\n/);
  assert.equal(lines.length, final.queued.length + 1, 'one row per issued document, under the header');
});
