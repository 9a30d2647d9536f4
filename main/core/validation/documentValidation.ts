// Validating a document of the registry: its current file, against this installation's trust
// store and revocation cache. Offline (a commune without network) the cache is all there is, and
// a signature without a cached answer is "revocation unknown", never "valid".
import fs from 'node:fs';
import type { Database } from '../storage/database.js';
import type { BlobStore } from '../storage/blobStore.js';
import { getDocumentRow } from '../registry/documents.js';
import { AppError } from '../../common/errors.js';
import type { ValidationReport } from '../../common/validation.js';
import { fileSource } from '../pdf/source.js';
import { validatePdf } from './report.js';
import { openRevocationChecker } from './revocation.js';
import { openTrustStore } from './trustStore.js';

export interface ValidationContext {
  db: Database;
  blobs: BlobStore;
  dataDir: string;
}

/** A clerk is waiting for the panel: revocation services get this long per request, and all together. */
const REVOCATION_TIMEOUT_MS = 5000;
const REVOCATION_BUDGET_MS = 8000;

export async function validateDocument(ctx: ValidationContext, id: number, options: { online: boolean; now?: Date }): Promise<ValidationReport> {
  const row = getDocumentRow(ctx.db, id);
  if (!row.file_sha256) throw new AppError('NO_FILE', `Document ${id} has no file.`, { id });
  let fd: number;
  try {
    fd = fs.openSync(ctx.blobs.pathFor(row.file_sha256), 'r');
  } catch {
    throw new AppError('STORAGE_CORRUPT', `The file of document ${id} is missing from the data folder.`, { id });
  }
  try {
    return await validatePdf(fileSource(fd), {
      trustStore: openTrustStore(ctx.dataDir),
      revocation: openRevocationChecker({ dataDir: ctx.dataDir, online: options.online, timeoutMs: REVOCATION_TIMEOUT_MS, budgetMs: REVOCATION_BUDGET_MS }),
      fileName: row.file_name ?? `${id}.pdf`,
      now: options.now,
    });
  } finally {
    fs.closeSync(fd);
  }
}
