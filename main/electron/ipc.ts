// IPC registration: one ipcMain.handle per contract method, each refusing senders other than
// the app's own page and parsing its input through the shared boundary (core/api/invoke.ts)
// before anything reaches the core. Only the types of electron are imported here, so this file
// is tested under plain Node with a recording stand-in for ipcMain.
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { IPC_CHANNEL_PREFIX, METHOD_NAMES } from '../common/contract.js';
import type { Envelope } from '../common/errors.js';
import { invoke, type Handlers } from '../core/api/invoke.js';

export type IpcRegistrar = Pick<IpcMain, 'handle'>;

export function registerIpc(
  ipcMain: IpcRegistrar,
  handlers: Handlers,
  isTrustedFrame: (frame: WebFrameMain | null) => boolean,
  log: (message: string) => void = console.error,
): string[] {
  const channels: string[] = [];
  for (const method of METHOD_NAMES) {
    const channel = IPC_CHANNEL_PREFIX + method;
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<unknown>> | Envelope<unknown> => {
      if (!isTrustedFrame(event.senderFrame)) {
        log(`[ipc] refused ${method} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'This page may not call the eOffice API.' } };
      }
      return invoke(handlers, method, input, log);
    });
    channels.push(channel);
  }
  return channels;
}

/** The app's page (app://eoffice/index.html) is the one caller; anything else (a navigated or injected frame) is refused. */
export function trustedFrameCheck(rendererIndexUrl: string): (frame: WebFrameMain | null) => boolean {
  const expected = new URL(rendererIndexUrl);
  return (frame) => {
    if (!frame) return false;
    try {
      const url = new URL(frame.url);
      return url.protocol === expected.protocol && url.host === expected.host && url.pathname === expected.pathname;
    } catch {
      return false;
    }
  };
}
