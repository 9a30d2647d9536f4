// Receiving from the axis. Each item is fetched to the temporary folder, parsed (safely, with
// bounds), and stored with its attachments and its database rows in one commit; only then is it
// acknowledged. A crash before the commit means the axis lists it again; a crash after it means
// it is listed again and recognised by its axis id. A package that cannot be accepted is kept
// with the reason, acknowledged "fail", and answered with status 02 so the sender knows; so is one
// that was fetched whole MAX_RECEIVE_ATTEMPTS times and could not be stored each time.
import fs from 'node:fs';
import { prepared } from '../storage/database.js';
import { appendAudit } from '../registry/audit.js';
import { indexDocument, insertDocument } from '../registry/documents.js';
import { readMissingTexts } from '../registry/fileTexts.js';
import { recordArrival } from '../registry/incomingRecord.js';
import { duplicatesOf } from '../registry/duplicates.js';
import type { Capture } from '../../common/capture.js';
import { storeFileThenCommit, type NewFile } from '../registry/fileJournal.js';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import { toVnIso, vnYear } from '../../common/dates.js';
import { foldVietnamese } from '../../common/fold.js';
import { DOCUMENT_TYPES, documentType } from '../../common/doctypes.js';
import { AxisError, PackageTooLarge, type AxisAdapter, type InboxItem, type MessageType } from '../axis/adapter.js';
import { DEFAULT_PARSE_LIMITS, type EdocHeader, type ParseLimits, type ParsedPackage, type ReceivedAttachment, type StatusMessage } from '../edxml/model.js';
import { parsePackage, peekPackage } from '../edxml/parse.js';
import { EDXML_MEDIA_TYPE, statusPackage } from './outgoingPackage.js';
import { isoFromEdxmlDate } from './edxmlDates.js';
import { queueJob } from './queue.js';
import type { ExchangeContext } from './outbox.js';
import type { RefusalReason } from '../../common/exchangeCodes.js';
import { exchangeProblem } from './problems.js';

/** A refused package is kept for the clerk up to this size; beyond it only its description is. */
const KEEP_REFUSED_BYTES = 64 * 1024 * 1024;
/**
 * How many times an item is fetched whole and fails on our side (a full disk, a crash while it is
 * read) before it is refused. A failure that is the package's own is refused at once; one of the
 * network or the axis is not counted (the item is not ours yet). Each attempt may download up to
 * maxPackageBytes, so the count is small; the sender is told (02) and can send again.
 */
export const MAX_RECEIVE_ATTEMPTS = 5;

const PRIORITY_FROM_CODE: Record<string, string> = { '0': 'normal', '1': 'urgent', '2': 'very_urgent', '3': 'flash', '4': 'flash_timed' };

export interface ReceiveResult {
  received: number;
  statuses: number;
  duplicates: number;
  /** Received documents that may duplicate one already in the register (same identifier code, or number, notation and agency): stored, and flagged for the clerk. */
  possibleDuplicates: number;
  refused: number;
  reachable: boolean;
  authFailed: boolean;
  lastError: ApiErrorShape | null;
}

export interface ReceiveProgress {
  docId: string;
  done: number;
  total: number;
}

/** 'suspected': received and stored, but it may duplicate a document already in the register (registry/duplicates.ts). */
type Outcome = 'received' | 'suspected' | 'status' | 'duplicate' | 'refused' | 'known';

/** Fetches and stores everything waiting on the axis for this agency, edoc first, then statuses. */
export async function receiveWaiting(
  ctx: ExchangeContext,
  adapter: AxisAdapter,
  localCode: string,
  options: { limits?: Partial<ParseLimits>; signal?: AbortSignal; onProgress?: (progress: ReceiveProgress) => void } = {},
): Promise<ReceiveResult> {
  const result: ReceiveResult = { received: 0, statuses: 0, duplicates: 0, possibleDuplicates: 0, refused: 0, reachable: true, authFailed: false, lastError: null };
  for (const messageType of ['edoc', 'status'] as MessageType[]) {
    let items: InboxItem[];
    try {
      items = await adapter.listInbox(messageType, options.signal);
    } catch (error) {
      if (!noteAxisError(result, error)) throw error;
      return result;
    }
    // The axis may list an item twice; it is handled once.
    const unique = [...new Map(items.map((i) => [i.docId, i])).values()];
    let done = 0;
    for (const item of unique) {
      if (options.signal?.aborted) return result;
      try {
        const outcome = await receiveItem(ctx, adapter, localCode, item, options.limits ?? {}, options.signal);
        if (outcome === 'received') result.received++;
        else if (outcome === 'suspected') (result.received++, result.possibleDuplicates++);
        else if (outcome === 'status') result.statuses++;
        else if (outcome === 'duplicate') result.duplicates++;
        else if (outcome === 'refused') result.refused++;
      } catch (error) {
        if (options.signal?.aborted) return result;
        if (noteAxisError(result, error)) {
          if (!result.reachable || result.authFailed) return result;
        } else {
          // Our side failed on this one item (a full disk, say): it stays on the axis, unacknowledged,
          // and is fetched again next pass, up to MAX_RECEIVE_ATTEMPTS; the items behind it still come in.
          result.lastError = exchangeProblem(error);
          noteAttemptFailure(ctx, item, result.lastError.message);
        }
      }
      options.onProgress?.({ docId: item.docId, done: ++done, total: unique.length });
    }
  }
  return result;
}

/** Records an axis error in the result; false when it is not one (a bug or a full disk: let it surface). */
function noteAxisError(result: ReceiveResult, error: unknown): boolean {
  if (!(error instanceof AxisError)) return false;
  result.lastError = exchangeProblem(error);
  if (error.kind === 'auth') result.authFailed = true;
  else if (error.httpStatus === null) result.reachable = false;
  return true;
}

async function receiveItem(ctx: ExchangeContext, adapter: AxisAdapter, localCode: string, item: InboxItem, limits: Partial<ParseLimits>, signal?: AbortSignal): Promise<Outcome> {
  if (alreadyRecorded(ctx, item)) {
    // Stored before, but the acknowledgement was lost (a crash, a cut connection).
    forgetAttempts(ctx, item);
    await adapter.acknowledge(item.docId, acknowledgementFor(ctx, item), signal);
    return 'known';
  }
  const earlier = attemptsOf(ctx, item);
  if (earlier && earlier.attempts >= MAX_RECEIVE_ATTEMPTS) {
    // Not fetched again: nothing of it is kept, and the 02 names it by its axis id.
    const why = earlier.last_error ?? 'the program stopped while reading it';
    return await refuse(ctx, adapter, item, null, { size: 0, sha256: '' }, refusal('too-many-attempts', `Receiving this package failed ${earlier.attempts} times on this computer; the last time: ${why}`), localCode, signal);
  }
  const staged = ctx.blobs.stagingPath('received');
  const workDir = ctx.blobs.stagingPath('parse');
  const maxBytes = limits.maxPackageBytes ?? DEFAULT_PARSE_LIMITS.maxPackageBytes;
  try {
    let fetched: { size: number; sha256: string };
    try {
      fetched = await adapter.fetch(item.docId, staged, { maxBytes, signal });
    } catch (error) {
      if (!(error instanceof PackageTooLarge)) throw error;
      // `return await` throughout: the finally below removes the staged file, which refuse still reads.
      return await refuse(ctx, adapter, item, null, { size: maxBytes, sha256: '' }, refusal('too-large', error.message), localCode, signal);
    }
    // Counted before it is read, so that a package that takes the process down is counted too.
    countAttempt(ctx, item);
    fs.mkdirSync(workDir);
    let parsed: ParsedPackage;
    try {
      parsed = await parsePackage(staged, { workDir, limits });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'PACKAGE_REFUSED') throw error;
      return await refuse(ctx, adapter, item, staged, fetched, error, localCode, signal);
    }
    // The axis authenticated who sent it; a package claiming to come from someone else is not taken
    // at its word (it could recall or answer for another agency's documents).
    const claimed = parsed.kind === 'status' ? parsed.status.from.organId : parsed.header.from.organId;
    if (item.from && claimed !== item.from) {
      return await refuse(ctx, adapter, item, staged, fetched, refusal('sender-mismatch', `The package says it is from ${claimed}, but the axis delivered it from ${item.from}.`), localCode, signal);
    }
    const packageFile: NewFile = { parts: [{ staged }], sha256: fetched.sha256, mediaType: EDXML_MEDIA_TYPE };
    const outcome = parsed.kind === 'status' ? recordStatus(ctx, item, parsed.status, packageFile, fetched.size) : recordDocument(ctx, item, parsed.header, parsed.attachments, packageFile, fetched.size);
    await adapter.acknowledge(item.docId, outcome === 'known' ? acknowledgementFor(ctx, item) : 'done', signal);
    if (outcome === 'received' || outcome === 'suspected') await readTextsOfReceived(ctx, item);
    return outcome;
  } finally {
    fs.rmSync(staged, { force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The received file's and attachments' text, for search: read after the commit, as it takes time. */
async function readTextsOfReceived(ctx: ExchangeContext, item: InboxItem): Promise<void> {
  const row = prepared(ctx.db, 'SELECT document_id FROM received_packages WHERE axis_doc_id = ? AND document_id IS NOT NULL ORDER BY id DESC LIMIT 1').get(item.docId) as { document_id: number } | undefined;
  if (row) await readMissingTexts(ctx, row.document_id);
}

function refusal(reason: RefusalReason, message: string): AppError {
  return new AppError('PACKAGE_REFUSED', message, { reason });
}

async function refuse(
  ctx: ExchangeContext,
  adapter: AxisAdapter,
  item: InboxItem,
  staged: string | null,
  fetched: { size: number; sha256: string },
  error: AppError,
  localCode: string,
  signal?: AbortSignal,
): Promise<Outcome> {
  await recordRefused(ctx, item, staged, fetched, error, localCode);
  await adapter.acknowledge(item.docId, 'fail', signal);
  return 'refused';
}

/** Stored before, or meanwhile by another process (the app and `eoffice sync` at once). */
function alreadyRecorded(ctx: ExchangeContext, item: InboxItem): boolean {
  return prepared(ctx.db, 'SELECT 1 FROM received_packages WHERE axis_doc_id = ?').get(item.docId) !== undefined;
}

interface AttemptRow {
  attempts: number;
  last_error: string | null;
}

function attemptsOf(ctx: ExchangeContext, item: InboxItem): AttemptRow | undefined {
  return prepared(ctx.db, 'SELECT attempts, last_error FROM receive_attempts WHERE axis_doc_id = ?').get(item.docId) as AttemptRow | undefined;
}

function countAttempt(ctx: ExchangeContext, item: InboxItem): void {
  prepared(
    ctx.db,
    `INSERT INTO receive_attempts (axis_doc_id, attempts, last_attempt_at) VALUES (@docId, 1, @now)
     ON CONFLICT (axis_doc_id) DO UPDATE SET attempts = attempts + 1, last_attempt_at = @now`,
  ).run({ docId: item.docId, now: toVnIso(ctx.now?.() ?? new Date()) });
}

function noteAttemptFailure(ctx: ExchangeContext, item: InboxItem, message: string): void {
  prepared(ctx.db, 'UPDATE receive_attempts SET last_error = ? WHERE axis_doc_id = ?').run(message.slice(0, 1000), item.docId);
}

function forgetAttempts(ctx: ExchangeContext, item: InboxItem): void {
  prepared(ctx.db, 'DELETE FROM receive_attempts WHERE axis_doc_id = ?').run(item.docId);
}

function acknowledgementFor(ctx: ExchangeContext, item: InboxItem): 'done' | 'fail' {
  const row = prepared(ctx.db, 'SELECT outcome FROM received_packages WHERE axis_doc_id = ?').get(item.docId) as { outcome: string } | undefined;
  return row?.outcome === 'refused' ? 'fail' : 'done';
}

function insertReceived(
  ctx: ExchangeContext,
  item: InboxItem,
  fields: { exchangeId: string | null; businessType: number | null; statusCode: string | null; packageSha256: string | null; packageSize: number; outcome: 'accepted' | 'duplicate' | 'refused'; reason?: string; detail?: string; documentId: number | null },
  now: string,
): number {
  // Recorded, whatever the outcome: the item's failed attempts no longer matter.
  forgetAttempts(ctx, item);
  return Number(
    prepared(
      ctx.db,
      `INSERT INTO received_packages (axis_doc_id, message_type, sender_code, exchange_id, business_type, status_code, package_sha256, package_size, outcome, refusal_reason, refusal_detail, document_id, received_at)
       VALUES (@axisDocId, @messageType, @sender, @exchangeId, @businessType, @statusCode, @packageSha256, @packageSize, @outcome, @reason, @detail, @documentId, @now)`,
    ).run({
      axisDocId: item.docId,
      messageType: item.messageType,
      sender: item.from,
      exchangeId: fields.exchangeId,
      businessType: fields.businessType,
      statusCode: fields.statusCode,
      packageSha256: fields.packageSha256,
      packageSize: fields.packageSize,
      outcome: fields.outcome,
      reason: fields.reason ?? null,
      detail: fields.detail ?? null,
      documentId: fields.documentId,
      now,
    }).lastInsertRowid,
  );
}

/** Our type for a received document: by the type's Vietnamese name, or its code; null when neither is known. */
function typeCodeOf(header: EdocHeader): string | null {
  const name = foldVietnamese(header.documentType.typeName ?? '').trim();
  const byName = DOCUMENT_TYPES.find((t) => foldVietnamese(t.vi) === name);
  return byName?.code ?? documentType(header.documentType.type)?.code ?? null;
}

/** What the edXML header said of the record; what it left empty is for the clerk to fill in at tiếp nhận. */
function captureOfHeader(header: EdocHeader, typeCode: string | null, documentDate: string | null): Capture {
  const said = (present: boolean) => (present ? ('edxml' as const) : null);
  return {
    sources: {
      notation: said(Boolean(header.code.number)),
      documentDate: said(documentDate !== null),
      authorAgency: said(Boolean(header.from.organName)),
      typeCode: said(typeCode !== null),
      subject: said(Boolean(header.subject)),
      signerName: said(Boolean(header.signer.fullName)),
    },
    signedBy: [],
    confirmedAt: null,
  };
}

function recordDocument(ctx: ExchangeContext, item: InboxItem, header: EdocHeader, attachments: ReceivedAttachment[], packageFile: NewFile, packageSize: number): Outcome {
  const sender = item.from || header.from.organId;
  const businessType = header.business.docType;
  // A recall, or an update or replacement without a file, is a notice about a document received
  // before; anything with a file is a document of its own (linked to the earlier one when it
  // updates or replaces it).
  const notice = businessType !== 0 && (businessType === 1 || attachments.length === 0);
  const files: NewFile[] = [packageFile, ...attachments.map((a): NewFile => ({ parts: [{ staged: a.path }], sha256: a.sha256, mediaType: a.contentType }))];
  // Status 01 goes back at once for a new document: "arrived, not yet handled by the clerk".
  const answer = notice ? null : statusPackage(ctx.db, { responseFor: responseForOf(header), statusCode: '01', description: 'Đã đến - Phần mềm QLVB đã nhận nhưng văn thư chưa xử lý', actor: ctx.actor, at: ctx.now?.() ?? new Date() });
  if (answer) files.push(answer);
  return storeFileThenCommit(ctx, files, (now): Outcome => {
    if (alreadyRecorded(ctx, item)) return 'known';
    const received = { exchangeId: header.documentId, businessType, statusCode: null, packageSha256: packageFile.sha256, packageSize };
    // The same document again under another axis id (an axis that does not deduplicate, a resend
    // after a lost answer): a new document by its DocumentId, a notice by its bytes.
    const duplicateOf = prepared(
      ctx.db,
      `SELECT document_id FROM received_packages WHERE sender_code = ? AND exchange_id = ? AND business_type = ? AND outcome = 'accepted' AND message_type = 'edoc'
         AND (business_type = 0 OR package_sha256 = ?)`,
    ).get(sender, header.documentId, businessType, packageFile.sha256) as { document_id: number | null } | undefined;
    if (duplicateOf) {
      insertReceived(ctx, item, { ...received, outcome: 'duplicate', documentId: duplicateOf.document_id }, now);
      return 'duplicate';
    }
    const target = header.business.documentId ?? header.responseFor[0]?.documentId ?? (businessType !== 0 ? header.documentId : undefined);
    const earlier = target ? (prepared(ctx.db, "SELECT id FROM documents WHERE direction = 'in' AND exchange_id = ? AND sender_code = ? ORDER BY id LIMIT 1").get(target, sender) as { id: number } | undefined) : undefined;
    if (notice) {
      insertReceived(ctx, item, { ...received, outcome: 'accepted', documentId: earlier?.id ?? null }, now);
      const replacementId = header.business.replacements?.[0]?.documentId;
      const replacement = replacementId
        ? (prepared(ctx.db, "SELECT id FROM documents WHERE direction = 'in' AND exchange_id = ? AND sender_code = ? ORDER BY id DESC LIMIT 1").get(replacementId, sender) as { id: number } | undefined)
        : undefined;
      if (replacement && earlier) prepared(ctx.db, 'UPDATE documents SET replaces_id = ? WHERE id = ?').run(earlier.id, replacement.id);
      appendAudit(ctx.db, {
        actor: ctx.actor,
        kind: NOTICE_AUDIT_KIND[businessType as 1 | 2 | 3],
        documentId: earlier?.id ?? null,
        at: now,
        details: { sender, exchangeId: target ?? header.documentId, reason: header.business.reason, axisDocId: item.docId, replacementExchangeId: replacementId ?? null },
      });
      return 'received';
    }
    const main = attachments.find((a) => a.contentType === 'application/pdf') ?? attachments[0];
    const typeCode = typeCodeOf(header);
    const documentDate = isoFromEdxmlDate(header.promulgation.date);
    const id = insertDocument(
      ctx.db,
      {
        direction: 'in',
        year: vnYear(ctx.now?.() ?? new Date()),
        typeCode: typeCode ?? 'CV',
        subject: header.subject,
        state: 'received',
        number: /^\d+$/.test(header.code.number) ? Number(header.code.number) : null,
        notation: header.code.notation ? `${header.code.number}/${header.code.notation}` : header.code.number || null,
        documentDate,
        authorAgency: header.from.organName || sender,
        signerName: header.signer.fullName,
        signerPosition: header.signer.position ?? '',
        signerCompetence: header.signer.competence ?? '',
        priority: PRIORITY_FROM_CODE[header.other.priority ?? '0'] ?? 'normal',
        dueDate: isoFromEdxmlDate(header.dueDate),
        recipients: header.toPlaces,
        fileSha256: main?.sha256 ?? null,
        fileName: main?.name ?? null,
        pageCount: header.other.pageAmount ?? null,
        registeredAt: now,
      },
      ctx.actor,
    );
    prepared(ctx.db, 'UPDATE documents SET exchange_id = ?, sender_code = ?, replaces_id = ? WHERE id = ?').run(header.documentId, sender, businessType >= 2 ? (earlier?.id ?? null) : null, id);
    recordArrival(ctx.db, id, { receivedVia: 'axis', capture: captureOfHeader(header, typeCode, documentDate) });
    const attach = prepared(ctx.db, 'INSERT INTO attachments (document_id, file_sha256, file_name, description) VALUES (?, ?, ?, ?)');
    for (const a of attachments) if (a !== main) attach.run(id, a.sha256, a.name, a.description);
    indexDocument(ctx.db, id); // with its identifier code and its attachments' names; their text follows (readMissingTexts)
    const receivedId = insertReceived(ctx, item, { ...received, outcome: 'accepted', documentId: id }, now);
    // Stored all the same: only the clerk can tell a resend from two documents (Appendix VI 1h).
    const possibleDuplicateOf = duplicatesOf(ctx.db, id).map((c) => c.id);
    appendAudit(ctx.db, {
      actor: ctx.actor,
      kind: 'received',
      documentId: id,
      at: now,
      details: { sender, exchangeId: header.documentId, businessType, axisDocId: item.docId, receivedId, packageSha256: packageFile.sha256, attachments: attachments.map((a) => a.sha256), possibleDuplicateOf },
    });
    if (answer) queueJob(ctx.db, { documentId: id, action: 'status', messageType: 'status', statusCode: '01', recipients: [sender], exchangeId: header.documentId, packageSha256: answer.sha256, packageSize: (answer.parts[0] as Uint8Array).length }, now);
    return possibleDuplicateOf.length > 0 ? 'suspected' : 'received';
  });
}

/** What the audit trail calls a notice about a document received earlier. */
const NOTICE_AUDIT_KIND = { 1: 'recall-requested', 2: 'update-notified', 3: 'replacement-notified' } as const;

function responseForOf(header: EdocHeader): { organId: string; code: string; promulgationDate?: string; documentId: string } {
  const code = header.code.notation ? `${header.code.number}/${header.code.notation}` : header.code.number;
  return { organId: header.from.organId, code, promulgationDate: header.promulgation.date || undefined, documentId: header.documentId };
}

function recordStatus(ctx: ExchangeContext, item: InboxItem, status: StatusMessage, packageFile: NewFile, packageSize: number): Outcome {
  const from = item.from || status.from.organId;
  return storeFileThenCommit(ctx, [packageFile], (now): Outcome => {
    if (alreadyRecorded(ctx, item)) return 'known';
    // Our outgoing document that `from` received, or a document `from` sent us (a recall request, 13).
    const target = prepared(
      ctx.db,
      `SELECT d.id, d.direction FROM documents d
        WHERE d.exchange_id = @exchangeId
          AND ((d.direction = 'out' AND EXISTS (SELECT 1 FROM deliveries v WHERE v.document_id = d.id AND v.recipient_code = @from))
            OR (d.direction = 'in' AND d.sender_code = @from))
        ORDER BY d.direction = 'out' DESC, d.id DESC LIMIT 1`,
    ).get({ exchangeId: status.responseFor.documentId, from }) as { id: number; direction: 'in' | 'out' } | undefined;
    const receivedId = insertReceived(
      ctx,
      item,
      { exchangeId: status.responseFor.documentId, businessType: null, statusCode: status.statusCode, packageSha256: packageFile.sha256, packageSize, outcome: 'accepted', documentId: target?.id ?? null },
      now,
    );
    // A status about nothing of ours, or from an agency that was not sent the document, is kept but changes nothing.
    if (!target) return 'status';
    const staff = [status.staff?.staff, status.staff?.department].filter(Boolean).join(' - ');
    prepared(
      ctx.db,
      'INSERT INTO status_events (document_id, from_code, status_code, description, staff, sent_at, received_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(target.id, from, status.statusCode, status.description, staff, status.timestamp, receivedId, now);
    if (target.direction === 'out') {
      // Statuses can arrive out of order (one fetched late after a failure): the latest by the
      // recipient's own clock stands.
      prepared(
        ctx.db,
        `UPDATE deliveries SET state = 'status', status_code = @code, description = @description, status_sent_at = @sentAt, updated_at = @now
          WHERE document_id = @id AND recipient_code = @from AND (status_sent_at IS NULL OR status_sent_at <= @sentAt)`,
      ).run({ id: target.id, from, code: status.statusCode, description: status.description, sentAt: status.timestamp, now });
    }
    appendAudit(ctx.db, { actor: ctx.actor, kind: 'status-received', documentId: target.id, at: now, details: { from, statusCode: status.statusCode, description: status.description, sentAt: status.timestamp, axisDocId: item.docId } });
    return 'status';
  });
}

/**
 * The 02's description, in Vietnamese for the sender's clerk. A package refused after failing
 * MAX_RECEIVE_ATTEMPTS times on our side (a full disk, a crash while reading it) is not called
 * invalid: the cause may well be here, and sending it again may work.
 */
function refusalDescription(reason: string, detail: string): string {
  const lead =
    reason === 'too-many-attempts'
      ? `Chưa tiếp nhận được văn bản: đơn vị nhận đã thử nhận ${MAX_RECEIVE_ATTEMPTS} lần không thành công; lỗi có thể ở phía đơn vị nhận, không nhất thiết do gói tin. Đề nghị gửi lại hoặc liên hệ đơn vị nhận`
      : 'Từ chối tiếp nhận: gói tin không hợp lệ';
  return `${lead} (${reason}). ${detail}`.slice(0, 500);
}

async function recordRefused(ctx: ExchangeContext, item: InboxItem, staged: string | null, fetched: { size: number; sha256: string }, error: AppError, localCode: string): Promise<void> {
  const reason = String(error.details?.reason ?? 'malformed-xml');
  const detail = error.message;
  // What the package was about, if that much can be read, so that the sender's 02 names it.
  const peek = staged ? await peekPackage(staged).catch(() => null) : null;
  const keep = staged !== null && fetched.size <= KEEP_REFUSED_BYTES;
  const files: NewFile[] = keep ? [{ parts: [{ staged: staged! }], sha256: fetched.sha256, mediaType: EDXML_MEDIA_TYPE }] : [];
  const canAnswer = Boolean(item.from) && item.from !== localCode && item.messageType === 'edoc';
  const documentId = peek?.documentId ?? item.docId;
  const answer = canAnswer
    ? statusPackage(ctx.db, { responseFor: { organId: item.from, code: '', documentId }, statusCode: '02', description: refusalDescription(reason, detail), actor: ctx.actor, at: ctx.now?.() ?? new Date() })
    : null;
  if (answer) files.push(answer);
  storeFileThenCommit(ctx, files, (now) => {
    if (alreadyRecorded(ctx, item)) return;
    const receivedId = insertReceived(
      ctx,
      item,
      { exchangeId: peek?.documentId ?? null, businessType: peek?.businessDocType ?? null, statusCode: peek?.statusCode ?? null, packageSha256: keep ? fetched.sha256 : null, packageSize: fetched.size, outcome: 'refused', reason, detail, documentId: null },
      now,
    );
    appendAudit(ctx.db, { actor: ctx.actor, kind: 'package-refused', documentId: null, at: now, details: { sender: item.from, axisDocId: item.docId, reason, detail, receivedId } });
    if (answer) queueJob(ctx.db, { documentId: null, receivedId, action: 'status', messageType: 'status', statusCode: '02', recipients: [item.from], exchangeId: documentId, packageSha256: answer.sha256, packageSize: (answer.parts[0] as Uint8Array).length }, now);
  });
}
