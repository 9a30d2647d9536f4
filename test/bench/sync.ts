// npm run bench -- sync [count]: the exchange with the document axis at volume. `count` (default
// 1,000) outgoing documents, each with a distinct one-megabyte PDF, are queued in a commune's
// register as issuing queues them (not timed); then, timed:
//   send     the commune's outbox is drained to the axis (sendDueJobs), against a bare node:http
//            client uploading the same package files to an identical fresh axis (target: the
//            drain reaches at least 0.7 of the bare throughput);
//   receive  the district receives them all (receiveWaiting: fetch, streaming parse, durable store,
//            commit, acknowledgement, a status 01 queued per document), against a bare client
//            fetching the same items and decoding them to disk.
// The axis is the reference server (test/axis) in a child process of its own, so the figures for
// memory (RSS sampled every 100 ms; peak and growth while draining) and CPU are the client's.
//   npm run bench -- sync [count] [--count N] [--attachment-kb K]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { AxisAdapter } from '../../main/core/axis/adapter.js';
import { createAxisAdapter } from '../../main/core/axis/createAdapter.js';
import { hashFileHeader, signRequestHeaders } from '../../main/core/axis/xroad.js';
import { axisConfig } from '../../main/core/exchange/axisSettings.js';
import { receiveWaiting } from '../../main/core/exchange/inbox.js';
import { sendDueJobs, type ExchangeContext } from '../../main/core/exchange/outbox.js';
import { outgoingFacts, writeOutgoingPackage } from '../../main/core/exchange/outgoingPackage.js';
import { queueJob } from '../../main/core/exchange/queue.js';
import { appendAudit } from '../../main/core/registry/audit.js';
import { insertDocument } from '../../main/core/registry/documents.js';
import { storeFilesThenCommitWith, storeFileThenCommit, type NewFile } from '../../main/core/registry/fileJournal.js';
import { sha256Hex } from '../../main/core/storage/blobStore.js';
import { prepared } from '../../main/core/storage/database.js';
import { vnDate, vnYear } from '../../main/common/dates.js';
import { option, peakRssMB, progress, round } from './stats.js';

export const SYNC_TARGETS = { sendRatioToBare: 0.7 } as const;

const DEFAULT_COUNT = 1000;
const DEFAULT_ATTACHMENT_KB = 1024;
const ACTOR = 'bench';
const MB = 1024 * 1024;
const RSS_SAMPLE_MS = 100;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'syncAxisChild.ts');
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The same two agencies as the exchange tests (test/support/agencies.ts), without their tokens:
// nothing here signs.
const COMMUNE = { code: '000.00.01.H99', name: 'Ủy ban nhân dân xã Thử Nghiệm', abbreviation: 'UBND' };
const DISTRICT = { code: '000.00.02.H99', name: 'Ủy ban nhân dân huyện Thử Nghiệm', abbreviation: 'UBND' };

interface AxisCredentials {
  code: string;
  name: string;
  systemId: string;
  secret: string;
}

export interface PhaseResult {
  seconds: number;
  documentsPerSecond: number;
  megabytesPerSecond: number;
  bareSeconds: number;
  bareDocumentsPerSecond: number;
  bareMegabytesPerSecond: number;
  ratioToBare: number;
  /** Highest RSS sampled during the phase (this process only; the axis runs in its own). */
  peakRssMB: number;
  /** RSS at the end of the phase less RSS when the first 10% of the documents were done. */
  rssGrowthMB: number;
  rssMB: { start: number; tenPercent: number; middle: number; end: number };
  barePeakRssMB: number;
  /** CPU time (user + system) of this process during the phase, and of the axis server's. */
  cpuSeconds: number;
  axisCpuSeconds: number;
  bareCpuSeconds: number;
  bareAxisCpuSeconds: number;
}

export interface SyncResult {
  benchmark: 'sync';
  documents: number;
  averagePackageBytes: number;
  averageAttachmentBytes: number;
  /** MB are MiB (1,048,576 bytes) throughout; throughput counts the package bytes, as sent and as received. */
  send: PhaseResult;
  receive: PhaseResult;
  setupSeconds: number;
  processPeakRssMB: number;
  targets: typeof SYNC_TARGETS;
  meets: { sendRatioToBare: boolean };
  machine: { node: string; cpus: number; cpuModel: string; totalMemoryMB: number };
}

export function parseSyncArgs(args: readonly string[]): { count: number; attachmentBytes: number } {
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const name = a.split('=')[0]!;
    if (name !== '--count' && name !== '--attachment-kb') throw new Error(`sync: unknown argument "${a}" (usage: sync [count] [--count N] [--attachment-kb K])`);
    if (!a.includes('=')) i++;
  }
  if (positional.length > 1) throw new Error(`sync: one count at most, got ${positional.join(' ')}`);
  const rawCount = option(args, 'count') ?? positional[0];
  const count = rawCount === undefined ? DEFAULT_COUNT : Number(rawCount);
  if (!Number.isInteger(count) || count < 1) throw new Error(`sync: the count must be a positive integer, got "${rawCount}"`);
  const rawKb = option(args, 'attachment-kb');
  const kb = rawKb === undefined ? DEFAULT_ATTACHMENT_KB : Number(rawKb);
  if (!Number.isInteger(kb) || kb < 1) throw new Error(`sync: --attachment-kb must be a positive integer, got "${rawKb}"`);
  return { count, attachmentBytes: kb * 1024 };
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Samples this process's RSS every 100 ms, with marks when 10% and half of the work are done. */
class RssSampler {
  private readonly timer: NodeJS.Timeout;
  private peak: number;
  readonly start: number;
  private tenPercent: number | null = null;
  private middle: number | null = null;

  constructor(private readonly total: number) {
    this.start = process.memoryUsage.rss();
    this.peak = this.start;
    this.timer = setInterval(() => this.sample(), RSS_SAMPLE_MS);
  }

  private sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    return rss;
  }

  /** `done` documents of the total are finished. */
  progress(done: number): void {
    if (this.tenPercent === null && done >= Math.max(1, Math.ceil(this.total / 10))) this.tenPercent = this.sample();
    if (this.middle === null && done >= Math.max(1, Math.ceil(this.total / 2))) this.middle = this.sample();
  }

  stop(): { startMB: number; tenPercentMB: number; middleMB: number; endMB: number; peakMB: number } {
    clearInterval(this.timer);
    const end = this.sample();
    return { startMB: this.start / MB, tenPercentMB: (this.tenPercent ?? end) / MB, middleMB: (this.middle ?? end) / MB, endMB: end / MB, peakMB: this.peak / MB };
  }
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

interface Measured<T> {
  value: T;
  seconds: number;
  cpuSeconds: number;
  axisCpuSeconds: number;
  rss: ReturnType<RssSampler['stop']>;
}

async function measure<T>(axis: AxisChild, total: number, work: (progress: (done: number) => void) => Promise<T>): Promise<Measured<T>> {
  const axisBefore = await axis.stats();
  const sampler = new RssSampler(total);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let value: T;
  try {
    value = await work((done) => sampler.progress(done));
  } catch (error) {
    sampler.stop();
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  const rss = sampler.stop();
  const axisAfter = await axis.stats();
  return { value, seconds, cpuSeconds, axisCpuSeconds: (axisAfter.cpuMs - axisBefore.cpuMs) / 1000, rss };
}

// ---------------------------------------------------------------------------------------------
// The axis in a child process

interface AxisStatsLine {
  stats: { requests: number; unauthorized: number; forbidden: number; messagesStored: number; duplicateSends: number; fetches: number; statusUpdates: number; deliveries: number };
  cpuMs: number;
  maxRssMB: number;
}

class AxisChild {
  private readonly waiting: Array<(line: string) => void> = [];
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    lines: readline.Interface,
  ) {
    lines.on('line', (line) => this.waiting.shift()?.(line));
    child.once('exit', () => {
      this.exited = true;
      for (const resolve of this.waiting.splice(0)) resolve('');
    });
  }

  static async start(dbPath: string, agencies: AxisCredentials[]): Promise<AxisChild> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath], {
      cwd: REPO_ROOT,
      env: { ...process.env, EOFFICE_BENCH_AXIS_AGENCIES: JSON.stringify(agencies) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = readline.createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the axis server process exited (${code}) before it listened`));
      child.once('exit', onExit);
      child.once('error', reject);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
    const { port } = JSON.parse(first) as { port: number };
    return new AxisChild(child, `http://127.0.0.1:${port}`, lines);
  }

  async stats(): Promise<AxisStatsLine> {
    if (this.exited) throw new Error('the axis server process has exited');
    const line = new Promise<string>((resolve) => this.waiting.push(resolve));
    this.child.stdin!.write('stats\n');
    const text = await line;
    if (!text) throw new Error('the axis server process exited');
    return JSON.parse(text) as AxisStatsLine;
  }

  /** Closes the server (the end of its stdin), and kills it if it has not gone within 5 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------------------------------------
// The two agencies

interface Agency {
  identity: typeof COMMUNE;
  credentials: AxisCredentials;
  core: Core;
  ctx: ExchangeContext;
}

function credentialsOf(identity: typeof COMMUNE): AxisCredentials {
  return { code: identity.code, name: identity.name, systemId: `sys-${identity.code}`, secret: randomBytes(24).toString('base64url') };
}

/** The agency configured through the API, as test/support/agencies.ts does it: its identity, then its axis. */
async function openAgency(identity: typeof COMMUNE, credentials: AxisCredentials, dataDir: string, endpoint: string): Promise<Agency> {
  const core = openCore({ dataDir, shell: 'cli', actor: `${ACTOR} ${identity.code}` });
  const agency = { identity, credentials, core, ctx: { db: core.db, blobs: core.blobs, actor: core.actor } };
  const ok = async (method: string, input: unknown) => {
    const envelope = await invoke(core.handlers, method, input, () => undefined);
    if (!envelope.ok) throw new Error(`${identity.code} ${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  };
  try {
    await ok('agency.update', identity);
    await ok('exchange.setAxis', { endpoint, systemId: credentials.systemId, secret: credentials.secret });
  } catch (error) {
    core.close();
    throw error;
  }
  return agency;
}

/** The adapter as the exchange service builds it: from the agency's stored settings and sealed secret. */
function adapterOf(agency: Agency): AxisAdapter {
  const config = axisConfig(agency.core.dataDir, agency.core.settings, agency.core.secrets);
  if (!config) throw new Error(`${agency.identity.code}: the axis is not configured`);
  return createAxisAdapter(config);
}

/** A distinct PDF-looking file (the receiver sniffs "%PDF") of random, incompressible bytes. */
function pdfLike(bytes: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  return Buffer.concat([head, randomBytes(Math.max(0, bytes - head.length - tail.length)), tail]);
}

/**
 * One outgoing document queued as issuing queues it (main/core/issuing/outgoing.ts): its PDF is
 * stored and the document registered through the file journal; then its edXML package is written
 * from the stored PDF and stored, and the job queued, in the commit that marks it queued
 * (storeIssuingStep + queuePackage). Numbering and the signatures are what the issue benchmark measures.
 */
async function queueOutgoing(sender: Agency, i: number, attachmentBytes: number, to: string): Promise<void> {
  const { ctx, core } = sender;
  const bytes = pdfLike(attachmentBytes);
  const pdf: NewFile = { parts: [bytes], sha256: sha256Hex(bytes), mediaType: 'application/pdf' };
  const at = new Date();
  const number = i + 1;
  const id = storeFileThenCommit(ctx, pdf, (now) => {
    const id = insertDocument(
      core.db,
      {
        direction: 'out',
        year: vnYear(at),
        typeCode: 'QD',
        subject: `Quyết định về việc thử nghiệm trao đổi văn bản số ${number}`,
        state: 'issued',
        number,
        notation: `${number}/QĐ-UBND`,
        documentDate: vnDate(at),
        authorAgency: COMMUNE.name,
        signerName: 'Nguyễn Văn An',
        signerPosition: 'CHỦ TỊCH',
        signerCompetence: 'TM.',
        priority: 'normal',
        recipients: ['UBND huyện Thử Nghiệm', 'Lưu: VT'],
        fileSha256: pdf.sha256,
        fileName: `qd-${number}.pdf`,
        pageCount: 1,
        registeredAt: now,
      },
      ctx.actor,
    );
    prepared(core.db, 'INSERT INTO document_recipient_agencies (document_id, position, code) VALUES (?, 0, ?)').run(id, to);
    return id;
  });
  let queued: Awaited<ReturnType<typeof writeOutgoingPackage>> | undefined;
  await storeFilesThenCommitWith(
    ctx,
    [],
    async () => {
      queued = await writeOutgoingPackage(core.db, core.blobs, { facts: outgoingFacts(core.db, id), action: 'send', reason: '', actor: ctx.actor, at });
      return [queued.file];
    },
    (now) => {
      const q = queued!;
      prepared(core.db, "UPDATE documents SET state = 'queued', numbered_at = ?, queued_at = ?, updated_at = ?, exchange_id = ? WHERE id = ?").run(now, now, now, q.exchangeId, id);
      const packageSize = fs.statSync(core.blobs.pathFor(q.file.sha256)).size;
      queueJob(core.db, { documentId: id, action: 'send', messageType: 'edoc', reason: '', recipients: q.recipients, exchangeId: q.exchangeId, packageSha256: q.file.sha256, packageSize }, now);
      appendAudit(core.db, { actor: ctx.actor, kind: 'queued', documentId: id, at: now, details: { action: 'send', recipients: q.recipients, exchangeId: q.exchangeId, packageSha256: q.file.sha256 } });
    },
  );
}

// ---------------------------------------------------------------------------------------------
// The bare client: node:http, one keep-alive connection, the same signed headers

interface BareAnswer {
  status: number;
  json: Record<string, unknown>;
}

function readJsonAnswer(response: http.IncomingMessage): Promise<BareAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () => {
      try {
        resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      } catch (error) {
        reject(error);
      }
    });
  });
}

function bareRequest<T>(agent: http.Agent, url: string, headers: Record<string, string>, body: { path: string; size: number } | null, read: (response: http.IncomingMessage) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: body ? { ...headers, 'content-length': String(body.size) } : headers });
    request.on('error', reject);
    request.on('response', (response) => read(response).then(resolve, reject));
    if (body) {
      const file = fs.createReadStream(body.path);
      file.on('error', (error) => request.destroy(error));
      file.pipe(request);
    } else request.end();
  });
}

function okAnswer(call: string, answer: BareAnswer): Record<string, unknown> {
  if (answer.status !== 200 || answer.json['status'] !== 'OK') throw new Error(`bare ${call}: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

interface PackageToSend {
  path: string;
  size: number;
  sha256: string;
  to: string[];
}

/** Uploads each package in turn, as the outbox does (one at a time), and checks the axis took it. */
async function bareSend(endpoint: string, from: AxisCredentials, packages: readonly PackageToSend[], onDone: (done: number) => void): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    let done = 0;
    for (const p of packages) {
      const headers = signRequestHeaders(
        { from: from.code, to: JSON.stringify(p.to), servicetype: 'eDoc', messagetype: 'edoc', 'hash-file': hashFileHeader(p.sha256, 'sdk-2.0.1') },
        { systemId: from.systemId, secret: from.secret, contentType: 'application/octet-stream' },
      );
      const json = okAnswer('sendEdoc', await bareRequest(agent, `${endpoint}/sendEdoc`, headers, { path: p.path, size: p.size }, readJsonAnswer));
      if (typeof json['DocId'] !== 'string') throw new Error('bare sendEdoc: no DocId');
      onDone(++done);
    }
  } finally {
    agent.destroy();
  }
}

const DATA_PREFIX = Buffer.from('"data":"', 'latin1');
const QUOTE = 0x22;

/**
 * Decodes the `data` string of a getEdoc answer (`{"status":"OK", …, "data":"<base64>"}`) to `target` as it
 * arrives, then fsyncs it: the least a client can do to hold the package durably. No hash, no
 * parsing, no store.
 */
async function decodeToFile(response: http.IncomingMessage, target: string): Promise<number> {
  if (response.statusCode !== 200) {
    const answer = await readJsonAnswer(response).catch(() => ({ status: response.statusCode ?? 0, json: {} }));
    throw new Error(`bare getEdoc: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  const file = await fs.promises.open(target, 'w');
  try {
    let head: Buffer | null = Buffer.alloc(0);
    let carry = '';
    let ended = false;
    let size = 0;
    for await (const received of response as AsyncIterable<Buffer>) {
      let chunk = received;
      if (ended) continue;
      if (head !== null) {
        head = Buffer.concat([head, chunk]);
        const at = head.indexOf(DATA_PREFIX);
        if (at < 0) continue;
        chunk = head.subarray(at + DATA_PREFIX.length);
        head = null;
      }
      const quote = chunk.indexOf(QUOTE);
      if (quote >= 0) {
        chunk = chunk.subarray(0, quote);
        ended = true;
      }
      const text = carry + chunk.toString('latin1');
      const whole = ended ? text.length : text.length - (text.length % 4);
      carry = text.slice(whole);
      const bytes = Buffer.from(text.slice(0, whole), 'base64');
      size += bytes.length;
      await file.write(bytes);
    }
    if (!ended) throw new Error('bare getEdoc: the answer ended inside the data');
    await file.sync();
    return size;
  } finally {
    await file.close();
  }
}

/** Lists the waiting packages, then fetches and decodes each to disk in turn, without acknowledging any. */
async function bareReceive(endpoint: string, as: AxisCredentials, targetDir: string, onDone: (done: number) => void): Promise<{ items: number; bytes: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sign = (headers: Record<string, string>) => signRequestHeaders(headers, { systemId: as.systemId, secret: as.secret, contentType: 'application/json' });
  try {
    const list = okAnswer('getReceivedEdocList', await bareRequest(agent, `${endpoint}/getReceivedEdocList`, sign({ servicetype: 'eDoc', messagetype: 'edoc' }), null, readJsonAnswer));
    const ids = (list['data'] as { docId: string }[]).map((item) => item.docId);
    let bytes = 0;
    let done = 0;
    for (const docId of ids) {
      bytes += await bareRequest(agent, `${endpoint}/getEdoc`, sign({ docId }), null, (response) => decodeToFile(response, path.join(targetDir, `${done}.edxml`)));
      onDone(++done);
    }
    return { items: ids.length, bytes };
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * A profiling harness (as for the issue benchmark) may set globalThis.__startProfile and
 * __stopProfile; each is called with the phase, 'send' or 'receive', around its timed eOffice part.
 */
async function profileHook(name: '__startProfile' | '__stopProfile', phase: 'send' | 'receive'): Promise<void> {
  await (globalThis as { __startProfile?: (phase: string) => Promise<void>; __stopProfile?: (phase: string) => Promise<void> })[name]?.(phase);
}

function count(core: Core, sql: string, ...params: unknown[]): number {
  return (core.db.prepare(sql).get(...params) as { n: number }).n;
}

function phaseResult(documents: number, bytes: number, eoffice: Measured<unknown>, bare: Measured<unknown>): PhaseResult {
  const perSecond = documents / eoffice.seconds;
  const barePerSecond = documents / bare.seconds;
  return {
    seconds: round(eoffice.seconds),
    documentsPerSecond: round(perSecond),
    megabytesPerSecond: round(bytes / MB / eoffice.seconds),
    bareSeconds: round(bare.seconds),
    bareDocumentsPerSecond: round(barePerSecond),
    bareMegabytesPerSecond: round(bytes / MB / bare.seconds),
    ratioToBare: round(perSecond / barePerSecond, 3),
    peakRssMB: round(eoffice.rss.peakMB, 1),
    rssGrowthMB: round(eoffice.rss.endMB - eoffice.rss.tenPercentMB, 1),
    rssMB: { start: round(eoffice.rss.startMB, 1), tenPercent: round(eoffice.rss.tenPercentMB, 1), middle: round(eoffice.rss.middleMB, 1), end: round(eoffice.rss.endMB, 1) },
    barePeakRssMB: round(bare.rss.peakMB, 1),
    cpuSeconds: round(eoffice.cpuSeconds),
    axisCpuSeconds: round(eoffice.axisCpuSeconds),
    bareCpuSeconds: round(bare.cpuSeconds),
    bareAxisCpuSeconds: round(bare.axisCpuSeconds),
  };
}

function logPhase(name: string, documents: number, bytes: number, m: Measured<unknown>): void {
  progress(
    `  ${name}: ${m.seconds.toFixed(1)} s, ${(documents / m.seconds).toFixed(1)} docs/s, ${(bytes / MB / m.seconds).toFixed(1)} MB/s; ` +
      `CPU ${m.cpuSeconds.toFixed(1)} s here, ${m.axisCpuSeconds.toFixed(1)} s in the axis; RSS peak ${m.rss.peakMB.toFixed(0)} MB, ${m.rss.tenPercentMB.toFixed(0)} → ${m.rss.endMB.toFixed(0)} MB from 10% to the end`,
  );
}

export async function runSyncBenchmark(args: readonly string[]): Promise<SyncResult> {
  const { count: documents, attachmentBytes } = parseSyncArgs(args);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eoffice-bench-sync-'));
  const children: AxisChild[] = [];
  const agencies: Agency[] = [];
  const cleanup = () => {
    for (const child of children) child.kill();
    for (const agency of agencies) {
      try {
        agency.core.close();
      } catch {
        // Already closed.
      }
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  // Ctrl-C during a long run must not leave gigabytes in the temporary folder, nor servers running.
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.stderr.write(`[bench] interrupted (${signal}); removed ${root}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // At the fullest: the commune's PDFs and packages, the package files in the axis, the bare
    // client's decoded copies and the district's packages and attachments (the first axis is
    // removed before the second fills up). Packages are base64: 4/3 of the attachment and a little.
    const packageEstimate = Math.ceil(attachmentBytes * 1.37) + 8 * 1024;
    const needed = documents * (3 * attachmentBytes + 5 * packageEstimate) + 512 * MB;
    const disk = fs.statfsSync(root);
    const free = disk.bavail * disk.bsize;
    if (free < needed) {
      throw new Error(`sync: ${documents} documents need about ${(needed / 1024 ** 3).toFixed(1)} GB free in ${os.tmpdir()}, but only ${(free / 1024 ** 3).toFixed(1)} GB are; pass a smaller count`);
    }
    progress(`data folder ${root}; ${documents} documents of ${Math.round(attachmentBytes / 1024)} KB; about ${(needed / 1024 ** 3).toFixed(1)} GB of disk at the fullest`);

    const setupStarted = performance.now();
    // Two fresh axes with the same agencies: the bare upload goes to one, the drain to the other,
    // so that each makes the axis store N new messages (the axis drops a re-sent DocumentId as a
    // duplicate, which would make a second run against the same axis cheaper). The bare upload
    // runs first: the page cache and the JIT are as warm for the drain as for it, or warmer.
    const communeCredentials = credentialsOf(COMMUNE);
    const districtCredentials = credentialsOf(DISTRICT);
    const axisAgencies = [communeCredentials, districtCredentials];
    const bareAxis = await AxisChild.start(path.join(root, 'axis-bare', 'axis.sqlite'), axisAgencies);
    children.push(bareAxis);
    const axis = await AxisChild.start(path.join(root, 'axis', 'axis.sqlite'), axisAgencies);
    children.push(axis);
    const commune = await openAgency(COMMUNE, communeCredentials, path.join(root, 'commune'), axis.url);
    agencies.push(commune);
    const district = await openAgency(DISTRICT, districtCredentials, path.join(root, 'district'), axis.url);
    agencies.push(district);
    progress(`axis servers: bare upload ${bareAxis.url}, exchange ${axis.url}`);

    progress(`queueing ${documents} outgoing documents (not timed)`);
    for (let i = 0; i < documents; i++) {
      await queueOutgoing(commune, i, attachmentBytes, DISTRICT.code);
      if ((i + 1) % 100 === 0 || i + 1 === documents) progress(`  ${i + 1} queued`);
    }
    prepared(commune.core.db, "UPDATE registers SET last_number = ? WHERE direction = 'out' AND year = ?").run(documents, vnYear());
    const jobs = commune.core.db.prepare("SELECT package_sha256 AS sha256, package_size AS size, recipients FROM outbox_jobs WHERE state = 'queued' ORDER BY id").all() as { sha256: string; size: number; recipients: string }[];
    if (jobs.length !== documents) throw new Error(`expected ${documents} queued jobs, found ${jobs.length}`);
    const packages: PackageToSend[] = jobs.map((j) => ({ path: commune.core.blobs.pathFor(j.sha256), size: j.size, sha256: j.sha256, to: JSON.parse(j.recipients) as string[] }));
    const packageBytes = packages.reduce((sum, p) => sum + p.size, 0);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    progress(`set up in ${setupSeconds.toFixed(1)} s; ${(packageBytes / MB).toFixed(0)} MB of packages, ${Math.round(packageBytes / documents)} bytes on average`);

    // ---- Sending
    progress('send, bare: node:http uploads of the same package files to a fresh axis');
    const bareSent = await measure(bareAxis, documents, (onDone) => bareSend(bareAxis.url, commune.credentials, packages, onDone));
    logPhase('bare upload', documents, packageBytes, bareSent);
    const bareStored = (await bareAxis.stats()).stats;
    if (bareStored.messagesStored !== documents) throw new Error(`the bare upload's axis stored ${bareStored.messagesStored} messages, not ${documents}`);
    await bareAxis.stop();
    fs.rmSync(path.join(root, 'axis-bare'), { recursive: true, force: true });

    progress('send, eOffice: sendDueJobs drains the outbox');
    const sender = adapterOf(commune);
    await profileHook('__startProfile', 'send');
    const drained = await measure(axis, documents, async (onDone) => {
      let sent = 0;
      let lastError: string | null = null;
      // One pass sends everything due; a second is made only if something was left due.
      for (let pass = 0; pass < 3 && sent < documents; pass++) {
        const result = await sendDueJobs(commune.ctx, sender, commune.identity.code, { onProgress: (p) => onDone(sent + p.done) });
        sent += result.sent;
        lastError = result.lastError?.message ?? lastError;
        if (result.sent === 0) break;
      }
      return { sent, lastError };
    });
    await profileHook('__stopProfile', 'send');
    logPhase('drain', documents, packageBytes, drained);
    const sentJobs = count(commune.core, "SELECT count(*) AS n FROM outbox_jobs WHERE state = 'sent'");
    const axisStored = (await axis.stats()).stats;
    if (sentJobs !== documents || axisStored.messagesStored !== documents) {
      throw new Error(`the drain sent ${sentJobs} jobs and the axis stored ${axisStored.messagesStored} messages, not ${documents} (last error: ${drained.value.lastError})`);
    }

    // ---- Receiving
    progress('receive, bare: node:http fetches of the same items, decoded to disk (no acknowledgement)');
    const bareDir = path.join(root, 'bare-received');
    fs.mkdirSync(bareDir);
    const bareFetched = await measure(axis, documents, (onDone) => bareReceive(axis.url, district.credentials, bareDir, onDone));
    logPhase('bare fetch', documents, packageBytes, bareFetched);
    if (bareFetched.value.items !== documents || bareFetched.value.bytes !== packageBytes) {
      throw new Error(`the bare fetch got ${bareFetched.value.items} items of ${bareFetched.value.bytes} bytes, not ${documents} of ${packageBytes}`);
    }
    fs.rmSync(bareDir, { recursive: true, force: true });

    progress('receive, eOffice: receiveWaiting fetches, parses, stores, commits and acknowledges');
    const receiver = adapterOf(district);
    await profileHook('__startProfile', 'receive');
    const received = await measure(axis, documents, async (onDone) => {
      let stored = 0;
      let lastError: string | null = null;
      for (let pass = 0; pass < 3 && stored < documents; pass++) {
        const result = await receiveWaiting(district.ctx, receiver, district.identity.code, { onProgress: (p) => onDone(stored + p.done) });
        stored += result.received;
        lastError = result.lastError?.message ?? lastError;
        if (result.received === 0) break;
      }
      return { stored, lastError };
    });
    await profileHook('__stopProfile', 'receive');
    logPhase('receive', documents, packageBytes, received);
    const inDocuments = count(district.core, "SELECT count(*) AS n FROM documents WHERE direction = 'in' AND state = 'received'");
    const answers = count(district.core, "SELECT count(*) AS n FROM outbox_jobs WHERE action = 'status' AND status_code = '01'");
    const acknowledged = (await axis.stats()).stats.statusUpdates;
    if (inDocuments !== documents || answers !== documents || acknowledged !== documents) {
      throw new Error(`received ${inDocuments} documents, queued ${answers} status 01 and acknowledged ${acknowledged}, not ${documents} each (last error: ${received.value.lastError})`);
    }

    const send = phaseResult(documents, packageBytes, drained, bareSent);
    const receive = phaseResult(documents, packageBytes, received, bareFetched);
    return {
      benchmark: 'sync',
      documents,
      averagePackageBytes: Math.round(packageBytes / documents),
      averageAttachmentBytes: attachmentBytes,
      send,
      receive,
      setupSeconds: round(setupSeconds, 1),
      processPeakRssMB: round(peakRssMB(), 1),
      targets: SYNC_TARGETS,
      meets: { sendRatioToBare: send.ratioToBare >= SYNC_TARGETS.sendRatioToBare },
      machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', totalMemoryMB: Math.round(os.totalmem() / MB) },
    };
  } finally {
    for (const child of children) await child.stop().catch(() => child.kill());
    children.length = 0;
    cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress(`removed ${root}`);
  }
}
