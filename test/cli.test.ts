// The eoffice command, run as a user runs it: a child process over a real data folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { interopPdf, REPO_ROOT, tempDir } from './support/fixtures.js';
import { CLI_BUNDLE } from './support/cliRun.js';

const BIN = CLI_BUNDLE;

function eoffice(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('import, list and search work on the data folder given by --data-dir or EOFFICE_DATA_DIR', () => {
  const dataDir = tempDir();
  const imported = eoffice(['--data-dir', dataDir, 'import', interopPdf('hanoi-tb-453-ubnd-2026.pdf'), interopPdf('hanoi-kh-173-ubnd-2026.pdf'), '--book', 'in']);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /✓ .*hanoi-tb-453-ubnd-2026\.pdf → #1 Về việc treo cờ Tổ quốc/);
  const list = eoffice(['list', '--json'], { EOFFICE_DATA_DIR: dataDir });
  assert.equal(list.code, 0);
  const parsed = JSON.parse(list.stdout) as { total: number; items: { subject: string }[] };
  assert.equal(parsed.total, 2);
  const found = JSON.parse(eoffice(['--data-dir', dataDir, 'search', 'festival thang long', '--json']).stdout) as { items: { subject: string }[] };
  assert.equal(found.items.length, 1);
  assert.match(found.items[0]!.subject, /Festival Thăng Long/);
  const text = eoffice(['--data-dir', dataDir, 'search', 'treo cờ']);
  assert.match(text.stdout, /Thông báo\s+Về việc treo cờ Tổ quốc/);
  assert.match(eoffice(['--data-dir', dataDir, 'audit', 'verify']).stdout, /intact: 2 entries/);
});

test('every error ends with a non-zero exit and one line that says why', () => {
  const dataDir = tempDir();
  const notPdf = path.join(tempDir(), 'notes.pdf');
  fs.writeFileSync(notPdf, 'just text');
  const cases: Array<[string[], RegExp]> = [
    [['--data-dir', dataDir, 'import', notPdf, '--book', 'in'], /1 of 1 file\(s\) were not imported/],
    [['--data-dir', dataDir, 'import', interopPdf('qd-729-ttg-2026.signed.pdf')], /--book in\|out is required/],
    [['--data-dir', dataDir, 'import', '/no/such/file.pdf', '--book', 'out'], /not imported/],
    [['--data-dir', dataDir, 'import', notPdf, '--book', 'sideways'], /--book must be "in" or "out"/],
    [['--data-dir', dataDir, 'frobnicate'], /unknown command "frobnicate"/],
    [['--data-dir', dataDir, 'list', '--limit', 'ten'], /--limit must be a whole number/],
    [['--data-dir', dataDir, 'search'], /search needs a query/],
    [['--data-dir', dataDir, 'list', '--colour'], /Unknown option '--colour'/],
  ];
  for (const [args, reason] of cases) {
    const run = eoffice(args);
    assert.notEqual(run.code, 0, args.join(' '));
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${run.stderr}`);
    assert.match(lines[0]!, /^eoffice: /);
    assert.match(lines[0]!, reason);
  }
  const failed = eoffice(['--data-dir', dataDir, 'import', notPdf, '--book', 'in']);
  assert.match(failed.stdout, /notes\.pdf is not a PDF file/, 'the reason per file is printed too');
  assert.equal(JSON.parse(eoffice(['--data-dir', dataDir, 'list', '--json']).stdout).total, 0, 'nothing was registered');
});

test('a database from a newer eOffice is refused in one line', () => {
  const dataDir = tempDir();
  assert.equal(eoffice(['--data-dir', dataDir, 'list']).code, 0);
  const sqlite = spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path.join(dataDir, 'eoffice.sqlite'))});d.pragma('user_version = 999');d.close();`], { cwd: REPO_ROOT });
  assert.equal(sqlite.status, 0);
  const run = eoffice(['--data-dir', dataDir, 'list']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^eoffice: The database was written by a newer version of eOffice \(schema 999/);
});
