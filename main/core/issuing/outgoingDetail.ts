// What the issuing stepper shows: each step's actor, time and certificate (from the audit trail),
// the places, and whether "Cấp số" may run now — and if not, why, for its tooltip.
import fs from 'node:fs';
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { BlobStore } from '../storage/blobStore.js';
import type { OutgoingDetail } from '../../common/contract.js';
import { AppError, type ApiErrorShape } from '../../common/errors.js';
import { fileSource } from '../pdf/source.js';
import { verifyPdfSignatures } from '../pades/verify.js';
import { getDocument, getDocumentRow } from '../registry/documents.js';
import { certificateSpelling, competentSignature, notationMismatch, numberPlaces, previewNumber, recipientCodes } from './outgoing.js';

type Step = OutgoingDetail['steps'][number];

const STEP_EVENTS: [Step['step'], string][] = [
  ['draft', 'created'],
  ['signed', 'signed'],
  ['numbered', 'numbered'],
  ['sealed', 'agency-signed'],
  ['queued', 'queued'],
  ['sent', 'sent'],
];

type Numbering = OutgoingDetail['numbering'];

function numberingCheck(db: Database, blobs: BlobStore, id: number, separateConfidentialSeries: boolean, numberedWith: string | null): Numbering {
  const refused = (reason: ApiErrorShape, competentSigner: string | null = null): Numbering => ({ allowed: false, reason, next: null, competentSigner, certificateName: null });
  const row = getDocumentRow(db, id);
  if (row.state === 'draft') return refused(new AppError('NOT_SIGNED', `Không cấp số trước khi ký: document ${id} has not been signed.`, { id }).toShape());
  if (row.state !== 'signed') {
    // Numbered already: the certificate numbering checked is in its audit entry (issuing checks the file again).
    return refused(new AppError('WRONG_STATE', `Document ${id} is ${row.state}.`, { id, state: row.state }).toShape(), numberedWith);
  }
  try {
    const fd = fs.openSync(blobs.pathFor(row.file_sha256!), 'r');
    let signature;
    try {
      signature = competentSignature(verifyPdfSignatures(fileSource(fd), row.file_name ?? undefined), row.signer_name, id);
    } finally {
      fs.closeSync(fd);
    }
    return {
      allowed: true,
      reason: null,
      next: previewNumber(db, id, separateConfidentialSeries),
      competentSigner: signature.signer?.fingerprint256 ?? null,
      certificateName: certificateSpelling(row.signer_name, signature.signer?.commonName),
    };
  } catch (error) {
    if (error instanceof AppError) return refused(error.toShape());
    throw error;
  }
}

export function outgoingDetail(db: Database, blobs: BlobStore, id: number, separateConfidentialSeries: boolean): OutgoingDetail {
  const document = getDocument(db, id);
  const row = prepared(db, 'SELECT drafting_unit, copies, confidential, archive_holder, notes, state_reason, replaces_id FROM documents WHERE id = ?').get(id) as {
    drafting_unit: string;
    copies: number | null;
    confidential: number;
    archive_holder: string;
    notes: string;
    state_reason: string | null;
    replaces_id: number | null;
  };
  const steps: Step[] = STEP_EVENTS.map(([step, kind]) => {
    // The latest event of its kind: a document signed twice shows the signature numbering relied on.
    const event = [...document.events].reverse().find((e) => e.kind === kind && (kind !== 'signed' || e.details.role !== 'agency'));
    const details = event?.details ?? {};
    const certificate = typeof details.certificateSubject === 'string' ? details.certificateSubject : null;
    const detail = step === 'numbered' && typeof details.notation === 'string' ? details.notation : null;
    return { step, done: event !== undefined, at: event?.at ?? null, actor: event?.actor ?? null, certificate, detail };
  });
  const attachments = (prepared(db, 'SELECT id, file_name, signed_sha256 FROM attachments WHERE document_id = ? ORDER BY id').all(id) as { id: number; file_name: string; signed_sha256: string | null }[]).map(
    (a) => ({ id: a.id, fileName: a.file_name, signed: a.signed_sha256 !== null }),
  );
  const places = numberPlaces(db, id);
  const numbered = [...document.events].reverse().find((e) => e.kind === 'numbered')?.details.signerCertificate;
  const numberedWith = typeof numbered === 'string' ? numbered : null;
  return {
    document,
    draft: {
      draftingUnit: row.drafting_unit,
      copies: row.copies,
      confidential: row.confidential === 1,
      archiveHolder: row.archive_holder,
      notes: row.notes,
      recipientCodes: recipientCodes(db, id),
    },
    places,
    steps,
    numbering: document.direction === 'out' ? numberingCheck(db, blobs, id, separateConfidentialSeries, numberedWith) : { allowed: false, reason: null, next: null, competentSigner: null, certificateName: null },
    // Only while the number is still to come: once numbered, the register's notation is the one.
    notationMismatch: document.direction === 'out' && document.number === null ? notationMismatch(db, id) : null,
    attachments,
    stateReason: row.state_reason,
    replacesId: row.replaces_id,
  };
}
