// Issue 20.5 (Appendix VI 6d): a paper document registered in one step (incoming.register) is
// found by its số đến at once, as one accepted from the inbox is. The number is taken after the
// import has indexed the document, so the index must be brought up to date with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';

async function ok<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) assert.fail(`${method}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result as Output<M>;
}

test('a paper document registered with its số đến is found by that number', async () => {
  const core = openCore({ dataDir: tempDir(), shell: 'web', actor: 't' });
  try {
    const register = async (notation: string, subject: string) =>
      ok(core, 'incoming.register', {
        fileName: 'cong-van.pdf',
        bytes: await makeVietnamesePdf(['ỦY BAN NHÂN DÂN TỈNH', `Số: ${notation}`, subject]),
        fields: { notation, documentDate: '2026-03-05', authorAgency: 'UBND tỉnh', typeCode: 'CV', subject },
      });
    const first = await register('14/UBND-VP', 'Về việc kiểm tra đê điều');
    const second = await register('31/UBND-KT', 'Về việc tu bổ kênh mương');
    assert.deepEqual([first.incomingNumber, second.incomingNumber], [1, 2]);
    const found = async (query: string) => (await ok(core, 'documents.search', { query })).items.map((hit) => hit.id);
    assert.deepEqual(await found('02'), [second.document.id], 'số đến as the register prints it');
    assert.deepEqual(await found('2'), [second.document.id], 'số đến as typed');
    assert.deepEqual(await found('01'), [first.document.id]);
  } finally {
    core.close();
  }
});
