// The one API contract. Both transports — Electron IPC (preload → ipcMain.handle) and the
// loopback web host — are generated from this table, and every input is parsed against it
// before any handler runs. Adding a method here is the only way to add one to the app.
import { z } from 'zod';
import { DOCUMENT_TYPE_CODES, OUTGOING_TYPE_CODES } from './doctypes.js';
import { CAPTURE_SOURCES, REGISTER_FIELDS } from './capture.js';
import { isCalendarDate } from './dates.js';
import type { EventName, MethodName } from './channels.js';
import { ERROR_CODES } from './errors.js';
import type { TrustedCertificate, ValidationReport } from './validation.js';
import { REPORT_LIST_KEYS, type ReportFigures, type ReportListItem } from './report.js';
import { SEARCH_COLUMN_KEYS } from './searchColumns.js';

export { METHOD_NAMES, EVENT_NAMES, IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL } from './channels.js';
export type { MethodName, EventName } from './channels.js';

export const Direction = z.enum(['in', 'out']); // văn bản đến / văn bản đi
// An outgoing document goes draft → signed → numbered → queued (sealed and queued in one step) → sent,
// and may then be recalled, updated or replaced. An incoming one is received → registered (tiếp
// nhận: it gets its số đến) or returned; then assigned to a handler → in_progress → done; at any
// point before it is returned, the sender's recall, once the clerk accepts it, makes it recalled.
export const DocumentState = z.enum([
  'draft',
  'received',
  'registered',
  'signed',
  'numbered',
  'sealed',
  'queued',
  'sent',
  'issued',
  'returned',
  'recalled',
  'updated',
  'replaced',
  'assigned',
  'in_progress',
  'done',
]);
export const Priority = z.enum(['normal', 'urgent', 'very_urgent', 'flash', 'flash_timed']); // thường, khẩn, thượng khẩn, hỏa tốc, hỏa tốc hẹn giờ
export const DocumentTypeCode = z.enum(DOCUMENT_TYPE_CODES);
export const Locale = z.enum(['vi', 'en']);

/** A calendar date as yyyy-MM-dd (a real date: 2014-02-30 is refused). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    return isCalendarDate(y, m, d);
  }, 'not a calendar date');

const Id = z.number().int().positive();
const Year = z.number().int().min(1945).max(2200);
const Bytes = z.instanceof(Uint8Array);

/** Where a field of an incoming document's record came from (main/common/capture.ts). */
export const CaptureSource = z.enum(CAPTURE_SOURCES);
const SourceOf = CaptureSource.nullable();
export const Capture = z.object({
  sources: z.object({ notation: SourceOf, documentDate: SourceOf, authorAgency: SourceOf, typeCode: SourceOf, subject: SourceOf, signerName: SourceOf }),
  signedBy: z.array(z.object({ name: z.string(), organization: z.string().nullable() })),
  confirmedAt: z.string().nullable(),
});
/** How an incoming document came: over the axis, as an electronic file outside it, or on paper (a scan). */
export const ReceivedVia = z.enum(['axis', 'electronic', 'paper']);

export const DocumentSummary = z.object({
  id: Id,
  direction: Direction,
  year: Year,
  typeCode: DocumentTypeCode,
  number: z.number().int().positive().nullable(),
  notation: z.string().nullable(),
  documentDate: IsoDate.nullable(),
  subject: z.string(),
  authorAgency: z.string(),
  signerName: z.string(),
  state: DocumentState,
  priority: Priority,
  registeredAt: z.string(), // ISO 8601 with +07:00
  fileName: z.string().nullable(),
  pageCount: z.number().int().nonnegative().nullable(),
  /** An incoming document's record as read off what arrived, field by field; null when not recorded (outgoing, older). */
  capture: Capture.nullable(),
  /**
   * Mã định danh văn bản (Decree 30 Appendix VI 1c), as the edXML's DocumentId writes it
   * ("000.00.01.H99,2026/12/07,01/QĐ-UBND"): ours from the number on, the sender's for what came
   * over the axis; null for a draft or a document received outside it.
   */
  identifierCode: z.string().nullable(),
});

export const AuditEvent = z.object({
  id: Id,
  at: z.string(),
  actor: z.string(),
  kind: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const DocumentDetail = DocumentSummary.extend({
  signerPosition: z.string(),
  signerCompetence: z.string(),
  dueDate: IsoDate.nullable(),
  recipients: z.array(z.string()),
  fileSha256: z.string().nullable(),
  fileSize: z.number().int().nonnegative().nullable(),
  /** An outgoing draft made for issuing: its leader certifies, and its number comes after the signature. */
  underIssuingRules: z.boolean(),
  /** An incoming document's place in the register and its handling (null for an outgoing one). */
  incoming: z
    .object({
      /** Số đến: the register's number, null until tiếp nhận; `number` above is the sender's. */
      incomingNumber: z.number().int().positive().nullable(),
      /** Vào sổ: when it was accepted into the register. */
      acceptedAt: z.string().nullable(),
      receivedVia: ReceivedVia,
      /** Hạn giải quyết, set when it is assigned (dueDate above is the deadline the sender wrote). */
      handlingDue: IsoDate.nullable(),
      /** "Name (unit)" of who handles it. */
      handler: z.string().nullable(),
      /** What was typed when assigning it, and when it was done. */
      assignNote: z.string(),
      doneNote: z.string(),
    })
    .nullable(),
  /**
   * What of the record is fixed (main/core/registry/recordLock.ts): from the number on (outgoing),
   * from tiếp nhận on (incoming), everything once recalled; null while the record is open.
   */
  lock: z.object({ reason: z.enum(['numbered', 'registered', 'returned', 'recalled']), fields: z.array(z.string()) }).nullable(),
  events: z.array(AuditEvent),
});

/** A file of the content-addressed store, by its SHA-256 (lower-case hex). */
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'not a SHA-256');

/**
 * One stored file of a document: a version of its main file, as a step of the audit trail stored
 * it (the draft, a signature, the numbered and the issued PDF; the file as received or imported),
 * or an attachment with the name it was sent or drafted with.
 */
export const DocumentFile = z.object({
  sha256: Sha256,
  kind: z.enum(['version', 'attachment']),
  step: z.enum(['draft', 'signed', 'numbered', 'issued', 'received', 'imported', 'attachment']),
  /** An attachment's place among the document's attachments, from 1 (what `--attachment N` names); null for a version. */
  index: z.number().int().positive().nullable(),
  /** What a saved copy is called: the document's file name (with the step for an earlier version), an attachment's name as sent. */
  fileName: z.string(),
  description: z.string(),
  size: z.number().int().nonnegative(),
  mediaType: z.string(),
  /** When the step stored it, +07:00; null for an attachment. */
  at: z.string().nullable(),
  /** Who signed at this step: the certificate's common name. */
  signer: z.string().nullable(),
  /** Signed at this step (a version), or signed by the agency when issued (an attachment). */
  signed: z.boolean(),
  /** The version that is the document's file now; false for an attachment. */
  current: z.boolean(),
});
export type DocumentFile = z.infer<typeof DocumentFile>;
export const DocumentFiles = z.object({ versions: z.array(DocumentFile), attachments: z.array(DocumentFile) });
export type DocumentFiles = z.infer<typeof DocumentFiles>;

export const DocumentFilters = z.object({
  direction: Direction.optional(),
  year: Year.optional(),
  typeCode: DocumentTypeCode.optional(),
  state: DocumentState.optional(),
  dateFrom: IsoDate.optional(),
  dateTo: IsoDate.optional(),
});

const Page = { offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(500).default(50) };

/** Sắp xếp kết quả (Appendix VI 6g): by relevance (a search's default), date, number or deadline. */
export const SearchSort = z.enum(['relevance', 'date', 'number', 'due']);
export const SortOrder = z.enum(['asc', 'desc']);
const Sorting = { sort: SearchSort.default('relevance'), order: SortOrder.default('desc') };
export const SearchColumn = z.enum(SEARCH_COLUMN_KEYS);

/** A row of the list or of a search: the summary and the fields a clerk may choose to show (searchColumns.ts). */
export const ListedDocument = DocumentSummary.extend({
  incomingNumber: z.number().int().nullable(),
  handlerName: z.string().nullable(),
  /** hạn giải quyết of an incoming document being handled, else the document's own deadline. */
  dueDate: z.string().nullable(),
  recipients: z.array(z.string()),
});
export const SearchHit = ListedDocument.extend({ snippet: z.string().nullable() });
export type ListedDocument = z.infer<typeof ListedDocument>;
export type SearchSort = z.infer<typeof SearchSort>;
export type SortOrder = z.infer<typeof SortOrder>;

/** A search as the clerk set it up: what is saved by name and what an export writes. */
export const SearchSpec = DocumentFilters.extend({
  query: z.string().max(500).default(''),
  ...Sorting,
  columns: z.array(SearchColumn).min(1).max(SEARCH_COLUMN_KEYS.length).optional(),
});
export type SearchSpec = z.infer<typeof SearchSpec>;
export const SavedSearch = z.object({ id: Id, name: z.string(), search: SearchSpec, savedAt: z.string() });
export type SavedSearch = z.infer<typeof SavedSearch>;
const SavedSearchName = z.string().trim().min(1).max(100);

export const AgencyInfo = z.object({
  code: z.string().max(32), // mã định danh, e.g. 000.00.32.H10: opaque, validated loosely
  name: z.string().max(300),
  abbreviation: z.string().max(30),
});

export const RegisterInfo = z.object({ id: Id, direction: Direction, year: Year, confidential: z.boolean(), name: z.string(), documentCount: z.number().int() });

/** A PKCS#11 library by its full path (a CA's middleware DLL, or a .so/.dylib). */
const ModulePath = z.string().min(1).max(1024);

const AxisPath = z.string().trim().regex(/^(?!.*\.\.)[A-Za-z0-9._~\-/]{1,200}$/, 'a URL path below the endpoint');

const ServiceUrl = z.url({ protocol: /^https?$/ }).max(500);
const ClientId = z.string().trim().min(1).max(200);
/** A file the administrator placed on this PC (a certificate, the gateway's CA): an absolute path. */
const LocalFile = z.string().min(1).max(1000);
export const MobileNumber = z.string().regex(/^84\d{9,10}$/, 'not a mobile number in the form 84912345678');
export const RemoteSignerSettings = z.object({
  /** VNPT SmartCA: its address, this app's client id, and the SmartCA accounts (the leaders' ids) whose certificates are offered. */
  smartca: z.object({ baseUrl: ServiceUrl, clientId: ClientId, accounts: z.array(z.string().trim().min(1).max(64)).max(20) }).nullable(),
  /** CSC API v2 services, each under a short name (csc:<name>/<credential>); userId narrows the credentials listed. */
  csc: z.array(z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/), baseUrl: ServiceUrl, clientId: ClientId, userId: z.string().trim().max(128) })).max(8),
  /**
   * A SIM PKI gateway (ETSI TS 102 204): its address, this agency's AP_ID and the MSSP's id, the
   * AP's client certificate and key (mutual TLS), the CA its certificate is checked against (the
   * system's when empty), and each leader's number with the certificate the operator issued.
   */
  mss: z
    .object({
      url: ServiceUrl,
      apId: ClientId,
      msspId: z.string().trim().max(200),
      clientCertificateFile: LocalFile,
      clientKeyFile: LocalFile,
      caFile: z.string().max(1000),
      identities: z.array(z.object({ msisdn: MobileNumber, certificateFile: LocalFile })).max(20),
    })
    .nullable(),
});
export type RemoteSignerSettings = z.infer<typeof RemoteSignerSettings>;

export const Settings = z.object({
  locale: Locale,
  maxImportMegabytes: z.number().int().min(1).max(500),
  /** Token libraries the user added by hand, beyond those eOffice finds in the usual places. */
  tokenModules: z.array(ModulePath).max(32),
  /** An RFC 3161 timestamp authority: signatures are PAdES B-T when it answers, B-B when offline. Empty: none. */
  tsaUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(500)]),
  /** Confidential outgoing documents take numbers from a series of their own (Decree 30). */
  separateConfidentialSeries: z.boolean(),
  /** The document axis (trục liên thông): its address and this agency's exchange id. The secret is kept apart, sealed. */
  axisEndpoint: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(500)]),
  axisSystemId: z.string().trim().max(128),
  /**
   * How requests to the axis are signed: as the national SDK 2.0.1 does, or in the form eOffice
   * sent before (epoch-millisecond timestamp, prefixed names), for a platform built on that.
   */
  axisSigning: z.enum(['sdk-2.0.1', 'legacy']),
  /**
   * For provincial platforms that differ from the national SDK: how the HMAC is written in hex (an
   * older SDK dropped each byte's leading zero) and where each call is mounted. The value "sdk" of
   * earlier versions (dropped zeros, then the default) no longer parses, so it reads as the default.
   */
  axisHexStyle: z.enum(['standard', 'dropped-zeros']),
  axisPaths: z.object({ sendEdoc: AxisPath, getReceivedEdocList: AxisPath, getEdoc: AxisPath, updateStatus: AxisPath, getAgenciesList: AxisPath }).partial().strict(),
  /** How often to look for new documents while online, in seconds. */
  syncIntervalSeconds: z.number().int().min(15).max(3600),
  /**
   * How long the PIN typed for a signing act (one document, one batch, one issue) may serve the
   * next ones, in seconds from when it was typed; 0, the default, asks for it at every act. Set by
   * the administrator (eoffice config), never through settings.update: whoever sits at the PC
   * must not lengthen it.
   */
  signingSessionSeconds: z.number().int().min(0).max(900),
  /** A token logged in and left without a signing act this many minutes is logged out. Also the administrator's. */
  signingIdleMinutes: z.number().int().min(1).max(60),
  /** The remote signing services the administrator set up (eoffice config set signer.*); their secrets are kept sealed apart. */
  remoteSigners: RemoteSignerSettings,
});
export type Settings = z.infer<typeof Settings>;
/** What settings.update may change; token modules go through tokens.addModule, which loads them first. */
export const SettingsPatch = Settings.pick({
  locale: true,
  maxImportMegabytes: true,
  tsaUrl: true,
  separateConfidentialSeries: true,
  syncIntervalSeconds: true,
  axisSigning: true,
  axisHexStyle: true,
  axisPaths: true,
})
  .partial()
  .strict();

export const ApiErrorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

// Token and certificate names as PKCS#11 gives them (CK_TOKEN_INFO: 32-byte label, 16-byte serial);
// room for UTF-8 and for modules that pad oddly.
const TokenLabel = z.string().min(1).max(64);
const TokenSerial = z.string().max(64);
/** SHA-256 of a certificate's DER, upper-case hex pairs joined by colons (certificate.ts). */
const Fingerprint256 = z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/, 'not a SHA-256 fingerprint');
/** A PIN travels only in the calls that need it; invoke() keeps it out of logs and error envelopes. */
const Pin = z.string().min(4).max(64);
const BatchId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'not a batch id');

export const TokenCertificateInfo = z.object({
  /** CKA_ID in hex: what documents.sign names as certificateId. */
  id: z.string(),
  subject: z.string(),
  subjectCommonName: z.string().nullable(),
  issuerCommonName: z.string().nullable(),
  serialNumber: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  canSign: z.boolean(),
  keyType: z.enum(['rsa', 'ec', 'other']),
  warning: z.enum(['ok', 'expiring', 'expired', 'not-yet-valid']),
  fingerprint256: z.string(),
});

export const TokenInfo = z.object({
  modulePath: z.string(),
  label: z.string(),
  serial: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  pin: z.object({ countLow: z.boolean(), finalTry: z.boolean(), locked: z.boolean() }),
  /** This eOffice holds a logged-in session on the token. */
  loggedIn: z.boolean(),
  certificates: z.array(TokenCertificateInfo),
  /** Why the certificates could not be read (the token is listed anyway), or null. */
  problem: ApiErrorShape.nullable(),
});

export const TokenOverview = z.object({
  modules: z.array(z.object({ path: z.string(), loaded: z.boolean(), error: ApiErrorShape.optional() })),
  tokens: z.array(TokenInfo),
});

const TokenSelector = { label: TokenLabel, serial: TokenSerial.optional() };

/** Who signs (common/signerChoice.ts): a token on this PC, or an identity a remote signing service holds. */
export const SignerChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), label: TokenLabel, serial: TokenSerial.optional(), certificateId: z.string().min(1).max(128).optional() }),
  z.object({ kind: z.literal('smartca'), account: z.string().min(1).max(64), credentialId: z.string().min(1).max(200).optional() }),
  z.object({ kind: z.literal('csc'), provider: z.string().min(1).max(32), credentialId: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('mss'), msisdn: MobileNumber }),
  /**
   * A token on the caller's own PC, for a document on the office host: the host prepares each
   * signature, the caller's token signs what signing.requests gives (the PIN stays on that PC) and
   * signing.respond brings the signatures back (issue 15).
   */
  z.object({ kind: z.literal('client'), certificate: Bytes, chain: z.array(Bytes).max(8).default([]) }),
]);
export type SignerChoice = z.infer<typeof SignerChoice>;

/** A signer offered in the picker: the certificate it signs with, and how its holder approves. */
export const SignerEntry = z.object({
  choice: SignerChoice,
  /** token:…, smartca:…: the command line's name for it. */
  name: z.string(),
  /** Where the key is: the token's label, or the service ("VNPT SmartCA", a CSC service's name, "SIM PKI"). */
  source: z.string(),
  approval: z.enum(['pin', 'pin-each', 'phone']),
  certificate: z.object({ subjectCommonName: z.string().nullable(), organization: z.string().nullable(), issuerCommonName: z.string().nullable(), serialNumber: z.string(), validTo: z.string(), fingerprint256: Fingerprint256, keyType: z.enum(['rsa', 'ec']) }),
});
export type SignerEntry = z.infer<typeof SignerEntry>;

/** Where a signature goes, in PDF points from the page's bottom-left corner: [x, y, width, height]. */
const PdfCoordinate = z.number().min(-14_400).max(14_400);
const PdfLength = z.number().positive().max(14_400);
const PdfRect = z.tuple([PdfCoordinate, PdfCoordinate, PdfLength, PdfLength]);
const PageNumber = z.number().int().min(1).max(100_000);

/** The three roles of Decree 30/2020 Appendix I, or no visible mark. */
export const SignatureAppearance = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('invisible') }),
  /** Người có thẩm quyền ký: the signature image of the certificate's holder. */
  z.object({ kind: z.literal('signer'), page: PageNumber, rect: PdfRect }),
  /** Cơ quan ký: the seal image, the agency's name and the time. */
  z.object({ kind: z.literal('agency'), page: PageNumber, rect: PdfRect }),
  /** Ký phụ lục: top right of page 1, with the main document's number and notation. */
  z.object({ kind: z.literal('attachment'), mainNotation: z.string().trim().min(1).max(100) }),
]);
export type SignatureAppearance = z.infer<typeof SignatureAppearance>;

export const SigningStatus = z.enum(['signed', 'failed', 'skipped']);
export const SigningResult = z.object({
  id: Id,
  status: SigningStatus,
  error: ApiErrorShape.optional(),
  /** For a signed document: B-T with a timestamp, B-B without (and then why, when a TSA was set). */
  level: z.enum(['B-B', 'B-T']).optional(),
  timestampProblem: z.string().optional(),
});

export const ImageKind = z.enum(['signature', 'seal']);
export const CertificateImages = z.object({ signature: Bytes.nullable(), seal: Bytes.nullable() });

export const DocumentPatch = z
  .object({
    typeCode: DocumentTypeCode,
    subject: z.string().trim().min(1).max(2000),
    notation: z.string().trim().max(100).nullable(),
    documentDate: IsoDate.nullable(),
    authorAgency: z.string().trim().max(300),
    signerName: z.string().trim().max(200),
    signerPosition: z.string().trim().max(200),
    signerCompetence: z.string().trim().max(20),
    priority: Priority,
    dueDate: IsoDate.nullable(),
    recipients: z.array(z.string().trim().min(1).max(300)).max(500),
  })
  .partial();

/** An agency identifier code (000.00.32.H10, H37.DN.001 …), kept opaque and checked loosely. */
const AgencyCode = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9.\-_]{0,31}$/, 'not an agency identifier code');

/** What the clerk fills in for an outgoing draft. */
const DraftFields = {
  typeCode: z.enum(OUTGOING_TYPE_CODES),
  subject: z.string().trim().min(1).max(2000),
  signerName: z.string().trim().min(1).max(200),
  signerPosition: z.string().trim().max(200),
  /** TM., KT., TL., TUQ., Q. or nothing. */
  signerCompetence: z.string().trim().max(20),
  recipients: z.array(z.string().trim().min(1).max(300)).max(500),
  recipientCodes: z.array(AgencyCode).max(500),
  priority: Priority,
  dueDate: IsoDate.nullable(),
  draftingUnit: z.string().trim().max(30).regex(/^[^/\s]*$/, 'a unit abbreviation has no spaces or slashes'),
  copies: z.number().int().min(0).max(100_000).nullable(),
  confidential: z.boolean(),
  archiveHolder: z.string().trim().max(300),
  notes: z.string().trim().max(2000),
};
export const DraftDetails = z.object({
  ...DraftFields,
  signerPosition: DraftFields.signerPosition.default(''),
  signerCompetence: DraftFields.signerCompetence.default(''),
  recipients: DraftFields.recipients.default([]),
  recipientCodes: DraftFields.recipientCodes.default([]),
  priority: DraftFields.priority.default('normal'),
  dueDate: DraftFields.dueDate.default(null),
  draftingUnit: DraftFields.draftingUnit.default(''),
  copies: DraftFields.copies.default(null),
  confidential: DraftFields.confidential.default(false),
  archiveHolder: DraftFields.archiveHolder.default(''),
  notes: DraftFields.notes.default(''),
});
/** A change to some of a draft's details: what is left out stays as it is. */
export const DraftPatch = z.object(DraftFields).partial().strict();
export type DraftDetails = z.infer<typeof DraftDetails>;

/** Where the number or the date is written: over the printed line (found) or on a spot the clerk marked. */
export const NumberPlace = z.object({
  page: PageNumber,
  rect: PdfRect,
  fontSize: z.number().min(5).max(30).default(13),
  italic: z.boolean().default(false),
  origin: z.enum(['found', 'marked']).default('marked'),
  /** What a found line prints besides its blanks: the locality before "ngày" (a date), the notation after the slash (a number). */
  prefix: z.string().max(100).default(''),
});
export type NumberPlace = z.infer<typeof NumberPlace>;
const NumberPlaces = z.object({ number: NumberPlace.nullable(), date: NumberPlace.nullable() });

export const IssuingStep = z.object({
  step: z.enum(['draft', 'signed', 'numbered', 'sealed', 'queued', 'sent']),
  done: z.boolean(),
  at: z.string().nullable(),
  actor: z.string().nullable(),
  /** The certificate that signed, for the signing steps. */
  certificate: z.string().nullable(),
  detail: z.string().nullable(),
});

export const OutgoingDetail = z.object({
  document: DocumentDetail,
  draft: DraftDetails.pick({ draftingUnit: true, copies: true, confidential: true, archiveHolder: true, notes: true, recipientCodes: true }),
  places: NumberPlaces,
  steps: z.array(IssuingStep),
  /** Whether "Cấp số" may run now, and if not, why (the tooltip). */
  numbering: z.object({
    allowed: z.boolean(),
    reason: ApiErrorShape.nullable(),
    /** What "Cấp số" would give now, for its confirmation (another window may number first); null when it may not run. */
    next: z.object({ number: z.number().int(), notation: z.string(), documentDate: IsoDate }).nullable(),
    /** The SHA-256 fingerprint of the competent person's certificate numbering rests on: the agency's signature takes another. */
    competentSigner: z.string().nullable(),
    /**
     * The competent person's name as the signing certificate writes it, when the declared name is
     * written otherwise (accents, case): numbering keeps this spelling, and the clerk may take it now.
     */
    certificateName: z.string().nullable(),
  }),
  /** The draft prints another notation than numbering will give (/QĐ-UBND against /QĐ-UBND-VP): said before anyone signs. */
  notationMismatch: z.object({ printed: z.string(), given: z.string() }).nullable(),
  attachments: z.array(z.object({ id: Id, fileName: z.string(), signed: z.boolean() })),
  stateReason: z.string().nullable(),
  replacesId: Id.nullable(),
});
export type OutgoingDetail = z.infer<typeof OutgoingDetail>;

// Document exchange over the axis.
export const ConnectionState = z.enum(['not-configured', 'unknown', 'online', 'offline', 'auth-failed']);
export const JobState = z.enum(['queued', 'sending', 'sent', 'failed']);
export const QueueItem = z.object({
  id: Id,
  documentId: Id.nullable(),
  notation: z.string().nullable(),
  subject: z.string().nullable(),
  action: z.enum(['send', 'recall', 'update', 'replace', 'status']),
  statusCode: z.string().nullable(),
  recipients: z.array(z.string()),
  state: JobState,
  attempts: z.number().int(),
  bytes: z.number().int(),
  queuedAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  /** Why the last try failed: a code the UI says in words; its English message is for the CLI and logs. */
  lastError: ApiErrorShape.nullable(),
  errorKind: z.enum(['transient', 'permanent', 'auth']).nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;
export const QueueSummary = z.object({
  waiting: z.number().int(),
  failed: z.number().int(),
  sentToday: z.number().int(),
  bytesWaiting: z.number().int(),
  oldestQueuedAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});
export const SyncProgress = z.object({ phase: z.enum(['sending', 'receiving']), done: z.number().int(), total: z.number().int() });
export const ExchangeStatus = z.object({
  connection: ConnectionState,
  syncing: z.boolean(),
  progress: SyncProgress.nullable(),
  lastSyncAt: z.string().nullable(),
  lastError: ApiErrorShape.nullable(),
  queue: QueueSummary,
});
export type ExchangeStatus = z.infer<typeof ExchangeStatus>;
export const SyncPassResult = z.object({
  sent: z.number().int(),
  retrying: z.number().int(),
  failed: z.number().int(),
  received: z.number().int(),
  statuses: z.number().int(),
  duplicates: z.number().int(),
  /** Received and stored, but each may duplicate a document already in the register: the clerk is warned on its pane. */
  possibleDuplicates: z.number().int(),
  refused: z.number().int(),
  connection: ConnectionState,
  error: ApiErrorShape.nullable(),
});
export type SyncPassResult = z.infer<typeof SyncPassResult>;
export const ReceivedItem = z.object({
  id: Id,
  axisDocId: z.string(),
  messageType: z.enum(['edoc', 'status']),
  sender: z.string(),
  senderName: z.string().nullable(),
  exchangeId: z.string().nullable(),
  businessType: z.number().int().nullable(),
  statusCode: z.string().nullable(),
  outcome: z.enum(['accepted', 'duplicate', 'refused']),
  refusalReason: z.string().nullable(),
  refusalDetail: z.string().nullable(),
  documentId: Id.nullable(),
  subject: z.string().nullable(),
  notation: z.string().nullable(),
  documentState: DocumentState.nullable(),
  bytes: z.number().int(),
  receivedAt: z.string(),
});
export type ReceivedItem = z.infer<typeof ReceivedItem>;
export const Delivery = z.object({
  recipientCode: z.string(),
  recipientName: z.string().nullable(),
  state: z.enum(['queued', 'sent', 'status']),
  statusCode: z.string().nullable(),
  description: z.string(),
  updatedAt: z.string(),
  history: z.array(z.object({ statusCode: z.string(), description: z.string(), sentAt: z.string(), receivedAt: z.string() })),
});
export type Delivery = z.infer<typeof Delivery>;
export const AxisSettings = z.object({ endpoint: z.string(), systemId: z.string(), secretSet: z.boolean() });
/** An agency of the axis's directory (kept in the registry, so it is there offline). */
export const DirectoryAgency = z.object({ code: z.string(), name: z.string() });

// The incoming register (sổ đăng ký văn bản đến) and the handling of what arrives.
export const HandlerKind = z.enum(['person', 'unit']);
/** Người hoặc đơn vị xử lý, from the agency's local directory. */
export const Handler = z.object({ id: Id, name: z.string(), unit: z.string(), kind: HandlerKind, active: z.boolean() });
export type Handler = z.infer<typeof Handler>;
const HandlerFields = {
  name: z.string().trim().min(1).max(200),
  unit: z.string().trim().max(200),
  kind: HandlerKind,
};

/**
 * The incoming list's filters: new = waiting for tiếp nhận and arrived today (Vietnam); to_accept =
 * every document waiting for tiếp nhận; registered = accepted, not yet assigned; overdue = assigned or
 * in progress past its hạn giải quyết; due_soon = assigned or in progress, due today or within two
 * days; recall_pending = the sender asked for it back and the clerk has not answered.
 */
export const IncomingFilter = z.enum(['all', 'new', 'to_accept', 'registered', 'assigned', 'in_progress', 'overdue', 'due_soon', 'done', 'returned', 'recalled', 'recall_pending']);
export type IncomingFilter = z.infer<typeof IncomingFilter>;

export const IncomingItem = z.object({
  id: Id,
  /** Số đến: given at tiếp nhận, from 01 in each year's register. */
  incomingNumber: z.number().int().positive().nullable(),
  registerYear: Year,
  confidential: z.boolean(),
  /** Ngày đến: when it arrived (over the axis) or was imported (paper), ISO 8601 +07:00. */
  arrivedAt: z.string(),
  source: ReceivedVia,
  senderCode: z.string().nullable(),
  typeCode: DocumentTypeCode,
  notation: z.string().nullable(),
  documentDate: IsoDate.nullable(),
  subject: z.string(),
  authorAgency: z.string(),
  priority: Priority,
  state: DocumentState,
  handler: Handler.nullable(),
  /** Hạn giải quyết. */
  handlingDue: IsoDate.nullable(),
  assignedAt: z.string().nullable(),
  handledAt: z.string().nullable(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  recallPending: z.boolean(),
  replacesId: Id.nullable(),
  /** The sender's mã định danh văn bản, for what came over the axis (DocumentSummary.identifierCode). */
  identifierCode: z.string().nullable(),
});
export type IncomingItem = z.infer<typeof IncomingItem>;

/**
 * An incoming document that another may duplicate (Appendix VI 1h): why (the same identifier code,
 * or the same number, notation and issuing agency), and whether the clerk linked the two. Named as
 * a clerk knows it — notation, trích yếu, số đến — the id is for the link only.
 */
export const DuplicateCandidate = z.object({
  id: Id,
  notation: z.string().nullable(),
  subject: z.string(),
  authorAgency: z.string(),
  documentDate: IsoDate.nullable(),
  incomingNumber: z.number().int().positive().nullable(),
  registeredAt: z.string(),
  state: DocumentState,
  /** Empty for a document the clerk linked whose record no longer matches. */
  reasons: z.array(z.enum(['identifier', 'notation'])),
  linked: z.boolean(),
});
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;

export const IncomingStatusEntry = z.object({
  /** received: the sender's own statuses about it (13); sent: what we answered, with where it stands. */
  direction: z.enum(['received', 'sent']),
  statusCode: z.string(),
  description: z.string(),
  at: z.string(),
  delivery: JobState.nullable(),
  lastError: ApiErrorShape.nullable(),
});

export const IncomingDetail = IncomingItem.extend({
  document: DocumentDetail,
  acceptedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** What the clerk typed when assigning it (the latest assignment), and when it was done. */
  assignNote: z.string(),
  doneNote: z.string(),
  /** Why it was returned or recalled. */
  stateReason: z.string().nullable(),
  /** The sender's latest recall (a recall package or a status 13) and the clerk's answer. */
  recall: z
    .object({
      via: z.enum(['recall', 'status-13']),
      requestedAt: z.string(),
      reason: z.string(),
      answer: z.enum(['accepted', 'refused']).nullable(),
      answeredAt: z.string().nullable(),
    })
    .nullable(),
  /** Later documents that update or replace this one. */
  replacedBy: z.array(Id),
  /** Recall, update and replacement notices from the sender, oldest first. */
  notices: z.array(z.object({ kind: z.enum(['recall', 'update', 'replace']), at: z.string(), reason: z.string() })),
  statusHistory: z.array(IncomingStatusEntry),
  /** Every package from the axis about it (a duplicate or refusal with its reason). */
  packages: z.array(
    z.object({
      axisDocId: z.string(),
      messageType: z.enum(['edoc', 'status']),
      businessType: z.number().int().nullable(),
      statusCode: z.string().nullable(),
      outcome: z.enum(['accepted', 'duplicate', 'refused']),
      refusalReason: z.string().nullable(),
      refusalDetail: z.string().nullable(),
      receivedAt: z.string(),
    }),
  ),
  /** What the clerk may do now (the buttons). */
  allowed: z.object({ accept: z.boolean(), return: z.boolean(), assign: z.boolean(), start: z.boolean(), done: z.boolean(), answerRecall: z.boolean() }),
  /** Documents already in the register that this one may duplicate, and those the clerk linked to it. */
  duplicates: z.array(DuplicateCandidate),
});
export type IncomingDetail = z.infer<typeof IncomingDetail>;

/** A handling due date as the clerk types it: yyyy-MM-dd here (the CLI reads dd/MM/yyyy). */
const HandlingDue = IsoDate;

/**
 * What the incoming register needs, as the clerk gives it at tiếp nhận (or when registering a
 * paper document): each replaces what was read off the file.
 */
const RegisterFieldsInput = z
  .object({
    notation: z.string().trim().min(1).max(100),
    documentDate: IsoDate,
    authorAgency: z.string().trim().min(1).max(300),
    typeCode: DocumentTypeCode,
    subject: z.string().trim().min(1).max(2000),
  })
  .partial();
export type RegisterFieldsInput = z.infer<typeof RegisterFieldsInput>;

/** The key a signing act uses, and the PIN for the act (see documents.sign). */
/**
 * Who signs, for the calls that sign: `signer`, or — the short form for a token, as before remote
 * signers — its label, serial and certificate. Either way the handler sees `signer` only.
 */
const SignerFields = {
  signer: SignerChoice.optional(),
  label: TokenLabel.optional(),
  serial: TokenSerial.optional(),
  certificateId: z.string().min(1).max(128).optional(),
  /**
   * The token's PIN for this signing act (the batch), unless a login is there to serve it: each
   * act asks for the PIN, but for the administrator's window. A key that wants the PIN at every
   * signature (CKA_ALWAYS_AUTHENTICATE) gets it too. A remote signer asks on the phone instead.
   */
  pin: Pin.optional(),
  /** The user was told one more wrong PIN locks the token, and tries anyway. */
  confirmFinalTry: z.boolean().optional(),
};

type SignerFieldValues = { signer?: z.infer<typeof SignerChoice>; label?: string; serial?: string; certificateId?: string };

function bySigner<T extends SignerFieldValues>({ signer, label, serial, certificateId, ...rest }: T): Omit<T, keyof SignerFieldValues> & { signer: z.infer<typeof SignerChoice> } {
  return { ...rest, signer: signer ?? { kind: 'token', label: label!, serial, certificateId: certificateId! } };
}

function withSigner<Shape extends z.ZodRawShape>(shape: Shape) {
  const object = z.object({ ...shape, ...SignerFields });
  type Values = z.output<typeof object> & SignerFieldValues;
  return object
    .refine((input) => (input as Values).signer !== undefined || ((input as Values).label !== undefined && (input as Values).certificateId !== undefined), {
      message: "say who signs: signer, or a token's label and certificateId",
      path: ['signer'],
    })
    .transform((input) => bySigner(input as Values));
}
const BookQuery = { year: Year, confidential: z.boolean().default(false) };
/** A register exported for a period: only its rows dated from–to (within the register's year). */
const BookPeriod = { from: IsoDate.optional(), to: IsoDate.optional() };
/** A report's period: calendar days in Vietnam, both ends included. */
const ReportPeriodInput = { from: IsoDate, to: IsoDate };

/** The office's roles (issue 15): văn thư, lãnh đạo, chuyên viên, quản trị (the accounts' administrator). */
export const Role = z.enum(['van-thu', 'lanh-dao', 'chuyen-vien', 'quan-tri']);
export type Role = z.infer<typeof Role>;
const Login = z.string().trim().min(2).max(64).regex(/^[\p{L}\p{N}._@-]+$/u, 'a login is letters, digits and . _ @ -');
/** A password as typed: checked for strength by the host (accounts/passwords.ts), never logged. */
const Password = z.string().min(1).max(256);
export const UserInfo = z.object({
  id: Id,
  login: z.string(),
  fullName: z.string(),
  position: z.string(),
  /** Phòng ban. */
  unit: z.string(),
  roles: z.array(Role),
  active: z.boolean(),
  hasPassword: z.boolean(),
  /** The certificate the person signs in with, bound by the administrator. */
  certificateFingerprint: z.string().nullable(),
  /** Locked after too many wrong passwords, until then; null when not locked. */
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type UserInfo = z.infer<typeof UserInfo>;
const UserFields = {
  fullName: z.string().trim().min(1).max(200),
  position: z.string().trim().max(200),
  unit: z.string().trim().max(200),
  roles: z.array(Role).min(1).max(4),
};
export const UserPatch = z.object({ ...UserFields, active: z.boolean() }).partial();
export type UserPatch = z.infer<typeof UserPatch>;

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const contract = {
  'app.info': method(
    z.object({}),
    z.object({ version: z.string(), dataDir: z.string(), schemaVersion: z.number().int(), shell: z.enum(['electron', 'web']), maxImportBytes: z.number().int() }),
  ),
  'agency.get': method(z.object({}), AgencyInfo),
  'agency.update': method(AgencyInfo, AgencyInfo),
  'settings.get': method(z.object({}), Settings),
  'settings.update': method(SettingsPatch, Settings),
  'registers.list': method(z.object({ year: Year.optional() }), z.array(RegisterInfo)),
  'documents.list': method(DocumentFilters.extend({ ...Page, ...Sorting }), z.object({ total: z.number().int(), items: z.array(ListedDocument) })),
  'documents.search': method(
    DocumentFilters.extend({ query: z.string().max(500), ...Page, ...Sorting }),
    // `capped`: the query matched more documents than are worth counting; `total` is then a floor.
    z.object({ total: z.number().int(), capped: z.boolean(), items: z.array(SearchHit) }),
  ),
  /** Tìm kiếm đã lưu (Appendix VI 6e), by name; saving under a name already used replaces that search. */
  'searches.list': method(z.object({}), z.array(SavedSearch)),
  'searches.save': method(z.object({ name: SavedSearchName, search: SearchSpec }), SavedSearch),
  'searches.remove': method(z.object({ name: SavedSearchName }), z.object({ removed: z.literal(true) })),
  /** Checks the audit trail's hash chain from its first entry: `firstBroken` is the first entry removed before or altered. */
  'audit.verify': method(
    z.object({}),
    z.object({ ok: z.boolean(), checked: z.number().int(), firstBroken: z.object({ id: z.number().int(), reason: z.enum(['missing-before', 'altered']) }).optional() }),
  ),
  'documents.get': method(z.object({ id: Id }), DocumentDetail),
  'documents.update': method(z.object({ id: Id, patch: DocumentPatch }), DocumentDetail),
  /** Every version of the document's file and its attachments, oldest version first. */
  'documents.files': method(z.object({ id: Id }), DocumentFiles),
  /** The bytes of the document's current file, or of the version or attachment `sha256` names (one of documents.files). */
  'documents.content': method(z.object({ id: Id, sha256: Sha256.optional() }), z.object({ fileName: z.string(), mediaType: z.string(), bytes: Bytes })),
  /**
   * "Mở thư mục": a copy of the file (as documents.content picks it) in the desktop shell's folder,
   * shown in the OS's file manager. SHELL_UNAVAILABLE where there is no desktop shell (the browser).
   */
  'documents.showInFolder': method(z.object({ id: Id, sha256: Sha256.optional() }), z.object({ path: z.string() })),
  'documents.import': method(
    z.object({ direction: Direction, fileName: z.string().min(1).max(255), bytes: Bytes }),
    /** `duplicates`: an incoming document's possible duplicates already in the register (a warning: it was imported). */
    z.object({ document: DocumentSummary, duplicates: z.array(DuplicateCandidate) }),
  ),
  'documents.sign': method(
    withSigner({
      ids: z.array(Id).min(1).max(200),
      appearance: SignatureAppearance,
      /** Chosen by the caller so that it can cancel, and tell its progress events, before the answer. */
      batchId: BatchId.optional(),
      /** A PNG for this act only, instead of the image stored for the certificate (eoffice out sign --image). */
      image: Bytes.optional(),
    }),
    z.object({ batchId: BatchId, results: z.array(SigningResult) }),
  ),
  'signing.cancel': method(z.object({ batchId: BatchId }), z.object({ cancelled: z.boolean() })),
  /** What the caller's own token must sign for their batch (a 'client' signer): each request's data, SHA-256 and sign. */
  'signing.requests': method(z.object({ batchId: BatchId }), z.object({ running: z.boolean(), requests: z.array(z.object({ requestId: z.string(), datas: z.array(Bytes) })) })),
  /** The caller's token's signatures for a request, in its order (RSA PKCS#1 v1.5, or ECDSA DER). */
  'signing.respond': method(z.object({ batchId: BatchId, requestId: z.string().min(1).max(64), signatures: z.array(Bytes).min(1).max(50) }), z.object({ accepted: z.boolean() })),
  /**
   * Everyone who can sign here: the certificates on the plugged-in tokens and the identities the
   * configured remote services hold. A service that cannot be asked (offline, refused) is listed
   * in `problems`, so the picker says so at once and still offers the tokens.
   */
  'signers.list': method(z.object({}), z.object({ signers: z.array(SignerEntry), problems: z.array(z.object({ source: z.string(), error: ApiErrorShape })) })),
  'tokens.list': method(z.object({}), TokenOverview),
  /**
   * Adds a token library. No path: a library is native code run in eOffice, so the page never
   * names one; the desktop shell asks with the OS's own dialogs (core/token/userModules.ts).
   */
  'tokens.addModule': method(z.object({}).strict(), Settings),
  'tokens.removeModule': method(z.object({ path: ModulePath }), Settings),
  'tokens.login': method(
    z.object({ ...TokenSelector, pin: Pin, confirmFinalTry: z.boolean().optional() }),
    z.object({ warning: z.enum(['PIN_COUNT_LOW']).nullable() }),
  ),
  'tokens.logout': method(z.object(TokenSelector), z.object({})),
  'tokens.images': method(z.object({ fingerprint256: Fingerprint256 }), CertificateImages),
  'tokens.setImage': method(z.object({ fingerprint256: Fingerprint256, kind: ImageKind, png: Bytes }), CertificateImages),
  'tokens.clearImage': method(z.object({ fingerprint256: Fingerprint256, kind: ImageKind }), CertificateImages),
  /** A new outgoing draft from a PDF (or a .docx/.odt/.doc/.rtf, converted when LibreOffice is installed). */
  'outgoing.create': method(
    z.object({
      fileName: z.string().min(1).max(255),
      bytes: Bytes,
      details: DraftDetails,
      attachments: z.array(z.object({ fileName: z.string().min(1).max(255), bytes: Bytes })).max(50).default([]),
    }),
    OutgoingDetail,
  ),
  'outgoing.get': method(z.object({ id: Id }), OutgoingDetail),
  'outgoing.updateDraft': method(z.object({ id: Id, details: DraftPatch }), OutgoingDetail),
  'outgoing.markPlaces': method(z.object({ id: Id, places: NumberPlaces }), OutgoingDetail),
  /** Places found in the draft's text, as suggestions (nothing is changed). */
  'outgoing.findPlaces': method(z.object({ id: Id }), NumberPlaces),
  /** Cấp số: refused before a valid signature of the declared signer. */
  'outgoing.number': method(z.object({ id: Id }), OutgoingDetail),
  /** Phát hành: number (if needed), fill, the agency's signature with the agency token, queue. */
  /** `sealImage`: a PNG for this act only, instead of the seal stored for the certificate (eoffice out issue --image). */
  'outgoing.issue': method(withSigner({ id: Id, batchId: BatchId.optional(), sealImage: Bytes.optional() }), OutgoingDetail),
  'outgoing.afterIssue': method(
    z.object({ id: Id, action: z.enum(['recall', 'update', 'replace']), reason: z.string().trim().min(1).max(2000), replacementId: Id.optional() }),
    OutgoingDetail,
  ),
  /** The outgoing register of a year as its ten columns, for the screen. */
  'outgoing.book': method(z.object(BookQuery), z.object({ columns: z.array(z.string()), rows: z.array(z.object({ id: Id, cells: z.array(z.string()) })) })),
  'outgoing.exportBook': method(z.object({ ...BookQuery, ...BookPeriod, format: z.enum(['pdf', 'xlsx', 'csv']) }), z.object({ fileName: z.string(), bytes: Bytes })),
  /** The connection, whether a pass is running, and the queue's counts. */
  'exchange.status': method(z.object({}), ExchangeStatus),
  /** What waits to be sent (and what was sent recently), newest first. */
  'exchange.queue': method(z.object({ includeSent: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(200) }), z.array(QueueItem)),
  /** A pass. "Gửi ngay" makes every waiting job due first; `onlyDue` keeps the retry schedule (scheduled tasks). */
  'exchange.syncNow': method(z.object({ onlyDue: z.boolean().default(false) }), SyncPassResult),
  /** "Thử lại": a stopped job goes back in the queue, and a pass runs. */
  'exchange.retry': method(z.object({ jobId: Id }), SyncPassResult),
  /** The UI's online/offline events (the OS's network state). */
  'exchange.networkChanged': method(z.object({ online: z.boolean() }), ExchangeStatus),
  'exchange.received': method(z.object({ limit: z.number().int().min(1).max(1000).default(200), outcome: z.enum(['accepted', 'duplicate', 'refused']).optional() }), z.array(ReceivedItem)),
  /** Where each recipient stands with an outgoing document, with every status it sent. */
  'exchange.deliveries': method(z.object({ documentId: Id }), z.array(Delivery)),
  'exchange.getAxis': method(z.object({}), AxisSettings),
  /** The incoming register's working list, newest first, by filter. `now` is for the overdue and due-soon marks. */
  'incoming.list': method(
    z.object({ filter: IncomingFilter.default('all'), year: Year.optional(), ...Page }),
    z.object({ total: z.number().int(), items: z.array(IncomingItem) }),
  ),
  /** How many documents each filter holds (the tabs' counts). */
  'incoming.counts': method(z.object({ year: Year.optional() }), z.record(IncomingFilter, z.number().int())),
  /** The "ĐẾN" data with the document: số đến, ngày đến, handler, due date, statuses, recall and links. */
  'incoming.get': method(z.object({ id: Id }), IncomingDetail),
  /** Tiếp nhận: the document gets the next số đến of its arrival year; status 03 goes back to the sender. */
  'incoming.accept': method(z.object({ id: Id, fields: RegisterFieldsInput.optional() }), IncomingDetail),
  /**
   * The incoming documents a record as the clerk is typing it may duplicate (tiếp nhận, a paper
   * document's registration); `id`: the document being accepted, left out of its own answer.
   */
  'incoming.duplicates': method(
    z.object({ id: Id.optional(), notation: z.string().max(100).optional(), authorAgency: z.string().max(300).optional(), documentDate: IsoDate.nullable().optional() }),
    z.array(DuplicateCandidate),
  ),
  /** "Liên kết": the clerk says the two are the same document; shown and audited on both. */
  'incoming.linkDuplicate': method(z.object({ id: Id, linkedId: Id }), IncomingDetail),
  /** Trả lại: status 02 with the reason goes back to the sender. */
  'incoming.return': method(z.object({ id: Id, reason: z.string().trim().min(1).max(500) }), IncomingDetail),
  /** A paper document scanned to PDF, imported and taken into the register (with its số đến) in one step. */
  'incoming.register': method(z.object({ fileName: z.string().min(1).max(255), bytes: Bytes, fields: RegisterFieldsInput.optional() }), IncomingDetail),
  /** What a paper document's scan says about its record, before it is registered: read, nothing stored. */
  'incoming.readRecord': method(
    z.object({ fileName: z.string().min(1).max(255), bytes: Bytes }),
    z.object({
      notation: z.string().nullable(),
      documentDate: IsoDate.nullable(),
      authorAgency: z.string(),
      typeCode: DocumentTypeCode,
      subject: z.string(),
      signerName: z.string(),
      capture: Capture,
      missing: z.array(z.enum(REGISTER_FIELDS)),
    }),
  ),
  /** Chuyển xử lý: to a handler of the directory, with the hạn giải quyết (status 04). Again to reassign. */
  'incoming.assign': method(z.object({ id: Id, handlerId: Id, due: HandlingDue, note: z.string().trim().max(500).default('') }), IncomingDetail),
  /** Đang xử lý (status 05). */
  'incoming.start': method(z.object({ id: Id }), IncomingDetail),
  /** Đã xử lý xong (status 06). */
  'incoming.done': method(z.object({ id: Id, note: z.string().trim().max(500).default('') }), IncomingDetail),
  /** The clerk's answer to the sender's recall: accepted (15, the document is recalled and read-only) or refused (16). */
  'incoming.answerRecall': method(z.object({ id: Id, accept: z.boolean(), reason: z.string().trim().max(500).default('') }), IncomingDetail),
  /** The incoming register of a year as its ten columns, for the screen. */
  'incoming.book': method(z.object(BookQuery), z.object({ columns: z.array(z.string()), rows: z.array(z.object({ id: Id, cells: z.array(z.string()) })) })),
  'incoming.exportBook': method(z.object({ ...BookQuery, ...BookPeriod, format: z.enum(['pdf', 'xlsx', 'csv']) }), z.object({ fileName: z.string(), bytes: Bytes })),
  /** The dashboard's figures for a period (the same JSON `eoffice report --format json` prints). */
  'report.figures': method(z.object(ReportPeriodInput), z.custom<ReportFigures>()),
  /**
   * Every result of a search (Appendix VI 6h), up to SEARCH_EXPORT_MAX_ROWS, in its order, as a PDF
   * or XLSX table of the chosen columns; `rows` says how many were written, of `total` found.
   */
  'documents.exportSearch': method(
    SearchSpec.extend({ columns: z.array(SearchColumn).min(1).max(SEARCH_COLUMN_KEYS.length), format: z.enum(['pdf', 'xlsx']) }),
    z.object({ fileName: z.string(), bytes: Bytes, rows: z.number().int(), total: z.number().int() }),
  ),
  /** The documents behind one figure of the period, in the order the figure counts them. */
  'report.list': method(
    z.object({ ...ReportPeriodInput, key: z.enum(REPORT_LIST_KEYS), ...Page }),
    z.object({ total: z.number().int(), items: z.array(z.custom<ReportListItem>()) }),
  ),
  /** The periodic report as a file: the table of figures (and the charts, in the PDF). */
  'report.export': method(
    z.object({
      ...ReportPeriodInput,
      format: z.enum(['xlsx', 'pdf']),
      /** The PDF's Decree 30 frame: địa danh, who signs, nơi nhận (defaults from the agency's settings). */
      place: z.string().trim().max(150).optional(),
      signer: z.object({ competence: z.string().trim().max(100).optional(), position: z.string().trim().max(200).optional(), name: z.string().trim().max(200).optional() }).optional(),
      recipients: z.array(z.string().trim().min(1).max(300)).max(50).optional(),
    }),
    z.object({ fileName: z.string(), bytes: Bytes }),
  ),
  'handlers.list': method(z.object({ includeInactive: z.boolean().default(false) }), z.array(Handler)),
  'handlers.add': method(z.object({ ...HandlerFields, unit: HandlerFields.unit.default(''), kind: HandlerFields.kind.default('person') }), Handler),
  'handlers.update': method(z.object({ id: Id, ...HandlerFields, active: z.boolean() }).partial().required({ id: true }), Handler),
  'handlers.deactivate': method(z.object({ id: Id }), Handler),
  /** The office's accounts (the administrator's): every one, active first. */
  'users.list': method(z.object({}), z.array(UserInfo)),
  'users.add': method(z.object({ login: Login, ...UserFields, position: UserFields.position.default(''), unit: UserFields.unit.default(''), password: Password.optional() }), UserInfo),
  /** Name, position, unit, roles, active; a disabled account, or one whose rights shrank, loses its sessions. */
  'users.update': method(z.object({ login: Login, patch: UserPatch }), UserInfo),
  /** The administrator's reset: a new password, the lockout lifted, every session of the account ended. */
  'users.setPassword': method(z.object({ login: Login, password: Password }), UserInfo),
  /** The certificate (SHA-256 fingerprint) the person signs in with by token; null unbinds it. */
  'users.bindCertificate': method(z.object({ login: Login, fingerprint256: Fingerprint256.nullable() }), UserInfo),
  /** The office host's certificate, for the person setting up a client to compare: null before the host first served. */
  'office.info': method(z.object({}), z.object({ hostCertificate: z.object({ fingerprint256: z.string(), words: z.string() }).nullable() })),
  /** Who is connected to the office host: each open session's person, PC and times. */
  'users.sessions': method(z.object({}), z.array(z.object({ login: z.string(), fullName: z.string(), client: z.string(), since: z.string(), lastSeen: z.string() }))),
  /** "Đăng xuất mọi nơi": ends every session of the account. */
  'users.signOutEverywhere': method(z.object({ login: Login }), z.object({ sessions: z.number().int() })),
  /**
   * The signature validation report of a document's current file (or of the version or attachment
   * `sha256` names, as documents.content picks it): integrity, changes after each
   * signature, the path to the trust store, validity, revocation (asked online unless `online` is
   * false; cached answers are used offline) and timestamps.
   */
  'documents.validate': method(z.object({ id: Id, online: z.boolean().default(true), sha256: Sha256.optional() }), z.custom<ValidationReport>()),
  /** The trusted root and intermediate certificates (the store ships empty). */
  'trust.list': method(z.object({}), z.array(z.custom<TrustedCertificate>())),
  /** PEM (one or more), DER or PKCS#7 (.p7b); CA certificates only. Returns what was imported. */
  'trust.import': method(z.object({ fileName: z.string().trim().min(1).max(255), bytes: Bytes }), z.array(z.custom<TrustedCertificate>())),
  'trust.remove': method(z.object({ fingerprint256: z.string().trim().min(64).max(95) }), z.array(z.custom<TrustedCertificate>())),
  /** The secret is written only: sealed at once, never returned. */
  'exchange.setAxis': method(
    z.object({ endpoint: Settings.shape.axisEndpoint, systemId: Settings.shape.axisSystemId, secret: z.string().min(1).max(512).optional() }),
    AxisSettings,
  ),
  /** The agencies the axis lists (fetched once a day while online), by name: recipients are picked from them. */
  'exchange.agencies': method(z.object({}), z.array(DirectoryAgency)),
} as const satisfies Record<MethodName, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type Output<M extends MethodName> = z.output<Contract[M]['output']>;

export type DocumentSummary = z.infer<typeof DocumentSummary>;
export type DocumentDetail = z.infer<typeof DocumentDetail>;
export type SearchHit = z.infer<typeof SearchHit>;
export type DocumentFilters = z.infer<typeof DocumentFilters>;
export type TokenOverview = z.infer<typeof TokenOverview>;
export type TokenInfo = z.infer<typeof TokenInfo>;
export type TokenCertificateInfo = z.infer<typeof TokenCertificateInfo>;
export type SigningResult = z.infer<typeof SigningResult>;
export type ImageKind = z.infer<typeof ImageKind>;

/** Events pushed to the UI: over IPC (webContents.send) or the web host's server-sent events. */
export const events = {
  'documents.changed': z.object({ ids: z.array(Id) }),
  /** A token was plugged in or pulled out, logged in or out, or its PIN counters changed. */
  'token.changed': TokenOverview,
  /** One more document of a signing batch is done. */
  'signing.progress': z.object({ batchId: BatchId, done: z.number().int(), total: z.number().int(), documentId: Id, status: SigningStatus }),
  /** A remote signature waits for the signer's phone: what the phone shows, for how many documents, until when. */
  'signing.waiting': z.object({ batchId: BatchId, protocol: z.enum(['smartca', 'csc', 'mss']), display: z.string(), documents: z.number().int(), expiresAt: z.string() }),
  /** The connection, a pass's progress, or the queue changed. */
  'exchange.changed': ExchangeStatus,
} as const satisfies Record<EventName, z.ZodType>;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** The one object the preload exposes as window.eoffice: one method per API call. */
export type EofficeBridge = {
  [M in MethodName]: (input: Input<M>) => Promise<import('./errors.js').Envelope<Output<M>>>;
} & {
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
};
