// The data folder holds the registry, the documents and the sealed axis secret: on a shared
// computer (a commune's PC used by several accounts) no other account may read it. POSIX modes
// only: on Windows the folder is under %APPDATA%, whose ACL already admits only its owner (and
// Node's chmod there only toggles the read-only flag), so these checks do not apply there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { databasePath, openCore } from '../../main/core/app/core.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';
import { invoke } from '../../main/core/api/invoke.js';

const posix = process.platform !== 'win32';
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** Runs with the umask most desktops have (group and others may read new files). */
function withUmask<T>(mask: number, run: () => Promise<T>): Promise<T> {
  const saved = process.umask(mask);
  return run().finally(() => process.umask(saved));
}

test('a new data folder is 0700 and the database, its WAL and its shared memory 0600, whatever the umask', () =>
  withUmask(0o022, async () => {
    if (!posix) return;
    const dataDir = path.join(tempDir(), 'eOffice');
    const core = openCore({ dataDir, shell: 'cli', actor: 't' });
    try {
      const bytes = await makeVietnamesePdf(['Công văn về việc bảo mật dữ liệu']);
      const imported = await invoke(core.handlers, 'documents.import', { direction: 'in', fileName: 'cv.pdf', bytes }, () => undefined);
      assert.ok(imported.ok, JSON.stringify(imported));
      assert.equal(modeOf(dataDir), 0o700);
      const db = databasePath(dataDir);
      for (const file of [db, `${db}-wal`, `${db}-shm`]) {
        assert.ok(fs.existsSync(file), `${path.basename(file)} exists while the core is open`);
        assert.equal(modeOf(file), 0o600, path.basename(file));
      }
    } finally {
      core.close();
    }
  }),
);

test('a data folder made by an older eOffice, readable by others, is tightened when opened', () =>
  withUmask(0o022, async () => {
    if (!posix) return;
    const dataDir = path.join(tempDir(), 'eOffice');
    openCore({ dataDir, shell: 'cli', actor: 't' }).close();
    const db = databasePath(dataDir);
    // As the earlier version left them (0755 and 0644), with a WAL a crash left behind.
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(db, 0o644);
    fs.writeFileSync(`${db}-wal`, '', { mode: 0o644 });
    fs.chmodSync(`${db}-wal`, 0o644);
    const core = openCore({ dataDir, shell: 'cli', actor: 't' });
    try {
      assert.equal(modeOf(dataDir), 0o700);
      for (const file of [db, `${db}-wal`, `${db}-shm`]) assert.equal(modeOf(file), 0o600, path.basename(file));
    } finally {
      core.close();
    }
  }),
);
