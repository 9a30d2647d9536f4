// Every error the API can return has a sentence in each UI language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../../main/common/errors.js';
import { REPO_ROOT } from '../support/fixtures.js';

for (const locale of ['vi', 'en']) {
  test(`every error code has a ${locale} message`, () => {
    const catalog = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renderer/src/i18n', `${locale}.json`), 'utf8')) as Record<string, string>;
    const missing = ERROR_CODES.filter((code) => !catalog[`error.${code}`]);
    assert.deepEqual(missing, []);
  });
}
