// Dates on the command line are written as every clerk writes them, dd/MM/yyyy.
import { isCalendarDate } from '../common/dates.js';
import { CliError } from './cliError.js';

/** dd/MM/yyyy to yyyy-MM-dd; refuses what is not a calendar date (30/02/2026) with the option's name. */
export function dateArgument(text: string | undefined, option: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text?.trim() ?? '');
  if (!m) throw new CliError(`--${option} must be a date as dd/MM/yyyy${text ? `, not "${text}"` : ''}`);
  if (!isCalendarDate(Number(m[3]), Number(m[2]), Number(m[1]))) throw new CliError(`--${option} ${text!.trim()} is not a calendar date`);
  return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}
