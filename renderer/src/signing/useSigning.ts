// A signing batch as the UI follows it: the documents, how many are done (from the host's
// signing.progress events), a cancel that takes effect between documents, and a result for each.
// It lives above the document pane so that moving through the list does not lose a running batch.
// With a remote signer, the batch first waits for the signer's phone (signing.waiting).
import { useCallback, useRef, useState } from 'react';
import type { EventPayload, SignatureAppearance, SignerChoice, SignerEntry, SigningResult, TokenCertificateInfo, TokenInfo } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { useApiEvent } from '../api/useApiEvent.js';

/** A document to sign, with what the results call it. */
export interface SigningTarget {
  id: number;
  label: string;
}

/** Who signs: a certificate on a token here (PIN), or an identity a remote service holds (phone). */
export type SigningKey = { kind: 'token'; token: TokenInfo; certificate: TokenCertificateInfo } | { kind: 'remote'; entry: SignerEntry };

export interface SigningRequest {
  targets: readonly SigningTarget[];
  key: SigningKey;
  appearance: SignatureAppearance;
}

/** What the signer's phone shows and until when, while it has not confirmed. */
export type PhoneWaiting = Omit<EventPayload<'signing.waiting'>, 'batchId'>;

export type SigningState =
  | { phase: 'idle' }
  | { phase: 'running'; batchId: string; total: number; done: number; cancelling: boolean; waiting: PhoneWaiting | null }
  | { phase: 'finished'; request: SigningRequest; results: SigningResult[] }
  | { phase: 'failed'; request: SigningRequest; error: unknown };

export interface Signing {
  state: SigningState;
  /** Signs; `pin` only for a key that wants it at every signature. Resolves when the batch ends. */
  sign(request: SigningRequest, pin?: string): Promise<void>;
  cancel(): void;
  dismiss(): void;
}

/** Chosen here, not by the host, so that a cancel can name the batch before its answer arrives. */
export function newBatchId(): string {
  // getRandomValues, unlike randomUUID, needs no secure context.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function useSigning(): Signing {
  const [state, setState] = useState<SigningState>({ phase: 'idle' });
  const running = useRef<string | null>(null);

  useApiEvent('signing.progress', (progress) => {
    if (progress.batchId !== running.current) return;
    // A document done: the phone has answered, so the wait is over.
    setState((current) => (current.phase === 'running' && current.batchId === progress.batchId ? { ...current, done: progress.done, waiting: null } : current));
  });

  useApiEvent('signing.waiting', ({ batchId, ...waiting }) => {
    if (batchId !== running.current) return;
    setState((current) => (current.phase === 'running' && current.batchId === batchId ? { ...current, waiting } : current));
  });

  const sign = useCallback(async (request: SigningRequest, pin?: string) => {
    if (running.current) return;
    const batchId = newBatchId();
    running.current = batchId;
    setState({ phase: 'running', batchId, total: request.targets.length, done: 0, cancelling: false, waiting: null });
    try {
      const { results } = await call('documents.sign', {
        ids: request.targets.map((target) => target.id),
        signer: signerChoice(request.key),
        appearance: request.appearance,
        batchId,
        ...(pin === undefined ? {} : { pin }),
      });
      setState({ phase: 'finished', request, results });
    } catch (error) {
      setState({ phase: 'failed', request, error });
    } finally {
      running.current = null;
    }
  }, []);

  const cancel = useCallback(() => {
    const batchId = running.current;
    if (!batchId) return;
    setState((current) => (current.phase === 'running' ? { ...current, cancelling: true } : current));
    call('signing.cancel', { batchId }).catch(() => undefined);
  }, []);

  const dismiss = useCallback(() => {
    if (!running.current) setState({ phase: 'idle' });
  }, []);

  return { state, sign, cancel, dismiss };
}

/** The API's name for the key. */
export function signerChoice(key: SigningKey): SignerChoice {
  return key.kind === 'token' ? { kind: 'token', label: key.token.label, serial: key.token.serial, certificateId: key.certificate.id } : key.entry.choice;
}
