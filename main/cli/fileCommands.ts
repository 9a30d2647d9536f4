// A document's files at the terminal: `in show` / `out show` list its versions and attachments,
// `in export` / `out export` copy one out whole — the current file, a version (`--version signed`)
// or an attachment by its number (`--attachment 2`), through the same API as the app's "Tải về".
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import type { DocumentFile, DocumentFiles, MethodName, Output } from '../common/contract.js';
import { formatDateTimeVn } from '../common/dates.js';
import { CliError } from './cliError.js';
import { assertOutputFolder, writeWhole } from './outputFile.js';

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

const STEP_VI: Record<DocumentFile['step'], string> = {
  draft: 'dự thảo',
  signed: 'đã ký',
  numbered: 'đã cấp số',
  issued: 'phát hành',
  received: 'bản nhận',
  imported: 'bản nhập',
  attachment: 'đính kèm',
};

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

/** The files of a document, one line each: versions with their step, then the attachments by number. */
export function fileLines(files: DocumentFiles): string[] {
  const lines = files.versions.map(
    (v) => `  tệp: ${STEP_VI[v.step]}${v.current ? ' (hiện tại)' : ''} — ${v.fileName}, ${size(v.size)}${v.signer ? `, ký bởi ${v.signer}` : ''}${v.at ? `, ${formatDateTimeVn(v.at)}` : ''}`,
  );
  for (const a of files.attachments) lines.push(`  đính kèm ${a.index}: ${a.fileName}, ${size(a.size)}${a.signed ? ', đã ký số' : ''}${a.description && a.description !== a.fileName ? ` — ${a.description}` : ''}`);
  if (files.attachments.length === 0) lines.push('  đính kèm: không có');
  return lines;
}

export async function printFiles(core: Core, id: number, out: (line: string) => void): Promise<void> {
  fileLines(await call(core, 'documents.files', { id })).forEach((line) => out(line));
}

const VERSIONS = ['draft', 'signed', 'numbered', 'issued', 'received', 'imported'] as const;

/**
 * Copies one file of the document to `output`, whole or not at all: the current file, the last
 * version of a step (`version`), or the attachment numbered `attachment` (from 1, as `show` lists it).
 */
export async function exportFile(core: Core, id: number, options: { output?: string; attachment?: string; version?: string }, out: (line: string) => void): Promise<number> {
  if (!options.output) throw new CliError('-o <file> is required');
  if (options.attachment !== undefined && options.version !== undefined) throw new CliError('give --attachment or --version, not both');
  assertOutputFolder(options.output);
  let sha256: string | undefined;
  if (options.attachment !== undefined || options.version !== undefined) {
    const files = await call(core, 'documents.files', { id });
    if (options.attachment !== undefined) {
      const n = Number(options.attachment);
      const found = files.attachments.find((a) => a.index === n);
      if (!found) throw new CliError(`document ${id} has no attachment ${options.attachment}: it has ${files.attachments.length === 0 ? 'none' : `1 to ${files.attachments.length}`}`);
      sha256 = found.sha256;
    } else {
      const step = options.version as (typeof VERSIONS)[number];
      if (!VERSIONS.includes(step)) throw new CliError(`--version must be one of ${VERSIONS.join(', ')}, not "${options.version}"`);
      const found = files.versions.filter((v) => v.step === step).at(-1);
      if (!found) throw new CliError(`document ${id} has no ${step} version; it has: ${files.versions.map((v) => v.step).join(', ') || 'none'}`);
      sha256 = found.sha256;
    }
  }
  const content = await call(core, 'documents.content', { id, ...(sha256 ? { sha256 } : {}) });
  writeWhole(options.output, content.bytes);
  out(options.output);
  return 0;
}
