// Electron's security checklist as code: the main window's options, the session's permission
// handlers and the rules every web contents follows. Only the types of electron are imported
// here, so test/shell/security.test.ts checks each item under plain Node; window.ts and main.ts
// hand these functions the real objects.
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import path from 'node:path';
import { isAppPage } from './appProtocol.js';

/**
 * An isolated, sandboxed renderer without Node, web security on, nothing experimental, no
 * <webview>. DevTools only while developing: in a packaged build they would let anyone at the
 * keyboard call the API from the console, past every check of the page.
 */
export function mainWindowOptions(distDir: string, isPackaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    title: 'eOffice',
    show: false,
    webPreferences: {
      preload: path.join(distDir, 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: !isPackaged,
      spellcheck: false,
    },
  };
}

/**
 * The page needs no permission (camera, notifications, geolocation, HID…): every request and
 * every check is denied, so that injected content cannot get one either.
 */
export function lockDownSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * For every web contents (main.ts applies it in web-contents-created): no navigation, redirect or
 * frame navigation anywhere but the app's own page, no new windows, no <webview>. No link opens
 * in the user's browser either (shell.openExternal is never called): the app shows no links to
 * the web, and a URL from a document or a package would be untrusted content.
 */
export function lockDownContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>): void {
  const stayInApp = (details: { url: string; preventDefault(): void }) => {
    if (!isAppPage(details.url)) details.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
