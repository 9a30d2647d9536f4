// eoffice: the command line over the same core as the app, for IT staff and scripts.
// Any error ends with a non-zero exit code and one line that says why.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openCore, type Core } from '../core/app/core.js';
import { resolveDataDir } from '../core/paths/dataDir.js';
import { invoke } from '../core/api/invoke.js';
import { verifyAudit } from '../core/registry/audit.js';
import { formatDateVn } from '../common/dates.js';
import { documentType } from '../common/doctypes.js';
import type { DocumentSummary, MethodName, Output } from '../common/contract.js';
import { CliError, runSign, runTokens } from './tokenCommands.js';
import { BOOK_USAGE, runBook, runConfig, runOut } from './outCommands.js';
import { REPORT_USAGE, runReport } from './reportCommand.js';
import { runIn, runQueue, runSync } from './exchangeCommands.js';
import { AXIS_USAGE, runAxis } from './axisCommands.js';
import { VERIFY_USAGE, runVerify } from './verifyCommand.js';

const USAGE = `Usage: eoffice [--data-dir <dir>] <command>
  import <files…> --book in|out   import PDF files into the incoming (in) or outgoing (out) register
  list [--book in|out] [--year <yyyy>] [--limit <n>] [--offset <n>] [--json]
  search <query> [--book in|out] [--year <yyyy>] [--limit <n>] [--json]
  audit verify                    check the hash chain of the audit trail
  tokens [--module <lib>] [--json]
                                  list the tokens plugged in and their certificates
  sign <in.pdf…> -o <file|folder> --token <label> [--module <lib>] [--cert <serial|id>]
       [--as signer|agency|attachment] [--image <png>] [--page N --rect x,y,w,h] [--invisible]
       [--agency-name <name>] [--notation <number/notation>] [--tsa <url>] [--confirm-final-try]
                                  sign PDFs with the token (PIN from EOFFICE_PIN or a prompt)
  config get [key] | config set <key> <value>
                                  keys: agency.code, agency.name, agency.abbr, locale, tsaUrl,
                                  maxImportMegabytes, separateConfidentialSeries
  out new <file.pdf|.docx|.odt> --type <QĐ|TB|…|CV> --subject "…" [--to <codes,…>]
       [--signer-name … --signer-position … --competence TM.|KT.|TL.] [--unit VP]
       [--recipient "printed recipient"]… [--priority normal|urgent|very_urgent|flash]
       [--due dd/MM/yyyy] [--copies N] [--confidential] [--attach <pdf>]…
       [--number-at page,x,y,w,h] [--date-at page,x,y,w,h]
                                  create an outgoing draft; prints its id
  out places <id> --number-at … --date-at …   mark where the number and date go
  out show <id>                   the document's state and notation
  out sign <id> --token <label> [--cert …] [--page N --rect x,y,w,h] [--image <png>]
                                  the competent person signs (certifies; number and date stay open)
  out number <id>                 cấp số: refused before a valid signature of the declared signer
  out issue <id> --token <label> [--cert …] [--image <seal.png>]
                                  number if needed, fill number and date, agency signature, queue
  out recall|update <id> --reason "…" | out replace <id> --by <newId> --reason "…"
  out export <id> -o <file.pdf>   the document's current PDF
  ${BOOK_USAGE}
                                  the outgoing (đi) or incoming (đến) register, of a year or a period
  ${REPORT_USAGE}
                                  the periodic report: figures issued, received, signed, handled
                                  (the dashboard's figures; json to standard output without -o)
  config set axis.endpoint|axis.systemId|axis.secret <value>
                                  where this agency reaches the document axis (the secret is sealed,
                                  never printed; give "-" to read it from standard input)
  sync [--once] [--now] [--json]  send what is due and receive what waits; --now sends what waits
                                  for a retry too; without --once, keep doing it every
                                  syncIntervalSeconds until stopped
  queue [--json]                  what waits to be sent, with the last error of each
  in list [--json]                packages received from the axis (refused ones with the reason)
  in list --state <filter> | --overdue | --due-soon [--year <yyyy>] [--limit <n>] [--offset <n>] [--json]
                                  the incoming register; filters: all, new, received, registered,
                                  assigned, in-progress, overdue, due-soon, done, returned, recalled,
                                  recall-pending
  in show <id> [--json]           the ĐẾN data: số đến, ngày đến, handler, due date, statuses, recall
  in accept <id> | in return <id> --reason "…"
                                  tiếp nhận (the next số đến, 03 to the sender) or trả lại (02)
  in register <file.pdf>          a scanned paper document into the register, with its số đến
  in assign <id> --to <handler id|exact name> --due dd/MM/yyyy [--note "…"]
                                  chuyển xử lý (04); again to reassign
  in start <id> | in done <id> [--note "…"]
                                  đang xử lý (05) / đã xử lý xong (06)
  in recall accept|refuse <id> [--reason "…"]
                                  answer the sender's recall: 15 (the document is recalled) or 16
  in handlers [--add "Name" [--unit "…"] [--kind person|unit]] [--deactivate <id|name>] [--json]
                                  the directory of handlers
${VERIFY_USAGE.replace('Usage: eoffice ', '  ')}
${AXIS_USAGE.replace('Usage: eoffice ', '  ')}`;


async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
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

export async function run(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  // Commands with options of their own, before the shared parser (which refuses unknown options).
  const dataDirArgs = argv[0] === '--data-dir' ? argv.slice(0, 2) : argv[0]?.startsWith('--data-dir=') ? argv.slice(0, 1) : [];
  const [first, ...afterFirst] = argv.slice(dataDirArgs.length);
  if (first === 'axis') return runAxis(afterFirst, out);
  if (first === 'verify') return runVerify(afterFirst, out, resolveDataDir(dataDirArgs, process.env));
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
      'confirm-final-try': { type: 'boolean' },
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
      add: { type: 'string' },
      kind: { type: 'string' },
      deactivate: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  const known = ['import', 'list', 'search', 'audit', 'tokens', 'sign', 'config', 'out', 'book', 'sync', 'queue', 'in', 'axis', 'verify', 'report'];
  if (!known.includes(command)) throw new CliError(`unknown command "${command}"; try: ${known.join(', ')}`);
  // Token commands work on files and tokens, not on the registry.
  if (command === 'tokens') return runTokens(values, out);
  if (command === 'sign') return runSign(rest, values, out);
  const dataDir = resolveDataDir(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env);
  const core = openCore({ dataDir, shell: 'cli' });
  try {
    if (command === 'config') return await runConfig(core, rest, out);
    if (command === 'out') return await runOut(core, rest, values, out);
    if (command === 'book') return await runBook(core, rest, values, out);
    if (command === 'report') return await runReport(core, { from: values.from, to: values.to, format: values.format, output: values.output }, out);
    if (command === 'sync') return await runSync(core, { once: values.once, now: values.now, json: values.json }, out);
    if (command === 'queue') return await runQueue(core, values.json, out);
    if (command === 'in')
      return await runIn(
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
          const envelope = await invoke(core.handlers, 'documents.import', { direction: filters.direction, fileName: path.basename(file), bytes: new Uint8Array(bytes) }, () => undefined);
          if (envelope.ok) {
            const { document } = envelope.result as Output<'documents.import'>;
            out(values.json ? JSON.stringify(document) : `✓ ${file} → #${document.id} ${document.subject}`);
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
      case 'search': {
        const query = rest.join(' ').trim();
        if (!query) throw new CliError('search needs a query');
        const result = await call(core, 'documents.search', { query, ...filters, ...page });
        if (values.json) out(JSON.stringify(result));
        else {
          result.items.forEach((d) => out(row(d)));
          out(`${result.items.length} of ${result.capped ? 'more than ' : ''}${result.total} match(es)`);
        }
        return 0;
      }
      case 'audit': {
        if (rest[0] !== 'verify') throw new CliError('usage: eoffice audit verify');
        const result = verifyAudit(core.db);
        if (values.json) out(JSON.stringify(result));
        if (!result.ok) throw new CliError(`audit trail broken at entry ${result.firstBroken!.id} (${result.firstBroken!.reason}); ${result.checked} entries before it are intact`);
        if (!values.json) out(`audit trail intact: ${result.checked} entries`);
        return 0;
      }
    }
    return 2;
  } finally {
    core.close();
  }
}

const isMain = process.argv[1] && fs.realpathSync(process.argv[1]).replace(/\.mjs$/, '.ts') === new URL(import.meta.url).pathname;
if (isMain || process.env.EOFFICE_CLI_MAIN === '1') {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`eoffice: ${error.message.split('\n')[0]}`);
      process.exit(1);
    },
  );
}
