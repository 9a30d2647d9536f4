// Document files, stored once each, named by their SHA-256. A file is written to a temporary
// name, fsynced, renamed into place and its folder fsynced, so that after a crash a stored name
// always holds the whole file. The database row that points to it is committed only afterwards.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A piece of a file to store: bytes, or a file already in the store (by its SHA-256). A signed
 * PDF is its stored original followed by the appended update, so the original is never loaded
 * into memory, however large the scan.
 */
export type FilePart = Uint8Array | { readonly stored: string } | StagedFile;

/**
 * A whole file written elsewhere first, in the store's temporary folder (see stagingPath):
 * a received package or attachment decoded while it streamed in. It is moved into place, not
 * copied, and only ever as a file's only part.
 */
export interface StagedFile {
  readonly staged: string;
}

/** A file written to a temporary name (or staged), to be moved into the store once synced. */
export interface PendingBlob {
  readonly path: string;
  readonly sha256: string;
  /** Written elsewhere first (a StagedFile): not this store's to remove before it is placed. */
  readonly staged: boolean;
}

const CHUNK = 1 << 20;

export class BlobStore {
  readonly root: string;
  private readonly tmpDir: string;

  constructor(root: string) {
    this.root = root;
    this.tmpDir = path.join(root, 'tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathFor(sha256));
  }

  /** Writes the bytes durably unless a file with that hash is already stored. */
  put(bytes: Uint8Array, sha256: string = sha256Hex(bytes)): string {
    return this.putParts([bytes], sha256);
  }

  /** The SHA-256 of the parts joined, without joining them (stored parts are read in chunks). */
  sha256OfParts(parts: readonly FilePart[]): string {
    const hash = createHash('sha256');
    for (const part of parts) {
      if (part instanceof Uint8Array) hash.update(part);
      else this.forEachChunk(this.partPath(part), (chunk) => hash.update(chunk));
    }
    return hash.digest('hex');
  }

  private partPath(part: { readonly stored: string } | StagedFile): string {
    return 'staged' in part ? part.staged : this.pathFor(part.stored);
  }

  /**
   * A new path in the temporary folder for a file that will be moved into the store. The name
   * carries the pid, so that a crash mid-write leaves nothing that start-up does not sweep.
   */
  stagingPath(label: string): string {
    return path.join(this.tmpDir, `${label}.${process.pid}.${randomBytes(6).toString('hex')}.part`);
  }

  private forEachChunk(file: string, consume: (chunk: Uint8Array) => void): void {
    const fd = fs.openSync(file, 'r');
    const buffer = Buffer.allocUnsafe(CHUNK);
    try {
      for (let n = fs.readSync(fd, buffer, 0, CHUNK, null); n > 0; n = fs.readSync(fd, buffer, 0, CHUNK, null)) consume(buffer.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Writes the parts, one after the other, as one file, durably (fsync, rename, fsync the folder):
   * a signed PDF is the original followed by its incremental update, and need not be copied into
   * one buffer first.
   */
  putParts(parts: readonly FilePart[], sha256: string = this.sha256OfParts(parts)): string {
    const pending = this.writePending(parts, sha256, { sync: true });
    if (pending) {
      if (pending.staged) syncPath(pending.path);
      this.place(pending);
      fsyncDirectory(path.dirname(this.pathFor(sha256)));
    }
    return sha256;
  }

  /**
   * The first half of putParts for a step that makes several files durable together
   * (placeDurably): the parts written to a temporary file, not yet synced, or the staged file
   * itself. Null when a file with that hash is stored already.
   */
  writePending(parts: readonly FilePart[], sha256: string = this.sha256OfParts(parts), options: { sync?: boolean } = {}): PendingBlob | null {
    const target = this.pathFor(sha256);
    const staged = parts.find((part): part is StagedFile => !(part instanceof Uint8Array) && 'staged' in part);
    if (staged && parts.length !== 1) throw new Error('A staged file is stored on its own, not joined to other parts.');
    if (fs.existsSync(target)) {
      if (staged) fs.rmSync(staged.staged, { force: true });
      return null;
    }
    if (staged) return { path: staged.staged, sha256, staged: true };
    const tmp = path.join(this.tmpDir, `${sha256}.${process.pid}.${randomBytes(6).toString('hex')}.part`);
    // A stored file first is copied by the kernel (copy_file_range, or a reflink), then appended to.
    const [first] = parts;
    const copied = first !== undefined && !(first instanceof Uint8Array);
    if (copied) fs.copyFileSync(this.partPath(first), tmp, fs.constants.COPYFILE_EXCL);
    let fd: number;
    try {
      fd = fs.openSync(tmp, copied ? 'a' : 'wx', 0o600);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    const write = (bytes: Uint8Array) => {
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    };
    try {
      for (const part of copied ? parts.slice(1) : parts) {
        if (part instanceof Uint8Array) write(part);
        else this.forEachChunk(this.partPath(part), write);
      }
      if (options.sync) fs.fsyncSync(fd);
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    fs.closeSync(fd);
    return { path: tmp, sha256, staged: false };
  }

  /**
   * Pending files made durable together: fsynced at once on the thread pool (the file system
   * commits its journal for all of them in one go, and this thread works meanwhile), moved into
   * place, then their folders fsynced the same way. `synced` holds fsyncs already started.
   */
  async placeDurably(pending: readonly PendingBlob[], synced: ReadonlyMap<PendingBlob, Promise<void>> = new Map()): Promise<void> {
    await Promise.all(pending.map((p) => synced.get(p) ?? syncPathAsync(p.path)));
    for (const p of pending) this.place(p);
    await Promise.all([...new Set(pending.map((p) => path.dirname(this.pathFor(p.sha256))))].map((dir) => (process.platform === 'win32' ? undefined : syncPathAsync(dir))));
  }

  /** Starts a pending file's fsync on the thread pool; placeDurably waits for it. */
  startSync(pending: PendingBlob): Promise<void> {
    const synced = syncPathAsync(pending.path);
    // Awaited by placeDurably; a failure before then must not surface as an unhandled rejection.
    synced.catch(() => {});
    return synced;
  }

  /** Moves a pending file (synced) to its name in the store; it is gone from its temporary name whatever happens. */
  private place(pending: PendingBlob): void {
    const target = this.pathFor(pending.sha256);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(pending.path, target);
    } catch (error) {
      fs.rmSync(pending.path, { force: true });
      throw error;
    }
  }

  read(sha256: string): Buffer {
    return fs.readFileSync(this.pathFor(sha256));
  }

  remove(sha256: string): void {
    fs.rmSync(this.pathFor(sha256), { force: true });
  }

  /** Removes temporary files left by processes that died mid-write (the pid is in the name). */
  clearTemporaryFiles(): number {
    let removed = 0;
    for (const name of fs.readdirSync(this.tmpDir)) {
      const pid = Number(name.split('.')[1]);
      if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) continue;
      // Parsing works in a folder of its own (several attachments at once).
      fs.rmSync(path.join(this.tmpDir, name), { force: true, recursive: true });
      removed++;
    }
    return removed;
  }
}

function syncPath(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync on the thread pool; a folder is opened read-only (it cannot be opened for writing). */
async function syncPathAsync(file: string): Promise<void> {
  const handle = await fs.promises.open(file, fs.statSync(file).isDirectory() ? 'r' : 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A rename is durable only once the folder's entry is on disk too. */
export function fsyncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
