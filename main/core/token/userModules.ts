// Token libraries the user adds (the tokenModules setting), beyond the CA middleware eOffice finds
// by itself. A library is native code loaded into eOffice's own process, so its path never comes
// from the page: a page that an attacker could script (the browser tab of the web host, with its
// token, or a compromised renderer) must not be able to name a file to run. Two ways in, both
// outside the page:
// - the desktop app: its main process shows the OS's own file dialog and then a native
//   confirmation naming the file (TokenModulePicker, supplied by the shell);
// - the terminal: `eoffice tokens add-module <library>`, typed by the person at the computer.
// The web host has neither dialog, so there the request is refused with a sentence saying so.
import type { Settings } from '../../common/contract.js';
import { AppError } from '../../common/errors.js';
import type { SettingsStore } from '../settings/settings.js';
import { assertLocalModule } from './modules.js';
import type { TokenService } from './service.js';

/** The desktop shell's native dialogs, shown by its main process where no page can reach them. */
export interface TokenModulePicker {
  /** The OS's open-file dialog; null when the user cancels it. */
  chooseFile(): Promise<string | null>;
  /** A native confirmation naming the file and saying it runs as native code; true to load it. */
  confirmLoad(modulePath: string): Promise<boolean>;
}

/** Loads the library (so that a wrong file is refused with the reason) and only then saves it. */
export function addUserModule(tokens: TokenService, settings: SettingsStore, modulePath: string): Settings {
  // First, so that a share is named as such whatever else is wrong with the path.
  assertLocalModule(modulePath);
  tokens.addModule(modulePath);
  const saved = settings.read().tokenModules;
  return saved.includes(modulePath) ? settings.read() : settings.update({ tokenModules: [...saved, modulePath] });
}

/**
 * tokens.addModule: the shell's file dialog, the network-share check, the shell's confirmation,
 * then addUserModule. A cancel at either dialog changes nothing and answers the settings as they are.
 */
export async function pickUserModule(tokens: TokenService, settings: SettingsStore, picker: TokenModulePicker | undefined): Promise<Settings> {
  if (!picker) {
    throw new AppError(
      'MODULE_ADD_UNAVAILABLE',
      'A token library cannot be added from the browser: add it in the eOffice desktop app, or run "eoffice tokens add-module <library>" in a terminal.',
    );
  }
  const chosen = await picker.chooseFile();
  if (chosen === null) return settings.read();
  // Before the confirmation: a file that will be refused anyway is not offered for a "yes".
  assertLocalModule(chosen);
  if (!(await picker.confirmLoad(chosen))) return settings.read();
  return addUserModule(tokens, settings, chosen);
}
