// The periodic report (Decree 09/2019/NĐ-CP reporting): the figures of a period as the dashboard
// shows them, the CLI prints them as JSON and the XLSX/PDF exports tabulate them. One shape for
// all three, so that the screen and the files can never disagree.
//
// How each figure is counted (also printed under the exported table, see REPORT_DEFINITIONS):
// - A period is a range of calendar days in Vietnam, both ends included.
// - Issued (văn bản đi đã phát hành): outgoing documents past 'signed', on the day this client
//   numbered them, else on the date they bear, else on the day they were registered.
// - Received (văn bản đến): incoming documents on the day they arrived (registered_at).
// - Through the axis: the document travelled as an edXML package (it has a DocumentId). An
//   incoming one that did not is electronic outside the axis when its file was imported as it
//   came (Nhập tệp: e-mail, a portal), on paper when a paper document's scan was registered (Vào
//   sổ văn bản giấy); an outgoing one is on paper.
// - Signed by the leader: numbered by this client, which refuses to number without a valid
//   signature of the declared signer. Signed by the agency: sealed with the agency's token here.
// - Handled on the network: accepted incoming documents that were assigned to a handler in the client.
// - Handling time: arrival → done, for documents done within the period; the median and the 90th
//   percentile interpolated between neighbouring values, as Excel's MEDIAN and PERCENTILE.INC
//   (LibreOffice's PERCENTILE) compute them: a clerk can check them on the exported list.
// - Overdue and due soon (within DUE_SOON_DAYS days): open documents (registered, assigned, in
//   progress) as the incoming list marks them, as of when the report was made, whatever the period. The queue likewise.

/** An open document is due soon when its due date is today or within this many days. */
import { formatDateTimeVn } from './dates.js';

export const DUE_SOON_DAYS = 2;
/** The overdue documents listed by name; the count covers them all. */
export const OVERDUE_LISTED = 20;

export type IncomingStateKey = 'received' | 'registered' | 'assigned' | 'in_progress' | 'done' | 'returned' | 'recalled';
export const INCOMING_STATE_KEYS: readonly IncomingStateKey[] = ['received', 'registered', 'assigned', 'in_progress', 'done', 'returned', 'recalled'];

export interface ReportPeriod {
  /** yyyy-MM-dd, included */
  from: string;
  /** yyyy-MM-dd, included */
  to: string;
}

export interface TrendPoint {
  /** yyyy-MM-dd for a day, yyyy-MM for a month */
  key: string;
  issued: number;
  issuedViaAxis: number;
  received: number;
  receivedViaAxis: number;
  /** electronic files received outside the axis (the rest of what was received came on paper) */
  receivedElectronic: number;
}

export interface OverdueDocument {
  id: number;
  incomingNumber: number | null;
  notation: string;
  subject: string;
  author: string;
  handlerName: string;
  /** yyyy-MM-dd */
  due: string;
  daysOverdue: number;
}

export interface HandlerOverdue {
  handlerId: number | null;
  name: string;
  unit: string;
  count: number;
}

export interface ReportFigures {
  period: ReportPeriod;
  /** ISO 8601 +07:00 */
  generatedAt: string;
  agency: { name: string; code: string };
  outgoing: {
    issued: number;
    viaAxis: number;
    onPaper: number;
    leaderSigned: number;
    agencySigned: number;
    /** 0–1, null when nothing was issued */
    leaderSignedShare: number | null;
    agencySignedShare: number | null;
  };
  incoming: {
    received: number;
    viaAxis: number;
    /** electronic files received outside the axis and imported as they came */
    electronic: number;
    /** paper documents registered from their scans */
    onPaper: number;
    /** taken into the register (they have a số đến) */
    accepted: number;
    handledOnNetwork: number;
    /** handledOnNetwork / accepted, null when none was accepted */
    handledOnNetworkShare: number | null;
    /** the documents received in the period, by their state now */
    byState: Record<IncomingStateKey, number>;
  };
  handling: {
    /** done within the period */
    done: number;
    medianHours: number | null;
    p90Hours: number | null;
    /** done by the hạn giải quyết */
    onTime: number;
    late: number;
    withoutDue: number;
  };
  overdue: {
    count: number;
    dueSoon: number;
    byHandler: HandlerOverdue[];
    /** the most overdue first, at most OVERDUE_LISTED */
    documents: OverdueDocument[];
  };
  queue: {
    waiting: number;
    waitingBytes: number;
    failed: number;
    /** ISO 8601 of the oldest waiting job, null when none waits */
    oldestWaitingAt: string | null;
    /** packages refused on arrival within the period */
    refusedReceived: number;
  };
  trend: { bucket: 'day' | 'month'; points: TrendPoint[] };
}

/**
 * The figures a click opens as a list of documents. Each is counted and listed by the same SQL
 * condition, so the list under a figure always holds that many documents.
 */
export const REPORT_LIST_KEYS = [
  'issued',
  'issuedViaAxis',
  'issuedOnPaper',
  'leaderSigned',
  'agencySigned',
  'received',
  'receivedViaAxis',
  'receivedElectronic',
  'receivedOnPaper',
  'accepted',
  'handledOnNetwork',
  'state:received',
  'state:registered',
  'state:assigned',
  'state:in_progress',
  'state:done',
  'state:returned',
  'state:recalled',
  'done',
  'onTime',
  'late',
  'overdue',
  'dueSoon',
] as const;
export type ReportListKey = (typeof REPORT_LIST_KEYS)[number];

export interface ReportListItem {
  id: number;
  direction: 'in' | 'out';
  notation: string;
  subject: string;
  state: string;
  author: string;
  /** the date the figure counts it on: yyyy-MM-dd or an ISO instant */
  date: string;
  handlerName: string;
  /** yyyy-MM-dd or null */
  due: string | null;
}

/** Buckets of the trend chart: days for a period of up to this many days, months beyond. */
export const TREND_DAYS_MAX = 62;

export type ReportLocale = 'vi' | 'en';

const NUMBER_LOCALE: Record<ReportLocale, string> = { vi: 'vi-VN', en: 'en-GB' };

/** 1.234.567 in Vietnamese (dot for thousands), 1,234,567 in English. */
export function formatCount(n: number, locale: ReportLocale = 'vi'): string {
  return new Intl.NumberFormat(NUMBER_LOCALE[locale], { maximumFractionDigits: 0 }).format(n);
}

/** 87,5% in Vietnamese, 87.5% in English; a share of nothing is a dash, not 0%. */
export function formatShare(share: number | null, locale: ReportLocale = 'vi'): string {
  if (share === null) return '—';
  return new Intl.NumberFormat(NUMBER_LOCALE[locale], { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** A handling time: hours under a day ("5,5 giờ"), days beyond ("2,3 ngày"), one decimal. */
export function formatDuration(hours: number | null, locale: ReportLocale = 'vi'): string {
  if (hours === null) return '—';
  const number = (n: number) => new Intl.NumberFormat(NUMBER_LOCALE[locale], { maximumFractionDigits: 1 }).format(n);
  if (hours < 24) return locale === 'vi' ? `${number(hours)} giờ` : `${number(hours)} h`;
  return locale === 'vi' ? `${number(hours / 24)} ngày` : `${number(hours / 24)} days`;
}

export interface ReportTableRow {
  /** section heading rows have no value */
  section?: true;
  vi: string;
  en: string;
  value?: (f: ReportFigures, locale: ReportLocale) => string;
  /** a plain count's number, for a spreadsheet cell that sums */
  count?: (f: ReportFigures) => number;
  /** the share the value shows beside its count (0.875 for 87,5%), for a spreadsheet's percent cell; null when there is nothing to share */
  share?: (f: ReportFigures) => number | null;
  /** the list a click on this figure opens */
  listKey?: ReportListKey;
  /** the queue's figures open the exchange view, where waiting and failed packages are */
  opensExchange?: true;
}

/** A row whose figure is a plain count: shown with separators, kept as a number in spreadsheets. */
function countRow(vi: string, en: string, count: (f: ReportFigures) => number, more: Pick<ReportTableRow, 'listKey' | 'opensExchange'> = {}): ReportTableRow {
  return { vi, en, value: (f, l) => formatCount(count(f), l), count, ...more };
}

const share = (n: number, of: number, s: number | null, locale: ReportLocale) => (of === 0 ? '—' : `${formatCount(n, locale)} (${formatShare(s, locale)})`);

/** A count and its share of another ("10.802 (87,5%)"): both kept as numbers in spreadsheets. */
function shareRow(vi: string, en: string, count: (f: ReportFigures) => number, of: (f: ReportFigures) => number, ratio: (f: ReportFigures) => number | null, more: Pick<ReportTableRow, 'listKey'>): ReportTableRow {
  return { vi, en, value: (f, l) => share(count(f), of(f), ratio(f), l), count, share: (f) => (of(f) === 0 ? null : ratio(f)), ...more };
}

/**
 * The table of figures, in the order the exports print it and the dashboard reads it: one
 * definition of every label and value, shared by the screen, the XLSX and the PDF.
 */
export const REPORT_TABLE: readonly ReportTableRow[] = [
  { section: true, vi: 'Văn bản đi', en: 'Outgoing documents' },
  countRow('Văn bản đã phát hành', 'Documents issued', (f) => f.outgoing.issued, { listKey: 'issued' }),
  countRow('Gửi qua trục liên thông', 'Sent through the axis', (f) => f.outgoing.viaAxis, { listKey: 'issuedViaAxis' }),
  countRow('Gửi bằng giấy', 'Sent on paper', (f) => f.outgoing.onPaper, { listKey: 'issuedOnPaper' }),
  shareRow('Ký số của người có thẩm quyền', 'Signed digitally by the competent person', (f) => f.outgoing.leaderSigned, (f) => f.outgoing.issued, (f) => f.outgoing.leaderSignedShare, { listKey: 'leaderSigned' }),
  shareRow('Ký số của cơ quan, tổ chức', 'Signed digitally by the agency', (f) => f.outgoing.agencySigned, (f) => f.outgoing.issued, (f) => f.outgoing.agencySignedShare, { listKey: 'agencySigned' }),
  { section: true, vi: 'Văn bản đến', en: 'Incoming documents' },
  countRow('Văn bản đến', 'Documents received', (f) => f.incoming.received, { listKey: 'received' }),
  countRow('Nhận qua trục liên thông', 'Received through the axis', (f) => f.incoming.viaAxis, { listKey: 'receivedViaAxis' }),
  countRow('Nhận điện tử ngoài trục', 'Received electronically outside the axis', (f) => f.incoming.electronic, { listKey: 'receivedElectronic' }),
  countRow('Nhận bằng giấy', 'Received on paper', (f) => f.incoming.onPaper, { listKey: 'receivedOnPaper' }),
  countRow('Đã vào sổ (có số đến)', 'Registered (with an incoming number)', (f) => f.incoming.accepted, { listKey: 'accepted' }),
  shareRow('Xử lý trên môi trường mạng', 'Handled on the network', (f) => f.incoming.handledOnNetwork, (f) => f.incoming.accepted, (f) => f.incoming.handledOnNetworkShare, { listKey: 'handledOnNetwork' }),
  countRow('Chờ tiếp nhận', 'Waiting to be accepted', (f) => f.incoming.byState.received, { listKey: 'state:received' }),
  countRow('Đã vào sổ, chưa giao xử lý', 'Registered, not yet assigned', (f) => f.incoming.byState.registered, { listKey: 'state:registered' }),
  countRow('Đã giao xử lý', 'Assigned', (f) => f.incoming.byState.assigned, { listKey: 'state:assigned' }),
  countRow('Đang xử lý', 'In progress', (f) => f.incoming.byState.in_progress, { listKey: 'state:in_progress' }),
  countRow('Đã xử lý xong', 'Done', (f) => f.incoming.byState.done, { listKey: 'state:done' }),
  countRow('Đã trả lại', 'Returned', (f) => f.incoming.byState.returned, { listKey: 'state:returned' }),
  countRow('Đã thu hồi', 'Recalled', (f) => f.incoming.byState.recalled, { listKey: 'state:recalled' }),
  { section: true, vi: 'Thời gian xử lý văn bản đến', en: 'Handling time of incoming documents' },
  countRow('Xử lý xong trong kỳ', 'Done within the period', (f) => f.handling.done, { listKey: 'done' }),
  { vi: 'Trung vị (từ lúc đến tới khi xong)', en: 'Median (arrival to done)', value: (f, l) => formatDuration(f.handling.medianHours, l) },
  { vi: 'Phân vị 90', en: '90th percentile', value: (f, l) => formatDuration(f.handling.p90Hours, l) },
  countRow('Đúng hạn', 'On time', (f) => f.handling.onTime, { listKey: 'onTime' }),
  countRow('Quá hạn', 'Late', (f) => f.handling.late, { listKey: 'late' }),
  countRow('Không có hạn giải quyết', 'Without a due date', (f) => f.handling.withoutDue),
  { section: true, vi: 'Tại thời điểm lập báo cáo', en: 'When the report was made' },
  countRow('Văn bản quá hạn giải quyết', 'Overdue documents', (f) => f.overdue.count, { listKey: 'overdue' }),
  countRow(`Sắp đến hạn (trong ${DUE_SOON_DAYS} ngày)`, `Due within ${DUE_SOON_DAYS} days`, (f) => f.overdue.dueSoon, { listKey: 'dueSoon' }),
  countRow('Gói tin chờ gửi', 'Packages waiting to be sent', (f) => f.queue.waiting, { opensExchange: true }),
  { vi: 'Gói tin chờ lâu nhất, xếp hàng lúc', en: 'Oldest waiting package, queued at', value: (f) => (f.queue.oldestWaitingAt ? formatDateTimeVn(f.queue.oldestWaitingAt) : '—'), opensExchange: true },
  countRow('Gói tin gửi lỗi', 'Packages that failed', (f) => f.queue.failed, { opensExchange: true }),
  countRow('Gói tin bị từ chối khi nhận (trong kỳ)', 'Packages refused on arrival (in the period)', (f) => f.queue.refusedReceived),
];

/** The notes printed under the exported table: how each figure is counted. */
export const REPORT_DEFINITIONS: Record<ReportLocale, readonly string[]> = {
  vi: [
    'Kỳ báo cáo tính theo ngày giờ Việt Nam (UTC+07:00), gồm cả ngày đầu và ngày cuối.',
    'Văn bản đi tính theo ngày cấp số trên phần mềm; văn bản nhập từ nơi khác tính theo ngày văn bản.',
    'Ký số của người có thẩm quyền: văn bản được cấp số trên phần mềm, việc cấp số chỉ thực hiện sau khi kiểm tra chữ ký số hợp lệ của người ký.',
    'Văn bản đến nhận điện tử ngoài trục: tệp điện tử nhận qua thư điện tử, cổng thông tin… rồi nhập vào phần mềm; nhận bằng giấy: văn bản giấy vào sổ từ bản quét.',
    'Xử lý trên môi trường mạng: văn bản đến đã vào sổ và được giao xử lý trên phần mềm.',
    'Thời gian xử lý: từ lúc văn bản đến tới khi xử lý xong, với các văn bản xong trong kỳ; trung vị và phân vị 90 nội suy giữa hai giá trị liền kề, như hàm MEDIAN và PERCENTILE.INC của Excel.',
    'Văn bản quá hạn, sắp đến hạn và hàng đợi gửi tính tại thời điểm lập báo cáo.',
  ],
  en: [
    'The period is in Vietnam time (UTC+07:00), both days included.',
    'Outgoing documents count on the day this client numbered them; documents imported from elsewhere on the date they bear.',
    'Signed by the competent person: numbered in this client, which numbers a document only after checking its signer’s valid digital signature.',
    'Incoming documents received electronically outside the axis: electronic files received by e-mail, from a portal… and imported; received on paper: paper documents registered from their scans.',
    'Handled on the network: incoming documents registered and assigned to a handler in this client.',
    'Handling time: from arrival to done, for documents done within the period; the median and the 90th percentile interpolated between neighbouring values, as Excel’s MEDIAN and PERCENTILE.INC compute them.',
    'Overdue and due-soon documents and the sending queue are as of when the report was made.',
  ],
};
