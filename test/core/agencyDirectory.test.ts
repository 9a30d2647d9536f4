// The directory of agencies the recipients are picked from: fetched from the axis on an online
// pass, kept in the registry so that a commune offline (or the app restarted without a network)
// still has it, listed by name, without this agency itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import { startAxisServer } from '../axis/server.js';
import { freePort } from '../support/agencies.js';
import { tempDir } from '../support/fixtures.js';

async function ok<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) assert.fail(`${method}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result as Output<M>;
}

const agency = (code: string, name: string) => ({ code, name, systemId: `sys-${code}`, secret: randomBytes(16).toString('base64url') });
const COMMUNE = agency('000.00.21.H99', 'UBND xã Thử Nghiệm');
const DIRECTORY = [COMMUNE, agency('000.00.02.H99', 'UBND huyện Thử Nghiệm'), agency('000.00.32.H99', 'Sở Tài nguyên và Môi trường'), agency('000.00.00.H99', 'Ủy ban nhân dân tỉnh Thử Nghiệm')];

test('the axis’s directory is listed by name once a pass has been online, and still after a restart with the axis gone', async () => {
  const port = await freePort();
  const work = tempDir('eoffice-directory-');
  const axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.sqlite'), agencies: DIRECTORY });
  const dataDir = tempDir('eoffice-directory-data-');
  let core = openCore({ dataDir, shell: 'web', actor: 'vanthu' });
  try {
    await ok(core, 'agency.update', { code: COMMUNE.code, name: COMMUNE.name, abbreviation: 'UBND' });
    await ok(core, 'exchange.setAxis', { endpoint: `http://127.0.0.1:${port}/`, systemId: COMMUNE.systemId, secret: COMMUNE.secret });
    assert.deepEqual(await ok(core, 'exchange.agencies', {}), [], 'nothing before the first online pass');
    assert.equal((await ok(core, 'exchange.syncNow', {})).connection, 'online');
    const expected = DIRECTORY.filter((a) => a.code !== COMMUNE.code)
      .map(({ code, name }) => ({ code, name }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    assert.deepEqual(await ok(core, 'exchange.agencies', {}), expected, 'every other agency, by name; not this one');
    core.close();
    await axis.close();
    core = openCore({ dataDir, shell: 'web', actor: 'vanthu' });
    assert.equal((await ok(core, 'exchange.syncNow', {})).connection, 'offline');
    assert.deepEqual(await ok(core, 'exchange.agencies', {}), expected, 'offline, the directory last fetched');
  } finally {
    core.close();
    await axis.close().catch(() => undefined);
  }
});
