// The loopback web host: the same API as IPC, guarded by the launch token, with events over SSE.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { startWebHost, type WebHost } from '../../main/core/web/host.js';
import { decodeWire, encodeWire } from '../../main/common/wire.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';
import { launchChromium } from '../support/browser.js';

async function setup(t: TestContext): Promise<{ core: Core; host: WebHost; staticDir: string }> {
  const staticDir = tempDir();
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>eOffice</title>');
  fs.writeFileSync(path.join(tempDir(), 'secret.txt'), 'outside');
  const core = openCore({ dataDir: tempDir(), shell: 'web', actor: 't' });
  const host = await startWebHost({ handlers: core.handlers, events: core.events, staticDir, maxBodyBytes: () => 2 * 1024 * 1024 });
  t.after(async () => {
    await host.close();
    core.close();
  });
  return { core, host, staticDir };
}

/** A raw request, so that headers such as Host can be set as an attacker would. */
function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

function api(host: WebHost, method: string, input: unknown, extra: Record<string, string> = {}) {
  return request(host.port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { Authorization: `Bearer ${host.token}`, 'X-Requested-With': 'eoffice', 'Content-Type': 'application/json', ...extra },
    body: encodeWire(input),
  });
}

test('it listens on the loopback only, on a free port, with a fresh token each launch', async (t) => {
  const a = await setup(t);
  const b = await setup(t);
  assert.match(a.host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  assert.notEqual(a.host.port, b.host.port);
  assert.notEqual(a.host.token, b.host.token);
});

test('without the token nothing is served; the launch URL trades the token for an HttpOnly cookie', async (t) => {
  const { host } = await setup(t);
  assert.equal((await request(host.port, { path: '/' })).status, 401);
  assert.equal((await request(host.port, { path: '/?token=wrong' })).status, 401);
  const launch = await request(host.port, { path: `/?token=${host.token}` });
  assert.equal(launch.status, 302);
  assert.equal(launch.headers.location, '/', 'the token leaves the address bar');
  const cookie = String(launch.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await request(host.port, { path: '/', headers: { Cookie: cookie.split(';')[0]! } });
  assert.equal(page.status, 200);
  assert.match(page.headers['content-security-policy'] as string, /default-src 'self'/);
  assert.match(page.body, /eOffice/);
});

test('requests naming another host (DNS rebinding) or without X-Requested-With (cross-site forms) are refused', async (t) => {
  const { host } = await setup(t);
  const rebind = await request(host.port, { path: '/', headers: { Host: `evil.example:${host.port}`, Authorization: `Bearer ${host.token}` } });
  assert.equal(rebind.status, 403);
  const form = await api(host, 'app.info', {}, { 'X-Requested-With': '' });
  assert.equal(form.status, 403);
});

test('static files cannot be read outside the renderer folder', async (t) => {
  const { host } = await setup(t);
  for (const p of ['/../secret.txt', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5csecret.txt']) {
    const res = await request(host.port, { path: p, headers: { Authorization: `Bearer ${host.token}` } });
    assert.equal(res.status, 404, p);
  }
});

test('the API answers over HTTP with the same envelopes as IPC, and refuses invalid input', async (t) => {
  const { host } = await setup(t);
  const info = decodeWire((await api(host, 'app.info', {})).body) as { ok: boolean; result: { shell: string } };
  assert.equal(info.ok, true);
  assert.equal(info.result.shell, 'web');
  const bad = decodeWire((await api(host, 'documents.list', { limit: -5 })).body) as { ok: boolean; error: { code: string } };
  assert.deepEqual([bad.ok, bad.error.code], [false, 'INVALID_INPUT']);
  const unknown = decodeWire((await api(host, 'documents.drop', {})).body) as { ok: boolean; error: { code: string } };
  assert.deepEqual([unknown.ok, unknown.error.code], [false, 'NOT_FOUND']);
  const junk = await request(host.port, { method: 'POST', path: '/api/app.info', headers: { Authorization: `Bearer ${host.token}`, 'X-Requested-With': 'eoffice' }, body: '{not json' });
  assert.equal(junk.status, 400);
  const tooBig = await api(host, 'documents.import', { direction: 'in', fileName: 'x.pdf', bytes: new Uint8Array(3 * 1024 * 1024) });
  assert.equal(tooBig.status, 413);
  assert.equal((JSON.parse(tooBig.body) as { error: { code: string } }).error.code, 'FILE_TOO_LARGE');
});

test('an import over HTTP carries the bytes intact and is announced to event listeners', async (t) => {
  const { host } = await setup(t);
  const events: string[] = [];
  const sse = await new Promise<http.IncomingMessage>((resolve) =>
    http.get({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Authorization: `Bearer ${host.token}` } }, resolve),
  );
  assert.equal(sse.headers['content-type'], 'text/event-stream; charset=utf-8');
  const received = new Promise<void>((resolve) => {
    sse.setEncoding('utf8');
    sse.on('data', (chunk: string) => {
      events.push(chunk);
      if (chunk.includes('event: documents.changed')) resolve();
    });
  });
  const bytes = await makeVietnamesePdf(['Giấy mời họp giao ban']);
  const result = decodeWire((await api(host, 'documents.import', { direction: 'out', fileName: 'giay-moi.pdf', bytes })).body) as { ok: boolean; result: { document: { id: number } } };
  assert.equal(result.ok, true);
  await received;
  assert.match(events.join(''), new RegExp(`"ids":\\[${result.result.document.id}\\]`));
  const content = decodeWire((await api(host, 'documents.content', { id: result.result.document.id })).body) as { result: { bytes: Uint8Array } };
  assert.deepEqual(Buffer.from(content.result.bytes), Buffer.from(bytes));
  sse.destroy();
});

test('two hosts on the loopback keep their own cookies: the cookie name carries the port', async (t) => {
  // Browsers do not keep cookies apart by port: with one fixed name, opening a second eOffice
  // (another data folder) would overwrite the first one's cookie and lock its tab out.
  const a = await setup(t);
  const b = await setup(t);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext();
  const pageA = await context.newPage();
  await pageA.goto(a.host.url);
  const pageB = await context.newPage();
  await pageB.goto(b.host.url);
  // The app's own call, as the renderer makes it (Chromium adds Origin and Sec-Fetch-Site itself).
  const callFrom = (page: typeof pageA) =>
    page.evaluate(async () => {
      const res = await fetch('/api/app.info', { method: 'POST', headers: { 'X-Requested-With': 'eoffice', 'Content-Type': 'application/json' }, body: '{}' });
      return { status: res.status, body: await res.text() };
    });
  for (const page of [pageA, pageB]) {
    const answer = await callFrom(page);
    assert.equal(answer.status, 200, answer.body);
    assert.equal((decodeWire(answer.body) as { ok: boolean }).ok, true);
  }
  const launch = await request(a.host.port, { path: `/?token=${a.host.token}` });
  assert.match(String(launch.headers['set-cookie']), new RegExp(`^eoffice_token_${a.host.port}=`));
});

test('API calls from another origin are refused, whatever cookie or token they carry', async (t) => {
  const { host } = await setup(t);
  // Bad inputs tried: a foreign site, another port of the loopback (same site, other origin),
  // the opaque "null" origin of a sandboxed frame or a file, and Fetch Metadata saying so.
  const refused: Array<Record<string, string>> = [
    { Origin: 'http://evil.example' },
    { Origin: `http://127.0.0.1:${host.port + 1}` },
    { Origin: `https://127.0.0.1:${host.port}` },
    { Origin: 'null' },
    { 'Sec-Fetch-Site': 'cross-site' },
    { 'Sec-Fetch-Site': 'same-site' },
    { Origin: host.origin, 'Sec-Fetch-Site': 'same-site' },
  ];
  for (const headers of refused) {
    const answer = await api(host, 'app.info', {}, headers);
    assert.equal(answer.status, 403, JSON.stringify(headers));
    const events = await request(host.port, { path: '/api/events', headers: { Authorization: `Bearer ${host.token}`, ...headers } });
    assert.equal(events.status, 403, `events ${JSON.stringify(headers)}`);
  }
  // The app's own page, and a client that is no browser (no Origin at all), are served.
  assert.equal((await api(host, 'app.info', {}, { Origin: host.origin, 'Sec-Fetch-Site': 'same-origin' })).status, 200);
  assert.equal((await api(host, 'app.info', {}, { Origin: `http://localhost:${host.port}`, Host: `localhost:${host.port}` })).status, 200);
  assert.equal((await api(host, 'app.info', {})).status, 200);
});

test('the launch redirect stays on the host: leading slashes collapse, so it cannot lead to another site', async (t) => {
  const { host } = await setup(t);
  // Bad inputs tried: paths that normalise to "//evil.example/…", which a browser reads as another host.
  for (const p of ['/.//evil.example/', '/a/..//evil.example/x', '/.///evil.example', '/./\\evil.example/']) {
    const res = await request(host.port, { path: `${p}?token=${host.token}` });
    assert.equal(res.status, 302, p);
    const location = String(res.headers.location);
    assert.match(location, /^\/(?![/\\])/, `${p} → ${location}`);
    assert.equal(new URL(location, host.origin).origin, host.origin, `${p} → ${location}`);
  }
});
