// The "Soạn văn bản đi" form as data: what the clerk types, how it becomes the contract's
// DraftDetails, and which fields are wrong. Validation is the contract's own schema, so the form
// refuses exactly what the host would refuse; only the sentences are the UI's.
import { DraftDetails } from '../../../main/common/contract.js';
import type { MessageKey } from '../i18n/i18n.js';
import type { DocumentTypeCode, Priority } from '../documents/filters.js';

/** Thẩm quyền ký (Decree 30): thay mặt, ký thay, thừa lệnh, thừa ủy quyền, quyền; '' signs in their own name. */
export const COMPETENCES = ['', 'TM.', 'KT.', 'TL.', 'TUQ.', 'Q.'] as const;
export type Competence = (typeof COMPETENCES)[number];

export interface DraftForm {
  typeCode: DocumentTypeCode;
  subject: string;
  signerCompetence: Competence;
  signerPosition: string;
  signerName: string;
  /** Nơi nhận as printed, one per line. */
  recipients: string;
  /** Recipients on the document axis, by agency identifier code. */
  recipientCodes: string[];
  priority: Priority;
  dueDate: string | null;
  draftingUnit: string;
  /** As typed: a count, or empty. */
  copies: string;
  confidential: boolean;
  archiveHolder: string;
  notes: string;
}

export type DraftField = keyof DraftForm | 'file';
export type DraftErrors = Partial<Record<DraftField, MessageKey>>;

export function emptyDraft(): DraftForm {
  return {
    typeCode: 'CV',
    subject: '',
    signerCompetence: '',
    signerPosition: '',
    signerName: '',
    recipients: '',
    recipientCodes: [],
    priority: 'normal',
    dueDate: null,
    draftingUnit: '',
    copies: '',
    confidential: false,
    archiveHolder: '',
    notes: '',
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** What outgoing.create receives; an unparsable count becomes NaN so that validation names it. */
export function detailsOf(form: DraftForm): DraftDetails {
  const copies = form.copies.trim();
  return {
    typeCode: form.typeCode,
    subject: form.subject.trim(),
    signerName: form.signerName.trim(),
    signerPosition: form.signerPosition.trim(),
    signerCompetence: form.signerCompetence,
    recipients: lines(form.recipients),
    recipientCodes: form.recipientCodes,
    priority: form.priority,
    dueDate: form.dueDate,
    draftingUnit: form.draftingUnit.trim(),
    copies: copies === '' ? null : /^\d+$/.test(copies) ? Number(copies) : Number.NaN,
    confidential: form.confidential,
    archiveHolder: form.archiveHolder.trim(),
    notes: form.notes.trim(),
  };
}

/** One sentence per field, whatever the schema's own complaint was: each field has one rule to explain. */
const FIELD_MESSAGES: Partial<Record<keyof DraftDetails, MessageKey>> = {
  typeCode: 'draft.error.typeCode',
  subject: 'draft.error.subject',
  signerName: 'draft.error.signerName',
  signerPosition: 'draft.error.tooLong',
  signerCompetence: 'draft.error.tooLong',
  recipients: 'draft.error.recipients',
  recipientCodes: 'draft.error.recipientCodes',
  dueDate: 'draft.error.dueDate',
  draftingUnit: 'draft.error.draftingUnit',
  copies: 'draft.error.copies',
  archiveHolder: 'draft.error.tooLong',
  notes: 'draft.error.tooLong',
};

export function validateDraft(form: DraftForm, file: File | null): DraftErrors {
  const errors: DraftErrors = {};
  if (!file) errors.file = 'draft.error.file';
  const parsed = DraftDetails.safeParse(detailsOf(form));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof DraftDetails | undefined;
      if (field && !errors[field]) errors[field] = FIELD_MESSAGES[field] ?? 'draft.error.invalid';
    }
  }
  return errors;
}

const AgencyCodeList = DraftDetails.pick({ recipientCodes: true });

/** An agency identifier code as the contract accepts it (000.00.32.H10, H37.DN.001 …): checked loosely. */
export function isAgencyCode(code: string): boolean {
  return AgencyCodeList.safeParse({ recipientCodes: [code] }).success;
}
