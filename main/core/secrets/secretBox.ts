// Secrets at rest (the axis secret, later other credentials). In Electron they are sealed by
// safeStorage (DPAPI on Windows, the keychain/libsecret elsewhere). Outside Electron the
// equivalent is AES-256-GCM under a random key kept in a file only the user can read: it keeps
// the secret out of settings files, backups of the database and screenshots of the config.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../common/errors.js';
import { writeFileDurably } from '../storage/durableFile.js';

export interface SecretBox {
  readonly kind: 'safeStorage' | 'keyfile';
  seal(plain: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';
const KEY_BYTES = 32;

/**
 * The key is read (or made) at the first seal or open, not when the box is created: a damaged
 * key file then stops only what needs the key (the exchange), not the whole registry.
 */
export function createKeyFileSecretBox(dataDir: string): SecretBox {
  const keyFile = path.join(dataDir, 'secret.key');
  let key: Buffer | undefined;
  const theKey = () => (key ??= loadOrCreateKey(keyFile));
  return {
    kind: 'keyfile',
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', theKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('The stored secret is not in a known format; enter it again in settings.');
      const decipher = createDecipheriv('aes-256-gcm', theKey(), Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('The stored secret cannot be decrypted (the key file changed); enter it again in settings.');
      }
    },
  };
}

/**
 * The existing key, or a new one when there is none. A key of the wrong length (cut short by a
 * crash, emptied, edited) is refused, never replaced: a new key would silently orphan every secret
 * sealed with the old one, and the file may still be restored from a backup.
 */
function loadOrCreateKey(keyFile: string): Buffer {
  try {
    return checkedKey(keyFile, fs.readFileSync(keyFile));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  // Written whole (temporary file, fsync, rename, fsync of the folder) before it takes the name.
  writeFileDurably(keyFile, key, 0o600);
  return key;
}

function checkedKey(keyFile: string, key: Buffer): Buffer {
  if (key.length === KEY_BYTES) return key;
  throw new AppError(
    'SECRET_KEY_DAMAGED',
    `The key file ${keyFile} is damaged (${key.length} bytes, not ${KEY_BYTES}): the secrets sealed with it cannot be opened. Restore it from a backup, or delete it and enter the axis secret again.`,
  );
}
