// eoffice config / out / book: issuing outgoing documents from the command line, for IT staff,
// scripts and the crash trials. Everything goes through the API contract, as the app does: out
// sign and out issue are documents.sign and outgoing.issue, with the token's PIN from EOFFICE_PIN
// or the prompt, or the holder's confirmation on the phone.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import { Settings, type Input, type MethodName, type Output } from '../common/contract.js';
import { documentType, documentTypeByAbbreviation } from '../common/doctypes.js';
import { formatDateVn } from '../common/dates.js';
import { CliError, UsageError } from './cliError.js';
import { SIGNER_CONFIG_KEYS, setSignerConfig, signerConfigValues, unsetSignerConfig } from './signerConfig.js';
import { chosenSigner, issueDocument, signDocument } from './signerCommands.js';
import { formatSignerChoice } from '../common/signerChoice.js';
import { BOOK_USAGE } from './usage.js';
import { parseRect, type TokenCommandOptions } from './tokenCommands.js';
import { dateArgument } from './cliDates.js';
import { assertOutputFolder, writeWhole } from './outputFile.js';
import { exportFile, printFiles } from './fileCommands.js';

export interface OutCommandOptions extends TokenCommandOptions {
  type?: string;
  subject?: string;
  to?: string[];
  from?: string;
  recipient?: string[];
  'signer-name'?: string;
  'signer-position'?: string;
  competence?: string;
  unit?: string;
  priority?: string;
  due?: string;
  copies?: string;
  confidential?: boolean;
  attach?: string[];
  'number-at'?: string;
  'date-at'?: string;
  format?: string;
  year?: string;
  by?: string;
  json?: boolean;
  /** Confirms an irreversible step (out number, issue, recall) without asking: needed when not at a terminal. */
  yes?: boolean;
  /** out export: an attachment by its number, or a version by its step, instead of the current file. */
  attachment?: string;
  version?: string;
  /** out sign / out issue: who signs, as eoffice signers names it (token:…, smartca:…, csc:…, mss:…). */
  signer?: string;
}

async function call<M extends MethodName>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

function documentId(text: string | undefined): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1) throw new CliError(`a document id is a whole number from 1, not "${text ?? ''}"`);
  return id;
}

/** --type takes the printed abbreviation (QĐ, TB, QyĐ), the ASCII code (QD) or CV for a công văn. */
function typeCode(text: string | undefined): string {
  if (!text) throw new CliError('--type <abbreviation> is required, e.g. --type QĐ, --type TB, or --type CV for a công văn');
  const found = documentType(text.toUpperCase()) ?? documentTypeByAbbreviation(text);
  if (!found) throw new CliError(`--type "${text}" is not a document type of Decree 30 (Appendix III)`);
  return found.code;
}

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(/[,;\s]+/)).filter(Boolean);
}

/** dd/MM/yyyy (or yyyy-MM-dd) → yyyy-MM-dd. */
function isoDate(text: string | undefined): string | null {
  if (!text) return null;
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  return vn ? `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}` : text;
}

/** page,x,y,width,height in points from the page's bottom-left corner. */
function placeOption(text: string | undefined, name: string) {
  if (!text) return null;
  const [page, ...rect] = text.split(',');
  const pageNumber = Number(page);
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new CliError(`--${name} must be page,x,y,width,height`);
  return { page: pageNumber, rect: parseRect(rect.join(',')), origin: 'marked' as const };
}

function readInput(file: string): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (error) {
    throw new CliError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The registry's documents are timestamped as the app timestamps them: by the settings' authority. */
function refuseTsa(options: OutCommandOptions): void {
  if (options.tsa) throw new UsageError("--tsa is for eoffice sign on loose files; the registry's documents are timestamped by the authority in the settings (eoffice config set tsaUrl <url>)");
}

export { assertOutputFolder, writeWhole } from './outputFile.js';

const CONFIG_KEYS = [
  'agency.code',
  'agency.name',
  'agency.abbr',
  'locale',
  'tsaUrl',
  'maxImportMegabytes',
  'separateConfidentialSeries',
  'axis.endpoint',
  'axis.systemId',
  'axis.secret',
  'axis.signing',
  'axis.hexStyle',
  'axis.paths',
  'syncIntervalSeconds',
  'signingSessionSeconds',
  'signingIdleMinutes',
] as const;

export async function runConfig(core: Core, args: string[], out: (line: string) => void): Promise<number> {
  const [action, key, ...valueParts] = args;
  const agency = await call(core, 'agency.get', {});
  const settings = await call(core, 'settings.get', {});
  const axis = await call(core, 'exchange.getAxis', {});
  const current: Record<string, string> = {
    'agency.code': agency.code,
    'agency.name': agency.name,
    'agency.abbr': agency.abbreviation,
    locale: settings.locale,
    tsaUrl: settings.tsaUrl,
    maxImportMegabytes: String(settings.maxImportMegabytes),
    separateConfidentialSeries: String(settings.separateConfidentialSeries),
    'axis.endpoint': axis.endpoint,
    'axis.systemId': axis.systemId,
    // Never printed: only whether one is stored.
    'axis.secret': axis.secretSet ? '(set)' : '(not set)',
    'axis.signing': settings.axisSigning,
    'axis.hexStyle': settings.axisHexStyle,
    'axis.paths': JSON.stringify(settings.axisPaths),
    syncIntervalSeconds: String(settings.syncIntervalSeconds),
    signingSessionSeconds: String(settings.signingSessionSeconds),
    signingIdleMinutes: String(settings.signingIdleMinutes),
  };
  const signers = signerConfigValues(core);
  if (action === 'get') {
    if (key?.startsWith('signer.')) {
      if (!(key in signers)) throw new CliError(`"${key}" is not set; signer keys: ${SIGNER_CONFIG_KEYS.join(', ')}`);
      out(signers[key]!);
      return 0;
    }
    if (key && !(key in current)) throw new CliError(`unknown key "${key}"; keys: ${CONFIG_KEYS.join(', ')}, ${SIGNER_CONFIG_KEYS.join(', ')}`);
    for (const k of key ? [key] : CONFIG_KEYS) out(key ? current[k]! : `${k}=${current[k]}`);
    if (!key) for (const [k, v] of Object.entries(signers)) out(`${k}=${v}`);
    return 0;
  }
  if (action === 'unset') return unsetSignerConfig(core, key, out);
  if (action !== 'set' || !key) throw new CliError('usage: eoffice config get [key] | eoffice config set <key> <value> | eoffice config unset signer.<service>');
  if (key.startsWith('signer.')) return setSignerConfig(core, [key, ...valueParts], out);
  const value = valueParts.join(' ');
  switch (key) {
    case 'agency.code':
    case 'agency.name':
    case 'agency.abbr': {
      const field = key === 'agency.code' ? 'code' : key === 'agency.name' ? 'name' : 'abbreviation';
      await call(core, 'agency.update', { ...agency, [field]: value });
      break;
    }
    case 'locale':
      await call(core, 'settings.update', { locale: value as 'vi' | 'en' });
      break;
    case 'tsaUrl':
      await call(core, 'settings.update', { tsaUrl: value });
      break;
    case 'maxImportMegabytes':
      await call(core, 'settings.update', { maxImportMegabytes: Number(value) });
      break;
    case 'separateConfidentialSeries':
      if (value !== 'true' && value !== 'false') throw new CliError('separateConfidentialSeries is true or false');
      await call(core, 'settings.update', { separateConfidentialSeries: value === 'true' });
      break;
    case 'axis.endpoint':
      await call(core, 'exchange.setAxis', { endpoint: value, systemId: axis.systemId });
      break;
    case 'axis.systemId':
      await call(core, 'exchange.setAxis', { endpoint: axis.endpoint, systemId: value });
      break;
    case 'axis.secret': {
      // Only from standard input: an argument stays in the shell's history and shows in the
      // process list (ps, Task Manager) to every account on the computer while the command runs.
      if (valueParts.length !== 1 || value !== '-') {
        throw new CliError('axis.secret is read from standard input only, never from the command line (the shell history and the process list would keep it): run "eoffice config set axis.secret -" and type or pipe the secret');
      }
      const secret = fs.readFileSync(0, 'utf8').trim();
      if (!secret) throw new CliError('axis.secret is empty');
      await call(core, 'exchange.setAxis', { endpoint: axis.endpoint, systemId: axis.systemId, secret });
      out('axis.secret=(set)');
      return 0;
    }
    case 'signingSessionSeconds':
    case 'signingIdleMinutes': {
      // The administrator's, so not through settings.update (the app's UI could call that): set
      // on the settings themselves, by whoever runs eoffice on this data folder.
      const parsed = Settings.shape[key].safeParse(Number(value));
      if (!value || !parsed.success) {
        throw new CliError(key === 'signingSessionSeconds' ? 'signingSessionSeconds is whole seconds from 0 (every signing asks for the PIN) to 900' : 'signingIdleMinutes is whole minutes from 1 to 60');
      }
      core.settings.update({ [key]: parsed.data });
      break;
    }
    case 'syncIntervalSeconds':
      await call(core, 'settings.update', { syncIntervalSeconds: Number(value) });
      break;
    case 'axis.signing':
      await call(core, 'settings.update', { axisSigning: value as 'sdk-2.0.1' | 'legacy' });
      break;
    case 'axis.hexStyle':
      await call(core, 'settings.update', { axisHexStyle: value as 'standard' | 'dropped-zeros' });
      break;
    case 'axis.paths': {
      // e.g. {"sendEdoc":"api/edoc/send"}: a platform that mounts the same calls elsewhere.
      let paths: unknown;
      try {
        paths = JSON.parse(value || '{}');
      } catch {
        throw new CliError('axis.paths is a JSON object such as {"sendEdoc":"api/edoc/send"}');
      }
      await call(core, 'settings.update', { axisPaths: paths as Record<string, string> });
      break;
    }
    default:
      throw new CliError(`unknown key "${key}"; keys: ${CONFIG_KEYS.join(', ')}`);
  }
  out(`${key}=${value}`);
  return 0;
}

/**
 * Cấp số, phát hành and thu hồi cannot be undone: each says what it will do and goes on only on
 * "y" typed at a terminal, or with --yes, which a script must give (it cannot be asked).
 */
async function confirm(what: string, options: OutCommandOptions): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY) throw new CliError(`${what} This cannot be undone: confirm with --yes (standard input is not a terminal to ask on)`);
  const terminal = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await terminal.question(`${what} This cannot be undone. Continue? [y/N] `);
    if (!/^(y|yes|c|có)$/i.test(answer.trim())) throw new CliError('not confirmed: nothing was changed');
  } finally {
    terminal.close();
  }
}

function titled(d: Output<'outgoing.get'>['document']): string {
  return `#${d.id} “${d.subject}”`;
}

function recipientsOnAxis(detail: Output<'outgoing.get'>): string {
  const codes = detail.draft.recipientCodes;
  return codes.length === 0 ? 'no recipient on the axis (issued on paper only)' : `${codes.length} recipient(s) on the axis (${codes.join(', ')})`;
}

/** What numbering will give, or the reason it cannot run (the core's own refusal). */
function numberToGive(detail: Output<'outgoing.get'>): string {
  const { next, reason } = detail.numbering;
  if (!next) throw new CliError(reason?.message ?? `document ${detail.document.id} cannot be numbered now`);
  return `${next.notation} dated ${formatDateVn(next.documentDate)} in the ${next.documentDate.slice(0, 4)} outgoing register`;
}

function describeIssue(detail: Output<'outgoing.get'>, signer: string): string {
  const d = detail.document;
  const attachments = detail.attachments.length ? `, its ${detail.attachments.length} attachment(s) signed too` : '';
  const seal = `the agency's signature from ${signer}${attachments}`;
  if (d.state === 'numbered') return `Phát hành: ${d.notation} ${titled(d)} gets ${seal}, and is queued for ${recipientsOnAxis(detail)}.`;
  return `Phát hành: ${titled(d)} takes ${numberToGive(detail)}, gets ${seal}, and is queued for ${recipientsOnAxis(detail)}.`;
}

function describe(detail: Output<'outgoing.get'>): string {
  const d = detail.document;
  return `#${d.id} ${d.state}${d.notation ? ` ${d.notation}` : ''}${d.documentDate ? ` ${formatDateVn(d.documentDate)}` : ''} — ${d.subject}`;
}

export async function runOut(core: Core, args: string[], options: OutCommandOptions, out: (line: string) => void): Promise<number> {
  const [action, ...rest] = args;
  const print = (detail: Output<'outgoing.get'>) => out(options.json ? JSON.stringify(detail) : describe(detail));
  switch (action) {
    case 'new': {
      const file = rest[0];
      if (!file) throw new CliError('usage: eoffice out new <file.pdf|.docx|.odt> --type <abbr|CV> --subject "…" --to <codes…> [--signer-name …]');
      if (!options.subject) throw new CliError('--subject "…" (trích yếu) is required');
      const detail = await call(core, 'outgoing.create', {
        fileName: path.basename(file),
        bytes: readInput(file),
        details: {
          typeCode: typeCode(options.type) as Input<'outgoing.create'>['details']['typeCode'],
          subject: options.subject,
          signerName: options['signer-name'] ?? '',
          signerPosition: options['signer-position'] ?? '',
          signerCompetence: options.competence ?? '',
          recipients: options.recipient ?? [],
          recipientCodes: list(options.to),
          priority: (options.priority ?? 'normal') as 'normal',
          dueDate: isoDate(options.due),
          draftingUnit: options.unit ?? '',
          copies: options.copies === undefined ? null : Number(options.copies),
          confidential: options.confidential ?? false,
        },
        attachments: (options.attach ?? []).map((a) => ({ fileName: path.basename(a), bytes: readInput(a) })),
      });
      const number = placeOption(options['number-at'], 'number-at');
      const date = placeOption(options['date-at'], 'date-at');
      const final = number || date ? await call(core, 'outgoing.markPlaces', { id: detail.document.id, places: { number: number ?? detail.places.number, date: date ?? detail.places.date } }) : detail;
      if (options.json) out(JSON.stringify(final));
      else {
        out(String(final.document.id));
        if (!final.places.number || !final.places.date) process.stderr.write('eoffice: warning: no place found for the number or the date; mark them with eoffice out places <id> --number-at … --date-at …\n');
        if (final.notationMismatch) {
          const { printed, given } = final.notationMismatch;
          process.stderr.write(`eoffice: warning: the draft prints /${printed} but numbering will give …/${given}; change --unit or the draft before it is signed\n`);
        }
      }
      return 0;
    }
    case 'places': {
      const id = documentId(rest[0]);
      const detail = await call(core, 'outgoing.get', { id });
      print(await call(core, 'outgoing.markPlaces', { id, places: { number: placeOption(options['number-at'], 'number-at') ?? detail.places.number, date: placeOption(options['date-at'], 'date-at') ?? detail.places.date } }));
      return 0;
    }
    case 'show': {
      const id = documentId(rest[0]);
      const detail = await call(core, 'outgoing.get', { id });
      print(detail);
      if (!options.json && detail.document.identifierCode) out(`  mã định danh văn bản: ${detail.document.identifierCode}`);
      if (!options.json) await printFiles(core, id, out);
      return 0;
    }
    case 'sign': {
      const id = documentId(rest[0]);
      const choice = chosenSigner(options);
      if (!choice) throw new CliError('--signer <choice> or --token <label> is required: say who signs (eoffice signers lists them)');
      refuseTsa(options);
      const page = options.page === undefined ? 1 : Number(options.page);
      if (!Number.isInteger(page) || page < 1) throw new UsageError('--page must be a page number from 1');
      // Without --rect the signature goes where Decree 30's layout usually has the signer's block: lower right.
      const rect = options.rect ? parseRect(options.rect) : ([320, 150, 200, 80] as const);
      const image = options.image ? readInput(options.image) : undefined;
      await signDocument(core, id, choice, options.invisible ? { kind: 'invisible' } : { kind: 'signer', page, rect: [...rect] }, { image, confirmFinalTry: options['confirm-final-try'] });
      print(await call(core, 'outgoing.get', { id }));
      return 0;
    }
    case 'number': {
      const id = documentId(rest[0]);
      const detail = await call(core, 'outgoing.get', { id });
      await confirm(`Cấp số: ${titled(detail.document)} takes ${numberToGive(detail)}.`, options);
      print(await call(core, 'outgoing.number', { id }));
      return 0;
    }
    case 'issue': {
      const id = documentId(rest[0]);
      const choice = chosenSigner(options);
      // Asked before the confirmation: the agency's signature writes its name.
      if (!(await call(core, 'agency.get', {})).name.trim()) throw new CliError('set the agency name first: eoffice config set agency.name "…"');
      if (!choice) throw new CliError('--signer <choice> or --token <label> is required: say who signs as the agency (eoffice signers lists them)');
      refuseTsa(options);
      const image = options.image ? readInput(options.image) : undefined;
      await confirm(describeIssue(await call(core, 'outgoing.get', { id }), choice.kind === 'token' ? `the token “${choice.label}”` : `${formatSignerChoice(choice)}, confirmed on the phone`), options);
      print(await issueDocument(core, id, choice, { image, confirmFinalTry: options['confirm-final-try'] }));
      return 0;
    }
    case 'recall':
    case 'update':
    case 'replace': {
      const id = documentId(rest[0]);
      if (!options.reason) throw new CliError(`--reason "…" is required to ${action} a document`);
      if (action === 'recall') {
        const detail = await call(core, 'outgoing.get', { id });
        const d = detail.document;
        if (['queued', 'sent', 'issued', 'updated'].includes(d.state)) {
          await confirm(`Thu hồi: ${d.notation ?? ''} ${titled(d)} becomes recalled, for the reason “${options.reason}”; the recall notice goes to ${recipientsOnAxis(detail)}.`, options);
        }
      }
      print(await call(core, 'outgoing.afterIssue', { id, action, reason: options.reason, replacementId: action === 'replace' ? documentId(options.by) : undefined }));
      return 0;
    }
    case 'export':
      return exportFile(core, documentId(rest[0]), options, out);
    default:
      throw new CliError('usage: eoffice out new|places|show|sign|number|issue|recall|update|replace|export …');
  }
}

export async function runBook(core: Core, args: string[], options: OutCommandOptions, out: (line: string) => void): Promise<number> {
  const kind = args[0];
  if (kind !== 'out' && kind !== 'in') throw new CliError(`usage: eoffice ${BOOK_USAGE}`);
  // A period names its year; --year alone gives the whole year's register.
  const from = options.from === undefined ? undefined : dateArgument(options.from, 'from');
  const to = options.to?.length ? dateArgument(options.to.at(-1), 'to') : undefined;
  const year = options.year !== undefined ? Number(options.year) : from !== undefined ? Number(from.slice(0, 4)) : NaN;
  if (!Number.isInteger(year)) throw new CliError('--year <yyyy> or --from dd/MM/yyyy --to dd/MM/yyyy is required');
  const format = options.format ?? 'pdf';
  if (format !== 'pdf' && format !== 'xlsx' && format !== 'csv') throw new CliError(`--format must be pdf, xlsx or csv, not "${format}"`);
  if (!options.output) throw new CliError('-o <file> is required');
  assertOutputFolder(options.output);
  const input = { year, confidential: options.confidential ?? false, from, to, format: format as 'pdf' | 'xlsx' | 'csv' };
  const result = kind === 'out' ? await call(core, 'outgoing.exportBook', input) : await call(core, 'incoming.exportBook', input);
  writeWhole(options.output, result.bytes);
  out(options.output);
  return 0;
}
