// Who is calling, for the length of one API call through the office host. invoke() runs the
// handler inside it, and the core's actor — the audit trail's "who" — is read from it, so that the
// handlers, written for one person on one PC, record the person who called without each passing
// it down. Outside a call (the desktop app, the loopback host, the command line) there is none and
// the actor is this PC's user, as before accounts.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RemoteCaller } from '../../common/access.js';

export interface CallContext extends RemoteCaller {
  /** Which PC: its address as the office host saw it. */
  client: string;
}

const calls = new AsyncLocalStorage<CallContext>();

export function withCaller<T>(caller: CallContext, run: () => T): T {
  return calls.run(caller, run);
}

export function currentCaller(): CallContext | undefined {
  return calls.getStore();
}
