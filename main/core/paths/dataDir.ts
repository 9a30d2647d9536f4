// Where the registry lives. Electron's userData for the product "eOffice" is used by default,
// computed here the way Electron computes it, so that the app, the web host and the CLI open
// the same registry without the core importing electron.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'eOffice';

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), PRODUCT_NAME);
}

/** --data-dir wins over EOFFICE_DATA_DIR, which wins over the platform default. */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, fallback: string = defaultUserDataDir(env)): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir' && argv[i + 1]) return path.resolve(argv[i + 1]!);
    if (arg.startsWith('--data-dir=')) return path.resolve(arg.slice('--data-dir='.length));
  }
  if (env.EOFFICE_DATA_DIR) return path.resolve(env.EOFFICE_DATA_DIR);
  return fallback;
}

/**
 * Creates the data folder, or tightens one an earlier version left readable by others, to 0700:
 * it holds the registry, the documents and the sealed secrets, and a commune's PC is often shared
 * by several accounts. POSIX only: on Windows the folder is under %APPDATA%, whose ACL admits only
 * its owner already, and chmod there only toggles the read-only flag.
 */
export function ensurePrivateDataDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  // mkdir's mode passes through the umask and leaves an existing folder as it is.
  if ((fs.statSync(dir).mode & 0o777) === 0o700) return;
  try {
    fs.chmodSync(dir, 0o700);
  } catch (error) {
    // A folder another account owns (one an administrator set up to share) stays as they made it.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}
