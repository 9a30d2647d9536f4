// npm run bench -- sign: signing time on 1, 20 and 100 MB PDFs against, in the same run,
// (a) the floor — sha256sum of the file plus cp of it — and (b) a peer — poppler's
// pdfsig -add-signature with a software key; peak memory of the signing process; and a batch of
// 100 one-megabyte PDFs on one login. The token is a SoftHSM2 token made for the run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { createTestToken } from '../support/softhsm.js';
import { createNssSigner } from '../support/pdfsigSigner.js';
import { writePdfWorkerBeside } from '../support/pdfWorkerBundle.js';
import { tempDir } from '../support/fixtures.js';
import { percentile, progress, round } from './stats.js';
import { scannedPdf, timeCommand } from './shared.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The signing process runs bundled JavaScript, as the app does, not TypeScript through tsx
// (whose loader alone adds some 40 MB to a process); the bundle sits beside node_modules.
const CHILD = path.join(REPO, 'dist/bench/signChild.mjs');
const SIZES_MB = [1, 20, 100];
const RUNS = 3;
export const SIGN_TARGETS = { vsFloor100MB: 2, batch100x1MBSeconds: 5 } as const;

export async function runSignBenchmark(): Promise<unknown> {
  const dir = tempDir('eoffice-bench-sign-');
  try {
    progress('making the token, the peer key and the PDFs');
    await esbuild({ entryPoints: [path.join(REPO, 'test/bench/signChild.ts')], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
    await writePdfWorkerBeside(CHILD);
    const token = await createTestToken({ label: 'Bench' });
    const peer = createNssSigner();
    const env = { ...process.env, EOFFICE_PIN: token.userPin };
    const sign = (pairs: string[]) => {
      const run = spawnSync(process.execPath, [CHILD, token.modulePath, token.label, token.ids.signer, ...pairs], { env, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`signing failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as { ms: number; rssMB: number };
    };

    const files: Record<string, unknown> = {};
    for (const mb of SIZES_MB) {
      const input = path.join(dir, `scan-${mb}mb.pdf`);
      await scannedPdf(input, mb);
      const size = fs.statSync(input).size;
      const ours: number[] = [];
      const floor: number[] = [];
      const poppler: number[] = [];
      let rss = 0;
      for (let run = 0; run < RUNS; run++) {
        const out = path.join(dir, `out-${mb}-${run}.pdf`);
        const result = sign([input, out]);
        ours.push(result.ms);
        rss = Math.max(rss, result.rssMB);
        floor.push(timeCommand('sha256sum', [input]) + timeCommand('cp', [input, path.join(dir, `copy-${mb}-${run}.pdf`)]));
        poppler.push(timeCommand('pdfsig', ['-nssdir', `sql:${peer.nssDir}`, '-add-signature', '-nick', peer.nickname, input, path.join(dir, `peer-${mb}-${run}.pdf`)]));
        for (const f of [out, path.join(dir, `copy-${mb}-${run}.pdf`), path.join(dir, `peer-${mb}-${run}.pdf`)]) fs.rmSync(f, { force: true });
      }
      const median = (xs: number[]) => percentile(xs, 50);
      files[`${mb}MB`] = {
        bytes: size,
        signMs: round(median(ours)),
        floorMs: round(median(floor)),
        pdfsigMs: round(median(poppler)),
        vsFloor: round(median(ours) / median(floor)),
        vsPdfsig: round(median(ours) / median(poppler)),
        peakRssMB: round(rss, 1),
        rssLimitMB: round((2 * size) / 1048576 + 100, 1),
      };
      progress(`${mb} MB: ${JSON.stringify(files[`${mb}MB`])}`);
      fs.rmSync(input);
    }

    progress('batch: 100 one-megabyte PDFs, one login');
    const pairs: string[] = [];
    for (let i = 0; i < 100; i++) {
      const input = path.join(dir, `batch-${i}.pdf`);
      await scannedPdf(input, 1);
      pairs.push(input, path.join(dir, `batch-${i}.signed.pdf`));
    }
    const batch = sign(pairs);
    token.cleanup();

    const big = files['100MB'] as { vsFloor: number; vsPdfsig: number; peakRssMB: number; rssLimitMB: number };
    return {
      benchmark: 'sign',
      files,
      batch100x1MB: { seconds: round(batch.ms / 1000), peakRssMB: round(batch.rssMB, 1) },
      targets: { vsFloor100MB: SIGN_TARGETS.vsFloor100MB, fasterThanPdfsig: true, peakRss: '2 × file + 100 MB', batch100x1MBSeconds: SIGN_TARGETS.batch100x1MBSeconds },
      meets: {
        vsFloor100MB: big.vsFloor <= SIGN_TARGETS.vsFloor100MB,
        fasterThanPdfsig: big.vsPdfsig < 1,
        peakRss: Object.values(files).every((f) => (f as { peakRssMB: number; rssLimitMB: number }).peakRssMB <= (f as { rssLimitMB: number }).rssLimitMB),
        batch: batch.ms / 1000 <= SIGN_TARGETS.batch100x1MBSeconds,
      },
      machine: { node: process.version },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
