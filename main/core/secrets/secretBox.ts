// Secrets at rest (the axis secret, later other credentials). In Electron they are sealed by
// safeStorage (DPAPI on Windows, the keychain/libsecret elsewhere). Outside Electron the
// equivalent is AES-256-GCM under a random key kept in a file only the user can read: it keeps
// the secret out of settings files, backups of the database and screenshots of the config.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SecretBox {
  readonly kind: 'safeStorage' | 'keyfile';
  seal(plain: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';

export function createKeyFileSecretBox(dataDir: string): SecretBox {
  const keyFile = path.join(dataDir, 'secret.key');
  const key = loadOrCreateKey(keyFile);
  return {
    kind: 'keyfile',
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('The stored secret is not in a known format; enter it again in settings.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('The stored secret cannot be decrypted (the key file changed); enter it again in settings.');
      }
    },
  };
}

function loadOrCreateKey(keyFile: string): Buffer {
  try {
    const key = fs.readFileSync(keyFile);
    if (key.length === 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  const tmp = `${keyFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, key, { mode: 0o600 });
  fs.renameSync(tmp, keyFile);
  return key;
}
