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

  /**
   * Writes the parts, one after the other, as one file: a signed PDF is the original followed by
   * its incremental update, and need not be copied into one buffer first.
   */
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

  putParts(parts: readonly FilePart[], sha256: string = this.sha256OfParts(parts)): string {
    const target = this.pathFor(sha256);
    const staged = parts.find((part): part is StagedFile => !(part instanceof Uint8Array) && 'staged' in part);
    if (staged && parts.length !== 1) throw new Error('A staged file is stored on its own, not joined to other parts.');
    if (fs.existsSync(target)) {
      if (staged) fs.rmSync(staged.staged, { force: true });
      return sha256;
    }
    const dir = path.dirname(target);
    fs.mkdirSync(dir, { recursive: true });
    if (staged) {
      moveDurably(staged.staged, target);
      return sha256;
    }
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
      fs.fsyncSync(fd);
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    fs.closeSync(fd);
    try {
      fs.renameSync(tmp, target);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    fsyncDirectory(dir);
    return sha256;
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

/** fsync, rename into place, fsync the folder: after a crash the name holds the whole file or nothing. */
function moveDurably(from: string, target: string): void {
  const fd = fs.openSync(from, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(from, target);
  fsyncDirectory(path.dirname(target));
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
