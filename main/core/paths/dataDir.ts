// Where the registry lives. Electron's userData for the product "eOffice" is used by default,
// computed here the way Electron computes it, so that the app, the web host and the CLI open
// the same registry without the core importing electron.
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
