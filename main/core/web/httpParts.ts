// What the loopback web host and the office host serve alike: the security headers, plain-text
// answers, request bodies with a ceiling, and the built renderer's files.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { contentTypeOf, CSP, rendererFile } from './rendererFiles.js';
import { invoke, type Handlers } from '../api/invoke.js';
import type { CallContext } from '../app/caller.js';
import { decodeWire, encodeWire } from '../../common/wire.js';

export function baseHeaders(extra: http.OutgoingHttpHeaders = {}): http.OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...extra,
  };
}

export function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, baseHeaders({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }));
  res.end(text);
}

export class BodyTooLarge extends Error {}

/**
 * Reads the body up to `limit` bytes. Past that, the rest is read and dropped so that the
 * client, still sending, receives the 413 answer instead of a reset connection.
 */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function serveStatic(root: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const file = rendererFile(root, pathname);
  if (!file) return sendText(res, 404, 'Not found');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return sendText(res, 404, file === path.join(root, 'index.html') ? 'The renderer is not built: run "npm run build".' : 'Not found');
  }
  if (!stat.isFile()) return sendText(res, 404, 'Not found');
  res.writeHead(200, baseHeaders({ 'Content-Type': contentTypeOf(file), 'Content-Length': stat.size, 'Cache-Control': file.endsWith('.html') ? 'no-store' : 'max-age=3600' }));
  if (req.method === 'HEAD') return void res.end();
  fs.createReadStream(file).pipe(res);
}

/** The app's events as a server-sent event stream, kept open with a comment every 25 seconds. */
export function streamEvents(res: http.ServerResponse, clients: Set<http.ServerResponse>): void {
  res.writeHead(200, baseHeaders({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' }));
  res.write(': connected\n\n');
  clients.add(res);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
  keepAlive.unref();
  res.on('close', () => {
    clearInterval(keepAlive);
    clients.delete(res);
  });
}

export interface ApiCallOptions {
  handlers: Handlers;
  /** Largest API request body; an import carries the file base64-encoded (4/3 of its size). */
  maxBodyBytes: () => number;
  log?: (message: string) => void;
}

/** POST /api/<method>: the body read up to its ceiling, the call through invoke, the envelope back. */
export async function answerApiCall(req: http.IncomingMessage, res: http.ServerResponse, url: URL, options: ApiCallOptions, caller?: CallContext): Promise<{ method: string; input: unknown; ok: boolean }> {
  const method = decodeURIComponent(url.pathname.slice('/api/'.length));
  let input: unknown;
  try {
    const body = await readBody(req, options.maxBodyBytes());
    input = body.length ? decodeWire(body.toString('utf8')) : {};
  } catch (error) {
    const envelope =
      error instanceof BodyTooLarge
        ? { ok: false, error: { code: 'FILE_TOO_LARGE', message: 'The request is larger than the import limit.', details: { limitMb: Math.floor(options.maxBodyBytes() / 1048576 / 1.4) } } }
        : { ok: false, error: { code: 'INVALID_INPUT', message: `The request body is not valid JSON: ${(error as Error).message}` } };
    res.writeHead(error instanceof BodyTooLarge ? 413 : 400, baseHeaders({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' }));
    res.end(JSON.stringify(envelope));
    return { method, input: undefined, ok: false };
  }
  const envelope = await invoke(options.handlers, method, input, options.log ?? (() => undefined), caller);
  res.writeHead(200, baseHeaders({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }));
  res.end(encodeWire(envelope));
  return { method, input, ok: envelope.ok };
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * Whether a browser says the request comes from another origin. A client that is no browser (a
 * script with the bearer token) sends neither header and is judged by its token alone; a browser
 * sends Origin on every POST and Sec-Fetch-Site on every request, and neither can be forged by a page.
 */
export function crossOrigin(req: http.IncomingMessage, ownOrigin: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== ownOrigin) return true;
  const site = req.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin';
}
