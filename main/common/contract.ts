// The one API contract. Both transports — Electron IPC (preload → ipcMain.handle) and the
// loopback web host — are generated from this table, and every input is parsed against it
// before any handler runs. Adding a method here is the only way to add one to the app.
import { z } from 'zod';
import { DOCUMENT_TYPE_CODES } from './doctypes.js';
import { isCalendarDate } from './dates.js';
import type { EventName, MethodName } from './channels.js';

export { METHOD_NAMES, EVENT_NAMES, IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL } from './channels.js';
export type { MethodName, EventName } from './channels.js';

export const Direction = z.enum(['in', 'out']); // văn bản đến / văn bản đi
export const DocumentState = z.enum(['draft', 'received', 'registered', 'signed', 'numbered', 'issued', 'returned', 'recalled']);
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
  events: z.array(AuditEvent),
});

export const DocumentFilters = z.object({
  direction: Direction.optional(),
  year: Year.optional(),
  typeCode: DocumentTypeCode.optional(),
  state: DocumentState.optional(),
  dateFrom: IsoDate.optional(),
  dateTo: IsoDate.optional(),
});

const Page = { offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(500).default(50) };

export const SearchHit = DocumentSummary.extend({ snippet: z.string().nullable() });

export const AgencyInfo = z.object({
  code: z.string().max(32), // mã định danh, e.g. 000.00.32.H10: opaque, validated loosely
  name: z.string().max(300),
  abbreviation: z.string().max(30),
});

export const RegisterInfo = z.object({ id: Id, direction: Direction, year: Year, confidential: z.boolean(), name: z.string(), documentCount: z.number().int() });

export const Settings = z.object({
  locale: Locale,
  maxImportMegabytes: z.number().int().min(1).max(500),
});
export type Settings = z.infer<typeof Settings>;

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
  'settings.update': method(Settings.partial(), Settings),
  'registers.list': method(z.object({ year: Year.optional() }), z.array(RegisterInfo)),
  'documents.list': method(DocumentFilters.extend(Page), z.object({ total: z.number().int(), items: z.array(DocumentSummary) })),
  'documents.search': method(
    DocumentFilters.extend({ query: z.string().max(500), ...Page }),
    // `capped`: the query matched more documents than are worth counting; `total` is then a floor.
    z.object({ total: z.number().int(), capped: z.boolean(), items: z.array(SearchHit) }),
  ),
  'documents.get': method(z.object({ id: Id }), DocumentDetail),
  'documents.update': method(z.object({ id: Id, patch: DocumentPatch }), DocumentDetail),
  'documents.content': method(z.object({ id: Id }), z.object({ fileName: z.string(), bytes: Bytes })),
  'documents.import': method(
    z.object({ direction: Direction, fileName: z.string().min(1).max(255), bytes: Bytes }),
    z.object({ document: DocumentSummary }),
  ),
} as const satisfies Record<MethodName, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type Output<M extends MethodName> = z.output<Contract[M]['output']>;

export type DocumentSummary = z.infer<typeof DocumentSummary>;
export type DocumentDetail = z.infer<typeof DocumentDetail>;
export type SearchHit = z.infer<typeof SearchHit>;
export type DocumentFilters = z.infer<typeof DocumentFilters>;

/** Events pushed to the UI: over IPC (webContents.send) or the web host's server-sent events. */
// Token and sync events join this list with the token and axis capabilities.
export const events = {
  'documents.changed': z.object({ ids: z.array(Id) }),
} as const satisfies Record<EventName, z.ZodType>;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** The one object the preload exposes as window.eoffice: one method per API call. */
export type EofficeBridge = {
  [M in MethodName]: (input: Input<M>) => Promise<import('./errors.js').Envelope<Output<M>>>;
} & {
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
};
