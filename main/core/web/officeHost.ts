// The office host (issue 15): the same contract and the same renderer as the loopback host, over
// HTTPS on the office network, for colleagues signed in with their own account. TLS uses the
// host's own certificate (office/hostCertificate.ts), which the clients pin by its fingerprint.
//
// Sign-in (POST /auth/sign-in with a login and a password, or /auth/challenge then
// /auth/certificate with the token's signature of the challenge) gives a session: its token in an
// HttpOnly, Secure, SameSite=Strict cookie, and a CSRF token in the answer, which every API call
// sends back in X-CSRF-Token; a page of another site can make the browser send the cookie, never
// read the CSRF token. Every API call then runs as the person (app/caller.ts): invoke checks the
// method against their roles (common/access.ts) and each read of a document is audited.
import https from 'node:https';
import type http from 'node:http';
import path from 'node:path';
import { createPublicKey, randomBytes, verify, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { CoreServices } from '../app/core.js';
import type { Handlers } from '../api/invoke.js';
import type { HostCertificate } from '../office/hostCertificate.js';
import type { CallContext } from '../app/caller.js';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import { checkPassword, userByCertificate } from '../accounts/users.js';
import { activeSession, closeSession, csrfMatches, openSession, type ActiveSession } from '../accounts/sessions.js';
import { readRecorder } from '../accounts/reads.js';
import { answerApiCall, baseHeaders, cookieValue, crossOrigin, readBody, sendText, serveStatic, streamEvents } from './httpParts.js';

export const SESSION_COOKIE = 'eoffice_session';
const CHALLENGE_SECONDS = 120;

export interface OfficeHostOptions {
  core: Pick<CoreServices, 'db' | 'events'> & { handlers: Handlers };
  certificate: HostCertificate;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** The address to listen on (0.0.0.0 for the whole network) and the port (0 picks one). */
  listen: { host: string; port: number };
  maxBodyBytes: () => number;
  log?: (message: string) => void;
}

export interface OfficeHost {
  readonly port: number;
  /** https://<address>:<port>/ as the listen address gives it. */
  readonly url: string;
  close(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, baseHeaders({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }));
  res.end(JSON.stringify(body));
}

function refusal(error: unknown): ApiErrorShape {
  return error instanceof AppError ? error.toShape() : { code: 'INTERNAL', message: 'Sign-in failed.' };
}

function clientAddress(req: http.IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; Secure; SameSite=Strict; Path=/`;
}

const SIGNED_OUT = `${SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0`;

const SIGN_IN_REQUIRED: ApiErrorShape = { code: 'SIGN_IN_REQUIRED', message: 'Sign in to the office host first.' };

async function jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, 64 * 1024);
  const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
  if (!parsed || typeof parsed !== 'object') throw new AppError('INVALID_INPUT', 'The request is not a JSON object.');
  return parsed as Record<string, unknown>;
}

export async function startOfficeHost(options: OfficeHostOptions): Promise<OfficeHost> {
  const { core } = options;
  const log = options.log ?? (() => undefined);
  const staticRoot = path.resolve(options.staticDir);
  const sseClients = new Set<http.ServerResponse>();
  /** Challenges given for a token sign-in, each good once and for two minutes. */
  const challenges = new Map<string, number>();
  const reads = readRecorder(core.db);

  // Events name documents and batches, not their content: every signed-in person may hear them —
  // but the host's own tokens are the host's desk's, not the office's to see.
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (name === 'token.changed') return;
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of sseClients) client.write(frame);
  });

  const session = (req: http.IncomingMessage): { token: string; session: ActiveSession } | null => {
    const token = cookieValue(req, SESSION_COOKIE);
    const found = token ? activeSession(core.db, token) : null;
    return token && found ? { token, session: found } : null;
  };

  const signedIn = (res: http.ServerResponse, user: Parameters<typeof openSession>[1], client: string, how: 'password' | 'certificate') => {
    const opened = openSession(core.db, user, client, how);
    sendJson(res, 200, { ok: true, result: { user: opened.user, csrfToken: opened.csrfToken } }, { 'Set-Cookie': sessionCookie(opened.token) });
  };

  const routes = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const host = req.headers.host ?? '';
    const url = new URL(req.url ?? '/', `https://${host}`);
    const client = clientAddress(req);
    const isApi = url.pathname.startsWith('/api/') || url.pathname.startsWith('/auth/');
    if (isApi && crossOrigin(req, `https://${host}`)) return sendText(res, 403, 'Cross-origin requests are refused');

    if (url.pathname === '/auth/sign-in' && req.method === 'POST') {
      try {
        const { login, password } = await jsonBody(req);
        if (typeof login !== 'string' || typeof password !== 'string') throw new AppError('INVALID_INPUT', 'Give a login and a password.');
        return signedIn(res, await checkPassword(core.db, login, password, client), client, 'password');
      } catch (error) {
        return sendJson(res, 401, { ok: false, error: refusal(error) });
      }
    }
    if (url.pathname === '/auth/challenge' && req.method === 'POST') {
      const challenge = randomBytes(32).toString('base64');
      challenges.set(challenge, Date.now() + CHALLENGE_SECONDS * 1000);
      for (const [old, until] of challenges) if (until < Date.now()) challenges.delete(old);
      return sendJson(res, 200, { ok: true, result: { challenge, seconds: CHALLENGE_SECONDS } });
    }
    if (url.pathname === '/auth/certificate' && req.method === 'POST') {
      try {
        const { challenge, certificate, signature } = await jsonBody(req);
        if (typeof challenge !== 'string' || typeof certificate !== 'string' || typeof signature !== 'string') throw new AppError('INVALID_INPUT', 'Give the challenge, the certificate and the signature (base64).');
        const until = challenges.get(challenge);
        challenges.delete(challenge);
        if (!until || until < Date.now()) throw new AppError('SIGN_IN_FAILED', 'The challenge has expired; ask for a new one.');
        const x509 = new X509Certificate(Buffer.from(certificate, 'base64'));
        const now = new Date();
        if (new Date(x509.validTo) < now || new Date(x509.validFrom) > now) throw new AppError('SIGN_IN_FAILED', 'The certificate is not valid now.');
        // What the token signs is the challenge's bytes, hashed with SHA-256 (RSA PKCS#1 v1.5 or ECDSA).
        const key = createPublicKey(x509.publicKey.export({ type: 'spki', format: 'pem' }));
        const ecdsa = key.asymmetricKeyType === 'ec';
        const good = verify('sha256', Buffer.from(challenge, 'base64'), ecdsa ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(signature, 'base64'))
          || (ecdsa && verify('sha256', Buffer.from(challenge, 'base64'), key, Buffer.from(signature, 'base64')));
        if (!good) throw new AppError('SIGN_IN_FAILED', 'The signature of the challenge does not match the certificate.');
        return signedIn(res, userByCertificate(core.db, x509.fingerprint256), client, 'certificate');
      } catch (error) {
        return sendJson(res, 401, { ok: false, error: refusal(error instanceof AppError ? error : new AppError('SIGN_IN_FAILED', 'The certificate or its signature cannot be read.')) });
      }
    }

    const current = session(req);
    if (url.pathname === '/auth/session' && req.method === 'GET') {
      if (!current) return sendJson(res, 401, { ok: false, error: SIGN_IN_REQUIRED });
      return sendJson(res, 200, { ok: true, result: { user: current.session.user, csrfToken: current.session.csrfToken } });
    }
    if (isApi) {
      if (!current) return sendJson(res, 401, { ok: false, error: SIGN_IN_REQUIRED }, { 'Set-Cookie': SIGNED_OUT });
      if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(res, sseClients);
      if (req.method !== 'POST') return sendText(res, 405, 'Use POST');
      // The cookie alone is what a page of another site could make the browser send.
      if (!csrfMatches(current.session, req.headers['x-csrf-token'] as string | undefined)) return sendJson(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: 'The request lacks this session’s CSRF token.' } });
      if (url.pathname === '/auth/sign-out') {
        closeSession(core.db, current.token);
        return sendJson(res, 200, { ok: true, result: {} }, { 'Set-Cookie': SIGNED_OUT });
      }
      if (!url.pathname.startsWith('/api/')) return sendText(res, 404, 'Not found');
      const caller: CallContext = { login: current.session.user.login, roles: current.session.user.roles, client };
      const call = await answerApiCall(req, res, url, { handlers: options.core.handlers, maxBodyBytes: options.maxBodyBytes, log }, caller);
      if (call.ok) reads.record(caller, call.method, call.input);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    // The renderer itself holds nothing of the office's: it loads for anyone, and asks for a sign-in.
    return serveStatic(staticRoot, url.pathname, req, res);
  };

  const server = https.createServer({ cert: options.certificate.certPem, key: options.certificate.keyPem, minVersion: 'TLSv1.2' }, (req, res) => {
    routes(req, res).catch((error: unknown) => {
      log(`[office] ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.end();
    });
  });
  // Strict-Transport-Security is not sent: the host is reached by address on the office network,
  // and a browser that remembered it for an address could not reach another service there.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = options.listen.host === '0.0.0.0' || options.listen.host === '::' ? 'localhost' : options.listen.host;
  return {
    port,
    url: `https://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const sse of sseClients) sse.end();
        server.close(() => {
          reads.flush();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
