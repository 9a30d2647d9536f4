import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createFileSettings, DEFAULT_SETTINGS } from '../../main/core/settings/settings.js';
import { createKeyFileSecretBox } from '../../main/core/secrets/secretBox.js';
import { defaultUserDataDir, resolveDataDir } from '../../main/core/paths/dataDir.js';
import { AppError } from '../../main/common/errors.js';
import { tempDir } from '../support/fixtures.js';

test('settings persist in the data folder and a hand-edited bad value falls back to its default', () => {
  const dir = tempDir();
  const settings = createFileSettings(dir);
  assert.deepEqual(settings.read(), DEFAULT_SETTINGS);
  settings.update({ locale: 'en' });
  assert.equal(createFileSettings(dir).read().locale, 'en', 'a second store over the same folder sees it');
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ locale: 'klingon', maxImportMegabytes: 20, tokenModules: ['/usr/lib/libx.so', 42] }));
  assert.deepEqual(createFileSettings(dir).read(), { ...DEFAULT_SETTINGS, maxImportMegabytes: 20 });
  settings.update({ tokenModules: ['C:\\Windows\\System32\\vnptca_p11_v8.dll'] });
  assert.deepEqual(createFileSettings(dir).read().tokenModules, ['C:\\Windows\\System32\\vnptca_p11_v8.dll']);
  assert.throws(() => settings.update({ maxImportMegabytes: -1 }));
});

test('a sealed secret is unreadable without the key file, which only its owner can read', () => {
  const dir = tempDir();
  const box = createKeyFileSecretBox(dir);
  const sealed = box.seal('axis-secret-123');
  assert.ok(!sealed.includes('axis-secret-123'));
  assert.notEqual(box.seal('axis-secret-123'), sealed, 'a fresh nonce each time');
  assert.equal(createKeyFileSecretBox(dir).open(sealed), 'axis-secret-123', 'the key survives a restart');
  if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777, 0o600);
  const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.throws(() => box.open(tampered), /cannot be decrypted/);
  assert.throws(() => createKeyFileSecretBox(tempDir()).open(sealed), /cannot be decrypted/);
  assert.throws(() => box.open('garbage'), /not in a known format/);
});

test('a damaged key file is refused, never replaced: a new key would orphan the sealed secret', () => {
  // Bad inputs tried: a key cut short (a crash mid-write by an older version), an empty file, one too long.
  for (const damaged of [randomBytes(16), Buffer.alloc(0), randomBytes(33)]) {
    const dir = tempDir();
    const keyFile = path.join(dir, 'secret.key');
    fs.writeFileSync(keyFile, damaged, { mode: 0o600 });
    const box = createKeyFileSecretBox(dir);
    for (const use of [() => box.seal('axis-secret-123'), () => box.open('v1:AAAA:AAAA:AAAA')]) {
      assert.throws(use, (error: unknown) => {
        assert.ok(error instanceof AppError, String(error));
        assert.equal(error.code, 'SECRET_KEY_DAMAGED');
        assert.match(error.message, new RegExp(`secret\\.key.*${damaged.length} bytes`));
        return true;
      });
    }
    assert.deepEqual(fs.readFileSync(keyFile), damaged, 'the file is left as it was, for the IT admin to restore');
  }
});

test('the key is written whole before it takes the name: no partial or temporary file is left', () => {
  const dir = tempDir();
  const sealed = createKeyFileSecretBox(dir).seal('axis-secret-123');
  assert.deepEqual(fs.readdirSync(dir), ['secret.key']);
  assert.equal(fs.statSync(path.join(dir, 'secret.key')).size, 32);
  // Another process that opens the folder (the CLI beside the app) uses that key, not one of its own.
  assert.equal(createKeyFileSecretBox(dir).open(sealed), 'axis-secret-123');
});

test('the data folder is --data-dir, else EOFFICE_DATA_DIR, else Electron’s userData for eOffice', () => {
  assert.equal(resolveDataDir(['--data-dir', '/srv/a'], { EOFFICE_DATA_DIR: '/srv/b' }), '/srv/a');
  assert.equal(resolveDataDir(['--data-dir=/srv/c'], {}), '/srv/c');
  assert.equal(resolveDataDir([], { EOFFICE_DATA_DIR: '/srv/b' }), '/srv/b');
  assert.equal(resolveDataDir([], {}, '/fallback'), '/fallback');
  assert.equal(defaultUserDataDir({ XDG_CONFIG_HOME: '/home/u/.config' }, 'linux'), '/home/u/.config/eOffice');
  assert.equal(defaultUserDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32'), path.join('C:\\Users\\u\\AppData\\Roaming', 'eOffice'));
});
