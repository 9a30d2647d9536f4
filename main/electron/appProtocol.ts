// app://eoffice/: where the desktop app loads its page from, instead of file:// (Electron's
// checklist, item 18). A file:// page may read any file:// URL on the disk and shares its origin
// with every other local file; an app:// page is an ordinary secure origin that reaches only what
// this handler serves: the built renderer's files, nothing outside that folder.
// Only the types of electron are imported here, so this is tested under plain Node.
import type { CustomScheme } from 'electron';
import fs from 'node:fs';
import { contentTypeOf, CSP, rendererFile } from '../core/web/rendererFiles.js';

const APP_SCHEME = 'app';
const APP_HOST = 'eoffice';
export const RENDERER_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Registered before the app is ready: standard (relative URLs and origins work as for https),
 * secure (a secure context, like https), and fetch() allowed (pdf.js fetches its character maps).
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };

/** The app's own page: the one URL the window may show and the IPC handlers answer. */
export function isAppPage(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.pathname === '/index.html';
  } catch {
    return false;
  }
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The protocol handler (protocol.handle) serving `rendererDir` (dist/renderer) at app://eoffice/. */
export function serveRenderer(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return notFound();
    const file = rendererFile(rendererDir, url.pathname);
    if (!file) return notFound();
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(file);
    } catch {
      // Missing, or a folder (EISDIR).
      return notFound();
    }
    return new Response(new Uint8Array(bytes), {
      status: 200,
      headers: { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  };
}
