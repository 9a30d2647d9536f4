// One client for both shells. In Electron the preload exposes window.eoffice (IPC); opened in
// a browser, the same calls go to the web host as POST /api/<method> and events arrive over
// server-sent events. Either way a call resolves to the contract's Envelope. The web host is
// either the loopback host (http, a token cookie) or the office host (https, issue 15), where a
// person signs in and every call carries the session's CSRF token.
import { EVENT_NAMES } from '../../../main/common/channels.js';
import { mayCall } from '../../../main/common/access.js';
import type { EofficeBridge, EventName, Input, MethodName, Output, UserInfo } from '../../../main/common/contract.js';
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

/** Served by the office host: only it is https (the loopback host is http, the desktop app IPC). */
export const onOfficeHost = !window.eoffice && window.location.protocol === 'https:';

/** The office host's session as this page knows it: who, and the token each call sends back. */
let session: { user: UserInfo; csrfToken: string } | null = null;

/** Why the web host refused: the loopback host's token cookie, or no (more) session on the office host. */
export type Unauthorized = 'reopen-url' | 'sign-in';

const unauthorizedListeners = new Set<(why: Unauthorized) => void>();

/** Called when the web host refuses the session cookie: the UI then explains how to get back in. */
export function onUnauthorized(listener: (why: Unauthorized) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * Whether this page may call a method: on the office host the signed-in person's roles decide
 * (the host checks them again on every call); elsewhere this PC's user may call everything.
 */
export function allowedHere(method: MethodName): boolean {
  if (!onOfficeHost) return true;
  return session !== null && mayCall(method, session.user);
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
          headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'eoffice', ...(session ? { 'X-CSRF-Token': session.csrfToken } : {}) },
          body: encodeWire(input),
        });
      } catch (error) {
        throw new ApiError('NETWORK', `The eOffice host cannot be reached (${(error as Error).message}).`);
      }
      if (response.status === 401) {
        // The office host's session lapsed (idle, signed out elsewhere): sign in again.
        if (onOfficeHost) {
          session = null;
          for (const listener of unauthorizedListeners) listener('sign-in');
          throw new ApiError('SIGN_IN_REQUIRED', 'The session has ended; sign in again.');
        }
        for (const listener of unauthorizedListeners) listener('reopen-url');
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

/** A request to the office host's /auth/ routes, whose answers are plain JSON envelopes. */
async function authRequest(path: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; envelope: Envelope<unknown> }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', ...(session ? { 'X-CSRF-Token': session.csrfToken } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError('NETWORK', `The office host cannot be reached (${(error as Error).message}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await response.text());
  } catch {
    parsed = undefined;
  }
  if (!isEnvelope(parsed)) throw new ApiError('INTERNAL', `Unexpected response from the host (HTTP ${response.status}).`);
  return { status: response.status, envelope: parsed };
}

function signedIn(envelope: Envelope<unknown>): UserInfo {
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message, envelope.error.details);
  session = envelope.result as { user: UserInfo; csrfToken: string };
  return session.user;
}

/** The office host's current session (its cookie is HttpOnly: only the host can say), or null to sign in. */
export async function officeSession(): Promise<UserInfo | null> {
  const { status, envelope } = await authRequest('/auth/session', 'GET');
  if (status === 401) {
    session = null;
    return null;
  }
  return signedIn(envelope);
}

/** Signs in to the office host; refused with SIGN_IN_FAILED, SIGN_IN_BACKOFF (details.seconds), ACCOUNT_LOCKED… */
export async function signIn(login: string, password: string): Promise<UserInfo> {
  return signedIn((await authRequest('/auth/sign-in', 'POST', { login, password })).envelope);
}

/** Ends the office host's session; one that had lapsed already is ended all the same. */
export async function signOut(): Promise<void> {
  const { status, envelope } = await authRequest('/auth/sign-out', 'POST', {});
  session = null;
  if (!envelope.ok && status !== 401) throw new ApiError(envelope.error.code, envelope.error.message, envelope.error.details);
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
