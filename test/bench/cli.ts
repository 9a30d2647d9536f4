// npm run bench -- cli [--count N]: the `eoffice` command as a user runs it — whole processes,
// start-up included — each against a reference measured in the same run, medians of 5:
//   --help                                        against `node -e 0` (target ≤ 3×)
//   list --json over a registry of N (250,000)    against `node -e 0` (target ≤ 5×)
//   import of a 1 MB PDF into that registry       (reported)
//   verify of a real government PDF (7 signatures) against `pdfsig` on the same file
//   a 100 MB signature on a SoftHSM2 token         against `pdfsig -add-signature` (target: faster)
// The command runs from its bundle (dist/cli, made here first), as package.json's bin does.
// Peak memory comes from GNU time (Debian's `time` package) when it is installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../main/core/storage/database.js';
import { createTestToken } from '../support/softhsm.js';
import { createNssSigner } from '../support/pdfsigSigner.js';
import { INTEROP_DIR, interopPdf, tempDir } from '../support/fixtures.js';
import { Corpus } from './corpus.js';
import { insertCorpus } from './registry.js';
import { option, percentile, progress, round } from './stats.js';
import { scannedPdf } from './shared.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'dist/cli/eoffice.mjs');
const RUNS = 5;
const DEFAULT_COUNT = 250_000;
const GNU_TIME = '/usr/bin/time';
export const CLI_TARGETS = { helpVsNode: 3, listVsNode: 5, sign100MBVsPdfsig: 1 } as const;

interface Sample {
  ms: number;
  peakRssMB: number | null;
}

/** One whole process, timed from spawn to exit; its peak memory from GNU time where there is one. */
function runOnce(command: string, args: readonly string[], env: NodeJS.ProcessEnv, accepted: (status: number) => boolean): Sample {
  const withTime = fs.existsSync(GNU_TIME);
  const [file, argv] = withTime ? [GNU_TIME, ['-f', '%M', command, ...args]] : [command, [...args]];
  const started = performance.now();
  const run = spawnSync(file, argv, { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (run.status === null || !accepted(run.status)) throw new Error(`${command} ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  const kilobytes = withTime ? Number(run.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { ms, peakRssMB: Number.isFinite(kilobytes) ? round(kilobytes / 1024, 1) : null };
}

interface Figure {
  ms: number;
  peakRssMB: number | null;
}

function summary(samples: readonly Sample[]): Figure {
  const rss = samples.map((s) => s.peakRssMB).filter((x): x is number => x !== null);
  return { ms: round(percentile(samples.map((s) => s.ms), 50)), peakRssMB: rss.length ? Math.max(...rss) : null };
}

/**
 * Runs the command and its reference in turn (A B A B …), so that a machine slowing down mid-run
 * weighs on both alike; `args(i)` gives each run its own arguments (a fresh output file, say).
 */
function paired(
  label: string,
  ours: (i: number) => [string, string[]],
  reference: (i: number) => [string, string[]],
  env: NodeJS.ProcessEnv,
  options: { after?: (i: number) => void; accepted?: (status: number) => boolean } = {},
) {
  const accepted = options.accepted ?? ((status: number) => status === 0);
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = -1; i < RUNS; i++) {
    // Run -1 warms the page cache and the disk; it is not counted.
    const sa = runOnce(...ours(i), env, accepted);
    const sb = runOnce(...reference(i), env, (status) => status === 0);
    options.after?.(i);
    if (i >= 0) {
      a.push(sa);
      b.push(sb);
    }
  }
  const result = { eoffice: summary(a), reference: summary(b) };
  progress(`${label}: ${result.eoffice.ms} ms against ${result.reference.ms} ms`);
  return { ...result, ratio: round(result.eoffice.ms / result.reference.ms) };
}

export async function runCliBenchmark(args: readonly string[]): Promise<unknown> {
  const count = Number(option(args, 'count') ?? DEFAULT_COUNT);
  if (!Number.isInteger(count) || count < 1) throw new Error(`cli: --count must be a positive integer`);
  const dir = tempDir('eoffice-bench-cli-');
  try {
    progress('building the command (dist/cli)');
    const build = spawnSync(process.execPath, [path.join(REPO, 'main/build/build.mjs'), '--cli'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the command failed: ${build.stderr}`);
    const env: NodeJS.ProcessEnv = { ...process.env };
    const node = (): [string, string[]] => [process.execPath, ['-e', '0']];
    const eoffice = (...argv: string[]): [string, string[]] => [process.execPath, [BIN, ...argv]];

    const help = paired('--help', () => eoffice('--help'), node, env);

    const dataDir = path.join(dir, 'registry');
    fs.mkdirSync(dataDir);
    progress(`a registry of ${count.toLocaleString('en')} documents`);
    const db = openDatabase(path.join(dataDir, 'eoffice.sqlite'));
    insertCorpus(db, new Corpus({ count }));
    db.close();
    const list = paired('list --json', () => eoffice('--data-dir', dataDir, 'list', '--json'), node, env);

    progress('import: 1 MB PDFs, a new one each run');
    const imports: string[] = [];
    for (let i = -1; i < RUNS; i++) {
      const file = path.join(dir, `import-${i + 1}.pdf`);
      await scannedPdf(file, 1);
      imports.push(file);
    }
    const importFigure = paired('import 1 MB', (i) => eoffice('--data-dir', dataDir, 'import', imports[i + 1]!, '--book', 'in'), node, env);

    const realPdf = interopPdf('hanoi-qd-2280-ubnd-2026.pdf');
    const trust = ['rootcag2.pem', 'cpcag2.pem'].flatMap((name) => ['--trust', path.join(INTEROP_DIR, 'trust/vgca/g2', name)]);
    const verifyData = path.join(dir, 'verify');
    const verify = paired(
      'verify (7 signatures)',
      () => eoffice('--data-dir', verifyData, 'verify', realPdf, ...trust, '--offline', '--json'),
      () => ['pdfsig', [realPdf]],
      env,
      // Offline, the verdict is "valid, revocation unknown", which has an exit code of its own;
      // only 2 (a command line that makes no sense) means the run itself went wrong.
      { accepted: (status) => status !== 2 },
    );

    progress('100 MB: the token, the peer key and the PDF');
    const token = await createTestToken({ label: 'BenchCli' });
    const peer = createNssSigner();
    const big = path.join(dir, 'scan-100mb.pdf');
    await scannedPdf(big, 100);
    // The test token set SOFTHSM2_CONF in this process: the command must see the same token.
    const signEnv = { ...process.env, EOFFICE_PIN: token.userPin };
    const ours = (i: number) => path.join(dir, `signed-${i}.pdf`);
    const theirs = (i: number) => path.join(dir, `peer-${i}.pdf`);
    const sign = paired(
      'sign 100 MB',
      (i) => eoffice('sign', big, '-o', ours(i), '--token', token.label, '--module', token.modulePath, '--cert', token.ids.signer, '--invisible'),
      (i) => ['pdfsig', ['-nssdir', `sql:${peer.nssDir}`, '-add-signature', '-nick', peer.nickname, '-digest', 'SHA256', big, theirs(i)]],
      signEnv,
      { after: (i) => [ours(i), theirs(i)].forEach((f) => fs.rmSync(f, { force: true })) },
    );
    token.cleanup();

    return {
      benchmark: 'cli',
      documents: count,
      runs: RUNS,
      help: { ...help, versus: 'node -e 0' },
      list: { ...list, versus: 'node -e 0' },
      import1MB: { ...importFigure, versus: 'node -e 0' },
      verify: { ...verify, versus: 'pdfsig', file: path.basename(realPdf) },
      sign100MB: { ...sign, versus: 'pdfsig -add-signature', bytes: fs.statSync(big).size },
      targets: { helpVsNode: CLI_TARGETS.helpVsNode, listVsNode: CLI_TARGETS.listVsNode, sign100MBVsPdfsig: `< ${CLI_TARGETS.sign100MBVsPdfsig}` },
      meets: {
        help: help.ratio <= CLI_TARGETS.helpVsNode,
        list: list.ratio <= CLI_TARGETS.listVsNode,
        sign100MB: sign.ratio < CLI_TARGETS.sign100MBVsPdfsig,
      },
      machine: { node: process.version, cpus: os.cpus().length },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
