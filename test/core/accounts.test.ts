// The office's accounts (issue 15), on a real SQLite file: adding and changing users through the
// contract, passwords kept as scrypt hashes, sign-in with its backoff and lockout (the clock moved
// by hand), sessions that lapse and end everywhere, changes of rights in the audit trail, and the
// last administrator kept. Bad inputs tried: a taken login (other case), a weak password, a
// password holding the login, an unknown role, a login with a space, a certificate bound twice.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../../main/core/app/core.js';
import { checkPassword, LOCKOUT_FAILURES, userByCertificate } from '../../main/core/accounts/users.js';
import { activeSession, closeSession, csrfMatches, openSession, openSessions, SESSION_IDLE_MINUTES, SESSION_MAX_HOURS } from '../../main/core/accounts/sessions.js';
import { verifyAudit } from '../../main/core/registry/audit.js';
import { coreCalls } from '../support/coreCalls.js';
import { refusedWith } from '../support/refusals.js';
import { tempDir } from '../support/fixtures.js';

const dataDir = tempDir('eoffice-accounts-');
const core: Core = openCore({ dataDir, shell: 'cli', actor: 'setup' });
const log: string[] = [];
const { call, ok } = coreCalls(() => core, log);
after(() => core.close());

const ADMIN_PASSWORD = 'Quản trị viên 2026!';
const CLERK_PASSWORD = 'văn-thư-mật-khẩu-7';


const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);
const seconds = (from: Date, n: number) => new Date(from.getTime() + n * 1000);

test('users are added through the contract; the password is kept only as an scrypt hash, never logged', async () => {
  const admin = await ok('users.add', { login: 'quantri', fullName: 'Trần Quản Trị', roles: ['quan-tri'], password: ADMIN_PASSWORD });
  assert.deepEqual([admin.login, admin.roles, admin.active, admin.hasPassword, admin.lockedUntil], ['quantri', ['quan-tri'], true, true, null]);
  await ok('users.add', { login: 'vanthu', fullName: 'Nguyễn Thị Bình', roles: ['van-thu'], unit: 'Văn phòng', position: 'Văn thư', password: CLERK_PASSWORD });
  await ok('users.add', { login: 'chutich', fullName: 'Nguyễn Văn An', roles: ['lanh-dao'], position: 'Chủ tịch' });
  assert.deepEqual((await ok('users.list', {})).map((u) => u.login), ['chutich', 'vanthu', 'quantri'], 'by given name: An, Bình, Trị');

  const stored = core.db.prepare('SELECT password_hash FROM users WHERE login = ?').get('vanthu') as { password_hash: string };
  assert.match(stored.password_hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  const database = fs.readFileSync(path.join(dataDir, 'eoffice.sqlite'));
  assert.ok(!database.includes(Buffer.from(CLERK_PASSWORD)), 'the password is nowhere in the database file');

  // Bad inputs: each refused with its code, nothing added.
  assert.equal((await call('users.add', { login: 'VanThu', fullName: 'x', roles: ['van-thu'] })).ok, false, 'a login is taken whatever its case');
  assert.equal((await call('users.add', { login: 'VanThu', fullName: 'x', roles: ['van-thu'] }) as { error: { code: string } }).error.code, 'USER_EXISTS');
  for (const [input, code] of [
    [{ login: 'ngan', fullName: 'Ngắn', roles: ['chuyen-vien'], password: 'ngắn' }, 'PASSWORD_TOO_WEAK'],
    [{ login: 'lethi', fullName: 'Lê Thị', roles: ['chuyen-vien'], password: 'xx-lethi-2026-xx' }, 'PASSWORD_TOO_WEAK'],
    [{ login: 'lethi', fullName: 'Lê Thị', roles: ['ke-toan'] }, 'INVALID_INPUT'],
    [{ login: 'le thi', fullName: 'Lê Thị', roles: ['chuyen-vien'] }, 'INVALID_INPUT'],
    [{ login: 'lethi', fullName: 'Lê Thị', roles: [] }, 'INVALID_INPUT'],
  ] as const) {
    const answer = await call('users.add', input);
    assert.equal(answer.ok ? 'ok' : answer.error.code, code, JSON.stringify(input));
  }
  assert.equal((await ok('users.list', {})).length, 3);
  assert.ok(!log.some((line) => line.includes(CLERK_PASSWORD) || line.includes(ADMIN_PASSWORD)), 'no password in the log');
  const added = core.db.prepare("SELECT details FROM audit_events WHERE kind = 'user_added'").all() as { details: string }[];
  assert.equal(added.length, 3);
  assert.ok(added.every((row) => !row.details.includes('password') && !row.details.includes('scrypt')));
});

test('sign-in: right and wrong passwords, unknown logins answered alike, backoff, then the lockout an administrator lifts', async () => {
  // Days ago, so that the locks it makes have ended by the real time the list is read at.
  const t0 = new Date(Date.now() - 3 * 86_400_000);
  assert.equal((await checkPassword(core.db, 'VANTHU', CLERK_PASSWORD, '10.0.0.5', t0)).login, 'vanthu', 'the login in any case');
  const unknown = await refusedWith(checkPassword(core.db, 'khongco', CLERK_PASSWORD, '10.0.0.5', t0), 'SIGN_IN_FAILED');
  const wrong = await refusedWith(checkPassword(core.db, 'vanthu', 'sai mật khẩu rồi', '10.0.0.5', t0), 'SIGN_IN_FAILED');
  assert.equal(unknown.message, wrong.message, 'an unknown login and a wrong password say the same');
  await refusedWith(checkPassword(core.db, 'vanthu', 'sai lần hai', '10.0.0.5', seconds(t0, 1)), 'SIGN_IN_FAILED');
  await refusedWith(checkPassword(core.db, 'vanthu', 'sai lần ba', '10.0.0.5', seconds(t0, 2)), 'SIGN_IN_FAILED');
  // Three failures in a row: the next try, even right, waits two seconds.
  const backoff = await refusedWith(checkPassword(core.db, 'vanthu', CLERK_PASSWORD, '10.0.0.5', seconds(t0, 3)), 'SIGN_IN_BACKOFF');
  assert.equal(backoff.details?.seconds, 1, 'one second of the two left');
  // Once the wait is over, the right password works and the count starts again.
  assert.equal((await checkPassword(core.db, 'vanthu', CLERK_PASSWORD, '10.0.0.5', seconds(t0, 4))).login, 'vanthu');
  assert.equal((core.db.prepare('SELECT failed_sign_ins FROM users WHERE login = ?').get('vanthu') as { failed_sign_ins: number }).failed_sign_ins, 0);

  // Ten wrong passwords, each after its wait: locked for half an hour, the right one refused too.
  let at = minutes(t0, 10);
  for (let i = 0; i < LOCKOUT_FAILURES; i++) {
    at = seconds(at, 61);
    await refusedWith(checkPassword(core.db, 'vanthu', `sai ${i}`, '10.0.0.9', at), 'SIGN_IN_FAILED');
  }
  const locked = await refusedWith(checkPassword(core.db, 'vanthu', CLERK_PASSWORD, '10.0.0.9', seconds(at, 61)), 'ACCOUNT_LOCKED');
  assert.match(locked.message, /locked/);
  assert.ok((await ok('users.list', {})).find((u) => u.login === 'vanthu')?.lockedUntil === null, 'the list is read at the real time, long after the lock');
  assert.equal((await checkPassword(core.db, 'vanthu', CLERK_PASSWORD, '10.0.0.9', minutes(at, 31))).login, 'vanthu', 'the lock ends after 30 minutes');
  const kinds = (core.db.prepare("SELECT kind FROM audit_events WHERE kind IN ('sign_in_failed', 'account_locked')").all() as { kind: string }[]).map((r) => r.kind);
  assert.equal(kinds.filter((k) => k === 'account_locked').length, 1);
  assert.equal(kinds.filter((k) => k === 'sign_in_failed').length, 3 + LOCKOUT_FAILURES - 1);

  // Locked again; the administrator's reset unlocks at once.
  for (let i = 0; i < LOCKOUT_FAILURES; i++) {
    at = minutes(at, 40 + i);
    await refusedWith(checkPassword(core.db, 'vanthu', `lại sai ${i}`, '10.0.0.9', at), 'SIGN_IN_FAILED');
  }
  await refusedWith(checkPassword(core.db, 'vanthu', CLERK_PASSWORD, '10.0.0.9', seconds(at, 1)), 'ACCOUNT_LOCKED');
  await ok('users.setPassword', { login: 'vanthu', password: 'mật khẩu mới của văn thư' });
  await refusedWith(checkPassword(core.db, 'vanthu', CLERK_PASSWORD, '10.0.0.9', seconds(at, 2)), 'SIGN_IN_FAILED');
  assert.equal((await checkPassword(core.db, 'vanthu', 'mật khẩu mới của văn thư', '10.0.0.9', seconds(at, 3))).login, 'vanthu');
  // An account without a password (the leader signs in with the token) has no password sign-in.
  await refusedWith(checkPassword(core.db, 'chutich', '', '10.0.0.9', t0), 'SIGN_IN_FAILED');
});

test('sessions: stored by their hash, lapse when idle and when old, end everywhere, and with the account', async () => {
  const t0 = new Date(Date.now() - 2 * 86_400_000);
  const clerk = await checkPassword(core.db, 'vanthu', 'mật khẩu mới của văn thư', '10.0.0.5', t0);
  const first = openSession(core.db, clerk, '10.0.0.5', 'password', t0);
  const second = openSession(core.db, clerk, '10.0.0.6', 'password', t0);
  assert.notEqual(first.token, second.token);
  const rows = core.db.prepare('SELECT token_sha256 FROM sessions').all() as { token_sha256: string }[];
  assert.ok(rows.every((r) => r.token_sha256 !== first.token && r.token_sha256 !== second.token), 'only hashes are stored');

  const active = activeSession(core.db, first.token, minutes(t0, 10));
  assert.equal(active?.user.login, 'vanthu');
  assert.ok(active && csrfMatches(active, first.csrfToken));
  assert.ok(active && !csrfMatches(active, second.csrfToken), "another session's CSRF token does not serve");
  assert.ok(active && !csrfMatches(active, undefined));
  assert.equal(activeSession(core.db, 'not-a-token', t0), null);
  // Used every 20 minutes it stays; SESSION_MAX_HOURS after sign-in it ends anyway.
  let at = t0;
  for (let i = 0; i < (SESSION_MAX_HOURS * 60) / 20 - 1; i++) {
    at = minutes(at, 20);
    assert.ok(activeSession(core.db, first.token, at), `still open at ${at.toISOString()}`);
  }
  assert.equal(activeSession(core.db, first.token, minutes(t0, SESSION_MAX_HOURS * 60 + 1)), null, 'too old');
  // Idle longer than SESSION_IDLE_MINUTES: ended.
  assert.equal(activeSession(core.db, second.token, minutes(t0, SESSION_IDLE_MINUTES + 1)), null, 'idle');

  const now = new Date();
  const a = openSession(core.db, clerk, '10.0.0.5', 'password', now);
  const b = openSession(core.db, clerk, '10.0.0.7', 'password', now);
  assert.deepEqual((await ok('users.sessions', {})).map((s) => s.client).sort(), ['10.0.0.5', '10.0.0.7']);
  assert.deepEqual(await ok('users.signOutEverywhere', { login: 'vanthu' }), { sessions: 2 });
  assert.equal(activeSession(core.db, a.token), null);
  assert.equal(activeSession(core.db, b.token), null);

  // Disabling the account, or taking a role away, ends its sessions; a disabled account cannot sign in.
  const c = openSession(core.db, clerk, '10.0.0.5', 'password', now);
  await ok('users.update', { login: 'vanthu', patch: { roles: ['chuyen-vien'] } });
  assert.equal(activeSession(core.db, c.token), null, 'fewer rights: signed out');
  await ok('users.update', { login: 'vanthu', patch: { roles: ['van-thu'] } });
  const d = openSession(core.db, clerk, '10.0.0.5', 'password', now);
  await ok('users.update', { login: 'vanthu', patch: { active: false } });
  assert.equal(activeSession(core.db, d.token), null);
  await refusedWith(checkPassword(core.db, 'vanthu', 'mật khẩu mới của văn thư', '10.0.0.5'), 'ACCOUNT_DISABLED');
  await refusedWith(checkPassword(core.db, 'vanthu', 'sai và đã khóa', '10.0.0.5'), 'SIGN_IN_FAILED');
  await ok('users.update', { login: 'vanthu', patch: { active: true } });
  const e = openSession(core.db, clerk, '10.0.0.5', 'password', now);
  closeSession(core.db, e.token);
  assert.equal(activeSession(core.db, e.token), null);
  assert.deepEqual(openSessions(core.db), []);
});

test('changes of rights are in the audit trail with before and after; the last administrator stays one', async () => {
  await ok('users.update', { login: 'chutich', patch: { unit: 'Lãnh đạo UBND', roles: ['lanh-dao', 'quan-tri'] } });
  const changed = core.db.prepare("SELECT actor, details FROM audit_events WHERE kind = 'user_changed' ORDER BY id DESC LIMIT 1").get() as { actor: string; details: string };
  assert.equal(changed.actor, 'setup');
  assert.deepEqual(JSON.parse(changed.details), { login: 'chutich', changed: { unit: { before: '', after: 'Lãnh đạo UBND' }, roles: { before: ['lanh-dao'], after: ['lanh-dao', 'quan-tri'] } } });
  // Two administrators: one may go; then the other is the last.
  await ok('users.update', { login: 'chutich', patch: { roles: ['lanh-dao'] } });
  for (const patch of [{ active: false }, { roles: ['van-thu' as const] }]) {
    const answer = await call('users.update', { login: 'quantri', patch });
    assert.equal(answer.ok ? 'ok' : answer.error.code, 'LAST_ADMINISTRATOR', JSON.stringify(patch));
  }
  assert.deepEqual((await ok('users.list', {})).find((u) => u.login === 'quantri')?.roles, ['quan-tri']);
  const missing = await call('users.update', { login: 'khongco', patch: { active: false } });
  assert.equal(missing.ok ? 'ok' : missing.error.code, 'USER_NOT_FOUND');
  assert.equal(verifyAudit(core.db).ok, true);
});

test('a certificate bound to an account signs in to it; one certificate, one account', async () => {
  const fingerprint = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
  await ok('users.bindCertificate', { login: 'chutich', fingerprint256: fingerprint });
  assert.equal(userByCertificate(core.db, fingerprint).login, 'chutich');
  const twice = await call('users.bindCertificate', { login: 'vanthu', fingerprint256: fingerprint });
  assert.equal(twice.ok ? 'ok' : twice.error.code, 'CERTIFICATE_BOUND');
  const malformed = await call('users.bindCertificate', { login: 'vanthu', fingerprint256: 'ab:cd' });
  assert.equal(malformed.ok ? 'ok' : malformed.error.code, 'INVALID_INPUT');
  await ok('users.bindCertificate', { login: 'chutich', fingerprint256: null });
  await refusedWith(Promise.resolve().then(() => userByCertificate(core.db, fingerprint)), 'SIGN_IN_FAILED');
});
