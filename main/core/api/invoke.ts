// The boundary every call crosses, whatever the transport: the method must exist in the
// contract, the input must parse against its schema (so no handler ever sees unchecked data),
// and the answer goes back as an envelope, because Electron IPC loses an Error's fields.
import { contract, type MethodName, type Output, type ParsedInput } from '../../common/contract.js';
import { AppError, type Envelope } from '../../common/errors.js';
import { prettifyError } from 'zod';

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<Output<M>> | Output<M> };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export async function invoke(handlers: Handlers, method: string, rawInput: unknown, log: (message: string) => void = console.error): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown API method "${method}".` } };
  const parsed = contract[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Invalid input for ${method}: ${prettifyError(parsed.error)}` } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    const result = await handler(parsed.data);
    const checked = contract[method].output.safeParse(result);
    if (!checked.success) {
      log(`[api] ${method} returned data outside the contract: ${prettifyError(checked.error)}`);
      return { ok: false, error: { code: 'INTERNAL', message: `Internal error in ${method}.` } };
    }
    return { ok: true, result: checked.data };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toShape() };
    log(`[api] ${method} failed: ${(error as Error).stack ?? String(error)}`);
    return { ok: false, error: { code: 'INTERNAL', message: `Internal error in ${method}: ${(error as Error).message}` } };
  }
}
