// The figures each benchmark gave on the commit it last ran on, kept in baseline.json beside this
// file, so that every run prints them next to its own and a regression shows in the same run.
// `npm run bench -- <name> --record` replaces the entry with the run's figures and the current
// commit; a closing note that reports new figures records them the same way.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vnDate } from '../../main/common/dates.js';

export const BASELINE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline.json');

export interface BaselineEntry {
  /** The commit measured (short hash), with "-dirty" when the run had uncommitted changes. */
  commit: string;
  /** The day of the run, yyyy-MM-dd (Vietnam). */
  date: string;
  /** Where the figures came from when not from a recorded run (a README table, say). */
  note?: string;
  /** The benchmark's JSON result as it printed it. */
  figures: unknown;
}

export type Baseline = Record<string, BaselineEntry>;

export function readBaseline(file = BASELINE_FILE): Baseline {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Baseline;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The entry for `name` replaced by this run's figures, the rest kept; written whole or not at all. */
export function recordBaseline(name: string, figures: unknown, file = BASELINE_FILE): BaselineEntry {
  const entry: BaselineEntry = { commit: currentCommit(file), date: vnDate(), figures };
  const baseline = { ...readBaseline(file), [name]: entry };
  // One benchmark per line: a recorded run shows as one changed line in the diff.
  const lines = Object.entries(baseline).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const tmp = `${file}.${process.pid}.part`;
  fs.writeFileSync(tmp, `{\n${lines.join(',\n')}\n}\n`);
  fs.renameSync(tmp, file);
  return entry;
}

/** HEAD's short hash, "-dirty" when tracked files other than the baseline differ from it; "unknown" outside git. */
function currentCommit(baselineFile: string): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: path.dirname(baselineFile), encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  const top = git('rev-parse', '--show-toplevel');
  if (head.status !== 0 || top.status !== 0) return 'unknown';
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', `:(top,exclude)${path.relative(top.stdout.trim(), baselineFile)}`);
  return `${head.stdout.trim()}${changed.stdout.trim() ? '-dirty' : ''}`;
}
