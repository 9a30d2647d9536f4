// eoffice --host <url> --user <login>: the commands that work through the API contract, run on an
// office host as that person (issue 15) — signed in with the password from EOFFICE_PASSWORD or
// typed, the host's certificate pinned in this PC's data folder on the first connection, once the
// person has compared its fingerprint with the one `eoffice serve` printed (--fingerprint).
// What a command would need of this PC's own core (its settings, its tokens, its files) is refused
// in one line instead of being done on the wrong machine.
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core/app/core.js';
import { AppEvents } from '../core/app/events.js';
import type { Handlers } from '../core/api/invoke.js';
import { firstLook, OfficeConnection, type HostIdentity } from '../core/office/officeClient.js';
import { fingerprintOf, fingerprintWords } from '../core/office/hostCertificate.js';
import { writeFileDurably } from '../core/storage/durableFile.js';
import { ensurePrivateDataDir } from '../core/paths/dataDir.js';
import { METHOD_NAMES } from '../common/channels.js';
import { CliError, UsageError } from './cliError.js';
import { readPassword } from './secretInput.js';

/** The commands that only call the contract, and so can run on a host. */
export const HOST_COMMANDS = ['import', 'list', 'search', 'audit', 'users', 'out', 'book', 'in', 'report'];

function pinsFile(dataDir: string): string {
  return path.join(dataDir, 'office', 'pinned-hosts.json');
}

function readPins(dataDir: string): Record<string, string> {
  try {
    return JSON.parse(fs.readFileSync(pinsFile(dataDir), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

async function pinnedIdentity(dataDir: string, url: URL, given: string | undefined): Promise<HostIdentity> {
  const pins = readPins(dataDir);
  const kept = pins[url.origin];
  if (kept) return { certPem: kept, fingerprint256: fingerprintOf(kept) };
  const seen = await firstLook(url.href);
  if (!given) {
    throw new CliError(`first connection to ${url.host}: its certificate is ${seen.fingerprint256} (“${fingerprintWords(seen.fingerprint256)}”); compare it with what eoffice serve printed on the host, then run again with --fingerprint ${seen.fingerprint256}`);
  }
  if (given.trim().toUpperCase() !== seen.fingerprint256) {
    throw new CliError(`the host at ${url.host} shows the certificate ${seen.fingerprint256}, not the one given: do not connect, and ask the administrator to compare the fingerprint on the host`);
  }
  ensurePrivateDataDir(dataDir);
  fs.mkdirSync(path.dirname(pinsFile(dataDir)), { recursive: true, mode: 0o700 });
  writeFileDurably(pinsFile(dataDir), `${JSON.stringify({ ...pins, [url.origin]: seen.certPem }, null, 2)}\n`, 0o600);
  return seen;
}

/** A stand-in for the core whose handlers are the host's methods, called as `login`. */
export async function connectToHost(dataDir: string, host: string, login: string | undefined, fingerprint: string | undefined): Promise<Core> {
  if (!login) throw new UsageError('--host needs --user <login>: the account the command acts as');
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new UsageError(`--host takes the host's address as eoffice serve printed it (https://…:8443/), not "${host}"`);
  }
  if (url.protocol !== 'https:') throw new UsageError('--host is an https:// address: the office host serves nothing else');
  const connection = new OfficeConnection(url.href, await pinnedIdentity(dataDir, url, fingerprint));
  await connection.signIn(login, await readPassword(login));
  const handlers = Object.fromEntries(METHOD_NAMES.map((method) => [method, (input: unknown) => connection.call(method, input)])) as unknown as Handlers;
  const remote = { handlers, events: new AppEvents(), close: () => connection.signOut().catch(() => undefined) };
  return new Proxy(remote, {
    get(target, property) {
      if (property in target) return target[property as keyof typeof target];
      // `then` is asked when the object is awaited; it has none.
      if (property === 'then') return undefined;
      throw new CliError('this command needs this PC\'s own data folder (its settings, tokens or files): run it without --host');
    },
  }) as unknown as Core;
}
