// The registry's memory and size, guarded where time is not (issue 19): 50,000 documents built in
// a child process through the app's own write paths (test/support/registryBuild.ts), whose peak
// memory is its own, and the database it leaves. The bounds hold today's figures with a margin
// for the garbage collector's timing, which moves the peak by a few tens of megabytes from run
// to run; what they catch is memory or disk that grows with the documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, tempDir } from '../support/fixtures.js';

const DOCUMENTS = 50_000;
// Measured when the bounds were set (2-core machine, Node 20, five runs): the peak grew by 83 to
// 135 MB over the build (the garbage collector's timing), and the database with its write-ahead
// log held 108 MB. Memory kept per document (a cache that is never emptied, rows held in an array,
// SQLite's pages mapped into memory) would pass 250 MB at 2.5 kB a document.
const PEAK_GROWTH_BOUND_MB = 250;
const DATABASE_BOUND_MB = 130;

test(`a registry of ${DOCUMENTS.toLocaleString('en')} documents built as the app builds it stays within its memory and disk bounds`, () => {
  const dataDir = tempDir('eoffice-registry-memory-');
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/support/registryBuild.ts'), dataDir, String(DOCUMENTS)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout) as {
      peakBeforeMB: number;
      peakAfterMB: number;
      databaseMB: number;
      built: { documents: number; issued: number; handled: number; numbered: number; assigned: number; withDraftDetails: number };
      steps: { drafts: number; received: number; registered: number; started: number };
    };
    // The build went through every path it is meant to exercise.
    assert.equal(result.built.documents, DOCUMENTS);
    assert.equal(result.built.withDraftDetails, result.steps.drafts, 'every draft got its issuing columns');
    assert.equal(result.built.numbered, result.steps.received, 'every received document took a số đến');
    assert.equal(result.built.assigned, result.steps.registered, 'every registered document was assigned');
    assert.equal(result.built.handled, Math.ceil(result.steps.started / 2), 'the report trigger timed every document done');
    assert.ok(result.built.issued > 0, 'outgoing documents count as issued');

    const growth = result.peakAfterMB - result.peakBeforeMB;
    assert.ok(growth <= PEAK_GROWTH_BOUND_MB, `peak memory grew by ${growth.toFixed(0)} MB (bound ${PEAK_GROWTH_BOUND_MB} MB)`);
    assert.ok(result.databaseMB <= DATABASE_BOUND_MB, `the database holds ${result.databaseMB.toFixed(0)} MB (bound ${DATABASE_BOUND_MB} MB)`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
