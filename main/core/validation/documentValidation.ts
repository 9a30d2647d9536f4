// Validating a document of the registry: its current file, or one of its versions or
// attachments, against this installation's trust store and revocation cache. Offline (a commune without network) the cache is all there is, and
// a signature without a cached answer is "revocation unknown", never "valid".
import fs from 'node:fs';
import type { Database } from '../storage/database.js';
import type { BlobStore } from '../storage/blobStore.js';
import { documentFile } from '../registry/documentFiles.js';
import { AppError } from '../../common/errors.js';
import type { ValidationReport } from '../../common/validation.js';
import { fileSource } from '../pdf/source.js';
import { validatePdf } from './report.js';
import { openRevocationChecker } from './revocation.js';
import { openTrustStore } from './trustStore.js';

/** A received attachment may be anything (a spreadsheet, a zip): only a PDF is validated. */
function isPdf(file: { mediaType: string; fileName: string }): boolean {
  return file.mediaType === 'application/pdf' || /\.pdf$/i.test(file.fileName);
}

export interface ValidationContext {
  db: Database;
  blobs: BlobStore;
  dataDir: string;
}

/** A clerk is waiting for the panel: revocation services get this long per request, and all together. */
const REVOCATION_TIMEOUT_MS = 5000;
const REVOCATION_BUDGET_MS = 8000;

export async function validateDocument(ctx: ValidationContext, id: number, options: { online: boolean; now?: Date; sha256?: string }): Promise<ValidationReport> {
  // The current file, or one of its versions or attachments: validated alike.
  const file = documentFile(ctx.db, id, options.sha256);
  if (!isPdf(file)) throw new AppError('NOT_PDF', `${file.fileName} is not a PDF: only PDF files carry signatures eOffice can check.`, { fileName: file.fileName });
  let fd: number;
  try {
    fd = fs.openSync(ctx.blobs.pathFor(file.sha256), 'r');
  } catch {
    throw new AppError('STORAGE_CORRUPT', `The file ${file.fileName} of document ${id} is missing from the data folder.`, { id, fileName: file.fileName });
  }
  try {
    return await validatePdf(fileSource(fd), {
      trustStore: openTrustStore(ctx.dataDir),
      revocation: openRevocationChecker({ dataDir: ctx.dataDir, online: options.online, timeoutMs: REVOCATION_TIMEOUT_MS, budgetMs: REVOCATION_BUDGET_MS }),
      fileName: file.fileName,
      now: options.now,
    });
  } finally {
    fs.closeSync(fd);
  }
}
