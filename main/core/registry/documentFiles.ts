// What comes out of a document: every version of its file (the draft, each signature, the
// numbered and the issued PDF, or the file as received) and its attachments (phụ lục, văn bản kèm
// theo), listed, read, copied out whole, and shown in the OS's file manager. Each version is a
// file of the content-addressed store that some step of the audit trail recorded; nothing here
// writes to the registry. A file is reached through its document only: a hash that is not one of
// the document's files is NOT_FOUND, so no caller can read the store by guessing hashes.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { BlobStore } from '../storage/blobStore.js';
import { fsyncDirectory } from '../storage/blobStore.js';
import type { DocumentFile, DocumentFiles } from '../../common/contract.js';
import { AppError } from '../../common/errors.js';
import { commonName } from '../../common/distinguishedName.js';
import { documentEvents } from './audit.js';
import { getDocumentRow } from './documents.js';
import { FILE_STEP_VI } from '../../common/fileSteps.js';

type VersionStep = Exclude<DocumentFile['step'], 'attachment'>;


interface FileFacts {
  size: number;
  media_type: string;
}

function fileFacts(db: Database, sha256: string): FileFacts {
  return (prepared(db, 'SELECT size, media_type FROM files WHERE sha256 = ?').get(sha256) as FileFacts | undefined) ?? { size: 0, media_type: 'application/octet-stream' };
}

function withSuffix(fileName: string, suffix: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? `${fileName.slice(0, dot)} (${suffix})${fileName.slice(dot)}` : `${fileName} (${suffix})`;
}

/**
 * The versions of a document's file, oldest first, from the steps of its audit trail that stored
 * a file: created, places marked (still the draft), each signature, numbering, the agency's
 * signature. A draft whose places were marked again shows its last draft only.
 */
function versions(db: Database, id: number): DocumentFile[] {
  const row = getDocumentRow(db, id) as ReturnType<typeof getDocumentRow> & { draft_sha256?: string | null; sender_code?: string | null };
  const firstStep: VersionStep = row.direction === 'out' ? (row.draft_sha256 ? 'draft' : 'imported') : row.sender_code ? 'received' : 'imported';
  const found: { sha256: string; step: VersionStep; at: string; signer: string | null }[] = [];
  const add = (sha256: unknown, step: VersionStep, at: string, signer: string | null = null) => {
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return;
    const same = found.findIndex((v) => v.sha256 === sha256);
    if (same >= 0) found.splice(same, 1);
    // Places marked again make a new draft: the one before it was never signed, and goes.
    if (step === 'draft' && found.at(-1)?.step === 'draft') found.pop();
    found.push({ sha256, step, at, signer });
  };
  for (const event of documentEvents(db, id)) {
    const d = event.details;
    if (event.kind === 'created') add(d.fileSha256, firstStep, event.at);
    else if (event.kind === 'places-marked') add(d.sha256, 'draft', event.at);
    else if (event.kind === 'signed') add(d.sha256, 'signed', event.at, typeof d.certificateSubject === 'string' ? commonName(d.certificateSubject) : null);
    else if (event.kind === 'numbered') add(d.sha256, 'numbered', event.at);
    else if (event.kind === 'agency-signed') add(d.sha256, 'issued', event.at, typeof d.certificateSubject === 'string' ? commonName(d.certificateSubject) : null);
  }
  // A file the trail does not name (a document from before these steps were recorded) is still its current file.
  if (row.file_sha256 && !found.some((v) => v.sha256 === row.file_sha256)) found.push({ sha256: row.file_sha256, step: firstStep, at: row.updated_at, signer: null });
  const baseName = row.file_name ?? `${id}.pdf`;
  return found.map((v) => {
    const current = v.sha256 === row.file_sha256;
    const facts = fileFacts(db, v.sha256);
    return {
      sha256: v.sha256,
      kind: 'version',
      step: v.step,
      index: null,
      fileName: current ? baseName : withSuffix(baseName, FILE_STEP_VI[v.step]),
      description: '',
      size: facts.size,
      mediaType: facts.media_type,
      at: v.at,
      signer: v.signer,
      signed: v.step === 'signed' || v.step === 'issued',
      current,
    };
  });
}

/** The attachments with the names and descriptions they were sent or drafted with; an issued one as signed. */
function attachments(db: Database, id: number): DocumentFile[] {
  const rows = prepared(db, 'SELECT id, file_sha256, signed_sha256, file_name, description FROM attachments WHERE document_id = ? ORDER BY id').all(id) as {
    id: number;
    file_sha256: string;
    signed_sha256: string | null;
    file_name: string;
    description: string;
  }[];
  return rows.map((a, i) => {
    const sha256 = a.signed_sha256 ?? a.file_sha256;
    const facts = fileFacts(db, sha256);
    return {
      sha256,
      kind: 'attachment',
      step: 'attachment',
      index: i + 1,
      fileName: a.file_name,
      description: a.description,
      size: facts.size,
      mediaType: facts.media_type,
      at: null,
      signer: null,
      signed: a.signed_sha256 !== null,
      current: false,
    };
  });
}

export function listDocumentFiles(db: Database, id: number): DocumentFiles {
  return { versions: versions(db, id), attachments: attachments(db, id) };
}

/**
 * One file of the document: the current version when `sha256` is not given, else the version or
 * attachment with that hash. NOT_FOUND when the document has no such file.
 */
export function documentFile(db: Database, id: number, sha256?: string): DocumentFile {
  const files = listDocumentFiles(db, id);
  const found = sha256 === undefined ? files.versions.find((v) => v.current) : [...files.versions, ...files.attachments].find((f) => f.sha256 === sha256);
  if (!found) {
    if (sha256 === undefined) throw new AppError('NO_FILE', `Document ${id} has no file.`, { id });
    throw new AppError('NOT_FOUND', `Document ${id} has no file ${sha256}.`, { id });
  }
  return found;
}

/** The file's bytes; a file the store lost is STORAGE_CORRUPT, said as such. */
export function readDocumentFile(db: Database, blobs: BlobStore, id: number, sha256?: string): { file: DocumentFile; bytes: Uint8Array<ArrayBuffer> } {
  const file = documentFile(db, id, sha256);
  try {
    return { file, bytes: new Uint8Array(blobs.read(file.sha256)) };
  } catch {
    throw new AppError('STORAGE_CORRUPT', `The file ${file.fileName} of document ${id} is missing from the data folder.`, { id, fileName: file.fileName });
  }
}

/**
 * Copies a stored file out whole: a temporary file beside the target, then a rename, so that a
 * failure (a full disk, a folder that went away) leaves neither a half file nor a stray part.
 */
export function copyStoredFile(blobs: BlobStore, sha256: string, outputPath: string): void {
  const tmp = `${outputPath}.${process.pid}.part`;
  try {
    fs.copyFileSync(blobs.pathFor(sha256), tmp);
    fs.renameSync(tmp, outputPath);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/** Shows a file in the OS's file manager: the desktop shell's, absent elsewhere. */
export interface FileReveal {
  /** Where copies for the file manager go (the desktop app: Downloads/eOffice). */
  folder(): string;
  reveal(filePath: string): void;
}

/** `name (2).pdf`, `name (3).pdf`… beside a name already taken: a copy never overwrites another. */
function freePath(folder: string, fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
  let candidate = path.join(folder, fileName);
  for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(folder, `${stem} (${n})${extension}`);
  return candidate;
}

/**
 * "Mở thư mục": a copy of the file in the shell's folder, shown in the file manager. The store
 * itself is never shown: its files are named by hash, and a clerk who edited one there would
 * change a signed record under the registry's feet.
 */
export function revealDocumentFile(db: Database, blobs: BlobStore, reveal: FileReveal | undefined, id: number, sha256?: string): { path: string } {
  if (!reveal) throw new AppError('SHELL_UNAVAILABLE', 'Showing a file in its folder needs the desktop app: download it instead.');
  const file = documentFile(db, id, sha256);
  const folder = reveal.folder();
  let target: string;
  try {
    fs.mkdirSync(folder, { recursive: true });
    target = freePath(folder, path.basename(file.fileName));
    copyStoredFile(blobs, file.sha256, target);
    fsyncDirectory(folder);
  } catch (error) {
    throw new AppError('EXPORT_FAILED', `Cannot copy ${file.fileName} to ${folder} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, { fileName: file.fileName, folder });
  }
  reveal.reveal(target);
  return { path: target };
}
