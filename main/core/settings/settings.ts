// Settings live behind one interface. The Electron shell backs it with electron-store; the web
// host and the CLI with conf, the library electron-store is built on, writing the same
// settings.json in the data directory, so both see the same values.
import Conf from 'conf';
import { Settings } from '../../common/contract.js';

export const DEFAULT_SETTINGS: Settings = {
  locale: 'vi',
  // 100 MB holds a long scanned document at 300 dpi; beyond that, a file is almost always a
  // mistake (a video, an archive) and would strain the preview.
  maxImportMegabytes: 100,
  tokenModules: [],
  tsaUrl: '',
  separateConfidentialSeries: true,
  axisEndpoint: '',
  axisSystemId: '',
  axisHexStyle: 'sdk',
  axisPaths: {},
  // A minute keeps a commune's documents current without loading a slow uplink.
  syncIntervalSeconds: 60,
};

export interface SettingsStore {
  read(): Settings;
  update(patch: Partial<Settings>): Settings;
}

/** Values read from disk are validated: a hand-edited or older file falls back to defaults per key. */
export function sanitizeSettings(raw: unknown): Settings {
  const source = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const field = Settings.shape[key].safeParse(source[key]);
    if (field.success) out[key] = field.data;
  }
  return out as Settings;
}

/** The minimal surface of conf and electron-store that the settings need. */
export interface KeyValueFile {
  readonly store: Record<string, unknown>;
  set(values: Record<string, unknown>): void;
}

export function settingsOver(file: KeyValueFile): SettingsStore {
  return {
    read: () => sanitizeSettings(file.store),
    update(patch) {
      const next = Settings.parse({ ...sanitizeSettings(file.store), ...patch });
      file.set(next);
      return next;
    },
  };
}

export function createConfSettings(dataDir: string): SettingsStore {
  return settingsOver(new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'eoffice' }));
}
