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
import { createConfSettings } from '../main/core/settings/settings.js';
import type { MethodName, Output } from '../main/common/contract.js';
import { verifyAudit } from '../main/core/registry/audit.js';
import { vnYear } from '../main/common/dates.js';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { qpdfCheck } from './support/pdfsig.js';
import { listFiles, makeVietnamesePdf, REPO_ROOT, tempDir } from './support/fixtures.js';

// The bundled command line (npm test builds it first): what a packaged app runs, and it starts in
// a fraction of the time tsx takes, which matters over some thirty runs.
const BIN = path.join(REPO_ROOT, 'dist/cli/eoffice.mjs');
const LEADER = 'Token Lãnh đạo';
const AGENCY = 'Token Cơ quan';
const TRIALS = 24;

let leader: TestToken;
let agency: TestToken;
let dataDir: string;
let work: string;

before(async () => {
  leader = await createTestToken({ label: LEADER });
  agency = await createTestToken({ label: AGENCY });
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
  const settings = createConfSettings(dataDir);
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
  return ['out', 'issue', String(id), '--module', agency.modulePath, '--token', AGENCY, '--cert', agency.ids.agency];
}

/** Runs `out issue` and kills it after `delayMs`; resolves with how it ended. */
function issueKilledAfter(id: number, delayMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...issueArgs(id)], { env: { ...process.env, EOFFICE_PIN: agency.userPin }, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : code === 0 ? 'finished' : 'finished');
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

test(`${TRIALS} runs of eoffice out issue killed with SIGKILL at random moments leave no gap, no duplicate, no half-written PDF and an intact audit chain`, { timeout: 600_000 }, async () => {
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
  const ids = [firstId, ...(await draftAndSign(TRIALS))];
  // One undisturbed run gives the time scale the kills are spread over.
  const started = Date.now();
  const first = eoffice(issueArgs(ids[0]!), agency.userPin);
  assert.equal(first.code, 0, first.stderr);
  const duration = Date.now() - started;
  checkInvariants('after the undisturbed run');

  const outcomes: string[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const id = ids[trial + 1]!;
    // Spread over the whole run, from start-up to the end, so some kills land during the
    // signature, some between the durable write and the commit, some after it.
    const delay = randomInt(Math.floor(duration * 0.3), Math.ceil(duration * 1.05));
    outcomes.push(await issueKilledAfter(id, delay));
    checkInvariants(`trial ${trial + 1} (killed after ${delay} ms of ~${duration} ms)`);
  }
  const after = checkInvariants('after the trials');
  const killedMidway = ids.slice(1).filter((id) => !after.queued.includes(id)).length;
  process.stdout.write(`# crash trials: ${outcomes.filter((o) => o === 'killed').length} killed, ${killedMidway} left unissued, run ~${duration} ms\n`);
  assert.ok(outcomes.filter((o) => o === 'killed').length >= TRIALS / 2, 'most runs were killed');

  // Whatever was interrupted is issued now, and the numbers still run without a gap.
  for (const id of ids) {
    const state = eoffice(['out', 'show', String(id), '--json']);
    if ((JSON.parse(state.stdout) as { document: { state: string } }).document.state === 'queued') continue;
    const run = eoffice(issueArgs(id), agency.userPin);
    assert.equal(run.code, 0, run.stderr);
  }
  const final = checkInvariants('after issuing the rest');
  assert.equal(final.queued.length, ids.length);
  const exported = path.join(work, 'last.pdf');
  assert.equal(eoffice(['out', 'export', String(ids.at(-1)), '-o', exported]).code, 0);
  assert.equal(qpdfCheck(exported).status, 0);
  const book = path.join(work, 'book.csv');
  assert.equal(eoffice(['book', 'out', '--year', String(vnYear()), '--format', 'csv', '-o', book]).code, 0);
  const lines = fs.readFileSync(book, 'utf8').trim().split(/\r\n/);
  assert.equal(lines.length, ids.length + 1, 'one row per issued document, under the header');
});
