// Benchmark runner: `npm run bench -- <name> [options] [--record]`. The result is one JSON object on
// stdout, with `previous`: the figures of the commit the benchmark last ran on (baseline.json), so
// that a regression shows in the same run; --record makes this run's figures the new baseline.
// Progress and details go to stderr, so `npm run bench -- registry > result.json` works.
import { readBaseline, recordBaseline } from './baseline.js';

// Each benchmark's code is loaded only when it runs: loading them all put pdf.js and ECharts (and,
// under tsx, their source maps) into every benchmark's process, 220 MB before the registry
// benchmark's first insert and a heap that let its garbage grow further (issue 19).
const BENCHMARKS: Record<string, () => Promise<(args: readonly string[]) => unknown>> = {
  registry: async () => (await import('./registry.js')).runRegistryBenchmark,
  sign: async () => (await import('./sign.js')).runSignBenchmark,
  issue: async () => (await import('./issue.js')).runIssueBenchmark,
  'remote-sign': async () => (await import('./remoteSign.js')).runRemoteSignBenchmark,
  sync: async () => (await import('./sync.js')).runSyncBenchmark,
  verify: async () => (await import('./verify.js')).runVerifyBenchmark,
  report: async () => (await import('./report.js')).runReportBenchmark,
  cli: async () => (await import('./cli.js')).runCliBenchmark,
  office: async () => (await import('./office.js')).runOfficeBenchmark,
};

const [name, ...rest] = process.argv.slice(2);
const record = rest.includes('--record');
const args = rest.filter((a) => a !== '--record');
const load = name === undefined ? undefined : BENCHMARKS[name];
if (!load) {
  const known = Object.keys(BENCHMARKS).join(', ');
  console.error(name === undefined ? `usage: npm run bench -- <name> [options] [--record]; benchmarks: ${known}` : `unknown benchmark "${name}"; benchmarks: ${known}`);
  process.exit(1);
}
try {
  const previous = readBaseline()[name!] ?? null;
  const result = await (await load())(args);
  if (record) {
    const entry = recordBaseline(name!, result);
    console.error(`[bench] recorded as the baseline of ${name} (${entry.commit}, ${entry.date})`);
  }
  process.stdout.write(`${JSON.stringify({ ...(result as object), previous })}\n`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
