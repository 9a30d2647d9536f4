// The periodic report (Decree 09/2019/NĐ-CP reporting): the figures of a period as the dashboard
// shows them, the CLI prints them as JSON and the XLSX/PDF exports tabulate them. One shape for
// all three, so that the screen and the files can never disagree.
//
// How each figure is counted (also printed under the exported table, see REPORT_DEFINITIONS):
// - A period is a range of calendar days in Vietnam, both ends included.
// - Issued (văn bản đi đã phát hành): outgoing documents past 'signed', on the day this client
//   numbered them, else on the date they bear, else on the day they were registered.
// - Received (văn bản đến): incoming documents on the day they arrived (registered_at).
// - Through the axis: the document travelled as an edXML package (it has a DocumentId); otherwise
//   on paper (scanned or imported).
// - Signed by the leader: numbered by this client, which refuses to number without a valid
//   signature of the declared signer. Signed by the agency: sealed with the agency's token here.
// - Handled on the network: accepted incoming documents that were assigned to a handler in the client.
// - Handling time: arrival → done, for documents done within the period; the median and the 90th
//   percentile interpolated between neighbouring values, as Excel's MEDIAN and PERCENTILE.INC
//   (LibreOffice's PERCENTILE) compute them: a clerk can check them on the exported list.
// - Overdue and due soon (within DUE_SOON_DAYS days): open documents (registered, assigned, in
//   progress) as the incoming list marks them, as of when the report was made, whatever the period. The queue likewise.

/** An open document is due soon when its due date is today or within this many days. */
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
  /** the list a click on this figure opens */
  listKey?: ReportListKey;
}

const share = (n: number, of: number, s: number | null, locale: ReportLocale) => (of === 0 ? '—' : `${formatCount(n, locale)} (${formatShare(s, locale)})`);

/**
 * The table of figures, in the order the exports print it and the dashboard reads it: one
 * definition of every label and value, shared by the screen, the XLSX and the PDF.
 */
export const REPORT_TABLE: readonly ReportTableRow[] = [
  { section: true, vi: 'Văn bản đi', en: 'Outgoing documents' },
  { vi: 'Văn bản đã phát hành', en: 'Documents issued', value: (f, l) => formatCount(f.outgoing.issued, l), listKey: 'issued' },
  { vi: 'Gửi qua trục liên thông', en: 'Sent through the axis', value: (f, l) => formatCount(f.outgoing.viaAxis, l), listKey: 'issuedViaAxis' },
  { vi: 'Gửi bằng giấy', en: 'Sent on paper', value: (f, l) => formatCount(f.outgoing.onPaper, l), listKey: 'issuedOnPaper' },
  { vi: 'Ký số của người có thẩm quyền', en: "Signed digitally by the competent person", value: (f, l) => share(f.outgoing.leaderSigned, f.outgoing.issued, f.outgoing.leaderSignedShare, l), listKey: 'leaderSigned' },
  { vi: 'Ký số của cơ quan, tổ chức', en: "Signed digitally by the agency", value: (f, l) => share(f.outgoing.agencySigned, f.outgoing.issued, f.outgoing.agencySignedShare, l), listKey: 'agencySigned' },
  { section: true, vi: 'Văn bản đến', en: 'Incoming documents' },
  { vi: 'Văn bản đến', en: 'Documents received', value: (f, l) => formatCount(f.incoming.received, l), listKey: 'received' },
  { vi: 'Nhận qua trục liên thông', en: 'Received through the axis', value: (f, l) => formatCount(f.incoming.viaAxis, l), listKey: 'receivedViaAxis' },
  { vi: 'Nhận bằng giấy', en: 'Received on paper', value: (f, l) => formatCount(f.incoming.onPaper, l), listKey: 'receivedOnPaper' },
  { vi: 'Đã vào sổ (có số đến)', en: 'Registered (with an incoming number)', value: (f, l) => formatCount(f.incoming.accepted, l), listKey: 'accepted' },
  { vi: 'Xử lý trên môi trường mạng', en: 'Handled on the network', value: (f, l) => share(f.incoming.handledOnNetwork, f.incoming.accepted, f.incoming.handledOnNetworkShare, l), listKey: 'handledOnNetwork' },
  { vi: 'Chờ tiếp nhận', en: 'Waiting to be accepted', value: (f, l) => formatCount(f.incoming.byState.received, l), listKey: 'state:received' },
  { vi: 'Đã vào sổ, chưa giao xử lý', en: 'Registered, not yet assigned', value: (f, l) => formatCount(f.incoming.byState.registered, l), listKey: 'state:registered' },
  { vi: 'Đã giao xử lý', en: 'Assigned', value: (f, l) => formatCount(f.incoming.byState.assigned, l), listKey: 'state:assigned' },
  { vi: 'Đang xử lý', en: 'In progress', value: (f, l) => formatCount(f.incoming.byState.in_progress, l), listKey: 'state:in_progress' },
  { vi: 'Đã xử lý xong', en: 'Done', value: (f, l) => formatCount(f.incoming.byState.done, l), listKey: 'state:done' },
  { vi: 'Đã trả lại', en: 'Returned', value: (f, l) => formatCount(f.incoming.byState.returned, l), listKey: 'state:returned' },
  { vi: 'Đã thu hồi', en: 'Recalled', value: (f, l) => formatCount(f.incoming.byState.recalled, l), listKey: 'state:recalled' },
  { section: true, vi: 'Thời gian xử lý văn bản đến', en: 'Handling time of incoming documents' },
  { vi: 'Xử lý xong trong kỳ', en: 'Done within the period', value: (f, l) => formatCount(f.handling.done, l), listKey: 'done' },
  { vi: 'Trung vị (từ lúc đến tới khi xong)', en: 'Median (arrival to done)', value: (f, l) => formatDuration(f.handling.medianHours, l) },
  { vi: 'Phân vị 90', en: '90th percentile', value: (f, l) => formatDuration(f.handling.p90Hours, l) },
  { vi: 'Đúng hạn', en: 'On time', value: (f, l) => formatCount(f.handling.onTime, l), listKey: 'onTime' },
  { vi: 'Quá hạn', en: 'Late', value: (f, l) => formatCount(f.handling.late, l), listKey: 'late' },
  { vi: 'Không có hạn giải quyết', en: 'Without a due date', value: (f, l) => formatCount(f.handling.withoutDue, l) },
  { section: true, vi: 'Tại thời điểm lập báo cáo', en: 'When the report was made' },
  { vi: 'Văn bản quá hạn giải quyết', en: 'Overdue documents', value: (f, l) => formatCount(f.overdue.count, l), listKey: 'overdue' },
  { vi: `Sắp đến hạn (trong ${DUE_SOON_DAYS} ngày)`, en: `Due within ${DUE_SOON_DAYS} days`, value: (f, l) => formatCount(f.overdue.dueSoon, l), listKey: 'dueSoon' },
  { vi: 'Gói tin chờ gửi', en: 'Packages waiting to be sent', value: (f, l) => formatCount(f.queue.waiting, l) },
  { vi: 'Gói tin gửi lỗi', en: 'Packages that failed', value: (f, l) => formatCount(f.queue.failed, l) },
  { vi: 'Gói tin bị từ chối khi nhận (trong kỳ)', en: 'Packages refused on arrival (in the period)', value: (f, l) => formatCount(f.queue.refusedReceived, l) },
];

/** The notes printed under the exported table: how each figure is counted. */
export const REPORT_DEFINITIONS: Record<ReportLocale, readonly string[]> = {
  vi: [
    'Kỳ báo cáo tính theo ngày giờ Việt Nam (UTC+07:00), gồm cả ngày đầu và ngày cuối.',
    'Văn bản đi tính theo ngày cấp số trên phần mềm; văn bản nhập từ nơi khác tính theo ngày văn bản.',
    'Ký số của người có thẩm quyền: văn bản được cấp số trên phần mềm, việc cấp số chỉ thực hiện sau khi kiểm tra chữ ký số hợp lệ của người ký.',
    'Xử lý trên môi trường mạng: văn bản đến đã vào sổ và được giao xử lý trên phần mềm.',
    'Thời gian xử lý: từ lúc văn bản đến tới khi xử lý xong, với các văn bản xong trong kỳ; trung vị và phân vị 90 nội suy giữa hai giá trị liền kề, như hàm MEDIAN và PERCENTILE.INC của Excel.',
    'Văn bản quá hạn, sắp đến hạn và hàng đợi gửi tính tại thời điểm lập báo cáo.',
  ],
  en: [
    'The period is in Vietnam time (UTC+07:00), both days included.',
    'Outgoing documents count on the day this client numbered them; documents imported from elsewhere on the date they bear.',
    'Signed by the competent person: numbered in this client, which numbers a document only after checking its signer’s valid digital signature.',
    'Handled on the network: incoming documents registered and assigned to a handler in this client.',
    'Handling time: from arrival to done, for documents done within the period; the median and the 90th percentile interpolated between neighbouring values, as Excel’s MEDIAN and PERCENTILE.INC compute them.',
    'Overdue and due-soon documents and the sending queue are as of when the report was made.',
  ],
};
