// A secret kept on this PC: sealed by the shell's SecretBox (safeStorage in the app, the key-file
// box elsewhere) into a file of its own in the data folder, so that it is never in settings.json,
// never sent to the UI, and never printed. The axis secret and the remote signers' client secrets
// are kept this way, each under its name.
import fs from 'node:fs';
import path from 'node:path';
import type { SecretBox } from './secretBox.js';

interface SealedFile {
  kind: SecretBox['kind'];
  sealed: string;
}

/** Why a kept secret cannot be used here: unreadable, or sealed by the other shell. */
export class SealedSecretUnavailable extends Error {
  constructor(
    readonly reason: 'unreadable' | 'elsewhere',
    readonly sealedBy: SecretBox['kind'] | null,
    message: string,
  ) {
    super(message);
  }
}

function sealedPath(dataDir: string, name: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) throw new Error(`"${name}" is not a secret's name.`);
  return path.join(dataDir, `${name}.sealed`);
}

export function hasSealedSecret(dataDir: string, name: string): boolean {
  return fs.existsSync(sealedPath(dataDir, name));
}

/** Written whole or not at all, readable by this user only. */
export function writeSealedSecret(dataDir: string, name: string, box: SecretBox, secret: string): void {
  const file: SealedFile = { kind: box.kind, sealed: box.seal(secret) };
  const target = sealedPath(dataDir, name);
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(file), { mode: 0o600 });
  fs.renameSync(tmp, target);
}

export function removeSealedSecret(dataDir: string, name: string): void {
  fs.rmSync(sealedPath(dataDir, name), { force: true });
}

/** The secret, or null when none is kept; SealedSecretUnavailable when it is kept but cannot be opened here. */
export function readSealedSecret(dataDir: string, name: string, box: SecretBox): string | null {
  let file: SealedFile;
  try {
    file = JSON.parse(fs.readFileSync(sealedPath(dataDir, name), 'utf8')) as SealedFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SealedSecretUnavailable('unreadable', null, `The stored ${name} is unreadable; enter it again.`);
  }
  if (file.kind !== box.kind) {
    // The OS keystore's seal opens only in the app; the key-file box's only outside it.
    throw new SealedSecretUnavailable('elsewhere', file.kind, `The ${name} was saved by ${file.kind === 'safeStorage' ? 'the desktop app' : 'the command line'}; enter it again here.`);
  }
  try {
    return box.open(file.sealed);
  } catch (error) {
    throw new SealedSecretUnavailable('unreadable', file.kind, (error as Error).message);
  }
}
