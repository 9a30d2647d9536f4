// The main window, locked down as Electron's security checklist asks (the rules themselves are
// in security.ts and appProtocol.ts, where they are tested): the page comes from app://eoffice/,
// the session grants no permission, and the window shows nothing but the app's own page.
import { BrowserWindow, protocol, session } from 'electron';
import path from 'node:path';
import { APP_SCHEME_PRIVILEGES, RENDERER_INDEX_URL, serveRenderer } from './appProtocol.js';
import { lockDownSession, mainWindowOptions } from './security.js';

export function createMainWindow(distDir: string, isPackaged: boolean): BrowserWindow {
  lockDownSession(session.defaultSession);
  protocol.handle(APP_SCHEME_PRIVILEGES.scheme, serveRenderer(path.join(distDir, 'renderer')));
  const window = new BrowserWindow(mainWindowOptions(distDir, isPackaged));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(RENDERER_INDEX_URL);
  return window;
}
