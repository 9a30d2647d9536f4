// Secrets sealed by the operating system (DPAPI, Keychain, libsecret) through safeStorage.
// Where the OS offers no secure store (a Linux session without a keyring), safeStorage would fall
// back to a hard-coded key, which is no protection: the key file box is used instead.
import { safeStorage } from 'electron';
import { createKeyFileSecretBox, type SecretBox } from '../core/secrets/secretBox.js';

export function createShellSecretBox(dataDir: string): SecretBox {
  const weakLinuxBackend = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weakLinuxBackend) return createKeyFileSecretBox(dataDir);
  return {
    kind: 'safeStorage',
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
