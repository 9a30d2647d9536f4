// `npm run remote-signer -- serve …`: the reference remote signing service as a long-running
// process for developers, until SIGINT or SIGTERM. A development tool of the source checkout:
// nothing the app ships loads it.
//
// At start it makes a SoftHSM token with test keys (test/support/softhsm.ts) and writes into the
// --keys folder what a client needs to be configured against it (files listed in KEYS_FILES). The
// token itself lives in SoftHSM's temporary folder for the life of the process: its PIN exists
// only in memory, and a token kept across runs would need its PIN stored somewhere.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTestToken } from '../support/softhsm.js';
import { IDENTITIES } from './core.js';
import { startRemoteSigner } from './server.js';
import { runAsScript, untilStopped, UsageError } from '../support/devServe.js';

export const REMOTE_SIGNER_USAGE = `Usage: npm run remote-signer -- serve --port <n> --keys <dir> [--mss-port <n>] [--expires-in <seconds>]
  runs the reference remote signing service (VNPT SmartCA, CSC API v2, ETSI MSS) on 127.0.0.1,
  with keys on a SoftHSM token made at start (a development tool of the source checkout).
  --port 0 picks a free port; the line "remote signer listening on <url>" tells which.
  --mss-port: the MSS listener (HTTPS, client certificate required); any free port by default.
  --keys <dir>: an empty or new folder; it receives ca.pem, ap-client.pem, ap-client.key,
  signer.der, agency.der and credentials.json, and is emptied again at exit.`;

/** The files serve writes into --keys (and removes at exit). */
export const KEYS_FILES = ['ca.pem', 'ap-client.pem', 'ap-client.key', 'signer.der', 'agency.der', 'credentials.json'] as const;

export { UsageError };

export interface ServeArgs {
  port: number;
  keys: string;
  mssPort?: number;
  expiresInSeconds?: number;
}

function wholeNumber(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
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
        keys: { type: 'string' },
        'mss-port': { type: 'string' },
        'expires-in': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${REMOTE_SIGNER_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length !== 1 || positionals[0] !== 'serve') throw new UsageError('usage: npm run remote-signer -- serve --port <n> --keys <dir> (see npm run remote-signer -- --help)');
  const port = wholeNumber(values.port, 'port', 0, 65535);
  if (port === undefined || !values.keys) throw new UsageError('serve needs --port <n> (0 for any free port) and --keys <dir>');
  return {
    port,
    keys: path.resolve(values.keys),
    mssPort: wholeNumber(values['mss-port'], 'mss-port', 0, 65535),
    expiresInSeconds: wholeNumber(values['expires-in'], 'expires-in', 1, 86_400),
  };
}

/** The --keys folder, new or empty: files of an earlier run would describe a token that is gone. */
function prepareKeysFolder(dir: string): void {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new Error(`--keys ${dir} is a file, not a folder`);
    if (fs.readdirSync(dir).length > 0) throw new Error(`--keys ${dir} is not empty; give a new or empty folder`);
  } else fs.mkdirSync(dir, { recursive: true });
}

export async function serveFromArgs(args: ServeArgs, out: (line: string) => void): Promise<number> {
  prepareKeysFolder(args.keys);
  const token = await createTestToken({ label: 'remote-signer' });
  const clientSecret = randomBytes(24).toString('base64url');
  const apPassword = randomBytes(24).toString('base64url');
  let signer;
  let signal: NodeJS.Signals;
  try {
    signer = await startRemoteSigner({ token, clientSecret, apPassword, port: args.port, mssPort: args.mssPort, expiresInSeconds: args.expiresInSeconds });
  } catch (error) {
    token.cleanup();
    throw error;
  }
  const write = (name: (typeof KEYS_FILES)[number], content: string | Uint8Array, secret = false) =>
    fs.writeFileSync(path.join(args.keys, name), content, secret ? { mode: 0o600 } : {});
  try {
    write('ca.pem', signer.mssTls.caPem);
    write('ap-client.pem', signer.mssTls.clientCertPem);
    write('ap-client.key', signer.mssTls.clientKeyPem, true);
    write('signer.der', token.signerCertDer);
    write('agency.der', token.agencyCertDer);
    const credentials = { clientId: IDENTITIES.clientId, clientSecret, apId: IDENTITIES.apId, apPassword, smartcaUsers: IDENTITIES.smartcaUsers, cscUsers: IDENTITIES.cscUsers, msisdns: Object.keys(IDENTITIES.msisdns) };
    write('credentials.json', JSON.stringify(credentials, null, 2), true);

    out(`remote signer listening on ${signer.url}`);
    out(`MSS listening on ${signer.mssUrl}`);
    out(`client files (CA, AP certificate, credentials) in ${args.keys}`);
    signal = await untilStopped();
  } finally {
    await signer.close();
    token.cleanup();
    for (const name of KEYS_FILES) fs.rmSync(path.join(args.keys, name), { force: true });
  }
  out(`remote signer stopped (${signal})`);
  return 0;
}

/** `argv` is what follows `npm run remote-signer --`. */
export async function runRemoteSignerCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const args = parseServeArgs(argv);
  if (args === null) {
    out(REMOTE_SIGNER_USAGE);
    return 0;
  }
  return serveFromArgs(args, out);
}

runAsScript(import.meta.url, 'remote-signer', runRemoteSignerCommand);
