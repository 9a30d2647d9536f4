// Adding a token library: native code that runs inside eOffice, so the page never names the file.
// The desktop shell asks with the OS's own dialogs in the main process (chosen, then confirmed);
// the web host has no such dialogs and refuses; the terminal (`eoffice tokens add-module`) is the
// other way in. The Electron dialogs cannot be shown here (no Electron binary, no display): a
// recording stand-in answers for them, and everything behind it is real (SoftHSM, the settings
// file, the API boundary).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { TokenModulePicker } from '../../main/core/token/userModules.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { tempDir } from '../support/fixtures.js';
import { runEoffice } from '../support/cliRun.js';

const LABEL = 'Token Thêm Thư Viện';
let token: TestToken;

before(async () => {
  token = await createTestToken({ label: LABEL });
});

after(() => token?.cleanup());

/** The shell's dialogs as a script: what the file dialog returns and what the clerk answers. */
function scriptedPicker(chosen: string | null, confirmed: boolean): TokenModulePicker & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    chooseFile: async () => chosen,
    confirmLoad: async (modulePath) => {
      asked.push(modulePath);
      return confirmed;
    },
  };
}

/** A core that finds no middleware by itself, so that SoftHSM is there only once it is added. */
function openWith(picker: TokenModulePicker | undefined, shell: 'electron' | 'web' = 'electron'): Core {
  return openCore({ dataDir: tempDir(), shell, actor: 't', tokens: { knownModules: [], pollIntervalMs: 100 }, tokenModulePicker: picker });
}

async function addModule(core: Core, input: unknown = {}) {
  return invoke(core.handlers, 'tokens.addModule', input, () => undefined);
}

function listsToken(core: Core): boolean {
  return core.tokens.list().tokens.some((t) => t.label === LABEL);
}

test('the page cannot name a library: a path in the request is refused before any dialog opens', async () => {
  const picker = scriptedPicker(token.modulePath, true);
  const core = openWith(picker);
  try {
    for (const input of [{ path: token.modulePath }, { path: '/tmp/evil.so' }, { modulePath: token.modulePath }]) {
      const answer = await addModule(core, input);
      assert.equal(answer.ok, false);
      if (!answer.ok) assert.equal(answer.error.code, 'INVALID_INPUT', JSON.stringify(input));
    }
    assert.deepEqual(picker.asked, []);
    assert.deepEqual(core.settings.read().tokenModules, []);
  } finally {
    core.close();
  }
});

test('in the desktop app the library is chosen and confirmed in the main process, then loaded and saved', async () => {
  const picker = scriptedPicker(token.modulePath, true);
  const core = openWith(picker);
  try {
    assert.equal(listsToken(core), false, 'SoftHSM is not found by itself here');
    const answer = await addModule(core);
    assert.ok(answer.ok, JSON.stringify(answer));
    assert.deepEqual(picker.asked, [token.modulePath], 'the clerk was asked about that very file');
    assert.deepEqual(core.settings.read().tokenModules, [token.modulePath]);
    assert.equal(listsToken(core), true);
    assert.deepEqual(createFileSettings(core.dataDir).read().tokenModules, [token.modulePath], 'saved in settings.json');
  } finally {
    core.close();
  }
});

test('a cancelled file dialog or a "no" at the confirmation loads and saves nothing', async () => {
  for (const picker of [scriptedPicker(null, true), scriptedPicker(token.modulePath, false)]) {
    const core = openWith(picker);
    try {
      const answer = await addModule(core);
      assert.ok(answer.ok, JSON.stringify(answer));
      assert.deepEqual(core.settings.read().tokenModules, []);
      assert.equal(listsToken(core), false, 'nothing was loaded');
    } finally {
      core.close();
    }
  }
});

test('a file that is no token library is refused with the reason and not saved; one added twice is kept once; removed, it is forgotten', async () => {
  const bogus = path.join(tempDir(), 'vnpt-ca_csp11.dll');
  fs.writeFileSync(bogus, 'not a library');
  const refusing = openWith(scriptedPicker(bogus, true));
  try {
    const refused = await addModule(refusing);
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.error.code, 'MODULE_NOT_PKCS11');
      assert.equal(refused.error.details?.module, 'vnpt-ca_csp11.dll');
    }
    assert.deepEqual(refusing.settings.read().tokenModules, []);
  } finally {
    refusing.close();
  }
  const core = openWith(scriptedPicker(token.modulePath, true));
  try {
    assert.ok((await addModule(core)).ok);
    const again = await addModule(core);
    assert.ok(again.ok);
    assert.deepEqual(again.result, core.settings.read());
    assert.deepEqual(core.settings.read().tokenModules, [token.modulePath], 'one entry');
    const removed = await invoke(core.handlers, 'tokens.removeModule', { path: token.modulePath }, () => undefined);
    assert.ok(removed.ok);
    assert.deepEqual(core.settings.read().tokenModules, []);
    assert.equal(listsToken(core), false, 'unloaded: eOffice would not have found it by itself');
  } finally {
    core.close();
  }
});

test('a library on a network share is refused before the confirmation is even asked', async () => {
  for (const share of ['\\\\server\\share\\vnptca_p11_v8.dll', '//server/share/libsofthsm2.so', 'smb://server/share/libsofthsm2.so']) {
    const picker = scriptedPicker(share, true);
    const core = openWith(picker);
    try {
      const answer = await addModule(core);
      assert.equal(answer.ok, false);
      if (!answer.ok) assert.equal(answer.error.code, 'MODULE_NETWORK_PATH', share);
      assert.deepEqual(picker.asked, [], 'no confirmation for a refused file');
      assert.deepEqual(core.settings.read().tokenModules, []);
    } finally {
      core.close();
    }
  }
});

test('the web host has no OS dialogs: it refuses and says where a library can be added', async () => {
  const core = openWith(undefined, 'web');
  try {
    const answer = await addModule(core);
    assert.equal(answer.ok, false);
    if (!answer.ok) {
      assert.equal(answer.error.code, 'MODULE_ADD_UNAVAILABLE');
      assert.match(answer.error.message, /eoffice tokens add-module/);
    }
    assert.deepEqual(core.settings.read().tokenModules, []);
  } finally {
    core.close();
  }
});

test('eoffice tokens add-module <path> adds a library from the terminal, loading it first', async () => {
  const dataDir = tempDir();
  const added = await runEoffice(dataDir, ['tokens', 'add-module', token.modulePath]);
  assert.equal(added.code, 0, added.stderr);
  assert.deepEqual(createFileSettings(dataDir).read().tokenModules, [token.modulePath]);
  // Bad inputs tried: a share, a relative path, a file that is no library, no path at all.
  const notLibrary = path.join(tempDir(), 'vnpt-ca_csp11.dll');
  fs.writeFileSync(notLibrary, 'not a library');
  for (const [args, reason] of [
    [['tokens', 'add-module', '\\\\server\\share\\vnptca_p11_v8.dll'], /network/],
    [['tokens', 'add-module', 'relative/libsofthsm2.so'], /full path/],
    [['tokens', 'add-module', notLibrary], /not a PKCS#11 token module/],
    [['tokens', 'add-module'], /add-module <library>/],
  ] as const) {
    const refused = await runEoffice(dataDir, [...args]);
    assert.notEqual(refused.code, 0, args.join(' '));
    assert.match(refused.stderr, reason);
  }
  assert.deepEqual(createFileSettings(dataDir).read().tokenModules, [token.modulePath], 'nothing else was saved');
});
