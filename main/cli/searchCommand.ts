// eoffice search: the app's search box on the command line — every field, the order, the columns,
// searches saved by name (the same ones the app lists), and the results as a PDF or XLSX file.
import path from 'node:path';
import type { Core } from '../core/app/core.js';
import type { MethodName, Output, SearchSpec } from '../common/contract.js';
import { DEFAULT_SEARCH_COLUMNS, SEARCH_COLUMN_KEYS, searchColumnText, type SearchColumnKey } from '../common/searchColumns.js';
import { CliError } from './cliError.js';
import { assertOutputFolder, writeWhole } from './outputFile.js';

export interface SearchOptions {
  book?: 'in' | 'out';
  year?: number;
  limit: number;
  offset: number;
  json: boolean;
  sort?: string;
  order?: string;
  columns?: string;
  save?: string;
  saved?: string;
  savedList?: boolean;
  removeSaved?: string;
  output?: string;
}

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const { invoke } = await import('../core/api/invoke.js');
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

function columnsOption(text: string): SearchColumnKey[] {
  const keys = text.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = keys.filter((k) => !(SEARCH_COLUMN_KEYS as readonly string[]).includes(k));
  if (keys.length === 0 || unknown.length) throw new CliError(`--columns takes some of: ${SEARCH_COLUMN_KEYS.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`);
  return keys as SearchColumnKey[];
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`--${name} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

export async function runSearch(core: Core, words: string[], options: SearchOptions, out: (line: string) => void): Promise<number> {
  if (options.savedList) {
    const saved = await call(core, 'searches.list', {});
    if (options.json) out(JSON.stringify(saved));
    else {
      for (const s of saved) out(`${s.name}  —  “${s.search.query}”`);
      out(`${saved.length} saved search(es)`);
    }
    return 0;
  }
  if (options.removeSaved !== undefined) {
    await call(core, 'searches.remove', { name: options.removeSaved });
    out(`removed the saved search "${options.removeSaved.trim()}"`);
    return 0;
  }
  const base: Partial<SearchSpec> = options.saved !== undefined ? (await call(core, 'searches.list', {})).find((s) => s.name === options.saved!.trim().normalize('NFC'))?.search ?? {} : {};
  if (options.saved !== undefined && Object.keys(base).length === 0) throw new CliError(`no search is saved as "${options.saved}"; see eoffice search --saved-list`);
  const query = words.join(' ').trim();
  if (!query && options.saved === undefined && !options.book && !options.year) throw new CliError('search needs a query (or --saved <name>, or --book/--year to list)');
  // What the command line gives overrides what was saved.
  const spec: SearchSpec = {
    ...(base as SearchSpec),
    query: query || (base.query ?? ''),
    ...(options.book && { direction: options.book }),
    ...(options.year !== undefined && { year: options.year }),
    sort: oneOf(options.sort, ['relevance', 'date', 'number', 'due'] as const, 'sort') ?? base.sort ?? 'relevance',
    order: oneOf(options.order, ['asc', 'desc'] as const, 'order') ?? base.order ?? 'desc',
    ...(options.columns !== undefined && { columns: columnsOption(options.columns) }),
  };
  if (options.save !== undefined) {
    const saved = await call(core, 'searches.save', { name: options.save, search: spec });
    if (!options.json) out(`saved as "${saved.name}"`);
  }
  const columns = spec.columns ?? [...DEFAULT_SEARCH_COLUMNS];
  if (options.output) {
    const format = path.extname(options.output).slice(1).toLowerCase();
    if (format !== 'pdf' && format !== 'xlsx') throw new CliError(`-o ${options.output}: the results are written as .pdf or .xlsx`);
    assertOutputFolder(options.output);
    const file = await call(core, 'documents.exportSearch', { ...spec, columns, format });
    writeWhole(options.output, file.bytes);
    out(options.json ? JSON.stringify({ file: options.output, rows: file.rows, total: file.total }) : `${options.output}: ${file.rows} of ${file.total} result(s)`);
    return 0;
  }
  const { columns: _shown, ...input } = spec;
  const result = await call(core, 'documents.search', { ...input, limit: options.limit, offset: options.offset });
  if (options.json) out(JSON.stringify(result));
  else {
    for (const hit of result.items) out([String(hit.id).padStart(6), ...columns.map((key) => searchColumnText(hit, key))].join('  '));
    out(`${result.items.length} of ${result.capped ? 'more than ' : ''}${result.total} match(es)`);
  }
  return 0;
}
