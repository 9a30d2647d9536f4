// Small files written whole or not at all: a temporary file beside the target, fsynced, renamed
// over it, and the folder fsynced, so that a crash or a full disk leaves the previous content.
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDirectory } from './blobStore.js';

export function writeFileDurably(target: string, data: string | Uint8Array, mode = 0o600): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const fd = fs.openSync(temporary, 'w', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fsyncDirectory(path.dirname(target));
}
