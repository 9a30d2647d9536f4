// One client for both shells. In Electron the preload exposes window.eoffice (IPC); opened in
// a browser, the same calls go to the loopback web host as POST /api/<method> and events arrive
// over server-sent events. Either way a call resolves to the contract's Envelope.
import { EVENT_NAMES } from '../../../main/common/channels.js';
import type { EofficeBridge, EventName, Input, MethodName, Output } from '../../../main/common/contract.js';
import type { Envelope, ErrorCode } from '../../../main/common/errors.js';
import { decodeWire, encodeWire } from '../../../main/common/wire.js';

declare global {
  interface Window {
    eoffice?: EofficeBridge;
  }
}

/** The contract's codes, plus NETWORK for a web host that cannot be reached at all. */
export type ApiErrorCode = ErrorCode | 'NETWORK';
export type ErrorDetails = Record<string, string | number | boolean | null>;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ApiErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

export type ApiEventListener = (name: EventName, payload: unknown) => void;

interface Transport {
  invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: ApiEventListener): () => void;
}

function bridgeTransport(bridge: EofficeBridge): Transport {
  return {
    invoke: (method, input) => (bridge[method] as (input: unknown) => Promise<Envelope<unknown>>)(input),
    subscribe: (listener) => bridge.onEvent(listener),
  };
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

const unauthorizedListeners = new Set<() => void>();

/** Called when the web host refuses the session cookie: the UI then explains how to get back in. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function webTransport(): Transport {
  const listeners = new Set<ApiEventListener>();
  let source: EventSource | null = null;

  // One EventSource for the page, opened with the first subscriber: the browser reconnects it
  // by itself after the host restarts.
  function open(): EventSource {
    const es = new EventSource('/api/events');
    for (const name of EVENT_NAMES) {
      es.addEventListener(name, (event) => {
        let payload: unknown;
        try {
          payload = decodeWire((event as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of listeners) listener(name, payload);
      });
    }
    return es;
  }

  return {
    async invoke(method, input) {
      let response: Response;
      try {
        response = await fetch(`/api/${method}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'eoffice' },
          body: encodeWire(input),
        });
      } catch (error) {
        throw new ApiError('NETWORK', `The eOffice host cannot be reached (${(error as Error).message}).`);
      }
      if (response.status === 401) {
        for (const listener of unauthorizedListeners) listener();
        throw new ApiError('UNAUTHORIZED', 'The session cookie was refused; reopen the URL printed in the terminal.');
      }
      let body: unknown;
      try {
        body = decodeWire(await response.text());
      } catch {
        body = undefined;
      }
      // Errors travel as envelopes whatever the status; anything else is a host fault.
      if (isEnvelope(body)) return body;
      throw new ApiError('INTERNAL', `Unexpected response from the host (HTTP ${response.status}).`);
    },
    subscribe(listener) {
      listeners.add(listener);
      source ??= open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}

const transport: Transport = window.eoffice ? bridgeTransport(window.eoffice) : webTransport();

export async function call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
  const envelope = await transport.invoke(method, input);
  if (envelope.ok) return envelope.result as Output<M>;
  const { code, message, details } = envelope.error;
  throw new ApiError(code, message, details);
}

export function onEvent(listener: ApiEventListener): () => void {
  return transport.subscribe(listener);
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
