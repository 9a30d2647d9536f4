// The figures of the periodic report, counted by SQL. Every query names the index it reads
// (INDEXED BY): the plan must not depend on statistics that a fresh or an imported database lacks,
// and a scan of the whole table over a year of a province would miss the dashboard's 200 ms.
// A figure and the list it opens read the same condition (FIGURE_CONDITIONS), so they agree.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { AppError } from '../../common/errors.js';
import { toVnIso, vnDate } from '../../common/dates.js';
import {
  DUE_SOON_DAYS,
  INCOMING_STATE_KEYS,
  OVERDUE_LISTED,
  TREND_DAYS_MAX,
  type IncomingStateKey,
  type ReportFigures,
  type ReportListItem,
  type ReportListKey,
  type ReportPeriod,
  type TrendPoint,
} from '../../common/report.js';
import { localAgency } from '../registry/agency.js';

const DAY_MS = 86_400_000;

function dayNumber(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The half-open range of strings the period covers: every stored time is Vietnam's wall clock (+07:00), so comparing text compares time. */
interface Range {
  start: string;
  end: string;
  today: string;
  soon: string;
}

function rangeOf(period: ReportPeriod, now: Date): Range {
  for (const [name, value] of [['from', period.from], ['to', period.to]] as const) {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(dayNumber(value)) || isoDay(dayNumber(value)) !== value) {
      throw new AppError('INVALID_INPUT', `The report's ${name} date ${JSON.stringify(value)} is not a calendar date.`, { field: name });
    }
  }
  if (period.from > period.to) {
    throw new AppError('INVALID_INPUT', `The report's period starts (${period.from}) after it ends (${period.to}).`, { field: 'from' });
  }
  const today = vnDate(now);
  return { start: period.from, end: isoDay(dayNumber(period.to) + 1), today, soon: isoDay(dayNumber(today) + DUE_SOON_DAYS) };
}

// Open as the incoming list counts them (incoming/views.ts); in practice only assigning sets a due date.
const OPEN_STATES = "('registered', 'assigned', 'in_progress')";

interface FigureCondition {
  /** the documents table as `d`, with the index the condition reads */
  table: string;
  /** with @start, @end, @today, @soon */
  where: string;
  /** the date the document counts on */
  date: string;
  order: string;
}

const ISSUED = { table: 'documents d INDEXED BY documents_report_issued', where: 'd.issued_on IS NOT NULL AND d.issued_on >= @start AND d.issued_on < @end' };
const RECEIVED = { table: 'documents d INDEXED BY documents_report_received', where: "d.direction = 'in' AND d.registered_at >= @start AND d.registered_at < @end" };
const DONE = { table: 'documents d INDEXED BY documents_report_done', where: "d.direction = 'in' AND d.handled_at IS NOT NULL AND d.handled_at >= @start AND d.handled_at < @end" };
const OPEN = { table: 'documents d INDEXED BY documents_report_open', where: `d.direction = 'in' AND d.state IN ${OPEN_STATES}` };

const issued = (extra = ''): FigureCondition => ({ ...ISSUED, where: ISSUED.where + extra, date: 'd.issued_on', order: 'd.issued_on DESC, d.id DESC' });
const received = (extra = ''): FigureCondition => ({ ...RECEIVED, where: RECEIVED.where + extra, date: 'd.registered_at', order: 'd.registered_at DESC, d.id DESC' });
/** The period's incoming documents now in one state: a range of the (state, day) index. */
const inState = (state: IncomingStateKey): FigureCondition => ({
  table: 'documents d INDEXED BY documents_report_state',
  where: `d.direction = 'in' AND d.state = '${state}' AND d.registered_at >= @start AND d.registered_at < @end`,
  date: 'd.registered_at',
  order: 'd.registered_at DESC, d.id DESC',
});
const done = (extra = ''): FigureCondition => ({ ...DONE, where: DONE.where + extra, date: 'd.handled_at', order: 'd.handled_at DESC, d.id DESC' });

const ON_TIME = ' AND d.handling_due IS NOT NULL AND substr(d.handled_at, 1, 10) <= d.handling_due';
const LATE = ' AND d.handling_due IS NOT NULL AND substr(d.handled_at, 1, 10) > d.handling_due';

export const FIGURE_CONDITIONS: Record<ReportListKey, FigureCondition> = {
  issued: issued(),
  issuedViaAxis: issued(' AND d.exchange_id IS NOT NULL'),
  issuedOnPaper: issued(' AND d.exchange_id IS NULL'),
  leaderSigned: issued(' AND d.numbered_at IS NOT NULL'),
  agencySigned: issued(' AND d.sealed_at IS NOT NULL'),
  received: received(),
  receivedViaAxis: received(' AND d.exchange_id IS NOT NULL'),
  // How an incoming document came (migration 0010): none recorded is paper, as before.
  receivedElectronic: received(" AND d.exchange_id IS NULL AND d.received_via = 'electronic'"),
  receivedOnPaper: received(" AND d.exchange_id IS NULL AND d.received_via IS NOT 'electronic'"),
  accepted: received(' AND d.incoming_number IS NOT NULL'),
  handledOnNetwork: received(' AND d.incoming_number IS NOT NULL AND d.assigned_at IS NOT NULL'),
  'state:received': inState('received'),
  'state:registered': inState('registered'),
  'state:assigned': inState('assigned'),
  'state:in_progress': inState('in_progress'),
  'state:done': inState('done'),
  'state:returned': inState('returned'),
  'state:recalled': inState('recalled'),
  done: done(),
  onTime: done(ON_TIME),
  late: done(LATE),
  overdue: { ...OPEN, where: `${OPEN.where} AND d.handling_due < @today`, date: 'd.handling_due', order: 'd.handling_due, d.id' },
  dueSoon: { ...OPEN, where: `${OPEN.where} AND d.handling_due >= @today AND d.handling_due <= @soon`, date: 'd.handling_due', order: 'd.handling_due, d.id' },
};

function params(range: Range) {
  return { start: range.start, end: range.end, today: range.today, soon: range.soon };
}

function countOf(db: Database, condition: FigureCondition, p: ReturnType<typeof params>): number {
  return (prepared(db, `SELECT count(*) AS n FROM ${condition.table} WHERE ${condition.where}`).get(p) as { n: number }).n;
}

/** Share of a whole, or null when there is no whole to share. */
function shareOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

interface Bucket {
  key: string;
  /** the bucket's part of the period, half-open, as the range strings compare */
  start: string;
  end: string;
}

/** Days for a short period, months beyond; the first and last month are cut to the period. */
function trendBuckets(period: ReportPeriod, range: Range): { bucket: 'day' | 'month'; buckets: Bucket[] } {
  const first = dayNumber(period.from);
  const last = dayNumber(period.to);
  if (last - first + 1 <= TREND_DAYS_MAX) {
    return { bucket: 'day', buckets: Array.from({ length: last - first + 1 }, (_, i) => ({ key: isoDay(first + i), start: isoDay(first + i), end: isoDay(first + i + 1) })) };
  }
  const buckets: Bucket[] = [];
  let [y, m] = period.from.split('-').map(Number) as [number, number];
  for (let start = range.start; start < range.end; ) {
    m === 12 ? ((m = 1), (y += 1)) : (m += 1);
    const nextMonth = `${y}-${String(m).padStart(2, '0')}-01`;
    const end = nextMonth < range.end ? nextMonth : range.end;
    buckets.push({ key: start.slice(0, 7), start, end });
    start = end;
  }
  return { bucket: 'month', buckets };
}

/** The report's figures for a period, as of `now` for what is overdue and what waits in the queue. */
export function reportFigures(db: Database, period: ReportPeriod, now: Date = new Date()): ReportFigures {
  const range = rangeOf(period, now);
  const p = params(range);
  const { bucket, buckets } = trendBuckets(period, range);
  // One range scan per bucket, each an aggregate without GROUP BY: grouping by day or month would
  // sort the whole period's rows (a year of a province: 166,000) in a temporary B-tree.
  const issuedIn = prepared(
    db,
    `SELECT count(*) AS n, count(d.exchange_id) AS axis, count(d.numbered_at) AS leader, count(d.sealed_at) AS agency
       FROM ${ISSUED.table} WHERE ${ISSUED.where}`,
  );
  const receivedIn = prepared(
    db,
    `SELECT count(*) AS n, count(d.exchange_id) AS axis, total(d.exchange_id IS NULL AND d.received_via = 'electronic') AS electronic, count(d.incoming_number) AS accepted,
            total(d.incoming_number IS NOT NULL AND d.assigned_at IS NOT NULL) AS network
       FROM ${RECEIVED.table} WHERE ${RECEIVED.where}`,
  );
  // One read transaction: a sync committing between two queries must not make the figures disagree.
  return db.transaction(() => {
    const out = buckets.map((b) => ({ key: b.key, ...(issuedIn.get({ ...p, start: b.start, end: b.end }) as { n: number; axis: number; leader: number; agency: number }) }));
    const inc = buckets.map((b) => ({
      key: b.key,
      ...(receivedIn.get({ ...p, start: b.start, end: b.end }) as { n: number; axis: number; electronic: number; accepted: number; network: number }),
    }));
    // Handling time: median and 90th percentile by SQLite's percentile functions, which gather
    // the values and sort them in C (an ORDER BY over a window sorted them through a temporary
    // B-tree several times slower). Both interpolate between neighbours, as Excel's MEDIAN and
    // PERCENTILE.INC do, so a clerk can check them on the exported list.
    const handled = prepared(
      db,
      `SELECT count(*) AS n,
              total(d.handling_due IS NOT NULL AND substr(d.handled_at, 1, 10) <= d.handling_due) AS onTime,
              total(d.handling_due IS NOT NULL AND substr(d.handled_at, 1, 10) > d.handling_due) AS late,
              median(d.handling_seconds) AS medianSeconds, percentile_cont(d.handling_seconds, 0.9) AS p90Seconds
         FROM ${DONE.table} WHERE ${DONE.where}`,
    ).get(p) as { n: number; onTime: number; late: number; medianSeconds: number | null; p90Seconds: number | null };
    const overdue = FIGURE_CONDITIONS.overdue;
    const overdueCount = countOf(db, overdue, p);
    const dueSoon = countOf(db, FIGURE_CONDITIONS.dueSoon, p);
    const byHandler = prepared(
      db,
      `SELECT d.handler_id AS handlerId, coalesce(h.name, '') AS name, coalesce(h.unit, '') AS unit, count(*) AS count
         FROM ${overdue.table} LEFT JOIN handlers h ON h.id = d.handler_id WHERE ${overdue.where}
        GROUP BY d.handler_id ORDER BY count DESC, name`,
    ).all(p) as ReportFigures['overdue']['byHandler'];
    const overdueDocuments = (
      prepared(
        db,
        `SELECT d.id, d.incoming_number AS incomingNumber, coalesce(d.notation, '') AS notation, d.subject,
                coalesce(nullif(d.author_agency, ''), d.sender_code, '') AS author, coalesce(h.name, '') AS handlerName, d.handling_due AS due
           FROM ${overdue.table} LEFT JOIN handlers h ON h.id = d.handler_id WHERE ${overdue.where}
          ORDER BY ${overdue.order} LIMIT ${OVERDUE_LISTED}`,
      ).all(p) as Omit<ReportFigures['overdue']['documents'][number], 'daysOverdue'>[]
    ).map((d) => ({ ...d, daysOverdue: dayNumber(range.today) - dayNumber(d.due) }));
    const queue = prepared(
      db,
      `SELECT count(*) AS waiting, coalesce(sum(package_size), 0) AS waitingBytes, min(queued_at) AS oldestWaitingAt
         FROM outbox_jobs INDEXED BY outbox_due WHERE state IN ('queued', 'sending')`,
    ).get() as { waiting: number; waitingBytes: number; oldestWaitingAt: string | null };
    const failed = (prepared(db, "SELECT count(*) AS n FROM outbox_jobs INDEXED BY outbox_due WHERE state = 'failed'").get() as { n: number }).n;
    const refused = (
      prepared(db, "SELECT count(*) AS n FROM received_packages INDEXED BY received_refused_by_time WHERE outcome = 'refused' AND received_at >= @start AND received_at < @end").get(p) as {
        n: number;
      }
    ).n;

    const sum = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((total, row) => total + pick(row), 0);
    const issuedCount = sum(out, (r) => r.n);
    const issuedViaAxis = sum(out, (r) => r.axis);
    const leaderSigned = sum(out, (r) => r.leader);
    const agencySigned = sum(out, (r) => r.agency);
    const receivedCount = sum(inc, (r) => r.n);
    const receivedViaAxis = sum(inc, (r) => r.axis);
    const receivedElectronic = sum(inc, (r) => r.electronic);
    const accepted = sum(inc, (r) => r.accepted);
    const network = sum(inc, (r) => r.network);
    const byState = Object.fromEntries(INCOMING_STATE_KEYS.map((state) => [state, countOf(db, FIGURE_CONDITIONS[`state:${state}`], p)])) as Record<IncomingStateKey, number>;
    const points: TrendPoint[] = buckets.map((b, i) => ({ key: b.key, issued: out[i]!.n, issuedViaAxis: out[i]!.axis, received: inc[i]!.n, receivedViaAxis: inc[i]!.axis, receivedElectronic: inc[i]!.electronic }));
    const agency = localAgency(db);

    return {
      period: { from: period.from, to: period.to },
      generatedAt: toVnIso(now),
      agency: { name: agency.name, code: agency.code },
      outgoing: {
        issued: issuedCount,
        viaAxis: issuedViaAxis,
        onPaper: issuedCount - issuedViaAxis,
        leaderSigned,
        agencySigned,
        leaderSignedShare: shareOf(leaderSigned, issuedCount),
        agencySignedShare: shareOf(agencySigned, issuedCount),
      },
      incoming: {
        received: receivedCount,
        viaAxis: receivedViaAxis,
        electronic: receivedElectronic,
        onPaper: receivedCount - receivedViaAxis - receivedElectronic,
        accepted,
        handledOnNetwork: network,
        handledOnNetworkShare: shareOf(network, accepted),
        byState,
      },
      handling: {
        done: handled.n,
        medianHours: handled.medianSeconds === null ? null : handled.medianSeconds / 3600,
        p90Hours: handled.p90Seconds === null ? null : handled.p90Seconds / 3600,
        onTime: handled.onTime,
        late: handled.late,
        withoutDue: handled.n - handled.onTime - handled.late,
      },
      overdue: { count: overdueCount, dueSoon, byHandler, documents: overdueDocuments },
      queue: { waiting: queue.waiting, waitingBytes: queue.waitingBytes, failed, oldestWaitingAt: queue.oldestWaitingAt, refusedReceived: refused },
      trend: { bucket, points },
    };
  })();
}

/** The documents behind one figure, a page at a time, in the order the figure's list reads best. */
export function reportList(db: Database, period: ReportPeriod, key: ReportListKey, page: { offset: number; limit: number }, now: Date = new Date()): { total: number; items: ReportListItem[] } {
  const condition = FIGURE_CONDITIONS[key];
  if (!condition) throw new AppError('INVALID_INPUT', `There is no list for the figure ${JSON.stringify(key)}.`, { field: 'key' });
  const p = params(rangeOf(period, now));
  return db.transaction(() => {
    const total = countOf(db, condition, p);
    const ids = prepared(db, `SELECT d.id FROM ${condition.table} WHERE ${condition.where} ORDER BY ${condition.order} LIMIT @limit OFFSET @offset`)
      .all({ ...p, limit: page.limit, offset: page.offset })
      .map((r) => (r as { id: number }).id);
    // The page's few rows are read by id, with the handler's name: the figure's index stays narrow.
    const read = prepared(
      db,
      `SELECT d.id, d.direction, coalesce(d.notation, '') AS notation, d.subject, d.state,
              coalesce(nullif(d.author_agency, ''), d.sender_code, '') AS author, ${condition.date} AS date,
              coalesce(h.name, '') AS handlerName, d.handling_due AS due
         FROM documents d LEFT JOIN handlers h ON h.id = d.handler_id WHERE d.id = ?`,
    );
    const items = ids.map((id) => read.get(id) as ReportListItem);
    return { total, items };
  })();
}
