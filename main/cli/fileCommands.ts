// A document's files at the terminal: `in show` / `out show` list its versions and attachments,
// `in export` / `out export` copy one out whole — the current file, a version (`--version signed`)
// or an attachment by its number (`--attachment 2`), through the same API as the app's "Tải về".
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import type { DocumentFiles, MethodName, Output } from '../common/contract.js';
import { formatDateTimeVn } from '../common/dates.js';
import type { ValidationReport, ValidationStatus } from '../common/validation.js';
import { CliError } from './cliError.js';
import { assertOutputFolder, writeWhole } from './outputFile.js';
import { FILE_STEP_VI } from '../common/fileSteps.js';

async function call<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

/** The files of a document, one line each: versions with their step, then the attachments by number. */
export function fileLines(files: DocumentFiles): string[] {
  const lines = files.versions.map(
    (v) => `  tệp: ${FILE_STEP_VI[v.step]}${v.current ? ' (hiện tại)' : ''} — ${v.fileName}, ${size(v.size)}${v.signer ? `, ký bởi ${v.signer}` : ''}${v.at ? `, ${formatDateTimeVn(v.at)}` : ''}`,
  );
  for (const a of files.attachments) lines.push(`  đính kèm ${a.index}: ${a.fileName}, ${size(a.size)}${a.signed ? ', đã ký số' : ''}${a.description && a.description !== a.fileName ? ` — ${a.description}` : ''}`);
  if (files.attachments.length === 0) lines.push('  đính kèm: không có');
  return lines;
}

const STATUS_VI: Record<ValidationStatus, string> = {
  valid: 'hợp lệ',
  'valid-revocation-unknown': 'hợp lệ, chưa kiểm tra được tình trạng thu hồi',
  invalid: 'KHÔNG HỢP LỆ',
  indeterminate: 'chưa xác định',
};

/** An attachment's signatures, one line each: who signed, whether the file is whole, the verdict. */
export function signatureLines(index: number, report: ValidationReport): string[] {
  if (report.signatures.length === 0) return [`  đính kèm ${index} — chữ ký số: không có`];
  return report.signatures.map((s) => {
    const who = s.signer ? `${s.signer.name ?? s.signer.subject}${s.signer.agency && s.signer.agency !== s.signer.name ? ` (${s.signer.agency})` : ''}` : 'không rõ người ký';
    const whole = s.integrity === 'valid' ? 'toàn vẹn' : 'bị sửa đổi hoặc hỏng';
    const reasons = s.reasons.filter((r) => r.severity !== 'info').map((r) => r.code);
    return `  đính kèm ${index} — chữ ký số: ${who}, ${formatDateTimeVn(s.signingTime)}, ${whole}, ${STATUS_VI[s.status]}${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
  });
}

/**
 * The files of a document, then each PDF attachment's signatures checked as the main file's are
 * (offline: `show` never waits on a CA; `eoffice verify` on the exported file asks online).
 */
export async function printFiles(core: Core, id: number, out: (line: string) => void): Promise<void> {
  const files = await call(core, 'documents.files', { id });
  fileLines(files).forEach((line) => out(line));
  for (const a of files.attachments) {
    if (a.mediaType !== 'application/pdf') continue;
    const checked = await invoke(core.handlers, 'documents.validate', { id, sha256: a.sha256, online: false }, () => undefined);
    if (checked.ok) signatureLines(a.index!, checked.result as ValidationReport).forEach((line) => out(line));
    else out(`  đính kèm ${a.index} — chữ ký số: không kiểm tra được (${checked.error.message})`);
  }
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
