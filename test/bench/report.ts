// npm run bench -- report [count] [--keep] [--registers-timeout s]: the periodic report over a year of documents (250,000
// by default). A data folder is filled by direct SQL — the registry benchmark already times
// registration, and going through insertDocument would spend minutes on the full-text index,
// which no report reads — then a child process, with nothing else in its memory, times:
//   - the dashboard's figures for a month (its default period), a quarter and the whole year,
//     each cold (the first call on a freshly opened database) and warm (median of WARM_RUNS);
//   - the first page of the lists behind two figures ('received', 'overdue') for the year;
//   - the yearly report: its figures, the XLSX and the PDF;
// and, each in a child of its own, the year's two registers (sổ đi, sổ đến) as books and as XLSX,
// whose peak memory — a spreadsheet of every row — would otherwise hide the dashboard's.
// --keep leaves the data folder behind (its path is printed), to look at query plans.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { openDatabase, type Database } from '../../main/core/storage/database.js';
import { registerName } from '../../main/core/registry/registers.js';
import { toVnIso, vnDate } from '../../main/common/dates.js';
import { Prng } from './corpus.js';
import { progress, round } from './stats.js';

export const REPORT_TARGETS = { dashboardMs: 200 } as const;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Bundled JavaScript, as the app runs it: tsx's loader would add its own memory to the child's peak.
const CHILD = path.join(REPO, 'dist/bench/reportChild.mjs');
const DEFAULT_COUNT = 250_000;
const BATCH = 10_000;
const YEAR = 2025;
/** When the report is made: the last working day of the year, after office hours. */
const NOW = `${YEAR}-12-31T17:30:00+07:00`;
const LOCAL_CODE = '000.00.32.H41';
const LOCAL_NAME = 'Ủy ban nhân dân tỉnh Quảng Trị';
const HANDLERS = 40;
const DEFAULT_REGISTERS_TIMEOUT_S = 300;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const NOW_MS = Date.parse(NOW);

/** Arguments and results of the child (reportChild.ts). */
export interface ReportChildRequest {
  phase: 'report' | 'register:out' | 'register:in';
  dbFile: string;
  year: number;
  now: string;
  warmRuns: number;
}

const USAGE = 'usage: report [count ≥ 100] [--keep] [--registers-timeout seconds]';

export function parseReportArgs(args: readonly string[]): { count: number; keep: boolean; registersTimeout: number } {
  let count = DEFAULT_COUNT;
  let keep = false;
  let registersTimeout = DEFAULT_REGISTERS_TIMEOUT_S;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--keep') keep = true;
    else if (a === '--registers-timeout' && /^\d+$/.test(args[i + 1] ?? '')) registersTimeout = Number(args[++i]);
    else if (/^\d+$/.test(a) && Number(a) >= 100) count = Number(a);
    else throw new Error(`report: unknown argument "${a}" (${USAGE})`);
  }
  return { count, keep, registersTimeout };
}

export async function runReportBenchmark(args: readonly string[]): Promise<unknown> {
  const { count, keep, registersTimeout } = parseReportArgs(args);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eoffice-bench-report-'));
  const dbFile = path.join(dataDir, 'eoffice.sqlite');
  const cleanup = () => {
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  // Ctrl-C during a long run must not leave a few hundred megabytes in /tmp.
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.stderr.write(`[bench] interrupted (${signal})\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    progress(`data folder ${dataDir}`);
    // Bundled while the data is built; a failure (say, a report module missing) is thrown once the data is there.
    const bundling = esbuild({ entryPoints: [path.join(REPO, 'test/bench/reportChild.ts')], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' }).then(
      () => null,
      (error: unknown) => error,
    );

    const started = performance.now();
    const db = openDatabase(dbFile);
    let built: BuildSummary;
    try {
      built = buildYear(db, count);
      // The WAL folded into the main file, as after the app's own checkpoints: the child then reads one file.
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    const setupSeconds = (performance.now() - started) / 1000;
    const databaseMB = fs.statSync(dbFile).size / 1048576;
    progress(`setup: ${setupSeconds.toFixed(1)} s, ${databaseMB.toFixed(0)} MB; ${JSON.stringify(built)}`);
    const bundleError = await bundling;
    if (bundleError) throw new Error(`bundling the report child failed: ${bundleError instanceof Error ? bundleError.message : String(bundleError)}`);

    const request = (phase: ReportChildRequest['phase']): ReportChildRequest => ({ phase, dbFile, year: YEAR, now: NOW, warmRuns: 7 });
    progress('timing the dashboard, the lists and the yearly report in a child process');
    const report = runChild(request('report')) as ReportPhaseResult;
    // Each register in a process of its own, with a time limit: a book whose query goes quadratic
    // must not hold the whole run for hours — it is reported as timed out instead.
    progress(`timing the registers, each in a child process of its own (at most ${registersTimeout} s each)`);
    const registers = {
      outgoing: runChild(request('register:out'), registersTimeout) as RegisterPhaseResult | { timedOutAfterSeconds: number },
      incoming: runChild(request('register:in'), registersTimeout) as RegisterPhaseResult | { timedOutAfterSeconds: number },
    };

    const d = report.dashboard;
    return {
      benchmark: 'report',
      documents: count,
      setupSeconds: round(setupSeconds, 1),
      databaseMB: round(databaseMB, 1),
      data: built,
      now: NOW,
      dashboard: {
        monthMs: d.month.warmMs,
        quarterMs: d.quarter.warmMs,
        yearMs: d.year.warmMs,
        coldMonthMs: d.month.coldMs,
        coldQuarterMs: d.quarter.coldMs,
        coldYearMs: d.year.coldMs,
        periods: { month: d.month.period, quarter: d.quarter.period, year: d.year.period },
        warmRuns: 7,
      },
      list: report.list,
      yearlyReport: report.yearlyReport,
      registers,
      // The dashboard/report process's own high-water mark (VmHWM, see childRss.ts); each register's is in its entry.
      peakRssMB: report.peakRssMB,
      figuresSample: report.figuresSample,
      targets: REPORT_TARGETS,
      meets: { dashboard: d.month.warmMs <= REPORT_TARGETS.dashboardMs && d.year.warmMs <= REPORT_TARGETS.dashboardMs },
      machine: { node: process.version, cpu: os.cpus()[0]?.model ?? null, cores: os.cpus().length, memoryGB: round(os.totalmem() / 1024 ** 3, 1) },
      ...(keep ? { keptDataFolder: dataDir } : {}),
    };
  } finally {
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress(keep ? `kept ${dataDir}` : `removed ${dataDir}`);
  }
}

export interface PeriodTiming {
  period: { from: string; to: string };
  coldMs: number;
  warmMs: number;
  warmMaxMs: number;
}
export interface ReportPhaseResult {
  dashboard: { month: PeriodTiming; quarter: PeriodTiming; year: PeriodTiming };
  list: Record<string, { total: number; items: number; firstMs: number; warmMs: number }>;
  yearlyReport: { figuresMs: number; xlsxMs: number; pdfMs: number; bytes: { xlsx: number; pdf: number } };
  figuresSample: unknown;
  peakRssMB: number;
}
export interface RegisterPhaseResult {
  rows: number;
  bookMs: number;
  xlsxMs: number;
  bytes: number;
  /** this register's process */
  peakRssMB: number;
}

function runChild(request: ReportChildRequest, timeoutSeconds?: number): unknown {
  // stderr is passed through: the child's progress shows as it goes.
  const run = spawnSync(process.execPath, [CHILD, JSON.stringify(request)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1048576,
    ...(timeoutSeconds ? { timeout: timeoutSeconds * 1000, killSignal: 'SIGKILL' as const } : {}),
  });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { timedOutAfterSeconds: timeoutSeconds };
  if (run.status !== 0) throw new Error(`report child (${request.phase}) failed with status ${run.status}${run.signal ? ` (${run.signal})` : ''}`);
  return JSON.parse(run.stdout);
}

// ---------------------------------------------------------------------------------------------
// The year's data

export interface BuildSummary {
  outgoing: number;
  incoming: number;
  outgoingIssued: number;
  outgoingNumberedHere: number;
  outgoingViaAxis: number;
  incomingViaAxis: number;
  incomingByState: Record<string, number>;
  openPastDue: number;
  handlers: number;
  outboxJobs: Record<string, number>;
  receivedPackages: Record<string, number>;
}

/** Working days (Monday to Friday) of the year, as the UTC midnight of each date. */
function workingDays(year: number): number[] {
  const days: number[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(t);
  }
  return days;
}

const TYPES = [
  ['CV', '', 40], ['QD', 'QĐ', 14], ['BC', 'BC', 9], ['KH', 'KH', 7], ['TB', 'TB', 6], ['GM', 'GM', 6], ['TTR', 'TTr', 4], ['HD', 'HD', 2], ['CT', 'CT', 1],
] as const;
const TYPE_TOTAL = TYPES.reduce((s, t) => s + t[2], 0);
const TOPICS = [
  'triển khai chuyển đổi số trong cơ quan nhà nước', 'tăng cường công tác phòng cháy, chữa cháy', 'đôn đốc giải ngân vốn đầu tư công',
  'rà soát, sắp xếp đơn vị hành chính cấp xã', 'cải cách hành chính', 'phòng, chống thiên tai', 'công tác văn thư, lưu trữ',
  'bảo đảm an toàn thông tin mạng', 'triển khai Đề án 06', 'quyết toán kinh phí sự nghiệp', 'phát triển kinh tế - xã hội',
  'giải quyết kiến nghị của cử tri', 'tổ chức kỳ thi tốt nghiệp trung học phổ thông', 'phê duyệt dự án đầu tư xây dựng trường mầm non',
] as const;
const SENDERS = [
  ['UBND', 'Ủy ban nhân dân tỉnh {P}'], ['STC', 'Sở Tài chính tỉnh {P}'], ['SNV', 'Sở Nội vụ tỉnh {P}'], ['SGDĐT', 'Sở Giáo dục và Đào tạo tỉnh {P}'],
  ['SYT', 'Sở Y tế tỉnh {P}'], ['SXD', 'Sở Xây dựng tỉnh {P}'], ['SNNMT', 'Sở Nông nghiệp và Môi trường tỉnh {P}'], ['SKHCN', 'Sở Khoa học và Công nghệ tỉnh {P}'],
  ['CAT', 'Công an tỉnh {P}'], ['BNV', 'Bộ Nội vụ'], ['BTC', 'Bộ Tài chính'], ['VPCP', 'Văn phòng Chính phủ'], ['TTg', 'Thủ tướng Chính phủ'],
] as const;
const PROVINCES = ['Hà Nội', 'Huế', 'Quảng Trị', 'Đà Nẵng', 'Nghệ An', 'Hà Tĩnh', 'Quảng Ngãi', 'Đắk Lắk', 'Điện Biên', 'Cần Thơ', 'Gia Lai', 'Lâm Đồng'] as const;
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'] as const;
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thanh', 'Ngọc', 'Hữu', 'Thu'] as const;
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hạnh', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Phong', 'Sơn', 'Tâm', 'Trang', 'Tuấn', 'Vân', 'Yến'] as const;
const UNITS = ['Văn phòng', 'Phòng Tổng hợp', 'Phòng Kinh tế', 'Phòng Nội chính', 'Phòng Khoa giáo - Văn xã', 'Ban Tiếp công dân', 'Trung tâm Phục vụ hành chính công'] as const;
const POSITIONS = ['Chủ tịch', 'Phó Chủ tịch', 'Chánh Văn phòng'] as const;

interface Sender {
  code: string;
  abbr: string;
  name: string;
}

const DOCUMENT_COLUMNS = [
  'id', 'register_id', 'direction', 'year', 'type_code', 'number', 'notation', 'document_date', 'subject', 'author_agency',
  'signer_name', 'signer_position', 'signer_competence', 'priority', 'due_date', 'state', 'registered_at', 'updated_at',
  'drafting_unit', 'copies', 'archive_holder', 'numbered_at', 'sealed_at', 'queued_at', 'state_reason', 'exchange_id', 'sender_code',
  'incoming_number', 'accepted_at', 'handler_id', 'handling_due', 'assigned_at', 'started_at', 'handled_at',
] as const;
type DocumentRow = { [K in (typeof DOCUMENT_COLUMNS)[number]]: string | number | null };

/**
 * `count` documents registered over the working days of YEAR, in time order (so that số đi and
 * số đến grow with the date as they do in a real register): a third outgoing, two thirds incoming.
 * Everything after NOW is pulled back to it, and the states of the last weeks stay open, as they
 * would on 31 December.
 */
export function buildYear(db: Database, count: number): BuildSummary {
  const rng = new Prng(20251231);
  const pick = <T>(items: readonly T[]) => rng.pick(items);
  const iso = (ms: number) => toVnIso(new Date(Math.min(ms, NOW_MS)));
  const date = (ms: number) => vnDate(new Date(ms));
  const person = () => `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
  const type = () => {
    let x = rng.next() * TYPE_TOTAL;
    for (const t of TYPES) if ((x -= t[2]) < 0) return t;
    return TYPES[0];
  };

  db.prepare('UPDATE agencies SET code = ?, name = ?, abbreviation = ? WHERE is_local = 1').run(LOCAL_CODE, LOCAL_NAME, 'UBND');
  const agencyId = (db.prepare('SELECT id FROM agencies WHERE is_local = 1').get() as { id: number }).id;
  const addRegister = db.prepare('INSERT INTO registers (agency_id, direction, year, confidential, name) VALUES (?, ?, ?, 0, ?)');
  const outRegister = Number(addRegister.run(agencyId, 'out', YEAR, registerName('out', YEAR, false)).lastInsertRowid);
  const inRegister = Number(addRegister.run(agencyId, 'in', YEAR, registerName('in', YEAR, false)).lastInsertRowid);

  const created = toVnIso(new Date(Date.UTC(YEAR, 0, 2, 1)));
  const addHandler = db.prepare('INSERT INTO handlers (name, unit, kind, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const names = new Set<string>();
  db.transaction(() => {
    for (let h = 1; h <= HANDLERS; h++) {
      // A few units as handlers, and two people who have left (inactive) but still name old documents.
      const unit = h <= 4;
      let name = unit ? UNITS[h]! : person();
      while (names.has(name)) name = person();
      names.add(name);
      addHandler.run(name, unit ? '' : UNITS[h % UNITS.length]!, unit ? 'unit' : 'person', h > HANDLERS - 2 ? 0 : 1, created, created);
    }
  })();

  // Some 300 correspondents, each with its identifier code on the axis.
  const senders: Sender[] = Array.from({ length: 300 }, (_, i) => {
    const [abbr, name] = SENDERS[i % SENDERS.length]!;
    const province = PROVINCES[Math.floor(i / SENDERS.length) % PROVINCES.length]!;
    return { code: `000.${String(i % 100).padStart(2, '0')}.${String(10 + (i % 80)).padStart(2, '0')}.H${String(10 + (i % 60)).padStart(2, '0')}`, abbr, name: name.replace('{P}', province) };
  });

  // The report's two columns as migration 0007's triggers compute them; since 0011 a new row gets
  // them from its INSERT (the registry's insertDocument writes them the same way).
  const reportColumns = {
    issued_on: "CASE WHEN @direction = 'out' AND @state NOT IN ('draft', 'signed') THEN coalesce(@numbered_at, @document_date, @registered_at) END",
    handling_seconds: 'unixepoch(@handled_at) - unixepoch(@registered_at)',
  };
  const insertDocument = db.prepare(
    `INSERT INTO documents (${[...DOCUMENT_COLUMNS, ...Object.keys(reportColumns)].join(', ')}) VALUES (${[...DOCUMENT_COLUMNS.map((c) => `@${c}`), ...Object.values(reportColumns)].join(', ')})`,
  );
  const insertRecipient = db.prepare('INSERT INTO document_recipients (document_id, position, name) VALUES (?, ?, ?)');
  const insertRecipientAgency = db.prepare('INSERT INTO document_recipient_agencies (document_id, position, code) VALUES (?, ?, ?)');
  const insertBatch = db.transaction((rows: Array<{ doc: DocumentRow; printed: string[]; codes: string[] }>) => {
    for (const { doc, printed, codes } of rows) {
      insertDocument.run(doc);
      printed.forEach((name, p) => insertRecipient.run(doc.id, p, name));
      codes.forEach((code, p) => insertRecipientAgency.run(doc.id, p, code));
    }
  });

  const days = workingDays(YEAR);
  const summary: BuildSummary = {
    outgoing: 0, incoming: 0, outgoingIssued: 0, outgoingNumberedHere: 0, outgoingViaAxis: 0, incomingViaAxis: 0,
    incomingByState: {}, openPastDue: 0, handlers: HANDLERS, outboxJobs: {}, receivedPackages: {},
  };
  const queuedOut: number[] = [];
  const sentOut: number[] = [];
  const axisIn: Array<{ id: number; sender: string; exchangeId: string; at: string }> = [];
  let outNumber = 0;
  let inNumber = 0;
  let batch: Array<{ doc: DocumentRow; printed: string[]; codes: string[] }> = [];
  const today = date(NOW_MS);

  for (let i = 0; i < count; i++) {
    const id = i + 1;
    // Documents i..: spread evenly over the working days, in order within a day (07:30 to 17:00).
    const dayIndex = Math.floor((days.length * i) / count);
    const firstOfDay = Math.ceil((dayIndex * count) / days.length);
    const perDay = Math.ceil(((dayIndex + 1) * count) / days.length) - firstOfDay;
    // UTC midnight + 00:30 is 07:30 in Vietnam.
    const registered = days[dayIndex]! + 0.5 * HOUR + Math.floor(((i - firstOfDay) / Math.max(1, perDay)) * 9.5 * HOUR);
    const ageDays = (NOW_MS - registered) / DAY;
    const [typeCode, typeAbbr] = type();
    const subject = `${typeCode === 'GM' ? 'Mời dự họp về' : 'Về việc'} ${pick(TOPICS)} năm ${YEAR}`;
    const priority = rng.chance(0.9) ? 'normal' : pick(['urgent', 'very_urgent', 'flash'] as const);
    const doc: DocumentRow = {
      id, register_id: 0, direction: 'out', year: YEAR, type_code: typeCode, number: null, notation: null, document_date: date(registered),
      subject, author_agency: '', signer_name: person(), signer_position: pick(POSITIONS), signer_competence: '', priority,
      due_date: priority === 'normal' ? null : date(registered + rng.int(1, 10) * DAY), state: '', registered_at: iso(registered),
      updated_at: iso(registered), drafting_unit: '', copies: null, archive_holder: '', numbered_at: null, sealed_at: null, queued_at: null,
      state_reason: null, exchange_id: null, sender_code: null, incoming_number: null, accepted_at: null, handler_id: null,
      handling_due: null, assigned_at: null, started_at: null, handled_at: null,
    };
    const printed: string[] = [];
    const codes: string[] = [];
    if (doc.signer_position === 'Phó Chủ tịch') doc.signer_competence = 'KT.';

    if (rng.chance(1 / 3)) {
      summary.outgoing++;
      doc.register_id = outRegister;
      doc.author_agency = LOCAL_NAME;
      doc.drafting_unit = pick(['VP', 'KT', 'NC', 'TH', 'KGVX']);
      doc.copies = rng.int(2, 6);
      doc.archive_holder = `Lưu: VT, ${doc.drafting_unit}`;
      const roll = rng.next();
      let last = registered;
      if (roll < 0.03 || (ageDays < 3 && roll < 0.15)) {
        // Drafts and signed drafts: not issued, so no figure counts them.
        doc.state = rng.chance(0.6) ? 'draft' : 'signed';
      } else {
        summary.outgoingIssued++;
        for (let r = rng.int(1, 3); r > 0; r--) printed.push(`- ${pick(senders).name};`);
        printed.push('- Lưu: VT.');
        if (roll < 0.16) {
          // On paper, numbered by hand or imported from another system: the number it bears, no numbered_at.
          doc.state = 'issued';
          doc.number = rng.int(1, 9000);
          doc.notation = `${doc.number}/${typeAbbr ? `${typeAbbr}-UBND` : 'UBND-VP'}`;
          doc.document_date = date(registered - rng.int(0, 3) * DAY);
        } else {
          summary.outgoingNumberedHere++;
          doc.number = ++outNumber;
          doc.notation = `${outNumber}/${typeAbbr ? `${typeAbbr}-UBND` : 'UBND-VP'}`;
          const numbered = registered + rng.int(10, 240) * MINUTE;
          doc.numbered_at = iso(numbered);
          doc.document_date = date(numbered);
          last = numbered;
          if (rng.chance(0.9)) {
            // Through the axis: sealed, queued and (but for the last hours) sent.
            summary.outgoingViaAxis++;
            const sealed = numbered + rng.int(1, 30) * MINUTE;
            doc.sealed_at = iso(sealed);
            doc.queued_at = iso(sealed);
            doc.exchange_id = `${LOCAL_CODE},${String(doc.document_date).replaceAll('-', '/')},${doc.notation}`;
            for (let r = rng.int(1, 4); r > 0; r--) {
              const code = pick(senders).code;
              if (!codes.includes(code)) codes.push(code);
            }
            last = sealed;
            if (ageDays < 1) {
              doc.state = 'queued';
              queuedOut.push(id);
            } else {
              const later = rng.next();
              doc.state = later < 0.005 ? 'recalled' : later < 0.008 ? 'updated' : later < 0.01 ? 'replaced' : 'sent';
              if (doc.state !== 'sent') doc.state_reason = 'Sai sót về thể thức';
              if (sentOut.length < 300 && rng.chance(1200 / count)) sentOut.push(id);
            }
          } else {
            // Numbered here, sent on paper: sealed with the token only sometimes.
            doc.state = 'issued';
            if (rng.chance(0.5)) doc.sealed_at = iso((last = numbered + rng.int(1, 30) * MINUTE));
          }
        }
      }
      doc.updated_at = iso(last);
    } else {
      summary.incoming++;
      doc.register_id = inRegister;
      doc.direction = 'in';
      const sender = pick(senders);
      doc.author_agency = sender.name;
      doc.notation = `${rng.int(1, 4500)}/${typeAbbr ? `${typeAbbr}-${sender.abbr}` : `${sender.abbr}-VP`}`;
      doc.document_date = date(registered - rng.int(0, 6) * DAY);
      if (rng.chance(0.85)) {
        summary.incomingViaAxis++;
        doc.sender_code = sender.code;
        doc.exchange_id = `${sender.code},${String(doc.document_date).replaceAll('-', '/')},${doc.notation}`;
        axisIn.push({ id, sender: sender.code, exchangeId: doc.exchange_id, at: String(doc.registered_at) });
      }
      // The recent weeks are still being worked on; older documents are mostly done, and what is
      // still open from them is the overdue backlog.
      const r = rng.next();
      const state = ageDays < 10
        ? r < 0.15 ? 'received' : r < 0.3 ? 'registered' : r < 0.5 ? 'assigned' : r < 0.72 ? 'in_progress' : r < 0.95 ? 'done' : r < 0.98 ? 'returned' : 'recalled'
        : r < 0.003 ? 'received' : r < 0.013 ? 'registered' : r < 0.023 ? 'assigned' : r < 0.043 ? 'in_progress' : r < 0.96 ? 'done' : r < 0.985 ? 'returned' : 'recalled';
      doc.state = state;
      summary.incomingByState[state] = (summary.incomingByState[state] ?? 0) + 1;
      let last = registered;
      const accepted = ['registered', 'assigned', 'in_progress', 'done'].includes(state) || (state === 'recalled' && rng.chance(0.5));
      if (accepted) {
        const acceptedAt = registered + rng.int(5, 240) * MINUTE;
        doc.incoming_number = ++inNumber;
        doc.accepted_at = iso((last = acceptedAt));
        const handledOnNetwork = state !== 'registered' && !(state === 'done' && rng.chance(0.1)) && !(state === 'recalled' && rng.chance(0.5));
        if (handledOnNetwork) {
          const assigned = acceptedAt + rng.int(10, 24 * 60) * MINUTE;
          doc.handler_id = rng.int(1, HANDLERS);
          doc.assigned_at = iso((last = assigned));
          if (rng.chance(0.85)) doc.handling_due = date(assigned + rng.int(3, 20) * DAY);
          if (state !== 'assigned') {
            const startedAt = assigned + rng.int(10, 48 * 60) * MINUTE;
            doc.started_at = iso((last = startedAt));
            if (state === 'done' || state === 'recalled') {
              // Handling time: a long tail (a few hours to several weeks), log-uniform.
              const hours = Math.exp(Math.log(2) + rng.next() * Math.log(600 / 2));
              const handled = Math.min(startedAt + hours * HOUR, NOW_MS - rng.int(1, 120) * MINUTE);
              doc.handled_at = iso((last = Math.max(handled, startedAt)));
            }
          }
        } else if (state === 'registered' && rng.chance(0.3)) {
          doc.handling_due = date(acceptedAt + rng.int(5, 15) * DAY);
        } else if (state === 'done') {
          // Handled on paper: the clerk records the end only.
          doc.handled_at = iso((last = acceptedAt + rng.int(24, 400) * HOUR));
        }
        if (['registered', 'assigned', 'in_progress'].includes(state) && doc.handling_due !== null && (doc.handling_due as string) < today) summary.openPastDue++;
      }
      if (state === 'returned' || state === 'recalled') {
        doc.state_reason = state === 'returned' ? 'Không đúng thẩm quyền giải quyết' : 'Cơ quan gửi thu hồi';
        last += rng.int(30, 48 * 60) * MINUTE;
      }
      doc.updated_at = iso(last);
    }
    batch.push({ doc, printed, codes });
    if (batch.length === BATCH || i === count - 1) {
      insertBatch(batch);
      batch = [];
      if ((i + 1) % 50_000 < BATCH || i === count - 1) progress(`  ${(i + 1).toLocaleString('en')} documents`);
    }
  }

  db.prepare('UPDATE registers SET last_number = ? WHERE id = ?').run(outNumber, outRegister);
  db.prepare('UPDATE registers SET last_number = ? WHERE id = ?').run(inNumber, inRegister);

  // The sending queue: the last day's documents waiting (a few failed and waiting to be retried),
  // and some sent jobs from earlier in the year.
  const insertJob = db.prepare(`INSERT INTO outbox_jobs (document_id, action, message_type, recipients, exchange_id, package_size, state, queued_at, next_attempt_at, sent_at, attempts, last_error, error_kind)
    SELECT d.id, 'send', 'edoc', COALESCE((SELECT json_group_array(code) FROM document_recipient_agencies a WHERE a.document_id = d.id), '[]'), d.exchange_id, @size, @state, d.queued_at, @next, @sent, @attempts, @error, @kind
      FROM documents d WHERE d.id = @id`);
  const jobs: Record<string, number> = {};
  db.transaction(() => {
    for (const id of queuedOut) {
      const failed = rng.chance(0.15);
      const state = failed ? 'failed' : 'queued';
      jobs[state] = (jobs[state] ?? 0) + 1;
      insertJob.run({ id, size: rng.int(80_000, 6_000_000), state, next: failed ? iso(NOW_MS + 30 * MINUTE) : null, sent: null, attempts: failed ? rng.int(1, 6) : 0, error: failed ? 'ECONNREFUSED' : null, kind: failed ? 'transient' : null });
    }
    for (const id of sentOut) {
      jobs.sent = (jobs.sent ?? 0) + 1;
      insertJob.run({ id, size: rng.int(80_000, 6_000_000), state: 'sent', next: null, sent: null, attempts: 1, error: null, kind: null });
    }
    db.prepare("UPDATE outbox_jobs SET sent_at = queued_at WHERE state = 'sent'").run();
  })();
  summary.outboxJobs = jobs;

  // Packages fetched from the axis: some accepted (the received documents they became), some
  // refused, some statuses about documents sent.
  const insertPackage = db.prepare(`INSERT INTO received_packages (axis_doc_id, message_type, sender_code, exchange_id, business_type, status_code, package_size, outcome, refusal_reason, refusal_detail, document_id, received_at)
    VALUES (@axis, @type, @sender, @exchangeId, @business, @status, @size, @outcome, @reason, @detail, @document, @at)`);
  const packages: Record<string, number> = {};
  const once = new Set<string>();
  db.transaction(() => {
    let n = 0;
    const add = (p: Record<string, unknown>) => {
      insertPackage.run({ axis: `bench-${++n}`, type: 'edoc', sender: '', exchangeId: null, business: 0, status: null, size: rng.int(50_000, 4_000_000), outcome: 'accepted', reason: null, detail: null, document: null, at: '', ...p });
      const key = `${p.type ?? 'edoc'}:${p.outcome ?? 'accepted'}`;
      packages[key] = (packages[key] ?? 0) + 1;
    };
    const step = Math.max(1, Math.floor(axisIn.length / 300));
    for (let k = 0; k < axisIn.length; k += step) {
      const doc = axisIn[k]!;
      if (once.has(`${doc.sender}|${doc.exchangeId}`)) continue;
      once.add(`${doc.sender}|${doc.exchangeId}`);
      add({ sender: doc.sender, exchangeId: doc.exchangeId, document: doc.id, at: doc.at });
    }
    for (let k = 0; k < 60; k++) {
      const at = iso(days[rng.int(0, days.length - 1)]! + rng.int(1, 10) * HOUR);
      add({ sender: pick(senders).code, exchangeId: `${pick(senders).code},${YEAR}/01/01,${k + 1}/CV-X`, outcome: 'refused', reason: pick(['SIGNATURE_INVALID', 'NOT_A_RECIPIENT', 'MALFORMED_PACKAGE']), detail: 'bench', at });
    }
    for (let k = 0; k < 60; k++) {
      const at = iso(days[rng.int(0, days.length - 1)]! + rng.int(1, 10) * HOUR);
      add({ type: 'status', business: null, sender: pick(senders).code, exchangeId: `${LOCAL_CODE},${YEAR}/01/01,${k + 1}/UBND-VP`, status: pick(['01', '03', '04', '06']), at });
    }
  })();
  summary.receivedPackages = packages;
  return summary;
}
