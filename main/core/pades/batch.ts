// Ký hàng loạt: one login signs many documents. Each document succeeds or fails on its own and
// gets its own result; a failure leaves no output file and the source untouched (signPdfFile).
// When the token is gone, the documents not yet signed are reported as such instead of each
// failing in turn; a cancel takes effect between two documents.
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import type { SigningKey } from '../token/signingKey.js';
import type { AppearanceSpec } from './appearance.js';
import { signPdfFile, type SigningOutcome } from './signPdf.js';
import type { TimestampOptions } from './timestamp.js';

export interface BatchItem {
  input: string;
  output: string;
  /** This document's own appearance (placed on its own signature block), instead of the batch's. */
  appearance?: AppearanceSpec;
}

export type BatchResult =
  | ({ input: string; status: 'signed'; output: string } & SigningOutcome)
  | { input: string; status: 'failed'; error: ApiErrorShape }
  | { input: string; status: 'skipped'; error: ApiErrorShape };

export interface BatchOptions {
  key: SigningKey;
  appearance?: AppearanceSpec;
  reason?: string;
  location?: string;
  timestamp?: TimestampOptions;
  onProgress?: (done: number, total: number, result: BatchResult) => void;
  /** Asked between documents; true stops the batch there. */
  cancelled?: () => boolean;
}

/** Errors after which no further document can be signed with this key. */
const FATAL_FOR_BATCH = new Set(['TOKEN_REMOVED', 'SESSION_CLOSED', 'PIN_LOCKED', 'NOT_LOGGED_IN', 'KEY_CERT_MISMATCH']);

function shape(error: unknown): ApiErrorShape {
  return error instanceof AppError ? error.toShape() : { code: 'INTERNAL', message: (error as Error).message ?? String(error) };
}

export async function signBatch(items: BatchItem[], options: BatchOptions): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  let stop: ApiErrorShape | null = null;
  for (const item of items) {
    let result: BatchResult;
    if (!stop && options.cancelled?.()) stop = { code: 'CANCELLED', message: 'Signing was cancelled before this document.' };
    if (stop) {
      result = { input: item.input, status: 'skipped', error: stop };
    } else {
      try {
        const outcome = await signPdfFile(item.input, item.output, { key: options.key, appearance: item.appearance ?? options.appearance, reason: options.reason, location: options.location, timestamp: options.timestamp });
        result = { input: item.input, status: 'signed', output: item.output, ...outcome };
      } catch (error) {
        const failure = shape(error);
        result = { input: item.input, status: 'failed', error: failure };
        if (FATAL_FOR_BATCH.has(failure.code)) stop = { code: failure.code, message: `Not signed: ${failure.message}` };
      }
    }
    results.push(result);
    options.onProgress?.(results.length, items.length, result);
  }
  return results;
}
