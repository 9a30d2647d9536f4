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
 * Stores the file (or files), then runs `commit` inside the transaction that records them. If
 * anything fails, the journal entries go, and so do the blobs unless they were there before or
 * something else refers to them.
 */
export function storeFileThenCommit<T>(ctx: FileStoreContext, file: NewFile | readonly NewFile[], commit: (storedAt: string) => T): T {
  const { db, blobs } = ctx;
  const files = Array.isArray(file) ? (file as readonly NewFile[]) : [file as NewFile];
  const now = toVnIso();
  const journal = prepared(db, 'INSERT OR IGNORE INTO pending_files (sha256, pid, started_at) VALUES (?, ?, ?)');
  const existed = new Map<string, boolean>();
  for (const f of files) {
    journal.run(f.sha256, process.pid, now);
    if (!existed.has(f.sha256)) existed.set(f.sha256, blobs.has(f.sha256));
  }
  try {
    for (const f of files) blobs.putParts(f.parts, f.sha256);
    ctx.beforeCommit?.();
    return db
      .transaction(() => {
        for (const f of files) {
          prepared(db, 'INSERT OR IGNORE INTO files (sha256, size, media_type, stored_at) VALUES (?, ?, ?, ?)').run(f.sha256, blobs.sizeOfParts(f.parts), f.mediaType, now);
        }
        const result = commit(now);
        for (const f of files) prepared(db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(f.sha256, process.pid);
        return result;
      })
      .immediate();
  } catch (error) {
    for (const f of files) {
      prepared(db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(f.sha256, process.pid);
      if (!existed.get(f.sha256) && !isFileReferenced(db, f.sha256)) blobs.remove(f.sha256);
    }
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
