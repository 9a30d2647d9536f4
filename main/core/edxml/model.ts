// The parts of an edXML package (QCVN 102:2016) that eOffice writes and reads. Dates stay in the
// text form the standard uses (yyyy/MM/dd, yyyy/MM/dd HH:mm:ss): real packages carry impossible
// dates such as 2014/02/30, and a received value is kept as sent rather than rejected.

export const EDXML_NAMESPACE = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

export interface Organization {
  organId: string;
  organName: string;
  organizationInCharge?: string;
  organAdd?: string;
  email?: string;
  telephone?: string;
  fax?: string;
  website?: string;
}

export interface StaffInfo {
  department?: string;
  staff?: string;
  email?: string;
  mobile?: string;
}

/** What a package refers to: the document a status, recall or update is about. */
export interface ResponseFor {
  organId: string;
  /** "{Number}/{Notation}" as printed. */
  code: string;
  promulgationDate?: string;
  documentId: string;
}

/** BussinessDocType: 0 new, 1 recall (thu hồi), 2 update (cập nhật), 3 replace (thay thế). */
export type BusinessDocType = 0 | 1 | 2 | 3;

export interface ReplacementInfo {
  documentId: string;
  organIds: string[];
}

export interface ReceiverChange {
  organId: string;
  /** 0 removed, 1 added. */
  receiverType: 0 | 1;
}

export interface Business {
  docType: BusinessDocType;
  reason: string;
  /** The DocumentId the recall, update or replacement is about. */
  documentId?: string;
  paper?: boolean;
  staff?: StaffInfo;
  replacements?: ReplacementInfo[];
  receiverChanges?: ReceiverChange[];
}

export interface TraceHeader {
  organId: string;
  timestamp: string;
}

export interface EdocHeader {
  from: Organization;
  to: Organization[];
  /** `{OrganId},{yyyy/MM/dd},{Number}/{Notation}`: the same on every retry of the same document. */
  documentId: string;
  code: { number: string; notation: string };
  promulgation: { place: string; date: string };
  documentType: { type: string; typeDetail?: string; typeName: string };
  subject: string;
  content?: string;
  signer: { competence?: string; position?: string; fullName: string };
  dueDate?: string;
  toPlaces: string[];
  other: {
    priority?: string;
    sphereOfPromulgation?: string;
    typerNotation?: string;
    promulgationAmount?: number;
    pageAmount?: number;
    appendixes: string[];
  };
  steeringType?: string;
  responseFor: ResponseFor[];
  trace: TraceHeader[];
  business: Business;
}

/** An attachment to write: its bytes are read from `path` and base64-encoded as they stream out. */
export interface AttachmentToWrite {
  contentId: string;
  name: string;
  description?: string;
  contentType: string;
  path: string;
}

export { STATUS_CODES, type StatusCode } from '../../common/exchangeCodes.js';
import type { StatusCode } from '../../common/exchangeCodes.js';

export interface StatusMessage {
  from: Organization;
  responseFor: ResponseFor;
  statusCode: StatusCode;
  description: string;
  timestamp: string;
  staff?: StaffInfo;
}

/** An attachment as received: decoded (and unzipped when it came zip-wrapped) into a file of its own. */
export interface ReceivedAttachment {
  contentId: string;
  /** Safe to use as a file name: checked, never a path. */
  name: string;
  description: string;
  /** The content type of the file itself (after unwrapping a zip). */
  contentType: string;
  /** True when the sender zipped the file before base64. */
  wasZipped: boolean;
  path: string;
  size: number;
  sha256: string;
}

export type ParsedPackage =
  | { kind: 'edoc'; header: EdocHeader; attachments: ReceivedAttachment[] }
  | { kind: 'status'; status: StatusMessage };

/** Bounds a received package must stay within; anything beyond is refused, not truncated. */
export interface ParseLimits {
  maxPackageBytes: number;
  maxAttachmentBytes: number;
  maxAttachments: number;
  maxDepth: number;
  maxElements: number;
  /** Any one text value other than an attachment's content. */
  maxTextChars: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxPackageBytes: 512 * 1024 * 1024,
  maxAttachmentBytes: 300 * 1024 * 1024,
  maxAttachments: 100,
  maxDepth: 32,
  maxElements: 20_000,
  maxTextChars: 64 * 1024,
};

/** Why a received package was refused; the reason code is stable, the message is for the clerk's log. */
export { REFUSAL_REASONS, type RefusalReason } from '../../common/exchangeCodes.js';
