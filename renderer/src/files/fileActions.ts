// What a clerk does with a file of a document — a version of it or an attachment: "Tải về" saves
// it, "In" prints it, "Mở thư mục" shows a copy in the file manager. The bytes come through the
// one documents.content call, whichever shell the UI runs in.
import type { DocumentFile } from '../../../main/common/contract.js';
import { call } from '../api/client.js';
import { saveBytes } from '../outgoing/download.js';
import { printPdf } from './printPdf.js';

/** documents.content for a file of the list, or the current file when none is named. */
function content(documentId: number, file: DocumentFile | null) {
  return call('documents.content', file ? { id: documentId, sha256: file.sha256 } : { id: documentId });
}

/** A PDF can be previewed, validated and printed; a received Word or Excel annex only saved. */
export function isPdf(file: Pick<DocumentFile, 'mediaType' | 'fileName'>): boolean {
  return file.mediaType === 'application/pdf' || /\.pdf$/i.test(file.fileName);
}

/**
 * A browser download under the file's own name. In the desktop app the same download opens the
 * OS's "Save as" dialog (Electron's default for a download it is not told where to put).
 */
export async function downloadFile(documentId: number, file: DocumentFile | null): Promise<void> {
  const { bytes, fileName } = await content(documentId, file);
  saveBytes(bytes, fileName);
}

export async function printFile(documentId: number, file: DocumentFile | null): Promise<void> {
  const { bytes } = await content(documentId, file);
  await printPdf(bytes);
}

/**
 * "Mở thư mục" needs a file manager to open, which only the desktop app has: its preload is what
 * puts window.eoffice there. In a browser (the web host) the button is not shown — a page cannot
 * open a folder on the clerk's PC, and "Tải về" does the job there.
 */
export function canShowInFolder(): boolean {
  return typeof window !== 'undefined' && window.eoffice !== undefined;
}

export async function showInFolder(documentId: number, file: DocumentFile | null): Promise<string> {
  const { path } = await call('documents.showInFolder', file ? { id: documentId, sha256: file.sha256 } : { id: documentId });
  return path;
}
