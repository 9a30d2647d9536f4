// One confirmation on the phone for several signatures. Each item is prepared at once with a key
// whose signature only takes note of what is to be signed and waits; once every item has reached
// its signature (or failed before it), the real key signs them all under one approval, and each
// item then finishes with its own signature value. Registry batches (signDocuments.ts) and loose
// files (signFiles.ts) group their documents this way.
import { AppError } from '../../common/errors.js';
import type { ApprovalRequest, SignerKey } from './signerKey.js';

export type Prepared<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface OneApproval<T> {
  /** Each item's outcome, in the items' order. */
  outcomes: Prepared<T>[];
  /** Why the approval itself failed (refused, expired, unreachable…), when it did. */
  approvalError?: unknown;
}

/**
 * `request` gets the indexes of the items that reached their signature, in the order they did,
 * and says what the phone shows for them.
 */
export async function underOneApproval<T>(
  key: SignerKey,
  count: number,
  prepare: (key: SignerKey, index: number) => Promise<T>,
  request: (indexes: number[]) => ApprovalRequest,
): Promise<OneApproval<T>> {
  const asked: { index: number; data: Uint8Array; resolve(signature: Uint8Array): void; reject(error: unknown): void }[] = [];
  let preparing = count;
  let allPrepared!: () => void;
  const prepared = new Promise<void>((resolve) => (allPrepared = resolve));
  const done = () => {
    if (--preparing === 0) allPrepared();
  };
  if (count === 0) allPrepared();
  const outcomes = Array.from({ length: count }, async (_, index): Promise<Prepared<T>> => {
    let reachedTheKey = false;
    const waiting: SignerKey = Object.assign(Object.create(key) as SignerKey, {
      sign: (data: Uint8Array) =>
        new Promise<Uint8Array>((resolve, reject) => {
          reachedTheKey = true;
          asked.push({ index, data, resolve, reject });
          done();
        }),
    });
    try {
      return { ok: true, value: await prepare(waiting, index) };
    } catch (error) {
      return { ok: false, error };
    } finally {
      if (!reachedTheKey) done();
    }
  });
  await prepared;
  let approvalError: unknown;
  if (asked.length > 0) {
    try {
      const signatures = await key.signMany(
        asked.map((a) => a.data),
        request(asked.map((a) => a.index)),
      );
      if (signatures.length !== asked.length) throw new AppError('REMOTE_FAILED', `The signer returned ${signatures.length} signatures for ${asked.length} documents.`);
      asked.forEach((a, i) => a.resolve(signatures[i]!));
    } catch (error) {
      approvalError = error;
      for (const a of asked) a.reject(error);
    }
  }
  return { outcomes: await Promise.all(outcomes), approvalError };
}
