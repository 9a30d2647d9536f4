// The edXML package of an outgoing document, made from the register's own record: who sends it
// (the local agency), to whom (the recipients' identifier codes), what it is (number, notation,
// date, type, subject, signer), and the signed PDF with its attachments. It is written once, when
// the document is queued, and the same bytes go out on every retry.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { BlobStore } from '../storage/blobStore.js';
import type { NewFile } from '../registry/fileJournal.js';
import { localAgency } from '../registry/agency.js';
import { AppError } from '../../common/errors.js';
import { documentType } from '../../common/doctypes.js';
import type { AttachmentToWrite, Business, BusinessDocType, EdocHeader, Organization, StatusCode, StatusMessage } from '../edxml/model.js';
import { statusMessageXml, writeEdocPackage } from '../edxml/write.js';
import { exchangeIdOf, splitNotation } from '../../common/identifierCode.js';
import { sha256Hex } from '../storage/blobStore.js';
import { edxmlDate, edxmlTimestamp } from './edxmlDates.js';

export const EDXML_MEDIA_TYPE = 'application/edxml+xml';

/** Mức độ khẩn as the axis codes it (QCVN 102 leaves the list to practice; this one is common). */
const PRIORITY_CODES: Record<string, string> = { normal: '0', urgent: '1', very_urgent: '2', flash: '3', flash_timed: '4' };

export const BUSINESS_TYPE: Record<'send' | 'recall' | 'update' | 'replace', BusinessDocType> = { send: 0, recall: 1, update: 2, replace: 3 };

/** What a package says about the document; read from the register, or given before the commit that writes it. */
export interface OutgoingFacts {
  id: number;
  number: string;
  /** The whole notation as printed, "07/QĐ-UBND". */
  notation: string;
  documentDate: string;
  typeCode: string;
  subject: string;
  signerName: string;
  signerPosition: string;
  signerCompetence: string;
  priority: string;
  dueDate: string | null;
  copies: number | null;
  pageCount: number | null;
  recipients: string[];
  recipientCodes: string[];
  place: string;
  file: { sha256: string; name: string };
  attachments: { id: number; sha256: string; name: string }[];
}

interface FactsRow {
  id: number;
  number: number | null;
  notation: string | null;
  document_date: string | null;
  type_code: string;
  subject: string;
  signer_name: string;
  signer_position: string;
  signer_competence: string;
  priority: string;
  due_date: string | null;
  copies: number | null;
  page_count: number | null;
  file_sha256: string | null;
  file_name: string | null;
}

/** The document as the register has it now. */
export function outgoingFacts(db: Database, id: number): OutgoingFacts {
  const row = prepared(
    db,
    `SELECT id, number, notation, document_date, type_code, subject, signer_name, signer_position, signer_competence, priority, due_date,
            copies, page_count, file_sha256, file_name FROM documents WHERE id = ?`,
  ).get(id) as FactsRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Document ${id} does not exist.`, { id });
  const recipients = (prepared(db, 'SELECT name FROM document_recipients WHERE document_id = ? ORDER BY position').all(id) as { name: string }[]).map((r) => r.name);
  const recipientCodes = (prepared(db, 'SELECT code FROM document_recipient_agencies WHERE document_id = ? ORDER BY position').all(id) as { code: string }[]).map((r) => r.code);
  const place = (prepared(db, "SELECT prefix FROM number_places WHERE document_id = ? AND kind = 'date'").get(id) as { prefix: string } | undefined)?.prefix ?? '';
  const attachments = prepared(db, 'SELECT id, COALESCE(signed_sha256, file_sha256) AS sha256, file_name AS name FROM attachments WHERE document_id = ? ORDER BY id').all(id) as {
    id: number;
    sha256: string;
    name: string;
  }[];
  return {
    id,
    number: row.number === null ? '' : String(row.number),
    notation: row.notation ?? '',
    documentDate: row.document_date ?? '',
    typeCode: row.type_code,
    subject: row.subject,
    signerName: row.signer_name,
    signerPosition: row.signer_position,
    signerCompetence: row.signer_competence,
    priority: row.priority,
    dueDate: row.due_date,
    copies: row.copies,
    pageCount: row.page_count,
    recipients,
    recipientCodes,
    place: place.replace(/[,\s]+$/u, ''),
    file: { sha256: row.file_sha256 ?? '', name: row.file_name ?? `${id}.pdf` },
    attachments,
  };
}


export function localOrganization(db: Database): Organization {
  const agency = localAgency(db);
  if (!agency.code) throw new AppError('AGENCY_NOT_CONFIGURED', "The agency's identifier code is not set: the axis needs it to send anything.");
  return { organId: agency.code, organName: agency.name || agency.code, organizationInCharge: agency.name || agency.code };
}

function organization(db: Database, code: string): Organization {
  const known = prepared(db, 'SELECT name FROM agencies WHERE code = ?').get(code) as { name: string } | undefined;
  return { organId: code, organName: known?.name || code };
}


export interface PackageRequest {
  facts: OutgoingFacts;
  action: 'send' | 'recall' | 'update' | 'replace';
  reason: string;
  actor: string;
  at: Date;
  /** For a replacement notice: the DocumentId of the document that replaces this one. */
  replacementExchangeId?: string;
  /** Where a file is read from, when the step that stores it has not moved it into place yet. */
  pathOf?: (sha256: string) => string;
}

/**
 * Writes the package into the store's temporary folder and returns it as a file to store. A
 * recall or a replacement notice carries no file: the recipients already have it.
 */
export async function writeOutgoingPackage(db: Database, blobs: BlobStore, request: PackageRequest): Promise<{ file: NewFile; exchangeId: string; recipients: string[] }> {
  const { facts } = request;
  const from = localOrganization(db);
  const exchangeId = exchangeIdOf(from.organId, facts);
  const code = splitNotation(facts.notation, facts.number);
  const type = documentType(facts.typeCode);
  const business: Business = { docType: BUSINESS_TYPE[request.action], reason: request.reason, paper: false, staff: { staff: request.actor } };
  if (request.action !== 'send') business.documentId = exchangeId;
  if (request.replacementExchangeId) business.replacements = [{ documentId: request.replacementExchangeId, organIds: facts.recipientCodes }];
  const header: EdocHeader = {
    from,
    to: facts.recipientCodes.map((c) => organization(db, c)),
    documentId: exchangeId,
    code,
    promulgation: { place: facts.place, date: edxmlDate(facts.documentDate) },
    documentType: { type: facts.typeCode, typeName: type?.vi ?? facts.typeCode },
    subject: facts.subject,
    signer: { competence: facts.signerCompetence || undefined, position: facts.signerPosition || undefined, fullName: facts.signerName },
    dueDate: facts.dueDate ? edxmlDate(facts.dueDate) : undefined,
    toPlaces: facts.recipients,
    other: {
      priority: PRIORITY_CODES[facts.priority] ?? '0',
      promulgationAmount: facts.copies ?? undefined,
      pageAmount: facts.pageCount ?? undefined,
      appendixes: [],
    },
    responseFor: [],
    trace: [{ organId: from.organId, timestamp: edxmlTimestamp(request.at) }],
    business,
  };
  const carriesFiles = request.action === 'send' || request.action === 'update';
  const files = carriesFiles ? [facts.file, ...facts.attachments] : [];
  const attachments: AttachmentToWrite[] = files.map((f, i) => ({
    contentId: `cid:${i + 1}`,
    name: f.name,
    description: i === 0 ? facts.subject.slice(0, 200) : f.name,
    contentType: 'application/pdf',
    path: request.pathOf?.(f.sha256) ?? blobs.pathFor(f.sha256),
  }));
  const staged = blobs.stagingPath('edxml');
  const written = await writeEdocPackage(header, attachments, staged);
  return { file: { parts: [{ staged }], sha256: written.sha256, mediaType: EDXML_MEDIA_TYPE }, exchangeId, recipients: facts.recipientCodes };
}

export interface StatusRequest {
  /** The DocumentId the status is about, and who sent that document. */
  responseFor: { organId: string; code: string; promulgationDate?: string; documentId: string };
  statusCode: StatusCode;
  description: string;
  actor: string;
  at: Date;
}

/** A status message is small: made in memory and stored like any file. */
export function statusPackage(db: Database, request: StatusRequest): NewFile {
  const status: StatusMessage = {
    from: localOrganization(db),
    responseFor: request.responseFor,
    statusCode: request.statusCode,
    description: request.description,
    timestamp: edxmlTimestamp(request.at),
    staff: { staff: request.actor },
  };
  const bytes = statusMessageXml(status);
  return { parts: [bytes], sha256: sha256Hex(bytes), mediaType: EDXML_MEDIA_TYPE };
}
