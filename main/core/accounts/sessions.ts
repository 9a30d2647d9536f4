// Phiên đăng nhập: what a signed-in person holds on the office host. The token travels in an
// HttpOnly cookie and is stored here only as its SHA-256; the CSRF token is given to the page,
// which sends it back in a header with each call. A session lapses after SESSION_IDLE_MINUTES
// without a call and SESSION_MAX_HOURS after sign-in, whatever happens; "sign out everywhere" ends
// all of a person's sessions. This module owns the sessions table.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { toVnIso } from '../../common/dates.js';
import type { UserInfo } from '../../common/contract.js';
import { appendAudit } from '../registry/audit.js';
import { userById } from './users.js';

export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;
/**
 * A session's last call is written at most this often: 200 colleagues' calls would otherwise each
 * be a commit and its fsync, on the host's one thread (issue 15's benchmark). Between two writes
 * the host keeps the last call in memory, so the idle time still counts from it.
 */
const TOUCH_SECONDS = 300;
const lastCalls = new WeakMap<Database, Map<string, number>>();

function lastCallsOf(db: Database): Map<string, number> {
  let calls = lastCalls.get(db);
  if (!calls) lastCalls.set(db, (calls = new Map()));
  return calls;
}

export interface OpenedSession {
  /** For the cookie: never stored. */
  token: string;
  csrfToken: string;
  user: UserInfo;
}

export interface ActiveSession {
  user: UserInfo;
  csrfToken: string;
  createdAt: string;
}

interface SessionRow {
  token_sha256: string;
  user_id: number;
  csrf_token: string;
  client: string;
  created_at: string;
  last_seen_at: string;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `how`: 'password' or 'certificate', for the audit trail; `client`: which PC (its address). */
export function openSession(db: Database, user: UserInfo, client: string, how: 'password' | 'certificate', now = new Date()): OpenedSession {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const at = toVnIso(now);
  db.transaction(() => {
    prepared(db, 'INSERT INTO sessions (token_sha256, user_id, csrf_token, client, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)').run(digest(token), user.id, csrfToken, client, at, at);
    appendAudit(db, { actor: user.login, kind: 'signed_in', at, details: { client, how } });
  }).immediate();
  return { token, csrfToken, user };
}

function expired(row: SessionRow, now: Date, lastCall = new Date(row.last_seen_at).getTime()): boolean {
  const idle = now.getTime() - lastCall > SESSION_IDLE_MINUTES * 60_000;
  const old = now.getTime() - new Date(row.created_at).getTime() > SESSION_MAX_HOURS * 3_600_000;
  return idle || old;
}

/** The session a cookie's token opens, or null (unknown, lapsed, or its account disabled since). */
export function activeSession(db: Database, token: string, now = new Date()): ActiveSession | null {
  const row = prepared(db, 'SELECT * FROM sessions WHERE token_sha256 = ?').get(digest(token)) as SessionRow | undefined;
  if (!row) return null;
  const user = userById(db, row.user_id, now);
  const calls = lastCallsOf(db);
  const stored = new Date(row.last_seen_at).getTime();
  const lastCall = Math.max(stored, calls.get(row.token_sha256) ?? 0);
  if (expired(row, now, lastCall) || !user?.active) {
    prepared(db, 'DELETE FROM sessions WHERE token_sha256 = ?').run(row.token_sha256);
    calls.delete(row.token_sha256);
    return null;
  }
  calls.set(row.token_sha256, Math.max(lastCall, now.getTime()));
  if (now.getTime() - stored > TOUCH_SECONDS * 1000) {
    prepared(db, 'UPDATE sessions SET last_seen_at = ? WHERE token_sha256 = ?').run(toVnIso(now), row.token_sha256);
  }
  return { user, csrfToken: row.csrf_token, createdAt: row.created_at };
}

/** Compares the page's CSRF token with the session's in constant time. */
export function csrfMatches(session: ActiveSession, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function closeSession(db: Database, token: string, now = new Date()): void {
  const row = prepared(db, 'SELECT * FROM sessions WHERE token_sha256 = ?').get(digest(token)) as SessionRow | undefined;
  if (!row) return;
  db.transaction(() => {
    prepared(db, 'DELETE FROM sessions WHERE token_sha256 = ?').run(row.token_sha256);
    const user = userById(db, row.user_id, now);
    appendAudit(db, { actor: user?.login ?? String(row.user_id), kind: 'signed_out', at: toVnIso(now), details: { client: row.client } });
  }).immediate();
}

/** "Đăng xuất mọi nơi": every session of the person ends; returns how many there were. */
export function closeAllSessions(db: Database, user: UserInfo, actor: string, now = new Date()): number {
  return db
    .transaction(() => {
      const ended = prepared(db, 'DELETE FROM sessions WHERE user_id = ?').run(user.id).changes;
      appendAudit(db, { actor, kind: 'signed_out_everywhere', at: toVnIso(now), details: { login: user.login, sessions: ended } });
      return ended;
    })
    .immediate();
}

/** Who is connected: each open session's person, PC and times (the administrator's view). */
export function openSessions(db: Database, now = new Date()): { login: string; fullName: string; client: string; since: string; lastSeen: string }[] {
  const rows = prepared(db, 'SELECT s.*, u.login, u.full_name FROM sessions s JOIN users u ON u.id = s.user_id ORDER BY s.last_seen_at DESC').all() as (SessionRow & { login: string; full_name: string })[];
  return rows.filter((row) => !expired(row, now)).map((row) => ({ login: row.login, fullName: row.full_name, client: row.client, since: row.created_at, lastSeen: row.last_seen_at }));
}
