// The signing acts running now, by batch id: a batch of documents (documents.sign) or an issue
// (outgoing.issue). signing.cancel stops one between documents, and at once while it waits for
// the signer's phone; its wait is announced to the UI as signing.waiting.
import { randomUUID } from 'node:crypto';
import type { CoreServices } from '../app/core.js';
import { AppError } from '../../common/errors.js';
import type { WaitingForApproval } from '../signing/remote/remoteSigner.js';

export interface SigningBatch {
  readonly id: string;
  cancelled: boolean;
  readonly abort: AbortController;
  /** Tells the UI what the phone shows and until when. */
  waiting(waiting: WaitingForApproval): void;
}

const running = new WeakMap<CoreServices, Map<string, SigningBatch>>();

function batchesOf(core: CoreServices): Map<string, SigningBatch> {
  let batches = running.get(core);
  if (!batches) running.set(core, (batches = new Map()));
  return batches;
}

/** Runs `act` as the batch `batchId` (a new id when none is given), then forgets it. */
export async function asSigningBatch<T>(core: CoreServices, batchId: string | undefined, act: (batch: SigningBatch) => Promise<T>): Promise<T> {
  const batches = batchesOf(core);
  const id = batchId ?? randomUUID();
  if (batches.has(id)) throw new AppError('INVALID_INPUT', `A signing batch with id ${id} is already running.`, { field: 'batchId' });
  const batch: SigningBatch = {
    id,
    cancelled: false,
    abort: new AbortController(),
    waiting: (waiting) =>
      core.events.emit('signing.waiting', { batchId: id, protocol: waiting.protocol, display: waiting.display, documents: waiting.hashes, expiresAt: waiting.expiresAt.toISOString() }),
  };
  batches.set(id, batch);
  try {
    return await act(batch);
  } finally {
    batches.delete(id);
  }
}

export function cancelSigningBatch(core: CoreServices, batchId: string): boolean {
  const batch = batchesOf(core).get(batchId);
  if (!batch) return false;
  batch.cancelled = true;
  batch.abort.abort();
  return true;
}
