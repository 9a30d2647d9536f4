// The transport the remote signing adapters share: one POST with its own time limit and the
// caller's cancellation, an OAuth2 client-credentials token kept until it expires, and the
// polling loop that waits for the user's answer on the phone. Over node:http(s) rather than
// fetch because the SIM PKI gateway wants a client certificate, which an https.Agent carries.
//
// No message or detail made here holds a secret: not the client secret, the token, the AP
// password or a request body; only the host, the call's name, HTTP status and provider codes.
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../common/errors.js';
import type { PollOptions, RemoteProtocol } from './remoteSigner.js';

export const DEFAULT_POLL: Required<PollOptions> = { intervalMs: 1_000, toleratedFailures: 3, requestTimeoutMs: 20_000 };

/** An answer bigger than this is not a signing service's: 50 signatures and a chain fit in far less. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** A provider may still say "waiting" a little after the expiry it announced (clocks differ); then we stop asking. */
const EXPIRY_GRACE_MS = 30_000;
/** How long, and how often, a new request is asked about before the interval applies. */
const EAGER_POLLING_MS = 20_000;
const EAGER_INTERVAL_MS = 250;

export interface PostRequest {
  protocol: RemoteProtocol;
  url: URL;
  /** The call's name for messages ("gettraninfo", "MSS_StatusQuery"). */
  call: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  agent?: http.Agent | undefined;
}

export interface PostAnswer {
  status: number;
  body: Buffer;
}

export function cancelled(protocol: RemoteProtocol): AppError {
  return new AppError('REMOTE_CANCELLED', `The ${protocol} signing request was cancelled.`, { protocol });
}

export function unreachable(protocol: RemoteProtocol, host: string, call: string, reason: string, status?: number): AppError {
  return new AppError('REMOTE_UNREACHABLE', `The ${protocol} service (${host}) did not answer ${call}: ${reason}.`, status === undefined ? { protocol, host, call } : { protocol, host, call, status });
}

export function providerFailure(protocol: RemoteProtocol, call: string, reason: string, details: Record<string, string | number>): AppError {
  return new AppError('REMOTE_FAILED', `The ${protocol} service refused ${call}: ${reason}.`, { protocol, call, ...details });
}

/** A provider's own words, kept short and printable for a message or a detail. */
export function providerText(value: unknown): string {
  return typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200) : '';
}

/**
 * The agent for one provider: a new connection for every request. A provider (or a proxy) that
 * writes an answer twice, or late after a timeout, would otherwise have the stray copy read as the
 * answer to the next request on a kept-alive connection: another transaction's outcome, or a poll
 * answer where a new request's answer belongs. A poll a second is cheap to connect for, and
 * https.Agent resumes TLS sessions, so mutual TLS is not negotiated in full each time.
 */
export function agentFor(url: URL, tls?: https.AgentOptions): http.Agent {
  return url.protocol === 'https:' ? new https.Agent({ ...tls, keepAlive: false }) : new http.Agent({ keepAlive: false });
}

// TLS failures are configuration, not the network: an untrusted server certificate, or the
// gateway refusing our client certificate. Retrying would not help; an administrator must look.
const TLS_ERROR = /^(ERR_SSL_|ERR_TLS_|UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL_)/;

/**
 * POSTs `body` and reads the whole answer, whatever its HTTP status. Fails with REMOTE_CANCELLED
 * when the caller's signal fires (the request is torn down at once), REMOTE_UNREACHABLE on a
 * network failure or the call's own time limit, REMOTE_AUTH_FAILED on a TLS refusal.
 */
export function post(request: PostRequest): Promise<PostAnswer> {
  const { protocol, url, call, signal } = request;
  if (signal?.aborted) return Promise.reject(cancelled(protocol));
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const both = signal ? AbortSignal.any([timeout, signal]) : timeout;
  const body = Buffer.from(request.body, 'utf8');
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<PostAnswer>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (signal?.aborted) return reject(cancelled(protocol));
      if (timeout.aborted) return reject(unreachable(protocol, url.host, call, `no answer within ${Math.round(request.timeoutMs / 1000)} s`));
      if (error instanceof AppError) return reject(error);
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (TLS_ERROR.test(code)) {
        return reject(new AppError('REMOTE_AUTH_FAILED', `The ${protocol} service (${url.host}) refused the secure connection for ${call} (${code}): check its CA certificate and the client certificate.`, { protocol, host: url.host, reason: code }));
      }
      reject(unreachable(protocol, url.host, call, code || (error as Error).message));
    };
    const outgoing = transport.request(url, {
      method: 'POST',
      headers: { ...request.headers, 'Content-Length': String(body.length) },
      agent: request.agent,
      signal: both,
    });
    let answered: http.IncomingMessage | null = null;
    // Bytes after a complete answer (a provider writing it twice) make the parser fail the
    // connection; the answer itself is whole and its 'end' still comes, so that error is not ours.
    outgoing.on('error', (error) => {
      if (!answered?.complete) fail(error);
    });
    outgoing.on('response', (incoming) => {
      answered = incoming;
      const parts: Buffer[] = [];
      let size = 0;
      incoming.on('data', (part: Buffer) => {
        size += part.length;
        if (size > MAX_ANSWER_BYTES) {
          incoming.destroy();
          fail(providerFailure(protocol, call, `its answer is larger than ${MAX_ANSWER_BYTES} bytes`, { reason: 'answer-too-large' }));
          return;
        }
        parts.push(part);
      });
      incoming.on('error', fail);
      incoming.on('aborted', () => fail(new Error('the connection was cut during the answer')));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(parts) }));
    });
    outgoing.end(body);
  });
}

/** The answer's body as JSON; REMOTE_FAILED when it is not. */
export function jsonOf(protocol: RemoteProtocol, call: string, answer: PostAnswer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(answer.body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw providerFailure(protocol, call, `its answer (HTTP ${answer.status}) is not a JSON object`, { reason: 'answer-not-json', status: answer.status });
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

// ---- OAuth2 client credentials --------------------------------------------------------------

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/**
 * A bearer token fetched with the client credentials, used until shortly before it expires and
 * fetched again once when the provider answers 401 (it may have been revoked or the clock differs).
 */
export class BearerToken {
  private current: { value: string; renewAt: number } | null = null;

  constructor(private readonly issue: (signal: AbortSignal | undefined) => Promise<IssuedToken>) {}

  /** Calls `send` with a token; on HTTP 401, once more with a fresh one. The second 401 is `onRefused`'s to report. */
  async send(signal: AbortSignal | undefined, send: (token: string) => Promise<PostAnswer>, onRefused: () => AppError): Promise<PostAnswer> {
    const first = await send(await this.token(signal));
    if (first.status !== 401) return first;
    this.current = null;
    const second = await send(await this.token(signal));
    if (second.status === 401) {
      this.current = null;
      throw onRefused();
    }
    return second;
  }

  private async token(signal: AbortSignal | undefined): Promise<string> {
    if (this.current && Date.now() < this.current.renewAt) return this.current.value;
    const issued = await this.issue(signal);
    // A minute early (or at half its life when it is short), so that it does not lapse mid-call.
    const lifetimeMs = Math.max(0, issued.expiresInSeconds) * 1000;
    this.current = { value: issued.accessToken, renewAt: Date.now() + Math.max(0, Math.min(lifetimeMs - 60_000, lifetimeMs / 2)) };
    return issued.accessToken;
  }
}

// ---- waiting for the user -------------------------------------------------------------------

export type PollResult<T> = { done: true; value: T } | { done: false };

/**
 * Asks `poll` every interval until it gives the outcome; gives up with REMOTE_EXPIRED a little
 * after `expiresAt` if the provider never says so itself. Network failures are retried as in
 * `withRetries`; the signal ends the wait at once with REMOTE_CANCELLED and no further call.
 */
export async function pollUntilDone<T>(
  protocol: RemoteProtocol,
  options: Required<PollOptions>,
  expiresAt: Date,
  signal: AbortSignal | undefined,
  poll: () => Promise<PollResult<T>>,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    // Often faster in the first seconds: the leader who is expecting the request confirms at once,
    // and a batch's documents wait for that answer (a second's poll added a second to every
    // batch). Then at the interval, for the minutes a confirmation may take.
    const soon = Date.now() - started < EAGER_POLLING_MS;
    await pause(protocol, soon ? Math.min(options.intervalMs, EAGER_INTERVAL_MS) : options.intervalMs, signal);
    const result = await withRetries(protocol, options, signal, poll);
    if (result.done) return result.value;
    if (Date.now() > expiresAt.getTime() + EXPIRY_GRACE_MS) {
      throw new AppError('REMOTE_EXPIRED', `The ${protocol} request was not approved in time (it expired at ${expiresAt.toISOString()}).`, { protocol });
    }
  }
}

/**
 * Runs `call`, and again after an interval when the network or the provider fails
 * (REMOTE_UNREACHABLE), up to `toleratedFailures` times in a row; then that failure is passed on.
 * Any other error is final. Only for calls that are safe to repeat (a poll, an idempotent request).
 */
export async function withRetries<T>(protocol: RemoteProtocol, options: Required<PollOptions>, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  let failures = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (signal?.aborted) throw cancelled(protocol);
      if (!(error instanceof AppError) || error.code !== 'REMOTE_UNREACHABLE' || ++failures > options.toleratedFailures) throw error;
    }
    await pause(protocol, options.intervalMs, signal);
  }
}

async function pause(protocol: RemoteProtocol, ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
  } catch {
    throw cancelled(protocol);
  }
}

export function pollOptions(poll: PollOptions | undefined): Required<PollOptions> {
  return {
    intervalMs: poll?.intervalMs ?? DEFAULT_POLL.intervalMs,
    toleratedFailures: poll?.toleratedFailures ?? DEFAULT_POLL.toleratedFailures,
    requestTimeoutMs: poll?.requestTimeoutMs ?? DEFAULT_POLL.requestTimeoutMs,
  };
}

// ---- what a request may ask -------------------------------------------------------------------

/**
 * The request's hashes are what the interface promises (32 bytes each, one name each, at least
 * one, at most `limit`); a caller's mistake is INVALID_INPUT before anything goes out.
 */
export function checkHashes(protocol: RemoteProtocol, hashes: Uint8Array[], names: string[], limit: number): void {
  if (hashes.length === 0) throw new AppError('INVALID_INPUT', 'There is no hash to sign.', { protocol });
  if (hashes.length > limit) {
    throw new AppError('INVALID_INPUT', `One ${protocol} approval covers at most ${limit} hashes, not ${hashes.length}: split the request.`, { protocol, limit, hashes: hashes.length });
  }
  if (names.length !== hashes.length) throw new AppError('INVALID_INPUT', `${hashes.length} hashes come with ${names.length} names.`, { protocol });
  const wrong = hashes.findIndex((hash) => hash.length !== 32);
  if (wrong >= 0) throw new AppError('INVALID_INPUT', `Hash number ${wrong + 1} has ${hashes[wrong]!.length} bytes; a SHA-256 hash has 32.`, { protocol, index: wrong });
}

/**
 * What the phone shows, cut to the protocol's limit: composed (NFC, so a Vietnamese letter with
 * its marks counts once), without control characters, never splitting a character. The limit is
 * counted in UTF-16 units, which is never less than the count of characters: within it whichever
 * way the provider counts.
 */
export function displayText(text: string, maxChars: number): string {
  // Control characters and lone surrogates cannot travel in XML 1.0 (MSS) and mean nothing on a phone.
  const clean = text.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]+|\p{Cs}/gu, ' ').trim();
  if (clean.length <= maxChars) return clean;
  let cut = '';
  for (const character of clean) {
    if (cut.length + character.length > maxChars - 1) break;
    cut += character;
  }
  return `${cut.trimEnd()}…`;
}
