// The native dialogs behind "Add a token library" (core/token/userModules.ts): the OS's file
// dialog, then a confirmation that names the file and says it runs as native code. Both are shown
// by the main process, so a page cannot pick the file or click "yes" for the clerk. Their words
// come from the renderer's catalogues, in the language the settings name.
import { BrowserWindow, dialog, type MessageBoxOptions, type OpenDialogOptions } from 'electron';
import path from 'node:path';
import vi from '../../renderer/src/i18n/vi.json' with { type: 'json' };
import en from '../../renderer/src/i18n/en.json' with { type: 'json' };
import type { TokenModulePicker } from '../core/token/userModules.js';

type Locale = 'vi' | 'en';
type MessageKey = keyof typeof vi;
const CATALOGS: Record<Locale, Record<MessageKey, string>> = { vi, en };

/** What a CA's PKCS#11 library is called on each system. */
const LIBRARY_EXTENSIONS: Partial<Record<NodeJS.Platform, string[]>> = { win32: ['dll'], darwin: ['dylib', 'so'] };

/** The dialogs are modal to the window the clerk clicked in (the focused one). */
export function createTokenModulePicker(locale: () => Locale): TokenModulePicker {
  const text = (key: MessageKey, params: Record<string, string> = {}) => CATALOGS[locale()][key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
  return {
    async chooseFile() {
      const options: OpenDialogOptions = {
        title: text('tokens.moduleDialogTitle'),
        properties: ['openFile'],
        filters: [{ name: text('tokens.moduleDialogFilter'), extensions: LIBRARY_EXTENSIONS[process.platform] ?? ['so'] }],
      };
      const window = BrowserWindow.getFocusedWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async confirmLoad(modulePath) {
      const options: MessageBoxOptions = {
        type: 'warning',
        title: 'eOffice',
        message: text('tokens.moduleConfirmMessage', { module: path.basename(modulePath) }),
        detail: text('tokens.moduleConfirmDetail', { path: modulePath }),
        buttons: [text('tokens.moduleConfirmLoad'), text('common.cancel')],
        // Cancel is the default: Enter or Escape load nothing.
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      };
      const window = BrowserWindow.getFocusedWindow();
      const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
      return response === 0;
    },
  };
}
