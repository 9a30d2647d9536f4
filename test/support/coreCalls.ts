// The contract's methods on an in-process core, called as the shells call them: through invoke,
// which parses the input and logs the call (the lines kept, for tests that no secret is logged).
import assert from 'node:assert/strict';
import type { Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';

export function coreCalls(core: () => Core, log: string[]) {
  async function call<M extends MethodName>(method: M, input: unknown): Promise<Envelope<Output<M>>> {
    return (await invoke(core().handlers, method, input, (line) => log.push(line))) as Envelope<Output<M>>;
  }
  async function ok<M extends MethodName>(method: M, input: unknown): Promise<Output<M>> {
    const envelope = await call(method, input);
    if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
    return envelope.result;
  }
  return { call, ok };
}
