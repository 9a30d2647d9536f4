// Adding a file to the store so that a crash at any point leaves either nothing or the whole
// change: (1) journal the blob as pending, (2) write it durably, (3) one transaction inserts its
// files row, makes the change that points to it and clears the journal. A crash before (3)
// commits leaves a pending blob that the next start-up removes (sweepPendingFiles).
import fs from 'node:fs';
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { BlobStore, isProcessAlive, type FilePart, type PendingBlob } from '../storage/blobStore.js';
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
  const journal = new FileJournal(ctx);
  try {
    journal.store(Array.isArray(file) ? (file as readonly NewFile[]) : [file as NewFile]);
    return journal.commit(commit);
  } catch (error) {
    journal.undo();
    throw error;
  }
}

/**
 * The same, for a change whose last file is made from the first ones: the edXML package carries
 * the signed PDF stored in the same step, and is written by streaming from it. `produce` writes
 * its files (staged in the store's temporary folder), reading the step's files where `pathOf`
 * says they are now. The files' fsyncs run on the thread pool while `produce` works, and all of
 * them are in place, durably, before the commit: a document issued waited for five fsyncs in a
 * row (issue 19).
 */
export async function storeFilesThenCommitWith<T>(
  ctx: FileStoreContext,
  files: readonly NewFile[],
  produce: (stored: readonly NewFile[], pathOf: (sha256: string) => string) => Promise<readonly NewFile[]>,
  commit: (storedAt: string, produced: readonly NewFile[]) => T,
): Promise<T> {
  const journal = new FileJournal(ctx);
  try {
    journal.write(files);
    const produced = await produce(files, (sha256) => journal.readablePath(sha256));
    journal.write(produced);
    await journal.placeDurably();
    return journal.commit((now) => commit(now, produced));
  } catch (error) {
    journal.undo();
    throw error;
  }
}

class FileJournal {
  private readonly now = toVnIso();
  private readonly files: NewFile[] = [];
  private readonly existed = new Map<string, boolean>();
  /** Written to temporary names, not yet in place (write), with their fsyncs under way. */
  private readonly pending: PendingBlob[] = [];
  private readonly syncing = new Map<PendingBlob, Promise<void>>();

  constructor(private readonly ctx: FileStoreContext) {}

  /** The step's files, and whether each was in the store before it (undo removes only new ones). */
  private add(files: readonly NewFile[]): void {
    for (const f of files) {
      if (!this.existed.has(f.sha256)) this.existed.set(f.sha256, this.ctx.blobs.has(f.sha256));
      this.files.push(f);
    }
  }

  /**
   * Records the files as pending before any of them takes its name in the store, so that a crash
   * before the commit leaves nothing the recovery cannot remove. One transaction, so one wait for
   * the disk however many files the step has.
   */
  private journal(files: readonly NewFile[]): void {
    const { db } = this.ctx;
    const journal = prepared(db, 'INSERT OR IGNORE INTO pending_files (sha256, pid, started_at) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const f of files) journal.run(f.sha256, process.pid, this.now);
    })();
  }

  /** Journals the files and stores each durably, one after the other. */
  store(files: readonly NewFile[]): void {
    this.add(files);
    this.journal(files);
    for (const f of files) this.ctx.blobs.putParts(f.parts, f.sha256);
  }

  /**
   * Writes each file to a temporary name, its fsync started at once; placeDurably journals them
   * and puts them in place. Until then they are temporary files, which the store clears by their
   * process id: journaling every file of the step at once saves a commit per write (issue 19).
   */
  write(files: readonly NewFile[]): void {
    this.add(files);
    for (const f of files) {
      const pending = this.ctx.blobs.writePending(f.parts, f.sha256);
      if (!pending) continue;
      this.pending.push(pending);
      this.syncing.set(pending, this.ctx.blobs.startSync(pending));
    }
  }

  /** Where a file of this step can be read now: its temporary name until it is in place. */
  readablePath(sha256: string): string {
    return this.pending.find((p) => p.sha256 === sha256)?.path ?? this.ctx.blobs.pathFor(sha256);
  }

  async placeDurably(): Promise<void> {
    this.journal(this.files);
    await this.ctx.blobs.placeDurably(this.pending, this.syncing);
    this.pending.length = 0;
  }

  commit<T>(change: (storedAt: string) => T): T {
    const { db, blobs } = this.ctx;
    this.ctx.beforeCommit?.();
    return db
      .transaction(() => {
        for (const f of this.files) {
          prepared(db, 'INSERT OR IGNORE INTO files (sha256, size, media_type, stored_at) VALUES (?, ?, ?, ?)').run(f.sha256, fs.statSync(blobs.pathFor(f.sha256)).size, f.mediaType, this.now);
        }
        const result = change(this.now);
        for (const f of this.files) prepared(db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(f.sha256, process.pid);
        return result;
      })
      .immediate();
  }

  undo(): void {
    const { db, blobs } = this.ctx;
    for (const p of this.pending) fs.rmSync(p.path, { force: true });
    for (const f of this.files) {
      prepared(db, 'DELETE FROM pending_files WHERE sha256 = ? AND pid = ?').run(f.sha256, process.pid);
      if (!this.existed.get(f.sha256) && !isFileReferenced(db, f.sha256)) blobs.remove(f.sha256);
      for (const part of f.parts) if (!(part instanceof Uint8Array) && 'staged' in part) fs.rmSync(part.staged, { force: true });
    }
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
