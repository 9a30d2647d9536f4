// eoffice verify <pdf…> [--json] [--trust <pem>…] [--offline]: the signature validation report
// for scripts and IT staff. Exit 0 only when every signature of every file is valid and trusted;
// 3 when that holds but for revocation, which could not be checked (offline, a commune's usual
// day, must not read like a forgery); 1 otherwise (a file that cannot be read included); 2 for a
// command line that makes no sense.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../common/errors.js';
import { fileSource } from '../core/pdf/source.js';
import { validatePdf, type ValidationReport } from '../core/validation/report.js';
import { openRevocationChecker, type RevocationOptions } from '../core/validation/revocation.js';
import { notCaError, openTrustStore, readCertificateFile, withExtraCertificates, type TrustAnchors } from '../core/validation/trustStore.js';
import type { CertificateView } from '../core/validation/certificates.js';
import { VERIFY_USAGE } from './usage.js';
import { pdfWorker } from '../core/pdfWorker/pdfWorker.js';

const EXIT_VALID = 0;
const EXIT_PROBLEM = 1;
const EXIT_USAGE = 2;
const EXIT_REVOCATION_UNKNOWN = 3;

type FileOutcome = ValidationReport | { fileName: string; error: { code: string; message: string } };

export interface VerifyOptions {
  /** Warnings, one line each; standard error unless given. */
  warn?: (line: string) => void;
  /** Tests only: the revocation checker's address policy (RevocationOptions), to reach their 127.0.0.1 server. */
  addressAllowed?: RevocationOptions['addressAllowed'];
}

/**
 * `argv` is what follows `verify` on the command line; `out` gets whole lines. Resolves to the
 * exit code (VERIFY_USAGE lists them).
 */
export async function runVerify(argv: string[], out: (line: string) => void, dataDir: string, options: VerifyOptions = {}): Promise<number> {
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  let parsed: { values: { json?: boolean; trust?: string[]; offline?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' }, trust: { type: 'string', multiple: true }, offline: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(out, (error as Error).message);
  }
  const { values, positionals: files } = parsed;
  if (files.length === 0) return usageError(out, 'no PDF file given');
  // The files are read in the PDF worker: its start overlaps the trust store's loading.
  pdfWorker().prepare('signatureFacts');

  const extra: CertificateView[] = [];
  for (const file of values.trust ?? []) {
    let certificates: CertificateView[];
    try {
      certificates = readCertificateFile(new Uint8Array(fs.readFileSync(file)), path.basename(file));
    } catch (error) {
      return usageError(out, `--trust ${file}: ${(error as Error).message}`);
    }
    // A signer's certificate given by mistake, alone or in a bundle, is never trusted; the run goes on without it.
    for (const view of certificates) {
      if (view.isCa) extra.push(view);
      else warn(`eoffice verify: warning: --trust ${file}: ${notCaError(view, path.basename(file)).message} It is skipped.`);
    }
  }
  const trustStore = withExtraCertificates(openTrustStore(dataDir), extra);
  const revocation: RevocationOptions = { dataDir, online: !values.offline, addressAllowed: options.addressAllowed };

  const outcomes: FileOutcome[] = [];
  for (const file of files) outcomes.push(await validateFile(file, trustStore, revocation));

  if (values.json) out(JSON.stringify(outcomes));
  else for (const outcome of outcomes) for (const line of describe(outcome)) out(line);
  return exitCode(outcomes);
}

function exitCode(outcomes: readonly FileOutcome[]): number {
  const statuses = outcomes.map((o) => ('status' in o ? o.status : null));
  if (statuses.every((status) => status === 'valid')) return EXIT_VALID;
  if (statuses.every((status) => status === 'valid' || status === 'valid-revocation-unknown')) return EXIT_REVOCATION_UNKNOWN;
  return EXIT_PROBLEM;
}

function usageError(out: (line: string) => void, message: string): number {
  out(`eoffice verify: ${message}`);
  out(VERIFY_USAGE);
  return EXIT_USAGE;
}

/** A revocation checker per file: its time budget is one validation's. */
async function validateFile(file: string, trustStore: TrustAnchors, revocation: RevocationOptions): Promise<FileOutcome> {
  const fileName = path.basename(file);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
    if (!fs.fstatSync(fd).isFile()) {
      fs.closeSync(fd);
      return { fileName, error: { code: 'FILE_UNREADABLE', message: `${file} is not a file` } };
    }
  } catch (error) {
    return { fileName, error: { code: 'FILE_UNREADABLE', message: `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` } };
  }
  try {
    return await validatePdf(fileSource(fd), { trustStore, revocation: openRevocationChecker(revocation), fileName });
  } catch (error) {
    if (error instanceof AppError) return { fileName, error: { code: error.code, message: error.message } };
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** One line per signature: file, field, signer (agency), time, status, and the reasons when not valid. */
function describe(outcome: FileOutcome): string[] {
  if ('error' in outcome) return [`${outcome.fileName}: error: ${outcome.error.message}`];
  if (outcome.signatures.length === 0) return [`${outcome.fileName}: no signatures`];
  return outcome.signatures.map((signature) => {
    const signer = signature.signer ? `${signature.signer.name ?? signature.signer.subject}${signature.signer.agency ? ` (${signature.signer.agency})` : ''}` : 'unknown signer';
    const reasons = signature.reasons.filter((r) => r.severity !== 'info').map((r) => `${r.code}: ${r.message}`);
    return [outcome.fileName, signature.fieldName, signer, signature.signingTime, signature.status, ...(reasons.length > 0 ? [reasons.join('; ')] : [])].join('  ');
  });
}
