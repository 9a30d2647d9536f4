// eoffice: the command line over the same core as the app, for IT staff and scripts.
// Any error ends with a non-zero exit code and one line that says why.
// Only the help text and the argument parser load at start; each command loads what it needs
// (the registry, pdf.js, exceljs, a token module…) when it runs, so `--help` and `list` start
// in a fraction of the time the whole core takes to load.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Core } from '../core/app/core.js';
import { resolveDataDir } from '../core/paths/dataDir.js';
import { formatDateVn } from '../common/dates.js';
import { documentType } from '../common/doctypes.js';
import type { DocumentSummary, MethodName, Output } from '../common/contract.js';
import { CliError } from './cliError.js';
import { takeEnvironmentPin } from './secretInput.js';
import { USAGE } from './usage.js';
import { warnDuplicates } from './duplicateWarning.js';



async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const { invoke } = await import('../core/api/invoke.js');
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

function row(d: DocumentSummary): string {
  const date = formatDateVn(d.documentDate ?? d.registeredAt.slice(0, 10));
  const type = documentType(d.typeCode)?.vi ?? d.typeCode;
  return [String(d.id).padStart(6), d.direction === 'in' ? 'đến' : 'đi ', date.padEnd(10), (d.notation ?? '—').padEnd(18), type.padEnd(12), d.subject].join('  ');
}

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--${name} must be a whole number, not "${value}"`);
  return n;
}

function bookOption(value: string | undefined, required: boolean): 'in' | 'out' | undefined {
  if (value === undefined) {
    if (required) throw new CliError('--book in|out is required: say which register the files go into');
    return undefined;
  }
  if (value !== 'in' && value !== 'out') throw new CliError(`--book must be "in" or "out", not "${value}"`);
  return value;
}

/** Resolves on the first Ctrl+C or service stop (SIGTERM). */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

export async function run(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  takeEnvironmentPin();
  // Commands with options of their own, before the shared parser (which refuses unknown options).
  const dataDirArgs = argv[0] === '--data-dir' ? argv.slice(0, 2) : argv[0]?.startsWith('--data-dir=') ? argv.slice(0, 1) : [];
  const [first, ...afterFirst] = argv.slice(dataDirArgs.length);
  if (first === 'verify') return (await import('./verifyCommand.js')).runVerify(afterFirst, out, resolveDataDir(dataDirArgs, process.env));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      book: { type: 'string' },
      year: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      module: { type: 'string' },
      token: { type: 'string' },
      cert: { type: 'string' },
      // Who signs, as `eoffice signers` names it: token:…, smartca:…, csc:…, mss:….
      signer: { type: 'string' },
      as: { type: 'string' },
      image: { type: 'string' },
      page: { type: 'string' },
      rect: { type: 'string' },
      invisible: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      'agency-name': { type: 'string' },
      notation: { type: 'string' },
      reason: { type: 'string' },
      location: { type: 'string' },
      place: { type: 'string' },
      'confirm-final-try': { type: 'boolean' },
      // Confirms out number / issue / recall where no terminal can ask (scripts).
      yes: { type: 'boolean' },
      tsa: { type: 'string' },
      type: { type: 'string' },
      subject: { type: 'string' },
      to: { type: 'string', multiple: true },
      recipient: { type: 'string', multiple: true },
      'signer-name': { type: 'string' },
      'signer-position': { type: 'string' },
      competence: { type: 'string' },
      unit: { type: 'string' },
      priority: { type: 'string' },
      due: { type: 'string' },
      copies: { type: 'string' },
      confidential: { type: 'boolean' },
      attach: { type: 'string', multiple: true },
      'number-at': { type: 'string' },
      'date-at': { type: 'string' },
      format: { type: 'string' },
      from: { type: 'string' },
      by: { type: 'string' },
      once: { type: 'boolean', default: false },
      now: { type: 'boolean', default: false },
      state: { type: 'string' },
      overdue: { type: 'boolean' },
      'due-soon': { type: 'boolean' },
      note: { type: 'string' },
      // in accept / in register: the register's fields the file does not say (or says wrongly).
      date: { type: 'string' },
      agency: { type: 'string' },
      add: { type: 'string' },
      kind: { type: 'string' },
      deactivate: { type: 'string' },
      // in export / out export: an attachment by its number, or a version by its step.
      attachment: { type: 'string' },
      version: { type: 'string' },
      // search: the order, the columns shown or exported, and saved searches.
      sort: { type: 'string' },
      order: { type: 'string' },
      columns: { type: 'string' },
      save: { type: 'string' },
      saved: { type: 'string' },
      'saved-list': { type: 'boolean' },
      'remove-saved': { type: 'string' },
      // users: an account's name, roles (repeated or comma-separated) and position.
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
      position: { type: 'string' },
      // serve: where the office host listens.
      listen: { type: 'string' },
      // Act on an office host as this person (the password from EOFFICE_PASSWORD or typed).
      host: { type: 'string' },
      user: { type: 'string' },
      fingerprint: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  const known = ['import', 'list', 'search', 'audit', 'tokens', 'sign', 'config', 'out', 'book', 'sync', 'queue', 'in', 'verify', 'report', 'signers', 'users', 'serve'];
  if (!known.includes(command)) throw new CliError(`unknown command "${command}"; try: ${known.join(', ')}`);
  // Token commands work on files and tokens, not on the registry (sign only reads the agency's
  // name from it, when the data folder exists and no --agency-name is given).
  if (command === 'tokens' && rest[0] !== 'add-module') return (await import('./tokenCommands.js')).runTokens(values, out);
  const dataDir = resolveDataDir(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env);
  if (command === 'sign') return (await import('./tokenCommands.js')).runSign(rest, values, out, dataDir);
  // Imported files are read in the PDF worker: its start overlaps the opening of the registry.
  if (command === 'import') (await import('../core/pdfWorker/pdfWorker.js')).pdfWorker().prepare('inspect');
  let core: Core;
  if (values.host !== undefined) {
    const { connectToHost, HOST_COMMANDS } = await import('./hostConnection.js');
    if (!HOST_COMMANDS.includes(command)) throw new CliError(`${command} works on this PC's data folder; with --host: ${HOST_COMMANDS.join(', ')}`);
    core = await connectToHost(dataDir, values.host, values.user, values.fingerprint);
  } else {
    const { openCore } = await import('../core/app/core.js');
    // --module: a token library to look in besides the data folder's, for the commands that list or sign through the core.
    core = openCore({ dataDir, shell: 'cli', tokens: values.module ? { knownModules: [values.module] } : undefined });
  }
  try {
    if (command === 'serve') return await (await import('./serveCommand.js')).runServe(core, values.listen, out, stopSignal);
    if (command === 'users') return await (await import('./userCommands.js')).runUsers(core, rest, { name: values.name, role: values.role, unit: values.unit, position: values.position, json: values.json }, out);
    if (command === 'signers') return await (await import('./signerCommands.js')).runSigners(core, values.json, out);
    if (command === 'tokens') return (await import('./tokenCommands.js')).runAddModule(core, rest.slice(1), out);
    if (command === 'config') return await (await import('./outCommands.js')).runConfig(core, rest, out);
    if (command === 'out') return await (await import('./outCommands.js')).runOut(core, rest, values, out);
    if (command === 'book') return await (await import('./outCommands.js')).runBook(core, rest, values, out);
    if (command === 'report') return await (await import('./reportCommand.js')).runReport(
        core,
        {
          from: values.from,
          to: values.to,
          format: values.format,
          output: values.output,
          place: values.place,
          signerName: values['signer-name'],
          signerPosition: values['signer-position'],
          competence: values.competence,
          recipients: values.recipient,
        },
        out,
      );
    if (command === 'sync') return await (await import('./exchangeCommands.js')).runSync(core, { once: values.once, now: values.now, json: values.json }, out);
    if (command === 'queue') return await (await import('./exchangeCommands.js')).runQueue(core, values.json, out);
    if (command === 'in')
      return await (await import('./exchangeCommands.js')).runIn(
        core,
        rest,
        {
          json: values.json,
          reason: values.reason,
          to: values.to,
          due: values.due,
          note: values.note,
          state: values.state,
          overdue: values.overdue,
          'due-soon': values['due-soon'],
          add: values.add,
          unit: values.unit,
          kind: values.kind,
          deactivate: values.deactivate,
          year: values.year,
          limit: values.limit,
          offset: values.offset,
          output: values.output,
          attachment: values.attachment,
          notation: values.notation,
          date: values.date,
          agency: values.agency,
          type: values.type,
          subject: values.subject,
        },
        out,
      );
    const filters = { direction: bookOption(values.book, command === 'import'), year: intOption(values.year, 'year') };
    const page = { limit: intOption(values.limit, 'limit') ?? 50, offset: intOption(values.offset, 'offset') ?? 0 };
    switch (command) {
      case 'import': {
        if (rest.length === 0) throw new CliError('import needs at least one PDF file');
        let failed = 0;
        for (const file of rest) {
          let bytes: Buffer;
          try {
            bytes = fs.readFileSync(file);
          } catch (error) {
            failed++;
            out(`✗ ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
            continue;
          }
          const { invoke } = await import('../core/api/invoke.js');
          const envelope = await invoke(core.handlers, 'documents.import', { direction: filters.direction, fileName: path.basename(file), bytes: new Uint8Array(bytes) }, () => undefined);
          if (envelope.ok) {
            const { document, duplicates } = envelope.result as Output<'documents.import'>;
            out(values.json ? JSON.stringify(duplicates.length ? { ...document, duplicates } : document) : `✓ ${file} → #${document.id} ${document.subject}`);
            warnDuplicates(file, document.id, duplicates);
          } else {
            failed++;
            out(values.json ? JSON.stringify({ file, error: envelope.error }) : `✗ ${file}: ${envelope.error.message}`);
          }
        }
        if (failed) throw new CliError(`${failed} of ${rest.length} file(s) were not imported`);
        return 0;
      }
      case 'list': {
        const result = await call(core, 'documents.list', { ...filters, ...page });
        if (values.json) out(JSON.stringify(result));
        else {
          result.items.forEach((d) => out(row(d)));
          out(`${result.items.length} of ${result.total} document(s)`);
        }
        return 0;
      }
      case 'search':
        return await (await import('./searchCommand.js')).runSearch(
          core,
          rest,
          {
            book: filters.direction,
            year: filters.year,
            ...page,
            json: values.json,
            sort: values.sort,
            order: values.order,
            columns: values.columns,
            save: values.save,
            saved: values.saved,
            savedList: values['saved-list'],
            removeSaved: values['remove-saved'],
            output: values.output,
          },
          out,
        );
      case 'audit': {
        if (rest[0] !== 'verify') throw new CliError('usage: eoffice audit verify');
        const result = await call(core, 'audit.verify', {});
        if (values.json) out(JSON.stringify(result));
        if (!result.ok) throw new CliError(`audit trail broken at entry ${result.firstBroken!.id} (${result.firstBroken!.reason}); ${result.checked} entries before it are intact`);
        if (!values.json) out(`audit trail intact: ${result.checked} entries`);
        return 0;
      }
    }
    return 2;
  } finally {
    // On a host, signing out: the session should not outlive the command.
    await core.close();
  }
}
