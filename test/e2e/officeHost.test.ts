/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end on the office host (issue 15): `eoffice serve` from the built CLI in a child, and a
// colleague's browser — Debian's Chromium, driven by playwright-core — on the office network. The
// page is the same renderer as on the loopback host; here it signs in first and sends the
// session's CSRF token with every call. What is tried: the sign-in screen before anything of the
// office shows, wrong passwords in Vietnamese (then the wait, with its seconds), the clerk's registry with her name in the header,
// no token on a browser (the host's are its PC's) and no scary errors, Cài đặt without the
// administrator's buttons, a session ended elsewhere bringing the sign-in screen back, signing out.
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
import { interopPdf, REPO_ROOT, tempDir } from '../support/fixtures.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const dataDir = tempDir('eoffice-office-e2e-');
const PASSWORDS = { quantri: 'quản trị viên 2026', vanthu: 'văn thư của xã 2026' };
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

async function signedIn(login: keyof typeof PASSWORDS): Promise<OfficeConnection> {
  const connection = new OfficeConnection(hostUrl, pinned);
  await connection.signIn(login, PASSWORDS[login]);
  return connection;
}

async function signInWith(page: Page, login: string, password: string): Promise<void> {
  await page.getByTestId('sign-in-login').fill(login);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
}

/** The clerk's incoming register, with the document imported before. */
async function registryShown(page: Page): Promise<void> {
  await page.getByTestId('tab-in').click();
  await page.getByTestId('doc-row').filter({ hasText: 'Về việc treo cờ Tổ quốc' }).waitFor();
}

before(async () => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CLI_BUNDLE), 'npm run build makes dist/cli');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  // The accounts, made at the host's own terminal before it serves (as eoffice users add does).
  const core = openCore({ dataDir, shell: 'cli', actor: 'cài đặt' });
  const { ok } = coreCalls(() => core, []);
  await ok('agency.update', { code: '000.00.32.H41', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND' });
  await ok('users.add', { login: 'quantri', fullName: 'Trần Văn Trị', roles: ['quan-tri'], password: PASSWORDS.quantri });
  await ok('users.add', { login: 'vanthu', fullName: 'Nguyễn Thị Bình', roles: ['van-thu'], unit: 'Văn phòng', password: PASSWORDS.vanthu });
  core.close();
  await startHost();
  pinned = await firstLook(hostUrl);
  // Something in the register, put there through the host's API by the clerk.
  const clerk = await signedIn('vanthu');
  await clerk.call('documents.import', { direction: 'in', fileName: 'hanoi-tb-453-ubnd-2026.pdf', bytes: new Uint8Array(fs.readFileSync(interopPdf('hanoi-tb-453-ubnd-2026.pdf'))) });
  await clerk.signOut();
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

test('a colleague’s browser signs in to the office host, works in the register as herself, and signs out', async () => {
  browser = await launchChromium();
  // The host's certificate is its own, self-signed: an office's browsers have it trusted (or the
  // host's address pinned) by the administrator, after comparing its fingerprint with the one the
  // host prints. Here the test's fresh browser profile stands in for that by accepting it.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const apiCalls: string[] = [];
  page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    if (pathname.startsWith('/api/')) apiCalls.push(pathname.slice('/api/'.length));
  });

  await page.goto(hostUrl);
  // Before a session: the sign-in screen, and nothing of the office — not even its name.
  await page.getByTestId('sign-in').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Đăng nhập');
  assert.match(await page.getByTestId('sign-in').innerText(), /eOffice — Máy chủ văn phòng/);
  assert.ok(!(await page.content()).includes('UBND xã Thử Nghiệm'));
  assert.equal(await page.getByLabel('Tên đăng nhập').count(), 1);
  assert.equal(await page.getByLabel('Mật khẩu').count(), 1);
  assert.equal(apiCalls.join(), '', 'no API call before signing in');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-office-sign-in.png') });

  // A wrong password: refused in Vietnamese, the password field emptied for another try.
  await signInWith(page, 'vanthu', 'không phải mật khẩu');
  await page.getByTestId('sign-in-error').waitFor();
  assert.equal(await page.getByTestId('sign-in-error').innerText(), vi['error.SIGN_IN_FAILED']);
  assert.equal(await page.getByTestId('sign-in-password').inputValue(), '');
  assert.equal(await page.getByTestId('doc-row').count(), 0);
  // Two more, and the host makes her wait: the message says how long.
  for (const guess of ['sai lần hai', 'sai lần ba']) {
    await signInWith(page, 'vanthu', guess);
    await page.waitForFunction(() => (document.querySelector('[data-testid="sign-in-password"]') as HTMLInputElement).value === '');
  }
  await signInWith(page, 'vanthu', PASSWORDS.vanthu);
  await page.getByTestId('sign-in-error').filter({ hasText: 'giây' }).waitFor();
  const wait = /thử lại sau (\d+) giây/.exec(await page.getByTestId('sign-in-error').innerText());
  assert.ok(wait, await page.getByTestId('sign-in-error').innerText());
  assert.equal(await page.getByTestId('sign-in-error').innerText(), vi['error.SIGN_IN_BACKOFF']!.replace('{seconds}', wait[1]!));
  await new Promise((resolve) => setTimeout(resolve, Number(wait[1]) * 1000 + 100));

  await signInWith(page, 'vanthu', PASSWORDS.vanthu);
  await page.getByTestId('header-user').waitFor();
  assert.equal(await page.getByTestId('header-user-name').innerText(), 'Nguyễn Thị Bình');
  assert.equal(await page.getByTestId('header-user-roles').innerText(), 'Văn thư');
  assert.equal(await page.getByTestId('header-agency').innerText(), 'UBND xã Thử Nghiệm');
  assert.equal(await page.getByTestId('sign-out').innerText(), 'Đăng xuất');
  await registryShown(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-office-registry.png') });
  // Every call went through with the session's CSRF token (the host refuses one without).
  assert.ok(apiCalls.includes('documents.list'), apiCalls.join());

  // A browser has no token here: the panel says so plainly, with no error and no "add a library".
  assert.equal(await page.getByTestId('token-empty').innerText(), vi['tokens.officeHost']);
  assert.equal(await page.getByText(vi['tokens.addModule']!).count(), 0);
  assert.ok(!apiCalls.includes('tokens.list') && !apiCalls.includes('exchange.networkChanged'), 'nothing of this PC’s is asked of the host');

  // Cài đặt: the clerk sees the agency and the trust store, without the administrator's buttons.
  await page.getByTestId('header-agency').click();
  await page.getByTestId('settings-view').waitFor();
  // Read once the page's facts have come (until then each shows —).
  await page.getByTestId('settings-agency-name').filter({ hasText: 'UBND xã Thử Nghiệm' }).waitFor();
  assert.equal(await page.getByTestId('settings-trust-count').innerText(), vi['trust.emptyTitle']);
  assert.equal(await page.getByTestId('settings-agency-edit').count(), 0);
  assert.equal(await page.getByTestId('settings-trust-edit').count(), 0);
  assert.equal(await page.getByTestId('settings-agency').getByText(vi['settings.adminOnly']!).count(), 1);
  assert.equal(await page.getByTestId('settings-view').getByRole('alert').count(), 0, 'no error shown in Cài đặt');
  await page.getByTestId('settings-close').click();

  // The session ends elsewhere (the administrator signs her out everywhere): the next call brings
  // the sign-in screen back, and signing in again returns to the register.
  const admin = await signedIn('quantri');
  assert.ok((await admin.call('users.signOutEverywhere', { login: 'vanthu' })).sessions >= 1);
  await page.getByTestId('tab-in').click();
  await page.getByTestId('search-input').fill('treo co');
  await page.getByTestId('sign-in').waitFor();
  assert.equal(await page.getByTestId('header-user').count(), 0);
  await signInWith(page, 'vanthu', PASSWORDS.vanthu);
  await page.getByTestId('header-user').waitFor();
  await registryShown(page);

  // Đăng xuất: back to the sign-in screen, and the session is over on the host too.
  await page.getByTestId('sign-out').click();
  await page.getByTestId('sign-in').waitFor();
  assert.equal(await page.getByTestId('header-user').count(), 0);
  assert.equal(await page.evaluate(async () => (await fetch('/auth/session')).status), 401);

  assert.deepEqual(pageErrors, []);
});
