// Document files, stored once each, named by their SHA-256. A file is written to a temporary
// name, fsynced, renamed into place and its folder fsynced, so that after a crash a stored name
// always holds the whole file. The database row that points to it is committed only afterwards.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The SHA-256 of the parts joined, without joining them. */
export function sha256OfParts(parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

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
  putParts(parts: readonly Uint8Array[], sha256: string = sha256OfParts(parts)): string {
    const target = this.pathFor(sha256);
    if (fs.existsSync(target)) return sha256;
    const dir = path.dirname(target);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${sha256}.${process.pid}.${randomBytes(6).toString('hex')}.part`);
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      for (const bytes of parts) {
        let written = 0;
        while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
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
      fs.rmSync(path.join(this.tmpDir, name), { force: true });
      removed++;
    }
    return removed;
  }
}

function fsyncDirectory(dir: string): void {
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
