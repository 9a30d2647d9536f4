// The Electron shell: the only code that imports electron besides the preload. It opens the
// core, registers the IPC handlers, forwards events and shows the window; everything else is
// in the core, which also runs without Electron.
import { app, ipcMain, Menu, powerMonitor, protocol, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENT_CHANNEL } from '../common/contract.js';
import { openCore } from '../core/app/core.js';
import { resolveDataDir } from '../core/paths/dataDir.js';
import { registerIpc, trustedFrameCheck } from './ipc.js';
import { createMainWindow } from './window.js';
import { APP_SCHEME_PRIVILEGES, RENDERER_INDEX_URL } from './appProtocol.js';
import { lockDownContents } from './security.js';
import { createTokenModulePicker } from './tokenModuleDialogs.js';
import { createElectronSettings } from './settingsStore.js';
import { buildMenu } from './menu.js';
import { createShellSecretBox } from './secretBox.js';

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (!app.requestSingleInstanceLock()) app.quit();
// The page is served from app://eoffice/ rather than file:// (appProtocol.ts); the scheme's
// privileges must be declared before the app is ready.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

app.whenReady().then(() => {
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'));
  const settings = createElectronSettings(dataDir);
  // "Add a token library" asks with the OS's dialogs here, in the main process (core/token/userModules.ts).
  const tokenModulePicker = createTokenModulePicker(() => settings.read().locale);
  // "Mở thư mục": a copy in Downloads/eOffice, shown in the OS's file manager (registry/documentFiles.ts).
  const fileReveal = { folder: () => path.join(app.getPath('downloads'), 'eOffice'), reveal: (file: string) => shell.showItemInFolder(file) };
  const core = openCore({ dataDir, shell: 'electron', settings, secrets: createShellSecretBox(dataDir), tokenModulePicker, fileReveal });
  // Sends and receives on an interval; the renderer forwards the OS's online/offline events
  // (Chromium's navigator.onLine follows the network interfaces) through exchange.networkChanged.
  core.exchange.start();
  // After sleep the network may have come back while nobody was polling.
  powerMonitor.on('resume', () => core.exchange.networkChanged(true));
  // A locked or sleeping PC keeps no token logged in: whoever unlocks it types the PIN again.
  const logoutTokens = () => void core.tokens.logoutAll().catch(() => undefined);
  powerMonitor.on('lock-screen', logoutTokens);
  powerMonitor.on('suspend', logoutTokens);
  registerIpc(ipcMain, core.handlers, trustedFrameCheck(RENDERER_INDEX_URL));
  const window = createMainWindow(distDir, app.isPackaged);
  Menu.setApplicationMenu(buildMenu(window, settings.read().locale, dataDir));
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    unsubscribe();
    core.close();
    app.quit();
  });
});

// Every web contents, the main window's and any other, follows the same rules (security.ts).
app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
