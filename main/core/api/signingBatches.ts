// The signing acts running now, by batch id: a batch of documents (documents.sign) or an issue
// (outgoing.issue). signing.cancel stops one between documents, and at once while it waits for
// the signer's phone; its wait is announced to the UI as signing.waiting.
import { randomUUID } from 'node:crypto';
import type { CoreServices } from '../app/core.js';
import { AppError } from '../../common/errors.js';
import type { WaitingForApproval } from '../signing/remote/remoteSigner.js';
import type { AskClient } from '../signing/clientKey.js';

export interface SigningBatch {
  readonly id: string;
  /** Who started it (the caller on the office host): only they see and answer its requests. */
  readonly owner: string;
  cancelled: boolean;
  readonly abort: AbortController;
  /** Tells the UI what the phone shows and until when. */
  waiting(waiting: WaitingForApproval): void;
  /** For a 'client' signer: asks the caller's PC to sign, through signing.requests and signing.respond. */
  askClient: AskClient;
  /** The requests the caller's PC has not answered yet. */
  readonly clientRequests: Map<string, { datas: Uint8Array[]; resolve(signatures: Uint8Array[]): void }>;
}

/** How long the caller's PC has to sign (a PIN to type, perhaps a token to plug in). */
const CLIENT_ANSWER_MS = 5 * 60_000;

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
  const clientRequests: SigningBatch['clientRequests'] = new Map();
  const abort = new AbortController();
  const batch: SigningBatch = {
    id,
    owner: core.actor,
    cancelled: false,
    abort,
    waiting: (waiting) =>
      core.events.emit('signing.waiting', { batchId: id, protocol: waiting.protocol, display: waiting.display, documents: waiting.hashes, expiresAt: waiting.expiresAt.toISOString() }),
    clientRequests,
    askClient: (datas) =>
      new Promise<Uint8Array[]>((resolve, reject) => {
        const requestId = randomUUID();
        const settle = (end: () => void) => {
          clearTimeout(timer);
          abort.signal.removeEventListener('abort', cancelled);
          clientRequests.delete(requestId);
          end();
        };
        const timer = setTimeout(() => settle(() => reject(new AppError('REMOTE_EXPIRED', "The signer's PC did not sign in time; nothing was signed."))), CLIENT_ANSWER_MS);
        const cancelled = () => settle(() => reject(new AppError('REMOTE_CANCELLED', 'Signing was cancelled; nothing was signed.')));
        abort.signal.addEventListener('abort', cancelled);
        clientRequests.set(requestId, { datas, resolve: (signatures) => settle(() => resolve(signatures)) });
      }),
  };
  batches.set(id, batch);
  try {
    return await act(batch);
  } finally {
    batches.delete(id);
  }
}

export function cancelSigningBatch(core: CoreServices, batchId: string): boolean {
  const batch = ownBatch(core, batchId);
  if (!batch) return false;
  batch.cancelled = true;
  batch.abort.abort();
  return true;
}

/** The caller's own batch, or a refusal that says nothing of anyone else's. */
function ownBatch(core: CoreServices, batchId: string): SigningBatch | null {
  const batch = batchesOf(core).get(batchId);
  return batch && batch.owner === core.actor ? batch : null;
}

/** signing.requests: what the caller's PC is to sign for their batch, and whether it still runs. */
export function clientRequestsOf(core: CoreServices, batchId: string): { running: boolean; requests: { requestId: string; datas: Uint8Array<ArrayBuffer>[] }[] } {
  const batch = ownBatch(core, batchId);
  if (!batch) return { running: false, requests: [] };
  return { running: true, requests: [...batch.clientRequests].map(([requestId, { datas }]) => ({ requestId, datas: datas.map((data) => new Uint8Array(data)) })) };
}

/** signing.respond: the signatures for one request, checked against the certificate by the key. */
export function answerClientRequest(core: CoreServices, batchId: string, requestId: string, signatures: Uint8Array[]): boolean {
  const request = ownBatch(core, batchId)?.clientRequests.get(requestId);
  if (!request) return false;
  request.resolve(signatures);
  return true;
}
