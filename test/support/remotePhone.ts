// Playing the signer's phone in tests: the next request the reference remote signing service
// holds that the test has not played yet.
import assert from 'node:assert/strict';
import type { RemoteSigner } from '../remoteSigner/server.js';

export async function nextPhoneRequest(service: RemoteSigner, handled: Set<string>) {
  for (let i = 0; i < 600; i++) {
    const pending = service.control.pending().find((p) => !handled.has(p.id));
    if (pending) {
      handled.add(pending.id);
      return pending;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail('the request never reached the phone');
}
