// Files the command line writes (an exported PDF, a register book, a report): whole or not at all.
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './cliError.js';

/** Before a long export: a folder that does not exist is said at once, not after the work. */
export function assertOutputFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`cannot write ${file}: the folder ${folder} does not exist`);
}

/** Written beside the target and renamed over it: a failure leaves neither a half file nor a stray part. */
export function writeWhole(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.${process.pid}.part`;
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
