// Adding a file to the store so that a crash at any point leaves either nothing or the whole
// change: (1) journal the blob as pending, (2) write it durably, (3) one transaction inserts its
// files row, makes the change that points to it and clears the journal. A crash before (3)
// commits leaves a pending blob that the next start-up removes (sweepPendingFiles).
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { BlobStore, isProcessAlive, type FilePart } from '../storage/blobStore.js';
import { toVnIso } from '../../common/dates.js';

export interface NewFile {
  /** The file's pieces in order; a signed PDF is its stored original followed by the appended update. */
  parts: readonly FilePart[];
  sha256: string;
  mediaType: string;
}

export interface FileStoreContext {
  db: Database;
  blobs: BlobStore;
  /** Test hook for crash tests: called between the durable blob write and the commit. */
  beforeCommit?: () => void;
}

/**
 * Stores the file, then runs `commit` inside the transaction that records it. If anything fails,
 * the journal entry goes, and so does the blob unless it was there before or something else
 * refers to it.
 */
export function storeFileThenCommit<T>(ctx: FileStoreContext, file: NewFile, commit: (storedAt: string) => T): T {
  const { db, blobs } = ctx;
  const now = toVnIso();
  const size = blobs.sizeOfParts(file.parts);
  prepared(db, 'INSERT OR IGNORE INTO pending_files (sha256, pid, started_at) VALUES (?, ?, ?)').run(file.sha256, process.pid, now);
  const blobExisted = blobs.has(file.sha256);
  try {
    blobs.putParts(file.parts, file.sha256);
    ctx.beforeCommit?.();
    return db
      .transaction(() => {
        prepared(db, 'INSERT OR IGNORE INTO files (sha256, size, media_type, stored_at) VALUES (?, ?, ?, ?)').run(file.sha256, size, file.mediaType, now);
        const result = commit(now);
        prepared(db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(file.sha256, process.pid);
        return result;
      })
      .immediate();
  } catch (error) {
    prepared(db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(file.sha256, process.pid);
    if (!blobExisted && !isFileReferenced(db, file.sha256)) blobs.remove(file.sha256);
    throw error;
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
