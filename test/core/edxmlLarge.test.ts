// A 200 MB attachment written into a package and parsed back in a child process whose peak memory
// is measured: neither side may hold the file, its base64 text or the package in memory.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { writeEdocPackage } from '../../main/core/edxml/write.js';
import { fullHeader } from '../support/edxmlSamples.js';
import { REPO_ROOT, tempDir } from '../support/fixtures.js';

const ATTACHMENT_BYTES = 200 * 1024 * 1024;
// Node with tsx alone is about 60 MB; a parser that held the 200 MB file or its 270 MB of base64
// would be far above this.
const MAX_CHILD_RSS_BYTES = 150 * 1024 * 1024;

const work = tempDir('eoffice-edxml-large-');
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** Streams pseudo-random bytes to disk (1 MiB at a time) and returns their SHA-256. */
async function writeRandomFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file);
  for (let written = 0; written < size; ) {
    const piece = randomBytes(Math.min(1024 * 1024, size - written));
    hash.update(piece);
    written += piece.length;
    if (!out.write(piece)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  return hash.digest('hex');
}

// The child parses the package and prints what it found with its own peak resident memory.
const CHILD = `
import { parsePackage } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'main/core/edxml/parse.ts')).href)};
let peak = 0;
const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
const timer = setInterval(sample, 20);
const [file, workDir] = process.argv.slice(-2);
const parsed = await parsePackage(file, { workDir });
clearInterval(timer);
sample();
const attachment = parsed.kind === 'edoc' ? parsed.attachments[0] : undefined;
console.log(JSON.stringify({ peak, maxRss: process.resourceUsage().maxRSS * 1024, size: attachment?.size, sha256: attachment?.sha256, path: attachment?.path }));
`;

test('a 200 MB attachment is written and parsed in little memory', { timeout: 180_000 }, async (t) => {
  const source = path.join(work, 'large.pdf');
  const sourceSha = await writeRandomFile(source, ATTACHMENT_BYTES);
  const packagePath = path.join(work, 'large.edxml');
  const written = await writeEdocPackage(fullHeader(), [{ contentId: 'cid:1', name: 'Hồ sơ lớn.pdf', contentType: 'application/pdf', path: source }], packagePath);
  fs.rmSync(source);
  assert.equal(written.size, fs.statSync(packagePath).size);
  assert.ok(written.size > (ATTACHMENT_BYTES * 4) / 3);

  const workDir = fs.mkdtempSync(path.join(work, 'in-'));
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, packagePath, workDir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 170_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const report = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { peak: number; maxRss: number; size: number; sha256: string; path: string };
  t.diagnostic(`child peak RSS ${Math.round(report.maxRss / 1048576)} MiB (sampled ${Math.round(report.peak / 1048576)} MiB)`);
  assert.equal(report.size, ATTACHMENT_BYTES);
  assert.equal(report.sha256, sourceSha);
  assert.ok(report.path.startsWith(workDir));
  assert.ok(report.maxRss < MAX_CHILD_RSS_BYTES, `peak RSS ${Math.round(report.maxRss / 1048576)} MiB`);
  assert.ok(report.peak < MAX_CHILD_RSS_BYTES, `sampled RSS ${Math.round(report.peak / 1048576)} MiB`);
});
