// Why a step of the exchange failed, as the UI says it: an error code of main/common/errors.ts
// with its parameters, which the renderer turns into a sentence from its catalogues, and the
// English message for the CLI and the logs. Nothing the exchange learns reaches the clerk as
// English text.
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import { AxisError } from '../axis/adapter.js';

export function exchangeProblem(error: unknown): ApiErrorShape {
  if (error instanceof AppError || error instanceof AxisError) return error.toShape();
  // Our own side: a full disk, a database busy beyond its timeout, a bug.
  return { code: 'EXCHANGE_LOCAL_FAILURE', message: error instanceof Error ? error.message : String(error) };
}

/**
 * An outbox job's stored problem. Jobs that failed before codes were kept (migration 0009) have
 * only their English message: they say, by their kind, that the last try did not go through.
 */
export function storedProblem(row: { last_error: string | null; last_error_code: string | null; last_error_details: string | null; error_kind: string | null }): ApiErrorShape | null {
  if (row.last_error === null && row.last_error_code === null) return null;
  const message = row.last_error ?? '';
  if (row.last_error_code === null) return { code: row.error_kind === 'auth' ? 'AXIS_AUTH_FAILED' : 'AXIS_SEND_FAILED', message };
  const details = row.last_error_details ? (JSON.parse(row.last_error_details) as ApiErrorShape['details']) : undefined;
  return { code: row.last_error_code as ApiErrorShape['code'], message, ...(details ? { details } : {}) };
}
