// Người dùng: the office's accounts. This module owns the users table: it adds and changes
// accounts, keeps the administrator's changes of rights in the audit trail (Appendix VI 3c,
// IV.1), and checks a sign-in by password with a backoff after failures and a lockout after many.
import type { Database } from '../storage/database.js';
import { prepared } from '../storage/database.js';
import { AppError } from '../../common/errors.js';
import { toVnIso } from '../../common/dates.js';
import type { Role, UserInfo, UserPatch } from '../../common/contract.js';
import { appendAudit } from '../registry/audit.js';
import { assertPasswordAcceptable, decoyHash, hashPassword, passwordMatches } from './passwords.js';

/** Failures in a row before each further try waits (2 s, 4 s, 8 s… up to a minute). */
const FREE_FAILURES = 3;
const MAX_BACKOFF_SECONDS = 60;
/** Failures in a row that lock the account, and for how long (an administrator's reset unlocks it at once). */
export const LOCKOUT_FAILURES = 10;
const LOCKOUT_MINUTES = 30;

interface UserRow {
  id: number;
  login: string;
  full_name: string;
  position: string;
  unit: string;
  roles: string;
  password_hash: string | null;
  certificate_fingerprint: string | null;
  active: number;
  failed_sign_ins: number;
  last_failure_at: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccountContext {
  db: Database;
  /** Who makes the change, for the audit trail. */
  actor: string;
}

function toInfo(row: UserRow, now: Date): UserInfo {
  return {
    id: row.id,
    login: row.login,
    fullName: row.full_name,
    position: row.position,
    unit: row.unit,
    roles: JSON.parse(row.roles) as Role[],
    active: row.active === 1,
    hasPassword: row.password_hash !== null,
    certificateFingerprint: row.certificate_fingerprint,
    lockedUntil: row.locked_until && new Date(row.locked_until) > now ? row.locked_until : null,
    createdAt: row.created_at,
  };
}

function rowByLogin(db: Database, login: string): UserRow | undefined {
  return prepared(db, 'SELECT * FROM users WHERE login = ?').get(login.trim()) as UserRow | undefined;
}

function requireRow(db: Database, login: string): UserRow {
  const row = rowByLogin(db, login);
  if (!row) throw new AppError('USER_NOT_FOUND', `There is no account "${login}".`, { login });
  return row;
}

const vietnamese = new Intl.Collator('vi');
/** Vietnamese lists go by the given name (the last word: "An" in Nguyễn Văn An), then the whole name. */
function byGivenName(a: UserInfo, b: UserInfo): number {
  const given = (name: string) => name.trim().split(/\s+/).at(-1) ?? '';
  return vietnamese.compare(given(a.fullName), given(b.fullName)) || vietnamese.compare(a.fullName, b.fullName) || vietnamese.compare(a.login, b.login);
}

/** Active accounts first, each part by given name. */
export function listUsers(db: Database, now = new Date()): UserInfo[] {
  const users = (prepared(db, 'SELECT * FROM users').all() as UserRow[]).map((row) => toInfo(row, now));
  return users.sort((a, b) => Number(b.active) - Number(a.active) || byGivenName(a, b));
}

export function findUser(db: Database, login: string, now = new Date()): UserInfo | null {
  const row = rowByLogin(db, login);
  return row ? toInfo(row, now) : null;
}

export function userById(db: Database, id: number, now = new Date()): UserInfo | null {
  const row = prepared(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  return row ? toInfo(row, now) : null;
}

/** Someone must stay able to manage the accounts: the last active administrator is kept. */
function assertAnAdministratorStays(db: Database, changing: UserRow, after: { active: boolean; roles: readonly Role[] }): void {
  const wasAdmin = changing.active === 1 && (JSON.parse(changing.roles) as Role[]).includes('quan-tri');
  if (!wasAdmin || (after.active && after.roles.includes('quan-tri'))) return;
  const others = (prepared(db, "SELECT roles FROM users WHERE active = 1 AND id != ?").all(changing.id) as { roles: string }[]).filter((r) => (JSON.parse(r.roles) as Role[]).includes('quan-tri'));
  if (others.length === 0) throw new AppError('LAST_ADMINISTRATOR', `“${changing.login}” is the last administrator: make another one first.`, { login: changing.login });
}

export interface NewUser {
  login: string;
  fullName: string;
  position?: string;
  unit?: string;
  roles: Role[];
  password?: string;
}

export async function addUser(ctx: AccountContext, user: NewUser, now = new Date()): Promise<UserInfo> {
  const login = user.login.trim();
  if (rowByLogin(ctx.db, login)) throw new AppError('USER_EXISTS', `The login "${login}" is taken.`, { login });
  if (user.password !== undefined) assertPasswordAcceptable(user.password, login);
  // Hashed before the transaction: scrypt takes tens of milliseconds, the write lock none of them.
  const hash = user.password === undefined ? null : await hashPassword(user.password);
  const at = toVnIso(now);
  const id = ctx.db
    .transaction(() => {
      if (rowByLogin(ctx.db, login)) throw new AppError('USER_EXISTS', `The login "${login}" is taken.`, { login });
      const inserted = prepared(
        ctx.db,
        `INSERT INTO users (login, full_name, position, unit, roles, password_hash, created_at, updated_at)
         VALUES (@login, @fullName, @position, @unit, @roles, @hash, @at, @at)`,
      ).run({ login, fullName: user.fullName.trim(), position: user.position?.trim() ?? '', unit: user.unit?.trim() ?? '', roles: JSON.stringify(user.roles), hash, at });
      appendAudit(ctx.db, { actor: ctx.actor, kind: 'user_added', at, details: { login, fullName: user.fullName.trim(), unit: user.unit?.trim() ?? '', roles: user.roles } });
      return Number(inserted.lastInsertRowid);
    })
    .immediate();
  return userById(ctx.db, id, now)!;
}

/** Name, position, unit, roles, active: each change of rights recorded with its before and after. */
export function updateUser(ctx: AccountContext, login: string, patch: UserPatch, now = new Date()): UserInfo {
  const at = toVnIso(now);
  ctx.db
    .transaction(() => {
      const row = requireRow(ctx.db, login);
      const before = toInfo(row, now);
      const after = { ...before, ...patch };
      assertAnAdministratorStays(ctx.db, row, after);
      prepared(ctx.db, 'UPDATE users SET full_name = @fullName, position = @position, unit = @unit, roles = @roles, active = @active, updated_at = @at WHERE id = @id').run({
        id: row.id,
        fullName: after.fullName.trim(),
        position: after.position.trim(),
        unit: after.unit.trim(),
        roles: JSON.stringify(after.roles),
        active: after.active ? 1 : 0,
        at,
      });
      const changed = Object.fromEntries(
        (['fullName', 'position', 'unit', 'roles', 'active'] as const)
          .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
          .map((field) => [field, { before: before[field], after: after[field] }]),
      );
      if (Object.keys(changed).length === 0) return;
      appendAudit(ctx.db, { actor: ctx.actor, kind: after.active ? 'user_changed' : 'user_disabled', at, details: { login: row.login, changed } });
      // An account disabled, or whose rights shrank, keeps no open session.
      if (!after.active || before.roles.some((role) => !after.roles.includes(role))) prepared(ctx.db, 'DELETE FROM sessions WHERE user_id = ?').run(row.id);
    })
    .immediate();
  return findUser(ctx.db, login, now)!;
}

/** The administrator's reset (or the user's own change): a new password, the lockout lifted, every session ended. */
export async function setPassword(ctx: AccountContext, login: string, password: string, now = new Date()): Promise<UserInfo> {
  const row = requireRow(ctx.db, login);
  assertPasswordAcceptable(password, row.login);
  const hash = await hashPassword(password);
  const at = toVnIso(now);
  ctx.db
    .transaction(() => {
      prepared(ctx.db, 'UPDATE users SET password_hash = ?, failed_sign_ins = 0, last_failure_at = NULL, locked_until = NULL, updated_at = ? WHERE id = ?').run(hash, at, row.id);
      prepared(ctx.db, 'DELETE FROM sessions WHERE user_id = ?').run(row.id);
      appendAudit(ctx.db, { actor: ctx.actor, kind: 'password_set', at, details: { login: row.login } });
    })
    .immediate();
  return userById(ctx.db, row.id, now)!;
}

/** Binds the certificate (by its SHA-256 fingerprint) the person signs in with; null unbinds it. */
export function bindCertificate(ctx: AccountContext, login: string, fingerprint256: string | null, now = new Date()): UserInfo {
  const at = toVnIso(now);
  ctx.db
    .transaction(() => {
      const row = requireRow(ctx.db, login);
      const holder = fingerprint256 && (prepared(ctx.db, 'SELECT login FROM users WHERE certificate_fingerprint = ? AND id != ?').get(fingerprint256, row.id) as { login: string } | undefined);
      if (holder) throw new AppError('CERTIFICATE_BOUND', `That certificate is bound to “${holder.login}” already.`, { login: holder.login });
      prepared(ctx.db, 'UPDATE users SET certificate_fingerprint = ?, updated_at = ? WHERE id = ?').run(fingerprint256, at, row.id);
      appendAudit(ctx.db, { actor: ctx.actor, kind: 'certificate_bound', at, details: { login: row.login, before: row.certificate_fingerprint, after: fingerprint256 } });
    })
    .immediate();
  return findUser(ctx.db, login, now)!;
}

/** Seconds before the next try is heard, after `failures` failures in a row. */
function backoffSeconds(failures: number): number {
  return failures < FREE_FAILURES ? 0 : Math.min(MAX_BACKOFF_SECONDS, 2 ** (failures - FREE_FAILURES + 1));
}

/**
 * Checks a sign-in by password. A wrong login and a wrong password answer alike (SIGN_IN_FAILED)
 * and take as long; after a few failures in a row each try waits longer (SIGN_IN_BACKOFF, with the
 * seconds), after LOCKOUT_FAILURES the account locks for half an hour (ACCOUNT_LOCKED). A disabled
 * account is named only to the one who knows its password.
 */
export async function checkPassword(db: Database, login: string, password: string, client: string, given?: Date): Promise<UserInfo> {
  const now = given ?? new Date();
  const row = rowByLogin(db, login);
  if (!row || row.password_hash === null) {
    await passwordMatches(password, await decoyHash());
    throw new AppError('SIGN_IN_FAILED', 'Wrong login or password.');
  }
  if (row.locked_until && new Date(row.locked_until) > now) {
    throw new AppError('ACCOUNT_LOCKED', `The account is locked after ${LOCKOUT_FAILURES} wrong passwords, until ${row.locked_until.slice(11, 16)}; an administrator can unlock it by resetting the password.`, { until: row.locked_until });
  }
  const wait = backoffSeconds(row.failed_sign_ins);
  if (wait > 0 && row.last_failure_at) {
    const left = Math.ceil((new Date(row.last_failure_at).getTime() + wait * 1000 - now.getTime()) / 1000);
    if (left > 0) throw new AppError('SIGN_IN_BACKOFF', `Too many wrong passwords: try again in ${left} seconds.`, { seconds: left });
  }
  const matches = await passwordMatches(password, row.password_hash);
  if (!matches) {
    // The wait counts from the refusal, to the millisecond: the hash took a while, and a wait of
    // two seconds must not be eaten by it or by rounding to the second.
    const failedAt = given ?? new Date();
    const at = toVnIso(failedAt);
    const failures = row.failed_sign_ins + 1;
    const lockedUntil = failures >= LOCKOUT_FAILURES ? toVnIso(new Date(failedAt.getTime() + LOCKOUT_MINUTES * 60_000)) : null;
    db.transaction(() => {
      prepared(db, 'UPDATE users SET failed_sign_ins = ?, last_failure_at = ?, locked_until = ? WHERE id = ?').run(lockedUntil ? 0 : failures, failedAt.toISOString(), lockedUntil, row.id);
      appendAudit(db, { actor: row.login, kind: lockedUntil ? 'account_locked' : 'sign_in_failed', at, details: { login: row.login, client, failures } });
    }).immediate();
    throw new AppError('SIGN_IN_FAILED', 'Wrong login or password.');
  }
  if (row.active !== 1) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled; ask the administrator.');
  if (row.failed_sign_ins > 0 || row.locked_until) prepared(db, 'UPDATE users SET failed_sign_ins = 0, last_failure_at = NULL, locked_until = NULL WHERE id = ?').run(row.id);
  return toInfo({ ...row, failed_sign_ins: 0, locked_until: null }, now);
}

/** The account a bound certificate signs in to (a token sign-in, once its challenge is verified). */
export function userByCertificate(db: Database, fingerprint256: string, now = new Date()): UserInfo {
  const row = prepared(db, 'SELECT * FROM users WHERE certificate_fingerprint = ?').get(fingerprint256) as UserRow | undefined;
  if (!row) throw new AppError('SIGN_IN_FAILED', 'This certificate is not bound to any account; ask the administrator to bind it.');
  if (row.active !== 1) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled; ask the administrator.');
  return toInfo(row, now);
}
