// eoffice sign on loose PDFs, outside the registry, with any signer. A token's key signs them one
// after another on one login (pades/batch.ts); a signer that confirms on the phone signs each
// group of files, up to what one confirmation covers, under one confirmation. A refused, expired
// or unreachable confirmation leaves no output for its files and skips the groups after it.
import path from 'node:path';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import { signBatch, type BatchItem, type BatchOptions, type BatchResult } from '../pades/batch.js';
import { approvedElsewhere, type ApprovalRequest, type SignerKey } from './signerKey.js';
import { underOneApproval } from './oneApproval.js';

export interface FileSigningOptions extends BatchOptions {
  key: SignerKey;
  /** Stops a wait for the phone's confirmation. */
  signal?: AbortSignal;
  onWaiting?: ApprovalRequest['onWaiting'];
}

function shape(error: unknown): ApiErrorShape {
  return error instanceof AppError ? error.toShape() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export async function signFiles(items: BatchItem[], options: FileSigningOptions): Promise<BatchResult[]> {
  if (!approvedElsewhere(options.key)) return signBatch(items, options);
  const size = options.key.signaturesPerApproval;
  const results: BatchResult[] = [];
  const report = (result: BatchResult) => {
    results.push(result);
    options.onProgress?.(results.length, items.length, result);
  };
  let stop: ApiErrorShape | null = null;
  for (let start = 0; start < items.length; start += size) {
    const group = items.slice(start, start + size);
    if (!stop && options.cancelled?.()) stop = { code: 'CANCELLED', message: 'Signing was cancelled before this document.' };
    if (stop) {
      for (const item of group) report({ input: item.input, status: 'skipped', error: stop });
      continue;
    }
    const { outcomes, approvalError } = await underOneApproval(
      options.key,
      group.length,
      // signBatch of one file reports its failure as a result: the file's own, never the group's.
      async (key, index) => (await signBatch([group[index]!], { ...options, key, onProgress: undefined }))[0]!,
      (indexes) => {
        // The names follow the signatures; the phone's text names the first file as given.
        const names = indexes.map((index) => path.basename(group[index]!.input));
        const first = path.basename(group[Math.min(...indexes)]!.input);
        return { display: names.length === 1 ? `Ký tệp: ${first}` : `Ký ${names.length} tệp: ${first}…`, names, signal: options.signal, onWaiting: options.onWaiting };
      },
    );
    outcomes.forEach((outcome, index) => report(outcome.ok ? outcome.value : { input: group[index]!.input, status: 'failed', error: shape(outcome.error) }));
    if (approvalError) stop = { code: shape(approvalError).code, message: `Not signed: ${shape(approvalError).message}` };
  }
  return results;
}
