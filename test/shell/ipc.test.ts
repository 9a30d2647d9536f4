// The Electron shell without the Electron binary: the IPC registration and the preload bundle
// run here against recording stand-ins for ipcMain and contextBridge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { registerIpc, trustedFrameCheck } from '../../main/electron/ipc.js';
import { RENDERER_INDEX_URL } from '../../main/electron/appProtocol.js';
import { IPC_CHANNEL_PREFIX, METHOD_NAMES, contract } from '../../main/common/contract.js';
import { openCore } from '../../main/core/app/core.js';
import type { Handlers } from '../../main/core/api/invoke.js';
import { REPO_ROOT, tempDir } from '../support/fixtures.js';

type Listener = (event: { senderFrame: { url: string } | null }, input: unknown) => unknown;

function recordingIpcMain() {
  const handlers = new Map<string, Listener>();
  return { handlers, ipcMain: { handle: (channel: string, listener: Listener) => void handlers.set(channel, listener) } };
}

const APP_URL = RENDERER_INDEX_URL;
const trusted = { senderFrame: { url: APP_URL } };

/** Handlers that only record that the core was reached. */
function spyHandlers(): { handlers: Handlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = Object.fromEntries(METHOD_NAMES.map((m) => [m, () => void calls.push(m)])) as unknown as Handlers;
  return { handlers, calls };
}

test('every contract method has a core handler and an IPC channel', () => {
  const core = openCore({ dataDir: tempDir(), shell: 'electron', actor: 't' });
  assert.deepEqual(Object.keys(core.handlers).sort(), [...METHOD_NAMES].sort());
  const { ipcMain, handlers } = recordingIpcMain();
  // The recording stand-in has only handle(), which is all registerIpc may use.
  registerIpc(ipcMain as never, core.handlers, trustedFrameCheck(APP_URL));
  assert.deepEqual([...handlers.keys()].sort(), METHOD_NAMES.map((m) => IPC_CHANNEL_PREFIX + m).sort());
  core.close();
});

test('an invalid input is refused before it reaches the core, for every method that takes input', async () => {
  const { handlers: spies, calls } = spyHandlers();
  const { ipcMain, handlers } = recordingIpcMain();
  registerIpc(ipcMain as never, spies, trustedFrameCheck(APP_URL), () => undefined);
  const invalid: Record<string, unknown> = {
    'agency.update': { code: 42 },
    'settings.update': { locale: 'fr' },
    'registers.list': { year: 'this year' },
    'documents.list': { offset: -1 },
    'documents.search': { query: 'x'.repeat(501) },
    'documents.get': { id: '1; DROP TABLE documents' },
    'documents.update': { id: 1, patch: { documentDate: '2014-02-30' } },
    'documents.content': { id: 0 },
    'documents.import': { direction: 'sideways', fileName: 'a.pdf', bytes: 'not bytes' },
    'documents.sign': { ids: [1], label: 'T', certificateId: 'ab', appearance: { kind: 'signer', page: 1, rect: [0, 0, -5, 10] } },
    'signing.cancel': { batchId: '../../etc' },
    // The page never names a token library: the main process asks with the OS's dialogs.
    'tokens.addModule': { path: '/tmp/evil.so' },
    'tokens.login': { label: 'T', pin: '12' },
    'tokens.setImage': { fingerprint256: 'not a fingerprint', kind: 'seal', png: new Uint8Array(8) },
  };
  for (const method of METHOD_NAMES) {
    const input = invalid[method] ?? 'not an object';
    const envelope = (await handlers.get(IPC_CHANNEL_PREFIX + method)!(trusted, input)) as { ok: boolean; error: { code: string } };
    assert.deepEqual([envelope.ok, envelope.error.code], [false, 'INVALID_INPUT'], method);
  }
  // Token modules are added only through tokens.addModule, which loads them first.
  const sneaky = (await handlers.get(IPC_CHANNEL_PREFIX + 'settings.update')!(trusted, { tokenModules: ['/tmp/evil.so'] })) as { ok: boolean; error: { code: string } };
  assert.deepEqual([sneaky.ok, sneaky.error.code], [false, 'INVALID_INPUT']);
  assert.deepEqual(calls, [], 'the core was never reached');
  const ok = (await handlers.get(IPC_CHANNEL_PREFIX + 'documents.get')!(trusted, { id: 1 })) as { ok: boolean };
  assert.deepEqual(calls, ['documents.get'], 'a valid input does reach it');
  assert.equal(ok.ok, false, 'the spy returns nothing, which the output check catches');
  assert.ok(Object.keys(invalid).every((m) => m in contract));
});

test('calls from any frame other than the app’s own page are refused', async () => {
  const { handlers: spies, calls } = spyHandlers();
  const { ipcMain, handlers } = recordingIpcMain();
  registerIpc(ipcMain as never, spies, trustedFrameCheck(APP_URL), () => undefined);
  for (const frame of [null, { url: 'https://evil.example/' }, { url: 'file:///tmp/other.html' }, { url: 'not a url' }]) {
    const envelope = (await handlers.get(IPC_CHANNEL_PREFIX + 'app.info')!({ senderFrame: frame }, {})) as { ok: boolean; error: { code: string } };
    assert.deepEqual([envelope.ok, envelope.error.code], [false, 'UNAUTHORIZED']);
  }
  assert.deepEqual(calls, []);
});

test('the preload bundle exposes only window.eoffice, with one function per API method', () => {
  const bundle = path.join(REPO_ROOT, 'dist/preload/preload.cjs');
  assert.ok(fs.existsSync(bundle), 'npm run build makes dist/preload/preload.cjs');
  const exposed: Record<string, Record<string, unknown>> = {};
  const invoked: Array<[string, unknown]> = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api) },
    ipcRenderer: { invoke: (channel: string, input: unknown) => invoked.push([channel, input]), on: () => undefined, off: () => undefined },
  };
  // A sandboxed preload may require only 'electron': anything else throws here, as it would there.
  const sandboxRequire = (id: string) => {
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(fs.readFileSync(bundle, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console });
  assert.deepEqual(Object.keys(exposed), ['eoffice']);
  const api = exposed.eoffice!;
  assert.deepEqual(Object.keys(api).sort(), [...METHOD_NAMES, 'onEvent'].sort());
  assert.ok(!('invoke' in api) && !('send' in api), 'ipcRenderer itself is not exposed');
  (api['documents.get'] as (i: unknown) => void)({ id: 7 });
  assert.deepEqual(invoked, [[IPC_CHANNEL_PREFIX + 'documents.get', { id: 7 }]]);
});
