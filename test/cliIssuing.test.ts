// Issuing from the command line (issue 12), on the built CLI and real SoftHSM2 tokens: cấp số,
// phát hành and thu hồi cannot be undone, so each says what it will do and asks y/N at a terminal
// (a pseudo-terminal made by script(1) here) and, where none can ask (a script), goes on only
// with --yes; `out issue` with the leader's own certificate is refused before any number is
// taken; the administrator sets how long a typed PIN serves with `config set`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatDateVn, vnDate, vnYear } from '../main/common/dates.js';
import { createTestToken, type TestToken } from './support/softhsm.js';
import { makeVietnamesePdf, tempDir } from './support/fixtures.js';
import { CLI_BUNDLE } from './support/cliRun.js';

const LEADER = 'Token Lãnh đạo CLI';
const AGENCY = 'Token Cơ quan CLI';
const AGENCY_NAME = 'Ủy ban nhân dân xã Thử Nghiệm';

let leader: TestToken;
let agency: TestToken;
let dataDir: string;
let work: string;

before(async () => {
  leader = await createTestToken({ label: LEADER });
  agency = await createTestToken({ label: AGENCY, agencyName: AGENCY_NAME });
  dataDir = tempDir('eoffice-cli-issuing-');
  work = tempDir('eoffice-cli-issuing-work-');
});

after(() => {
  leader?.cleanup();
  agency?.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

/** The command with standard input a pipe (not a terminal), as a script runs it. */
function eoffice(args: string[], pin = '') {
  const run = spawnSync(process.execPath, [CLI_BUNDLE, '--data-dir', dataDir, ...args], { encoding: 'utf8', env: { ...process.env, EOFFICE_PIN: pin }, input: '' });
  return { code: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

function ok(args: string[], pin = ''): string {
  const run = eoffice(args, pin);
  assert.equal(run.code, 0, `eoffice ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

function refused(args: string[], reason: RegExp, pin = ''): void {
  const run = eoffice(args, pin);
  assert.equal(run.code, 1, `eoffice ${args.join(' ')} should fail: ${run.stdout}`);
  const lines = run.stderr.split('\n');
  assert.equal(lines.length, 1, `one line: ${run.stderr}`);
  assert.match(lines[0]!, reason);
}

/**
 * The command at a terminal: script(1) gives it a pseudo-terminal and types `answer`. The answer
 * is typed after the question shows, as a person would.
 */
function atTerminal(args: string[], answer: string): { code: number | null; output: string } {
  const command = [process.execPath, CLI_BUNDLE, '--data-dir', dataDir, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const run = spawnSync('script', ['-qefc', `sleep 0; ${command}`, '/dev/null'], {
    encoding: 'utf8',
    input: `${answer}\n`,
  });
  return { code: run.status, output: run.stdout.replace(/\r/g, '') };
}

const show = (id: number) => JSON.parse(ok(['out', 'show', String(id), '--json'])) as { document: { state: string; notation: string | null } };

async function signedDraft(subject: string): Promise<number> {
  const file = path.join(work, `${subject}.pdf`);
  fs.writeFileSync(file, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', `Về việc ${subject}`]));
  const id = Number(ok(['out', 'new', file, '--type', 'QĐ', '--subject', subject, '--to', '000.00.00.H41', '--signer-name', 'Nguyễn Văn An', '--signer-position', 'CHỦ TỊCH', '--competence', 'TM.']));
  ok(['out', 'sign', String(id), '--module', leader.modulePath, '--token', LEADER, '--cert', leader.ids.signer, '--rect', '330,420,180,80'], leader.userPin);
  return id;
}

/** How many outgoing documents have a number. */
const numbered = () => (JSON.parse(ok(['list', '--book', 'out', '--json'])) as { items: { notation: string | null }[] }).items.filter((i) => i.notation).length;

test('setup: the agency, as a clerk sets it', () => {
  for (const [key, value] of [['agency.code', '000.00.32.H41'], ['agency.name', AGENCY_NAME], ['agency.abbr', 'UBND']] as const) ok(['config', 'set', key, value]);
});

test('out issue with the leader’s own certificate is refused before a number is taken; the agency’s certificate issues', async () => {
  const id = await signedDraft('ký thay dấu bằng chứng thư cá nhân');
  refused(['out', 'issue', String(id), '--module', leader.modulePath, '--token', LEADER, '--cert', leader.ids.signer, '--yes'], /cannot sign as the agency.*Use the agency's token/, leader.userPin);
  const { state, notation } = show(id).document;
  assert.deepEqual([state, notation], ['signed', null]);
  assert.equal(numbered(), 0, 'no number taken');
  const issued = ok(['out', 'issue', String(id), '--module', agency.modulePath, '--token', AGENCY, '--cert', agency.ids.agency, '--yes'], agency.userPin);
  assert.match(issued, /queued 01\/QĐ-UBND/);
});

test('without a terminal, out number, issue and recall say what they would do and need --yes; nothing changes until then', async () => {
  const id = await signedDraft('cần xác nhận');
  const today = formatDateVn(vnDate());
  refused(['out', 'number', String(id)], new RegExp(`^eoffice: Cấp số: #${id} “cần xác nhận” takes 02/QĐ-UBND dated ${today} in the ${vnYear()} outgoing register\\. This cannot be undone: confirm with --yes`));
  refused(
    ['out', 'issue', String(id), '--module', agency.modulePath, '--token', AGENCY, '--cert', agency.ids.agency],
    /Phát hành: .* takes 02\/QĐ-UBND .*the agency's signature from the token “Token Cơ quan CLI”.*queued for 1 recipient\(s\) on the axis \(000\.00\.00\.H41\).*--yes/,
    agency.userPin,
  );
  assert.equal(show(id).document.state, 'signed');
  assert.equal(numbered(), 1, 'still only the number of the test before');
  assert.match(ok(['out', 'number', String(id), '--yes']), /numbered 02\/QĐ-UBND/);
  ok(['out', 'issue', String(id), '--module', agency.modulePath, '--token', AGENCY, '--cert', agency.ids.agency, '--yes'], agency.userPin);
  refused(['out', 'recall', String(id), '--reason', 'Ban hành sai thẩm quyền'], /Thu hồi: 02\/QĐ-UBND .* becomes recalled, for the reason “Ban hành sai thẩm quyền”; the recall notice goes to 1 recipient\(s\) on the axis.*--yes/);
  assert.equal(show(id).document.state, 'queued');
  assert.match(ok(['out', 'recall', String(id), '--reason', 'Ban hành sai thẩm quyền', '--yes']), /recalled/);
  // A draft is refused for what it is, not asked about.
  refused(['out', 'number', String(await unsignedDraft())], /Không cấp số trước khi ký/);
});

async function unsignedDraft(): Promise<number> {
  const file = path.join(work, 'chưa ký.pdf');
  fs.writeFileSync(file, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'Chưa ký']));
  return Number(ok(['out', 'new', file, '--type', 'QĐ', '--subject', 'chưa ký', '--signer-name', 'Nguyễn Văn An']));
}

test('at a terminal, out number asks y/N: anything but y leaves the document as it was; y numbers it', async () => {
  const id = await signedDraft('hỏi tại màn hình');
  const declined = atTerminal(['out', 'number', String(id)], 'n');
  assert.equal(declined.code, 1, declined.output);
  assert.match(declined.output, /Cấp số: #\d+ “hỏi tại màn hình” takes 03\/QĐ-UBND .* This cannot be undone\. Continue\? \[y\/N\]/);
  assert.match(declined.output, /not confirmed: nothing was changed/);
  assert.equal(show(id).document.state, 'signed');
  const confirmed = atTerminal(['out', 'number', String(id)], 'y');
  assert.equal(confirmed.code, 0, confirmed.output);
  assert.equal(show(id).document.notation, '03/QĐ-UBND');
});

test('the administrator sets how long a typed PIN serves, and when an unused login lapses; bad values are refused in one line', () => {
  assert.equal(ok(['config', 'get', 'signingSessionSeconds']), '0');
  assert.equal(ok(['config', 'get', 'signingIdleMinutes']), '5');
  ok(['config', 'set', 'signingSessionSeconds', '120']);
  ok(['config', 'set', 'signingIdleMinutes', '3']);
  assert.equal(ok(['config', 'get', 'signingSessionSeconds']), '120');
  assert.equal(ok(['config', 'get', 'signingIdleMinutes']), '3');
  for (const [key, value] of [['signingSessionSeconds', '901'], ['signingSessionSeconds', 'two'], ['signingSessionSeconds', ''], ['signingIdleMinutes', '0'], ['signingIdleMinutes', '1.5']] as const) {
    refused(['config', 'set', key, value], new RegExp(key));
  }
  assert.equal(ok(['config', 'get', 'signingSessionSeconds']), '120', 'a refused value changes nothing');
});
