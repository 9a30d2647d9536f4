// The loopback web host: the built renderer and the same API as the Electron IPC, on 127.0.0.1.
// Like Jupyter, it is guarded by a secret token made at each launch: the printed URL carries it
// once, the server trades it for an HttpOnly SameSite=Strict cookie and drops it from the address.
// API calls must also carry X-Requested-With, which a cross-site form cannot set, and come from
// the app's own origin when a browser says where they come from (Origin, Sec-Fetch-Site): another
// port of the loopback is the same *site*, so SameSite alone lets its pages send the cookie. The
// Host header must name the loopback, which a DNS-rebinding page cannot fake.
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Handlers } from '../api/invoke.js';
import type { AppEvents } from '../app/events.js';
import { answerApiCall, baseHeaders, cookieValue, crossOrigin, sameSecret, sendText, serveStatic, streamEvents } from './httpParts.js';

export interface WebHostOptions {
  handlers: Handlers;
  events: AppEvents;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
  /** Largest API request body; an import carries the file base64-encoded (4/3 of its size). */
  maxBodyBytes: () => number;
  log?: (message: string) => void;
}

export interface WebHost {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Browsers keep cookies per host, not per port: with one fixed name, a second eOffice on the
 * loopback (another data folder) would overwrite the first one's cookie and lock its tab out.
 * Each host therefore names its cookie after its port and reads only that one.
 */
function cookieName(port: number): string {
  return `eoffice_token_${port}`;
}

function bearerToken(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const log = options.log ?? (() => undefined);
  const staticRoot = path.resolve(options.staticDir);
  let port = 0;
  const sseClients = new Set<http.ServerResponse>();

  const unsubscribe = options.events.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of sseClients) client.write(frame);
  });

  const server = http.createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return sendText(res, 403, 'Forbidden host');
      const url = new URL(req.url ?? '/', `http://${host}`);

      const offered = url.searchParams.get('token');
      if (req.method === 'GET' && offered !== null) {
        if (!sameSecret(offered, token)) return sendText(res, 401, 'Mã truy cập không đúng. Hãy mở lại đường dẫn in ra khi khởi động eOffice.\nWrong token: open the URL printed when eOffice started.');
        url.searchParams.delete('token');
        // "/.//evil.example/" normalises to "//evil.example/", which a browser reads as another
        // host: the redirect keeps a single leading slash so that it stays on this one.
        const location = '/' + url.pathname.replace(/^[/\\]+/, '') + url.search;
        res.writeHead(302, baseHeaders({ 'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`, Location: location, 'Cache-Control': 'no-store' }));
        return res.end();
      }
      const presented = cookieValue(req, cookieName(port)) ?? bearerToken(req);
      if (!presented || !sameSecret(presented, token)) {
        return sendText(res, 401, 'Cần mã truy cập. Hãy mở đường dẫn (có ?token=…) in ra khi khởi động eOffice.\nA token is required: open the URL (with ?token=…) printed when eOffice started.');
      }

      if (url.pathname.startsWith('/api/') && crossOrigin(req, `http://${host}`)) return sendText(res, 403, 'Cross-origin requests are refused');

      if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(res, sseClients);

      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return sendText(res, 405, 'Use POST');
        if (req.headers['x-requested-with'] !== 'eoffice') return sendText(res, 403, 'Missing X-Requested-With: eoffice');
        return await answerApiCall(req, res, url, options);
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
      return serveStatic(staticRoot, url.pathname, req, res);
    } catch (error) {
      log(`[web] ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const client of sseClients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
