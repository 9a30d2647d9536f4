// eoffice tokens / eoffice sign: the token capabilities for IT staff and scripts.
// The PIN comes from EOFFICE_PIN or is typed at a prompt that does not echo; it is never an
// argument, so it never shows in the process list or the shell history.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../common/errors.js';
import { assertAgencyCertificate } from '../common/agencyCertificate.js';
import { CliError } from './cliError.js';
import { signerOption, tokenOptions } from './signerCommands.js';
import { readPin } from './secretInput.js';
import { findModules, loadModule, type LoadedModule } from '../core/token/modules.js';
import { addUserModule } from '../core/token/userModules.js';
import type { Core } from '../core/app/core.js';
import { listTokens } from '../core/token/tokens.js';
import { openTokenSession, type TokenSigningKey } from '../core/token/session.js';
import type { BatchItem } from '../core/pades/batch.js';
import { signFiles, type FileSigningOptions } from '../core/signing/signFiles.js';
import { withSignerKey } from '../core/signing/signers.js';
import type { SignerKey } from '../core/signing/signerKey.js';
import { formatSignerChoice } from '../common/signerChoice.js';
import type { AppearanceSpec, Rect } from '../core/pades/appearance.js';
import type { SignaturePlace } from '../core/pades/signaturePlace.js';
import { pdfWorker } from '../core/pdfWorker/pdfWorker.js';
import type { Output, SignerChoice } from '../common/contract.js';
import { formatDateVn } from '../common/dates.js';

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

/**
 * eoffice tokens add-module <library>: the terminal's way to add a token library, typed by the
 * person at the computer rather than sent by a page (see core/token/userModules.ts). Loaded
 * first, so that a wrong file is refused with the reason, then saved in the data folder's settings.
 */
export function runAddModule(core: Core, args: string[], out: (line: string) => void): number {
  const [modulePath, ...extra] = args;
  if (!modulePath || extra.length > 0) throw new CliError('usage: eoffice tokens add-module <library> — the full path of the CA’s PKCS#11 library');
  addUserModule(core.tokens, core.settings, modulePath);
  out(`added ${modulePath}`);
  return 0;
}

export function parseRect(text: string | undefined): Rect {
  const parts = (text ?? '').split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) || parts[2]! <= 0 || parts[3]! <= 0) {
    throw new CliError('--rect must be x,y,width,height in points, e.g. --rect 330,120,180,72');
  }
  return parts as Rect;
}

/**
 * A visible signature without --rect: placed on each document's own signature block (on the
 * last page that has one, or on --page) once the signer's name is known, from the token.
 */
interface UnplacedAppearance {
  kind: 'unplaced';
  role: 'signer' | 'agency';
  page?: number;
  at(page: number, rect: Rect): AppearanceSpec;
}

function appearanceFrom(options: TokenCommandOptions, agencyName: string, dataDir: string): AppearanceSpec | UnplacedAppearance {
  if (options.invisible) return { kind: 'invisible' };
  const role = options.as ?? 'signer';
  const page = options.page === undefined ? undefined : Number(options.page);
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) throw new CliError('--page must be a page number from 1');
  const image = options.image ? new Uint8Array(fs.readFileSync(options.image)) : undefined;
  // With --rect where it says (page 1 unless --page), else on the signature block.
  const placed = (signsAs: UnplacedAppearance['role'], at: UnplacedAppearance['at']): AppearanceSpec | UnplacedAppearance =>
    options.rect === undefined ? { kind: 'unplaced', role: signsAs, page, at } : at(page ?? 1, parseRect(options.rect));
  const noAgencyName = () =>
    new CliError(`signing as the agency needs its name: pass --agency-name "…", or set it in the data folder (${dataDir}) with eoffice config set agency.name "…"`);
  switch (role) {
    case 'signer':
      return placed('signer', (at, rect) => ({ kind: 'signer', page: at, rect, image }));
    case 'agency':
      if (!agencyName) throw noAgencyName();
      return placed('agency', (at, rect) => ({ kind: 'agency', page: at, rect, sealImage: image, agencyName }));
    case 'attachment':
      if (!agencyName) throw noAgencyName();
      if (!options.notation) throw new CliError('--notation <number/notation> of the main document is required for an attachment');
      return { kind: 'attachment', agencyName, mainNotation: options.notation };
    default:
      throw new CliError(`--as must be signer, agency or attachment, not "${role}"`);
  }
}

/**
 * The data folder's agency.name, read as the other commands read it; '' when it is unset or when
 * the folder has no registry yet: signing works on files, and never creates a data folder.
 */
async function dataFolderAgencyName(dataDir: string): Promise<string> {
  const { databasePath, openCore } = await import('../core/app/core.js');
  if (!fs.existsSync(databasePath(dataDir))) return '';
  const core = openCore({ dataDir, shell: 'cli' });
  try {
    const { invoke } = await import('../core/api/invoke.js');
    const envelope = await invoke(core.handlers, 'agency.get', {}, () => undefined);
    if (!envelope.ok) throw new CliError(envelope.error.message);
    return (envelope.result as Output<'agency.get'>).name.trim();
  } finally {
    core.close();
  }
}

/**
 * Each document's appearance on its own signature block, all found before any is signed: a
 * document without one refuses the command, saying how to place the signature, and nothing is
 * written. pdf.js reads the page in the PDF worker, as it reads every untrusted file.
 */
async function placeOnSignatureBlocks(items: BatchItem[], appearance: UnplacedAppearance, signerName: string | null): Promise<BatchItem[]> {
  const placed: BatchItem[] = [];
  for (const item of items) {
    const fileName = path.basename(item.input);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(fs.readFileSync(item.input));
    } catch (error) {
      throw new CliError(`cannot read ${item.input} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const place = await pdfWorker().run('signaturePlace', { bytes, fileName, role: appearance.role, page: appearance.page, signerName: signerName ?? undefined }, fileName);
    if (!place.found) throw new CliError(noPlaceMessage(item.input, appearance.role, signerName, place, appearance.page === undefined));
    placed.push({ ...item, appearance: appearance.at(place.page, place.rect) });
  }
  return placed;
}

function noPlaceMessage(input: string, role: UnplacedAppearance['role'], signerName: string | null, place: Extract<SignaturePlace, { found: false }>, everyPage: boolean): string {
  const where = everyPage ? `any of its ${place.pages} page(s)` : `page ${place.page}`;
  const what = role === 'signer' ? `no signature block with the name "${signerName ?? '?'}" (the certificate's holder)` : 'no signature of the competent person and no signature block';
  return `${input}: ${what} on ${where}; place the signature with --page N --rect x,y,w,h (points from the bottom-left corner), or sign with --invisible`;
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

/** `dataDir`: the data folder whose agency.name (and remote signers) serve here; never created here. */
export async function runSign(inputs: string[], given: TokenCommandOptions & { signer?: string }, out: (line: string) => void, dataDir: string): Promise<number> {
  if (inputs.length === 0) throw new CliError('sign needs at least one PDF file');
  // --signer token:… is --token [--cert]; another signer is one of the data folder's remote services.
  const choice = signerOption(given);
  const options = choice?.kind === 'token' ? tokenOptions(given, choice) : given;
  if (!choice && !options.token) throw new CliError('--token <label> or --signer <choice> is required: say who signs (eoffice signers lists them)');
  const items = outputsFor(inputs, options.output);
  // The files are read in the PDF worker before they are signed: its start overlaps the token's login.
  pdfWorker().prepare('signingStructure');
  const asAgency = !options.invisible && (options.as === 'agency' || options.as === 'attachment');
  const agencyName = options['agency-name'] ?? (asAgency ? await dataFolderAgencyName(dataDir) : '');
  const appearance = appearanceFrom(options, agencyName, dataDir);
  const sign = async (key: SignerKey, phone: { signal?: AbortSignal; onWaiting?: FileSigningOptions['onWaiting'] } = {}) => {
    // The agency's name on the page takes the agency's own certificate, not a person's.
    if (asAgency) assertAgencyCertificate(key.facts, agencyName);
    const timestamp = options.tsa ? { url: options.tsa } : undefined;
    const unplaced = appearance.kind === 'unplaced';
    const signing = unplaced ? await placeOnSignatureBlocks(items, appearance, key.facts.subjectCommonName) : items;
    const results = await signFiles(signing, { key, appearance: unplaced ? undefined : appearance, reason: options.reason, location: options.location, timestamp, ...phone });
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
  };
  if (!choice || choice.kind === 'token') return withTokenKey(options, (key) => sign(key));
  return withRemoteKey(dataDir, choice, sign);
}

/**
 * Runs `use` with a remote identity of the data folder's signing services: says it waits for the
 * phone and what the phone shows; Ctrl+C stops the wait, and nothing is written.
 */
async function withRemoteKey<T>(dataDir: string, choice: Exclude<SignerChoice, { kind: 'token' }>, use: (key: SignerKey, phone: { signal: AbortSignal; onWaiting: FileSigningOptions['onWaiting'] }) => Promise<T>): Promise<T> {
  const { databasePath, openCore } = await import('../core/app/core.js');
  if (!fs.existsSync(databasePath(dataDir))) throw new CliError(`no remote signing service is set up in ${dataDir}: eoffice config set signer.${choice.kind}.… first (or pass --data-dir)`);
  const core = openCore({ dataDir, shell: 'cli' });
  const stop = new AbortController();
  const cancel = () => {
    process.stderr.write('\nĐang hủy…\n');
    stop.abort();
  };
  process.on('SIGINT', cancel);
  try {
    process.stderr.write(`Đang chờ xác nhận trên điện thoại… (${formatSignerChoice(choice)})\n`);
    const onWaiting: FileSigningOptions['onWaiting'] = (waiting) => {
      const until = waiting.expiresAt.toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', second: '2-digit' });
      process.stderr.write(`Trên điện thoại: “${waiting.display}” (${waiting.hashes} chữ ký) — xác nhận trước ${until}\n`);
    };
    return await withSignerKey(core, choice, {}, (key) => use(key, { signal: stop.signal, onWaiting }), { signal: stop.signal, onWaiting, display: 'Ký tệp PDF' });
  } catch (error) {
    if (stop.signal.aborted) throw new CliError('cancelled: nothing was signed');
    throw error;
  } finally {
    process.off('SIGINT', cancel);
    core.close();
  }
}
