// Phát hành văn bản đi: the order Decree 30/2020 sets, enforced. A draft gets places for its
// number and date (empty form fields) before anyone signs; the competent person signs with a
// certification that permits exactly what follows — filling those fields and adding signatures;
// only then is a number given, written into the PDF and committed in one transaction with the
// register, so a number is never taken in advance and never lost; the agency's signature
// replaces the seal; the document is queued for the axis. Every step is one commit through the
// file journal (a crash leaves the step whole or undone) and one entry in the audit trail.
import fs from 'node:fs';
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { sha256Hex, type FilePart } from '../storage/blobStore.js';
import { AppError } from '../../common/errors.js';
import { vnDate, vnYear } from '../../common/dates.js';
import { comparableName } from '../../common/fold.js';
import { assertAgencyCertificate } from '../../common/agencyCertificate.js';
import { appendedSource, bytesSource, fileSource, type PdfSource } from '../pdf/source.js';
import { inspectPdf } from '../pdf/inspect.js';
import { findNumberDatePlaces, type PrintedRun } from '../pdf/numberDatePlaces.js';
import { addTextFields, fillTextFields, type TextFieldSpec } from '../pades/formFields.js';
import { rememberStructure } from '../pades/knownStructures.js';
import type { SignedUpdate, SignPdfOptions } from '../pades/signPdf.js';
import { signStoredFile, type SignaturePlacement } from '../signing/signStoredFile.js';
import type { TimestampOptions } from '../pades/timestamp.js';
import { sealRect, type AppearanceSpec, type Rect } from '../pades/appearance.js';
import { verifyPdfSignatures, type SignatureCheck } from '../pades/verify.js';
import type { SignerKey } from '../signing/signerKey.js';
import { appendAudit } from '../registry/audit.js';
import { assertRecordOpen, auditRefusals } from '../registry/recordLock.js';
import { localAgency } from '../registry/agency.js';
import { cleanFileName } from '../registry/importDocument.js';
import { findDocumentByFile, getDocumentRow, indexDocument, insertDocument, updateDocument, type DocumentRow } from '../registry/documents.js';
import { storeFileText } from '../registry/fileTexts.js';
import { storeFileThenCommit, storeFilesThenCommitWith, type FileStoreContext, type NewFile } from '../registry/fileJournal.js';
import { outgoingFacts, writeOutgoingPackage, type OutgoingFacts } from '../exchange/outgoingPackage.js';
import { queueJob } from '../exchange/queue.js';
import { ensureRegister } from '../registry/registers.js';
import { fieldText, outgoingNotation } from './notation.js';

/** The form fields eOffice adds; their names are what the leader's FieldMDP lock leaves open. */
export const FIELD_NAMES = { number: 'eoffice_so_ky_hieu', date: 'eoffice_ngay_ban_hanh', seal: 'eoffice_chu_ky_co_quan' } as const;

export interface IssuingContext extends FileStoreContext {
  actor: string;
  /** Confidential documents have their own series (a setting). */
  separateConfidentialSeries: boolean;
  /** The wall clock; tests set it to cross a year boundary. */
  now?: () => Date;
}

export type PlaceOrigin = 'found' | 'marked';

export interface NumberPlace {
  page: number;
  rect: Rect;
  fontSize: number;
  italic: boolean;
  origin: PlaceOrigin;
  /**
   * What a found line prints besides its blanks: the locality before "ngày" on a date line (the
   * rewrite keeps it), the notation after the slash on a number line (QĐ-UBND: numbering's own is
   * compared with it). Empty for a marked place.
   */
  prefix: string;
}

export interface DraftDetails {
  typeCode: string;
  subject: string;
  signerName: string;
  signerPosition: string;
  signerCompetence: string;
  /** The printed "Nơi nhận" list. */
  recipients: string[];
  /** Recipients on the axis, by identifier code. */
  recipientCodes: string[];
  priority: string;
  dueDate: string | null;
  draftingUnit: string;
  copies: number | null;
  confidential: boolean;
  archiveHolder: string;
  notes: string;
}

interface IssuingRow extends DocumentRow {
  drafting_unit: string;
  copies: number | null;
  confidential: number;
  archive_holder: string;
  notes: string;
  draft_sha256: string | null;
  numbered_at: string | null;
  sealed_at: string | null;
  queued_at: string | null;
  state_reason: string | null;
  replaces_id: number | null;
  exchange_id: string | null;
}

function issuingRow(db: Database, id: number): IssuingRow {
  return getDocumentRow(db, id) as IssuingRow;
}

function requireOutgoing(row: IssuingRow, allowed: readonly string[], action: string): void {
  if (row.direction !== 'out') throw new AppError('WRONG_STATE', `Document ${row.id} is an incoming document: it cannot be ${action}.`, { id: row.id, state: row.state });
  if (!allowed.includes(row.state)) throw new AppError('WRONG_STATE', `Document ${row.id} is ${row.state}: it cannot be ${action} now.`, { id: row.id, state: row.state });
}

/**
 * Runs `use` over a stored file read in place (never loaded whole); the file is closed when
 * `use` is done, also when it returns a promise.
 */
function withStoredFile<T>(ctx: FileStoreContext, sha256: string, id: number, use: (source: PdfSource) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(ctx.blobs.pathFor(sha256), 'r');
  } catch {
    throw new AppError('STORAGE_CORRUPT', `The file of document ${id} is missing from the data folder.`, { id });
  }
  const close = () => fs.closeSync(fd);
  let result: T;
  try {
    result = use(fileSource(fd));
  } catch (error) {
    close();
    throw error;
  }
  if (result instanceof Promise) return result.finally(close) as T;
  close();
  return result;
}

function pdfFile(parts: FilePart[], sha256: string): NewFile {
  return { parts, sha256, mediaType: 'application/pdf' };
}

/** What a found line prints, by kind: the fields that lie over it take it off the page (formFields.ts). */
type PrintedLines = { number?: readonly PrintedRun[]; date?: readonly PrintedRun[] };

function fieldSpecs(places: { number: NumberPlace | null; date: NumberPlace | null }, printed: PrintedLines = {}): TextFieldSpec[] {
  const specs: TextFieldSpec[] = [];
  const tooltips = { number: 'Số, ký hiệu: ghi sau khi người có thẩm quyền ký', date: 'Ngày ban hành: ghi sau khi người có thẩm quyền ký' };
  for (const kind of ['number', 'date'] as const) {
    const place = places[kind];
    if (!place) continue;
    const runs = place.origin === 'found' ? printed[kind] : undefined;
    specs.push({
      name: FIELD_NAMES[kind],
      page: place.page,
      rect: place.rect,
      tooltip: tooltips[kind],
      ...(runs?.length ? { printed: { runs, fontSize: place.fontSize, italic: place.italic } } : {}),
    });
  }
  return specs;
}

function writePlaces(db: Database, id: number, places: { number: NumberPlace | null; date: NumberPlace | null }): void {
  prepared(db, 'DELETE FROM number_places WHERE document_id = ?').run(id);
  const insert = prepared(
    db,
    `INSERT INTO number_places (document_id, kind, page, x, y, width, height, font_size, italic, origin, prefix)
     VALUES (@id, @kind, @page, @x, @y, @w, @h, @fontSize, @italic, @origin, @prefix)`,
  );
  for (const kind of ['number', 'date'] as const) {
    const p = places[kind];
    if (!p) continue;
    const [x, y, w, h] = p.rect;
    insert.run({ id, kind, page: p.page, x, y, w, h, fontSize: p.fontSize, italic: p.italic ? 1 : 0, origin: p.origin, prefix: p.prefix });
  }
}

export function numberPlaces(db: Database, id: number): { number: NumberPlace | null; date: NumberPlace | null } {
  const rows = prepared(db, 'SELECT * FROM number_places WHERE document_id = ?').all(id) as {
    kind: 'number' | 'date';
    page: number;
    x: number;
    y: number;
    width: number;
    height: number;
    font_size: number;
    italic: number;
    origin: PlaceOrigin;
    prefix: string;
  }[];
  const out: { number: NumberPlace | null; date: NumberPlace | null } = { number: null, date: null };
  for (const r of rows) out[r.kind] = { page: r.page, rect: [r.x, r.y, r.width, r.height], fontSize: r.font_size, italic: r.italic === 1, origin: r.origin, prefix: r.prefix };
  return out;
}

function writeRecipientCodes(db: Database, id: number, codes: readonly string[]): void {
  prepared(db, 'DELETE FROM document_recipient_agencies WHERE document_id = ?').run(id);
  const insert = prepared(db, 'INSERT OR IGNORE INTO document_recipient_agencies (document_id, position, code) VALUES (?, ?, ?)');
  codes.forEach((code, i) => insert.run(id, i, code));
}

export function recipientCodes(db: Database, id: number): string[] {
  return (prepared(db, 'SELECT code FROM document_recipient_agencies WHERE document_id = ? ORDER BY position').all(id) as { code: string }[]).map((r) => r.code);
}

/**
 * Places found in the page text, as the draft's fields, and what those lines print; none when the
 * text has no "Số:" or date line. A found number line keeps, as its `prefix`, the notation printed
 * after its slash (QĐ-UBND): numbering gives its own, and the clerk is told when they differ.
 */
async function foundPlaces(bytes: Uint8Array): Promise<{ places: { number: NumberPlace | null; date: NumberPlace | null }; printed: PrintedLines }> {
  const found = await findNumberDatePlaces(bytes);
  const place = (p: { page: number; rect: Rect; fontSize: number; italic: boolean } | null, prefix: string): NumberPlace | null =>
    p ? { page: p.page, rect: p.rect, fontSize: p.fontSize, italic: p.italic, origin: 'found', prefix } : null;
  return {
    places: { number: place(found.number, found.number?.suffix ?? ''), date: place(found.date, found.date?.place ?? '') },
    printed: { number: found.number?.printed, date: found.date?.printed },
  };
}

/**
 * Creates an outgoing draft from a PDF: the document, its details, and — when the page text
 * shows them — the places for its number and date, as empty form fields. All in one commit.
 */
export async function createDraft(
  ctx: IssuingContext & { maxBytes: number },
  request: { fileName: string; bytes: Uint8Array; details: DraftDetails; attachments?: { fileName: string; bytes: Uint8Array }[] },
): Promise<number> {
  const fileName = cleanFileName(request.fileName);
  const { bytes, details } = request;
  if (bytes.length > ctx.maxBytes) {
    throw new AppError('FILE_TOO_LARGE', `${fileName} is larger than the ${Math.round(ctx.maxBytes / 1048576)} MB limit.`, { fileName, limitMb: Math.round(ctx.maxBytes / 1048576) });
  }
  const facts = await inspectPdf(bytes, fileName);
  const sha256 = sha256Hex(bytes);
  const attachments: { name: string; bytes: Uint8Array; sha256: string; text: string }[] = [];
  for (const attachment of request.attachments ?? []) {
    const name = cleanFileName(attachment.fileName);
    const { text } = await inspectPdf(attachment.bytes, name);
    attachments.push({ name, bytes: attachment.bytes, sha256: sha256Hex(attachment.bytes), text });
  }
  const { places, printed } = await foundPlaces(bytes);
  const specs = fieldSpecs(places, printed);
  const preparedUpdate = specs.length ? await addTextFields(bytesSource(bytes), specs, fileName) : null;
  const original = pdfFile([bytes], sha256);
  const current = preparedUpdate ? pdfFile([bytes, preparedUpdate], ctx.blobs.sha256OfParts([bytes, preparedUpdate])) : original;
  // Read whole on this thread to prepare its fields, and the update written here: the leader's
  // signature need not have the worker read it again (knownStructures.ts).
  if (preparedUpdate) rememberStructure(current.sha256);
  const files = [original, ...(preparedUpdate ? [current] : []), ...attachments.map((a) => pdfFile([a.bytes], a.sha256))];

  const duplicate = () => {
    const existing = findDocumentByFile(ctx.db, sha256);
    if (existing) throw new AppError('DUPLICATE_FILE', `${fileName} is already in the registry as document ${existing.id}.`, { fileName, existingId: existing.id });
  };
  duplicate();
  return storeFileThenCommit(ctx, files, (now) => {
    duplicate();
    const id = insertDocument(
      ctx.db,
      {
        direction: 'out',
        year: vnYear(ctx.now?.() ?? new Date()),
        typeCode: details.typeCode,
        subject: details.subject,
        state: 'draft',
        signerName: details.signerName,
        signerPosition: details.signerPosition,
        signerCompetence: details.signerCompetence,
        priority: details.priority,
        dueDate: details.dueDate,
        recipients: details.recipients,
        fileSha256: current.sha256,
        fileName,
        pageCount: facts.pageCount,
        bodyText: facts.text,
        registeredAt: now,
      },
      ctx.actor,
    );
    prepared(
      ctx.db,
      `UPDATE documents SET drafting_unit = @unit, copies = @copies, confidential = @confidential, archive_holder = @archiveHolder,
         notes = @notes, draft_sha256 = @draft WHERE id = @id`,
    ).run({ id, unit: details.draftingUnit, copies: details.copies, confidential: details.confidential ? 1 : 0, archiveHolder: details.archiveHolder, notes: details.notes, draft: sha256 });
    writeRecipientCodes(ctx.db, id, details.recipientCodes);
    writePlaces(ctx.db, id, places);
    const insertAttachment = prepared(ctx.db, 'INSERT INTO attachments (document_id, file_sha256, file_name) VALUES (?, ?, ?)');
    for (const a of attachments) (insertAttachment.run(id, a.sha256, a.name), storeFileText(ctx.db, a.sha256, a.text));
    // Again, now that the notes, the recipients' codes and the attachments are there.
    indexDocument(ctx.db, id);
    appendAudit(ctx.db, {
      actor: ctx.actor,
      kind: 'draft-details',
      documentId: id,
      at: now,
      details: { ...details, attachments: attachments.map((a) => a.name), places: { number: places.number?.origin ?? null, date: places.date?.origin ?? null } },
    });
    return id;
  });
}

/**
 * Marks (or moves) the places for the number and date on a draft. The fields are rebuilt from the
 * file as drafted, so moving them leaves no trace of the old places in the PDF.
 */
export function markNumberPlaces(ctx: IssuingContext, id: number, places: { number: NumberPlace | null; date: NumberPlace | null }): Promise<void> {
  return auditRefusals(ctx.db, ctx.actor, () => markPlacesOnDraft(ctx, id, places));
}

async function markPlacesOnDraft(ctx: IssuingContext, id: number, places: { number: NumberPlace | null; date: NumberPlace | null }): Promise<void> {
  const row = issuingRow(ctx.db, id);
  // The places are written into the file: a numbered document's file is the one that was numbered.
  assertRecordOpen(row, ['files']);
  requireOutgoing(row, ['draft'], 'given new places for its number and date');
  const base = row.draft_sha256 ?? row.file_sha256;
  if (!base) throw new AppError('NO_FILE', `Document ${id} has no file.`, { id });
  // A place said to be found is the line the draft's text shows: found again here, with what it
  // prints, rather than taken on the caller's word.
  let printed: PrintedLines = {};
  if (places.number?.origin === 'found' || places.date?.origin === 'found') {
    const again = await foundPlaces(new Uint8Array(fs.readFileSync(ctx.blobs.pathFor(base))));
    const same = (kind: 'number' | 'date') => {
      const given = places[kind];
      const found = again.places[kind];
      return given?.origin === 'found' && found && found.page === given.page && found.rect.every((n, i) => Math.abs(n - given.rect[i]!) < 1) ? found : null;
    };
    const number = same('number');
    const date = same('date');
    places = { number: number ?? places.number, date: date ?? places.date };
    printed = { number: number ? again.printed.number : undefined, date: date ? again.printed.date : undefined };
  }
  const specs = fieldSpecs(places, printed);
  const update = specs.length ? await withStoredFile(ctx, base, id, (source) => addTextFields(source, specs, row.file_name ?? `${id}.pdf`)) : null;
  const parts: FilePart[] = update ? [{ stored: base }, update] : [{ stored: base }];
  const file = pdfFile(parts, ctx.blobs.sha256OfParts(parts));
  if (update) rememberStructure(file.sha256);
  storeFileThenCommit(ctx, file, (now) => {
    if (issuingRow(ctx.db, id).file_sha256 !== row.file_sha256) throw new AppError('DOCUMENT_CHANGED', `Document ${id} changed meanwhile; mark the places again.`, { id });
    prepared(ctx.db, 'UPDATE documents SET file_sha256 = ?, draft_sha256 = ?, updated_at = ? WHERE id = ?').run(file.sha256, base, now, id);
    writePlaces(ctx.db, id, places);
    appendAudit(ctx.db, { actor: ctx.actor, kind: 'places-marked', documentId: id, at: now, details: { number: places.number, date: places.date, sha256: file.sha256 } });
  });
}

/** Finds the places again in the draft's text (after the clerk cleared them, say). */
export async function findPlacesAgain(ctx: IssuingContext, id: number): Promise<{ number: NumberPlace | null; date: NumberPlace | null }> {
  const row = issuingRow(ctx.db, id);
  const base = row.draft_sha256 ?? row.file_sha256;
  if (!base) throw new AppError('NO_FILE', `Document ${id} has no file.`, { id });
  return (await foundPlaces(new Uint8Array(fs.readFileSync(ctx.blobs.pathFor(base))))).places;
}

/**
 * How the competent person's signature is made on an outgoing document: it certifies the
 * document (when it is the first signature) so that later form filling and signing stay
 * permitted, locks every field except the number, the date and the seal, and prepares the
 * empty field the agency's signature will fill. Refused when the draft has no place for its
 * number: the number could not be written after the signature without breaking it.
 */
/**
 * Where a document's signature goes in a signing batch (signing/signDocuments.ts asks): an
 * outgoing document drafted for issuing is signed by the competent person through the issuing
 * rules (a certification that leaves the number, date and seal open); other documents — incoming
 * ones, and outgoing PDFs imported into the register as they are — are signed as they are.
 */
export function signaturePlacement(ctx: FileStoreContext, row: { id: number; direction: string; draft_sha256?: string | null }, appearance: AppearanceSpec): SignaturePlacement {
  if (row.direction !== 'out' || !row.draft_sha256) return {};
  return leaderSigningOptions(ctx, row.id, appearance.kind === 'signer' ? { kind: 'signer', page: appearance.page, rect: appearance.rect } : { kind: appearance.kind });
}

function leaderSigningOptions(ctx: FileStoreContext, id: number, appearance: { kind: string; page?: number; rect?: Rect }): SignaturePlacement {
  const row = issuingRow(ctx.db, id);
  requireOutgoing(row, ['draft', 'signed'], 'signed by the competent person');
  if (appearance.kind === 'agency' || appearance.kind === 'attachment') {
    throw new AppError('WRONG_STATE', `Document ${id}: the agency signs an outgoing document when it is issued, after its number.`, { id, state: row.state });
  }
  const places = numberPlaces(ctx.db, id);
  if (!places.number || !places.date) throw new AppError('NO_NUMBER_PLACE', `Document ${id} has no place for its number and date: mark them before it is signed.`, { id });
  const options: Pick<SignPdfOptions, 'permissions' | 'emptySignatureFields'> = {
    // Certifying needs the first signature; a co-signer after the leader only locks the fields.
    permissions: { certify: 'if-first', lockAllExcept: [FIELD_NAMES.number, FIELD_NAMES.date, FIELD_NAMES.seal] },
  };
  if (appearance.kind === 'signer' && appearance.rect && appearance.page) {
    options.emptySignatureFields = [{ name: FIELD_NAMES.seal, page: appearance.page, rect: sealRect(appearance.rect) }];
  }
  return options;
}

/**
 * The signer's name as the register should keep it, when the certificate spells the declared name
 * otherwise: names match with accents and case folded ("Nguyen Van An" is accepted for the
 * certificate of "Nguyễn Văn An"), but the certificate, which the CA checked against the person's
 * papers, says how it is written. A certificate that carries no accents at all says nothing about
 * them, and leaves an accented declared name as it is. Null when there is nothing to correct.
 */
export function certificateSpelling(declared: string, certificateName: string | null | undefined): string | null {
  const written = (certificateName ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  const given = declared.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!written || written === given || comparableName(written) !== comparableName(given)) return null;
  const accented = (name: string) => name !== name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/gu, 'd');
  if (!accented(written) && accented(given)) return null;
  return written;
}

/**
 * The notation printed on the draft's number line against the one numbering will give, before
 * anyone signs: a drafting unit added in the form (…/QĐ-UBND-VP) while the draft prints /QĐ-UBND.
 * Null when they agree, or when nothing can be compared (no line found, no agency abbreviation).
 */
export function notationMismatch(db: Database, id: number): { printed: string; given: string } | null {
  const printed = numberPlaces(db, id).number;
  if (!printed || printed.origin !== 'found' || !printed.prefix) return null;
  const agency = localAgency(db);
  if (!agency.abbreviation.trim()) return null;
  const row = issuingRow(db, id);
  const given = outgoingNotation({ number: 1, typeCode: row.type_code, agencyAbbreviation: agency.abbreviation, unit: row.drafting_unit }).replace(/^[^/]*\//, '');
  const same = (a: string) => a.normalize('NFC').replace(/[‐‑–—]/g, '-').replace(/\s+/g, '');
  return same(printed.prefix) === same(given) ? null : { printed: printed.prefix, given };
}

/** The competent person's signature that numbering rests on, or the reason there is none. */
export function competentSignature(checks: SignatureCheck[], declaredSigner: string, id: number): SignatureCheck {
  if (checks.length === 0) throw new AppError('NOT_SIGNED', `Không cấp số trước khi ký: document ${id} carries no signature.`, { id });
  const declared = comparableName(declaredSigner);
  const valid = checks.filter((c) => c.integrity === 'valid' && c.laterChanges.verdict !== 'not-permitted');
  if (valid.length === 0) {
    const bad = checks[0]!;
    const reason = bad.integrity !== 'valid' ? (bad.problem ?? bad.integrity) : 'the document was changed after it was signed';
    throw new AppError('SIGNATURE_INVALID', `Document ${id}: its signature is not valid (${reason}).`, { id, reason });
  }
  if (!declared) throw new AppError('INVALID_INPUT', `Document ${id} has no declared signer: fill in who signs it.`, { id, field: 'signerName' });
  const match = valid.find((c) => comparableName(c.signer?.commonName ?? '') === declared);
  if (!match) {
    const signer = valid[0]!.signer?.commonName ?? valid[0]!.signer?.subject ?? '?';
    throw new AppError('SIGNER_MISMATCH', `Document ${id} is signed by ${signer}, not by the declared signer ${declaredSigner}.`, { id, signer, declared: declaredSigner });
  }
  if (match.certificateValidAtSigningTime === false) {
    throw new AppError('SIGNATURE_INVALID', `Document ${id}: the certificate was not valid when it signed.`, { id, reason: 'certificate not valid at signing time' });
  }
  return match;
}

export interface AgencySeal {
  key: SignerKey;
  sealImage?: Uint8Array;
  agencyName: string;
  timestamp?: TimestampOptions;
}

export interface NumberingResult {
  number: number;
  notation: string;
  documentDate: string;
  state: string;
}

class NumberTaken extends Error {}

function ensureAgency(db: Database): { name: string; abbreviation: string; code: string } {
  const agency = localAgency(db);
  if (!agency.abbreviation.trim()) throw new AppError('AGENCY_NOT_CONFIGURED', "The agency's abbreviation is not set: it is part of every notation.");
  return agency;
}

interface NextNumber {
  year: number;
  documentDate: string;
  confidential: boolean;
  /** The register's last number as read: numbering commits only if it is still the last. */
  lastNumber: number;
  number: number;
  notation: string;
}

/** The number, notation and date "Cấp số" gives at `at`: the next of the register of that year (Vietnam time). */
function nextNumber(db: Database, row: IssuingRow, agencyAbbreviation: string, separateConfidentialSeries: boolean, at: Date): NextNumber {
  const year = vnYear(at);
  const confidential = separateConfidentialSeries && row.confidential === 1;
  const register = prepared(db, "SELECT r.id, r.last_number FROM registers r JOIN agencies a ON a.id = r.agency_id AND a.is_local = 1 WHERE r.direction = 'out' AND r.year = ? AND r.confidential = ?").get(
    year,
    confidential ? 1 : 0,
  ) as { id: number; last_number: number } | undefined;
  const lastNumber = register?.last_number ?? 0;
  const number = lastNumber + 1;
  const notation = outgoingNotation({ number, typeCode: row.type_code, agencyAbbreviation, unit: row.drafting_unit });
  return { year, documentDate: vnDate(at), confidential, lastNumber, number, notation };
}

/**
 * What the confirmation of "Cấp số" shows: the number and date numbering would give now. Another
 * window may number first; the number given is then the next one, never this one twice.
 */
export function previewNumber(db: Database, id: number, separateConfidentialSeries: boolean, at = new Date()): { number: number; notation: string; documentDate: string } | null {
  const agency = localAgency(db);
  if (!agency.abbreviation.trim()) return null;
  const { number, notation, documentDate } = nextNumber(db, issuingRow(db, id), agency.abbreviation, separateConfidentialSeries, at);
  return { number, notation, documentDate };
}

/** The competent person's signature on the stored file, checked again (see competentSignature). */
function verifiedCompetentSignature(ctx: FileStoreContext, row: IssuingRow): SignatureCheck {
  return withStoredFile(ctx, row.file_sha256!, row.id, (source) => competentSignature(verifyPdfSignatures(source, row.file_name ?? `${row.id}.pdf`), row.signer_name, row.id));
}

/**
 * The agency's signature takes the agency's own certificate, not the one the competent person
 * signed with: checked before numbering, so a refused seal takes no number.
 */
function assertSealCertificate(seal: AgencySeal, agencyName: string, competent: SignatureCheck): void {
  assertAgencyCertificate(seal.key.facts, agencyName, competent.signer?.fingerprint256 ?? null);
}

/**
 * Cấp số: gives the next number of the register of the current year (Vietnam time), writes it
 * and the date into the fields, and commits file, number and register together. With `seal`,
 * the agency's signature and the queueing go into the same commit (issuing in one step).
 */
async function numberAndMaybeSeal(ctx: IssuingContext, id: number, seal: AgencySeal | null): Promise<NumberingResult> {
  const row = issuingRow(ctx.db, id);
  if (row.direction === 'out' && row.state === 'draft') {
    throw new AppError('NOT_SIGNED', `Không cấp số trước khi ký: document ${id} has not been signed by the competent person.`, { id });
  }
  requireOutgoing(row, ['signed'], 'numbered');
  const agency = ensureAgency(ctx.db);
  const places = numberPlaces(ctx.db, id);
  if (!places.number || !places.date) throw new AppError('NO_NUMBER_PLACE', `Document ${id} has no place for its number and date.`, { id });
  const fileName = row.file_name ?? `${id}.pdf`;
  const base = row.file_sha256!;
  const signature = verifiedCompetentSignature(ctx, row);
  if (seal) assertSealCertificate(seal, agency.name, signature);
  // The register, the package and the book print the name as the certificate writes it.
  const signerName = certificateSpelling(row.signer_name, signature.signer?.commonName) ?? row.signer_name;

  for (let attempt = 0; ; attempt++) {
    const at = ctx.now?.() ?? new Date();
    const { year, documentDate, confidential, lastNumber, number, notation } = nextNumber(ctx.db, row, agency.abbreviation, ctx.separateConfidentialSeries, at);
    const facts = { number, notation, date: documentDate, prefix: '' };
    const values = {
      [FIELD_NAMES.number]: { text: fieldText('number', places.number.origin, { ...facts, prefix: places.number.prefix }), fontSize: places.number.fontSize, italic: places.number.italic, opaque: true },
      [FIELD_NAMES.date]: { text: fieldText('date', places.date.origin, { ...facts, prefix: places.date.prefix }), fontSize: places.date.fontSize, italic: places.date.italic, opaque: true },
    };
    const built = await withStoredFile(ctx, base, id, async (source) => {
      const filled = await fillTextFields(source, values, fileName);
      if (!seal) return { updates: [filled], sha256: null, attachments: [] as { id: number; sha256: string; parts: FilePart[] }[] };
      const sealed = await sealSource(appendedSource(source, filled), seal, fileName, at, { sha256: base, bytes: source.size });
      const attachments = await sealAttachments(ctx, id, seal, notation, at);
      return { updates: [filled, sealed.appended], sha256: sealed.sha256, attachments };
    });
    const parts: FilePart[] = [{ stored: base }, ...built.updates];
    const file = pdfFile(parts, built.sha256 ?? ctx.blobs.sha256OfParts(parts));
    // Numbered without the seal: the number and date were filled in here, over a file read whole here.
    if (!seal) rememberStructure(file.sha256);
    const files = [file, ...built.attachments.map((a) => pdfFile(a.parts, a.sha256))];
    const packaged = seal ? { number: String(number), notation, documentDate, signerName, file: { sha256: file.sha256, name: fileName }, signedAttachments: built.attachments } : null;
    try {
      return await storeIssuingStep(ctx, id, files, packaged, (now, queued) => {
        const current = issuingRow(ctx.db, id);
        if (current.file_sha256 !== base || current.state !== 'signed') throw new AppError('DOCUMENT_CHANGED', `Document ${id} changed while it was being numbered.`, { id });
        const registerId = ensureRegister(ctx.db, 'out', year, confidential);
        // The number read before the PDF was built must still be the register's last: another
        // window or process may have numbered meanwhile, and then this attempt starts again.
        const moved = prepared(ctx.db, 'UPDATE registers SET last_number = ? WHERE id = ? AND last_number = ?').run(number, registerId, lastNumber);
        if (moved.changes !== 1) throw new NumberTaken();
        const state = seal ? (queued ? 'queued' : 'issued') : 'numbered';
        prepared(
          ctx.db,
          `UPDATE documents SET number = @number, notation = @notation, document_date = @documentDate, register_id = @registerId, year = @year,
             numbered_at = @now, file_sha256 = @sha256, state = @state, updated_at = @now, signer_name = @signerName,
             sealed_at = CASE WHEN @sealed THEN @now ELSE sealed_at END, queued_at = CASE WHEN @sealed THEN @now ELSE queued_at END
           WHERE id = @id`,
        ).run({ id, number, notation, documentDate, registerId, year, now, sha256: file.sha256, state, sealed: seal ? 1 : 0, signerName });
        indexDocument(ctx.db, id);
        appendAudit(ctx.db, {
          actor: ctx.actor,
          kind: 'numbered',
          documentId: id,
          at: now,
          details: {
            number,
            notation,
            documentDate,
            registerId,
            year,
            confidential,
            signedBy: signature.signer?.commonName ?? null,
            signerCertificate: signature.signer?.fingerprint256 ?? null,
            // The declared name, when the register now keeps the certificate's spelling of it.
            ...(signerName !== row.signer_name ? { declaredSignerName: row.signer_name, signerName } : {}),
            previousSha256: base,
            sha256: file.sha256,
          },
        });
        if (seal) recordSealAndQueue(ctx, id, seal, built.attachments, now, file.sha256, queued);
        return { number, notation, documentDate, state };
      });
    } catch (error) {
      if (error instanceof NumberTaken && attempt < 20) continue;
      throw error;
    }
  }
}

async function sealSource(source: PdfSource, seal: AgencySeal, fileName: string, at: Date, stored: { sha256: string; bytes: number }): Promise<SignedUpdate> {
  return signStoredFile(source, {
    key: seal.key,
    fileName,
    signingTime: at,
    timestamp: seal.timestamp,
    stored,
    // Into the field the leader's signature prepared (its own rect); for a document signed outside
    // eOffice, with no such field, the agency's mark goes at the top right of page 1.
    placement: { fieldName: FIELD_NAMES.seal, whenFieldMissing: 'new-field' },
    appearance: { kind: 'agency', page: 1, rect: [330, 770, 230, 50], sealImage: seal.sealImage, agencyName: seal.agencyName },
  });
}

/** Each attachment issued as its own file gets the agency's signature at the top right, with the main document's notation. */
async function sealAttachments(ctx: IssuingContext, id: number, seal: AgencySeal, notation: string, at: Date): Promise<{ id: number; sha256: string; parts: FilePart[] }[]> {
  const rows = prepared(ctx.db, 'SELECT id, file_sha256, file_name FROM attachments WHERE document_id = ? AND signed_sha256 IS NULL ORDER BY id').all(id) as { id: number; file_sha256: string; file_name: string }[];
  const out = [];
  for (const a of rows) {
    const signed = await withStoredFile(ctx, a.file_sha256, id, (source) =>
      signStoredFile(source, { key: seal.key, fileName: a.file_name, signingTime: at, timestamp: seal.timestamp, stored: { sha256: a.file_sha256, bytes: source.size }, appearance: { kind: 'attachment', agencyName: seal.agencyName, mainNotation: notation } }),
    );
    out.push({ id: a.id, sha256: signed.sha256, parts: [{ stored: a.file_sha256 }, signed.appended] });
  }
  return out;
}

/** What the package of a document being issued says that the register does not hold yet. */
interface IssuedFacts {
  number: string;
  notation: string;
  documentDate: string;
  /** As the register will keep it (numbering may take the certificate's spelling in the same commit). */
  signerName: string;
  file: { sha256: string; name: string };
  signedAttachments: { id: number; sha256: string }[];
}

type QueuedPackage = Awaited<ReturnType<typeof writeOutgoingPackage>> | null;

/**
 * Stores the step's files, then (when the document is issued to recipients on the axis) its edXML
 * package, written from the signed PDF while that is being synced; then commits. A document with no recipient on the
 * axis is issued on paper only and queues nothing.
 */
function storeIssuingStep<T>(ctx: IssuingContext, id: number, files: readonly NewFile[], issued: IssuedFacts | null, commit: (now: string, queued: QueuedPackage) => T): Promise<T> {
  let queued: QueuedPackage = null;
  return storeFilesThenCommitWith(
    ctx,
    files,
    async (_stored, pathOf) => {
      if (!issued) return [];
      const signed = new Map(issued.signedAttachments.map((a) => [a.id, a.sha256]));
      const current = outgoingFacts(ctx.db, id);
      const facts: OutgoingFacts = {
        ...current,
        number: issued.number,
        notation: issued.notation,
        documentDate: issued.documentDate,
        signerName: issued.signerName,
        file: issued.file,
        attachments: current.attachments.map((a) => ({ ...a, sha256: signed.get(a.id) ?? a.sha256 })),
      };
      if (facts.recipientCodes.length === 0) return [];
      queued = await writeOutgoingPackage(ctx.db, ctx.blobs, { facts, action: 'send', reason: '', actor: ctx.actor, at: ctx.now?.() ?? new Date(), pathOf });
      return [queued.file];
    },
    (now) => commit(now, queued),
  );
}

function queuePackage(ctx: IssuingContext, id: number, action: 'send' | 'recall' | 'update' | 'replace', reason: string, queued: NonNullable<QueuedPackage>, now: string): void {
  if (action === 'send') {
    prepared(ctx.db, 'UPDATE documents SET exchange_id = ? WHERE id = ?').run(queued.exchangeId, id);
    indexDocument(ctx.db, id); // the identifier code is searchable
  }
  const packageSize = fs.statSync(ctx.blobs.pathFor(queued.file.sha256)).size;
  queueJob(ctx.db, { documentId: id, action, messageType: 'edoc', reason, recipients: queued.recipients, exchangeId: queued.exchangeId, packageSha256: queued.file.sha256, packageSize }, now);
  appendAudit(ctx.db, { actor: ctx.actor, kind: 'queued', documentId: id, at: now, details: { action, recipients: queued.recipients, exchangeId: queued.exchangeId, packageSha256: queued.file.sha256 } });
}

function recordSealAndQueue(ctx: IssuingContext, id: number, seal: AgencySeal, attachments: { id: number; sha256: string }[], now: string, sha256: string, queued: QueuedPackage): void {
  const setSigned = prepared(ctx.db, 'UPDATE attachments SET signed_sha256 = ? WHERE id = ?');
  for (const a of attachments) setSigned.run(a.sha256, a.id);
  appendAudit(ctx.db, {
    actor: ctx.actor,
    kind: 'agency-signed',
    documentId: id,
    at: now,
    details: {
      role: 'agency',
      certificateSubject: seal.key.facts.subject,
      certificateSerial: seal.key.facts.serialNumber,
      fingerprint256: seal.key.facts.fingerprint256,
      sha256,
      attachments: attachments.map((a) => a.sha256),
    },
  });
  if (queued) queuePackage(ctx, id, 'send', '', queued, now);
}

export function numberDocument(ctx: IssuingContext, id: number): Promise<NumberingResult> {
  return numberAndMaybeSeal(ctx, id, null);
}

/**
 * Phát hành: numbers the document if it is not numbered yet, writes the number and date, adds
 * the agency's signature (and signs the attachments), and queues it for the axis.
 */
export async function issueDocument(ctx: IssuingContext, id: number, seal: AgencySeal): Promise<NumberingResult> {
  const row = issuingRow(ctx.db, id);
  if (row.direction === 'out' && (row.state === 'draft' || row.state === 'signed')) return numberAndMaybeSeal(ctx, id, seal);
  requireOutgoing(row, ['numbered'], 'issued');
  assertSealCertificate(seal, localAgency(ctx.db).name, verifiedCompetentSignature(ctx, row));
  const base = row.file_sha256!;
  const fileName = row.file_name ?? `${id}.pdf`;
  const at = ctx.now?.() ?? new Date();
  const { sealed, attachments } = await withStoredFile(ctx, base, id, async (source) => ({
    sealed: await sealSource(source, seal, fileName, at, { sha256: base, bytes: source.size }),
    attachments: await sealAttachments(ctx, id, seal, row.notation ?? '', at),
  }));
  const file = pdfFile([{ stored: base }, sealed.appended], sealed.sha256);
  const issued = { number: String(row.number ?? ''), notation: row.notation ?? '', documentDate: row.document_date ?? '', signerName: row.signer_name, file: { sha256: file.sha256, name: fileName }, signedAttachments: attachments };
  return storeIssuingStep(ctx, id, [file, ...attachments.map((a) => pdfFile(a.parts, a.sha256))], issued, (now, queued) => {
    const current = issuingRow(ctx.db, id);
    if (current.file_sha256 !== base || current.state !== 'numbered') throw new AppError('DOCUMENT_CHANGED', `Document ${id} changed while it was being issued.`, { id });
    const state = queued ? 'queued' : 'issued';
    prepared(ctx.db, 'UPDATE documents SET file_sha256 = ?, state = ?, sealed_at = ?, queued_at = ?, updated_at = ? WHERE id = ?').run(file.sha256, state, now, now, now, id);
    recordSealAndQueue(ctx, id, seal, attachments, now, file.sha256, queued);
    return { number: current.number!, notation: current.notation!, documentDate: current.document_date!, state };
  });
}

export type AfterIssueAction = 'recall' | 'update' | 'replace';

const STATE_AFTER: Record<AfterIssueAction, string> = { recall: 'recalled', update: 'updated', replace: 'replaced' };
/** Audit kinds apart from "updated", which is a metadata edit. */
const AUDIT_KIND_AFTER: Record<AfterIssueAction, string> = { recall: 'recalled', update: 'update-issued', replace: 'replaced' };

/**
 * Thu hồi, cập nhật, thay thế: an issued document takes a new state with its reason, and the
 * outbox gets the notice the axis must carry (with the package, in the same commit). Replacing
 * names the new document (itself issued).
 */
export async function afterIssue(ctx: IssuingContext, id: number, action: AfterIssueAction, reason: string, replacementId?: number): Promise<void> {
  const why = reason.trim();
  if (!why) throw new AppError('INVALID_INPUT', 'Say why: the recipients see the reason.', { field: 'reason' });
  const allowed = ['queued', 'sent', 'issued', 'updated'];
  const newState = STATE_AFTER[action];
  const check = () => {
    const row = issuingRow(ctx.db, id);
    requireOutgoing(row, allowed, newState);
    if (action !== 'replace') return undefined;
    if (!replacementId || replacementId === id) throw new AppError('INVALID_INPUT', 'Name the document that replaces this one.', { field: 'replacementId' });
    const replacement = issuingRow(ctx.db, replacementId);
    requireOutgoing(replacement, ['queued', 'sent', 'issued'], 'the replacement (issue it first)');
    return replacement;
  };
  const replacement = check();
  let queued: QueuedPackage = null;
  await storeFilesThenCommitWith(
    ctx,
    [],
    async () => {
      const facts = outgoingFacts(ctx.db, id);
      if (facts.recipientCodes.length === 0) return [];
      const replacementExchangeId = replacement?.exchange_id ?? undefined;
      queued = await writeOutgoingPackage(ctx.db, ctx.blobs, { facts, action, reason: why, actor: ctx.actor, at: ctx.now?.() ?? new Date(), replacementExchangeId });
      return [queued.file];
    },
    (now) => {
      // Checked again inside the transaction: another window may have acted meanwhile.
      const current = check();
      prepared(ctx.db, 'UPDATE documents SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?').run(newState, why, now, id);
      if (current) prepared(ctx.db, 'UPDATE documents SET replaces_id = ? WHERE id = ?').run(id, current.id);
      appendAudit(ctx.db, { actor: ctx.actor, kind: AUDIT_KIND_AFTER[action], documentId: id, at: now, details: { reason: why, ...(current ? { replacementId: current.id, replacementNotation: current.notation } : {}) } });
      if (queued) queuePackage(ctx, id, action, why, queued, now);
    },
  );
}

/** A document's current PDF, copied out whole (temporary file, then rename). */
export function exportCurrentPdf(ctx: FileStoreContext, id: number, outputPath: string): void {
  const row = issuingRow(ctx.db, id);
  if (!row.file_sha256) throw new AppError('NO_FILE', `Document ${id} has no file.`, { id });
  const tmp = `${outputPath}.${process.pid}.part`;
  try {
    fs.copyFileSync(ctx.blobs.pathFor(row.file_sha256), tmp);
    fs.renameSync(tmp, outputPath);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/** The draft's details as they stand, to tell a change from a value given again. */
function currentDraftDetails(db: Database, row: IssuingRow): DraftDetails {
  const facts = outgoingFacts(db, row.id);
  return {
    typeCode: row.type_code,
    subject: row.subject,
    signerName: row.signer_name,
    signerPosition: row.signer_position,
    signerCompetence: row.signer_competence,
    recipients: facts.recipients,
    recipientCodes: facts.recipientCodes,
    priority: row.priority,
    dueDate: row.due_date,
    draftingUnit: row.drafting_unit,
    copies: row.copies,
    confidential: row.confidential === 1,
    archiveHolder: row.archive_holder,
    notes: row.notes,
  };
}

/**
 * Changes the draft's details; after numbering, only the register columns the clerk keeps by hand,
 * and nothing once recalled (recordLock.ts: refused with RECORD_LOCKED, and the refusal audited).
 */
export function updateDraftDetails(ctx: IssuingContext, id: number, details: Partial<DraftDetails>): void {
  auditRefusals(ctx.db, ctx.actor, () => writeDraftDetails(ctx, id, details));
}

function writeDraftDetails(ctx: IssuingContext, id: number, details: Partial<DraftDetails>): void {
  ctx.db
    .transaction(() => {
      const row = issuingRow(ctx.db, id);
      requireOutgoing(row, ['draft', 'signed', 'numbered', 'queued', 'sent', 'recalled', 'updated', 'replaced'], 'edited');
      const current = currentDraftDetails(ctx.db, row);
      const keys = (Object.keys(details) as (keyof DraftDetails)[]).filter((k) => details[k] !== undefined);
      assertRecordOpen(row, keys.filter((k) => JSON.stringify(details[k]) !== JSON.stringify(current[k])));
      const { typeCode, subject, signerName, signerPosition, signerCompetence, priority, dueDate, recipients } = details;
      updateDocument(ctx.db, id, { typeCode, subject, signerName, signerPosition, signerCompetence, priority, dueDate, recipients }, ctx.actor);
      const extras: Record<string, unknown> = {};
      const column: Partial<Record<keyof DraftDetails, string>> = { draftingUnit: 'drafting_unit', copies: 'copies', archiveHolder: 'archive_holder', notes: 'notes', confidential: 'confidential' };
      for (const [key, name] of Object.entries(column) as [keyof DraftDetails, string][]) {
        if (details[key] === undefined) continue;
        const value = key === 'confidential' ? (details.confidential ? 1 : 0) : details[key];
        prepared(ctx.db, `UPDATE documents SET ${name} = ? WHERE id = ?`).run(value, id);
        extras[key] = details[key];
      }
      if (details.recipientCodes) {
        writeRecipientCodes(ctx.db, id, details.recipientCodes);
        extras.recipientCodes = details.recipientCodes;
      }
      if (Object.keys(extras).length) {
        appendAudit(ctx.db, { actor: ctx.actor, kind: 'draft-details', documentId: id, details: extras });
        indexDocument(ctx.db, id); // the notes and the recipients' codes are searchable
      }
    })
    .immediate();
}
