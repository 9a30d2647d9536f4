// The text of a document's PDFs beyond its own imported file, for search (Decree 30, Appendix VI
// 6d: "the documents' content"): the attachments of a draft or of a received package, and the
// file a package brought. Read by the PDF worker as an imported file's text is (pdf/inspect.ts),
// so a hostile annex costs its text, never the app; kept once per file hash, bounded in length.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { BlobStore } from '../storage/blobStore.js';
import { AppError } from '../../common/errors.js';
import { inspectPdf } from '../pdf/inspect.js';
import { indexDocument } from './documents.js';

/**
 * The most characters kept of one file's text. A 300-page annex reads to about a million
 * characters; past this the index grows and tells little more (the first pages carry the terms).
 */
export const MAX_FILE_TEXT = 200_000;

/** Records the text of a stored file (an attachment). Call inside the transaction that attaches it, then index the document. */
export function storeFileText(db: Database, sha256: string, text: string): void {
  prepared(db, 'INSERT OR IGNORE INTO file_texts (sha256, text) VALUES (?, ?)').run(sha256, text.slice(0, MAX_FILE_TEXT));
}

/** The text pdf.js reads off the file, or '' when it has none or cannot be read within the worker's budget. */
async function readText(blobs: BlobStore, sha256: string, name: string): Promise<string> {
  try {
    return (await inspectPdf(new Uint8Array(blobs.read(sha256)), name)).text.slice(0, MAX_FILE_TEXT);
  } catch (error) {
    // A file that is not a readable PDF, or one the store lost, has no text to search: the
    // document stays searchable by everything else.
    if (error instanceof AppError || (error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/**
 * Reads the text of the document's PDFs that have none yet — its attachments, and the file of a
 * document that came in a package (an imported one had its text read on import) — and indexes the
 * document again. After the commit that stored them: reading takes time and must hold no transaction.
 */
export async function readMissingTexts(ctx: { db: Database; blobs: BlobStore }, documentId: number): Promise<void> {
  const attachments = prepared(
    ctx.db,
    `SELECT DISTINCT a.file_sha256 AS sha256, a.file_name AS name FROM attachments a JOIN files f ON f.sha256 = a.file_sha256
      WHERE a.document_id = ? AND f.media_type = 'application/pdf' AND NOT EXISTS (SELECT 1 FROM file_texts t WHERE t.sha256 = a.file_sha256)`,
  ).all(documentId) as { sha256: string; name: string }[];
  const own = prepared(
    ctx.db,
    `SELECT d.file_sha256 AS sha256, d.file_name AS name FROM documents d JOIN files f ON f.sha256 = d.file_sha256
      WHERE d.id = ? AND f.media_type = 'application/pdf' AND NOT EXISTS (SELECT 1 FROM document_texts t WHERE t.document_id = d.id)`,
  ).get(documentId) as { sha256: string; name: string | null } | undefined;
  if (attachments.length === 0 && !own) return;
  const texts: { sha256: string; text: string }[] = [];
  for (const a of attachments) texts.push({ sha256: a.sha256, text: await readText(ctx.blobs, a.sha256, a.name) });
  const ownText = own ? await readText(ctx.blobs, own.sha256, own.name ?? own.sha256) : null;
  ctx.db
    .transaction(() => {
      for (const t of texts) storeFileText(ctx.db, t.sha256, t.text);
      if (ownText) prepared(ctx.db, 'INSERT OR IGNORE INTO document_texts (document_id, text) VALUES (?, ?)').run(documentId, ownText);
      indexDocument(ctx.db, documentId);
    })
    .immediate();
}
