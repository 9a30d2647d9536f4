// Crash safety: a process killed with SIGKILL in the middle of importing leaves each document
// whole or absent — never a row without its file, a file without its row, or a broken database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openCore } from '../../main/core/app/core.js';
import { verifyAudit } from '../../main/core/registry/audit.js';
import { listFiles, REPO_ROOT, tempDir } from '../support/fixtures.js';

const CHILD = path.join(REPO_ROOT, 'test/support/importLoop.ts');

function runChild(dataDir: string, seed: string, env: NodeJS.ProcessEnv, killAfterMs?: number): Promise<{ imported: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, seed], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let imported = 0;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().split('\n');
      imported += lines.filter((l) => l.startsWith('imported')).length;
      // The clock starts once the child is importing, not while Node and tsx start up.
      if (killAfterMs !== undefined && !timer && lines.includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code ?? signal}: ${stderr}`));
      else resolve({ imported, signal });
    });
  });
}

function assertConsistent(dataDir: string): number {
  const core = openCore({ dataDir, shell: 'cli', actor: 'checker' }); // opening sweeps what a dead process left
  try {
    assert.equal(core.db.pragma('integrity_check', { simple: true }), 'ok');
    const docs = core.db.prepare('SELECT id, file_sha256 FROM documents').all() as { id: number; file_sha256: string }[];
    const fileRows = core.db.prepare('SELECT sha256, size FROM files').all() as { sha256: string; size: number }[];
    for (const doc of docs) {
      const bytes = core.blobs.read(doc.file_sha256);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), doc.file_sha256, `document ${doc.id} has its whole file`);
    }
    const stored = listFiles(path.join(dataDir, 'files'));
    assert.deepEqual(stored.sort(), fileRows.map((f) => path.join(f.sha256.slice(0, 2), f.sha256)).sort(), 'no stray or temporary files');
    const n = (sql: string) => (core.db.prepare(sql).get() as { n: number }).n;
    assert.equal(n('SELECT count(*) AS n FROM documents_fts'), docs.length, 'each document is searchable');
    assert.equal(n('SELECT count(*) AS n FROM audit_events'), docs.length, 'each document has its audit entry');
    assert.equal(n('SELECT count(*) AS n FROM pending_files'), 0);
    assert.equal(verifyAudit(core.db).ok, true);
    return docs.length;
  } finally {
    core.close();
  }
}

test('SIGKILL between the durable file write and the commit leaves nothing of that document', async () => {
  const dataDir = tempDir();
  const run = await runChild(dataDir, 'a', { EOFFICE_KILL_BEFORE_COMMIT: '1' });
  assert.equal(run.imported, 0);
  assert.ok(fs.existsSync(path.join(dataDir, 'files')));
  const before = listFiles(path.join(dataDir, 'files'));
  assert.equal(before.length, 1, 'the killed process had written the file');
  assert.equal(assertConsistent(dataDir), 0, 'and the next start removed it');
});

test('SIGKILL at random moments during a stream of imports leaves every document whole or absent', async () => {
  const dataDir = tempDir();
  let committed = 0;
  for (let round = 0; round < 6; round++) {
    const run = await runChild(dataDir, `r${round}`, {}, 50 + Math.floor(Math.random() * 900));
    const count = assertConsistent(dataDir);
    // The child reports after commit, so at most one more document than it reported can exist.
    assert.ok(count >= committed + run.imported && count <= committed + run.imported + 1, `round ${round}: ${count} vs ${committed}+${run.imported}`);
    committed = count;
  }
  assert.ok(committed > 0, 'some imports completed between kills');
});
