// Nhập tệp: a PDF becomes a document in a register, whole or not at all. The file is checked
// first, then stored through the file journal (fileJournal.ts): the one transaction that records
// it also inserts the document, its search entry and its audit entry. An incoming document's
// record is read off everything the file carries (recordFacts.ts, captureRecord), each field with
// where it came from, for the clerk to confirm at tiếp nhận.
import type { Database } from '../storage/database.js';
import { BlobStore, sha256Hex } from '../storage/blobStore.js';
import { AppError } from '../../common/errors.js';
import { toVnIso, vnYear } from '../../common/dates.js';
import { inspectPdf, readRecordFacts, type PdfFacts } from '../pdf/inspect.js';
import { captureRecord, guessMetadata, type CapturedRecord } from '../pdf/guessMetadata.js';
import { missingRegisterFields, numberOfNotation, type Capture, type RegisterField, type RegisterValues } from '../../common/capture.js';
import type { RegisterFieldsInput } from '../../common/contract.js';
import { findDocumentByFile, insertDocument } from './documents.js';
import { storeFileThenCommit } from './fileJournal.js';
import { recordArrival, type ReceivedVia } from './incomingRecord.js';
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

export interface ImportOptions {
  /** How an incoming document came: a file received outside the axis (the default), or a paper document's scan. */
  receivedVia?: Exclude<ReceivedVia, 'axis'>;
  /** What the clerk gave for the register, over what was read off the file. */
  given?: RegisterFieldsInput;
  /** Registering at once: refused with INCOMING_INCOMPLETE, before anything is stored, while the register would lack a field. */
  complete?: boolean;
  /**
   * Runs inside the transaction that inserts the document, with its id and time: taking an
   * incoming paper document into the register (../incoming/register.ts) commits with the import.
   */
  within?: (id: number, stamp: string) => void;
}

/**
 * The record with what the clerk gave in place of what was read: a value the clerk changed, or one
 * the file did not say, is the clerk's; a guess given back as it was keeps where it came from.
 */
export function withGivenFields(record: CapturedRecord, given: RegisterFieldsInput = {}): CapturedRecord {
  const out: CapturedRecord = { ...record, capture: { ...record.capture, sources: { ...record.capture.sources } } };
  for (const [field, value] of Object.entries(given) as [keyof RegisterFieldsInput, string | undefined][]) {
    if (value === undefined) continue;
    const source = out.capture.sources[field];
    if (value !== record[field] || source === null || source === 'file-name') out.capture.sources[field] = 'clerk';
    (out as unknown as Record<string, unknown>)[field] = value;
  }
  if (given.notation !== undefined) out.number = numberOfNotation(given.notation);
  return out;
}

/**
 * Refuses a số đến while the register lacks something, naming what: `missing` lists the fields
 * (comma-separated, as REGISTER_FIELDS names them) for the UI's form and the CLI's options.
 */
export function throwIfIncomplete(record: RegisterValues & { capture: Capture | null }, context: { fileName?: string; id?: number }): void {
  const missing: RegisterField[] = missingRegisterFields(record, record.capture);
  if (missing.length === 0) return;
  const what = context.id !== undefined ? `Document ${context.id}` : (context.fileName ?? 'The document');
  throw new AppError('INCOMING_INCOMPLETE', `${what} cannot take a số đến yet: the register needs its ${missing.map((f) => FIELD_NAMES[f]).join(', ')}. Give them (eoffice in accept/register: ${missing.map((f) => `--${FIELD_OPTIONS[f]}`).join(' ')}).`, {
    ...context,
    missing: missing.join(','),
  });
}

const FIELD_NAMES: Record<RegisterField, string> = { notation: 'number and notation', documentDate: 'date', authorAgency: 'issuing agency', typeCode: 'type', subject: 'subject (trích yếu)' };
/** The CLI's options for each field (main/cli/exchangeCommands.ts). */
const FIELD_OPTIONS: Record<RegisterField, string> = { notation: 'notation', documentDate: 'date', authorAgency: 'agency', typeCode: 'type', subject: 'subject' };

function throwIfTooLarge(bytes: Uint8Array, fileName: string, maxBytes: number): void {
  if (bytes.length > maxBytes) {
    throw new AppError('FILE_TOO_LARGE', `${fileName} is larger than the ${Math.round(maxBytes / 1048576)} MB limit.`, {
      fileName,
      limitMb: Math.round(maxBytes / 1048576),
      sizeMb: Math.round((bytes.length / 1048576) * 10) / 10,
    });
  }
}

/** The record of an incoming file from its text and, when they could be read, its form fields and signers. */
async function recordOf(facts: PdfFacts, bytes: Uint8Array, fileName: string): Promise<CapturedRecord> {
  const more = await readRecordFacts(bytes, fileName);
  return captureRecord({ ...facts, fileName, header: more?.header ?? null, signers: more?.signers ?? [] });
}

/** What an incoming file says about its record, read and nothing stored: the clerk's form before a scan is registered. */
export async function readIncomingRecord(maxBytes: number, request: { fileName: string; bytes: Uint8Array }): Promise<CapturedRecord> {
  const fileName = cleanFileName(request.fileName);
  throwIfTooLarge(request.bytes, fileName, maxBytes);
  return recordOf(await inspectPdf(request.bytes, fileName), request.bytes, fileName);
}

export async function importDocument(ctx: ImportContext, request: ImportRequest, options: ImportOptions = {}): Promise<number> {
  const fileName = cleanFileName(request.fileName);
  const { bytes } = request;
  throwIfTooLarge(bytes, fileName, ctx.maxBytes);
  const incoming = request.direction === 'in';
  const facts = await inspectPdf(bytes, fileName);
  const sha256 = sha256Hex(bytes);
  throwIfDuplicate(ctx.db, sha256, fileName);

  // An incoming one keeps the sender's number, notation and date, as read off what it carries.
  const record = incoming ? withGivenFields(await recordOf(facts, bytes, fileName), options.given) : null;
  if (record && options.complete) throwIfIncomplete(record, { fileName });
  // An outgoing PDF enters as a draft: its number comes only after the competent person signs.
  const guess = record ? null : guessMetadata(facts.text);
  return storeFileThenCommit(ctx, { parts: [bytes], sha256, mediaType: 'application/pdf' }, (storedAt) => {
    throwIfDuplicate(ctx.db, sha256, fileName);
    const at = ctx.now?.();
    const now = at ? toVnIso(at) : storedAt;
    const id = insertDocument(
      ctx.db,
      {
        direction: request.direction,
        year: vnYear(at),
        typeCode: record?.typeCode ?? guess?.typeCode ?? 'CV',
        subject: record?.subject ?? guess?.subject ?? facts.title ?? fileName.replace(/\.pdf$/i, ''),
        state: incoming ? 'received' : 'draft',
        number: record?.number ?? null,
        notation: record?.notation ?? null,
        documentDate: record?.documentDate ?? null,
        authorAgency: record?.authorAgency ?? '',
        signerName: record?.signerName ?? '',
        fileSha256: sha256,
        fileName,
        pageCount: facts.pageCount,
        bodyText: facts.text,
        registeredAt: now,
      },
      ctx.actor,
    );
    if (record) recordArrival(ctx.db, id, { receivedVia: options.receivedVia ?? 'electronic', capture: record.capture });
    options.within?.(id, now);
    return id;
  });
}

function throwIfDuplicate(db: Database, sha256: string, fileName: string): void {
  const existing = findDocumentByFile(db, sha256);
  if (existing) {
    // Named as a clerk knows it, by its notation and trích yếu: the row id reads like a document number.
    const existingDocument = [existing.notation, existing.subject].filter(Boolean).join(' — ');
    throw new AppError('DUPLICATE_FILE', `${fileName} is already in the registry: ${existingDocument}.`, {
      fileName,
      existingId: existing.id,
      existingDirection: existing.direction,
      existingNotation: existing.notation,
      existingDocument,
    });
  }
}
