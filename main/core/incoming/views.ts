// The incoming register as the clerk works it: the list by filter (with overdue and due-soon
// marks, Vietnam time), the counts for the tabs, and one document's "ĐẾN" data with its history.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import type { IncomingDetail, IncomingFilter, IncomingItem } from '../../common/contract.js';
import { IncomingFilter as IncomingFilterSchema } from '../../common/contract.js';
import { vnDate } from '../../common/dates.js';
import { DUE_SOON_DAYS } from '../../common/report.js';
import { AppError } from '../../common/errors.js';
import { getDocument } from '../registry/documents.js';
import { handlingNotes, receivedViaOf, type ReceivedVia } from '../registry/incomingRecord.js';
import { latestRecall, RECALL_PACKAGE_SQL, RECALLABLE } from './recall.js';
import { ASSIGNABLE, FINISHABLE, STARTABLE } from './handling.js';
import { storedProblem } from '../exchange/problems.js';
import { duplicatesOf } from '../registry/duplicates.js';


// Open: not yet done, returned or recalled. Only assigning sets a due date today, but the list
// and the report (reports/figures.ts) must mark the same documents overdue whatever set it.
const OPEN = "d.state IN ('registered', 'assigned', 'in_progress')";
const RECALL_PENDING = `d.state IN (${RECALLABLE.map((s) => `'${s}'`).join(', ')}) AND EXISTS (SELECT 1 FROM received_packages rp WHERE rp.document_id = d.id AND ${RECALL_PACKAGE_SQL} AND rp.id > coalesce(d.recall_received_id, 0))`;

const FILTER_SQL: Record<IncomingFilter, string> = {
  all: '1',
  new: "d.state = 'received' AND substr(d.registered_at, 1, 10) = @today",
  to_accept: "d.state = 'received'",
  registered: "d.state = 'registered'",
  assigned: "d.state = 'assigned'",
  in_progress: "d.state = 'in_progress'",
  overdue: `${OPEN} AND d.handling_due < @today`,
  due_soon: `${OPEN} AND d.handling_due BETWEEN @today AND @soon`,
  done: "d.state = 'done'",
  returned: "d.state = 'returned'",
  recalled: "d.state = 'recalled'",
  recall_pending: RECALL_PENDING,
};

interface Clock {
  today: string;
  soon: string;
}

function clock(now: Date): Clock {
  return { today: vnDate(now), soon: vnDate(new Date(now.getTime() + DUE_SOON_DAYS * 86_400_000)) };
}

const ITEM_COLUMNS = `d.id, d.incoming_number, g.year AS register_year, g.confidential, d.registered_at, d.sender_code, d.exchange_id, d.received_via, d.type_code, d.notation, d.document_date,
  d.subject, d.author_agency, d.priority, d.state, d.handling_due, d.assigned_at, d.handled_at, d.replaces_id,
  h.id AS handler_id, h.name AS handler_name, h.unit AS handler_unit, h.kind AS handler_kind, h.active AS handler_active,
  (${RECALL_PENDING}) AS recall_pending`;
const ITEM_FROM = 'documents d JOIN registers g ON g.id = d.register_id LEFT JOIN handlers h ON h.id = d.handler_id';

interface ItemRow {
  id: number;
  incoming_number: number | null;
  register_year: number;
  confidential: number;
  registered_at: string;
  sender_code: string | null;
  exchange_id: string | null;
  received_via: ReceivedVia | null;
  type_code: string;
  notation: string | null;
  document_date: string | null;
  subject: string;
  author_agency: string;
  priority: string;
  state: string;
  handling_due: string | null;
  assigned_at: string | null;
  handled_at: string | null;
  replaces_id: number | null;
  handler_id: number | null;
  handler_name: string | null;
  handler_unit: string | null;
  handler_kind: 'person' | 'unit' | null;
  handler_active: number | null;
  recall_pending: number;
}

function toItem(r: ItemRow, c: Clock): IncomingItem {
  const open = r.state === 'registered' || r.state === 'assigned' || r.state === 'in_progress';
  return {
    id: r.id,
    incomingNumber: r.incoming_number,
    registerYear: r.register_year,
    confidential: r.confidential === 1,
    arrivedAt: r.registered_at,
    source: receivedViaOf(r),
    senderCode: r.sender_code,
    typeCode: r.type_code as IncomingItem['typeCode'],
    notation: r.notation,
    documentDate: r.document_date,
    subject: r.subject,
    authorAgency: r.author_agency,
    priority: r.priority as IncomingItem['priority'],
    state: r.state as IncomingItem['state'],
    handler: r.handler_id === null ? null : { id: r.handler_id, name: r.handler_name ?? '', unit: r.handler_unit ?? '', kind: r.handler_kind ?? 'person', active: r.handler_active === 1 },
    handlingDue: r.handling_due,
    assignedAt: r.assigned_at,
    handledAt: r.handled_at,
    overdue: open && r.handling_due !== null && r.handling_due < c.today,
    dueSoon: open && r.handling_due !== null && r.handling_due >= c.today && r.handling_due <= c.soon,
    recallPending: r.recall_pending === 1,
    replacesId: r.replaces_id,
    identifierCode: r.exchange_id,
  };
}

export function listIncoming(db: Database, query: { filter: IncomingFilter; year?: number; offset: number; limit: number }, now: Date = new Date()): { total: number; items: IncomingItem[] } {
  const c = clock(now);
  const where = `d.direction = 'in' AND (${FILTER_SQL[query.filter]}) AND (@year IS NULL OR g.year = @year)`;
  const params = { ...c, year: query.year ?? null };
  const total = (prepared(db, `SELECT count(*) AS n FROM ${ITEM_FROM} WHERE ${where}`).get(params) as { n: number }).n;
  const rows = prepared(db, `SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE ${where} ORDER BY d.registered_at DESC, d.id DESC LIMIT @limit OFFSET @offset`).all({
    ...params,
    limit: query.limit,
    offset: query.offset,
  }) as ItemRow[];
  return { total, items: rows.map((r) => toItem(r, c)) };
}

export function incomingCounts(db: Database, year: number | undefined, now: Date = new Date()): Record<IncomingFilter, number> {
  const filters = IncomingFilterSchema.options;
  const sums = filters.map((f) => `coalesce(sum(CASE WHEN ${FILTER_SQL[f]} THEN 1 ELSE 0 END), 0) AS "${f}"`).join(', ');
  return prepared(db, `SELECT ${sums} FROM documents d JOIN registers g ON g.id = d.register_id WHERE d.direction = 'in' AND (@year IS NULL OR g.year = @year)`).get({
    ...clock(now),
    year: year ?? null,
  }) as Record<IncomingFilter, number>;
}

/** What each status we send means, for the history (the job keeps only the code and a reason). */
const STATUS_TEXT: Record<string, string> = {
  '01': 'Đã đến',
  '02': 'Trả lại',
  '03': 'Đã tiếp nhận',
  '04': 'Đã chuyển xử lý',
  '05': 'Đang xử lý',
  '06': 'Đã xử lý xong',
  '15': 'Đồng ý thu hồi',
  '16': 'Không đồng ý thu hồi',
};

const NOTICE_KIND = { 'recall-requested': 'recall', 'update-notified': 'update', 'replacement-notified': 'replace' } as const;

export function incomingDetail(db: Database, id: number, now: Date = new Date()): IncomingDetail {
  const row = prepared(db, `SELECT ${ITEM_COLUMNS}, d.direction, d.accepted_at, d.started_at, d.state_reason FROM ${ITEM_FROM} WHERE d.id = @id`).get({ ...clock(now), id }) as
    | (ItemRow & { direction: string; accepted_at: string | null; started_at: string | null; state_reason: string | null })
    | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Document ${id} does not exist.`, { id });
  if (row.direction !== 'in') throw new AppError('WRONG_STATE', `Document ${id} is an outgoing document.`, { id, state: row.state });
  const item = toItem(row, clock(now));
  const recall = latestRecall(db, id);
  const received = (prepared(db, 'SELECT status_code, description, received_at FROM status_events WHERE document_id = ? ORDER BY id').all(id) as { status_code: string; description: string; received_at: string }[]).map((s) => ({
    direction: 'received' as const,
    statusCode: s.status_code,
    description: s.description,
    at: s.received_at,
    delivery: null,
    lastError: null,
  }));
  const sent = (
    prepared(db, "SELECT status_code, reason, state, queued_at, sent_at, last_error, last_error_code, last_error_details, error_kind FROM outbox_jobs WHERE document_id = ? AND action = 'status' ORDER BY id").all(id) as {
      status_code: string;
      reason: string;
      state: 'queued' | 'sending' | 'sent' | 'failed';
      queued_at: string;
      sent_at: string | null;
      last_error: string | null;
      last_error_code: string | null;
      last_error_details: string | null;
      error_kind: string | null;
    }[]
  ).map((j) => ({
    direction: 'sent' as const,
    statusCode: j.status_code,
    description: [STATUS_TEXT[j.status_code] ?? '', j.reason].filter(Boolean).join(': '),
    at: j.queued_at,
    delivery: j.state,
    lastError: storedProblem(j),
  }));
  const notices = (
    prepared(db, "SELECT kind, at, coalesce(json_extract(details, '$.reason'), '') AS reason FROM audit_events WHERE document_id = ? AND kind IN ('recall-requested', 'update-notified', 'replacement-notified') ORDER BY id").all(id) as {
      kind: keyof typeof NOTICE_KIND;
      at: string;
      reason: string;
    }[]
  ).map((n) => ({ kind: NOTICE_KIND[n.kind], at: n.at, reason: String(n.reason) }));
  const packages = (
    prepared(db, 'SELECT axis_doc_id, message_type, business_type, status_code, outcome, refusal_reason, refusal_detail, received_at FROM received_packages WHERE document_id = ? ORDER BY id').all(id) as {
      axis_doc_id: string;
      message_type: 'edoc' | 'status';
      business_type: number | null;
      status_code: string | null;
      outcome: 'accepted' | 'duplicate' | 'refused';
      refusal_reason: string | null;
      refusal_detail: string | null;
      received_at: string;
    }[]
  ).map((p) => ({
    axisDocId: p.axis_doc_id,
    messageType: p.message_type,
    businessType: p.business_type,
    statusCode: p.status_code,
    outcome: p.outcome,
    refusalReason: p.refusal_reason,
    refusalDetail: p.refusal_detail,
    receivedAt: p.received_at,
  }));
  const replacedBy = (prepared(db, 'SELECT id FROM documents WHERE replaces_id = ? ORDER BY id').all(id) as { id: number }[]).map((r) => r.id);
  const state = row.state;
  return {
    ...item,
    document: getDocument(db, id),
    acceptedAt: row.accepted_at,
    startedAt: row.started_at,
    ...handlingNotes(db, id),
    stateReason: row.state_reason,
    recall: recall && { via: recall.via, requestedAt: recall.requestedAt, reason: recall.reason, answer: recall.answer, answeredAt: recall.answeredAt },
    replacedBy,
    notices,
    statusHistory: [...received, ...sent].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
    packages,
    allowed: {
      accept: state === 'received',
      return: state === 'received',
      assign: (ASSIGNABLE as readonly string[]).includes(state),
      start: (STARTABLE as readonly string[]).includes(state),
      done: (FINISHABLE as readonly string[]).includes(state),
      answerRecall: recall?.pending ?? false,
    },
    duplicates: duplicatesOf(db, id),
  };
}
