// Small helpers shared by the benchmarks.
import { performance } from 'node:perf_hooks';

/** Nearest-rank percentile (p in 0..100) of a list of samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Runs fn and returns its result with the elapsed wall time in milliseconds. */
export function timed<T>(fn: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = fn();
  return { result, ms: performance.now() - start };
}

/**
 * Runs fn and returns its result with the elapsed wall time and the process's CPU time (user +
 * system, all threads) in milliseconds. CPU time barely moves with the machine's load, so it
 * shows a change of the code where wall time on a shared machine does not.
 */
export function timedWithCpu<T>(fn: () => T): { result: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const { result, ms } = timed(fn);
  const used = process.cpuUsage(cpu);
  return { result, ms, cpuMs: (used.user + used.system) / 1000 };
}

export function peakRssMB(): number {
  // maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

/** Progress goes to stderr: stdout carries only the JSON result. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Reads `--name value` (or `--name=value`) from an argument list. */
export function option(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}
