// A signing batch as the UI follows it: the documents, how many are done (from the host's
// signing.progress events), a cancel that takes effect between documents, and a result for each.
// It lives above the document pane so that moving through the list does not lose a running batch.
import { useCallback, useRef, useState } from 'react';
import type { SignatureAppearance, SigningResult, TokenCertificateInfo, TokenInfo } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { useApiEvent } from '../api/useApiEvent.js';

/** A document to sign, with what the results call it. */
export interface SigningTarget {
  id: number;
  label: string;
}

export interface SigningRequest {
  targets: readonly SigningTarget[];
  token: TokenInfo;
  certificate: TokenCertificateInfo;
  appearance: SignatureAppearance;
}

export type SigningState =
  | { phase: 'idle' }
  | { phase: 'running'; batchId: string; total: number; done: number; cancelling: boolean }
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
function newBatchId(): string {
  // getRandomValues, unlike randomUUID, needs no secure context.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function useSigning(): Signing {
  const [state, setState] = useState<SigningState>({ phase: 'idle' });
  const running = useRef<string | null>(null);

  useApiEvent('signing.progress', (progress) => {
    if (progress.batchId !== running.current) return;
    setState((current) => (current.phase === 'running' && current.batchId === progress.batchId ? { ...current, done: progress.done } : current));
  });

  const sign = useCallback(async (request: SigningRequest, pin?: string) => {
    if (running.current) return;
    const batchId = newBatchId();
    running.current = batchId;
    setState({ phase: 'running', batchId, total: request.targets.length, done: 0, cancelling: false });
    try {
      const { results } = await call('documents.sign', {
        ids: request.targets.map((target) => target.id),
        label: request.token.label,
        serial: request.token.serial,
        certificateId: request.certificate.id,
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
