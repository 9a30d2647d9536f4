// `npm run axis -- serve …`: the reference axis as a long-running process for developers, until
// SIGINT or SIGTERM. A development tool of the source checkout: nothing the app ships loads it.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startAxisServer, type AxisServerAgency } from './server.js';
import { runAsScript, untilStopped, UsageError } from '../support/devServe.js';

export const AXIS_USAGE = `Usage: npm run axis -- serve --port <n> --db <file> --agencies <file.json>
       [--fail-rate <0..1>] [--delay-ms <n>] [--drop-rate <0..1>] [--duplicate-rate <0..1>]
  runs the reference document axis on 127.0.0.1 (a development tool of the source checkout).
  --port 0 picks a free port; the line "axis listening on <url>" tells which.
  agencies file: [{"code": "000.00.01.H99", "name": "…", "systemId": "…", "secret": "…"}, …]`;

export { UsageError };

export interface ServeArgs {
  port: number;
  db: string;
  /** A JSON file: [{code, name, systemId, secret}, …]. */
  agencies: string;
  failRate?: number;
  delayMs?: number;
  dropRate?: number;
  duplicateRate?: number;
}

function rate(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${name} must be a number from 0 to 1, not "${value}"`);
  return n;
}

function wholeNumber(value: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max) throw new UsageError(`--${name} must be a whole number up to ${max}, not "${value}"`);
  return n;
}

/** The options of `serve`; `--help` is null (the usage is printed instead). */
export function parseServeArgs(argv: string[]): ServeArgs | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        agencies: { type: 'string' },
        'fail-rate': { type: 'string' },
        'delay-ms': { type: 'string' },
        'drop-rate': { type: 'string' },
        'duplicate-rate': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${AXIS_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length !== 1 || positionals[0] !== 'serve') throw new UsageError('usage: npm run axis -- serve --port <n> --db <file> --agencies <file.json> (see npm run axis -- --help)');
  const port = wholeNumber(values.port, 'port', 65535);
  if (port === undefined || !values.db || !values.agencies) throw new UsageError('serve needs --port <n> (0 for any free port), --db <file> and --agencies <file.json>');
  return {
    port,
    db: path.resolve(values.db),
    agencies: path.resolve(values.agencies),
    failRate: rate(values['fail-rate'], 'fail-rate'),
    delayMs: wholeNumber(values['delay-ms'], 'delay-ms'),
    dropRate: rate(values['drop-rate'], 'drop-rate'),
    duplicateRate: rate(values['duplicate-rate'], 'duplicate-rate'),
  };
}

function readAgencies(file: string): AxisServerAgency[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the agencies file ${file}: ${(error as Error).message}`);
  }
  const fields = ['code', 'name', 'systemId', 'secret'] as const;
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`${file} must hold a non-empty JSON array of {code, name, systemId, secret}`);
  return parsed.map((entry: unknown, index) => {
    const record = entry as Record<string, unknown>;
    const missing = fields.filter((field) => typeof record?.[field] !== 'string' || record[field] === '');
    if (missing.length > 0) throw new Error(`${file}: agency ${index + 1} lacks ${missing.join(', ')}`);
    return { code: record['code'] as string, name: record['name'] as string, systemId: record['systemId'] as string, secret: record['secret'] as string };
  });
}

export async function serveFromArgs(args: ServeArgs, out: (line: string) => void): Promise<number> {
  const server = await startAxisServer({
    port: args.port,
    dbPath: args.db,
    agencies: readAgencies(args.agencies),
    failRate: args.failRate,
    delayMs: args.delayMs,
    dropRate: args.dropRate,
    duplicateRate: args.duplicateRate,
  });
  out(`axis listening on ${server.url}`);
  const signal = await untilStopped();
  await server.close();
  out(`axis stopped (${signal})`);
  return 0;
}

/** `argv` is what follows `npm run axis --`. */
export async function runAxisCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const args = parseServeArgs(argv);
  if (args === null) {
    out(AXIS_USAGE);
    return 0;
  }
  return serveFromArgs(args, out);
}

runAsScript(import.meta.url, 'axis', runAxisCommand);
