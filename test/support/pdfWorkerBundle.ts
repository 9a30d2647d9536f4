// Tests and benchmarks that bundle the app's code (to run it as it ships, without tsx) need the
// PDF worker beside their bundle too: a bundle starts it from pdfWorker.mjs next to itself
// (main/core/pdfWorker/pdfWorker.ts). It is written by the app's own build step.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './fixtures.js';

type Build = { buildPdfWorker(outdir: string, options?: { quiet?: boolean }): Promise<void> };

/** Writes pdfWorker.mjs into the folder of `bundle`. */
export async function writePdfWorkerBeside(bundle: string): Promise<void> {
  const build = (await import(pathToFileURL(path.join(REPO_ROOT, 'main/build/build.mjs')).href)) as Build;
  await build.buildPdfWorker(path.dirname(bundle), { quiet: true });
}
