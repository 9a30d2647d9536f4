// Settings live behind one interface. The Electron shell backs it with electron-store; the web
// host and the CLI read and write the same settings.json in the data directory themselves (a JSON
// object, written whole or not at all), so both see the same values. Not conf, which
// electron-store is built on: loading it and its schema validator took longer than the rest of a
// command, and these values are checked by the contract's schema anyway.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from '../storage/durableFile.js';
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
  axisSigning: 'sdk-2.0.1',
  axisHexStyle: 'standard',
  axisPaths: {},
  // A minute keeps a commune's documents current without loading a slow uplink.
  syncIntervalSeconds: 60,
  // Each signing act asks for the PIN; the administrator may allow a short window.
  signingSessionSeconds: 0,
  // Long enough to read a document before signing it, short enough for a clerk who walks away.
  signingIdleMinutes: 5,
  // None until the administrator sets one up: eOffice ships no provider's address or secret.
  remoteSigners: { smartca: null, csc: [], mss: null },
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

/** settings.json as electron-store keeps it: one JSON object, tab-indented. */
export function settingsJsonFile(dataDir: string): KeyValueFile {
  const file = path.join(dataDir, 'settings.json');
  return {
    get store() {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
      try {
        const parsed: unknown = JSON.parse(text);
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      } catch {
        // A file damaged by hand falls back to the defaults (sanitizeSettings), as electron-store does.
        return {};
      }
    },
    set(values) {
      writeFileDurably(file, JSON.stringify({ ...this.store, ...values }, undefined, '\t'));
    },
  };
}

export function createFileSettings(dataDir: string): SettingsStore {
  return settingsOver(settingsJsonFile(dataDir));
}
