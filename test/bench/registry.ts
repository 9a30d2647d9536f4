// Registry benchmark: bulk registration, full-text search and the list's first page over a
// realistic register (250,000 documents by default), against the targets the UI needs.
//   npm run bench -- registry [--count N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../../main/core/storage/database.js';
import { insertDocument, listDocuments } from '../../main/core/registry/documents.js';
import { searchDocuments } from '../../main/core/registry/search.js';
import type { DocumentFilters } from '../../main/common/contract.js';
import { Corpus, Prng, RARE } from './corpus.js';
import { option, peakRssMB, percentile, progress, round, timed, timedWithCpu } from './stats.js';

export const TARGETS = { searchP95Ms: 30, firstListPageMs: 15, peakRssMB: 300 } as const;

const DEFAULT_COUNT = 250_000;
const BATCH = 5_000;
const SEARCH_QUERIES = 100;
const LIST_RUNS = 50;
const ACTOR = 'bench';

export interface RegistryResult {
  benchmark: 'registry';
  documents: number;
  insertPerSecond: number;
  /** CPU time per document registered (all threads), steadier than the rate on a busy machine. */
  insertCpuMsPerDocument: number;
  /** cpuP50Ms, cpuP95Ms: the same queries' CPU time, steadier than their wall time on a busy machine. */
  search: { p50Ms: number; p95Ms: number; p99Ms: number; cpuP50Ms: number; cpuP95Ms: number; queries: number };
  firstListPage: { p50Ms: number; p95Ms: number };
  databaseMB: number;
  peakRssMB: number;
  targets: typeof TARGETS;
  meets: { searchP95: boolean; firstListPage: boolean; peakRss: boolean };
  machine: { cpus: number; node: string };
}

export function parseRegistryArgs(args: readonly string[]): { count: number } {
  const known = new Set(['--count']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.split('=')[0]!;
    if (!known.has(name)) throw new Error(`registry: unknown argument "${a}" (usage: registry [--count N])`);
    if (!a.includes('=')) i++;
  }
  const raw = option(args, 'count');
  const count = raw === undefined ? DEFAULT_COUNT : Number(raw);
  if (!Number.isInteger(count) || count < 1) throw new Error(`registry: --count must be a positive integer, got "${raw}"`);
  return { count };
}

export function runRegistryBenchmark(args: readonly string[]): RegistryResult {
  const { count } = parseRegistryArgs(args);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eoffice-bench-'));
  const dbFile = path.join(dataDir, 'eoffice.sqlite');
  const cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true });
  // Ctrl-C during a long run must not leave a few hundred megabytes in /tmp.
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.stderr.write(`[bench] interrupted (${signal}); removed ${dataDir}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let db: Database | undefined;
  try {
    progress(`data folder ${dataDir}`);
    db = openDatabase(dbFile);
    const corpus = new Corpus({ count });

    const insert = insertCorpus(db, corpus);
    progress(`peak RSS after insert: ${peakRssMB().toFixed(0)} MB`);
    const search = searchLatency(db, corpus.sampledNotations);
    progress(`peak RSS after search: ${peakRssMB().toFixed(0)} MB`);
    const firstListPage = listLatency(db);
    const databaseMB = (fileSize(dbFile) + fileSize(`${dbFile}-wal`)) / (1024 * 1024);
    const rss = peakRssMB();

    return {
      benchmark: 'registry',
      documents: count,
      insertPerSecond: Math.round(insert.perSecond),
      insertCpuMsPerDocument: round(insert.cpuMsPerDocument, 3),
      search: { p50Ms: round(search.p50), p95Ms: round(search.p95), p99Ms: round(search.p99), cpuP50Ms: round(search.cpuP50), cpuP95Ms: round(search.cpuP95), queries: search.queries },
      firstListPage: { p50Ms: round(firstListPage.p50), p95Ms: round(firstListPage.p95) },
      databaseMB: round(databaseMB, 1),
      peakRssMB: round(rss, 1),
      targets: TARGETS,
      meets: {
        searchP95: search.p95 <= TARGETS.searchP95Ms,
        firstListPage: firstListPage.p95 <= TARGETS.firstListPageMs,
        peakRss: rss <= TARGETS.peakRssMB,
      },
      machine: { cpus: os.cpus().length, node: process.version },
    };
  } finally {
    db?.close();
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress(`removed ${dataDir}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Registration

/** Inserts the corpus in transactions of BATCH documents; returns documents per second of transaction time, and CPU time per document. */
export function insertCorpus(db: Database, corpus: Corpus): { perSecond: number; cpuMsPerDocument: number } {
  const count = corpus.remaining;
  const insertBatch = db.transaction((docs: ReturnType<Corpus['next']>[]) => {
    for (const doc of docs) insertDocument(db, doc, ACTOR);
  });
  let insertMs = 0;
  let insertCpuMs = 0;
  let generateMs = 0;
  let done = 0;
  let nextReport = 25_000;
  progress(`inserting ${count.toLocaleString('en')} documents in transactions of ${BATCH}`);
  while (corpus.remaining > 0) {
    // Only one batch is held at a time: peak memory does not grow with the document count.
    const generated = timed(() => Array.from({ length: Math.min(BATCH, corpus.remaining) }, () => corpus.next()));
    generateMs += generated.ms;
    const inserted = timedWithCpu(() => insertBatch(generated.result));
    insertMs += inserted.ms;
    insertCpuMs += inserted.cpuMs;
    done += generated.result.length;
    if (done >= nextReport || done === count) {
      progress(`  ${done.toLocaleString('en')} inserted, ${Math.round((done / insertMs) * 1000)} docs/s, RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
      nextReport += 25_000;
    }
  }
  progress(`insert: ${(insertMs / 1000).toFixed(1)} s in transactions, ${(generateMs / 1000).toFixed(1)} s generating`);
  return { perSecond: (count / insertMs) * 1000, cpuMsPerDocument: insertCpuMs / count };
}

// ---------------------------------------------------------------------------------------------
// 2. Search

type QueryKind = 'common' | 'common-accented' | 'multi-word' | 'rare' | 'notation' | 'typing';

/**
 * SEARCH_QUERIES queries: common words with and without accents, multi-word phrases as a clerk
 * types a trích yếu, the rare names the corpus plants, real notations, and short prefixes as
 * results come while typing. Shuffled with a fixed seed so kinds interleave.
 */
export function buildQueries(sampledNotations: readonly string[]): Array<{ q: string; kind: QueryKind }> {
  const queries: Array<{ q: string; kind: QueryKind }> = [];
  const add = (kind: QueryKind, ...qs: string[]) => qs.forEach((q) => queries.push({ q, kind }));
  add('common', 'ke hoach', 'quyet dinh', 'ubnd', 'bao cao', 'chuyen doi so', 'cai cach hanh chinh', 'thien tai', 'so tai chinh',
    'ha noi', 'da nang', 'nguyen van an', 'tran thi binh', 'do duc dinh', 'truong mam non', 'dau tu xay dung', 'giay moi',
    'van thu luu tru', 'chu ky so', 'dak lak', 'dien bien', 'quang tri', 'so noi vu', 'thong bao ket luan', 'tiep cong dan');
  add('common-accented', 'kế hoạch', 'quyết định', 'UBND', 'báo cáo', 'chuyển đổi số', 'cải cách hành chính', 'thiên tai',
    'Sở Tài chính', 'Sở Nội vụ', 'Hà Nội', 'Đà Nẵng', 'Đắk Lắk', 'Điện Biên', 'Quảng Trị', 'Nguyễn Văn An', 'Trần Thị Bình',
    'Đỗ Đức Định', 'trường mầm non', 'giải ngân', 'Đề án 06', 'an toàn thông tin', 'bổ nhiệm', 'khen thưởng', 'Huế');
  add('multi-word',
    'Về việc triển khai chuyển đổi số trong cơ quan nhà nước',
    'kế hoạch phòng, chống thiên tai năm 2026',
    'bao cao ket qua thuc hien cai cach hanh chinh quy III nam 2025',
    'Quyết định phê duyệt dự án đầu tư xây dựng trường mầm non',
    'quyet dinh phe duyet du an dau tu xay dung tram y te tinh dak lak',
    'UBND tỉnh Quảng Trị chuyển đổi số',
    'so tai chinh thanh pho ha noi giai ngan von dau tu cong',
    'thông báo kết luận giao ban công tác tháng 9',
    'giay moi du hoi nghi ve phong chong thien tai',
    'bổ nhiệm Nguyễn Văn An Phó Giám đốc',
    'Công điện ứng phó bão số 3 Quảng Ngãi',
    'to trinh chu truong dau tu cau dan sinh',
    'quy che chi tieu noi bo 2025',
    'chỉ thị tăng cường bảo vệ môi trường năm 2024');
  for (const [place, person] of [[RARE.places[0], RARE.people[0]], [RARE.places[1], RARE.people[1]]] as const) {
    const placeName = place.replace(/^xã /, '');
    add('rare', placeName, fold(placeName), `xã ${placeName}`, person, fold(person), `${person.split(' ').at(-1)} ${placeName}`);
  }
  add('rare', 'Sín Thầu Điện Biên', 'ka lang quang tri', 'Pấng');
  const notations = sampledNotations.length > 0 ? sampledNotations : ['123/QĐ-UBND', '45/KH-UBND'];
  for (let i = 0; queries.length < SEARCH_QUERIES - 6; i++) add('notation', notations[i % notations.length]!);
  add('typing', 'k', 'ke h', 'chuy', 'quyet d', 'Đ', 'sở t');
  // Deterministic Fisher-Yates.
  const rng = new Prng(7);
  for (let i = queries.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  return queries.slice(0, SEARCH_QUERIES);
}

/** Plain-ASCII spelling of a name, as a clerk types it without a Vietnamese keyboard. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'));
}

function searchLatency(db: Database, sampledNotations: readonly string[]) {
  const queries = buildQueries(sampledNotations);
  for (const q of ['hop', 'van ban', 'Sở Y tế', 'nong thon moi', 'tuyển dụng']) searchDocuments(db, q, {}, 0, 50); // warm-up
  const samples: Array<{ q: string; kind: QueryKind; ms: number; cpuMs: number; total: number; capped: boolean }> = [];
  progress(`search: ${queries.length} queries`);
  for (const { q, kind } of queries) {
    const { result, ms, cpuMs } = timedWithCpu(() => searchDocuments(db, q, {}, 0, 50));
    samples.push({ q, kind, ms, cpuMs, total: result.total, capped: result.capped });
  }
  const all = samples.map((s) => s.ms);
  const kinds = [...new Set(samples.map((s) => s.kind))];
  for (const kind of kinds) {
    const ms = samples.filter((s) => s.kind === kind).map((s) => s.ms);
    progress(`  ${kind.padEnd(16)} n=${String(ms.length).padStart(3)}  p50 ${percentile(ms, 50).toFixed(1)} ms  p95 ${percentile(ms, 95).toFixed(1)} ms  max ${Math.max(...ms).toFixed(1)} ms`);
  }
  progress('  slowest:');
  for (const s of [...samples].sort((a, b) => b.ms - a.ms).slice(0, 10)) {
    progress(`    ${s.ms.toFixed(1).padStart(7)} ms  ${s.kind.padEnd(16)} hits ${s.capped ? '≥' : ''}${s.total}  "${s.q}"`);
  }
  const cpu = samples.map((s) => s.cpuMs);
  return { p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99), cpuP50: percentile(cpu, 50), cpuP95: percentile(cpu, 95), queries: samples.length };
}

// ---------------------------------------------------------------------------------------------
// 3. The list's first page

function listLatency(db: Database) {
  const cases: Array<{ name: string; filters: DocumentFilters }> = [
    { name: 'direction=in', filters: { direction: 'in' } },
    { name: 'no filter', filters: {} },
  ];
  const all: number[] = [];
  for (const { name, filters } of cases) {
    listDocuments(db, filters, 0, 100); // warm-up
    const ms: number[] = [];
    let total = 0;
    for (let i = 0; i < LIST_RUNS; i++) {
      const start = performance.now();
      total = listDocuments(db, filters, 0, 100).total;
      ms.push(performance.now() - start);
    }
    all.push(...ms);
    progress(`list first page (${name}, total ${total}): p50 ${percentile(ms, 50).toFixed(1)} ms  p95 ${percentile(ms, 95).toFixed(1)} ms`);
  }
  return { p50: percentile(all, 50), p95: percentile(all, 95) };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
