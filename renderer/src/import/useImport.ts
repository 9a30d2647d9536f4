// Nhập văn bản: files go to the registry one at a time, so a 200-file drop neither holds 200
// files' bytes in memory at once nor starves the list's own requests.
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { DocumentSummary, DuplicateCandidate } from '../../../main/common/contract.js';
import { ApiError, call } from '../api/client.js';
import type { Direction } from '../documents/filters.js';

export type ImportOutcome =
  /** `duplicates`: documents already in the register this one may duplicate (imported all the same: the clerk decides). */
  | { fileName: string; status: 'imported'; document: DocumentSummary; duplicates: DuplicateCandidate[] }
  | { fileName: string; status: 'failed'; error: unknown };

export interface ImportState {
  running: boolean;
  total: number;
  done: number;
  current: string | null;
  outcomes: ImportOutcome[];
}

const IDLE: ImportState = { running: false, total: 0, done: 0, current: null, outcomes: [] };
const MEGABYTE = 1024 * 1024;

async function importOne(file: File, direction: Direction, maxBytes: number): Promise<ImportOutcome> {
  const fileName = file.name;
  // The host refuses these too, but only after the whole file has crossed the wire.
  if (file.size > maxBytes) {
    const error = new ApiError('FILE_TOO_LARGE', `${fileName} exceeds the import limit.`, { fileName, limitMb: Math.round(maxBytes / MEGABYTE) });
    return { fileName, status: 'failed', error };
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (cause) {
    return { fileName, status: 'failed', error: new ApiError('FILE_UNREADABLE', `${fileName}: ${(cause as Error).message}`, { fileName }) };
  }
  try {
    const { document, duplicates } = await call('documents.import', { direction, fileName, bytes });
    return { fileName, status: 'imported', document, duplicates };
  } catch (error) {
    return { fileName, status: 'failed', error };
  }
}

/**
 * Files dropped while a batch is running join that batch. `onBatchDone` gets the last document
 * imported, if any, once the queue is empty.
 */
export function useImport(maxImportBytes: number, onBatchDone: (lastImported: DocumentSummary | null) => void) {
  const [state, setState] = useState<ImportState>(IDLE);
  const queue = useRef<Array<{ file: File; direction: Direction }>>([]);
  const running = useRef(false);
  const latestOnBatchDone = useRef(onBatchDone);
  useLayoutEffect(() => {
    latestOnBatchDone.current = onBatchDone;
  });

  const drain = useCallback(async () => {
    let lastImported: DocumentSummary | null = null;
    for (let next = queue.current.shift(); next; next = queue.current.shift()) {
      const { file, direction } = next;
      setState((s) => ({ ...s, current: file.name }));
      const outcome = await importOne(file, direction, maxImportBytes);
      if (outcome.status === 'imported') lastImported = outcome.document;
      setState((s) => ({ ...s, done: s.done + 1, outcomes: [...s.outcomes, outcome] }));
    }
    running.current = false;
    setState((s) => ({ ...s, running: false, current: null }));
    latestOnBatchDone.current(lastImported);
  }, [maxImportBytes]);

  const importFiles = useCallback(
    (files: readonly File[], direction: Direction) => {
      if (files.length === 0) return;
      queue.current.push(...files.map((file) => ({ file, direction })));
      if (running.current) {
        setState((s) => ({ ...s, total: s.total + files.length }));
        return;
      }
      running.current = true;
      setState({ running: true, total: files.length, done: 0, current: files[0]?.name ?? null, outcomes: [] });
      void drain();
    },
    [drain],
  );

  const dismiss = useCallback(() => setState((s) => (s.running ? s : IDLE)), []);

  return { state, importFiles, dismiss };
}
