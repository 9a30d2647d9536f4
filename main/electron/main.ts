// The Electron shell: the only code that imports electron besides the preload. It opens the
// core, registers the IPC handlers, forwards events and shows the window; everything else is
// in the core, which also runs without Electron.
import { app, ipcMain, Menu, powerMonitor } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENT_CHANNEL } from '../common/contract.js';
import { openCore } from '../core/app/core.js';
import { resolveDataDir } from '../core/paths/dataDir.js';
import { registerIpc, trustedFrameCheck } from './ipc.js';
import { createMainWindow, rendererIndexUrl } from './window.js';
import { createElectronSettings } from './settingsStore.js';
import { buildMenu } from './menu.js';
import { createShellSecretBox } from './secretBox.js';

const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'));
  const settings = createElectronSettings(dataDir);
  const core = openCore({ dataDir, shell: 'electron', settings, secrets: createShellSecretBox(dataDir) });
  // Sends and receives on an interval; the renderer forwards the OS's online/offline events
  // (Chromium's navigator.onLine follows the network interfaces) through exchange.networkChanged.
  core.exchange.start();
  // After sleep the network may have come back while nobody was polling.
  powerMonitor.on('resume', () => core.exchange.networkChanged(true));
  registerIpc(ipcMain, core.handlers, trustedFrameCheck(rendererIndexUrl(distDir)));
  const window = createMainWindow(distDir);
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

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
