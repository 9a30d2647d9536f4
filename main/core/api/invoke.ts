// The boundary every call crosses, whatever the transport: the method must exist in the
// contract, the input must parse against its schema (so no handler ever sees unchecked data),
// and the answer goes back as an envelope, because Electron IPC loses an Error's fields.
// Secrets in the input (a token's PIN, the axis secret, a password) are blotted out of every log line and every envelope.
import { contract, type MethodName, type Output, type ParsedInput } from '../../common/contract.js';
import { AppError, type ApiErrorShape, type Envelope } from '../../common/errors.js';
import { prettifyError } from 'zod';
import { METHOD_ACCESS, mayCall, signsWithHostToken } from '../../common/access.js';
import { withCaller, type CallContext } from '../app/caller.js';

/** Input fields whose values must never be echoed, whatever the method. */
const SECRET_FIELDS = ['pin', 'secret', 'password'] as const;
const BLOTTED = '•••';

function secretsOf(input: unknown): string[] {
  if (!input || typeof input !== 'object') return [];
  return SECRET_FIELDS.map((field) => (input as Record<string, unknown>)[field]).filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function blot(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join(BLOTTED), text);
}

function blotError(error: ApiErrorShape, secrets: readonly string[]): ApiErrorShape {
  if (secrets.length === 0) return error;
  const details = error.details && Object.fromEntries(Object.entries(error.details).map(([k, v]) => [k, typeof v === 'string' ? blot(v, secrets) : v]));
  return { ...error, message: blot(error.message, secrets), ...(details ? { details } : {}) };
}

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<Output<M>> | Output<M> };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/**
 * `caller`: a person calling through the office host, whose roles the method must allow
 * (common/access.ts) before anything of the input is read; none for this PC's own user.
 */
export async function invoke(handlers: Handlers, method: string, rawInput: unknown, log: (message: string) => void = console.error, caller?: CallContext): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown API method "${method}".` } };
  if (caller && !mayCall(method, caller)) {
    const where = METHOD_ACCESS[method] === 'this-pc' ? 'only on the PC it concerns, not through the office host' : `with the role ${(METHOD_ACCESS[method] as readonly string[]).join(' or ')}`;
    return { ok: false, error: { code: 'FORBIDDEN', message: `${caller.login} may not call ${method}: it is allowed ${where}.`, details: { method } } };
  }
  const secrets = secretsOf(rawInput);
  const parsed = contract[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, error: blotError({ code: 'INVALID_INPUT', message: `Invalid input for ${method}: ${prettifyError(parsed.error)}` }, secrets) };
  }
  if (caller && signsWithHostToken(method, parsed.data)) {
    return { ok: false, error: { code: 'FORBIDDEN', message: `${caller.login} may not sign with a token plugged into the office host: sign with a remote signer, or with the token on your own PC.`, details: { method } } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    const result = await (caller ? withCaller(caller, () => handler(parsed.data)) : handler(parsed.data));
    const checked = contract[method].output.safeParse(result);
    if (!checked.success) {
      log(blot(`[api] ${method} returned data outside the contract: ${prettifyError(checked.error)}`, secrets));
      return { ok: false, error: { code: 'INTERNAL', message: `Internal error in ${method}.` } };
    }
    return { ok: true, result: checked.data };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: blotError(error.toShape(), secrets) };
    log(blot(`[api] ${method} failed: ${(error as Error).stack ?? String(error)}`, secrets));
    return { ok: false, error: blotError({ code: 'INTERNAL', message: `Internal error in ${method}: ${(error as Error).message}` }, secrets) };
  }
}
