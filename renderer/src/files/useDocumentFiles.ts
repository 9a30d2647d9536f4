// The files of the document shown: its versions and attachments (documents.files), fetched again
// when its current file changes (signed, numbered, issued) or the registry says it changed.
import { useEffect, useState } from 'react';
import type { DocumentFile, DocumentFiles } from '../../../main/common/contract.js';
import { call } from '../api/client.js';

export interface LoadedFiles {
  files: DocumentFiles | null;
  error: unknown;
  /** A file of the list by its hash; null for none (or one not in the list). */
  find(sha256: string | null): DocumentFile | null;
}

export function useDocumentFiles(documentId: number, fileKey: string | null, refreshToken = 0): LoadedFiles {
  const [state, setState] = useState<{ id: number; files: DocumentFiles | null; error: unknown }>({ id: documentId, files: null, error: null });
  useEffect(() => {
    let cancelled = false;
    call('documents.files', { id: documentId }).then(
      (files) => !cancelled && setState({ id: documentId, files, error: null }),
      (error: unknown) => !cancelled && setState({ id: documentId, files: null, error }),
    );
    return () => {
      cancelled = true;
    };
  }, [documentId, fileKey, refreshToken]);
  const files = state.id === documentId ? state.files : null;
  return {
    files,
    error: state.id === documentId ? state.error : null,
    find: (sha256) => (sha256 && files ? ([...files.versions, ...files.attachments].find((f) => f.sha256 === sha256) ?? null) : null),
  };
}
