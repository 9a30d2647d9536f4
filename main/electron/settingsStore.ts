// Settings in the Electron shell: electron-store over the same settings.json the core's conf uses.
import ElectronStore from 'electron-store';
import { settingsOver, type SettingsStore } from '../core/settings/settings.js';

export function createElectronSettings(dataDir: string): SettingsStore {
  return settingsOver(new ElectronStore<Record<string, unknown>>({ cwd: dataDir, name: 'settings' }));
}
