// The preload exposes exactly one object, window.eoffice, with one function per API method.
// ipcRenderer itself never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL, METHOD_NAMES, type EventName } from '../main/common/channels.js';
import type { EofficeBridge } from '../main/common/contract.js';

const bridge: Record<string, unknown> = {};
for (const method of METHOD_NAMES) {
  bridge[method] = (input: unknown) => ipcRenderer.invoke(IPC_CHANNEL_PREFIX + method, input);
}
bridge.onEvent = (listener: (name: EventName, payload: unknown) => void) => {
  const forward = (_event: IpcRendererEvent, name: EventName, payload: unknown) => {
    if (EVENT_NAMES.includes(name)) listener(name, payload);
  };
  ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
  return () => void ipcRenderer.off(IPC_EVENT_CHANNEL, forward);
};

contextBridge.exposeInMainWorld('eoffice', bridge as EofficeBridge);
