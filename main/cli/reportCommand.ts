// eoffice report: the periodic report (Decree 09/2019) for IT staff and scheduled tasks. The
// JSON is what the dashboard shows for the same period, field for field.
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import { CliError } from './cliError.js';
import { REPORT_USAGE } from './usage.js';
import { dateArgument } from './cliDates.js';
import { assertOutputFolder, writeWhole } from './outCommands.js';

export interface ReportOptions {
  from?: string;
  to?: string[];
  format?: string;
  output?: string;
  /** The PDF's Decree 30 frame; left out, the defaults of reportPdf.ts. */
  place?: string;
  signerName?: string;
  signerPosition?: string;
  competence?: string;
  recipients?: string[];
}

function pdfForm(options: ReportOptions) {
  const signer = {
    ...(options.competence !== undefined ? { competence: options.competence } : {}),
    ...(options.signerPosition !== undefined ? { position: options.signerPosition } : {}),
    ...(options.signerName !== undefined ? { name: options.signerName } : {}),
  };
  return {
    ...(options.place !== undefined ? { place: options.place } : {}),
    ...(Object.keys(signer).length > 0 ? { signer } : {}),
    ...(options.recipients?.length ? { recipients: options.recipients } : {}),
  };
}

export async function runReport(core: Core, options: ReportOptions, out: (line: string) => void): Promise<number> {
  if (options.from === undefined || !options.to?.length) throw new CliError(`--from and --to are required: eoffice ${REPORT_USAGE}`);
  const from = dateArgument(options.from, 'from');
  const to = dateArgument(options.to.at(-1), 'to');
  if (from > to) throw new CliError(`--from ${options.from} is after --to ${options.to.at(-1)}`);
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'xlsx' && format !== 'pdf') throw new CliError(`--format must be json, xlsx or pdf, not "${format}"`);
  if (format !== 'json' && !options.output) throw new CliError(`-o <file> is required for --format ${format}`);
  if (options.output && options.output !== '-') assertOutputFolder(options.output);

  const envelope =
    format === 'json'
      ? await invoke(core.handlers, 'report.figures', { from, to }, () => undefined)
      : await invoke(core.handlers, 'report.export', { from, to, format, ...pdfForm(options) }, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  const bytes = format === 'json' ? new TextEncoder().encode(`${JSON.stringify(envelope.result, null, 2)}\n`) : (envelope.result as { bytes: Uint8Array }).bytes;
  if (!options.output || options.output === '-') {
    process.stdout.write(bytes);
    return 0;
  }
  writeWhole(options.output, bytes);
  out(options.output);
  return 0;
}
