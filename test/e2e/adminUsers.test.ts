/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end on the office host (issue 15), the administrator's side: `eoffice serve` from the
// built CLI in a child, and the administrator's browser — Debian's Chromium at 1024×600 — in
// Cài đặt → Người dùng và máy chủ văn phòng. What is tried: the accounts as the host lists them,
// a weak password refused in Vietnamese, a chuyên viên added (then signing in with that password),
// their unit changed, their password reset, a certificate bound, the account disabled (then refused
// at sign-in), who is connected, the host's fingerprint and its QR code; and no such section for
// the văn thư. Each change is checked on the host itself, through a separate connection.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openCore } from '../../main/core/app/core.js';
import { firstLook, OfficeConnection, type HostIdentity } from '../../main/core/office/officeClient.js';
import { CHROMIUM, launchChromium, RENDERER } from '../support/browser.js';
import { CLI_BUNDLE } from '../support/cliRun.js';
import { coreCalls } from '../support/coreCalls.js';
import { startServe } from '../support/officeServe.js';
import { layoutProblems } from '../support/layout.js';
import { REPO_ROOT, tempDir } from '../support/fixtures.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const dataDir = tempDir('eoffice-admin-users-e2e-');
const PASSWORDS = { quantri: 'quản trị viên 2026', vanthu: 'văn thư của xã 2026' };
const NEWCOMER = { login: 'cuong.le', fullName: 'Lê Văn Cường', position: 'Chuyên viên', unit: 'Phòng Kinh tế', password: 'chuyên viên mới 2026', reset: 'mật khẩu đặt lại 2026' };
const vi = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renderer/src/i18n/vi.json'), 'utf8')) as Record<string, string>;

let hostProcess: ChildProcess | null = null;
let hostUrl = '';
let pinned: HostIdentity;
let browser: Browser | undefined;

/** `eoffice serve` in a child on a free port; resolves once it prints its address. */
async function startHost(): Promise<void> {
  const served = await startServe(dataDir);
  hostProcess = served.child;
  hostUrl = served.url;
}

/** What the host answers to a sign-in: the person, or the refusal's code. */
async function trySignIn(login: string, password: string): Promise<string> {
  const connection = new OfficeConnection(hostUrl, pinned);
  try {
    const user = await connection.signIn(login, password);
    await connection.signOut();
    return `signed in as ${user.login}`;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

async function hostUsers() {
  const admin = new OfficeConnection(hostUrl, pinned);
  await admin.signIn('quantri', PASSWORDS.quantri);
  const users = await admin.call('users.list', {});
  await admin.signOut();
  return users;
}

async function openPage(login: keyof typeof PASSWORDS): Promise<{ page: Page; pageErrors: string[]; apiCalls: string[] }> {
  browser ??= await launchChromium();
  // The host's self-signed certificate: accepted by this fresh profile, as officeHost.test.ts explains.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 600 }, locale: 'vi-VN' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const apiCalls: string[] = [];
  page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    if (pathname.startsWith('/api/')) apiCalls.push(pathname.slice('/api/'.length));
  });
  await page.goto(hostUrl);
  await page.getByTestId('sign-in-login').fill(login);
  await page.getByTestId('sign-in-password').fill(PASSWORDS[login]);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('header-user').waitFor();
  await page.getByTestId('header-agency').click();
  await page.getByTestId('settings-view').waitFor();
  await page.getByTestId('settings-agency-name').filter({ hasText: 'UBND xã Thử Nghiệm' }).waitFor();
  return { page, pageErrors, apiCalls };
}

before(async () => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CLI_BUNDLE), 'npm run build makes dist/cli');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const core = openCore({ dataDir, shell: 'cli', actor: 'cài đặt' });
  const { ok } = coreCalls(() => core, []);
  await ok('agency.update', { code: '000.00.32.H41', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND' });
  await ok('users.add', { login: 'quantri', fullName: 'Trần Văn Trị', roles: ['quan-tri'], password: PASSWORDS.quantri });
  await ok('users.add', { login: 'vanthu', fullName: 'Nguyễn Thị Bình', roles: ['van-thu'], unit: 'Văn phòng', position: 'Văn thư', password: PASSWORDS.vanthu });
  core.close();
  await startHost();
  pinned = await firstLook(hostUrl);
});

after(async () => {
  await browser?.close();
  const child = hostProcess;
  if (child && child.exitCode === null) {
    child.removeAllListeners('exit');
    const ended = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await ended;
  }
});

test('the administrator adds a chuyên viên, changes their unit, resets their password, binds a certificate and disables them; sees who is connected and the host’s fingerprint with its QR code', async () => {
  const { page, pageErrors } = await openPage('quantri');
  const part = page.getByTestId('settings-users');
  await part.getByTestId('users-list').waitFor();
  assert.match(await part.locator('.settings-part-title').innerText(), new RegExp(`^${vi['settings.users.title']}`));
  assert.equal(await part.getAttribute('data-done'), 'true', 'an active administrator with a password');

  // The accounts, in the host's order, roles and state in Vietnamese.
  const rows = part.getByTestId('users-row');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-login'))), (await hostUsers()).map((u) => u.login));
  const clerk = part.locator('[data-testid="users-row"][data-login="vanthu"]');
  assert.match(await clerk.innerText(), /Nguyễn Thị Bình/);
  assert.equal(await clerk.getByTestId('users-details').innerText(), 'Văn thư · Văn phòng');
  assert.equal(await clerk.getByTestId('users-roles').innerText(), vi['account.role.van-thu']);
  assert.equal(await clerk.getByTestId('users-state').innerText(), vi['users.state.active']);
  assert.equal(await part.locator('[data-testid="users-row"][data-login="quantri"]').getByTestId('users-roles').innerText(), vi['account.role.quan-tri']);

  // Who is connected: the administrator herself, from this browser, with dd/MM/yyyy HH:mm times.
  const session = part.locator('[data-testid="users-session"][data-login="quantri"]');
  await session.waitFor();
  assert.match(await session.innerText(), /Trần Văn Trị .*127\.0\.0\.1.* — từ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}, lần gọi cuối \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);

  // The host's certificate: the fingerprint this test pinned, its syllables, and a QR image that loaded.
  assert.equal(await part.getByTestId('office-fingerprint').innerText(), pinned.fingerprint256);
  assert.ok((await part.getByTestId('office-words').innerText()).trim().length > 10);
  const qr = part.getByTestId('office-qr');
  await qr.waitFor();
  assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;charset=utf-8,/);
  assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR image is shown (img-src data: is allowed)');
  assert.equal(await part.getByTestId('office-not-served').count(), 0);

  // Adding a chuyên viên: a weak password first, refused with the host's reason in Vietnamese.
  await part.getByTestId('settings-users-edit').click();
  const form = part.getByTestId('users-add-form');
  await form.getByTestId('users-add-login').fill(NEWCOMER.login);
  await form.getByTestId('users-add-name').fill(NEWCOMER.fullName);
  await form.getByTestId('users-add-position').fill(NEWCOMER.position);
  await form.getByTestId('users-add-unit').fill(NEWCOMER.unit);
  assert.equal(await form.locator('input[data-role="chuyen-vien"]').isChecked(), true, 'a new account is a chuyên viên unless told');
  await form.getByTestId('users-add-password').fill('ngắn');
  await form.getByTestId('users-add-password-again').fill('ngắn');
  await form.getByTestId('users-add-save').click();
  await form.getByTestId('users-error').waitFor();
  assert.equal(await form.getByTestId('users-error').innerText(), vi['error.PASSWORD_TOO_WEAK']);
  assert.equal(await form.getByTestId('users-add-password').inputValue(), '', 'the password is not kept in the form');
  assert.equal(await form.getByTestId('users-add-password-again').inputValue(), '');
  // Two passwords that differ are not sent at all.
  await form.getByTestId('users-add-password').fill(NEWCOMER.password);
  await form.getByTestId('users-add-password-again').fill(`${NEWCOMER.password}!`);
  await form.getByTestId('users-add-save').click();
  await form.getByTestId('users-error').filter({ hasText: vi['users.passwordMismatch']! }).waitFor();
  await form.getByTestId('users-add-password').fill(NEWCOMER.password);
  await form.getByTestId('users-add-password-again').fill(NEWCOMER.password);
  await form.getByTestId('users-add-save').click();
  await form.waitFor({ state: 'detached' });
  const row = part.locator(`[data-testid="users-row"][data-login="${NEWCOMER.login}"]`);
  await row.waitFor();
  assert.equal(await row.getByTestId('users-details').innerText(), `${NEWCOMER.position} · ${NEWCOMER.unit}`);
  assert.equal(await row.getByTestId('users-roles').innerText(), vi['account.role.chuyen-vien']);
  assert.equal(await trySignIn(NEWCOMER.login, NEWCOMER.password), `signed in as ${NEWCOMER.login}`);

  // Their unit changed.
  await row.getByTestId('users-edit').click();
  const editor = row.getByTestId('users-editor');
  await editor.getByTestId('users-edit-unit').fill('Phòng Văn hóa - Xã hội');
  await editor.getByTestId('users-save').click();
  await row.getByTestId('users-details').filter({ hasText: 'Phòng Văn hóa - Xã hội' }).waitFor();
  assert.equal((await hostUsers()).find((u) => u.login === NEWCOMER.login)?.unit, 'Phòng Văn hóa - Xã hội');

  // A new password, typed twice: the old one no longer opens the account, the new one does.
  await editor.getByTestId('users-reset-password').fill(NEWCOMER.reset);
  await editor.getByTestId('users-reset-password-again').fill(NEWCOMER.reset);
  await editor.getByTestId('users-reset-save').click();
  await editor.getByTestId('users-note').filter({ hasText: vi['users.passwordSet']! }).waitFor();
  assert.equal(await editor.getByTestId('users-reset-password').inputValue(), '');
  assert.equal(await trySignIn(NEWCOMER.login, NEWCOMER.password), 'SIGN_IN_FAILED');
  assert.equal(await trySignIn(NEWCOMER.login, NEWCOMER.reset), `signed in as ${NEWCOMER.login}`);

  // A certificate fingerprint, pasted in lower case without colons, bound as AA:BB:…
  const hex = 'ab'.repeat(32);
  await editor.getByTestId('users-fingerprint').fill('not a fingerprint');
  await editor.getByTestId('users-bind').click();
  await editor.getByTestId('users-error').filter({ hasText: vi['users.fingerprintInvalid']! }).waitFor();
  await editor.getByTestId('users-fingerprint').fill(hex);
  await editor.getByTestId('users-bind').click();
  await editor.getByTestId('users-note').filter({ hasText: vi['users.certificateSaved']! }).waitFor();
  assert.equal(await editor.getByTestId('users-fingerprint').inputValue(), Array(32).fill('AB').join(':'));
  assert.equal((await hostUsers()).find((u) => u.login === NEWCOMER.login)?.certificateFingerprint, Array(32).fill('AB').join(':'));

  // Disabled: shown as such, and refused by the host.
  await editor.getByTestId('users-toggle-active').click();
  await part.locator(`[data-testid="users-row"][data-login="${NEWCOMER.login}"][data-state="disabled"]`).waitFor();
  assert.equal(await row.getByTestId('users-state').innerText(), vi['users.state.disabled']);
  assert.equal(await editor.getByTestId('users-toggle-active').innerText(), vi['users.enable']);
  assert.equal(await trySignIn(NEWCOMER.login, NEWCOMER.reset), 'ACCOUNT_DISABLED');

  // Nothing cut at 1024×600, and a picture of it.
  assert.deepEqual(await layoutProblems(page, '[data-testid="settings-users"]'), []);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // The view's own scroller, moved to the list (scrollIntoView would shift the whole page too).
  await part.getByTestId('users-list').evaluate((e) => {
    const scroller = e.closest('.view-body')!;
    scroller.scrollTop += e.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
  });
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-admin-users.png') });
  await part.getByTestId('office-qr').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-admin-users-host.png') });
  assert.equal(await page.getByTestId('settings-view').getByRole('alert').count(), 0, 'no error left shown');
  assert.deepEqual(pageErrors, []);
});

test('the văn thư’s Cài đặt has no accounts section, and her browser never asks for the accounts', async () => {
  const { page, pageErrors, apiCalls } = await openPage('vanthu');
  await page.getByTestId('settings-trust').waitFor();
  assert.equal(await page.getByTestId('settings-users').count(), 0);
  assert.equal(await page.getByText(vi['settings.users.title']!).count(), 0);
  assert.ok(!apiCalls.some((m) => m.startsWith('users.') || m === 'office.info'), apiCalls.join());
  assert.deepEqual(pageErrors, []);
});
