// eoffice axis serve: runs the reference document axis (test/axis) for developers. The server is a
// development tool kept out of the shipped app, so it is loaded at run time from a source
// checkout, never bundled; a packaged install says so instead of failing obscurely.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ServeArgs, serveFromArgs } from '../../test/axis/serve.js';
import { CliError } from './tokenCommands.js';

export const AXIS_USAGE = `Usage: eoffice axis serve --port <n> --db <file> --agencies <file.json>
       [--fail-rate <0..1>] [--delay-ms <n>] [--drop-rate <0..1>] [--duplicate-rate <0..1>]
  runs the reference document axis on 127.0.0.1 (a development tool; source checkout only).
  --port 0 picks a free port; the line "axis listening on <url>" tells which.
  agencies file: [{"code": "000.00.01.H99", "name": "…", "systemId": "…", "secret": "…"}, …]`;

function rate(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new CliError(`--${name} must be a number from 0 to 1, not "${value}"`);
  return n;
}

function wholeNumber(value: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max) throw new CliError(`--${name} must be a whole number up to ${max}, not "${value}"`);
  return n;
}

/** Where test/axis/serve.ts is: beside this file in the source tree, beside the bundle in dist/cli, or under the working folder. */
function findServeModule(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../test/axis/serve.ts'), path.resolve(process.cwd(), 'test/axis/serve.ts')];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new CliError('the reference axis server is a development tool available only in a source checkout of eOffice (test/axis/serve.ts); run this command from the repository');
  return found;
}

/** `argv` is everything after `axis` on the command line, options included. */
export async function runAxis(argv: string[], out: (line: string) => void): Promise<number> {
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
    throw new CliError(`${(error as Error).message}\n${AXIS_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(AXIS_USAGE);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'serve') throw new CliError(`usage: eoffice axis serve --port <n> --db <file> --agencies <file.json> (see eoffice axis --help)`);
  const port = wholeNumber(values.port, 'port', 65535);
  if (port === undefined || !values.db || !values.agencies) throw new CliError('axis serve needs --port <n> (0 for any free port), --db <file> and --agencies <file.json>');
  const args: ServeArgs = {
    port,
    db: path.resolve(values.db),
    agencies: path.resolve(values.agencies),
    failRate: rate(values['fail-rate'], 'fail-rate'),
    delayMs: wholeNumber(values['delay-ms'], 'delay-ms'),
    dropRate: rate(values['drop-rate'], 'drop-rate'),
    duplicateRate: rate(values['duplicate-rate'], 'duplicate-rate'),
  };
  const modulePath = findServeModule();
  // The plain-node bundle (dist/cli) has no TypeScript loader; the source CLI already has one.
  const { register } = await import('tsx/esm/api');
  register();
  // A computed specifier, so that esbuild leaves the import to run time instead of bundling it.
  const serve = (await import(pathToFileURL(modulePath).href)) as { serveFromArgs: typeof serveFromArgs };
  return serve.serveFromArgs(args, out);
}
