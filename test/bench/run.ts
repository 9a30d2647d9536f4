// Benchmark runner: `npm run bench -- <name> [options]`. The result is one JSON object on
// stdout; progress and details go to stderr, so `npm run bench -- registry > result.json` works.
import { runRegistryBenchmark } from './registry.js';
import { runSignBenchmark } from './sign.js';
import { runIssueBenchmark } from './issue.js';
import { runSyncBenchmark } from './sync.js';
import { runVerifyBenchmark } from './verify.js';
import { runReportBenchmark } from './report.js';
import { runCliBenchmark } from './cli.js';

const BENCHMARKS: Record<string, (args: readonly string[]) => unknown> = {
  registry: runRegistryBenchmark,
  sign: runSignBenchmark,
  issue: runIssueBenchmark,
  sync: runSyncBenchmark,
  verify: runVerifyBenchmark,
  report: runReportBenchmark,
  cli: runCliBenchmark,
};

const [name, ...args] = process.argv.slice(2);
const bench = name === undefined ? undefined : BENCHMARKS[name];
if (!bench) {
  const known = Object.keys(BENCHMARKS).join(', ');
  console.error(name === undefined ? `usage: npm run bench -- <name> [options]; benchmarks: ${known}` : `unknown benchmark "${name}"; benchmarks: ${known}`);
  process.exit(1);
}
try {
  const result = await bench(args);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
