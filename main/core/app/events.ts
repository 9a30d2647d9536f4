import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../common/contract.js';

/** Events for the UI; each transport forwards them (IPC: webContents.send; web host: SSE). */
export class AppEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', name, payload);
  }

  subscribe(listener: (name: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
