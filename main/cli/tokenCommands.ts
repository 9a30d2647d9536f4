// eoffice tokens / eoffice sign: the token capabilities for IT staff and scripts.
// The PIN comes from EOFFICE_PIN or is typed at a prompt that does not echo; it is never an
// argument, so it never shows in the process list or the shell history.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../common/errors.js';
import { findModules, loadModule, type LoadedModule } from '../core/token/modules.js';
import { listTokens } from '../core/token/tokens.js';
import { openTokenSession, type TokenSigningKey } from '../core/token/session.js';
import { signBatch } from '../core/pades/batch.js';
import type { AppearanceSpec, Rect } from '../core/pades/appearance.js';
import { formatDateVn } from '../common/dates.js';

export class CliError extends Error {}

export interface TokenCommandOptions {
  module?: string;
  token?: string;
  cert?: string;
  as?: string;
  image?: string;
  page?: string;
  rect?: string;
  invisible?: boolean;
  output?: string;
  'agency-name'?: string;
  notation?: string;
  reason?: string;
  location?: string;
  'confirm-final-try'?: boolean;
  tsa?: string;
  json?: boolean;
}

function modulesToUse(option: string | undefined): string[] {
  if (option) return [option];
  const found = findModules();
  if (found.length === 0) throw new CliError('no PKCS#11 module found; install your CA’s token middleware or pass --module <library>');
  return found;
}

export async function runTokens(options: TokenCommandOptions, out: (line: string) => void): Promise<number> {
  const listings = [];
  for (const modulePath of modulesToUse(options.module)) {
    let module: LoadedModule;
    try {
      module = loadModule(modulePath);
    } catch (error) {
      if (options.module) throw error;
      continue; // Searching: a known path that does not load is not this machine's middleware.
    }
    try {
      for (const token of listTokens(module.pkcs11)) listings.push({ module: modulePath, ...token });
    } finally {
      module.release();
    }
  }
  if (options.json) {
    out(JSON.stringify(listings.map((t) => ({ ...t, certificates: t.certificates.map(({ der: _der, ...facts }) => facts) }))));
    return 0;
  }
  if (listings.length === 0) out('No token is plugged in.');
  for (const token of listings) {
    const pin = token.pin.locked ? ' — PIN LOCKED' : token.pin.finalTry ? ' — one PIN try left' : token.pin.countLow ? ' — a wrong PIN was entered' : '';
    out(`${token.label} (serial ${token.serial}, ${token.manufacturer} ${token.model}) via ${path.basename(token.module)}${pin}`);
    for (const cert of token.certificates) {
      const warning = cert.warning === 'ok' ? '' : ` [${cert.warning}]`;
      out(`  ${cert.subjectCommonName ?? cert.subject} — issuer ${cert.issuerCommonName ?? cert.issuer}, serial ${cert.serialNumber}, valid ${formatDateVn(cert.validFrom)}–${formatDateVn(cert.validTo)}, id ${cert.id}${warning}`);
    }
    if (token.problem) out(`  (${token.problem.message})`);
  }
  return 0;
}

async function readPin(): Promise<string> {
  const fromEnv = process.env.EOFFICE_PIN;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new CliError('no PIN: set EOFFICE_PIN or run eoffice sign in a terminal to type it');
  process.stderr.write('PIN: ');
  process.stdin.setRawMode(true);
  process.stdin.resume();
  return new Promise((resolve, reject) => {
    let pin = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(pin));
        if (ch === '\u0003') return finish(() => reject(new CliError('cancelled')));
        if (ch === '\u007f' || ch === '\b') pin = pin.slice(0, -1);
        else pin += ch;
      }
    };
    const finish = (done: () => void) => {
      process.stdin.off('data', onData);
      process.stdin.setRawMode(false);
      process.stdin.pause();
      process.stderr.write('\n');
      done();
    };
    process.stdin.on('data', onData);
  });
}

export function parseRect(text: string | undefined): Rect {
  const parts = (text ?? '').split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) || parts[2]! <= 0 || parts[3]! <= 0) {
    throw new CliError('--rect must be x,y,width,height in points, e.g. --rect 330,120,180,72');
  }
  return parts as Rect;
}

function appearanceFrom(options: TokenCommandOptions, agencyName: string): AppearanceSpec {
  if (options.invisible) return { kind: 'invisible' };
  const role = options.as ?? 'signer';
  const page = options.page === undefined ? 1 : Number(options.page);
  if (!Number.isInteger(page) || page < 1) throw new CliError('--page must be a page number from 1');
  const image = options.image ? new Uint8Array(fs.readFileSync(options.image)) : undefined;
  switch (role) {
    case 'signer':
      return { kind: 'signer', page, rect: parseRect(options.rect), image };
    case 'agency':
      if (!agencyName) throw new CliError('--agency-name is required to sign as the agency');
      return { kind: 'agency', page, rect: parseRect(options.rect), sealImage: image, agencyName };
    case 'attachment':
      if (!agencyName || !options.notation) throw new CliError('--agency-name and --notation (the main document’s number) are required for an attachment');
      return { kind: 'attachment', agencyName, mainNotation: options.notation };
    default:
      throw new CliError(`--as must be signer, agency or attachment, not "${role}"`);
  }
}

function outputsFor(inputs: string[], output: string | undefined): Array<{ input: string; output: string }> {
  if (!output) throw new CliError('-o <file or folder> is required: the signed copy is never written over the original');
  const isFolder = (fs.existsSync(output) && fs.statSync(output).isDirectory()) || inputs.length > 1;
  if (isFolder) {
    fs.mkdirSync(output, { recursive: true });
    return inputs.map((input) => ({ input, output: path.join(output, path.basename(input).replace(/(\.pdf)?$/i, '.signed.pdf')) }));
  }
  return [{ input: inputs[0]!, output }];
}

/**
 * Runs `use` with a signing key of the token named by --token, logged in with the PIN from
 * EOFFICE_PIN or the prompt; the session is closed and the module released whatever happens.
 */
export async function withTokenKey<T>(options: TokenCommandOptions, use: (key: TokenSigningKey) => Promise<T>): Promise<T> {
  if (!options.token) throw new CliError('--token <label> is required: say which token signs');
  const modulePath = modulesToUse(options.module)[0]!;
  const module = loadModule(modulePath);
  const session = openTokenSession(module.pkcs11, { label: options.token }, { pinProvider: readPin });
  try {
    const login = await session.login(await readPin(), { confirmFinalTry: options['confirm-final-try'] ?? false });
    if (login.warning === 'PIN_COUNT_LOW') process.stderr.write('eoffice: warning: a wrong PIN was entered on this token before; few tries are left\n');
    const certificates = await session.certificates();
    const chosen = options.cert ?? certificates.find((c) => c.canSign && c.warning !== 'expired')?.id;
    if (!chosen) throw new CliError('no usable signing certificate on the token; pass --cert <serial or id>');
    return await use(await session.signingKey(chosen));
  } catch (error) {
    if (error instanceof AppError || error instanceof CliError) throw error;
    throw new AppError('INTERNAL', (error as Error).message);
  } finally {
    await session.close();
    module.release();
  }
}

export async function runSign(inputs: string[], options: TokenCommandOptions, out: (line: string) => void): Promise<number> {
  if (inputs.length === 0) throw new CliError('sign needs at least one PDF file');
  if (!options.token) throw new CliError('--token <label> is required: say which token signs');
  const items = outputsFor(inputs, options.output);
  const appearance = appearanceFrom(options, options['agency-name'] ?? '');
  return withTokenKey(options, async (key) => {
    const timestamp = options.tsa ? { url: options.tsa } : undefined;
    const results = await signBatch(items, { key, appearance, reason: options.reason, location: options.location, timestamp });
    let failed = 0;
    for (const result of results) {
      if (result.status === 'signed') {
        const level = result.timestampProblem ? `${result.level}, not timestamped: ${result.timestampProblem}` : result.level;
        out(options.json ? JSON.stringify(result) : `✓ ${result.input} → ${result.output} (PAdES ${level})`);
      } else {
        failed++;
        out(options.json ? JSON.stringify(result) : `✗ ${result.input}: ${result.error.message}`);
      }
    }
    if (failed) throw new CliError(`${failed} of ${results.length} document(s) were not signed`);
    return 0;
  });
}
