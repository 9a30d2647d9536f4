// eoffice verify <pdf…> [--json] [--trust <pem>…] [--offline]: the signature validation report
// for scripts and IT staff. Exit 0 only when every signature of every file is valid and trusted,
// 1 otherwise (a file that cannot be read included), 2 for a command line that makes no sense.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../common/errors.js';
import { fileSource } from '../core/pdf/source.js';
import { validatePdf, type ValidationReport } from '../core/validation/report.js';
import { openRevocationChecker, type RevocationChecker } from '../core/validation/revocation.js';
import { openTrustStore, readTrustFile, withExtraCertificates, type TrustAnchors } from '../core/validation/trustStore.js';
import type { CertificateView } from '../core/validation/certificates.js';

export const VERIFY_USAGE = `Usage: eoffice verify <pdf…> [--json] [--trust <pem|der|p7b>…] [--offline]
  validates every signature: integrity, changes after signing, the certificate path to the trust
  store (<data-dir>/trust, plus --trust files for this run only), validity, revocation (CRL/OCSP,
  cached; --offline uses the cache only). Exit 0 only when every signature is valid.`;

type FileOutcome = ValidationReport | { fileName: string; error: { code: string; message: string } };

/**
 * `argv` is what follows `verify` on the command line; `out` gets whole lines. Resolves to the
 * exit code: 0 all valid, 1 anything else, 2 bad usage.
 */
export async function runVerify(argv: string[], out: (line: string) => void, dataDir: string): Promise<number> {
  let parsed: { values: { json?: boolean; trust?: string[]; offline?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' }, trust: { type: 'string', multiple: true }, offline: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(out, (error as Error).message);
  }
  const { values, positionals: files } = parsed;
  if (files.length === 0) return usageError(out, 'no PDF file given');

  const extra: CertificateView[] = [];
  for (const file of values.trust ?? []) {
    try {
      extra.push(...readTrustFile(new Uint8Array(fs.readFileSync(file)), path.basename(file)));
    } catch (error) {
      return usageError(out, `--trust ${file}: ${(error as Error).message}`);
    }
  }
  const trustStore = withExtraCertificates(openTrustStore(dataDir), extra);
  const revocation = openRevocationChecker({ dataDir, online: !values.offline });

  const outcomes: FileOutcome[] = [];
  for (const file of files) outcomes.push(await validateFile(file, trustStore, revocation));

  if (values.json) out(JSON.stringify(outcomes));
  else for (const outcome of outcomes) for (const line of describe(outcome)) out(line);
  return outcomes.every((o) => 'status' in o && o.status === 'valid') ? 0 : 1;
}

function usageError(out: (line: string) => void, message: string): number {
  out(`eoffice verify: ${message}`);
  out(VERIFY_USAGE);
  return 2;
}

async function validateFile(file: string, trustStore: TrustAnchors, revocation: RevocationChecker): Promise<FileOutcome> {
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
    return await validatePdf(fileSource(fd), { trustStore, revocation, fileName });
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
