// Nhập văn bản: a PDF becomes a document in a register, whole or not at all.
// Order matters for crash safety: (1) check the file, (2) journal the blob as pending, (3) write
// the blob durably, (4) one transaction inserts the file row, the document, its search entry
// and its audit entry and clears the journal. A crash before (4) commits leaves a pending blob
// that the next start-up removes (sweepPendingFiles); after it, the document is complete.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { BlobStore, isProcessAlive, sha256Hex } from '../storage/blobStore.js';
import { AppError } from '../../common/errors.js';
import { toVnIso, vnYear } from '../../common/dates.js';
import { inspectPdf } from '../pdf/inspect.js';
import { guessMetadata } from '../pdf/guessMetadata.js';
import { findDocumentByFile, insertDocument } from './documents.js';
import type { Direction } from './registers.js';

export interface ImportRequest {
  direction: Direction;
  fileName: string;
  bytes: Uint8Array;
}

export interface ImportContext {
  db: Database;
  blobs: BlobStore;
  maxBytes: number;
  actor: string;
  /** Test hook for crash tests: called between the durable blob write and the commit. */
  beforeCommit?: () => void;
}

/** Strips any folder part and control characters: the name is shown, never used as a path. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').normalize('NFC').trim();
  return cleaned.slice(0, 255) || 'tai-lieu.pdf';
}

export async function importDocument(ctx: ImportContext, request: ImportRequest): Promise<number> {
  const fileName = cleanFileName(request.fileName);
  const { bytes } = request;
  if (bytes.length > ctx.maxBytes) {
    throw new AppError('FILE_TOO_LARGE', `${fileName} is larger than the ${Math.round(ctx.maxBytes / 1048576)} MB limit.`, {
      fileName,
      limitMb: Math.round(ctx.maxBytes / 1048576),
      sizeMb: Math.round((bytes.length / 1048576) * 10) / 10,
    });
  }
  const facts = await inspectPdf(bytes, fileName);
  const sha256 = sha256Hex(bytes);
  throwIfDuplicate(ctx.db, sha256, fileName);

  const guess = guessMetadata(facts.text);
  const now = toVnIso();
  prepared(ctx.db, 'INSERT OR IGNORE INTO pending_files (sha256, pid, started_at) VALUES (?, ?, ?)').run(sha256, process.pid, now);
  const blobExisted = ctx.blobs.has(sha256);
  try {
    ctx.blobs.put(bytes, sha256);
    ctx.beforeCommit?.();
    return ctx.db.transaction(() => {
      throwIfDuplicate(ctx.db, sha256, fileName);
      prepared(ctx.db, 'INSERT OR IGNORE INTO files (sha256, size, media_type, stored_at) VALUES (?, ?, ?, ?)').run(sha256, bytes.length, 'application/pdf', now);
      const id = insertDocument(
        ctx.db,
        {
          direction: request.direction,
          year: vnYear(),
          // An outgoing PDF enters as a draft: its number comes only after the competent person signs.
          // An incoming one keeps the sender's number and notation as printed.
          typeCode: guess.typeCode ?? 'CV',
          subject: guess.subject ?? facts.title ?? fileName.replace(/\.pdf$/i, ''),
          state: request.direction === 'in' ? 'received' : 'draft',
          number: request.direction === 'in' ? (guess.number ?? null) : null,
          notation: request.direction === 'in' ? (guess.notation ?? null) : null,
          documentDate: request.direction === 'in' ? (guess.documentDate ?? null) : null,
          authorAgency: request.direction === 'in' ? (guess.authorAgency ?? '') : '',
          fileSha256: sha256,
          fileName,
          pageCount: facts.pageCount,
          bodyText: facts.text,
          registeredAt: now,
        },
        ctx.actor,
      );
      prepared(ctx.db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(sha256, process.pid);
      return id;
    }).immediate();
  } catch (error) {
    prepared(ctx.db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(sha256, process.pid);
    if (!blobExisted && !isFileReferenced(ctx.db, sha256)) ctx.blobs.remove(sha256);
    throw error;
  }
}

function throwIfDuplicate(db: Database, sha256: string, fileName: string): void {
  const existing = findDocumentByFile(db, sha256);
  if (existing) {
    throw new AppError('DUPLICATE_FILE', `${fileName} is already in the registry as document ${existing.id}.`, {
      fileName,
      existingId: existing.id,
      existingDirection: existing.direction,
      existingNotation: existing.notation,
    });
  }
}

function isFileReferenced(db: Database, sha256: string): boolean {
  return prepared(db, 'SELECT 1 FROM files WHERE sha256 = ?').get(sha256) !== undefined;
}

/**
 * At start-up: blobs journalled by a process that is gone and never committed are removed, with
 * their journal rows, and so are half-written temporary files.
 */
export function sweepPendingFiles(db: Database, blobs: BlobStore): { removedBlobs: number; removedTemporary: number } {
  let removedBlobs = 0;
  const pending = prepared(db, 'SELECT sha256, pid FROM pending_files').all() as { sha256: string; pid: number }[];
  for (const { sha256, pid } of pending) {
    if (isProcessAlive(pid)) continue;
    const stillPending = prepared(db, 'SELECT 1 FROM pending_files WHERE sha256 = ? AND pid != ?').get(sha256, pid);
    if (!isFileReferenced(db, sha256) && !stillPending) {
      blobs.remove(sha256);
      removedBlobs++;
    }
    prepared(db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(sha256, pid);
  }
  return { removedBlobs, removedTemporary: blobs.clearTemporaryFiles() };
}
