// Ký số văn bản: documents in the registry signed with a token's key, one after another on one
// login. Each document's current file is signed as an incremental update (so the new file begins
// with the old one byte for byte), stored as a new file through the file journal, and in one
// transaction the document points to it and the audit trail records who signed, as what, with
// which certificate. The previous file stays in the store.
//
// Each document succeeds or fails on its own. After a failure that no further signature can get
// past (the token pulled out, the PIN locked…) the rest are reported as skipped instead of each
// failing in turn; a cancel takes effect between two documents.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import fs from 'node:fs';
import type { BlobStore } from '../storage/blobStore.js';
import type { SignatureAppearance, SigningResult } from '../../common/contract.js';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import type { SigningOutcome } from '../pades/signPdf.js';
import { signStoredFile, type SignaturePlacement } from './signStoredFile.js';
import { fileSource } from '../pdf/source.js';
import type { TimestampOptions } from '../pades/timestamp.js';
import type { AppearanceSpec } from '../pades/appearance.js';
import { approvedElsewhere, type ApprovalRequest, type SignerKey } from './signerKey.js';
import { underOneApproval } from './oneApproval.js';
import { appendAudit } from '../registry/audit.js';
import { getDocumentRow, type DocumentRow } from '../registry/documents.js';
import { assertRecordOpen, auditRefusals } from '../registry/recordLock.js';
import { storeFilesThenCommitWith } from '../registry/fileJournal.js';

export interface SigningContext {
  db: Database;
  blobs: BlobStore;
  actor: string;
  key: SignerKey;
  /** The role signed as, for the audit trail. */
  role: SignatureAppearance['kind'];
  appearance: AppearanceSpec;
  /** A timestamp authority to ask, for PAdES B-T. */
  timestamp?: TimestampOptions;
  /** Asked before each document; true stops the batch there. */
  cancelled(): boolean;
  /** After each document, in order. */
  onResult?(result: SigningResult, done: number, total: number): void;
  /**
   * Where each document's signature goes and what it permits after it. Issuing's rule
   * (issuing/outgoing.ts, signaturePlacement): an outgoing draft is certified by the competent
   * person with the seal's field prepared; other documents are signed as they are.
   */
  placement(ctx: { db: Database; blobs: BlobStore }, row: DocumentRow, appearance: AppearanceSpec): SignaturePlacement;
  /** Test hook for crash tests: called between the durable write of a signed file and its commit. */
  beforeCommit?: () => void;
  /** Stops a wait for the phone's confirmation (the cancel button). */
  signal?: AbortSignal;
  /** A confirmation is awaited on the signer's phone: what it shows and until when. */
  onWaiting?: ApprovalRequest['onWaiting'];
}

/**
 * Errors after which no further document can be signed with this key in this batch. A wrong PIN
 * for a key that asks at every signature is among them: trying it on each document in turn
 * would lock the token.
 */
const FATAL_FOR_BATCH = new Set<string>([
  'TOKEN_REMOVED',
  'SESSION_CLOSED',
  'NOT_LOGGED_IN',
  'PIN_REQUIRED',
  'PIN_INCORRECT',
  'PIN_LOCKED',
  'PIN_EXPIRED',
  'KEY_CERT_MISMATCH',
  'KEY_REFUSED',
  // The phone said no, or could not be asked: the next approval would end the same way.
  'REMOTE_REFUSED',
  'REMOTE_EXPIRED',
  'REMOTE_CANCELLED',
  'REMOTE_UNREACHABLE',
  'REMOTE_AUTH_FAILED',
  'REMOTE_PIN_BLOCKED',
  'REMOTE_UNKNOWN_IDENTITY',
]);

function shape(error: unknown): ApiErrorShape {
  if (error instanceof AppError) return error.toShape();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Each document's signed file is made durable and committed while the next one is signed: the
 * fsyncs run on the thread pool while this thread and the token work, instead of the batch
 * waiting for them one document after another (issue 19). Results still come in order, each once
 * its commit is done, and a cancel still stops the batch right after the last result reported.
 */
export async function signDocuments(ctx: SigningContext, ids: readonly number[]): Promise<SigningResult[]> {
  // A phone's confirmation (even of one signature each) or the caller's PC: asked for in groups.
  if (approvedElsewhere(ctx.key)) return signUnderApprovals(ctx, ids);
  const results: SigningResult[] = [];
  let stop: ApiErrorShape | null = null;
  // Typed by assertion: assigned in closures and at the end of the loop, which narrowing does not follow.
  let committing = null as { id: number; outcome: Promise<SigningResult> } | null;
  const report = (result: SigningResult) => {
    results.push(result);
    ctx.onResult?.(result, results.length, ids.length);
  };
  const settle = async () => {
    if (!committing) return;
    const { outcome } = committing;
    committing = null;
    report(await outcome);
  };
  const failure = (id: number, error: unknown): SigningResult => {
    const failed = shape(error);
    if (FATAL_FOR_BATCH.has(failed.code)) stop ??= { code: failed.code, message: `Not signed: ${failed.message}` };
    return { id, status: 'failed', error: failed };
  };
  for (const id of ids) {
    if (!stop && ctx.cancelled()) stop = { code: 'CANCELLED', message: 'Signing was cancelled before this document.' };
    // The same document twice is signed over its first signature, once that is committed.
    if (stop || committing?.id === id) await settle();
    if (stop) {
      report({ id, status: 'skipped', error: stop });
      continue;
    }
    let signed: SignedFile;
    try {
      signed = await signFile(ctx, id);
    } catch (error) {
      await settle();
      report(failure(id, error));
      continue;
    }
    await settle();
    // A cancel asked on seeing the previous result still stops the batch there: this signature,
    // made meanwhile, is dropped before anything of it is stored.
    if (ctx.cancelled()) {
      stop = { code: 'CANCELLED', message: 'Signing was cancelled before this document.' };
      report({ id, status: 'skipped', error: stop });
      continue;
    }
    committing = {
      id,
      outcome: commitSigned(ctx, id, signed).then(
        (outcome): SigningResult => ({ id, status: 'signed', ...outcome }),
        (error: unknown) => failure(id, error),
      ),
    };
  }
  await settle();
  return results;
}

/**
 * With a signer that confirms on the phone, a batch asks for as few confirmations as it can: the
 * documents of each group (up to what one confirmation covers) are prepared together, their
 * hashes go to the phone in one request, and each signed file is then stored and committed in
 * order. A document that fails while being prepared drops out of its group without holding the
 * others back; a refused or expired confirmation leaves every document of the group as it was,
 * and the groups after it are skipped.
 */
async function signUnderApprovals(ctx: SigningContext, ids: readonly number[]): Promise<SigningResult[]> {
  const results: SigningResult[] = [];
  let stop: ApiErrorShape | null = null;
  const report = (result: SigningResult) => {
    results.push(result);
    ctx.onResult?.(result, results.length, ids.length);
  };
  for (const group of approvalGroups(ids, ctx.key.signaturesPerApproval)) {
    if (!stop && ctx.cancelled()) stop = { code: 'CANCELLED', message: 'Signing was cancelled before this document.' };
    if (stop) {
      for (const id of group) report({ id, status: 'skipped', error: stop });
      continue;
    }
    // The group's signed files are stored and committed side by side, their fsyncs on the thread
    // pool at once: one after another, a batch waited 12 ms a document for the disk, as long as
    // preparing it took. Each result is still reported in order.
    const committed = (await signGroup(ctx, group)).map(async (outcome): Promise<SigningResult> => {
      try {
        if ('error' in outcome) throw outcome.error;
        return { id: outcome.id, status: 'signed', ...(await commitSigned(ctx, outcome.id, outcome.signed)) };
      } catch (error) {
        const failed = shape(error);
        if (FATAL_FOR_BATCH.has(failed.code)) stop ??= { code: failed.code, message: `Not signed: ${failed.message}` };
        return { id: outcome.id, status: 'failed', error: failed };
      }
    });
    for (const result of committed) report(await result);
  }
  return results;
}

/** Consecutive groups of at most `size`; a document listed twice goes to a later group, to be signed over its first signature. */
function approvalGroups(ids: readonly number[], size: number): number[][] {
  const groups: number[][] = [];
  for (const id of ids) {
    const last = groups.at(-1);
    if (last && last.length < size && !last.includes(id)) last.push(id);
    else groups.push([id]);
  }
  return groups;
}

type GroupOutcome = { id: number; signed: SignedFile } | { id: number; error: unknown };

async function signGroup(ctx: SigningContext, group: number[]): Promise<GroupOutcome[]> {
  const { outcomes } = await underOneApproval(
    ctx.key,
    group.length,
    (key, index) => signFile({ ...ctx, key }, group[index]!),
    (indexes) => {
      // The names follow the signatures (the order the documents reached the key); the phone's
      // text follows the batch's own order, whichever document happened to be prepared first.
      const rows = indexes.map((index) => getDocumentRow(ctx.db, group[index]!));
      const inBatchOrder = [...indexes].sort((a, b) => a - b).map((index) => getDocumentRow(ctx.db, group[index]!));
      return { display: approvalText(inBatchOrder), names: rows.map((row) => row.file_name ?? `${row.id}.pdf`), signal: ctx.signal, onWaiting: ctx.onWaiting };
    },
  );
  return outcomes.map((outcome, index) => (outcome.ok ? { id: group[index]!, signed: outcome.value } : { id: group[index]!, error: outcome.error }));
}

/** What the phone shows: the notation (when numbered) and trích yếu of one document, or how many and the first. */
function approvalText(rows: DocumentRow[]): string {
  const first = rows[0]!;
  const what = [first.notation, first.subject].filter(Boolean).join(' — ') || (first.file_name ?? `văn bản ${first.id}`);
  return rows.length === 1 ? `Ký văn bản: ${what}` : `Ký ${rows.length} văn bản: ${what}…`;
}

interface SignedFile {
  previousSha256: string;
  signed: Awaited<ReturnType<typeof signStoredFile>>;
}

async function signFile(ctx: SigningContext, id: number): Promise<SignedFile> {
  const row = getDocumentRow(ctx.db, id);
  // A signature makes a new current file: a numbered, registered or recalled document keeps its own.
  auditRefusals(ctx.db, ctx.actor, () => assertRecordOpen(row, ['files']));
  const previousSha256 = row.file_sha256;
  if (!previousSha256) throw new AppError('NO_FILE', `Document ${id} has no file to sign.`, { id });
  const fileName = row.file_name ?? `${id}.pdf`;
  // The stored file is read where the signer needs it (its structure, one pass for the hash),
  // never loaded whole: a clerk's 100 MB scan costs no more memory than a one-page letter.
  let fd: number;
  try {
    fd = fs.openSync(ctx.blobs.pathFor(previousSha256), 'r');
  } catch {
    throw new AppError('STORAGE_CORRUPT', `The file of document ${id} is missing from the data folder.`, { id });
  }
  try {
    const source = fileSource(fd);
    const signed = await signStoredFile(source, {
      key: ctx.key,
      appearance: ctx.appearance,
      fileName,
      signingTime: new Date(),
      timestamp: ctx.timestamp,
      stored: { sha256: previousSha256, bytes: source.size },
      placement: ctx.placement(ctx, row, ctx.appearance),
    });
    return { previousSha256, signed };
  } finally {
    fs.closeSync(fd);
  }
}

async function commitSigned(ctx: SigningContext, id: number, { previousSha256, signed }: SignedFile): Promise<SigningOutcome> {
  const parts = [{ stored: previousSha256 }, signed.appended];
  const sha256 = signed.sha256;
  await storeFilesThenCommitWith(ctx, [{ parts, sha256, mediaType: 'application/pdf' }], async () => [], (now) => {
    // Signed meanwhile by another window or process: this signature is over a file no longer
    // current, and committing it would drop the other one.
    if (getDocumentRow(ctx.db, id).file_sha256 !== previousSha256) {
      throw new AppError('DOCUMENT_CHANGED', `Document ${id} changed while it was being signed; sign it again.`, { id });
    }
    // Signing is what turns an outgoing draft into a signed document; an incoming document
    // (countersigned on receipt, say) keeps its place in the workflow.
    prepared(
      ctx.db,
      `UPDATE documents SET file_sha256 = @sha256, updated_at = @now,
         state = CASE WHEN direction = 'out' AND state = 'draft' THEN 'signed' ELSE state END
       WHERE id = @id`,
    ).run({ id, sha256, now });
    appendAudit(ctx.db, {
      actor: ctx.actor,
      kind: 'signed',
      documentId: id,
      at: now,
      details: {
        role: ctx.role,
        certificateSubject: ctx.key.facts.subject,
        certificateSerial: ctx.key.facts.serialNumber,
        fingerprint256: ctx.key.facts.fingerprint256,
        previousSha256,
        sha256,
        level: signed.level,
      },
    });
  });
  return signed.timestampProblem ? { level: signed.level, timestampProblem: signed.timestampProblem } : { level: signed.level };
}
