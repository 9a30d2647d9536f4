// Electron's security checklist, item by item, read from the shell's own code: the window's
// options, the session's permission handlers, the navigation rules, the app:// protocol that
// replaces file://, the IPC sender check, and the fuses electron-builder writes into the binary.
// The Electron binary cannot be downloaded here (no network), so these run under plain Node
// against small recording stand-ins for the session and the web contents: the shell keeps the
// rules in functions that take those objects, and window.ts/main.ts only hand them over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lockDownContents, lockDownSession, mainWindowOptions } from '../../main/electron/security.js';
import { APP_SCHEME_PRIVILEGES, RENDERER_INDEX_URL, serveRenderer } from '../../main/electron/appProtocol.js';
import { trustedFrameCheck } from '../../main/electron/ipc.js';
import { REPO_ROOT, tempDir } from '../support/fixtures.js';

type Listener = (...args: unknown[]) => unknown;

/** Records what the shell registers on a web contents, so that the test can fire the events. */
function recordingContents() {
  const listeners = new Map<string, Listener>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      windowOpenHandler = handler;
    },
  };
  /** Fires an event the way Electron does (an event object first) and says whether it was stopped. */
  const fire = (name: string, url: string): boolean => {
    const listener = listeners.get(name);
    assert.ok(listener, `${name} is handled`);
    let prevented = false;
    const event = { url, isMainFrame: true, preventDefault: () => void (prevented = true) };
    listener(event, url);
    return prevented;
  };
  return { contents, listeners, fire, openWindow: (url: string) => windowOpenHandler?.({ url }) };
}

test('the window: isolated, sandboxed, no Node, web security on, devTools only outside a packaged build', () => {
  const packaged = mainWindowOptions('/opt/eOffice/resources/app.asar/dist', true);
  const prefs = packaged.webPreferences!;
  assert.equal(prefs.contextIsolation, true, '3. context isolation');
  assert.equal(prefs.sandbox, true, '4. sandbox');
  assert.equal(prefs.nodeIntegration, false, '2. no Node integration');
  assert.equal(prefs.nodeIntegrationInWorker ?? false, false);
  assert.equal(prefs.nodeIntegrationInSubFrames ?? false, false);
  assert.equal(prefs.webSecurity, true, '6. web security');
  assert.equal(prefs.allowRunningInsecureContent ?? false, false, '8. no insecure content');
  assert.equal(prefs.experimentalFeatures ?? false, false, '9. no experimental features');
  assert.equal(prefs.enableBlinkFeatures, undefined, '10. no Blink features');
  assert.equal(prefs.webviewTag ?? false, false, '11. no <webview>');
  assert.equal(prefs.devTools, false, 'no devTools in a packaged build');
  assert.equal(prefs.preload, path.join('/opt/eOffice/resources/app.asar/dist', 'preload', 'preload.cjs'));
  assert.equal(mainWindowOptions('/src/eoffice/dist', false).webPreferences!.devTools, true, 'devTools while developing');
});

test('the app is loaded from app://eoffice/, a privileged standard scheme, never from file://', () => {
  assert.equal(RENDERER_INDEX_URL, 'app://eoffice/index.html');
  assert.deepEqual(APP_SCHEME_PRIVILEGES, { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  // 17. the IPC sender check follows: the app's page passes, a file:// page does not.
  const trusted = trustedFrameCheck(RENDERER_INDEX_URL);
  assert.equal(trusted({ url: 'app://eoffice/index.html' } as never), true);
  for (const url of ['file:///opt/eOffice/resources/app.asar/dist/renderer/index.html', 'app://other/index.html', 'app://eoffice/evil.html', 'https://eoffice/index.html']) {
    assert.equal(trusted({ url } as never), false, url);
  }
});

test('app:// serves the built renderer with its content type and CSP, and nothing outside it', async () => {
  const root = tempDir();
  const rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>eOffice</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'pdf.worker.mjs'), 'export {};');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer');
  const serve = serveRenderer(rendererDir);

  const index = await serve(new Request('app://eoffice/index.html'));
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'self'/, '7. a CSP on every page');
  assert.match(await index.text(), /eOffice/);
  assert.equal((await serve(new Request('app://eoffice/'))).status, 200, 'the folder is its index');
  // A module worker is refused by Chromium unless it comes as JavaScript.
  assert.equal((await serve(new Request('app://eoffice/assets/pdf.worker.mjs'))).headers.get('content-type'), 'text/javascript; charset=utf-8');

  // Bad inputs tried: parent segments (plain, encoded, with backslashes), another host, a folder, a missing file.
  for (const url of [
    'app://eoffice/../secret.txt',
    'app://eoffice/%2e%2e/secret.txt',
    'app://eoffice/..%2fsecret.txt',
    'app://eoffice/..%5csecret.txt',
    'app://eoffice/assets/..%2f..%2fsecret.txt',
    'app://elsewhere/index.html',
    'app://eoffice/assets',
    'app://eoffice/missing.js',
    'app://eoffice/%E0%A4%A',
  ]) {
    const response = await serve(new Request(url));
    assert.equal(response.status, 404, url);
    assert.doesNotMatch(await response.text(), /outside the renderer/, url);
  }
});

test('navigation away from the app, redirects, frame navigation, new windows and webviews are all refused', () => {
  const { contents, fire, openWindow } = recordingContents();
  lockDownContents(contents as never);
  // 13. navigation: the main frame, a redirect, any frame.
  for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://eoffice/other.html', 'app://elsewhere/index.html', 'javascript:alert(1)', 'data:text/html,hi']) {
      assert.equal(fire(event, url), true, `${event} to ${url} is stopped`);
    }
    assert.equal(fire(event, RENDERER_INDEX_URL), false, `${event} to the app's own page goes on`);
  }
  // 14. new windows, 15. no openExternal: even an https link is denied (the app shows none).
  for (const url of ['https://dichvucong.gov.vn/', 'http://example.com/', 'file:///etc/passwd', RENDERER_INDEX_URL]) {
    assert.deepEqual(openWindow(url), { action: 'deny' }, url);
  }
  // 12. a <webview> is never attached.
  assert.equal(fire('will-attach-webview', 'https://evil.example/'), true);
});

test('every permission request and permission check of the session is denied', () => {
  let requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  let checkHandler: ((contents: unknown, permission: string) => boolean) | undefined;
  lockDownSession({
    setPermissionRequestHandler: (handler: typeof requestHandler) => void (requestHandler = handler),
    setPermissionCheckHandler: (handler: typeof checkHandler) => void (checkHandler = handler),
  } as never);
  assert.ok(requestHandler && checkHandler, '5. both handlers are set');
  for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'serial']) {
    let granted: boolean | undefined;
    requestHandler(null, permission, (answer) => (granted = answer));
    assert.equal(granted, false, permission);
    assert.equal(checkHandler(null, permission), false, permission);
  }
});

/** The electronFuses section of electron-builder.yml: the indented `key: true|false` lines under it. */
function electronFuses(): Record<string, boolean> {
  const lines = fs.readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.indexOf('electronFuses:');
  assert.ok(start >= 0, 'electron-builder.yml has an electronFuses section');
  const fuses: Record<string, boolean> = {};
  for (const line of lines.slice(start + 1)) {
    if (/^\s+#/.test(line)) continue;
    const match = /^\s+(\w+):\s*(true|false)\s*(#.*)?$/.exec(line);
    if (!match) break;
    fuses[match[1]!] = match[2] === 'true';
  }
  return fuses;
}

test('19. the fuses: no file:// privileges, no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, asar only and checked', () => {
  assert.deepEqual(electronFuses(), {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  });
});
