// Nhập văn bản: a PDF becomes a document in a register, whole or not at all. The file is checked
// first, then stored through the file journal (fileJournal.ts): the one transaction that records
// it also inserts the document, its search entry and its audit entry.
import type { Database } from '../storage/database.js';
import { BlobStore, sha256Hex } from '../storage/blobStore.js';
import { AppError } from '../../common/errors.js';
import { toVnIso, vnYear } from '../../common/dates.js';
import { inspectPdf } from '../pdf/inspect.js';
import { guessMetadata } from '../pdf/guessMetadata.js';
import { findDocumentByFile, insertDocument } from './documents.js';
import { storeFileThenCommit } from './fileJournal.js';
import type { Direction } from './registers.js';

export interface ImportRequest {
  direction: Direction;
  fileName: string;
  bytes: Uint8Array;
}

export interface ImportContext {
  db: Database;
  blobs: BlobStore;
  maxBytes: number;
  actor: string;
  /** Test hook for crash tests: called between the durable blob write and the commit. */
  beforeCommit?: () => void;
  /** The clock (tests set it); real time otherwise. */
  now?: () => Date;
}

/** Strips any folder part and control characters: the name is shown, never used as a path. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').normalize('NFC').trim();
  return cleaned.slice(0, 255) || 'tai-lieu.pdf';
}

/**
 * `within` runs inside the transaction that inserts the document, with its id and time: taking an
 * incoming paper document into the register (../incoming/register.ts) commits with the import.
 */
export async function importDocument(ctx: ImportContext, request: ImportRequest, within?: (id: number, stamp: string) => void): Promise<number> {
  const fileName = cleanFileName(request.fileName);
  const { bytes } = request;
  if (bytes.length > ctx.maxBytes) {
    throw new AppError('FILE_TOO_LARGE', `${fileName} is larger than the ${Math.round(ctx.maxBytes / 1048576)} MB limit.`, {
      fileName,
      limitMb: Math.round(ctx.maxBytes / 1048576),
      sizeMb: Math.round((bytes.length / 1048576) * 10) / 10,
    });
  }
  const facts = await inspectPdf(bytes, fileName);
  const sha256 = sha256Hex(bytes);
  throwIfDuplicate(ctx.db, sha256, fileName);

  const guess = guessMetadata(facts.text);
  return storeFileThenCommit(ctx, { parts: [bytes], sha256, mediaType: 'application/pdf' }, (storedAt) => {
    throwIfDuplicate(ctx.db, sha256, fileName);
    const at = ctx.now?.();
    const now = at ? toVnIso(at) : storedAt;
    const id = insertDocument(
      ctx.db,
      {
        direction: request.direction,
        year: vnYear(at),
        // An outgoing PDF enters as a draft: its number comes only after the competent person signs.
        // An incoming one keeps the sender's number and notation as printed.
        typeCode: guess.typeCode ?? 'CV',
        subject: guess.subject ?? facts.title ?? fileName.replace(/\.pdf$/i, ''),
        state: request.direction === 'in' ? 'received' : 'draft',
        number: request.direction === 'in' ? (guess.number ?? null) : null,
        notation: request.direction === 'in' ? (guess.notation ?? null) : null,
        documentDate: request.direction === 'in' ? (guess.documentDate ?? null) : null,
        authorAgency: request.direction === 'in' ? (guess.authorAgency ?? '') : '',
        fileSha256: sha256,
        fileName,
        pageCount: facts.pageCount,
        bodyText: facts.text,
        registeredAt: now,
      },
      ctx.actor,
    );
    within?.(id, now);
    return id;
  });
}

function throwIfDuplicate(db: Database, sha256: string, fileName: string): void {
  const existing = findDocumentByFile(db, sha256);
  if (existing) {
    throw new AppError('DUPLICATE_FILE', `${fileName} is already in the registry as document ${existing.id}.`, {
      fileName,
      existingId: existing.id,
      existingDirection: existing.direction,
      existingNotation: existing.notation,
    });
  }
}
