// Office benchmark (issue 15): the office host with a 250,000-document registry and 200 colleagues
// signed in at once over HTTPS, each in a loop of what the day is made of — the list's first page,
// a search, opening a document (a read the host audits) — against the same requests, from the same
// number of clients, to the single-PC loopback host over the same data, measured in the same run.
//   npm run bench -- office [--count N] [--users N] [--seconds N] [--think-ms N]
// The load comes from this process (keep-alive connections, one per simulated user); each host
// runs in a process of its own (officeHostChild.ts), as in use.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../main/core/storage/database.js';
import { addUser } from '../../main/core/accounts/users.js';
import { openSession } from '../../main/core/accounts/sessions.js';
import type { Role } from '../../main/common/contract.js';
import { Corpus, Prng } from './corpus.js';
import { buildQueries, insertCorpus } from './registry.js';
import { option, percentile, progress, round } from './stats.js';
import { REPO_ROOT } from '../support/fixtures.js';

export const TARGETS = { p95Ms: 100, errors: 0, ratioToSinglePc: 2 } as const;
const ROLES: Role[] = ['van-thu', 'lanh-dao', 'chuyen-vien', 'chuyen-vien', 'quan-tri'];

interface Target {
  /** Sends one API call; resolves with its status. */
  post(agent: http.Agent, method: string, body: string, user: number): Promise<number>;
  agent(): http.Agent;
}

interface LoadFigures {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  byKind: Record<string, { p95Ms: number; n: number }>;
}

function startChild(dataDir: string, mode: 'office' | 'loopback'): Promise<{ child: ChildProcess; info: { url: string; token?: string; certPem?: string } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/bench/officeHostChild.ts'), dataDir, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, info: JSON.parse(line) as { url: string; token?: string; certPem?: string } });
    });
    child.on('exit', (code) => reject(new Error(`the ${mode} host ended (${code})`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function send(module: typeof http | typeof https, options: https.RequestOptions, body: string): Promise<number> {
  return new Promise((resolve) => {
    const request = module.request(options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

/**
 * Each simulated user in a loop of list, search and open until the time is up, pausing between
 * two actions as a person reads what came back (thinkMs on average, from half to one and a half
 * times it): 200 people each acting every two seconds is a busy office. Without the pause the
 * figure would be the queue of 200 clients hammering two cores, not what a person waits for.
 */
async function load(target: Target, users: number, seconds: number, thinkMs: number, ids: number, queries: string[], seed: number): Promise<LoadFigures> {
  const samples: { kind: string; ms: number; ok: boolean }[] = [];
  const until = performance.now() + seconds * 1000;
  const loops = Array.from({ length: users }, async (_, user) => {
    const agent = target.agent();
    const random = new Prng(seed + user);
    // People do not all click at the same instant: each starts somewhere in a pause, else the 200
    // first requests would arrive together and the figure would be that one burst's queue.
    await new Promise((resolve) => setTimeout(resolve, thinkMs * 1.5 * random.next()));
    while (performance.now() < until) {
      const pick = random.next();
      const [kind, method, body] =
        pick < 0.3
          ? ['list', 'documents.list', JSON.stringify({ limit: 50 })]
          : pick < 0.6
            ? ['search', 'documents.search', JSON.stringify({ query: queries[Math.floor(random.next() * queries.length)], limit: 50 })]
            : ['open', 'documents.get', JSON.stringify({ id: 1 + Math.floor(random.next() * ids) })];
      const started = performance.now();
      const status = await target.post(agent, method, body, user);
      samples.push({ kind, ms: performance.now() - started, ok: status === 200 });
      await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + random.next())));
    }
    agent.destroy();
  });
  const started = performance.now();
  await Promise.all(loops);
  const elapsed = (performance.now() - started) / 1000;
  const ms = samples.map((s) => s.ms);
  const byKind = Object.fromEntries(['list', 'search', 'open'].map((kind) => {
    const k = samples.filter((s) => s.kind === kind).map((s) => s.ms);
    return [kind, { p95Ms: round(percentile(k, 95)), n: k.length }];
  }));
  return {
    requests: samples.length,
    errors: samples.filter((s) => !s.ok).length,
    requestsPerSecond: round(samples.length / elapsed, 1),
    p50Ms: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    p99Ms: round(percentile(ms, 99)),
    byKind,
  };
}

export async function runOfficeBenchmark(args: readonly string[]) {
  const count = Number(option(args, 'count') ?? 250_000);
  const users = Number(option(args, 'users') ?? 200);
  const seconds = Number(option(args, 'seconds') ?? 30);
  const thinkMs = Number(option(args, 'think-ms') ?? 2000);
  if (![count, users, seconds, thinkMs].every((n) => Number.isInteger(n) && n > 0)) throw new Error('office: --count, --users, --seconds and --think-ms are positive whole numbers');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eoffice-bench-office-'));
  const children: ChildProcess[] = [];
  try {
    progress(`office: building a registry of ${count} documents in ${dataDir}`);
    const db = openDatabase(path.join(dataDir, 'eoffice.sqlite'));
    const corpus = new Corpus({ count });
    insertCorpus(db, corpus);
    // 200 colleagues signed in: twenty accounts of every role, ten sessions each (two PCs, a browser…).
    const accounts = Math.max(1, Math.ceil(users / 10));
    const sessions: { token: string; csrfToken: string }[] = [];
    for (let a = 0; a < accounts; a++) {
      const user = await addUser({ db, actor: 'bench' }, { login: `nguoidung${a}`, fullName: `Người dùng ${a}`, roles: [ROLES[a % ROLES.length]!] });
      for (let s = 0; s < 10 && sessions.length < users; s++) sessions.push(openSession(db, user, `10.0.0.${s + 1}`, 'password'));
    }
    db.close();
    const queries = buildQueries(corpus.sampledNotations).map((q) => q.q);

    progress(`office: ${users} users for ${seconds} s against the office host (HTTPS, accounts)`);
    const office = await startChild(dataDir, 'office');
    children.push(office.child);
    const officeUrl = new URL(office.info.url);
    const officeTarget: Target = {
      agent: () => new https.Agent({ keepAlive: true, maxSockets: 1, ca: office.info.certPem }),
      post: (agent, method, body, user) =>
        send(https, { host: officeUrl.hostname, port: officeUrl.port, path: `/api/${method}`, method: 'POST', agent, headers: { 'Content-Type': 'application/json', Cookie: `eoffice_session=${sessions[user]!.token}`, 'X-CSRF-Token': sessions[user]!.csrfToken } }, body),
    };
    await load(officeTarget, users, 3, thinkMs, count, queries, 7); // warm-up: connections, caches
    const officeFigures = await load(officeTarget, users, seconds, thinkMs, count, queries, 11);
    await stopChild(office.child);

    progress(`office: the same against the single-PC loopback host (the baseline)`);
    const loopback = await startChild(dataDir, 'loopback');
    children.push(loopback.child);
    const loopbackUrl = new URL(loopback.info.url);
    const loopbackTarget: Target = {
      agent: () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
      post: (agent, method, body) =>
        send(http, { host: loopbackUrl.hostname, port: loopbackUrl.port, path: `/api/${method}`, method: 'POST', agent, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${loopback.info.token}`, 'X-Requested-With': 'eoffice' } }, body),
    };
    await load(loopbackTarget, users, 3, thinkMs, count, queries, 7);
    const loopbackFigures = await load(loopbackTarget, users, seconds, thinkMs, count, queries, 11);
    await stopChild(loopback.child);

    const ratio = round(officeFigures.p95Ms / loopbackFigures.p95Ms);
    return {
      benchmark: 'office',
      documents: count,
      users,
      seconds,
      thinkMs,
      office: officeFigures,
      singlePc: loopbackFigures,
      p95RatioToSinglePc: ratio,
      targets: TARGETS,
      meets: { p95: officeFigures.p95Ms <= TARGETS.p95Ms, errors: officeFigures.errors === TARGETS.errors, ratio: ratio <= TARGETS.ratioToSinglePc },
      machine: { cpus: os.cpus().length, node: process.version },
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
