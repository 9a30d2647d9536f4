/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end, as the acceptance walk did it (issue 13): Debian's Chromium at 1366×768 and at
// 1024×600 (a commune's laptop), in Vietnamese and in English, over a real registry, a SoftHSM
// token and the reference axis. The first-run setup and Cài đặt; the sidebar folding away; the
// recipients picked from the axis's directory by name; several incoming documents accepted at
// once; Ctrl+K and "/"; the exchange view with a failing axis; and on every view and dialog, the
// layout rule of test/support/layout.ts — no column header or button cut, no text cut without a
// tooltip. Screenshots of each step go to .test-artifacts/screens/ (git-ignored).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, RENDERER, launchChromium } from '../support/browser.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import { startWebHost, type WebHost } from '../../main/core/web/host.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { freePort } from '../support/agencies.js';
import { interopPdf, makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { sealImage, signatureImage } from '../support/png.js';
import { layoutProblems } from '../support/layout.js';
import { startAxisServer, type AxisServer } from '../axis/server.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts', 'screens');
const WAIT = { timeout: 60_000 };
const LABEL = 'Token UBND xã Màn Hình';
const COMMUNE = { code: '000.00.21.H99', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND', systemId: 'xa-thu-nghiem', secret: 'bí-mật-xã-5c1e' };
const DIRECTORY = [
  { code: '000.00.02.H99', name: 'UBND huyện Thử Nghiệm' },
  { code: '000.00.32.H99', name: 'Sở Tài nguyên và Môi trường' },
  { code: '000.00.33.H99', name: 'Sở Giáo dục và Đào tạo' },
  { code: '000.00.00.H99', name: 'Ủy ban nhân dân tỉnh Thử Nghiệm' },
].map((agency, i) => ({ ...agency, systemId: `he-thong-${i}`, secret: `bi-mat-${i}-7a` }));

type Locale = 'vi' | 'en';
interface Screen {
  width: number;
  height: number;
  locale: Locale;
}
const SCREENS: Screen[] = [
  { width: 1366, height: 768, locale: 'vi' },
  { width: 1024, height: 600, locale: 'vi' },
  { width: 1366, height: 768, locale: 'en' },
  { width: 1024, height: 600, locale: 'en' },
];
const nameOf = (s: Screen) => `${s.width}x${s.height}-${s.locale}`;

let work: string;
let token: TestToken;
let core: Core;
let host: WebHost;
let browser: Browser;
let axis: AxisServer | undefined;
let axisPort: number;
let caFile: string;

async function api<M extends MethodName>(method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

async function startAxis(): Promise<void> {
  axis = await startAxisServer({ port: axisPort, dbPath: path.join(work, 'axis.sqlite'), agencies: [COMMUNE, ...DIRECTORY] });
}

const pageErrors = new WeakMap<Page, string[]>();

/** A page at this size and in this language (the app starts in the language of its settings). */
async function open(screen: Screen): Promise<Page> {
  await api('settings.update', { locale: screen.locale });
  const page = await browser.newPage({ viewport: { width: screen.width, height: screen.height }, locale: screen.locale === 'vi' ? 'vi-VN' : 'en-GB' });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(host.url);
  await page.locator('.app-header').waitFor(WAIT);
  return page;
}

async function close(page: Page): Promise<void> {
  assert.deepEqual(pageErrors.get(page), [], 'no script error on the page');
  await page.close();
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  assert.ok(fs.statSync(file).size > 1000, `a real screenshot: ${file}`);
}

async function assertLaid(page: Page, what: string, scope = 'body'): Promise<void> {
  const problems = await layoutProblems(page, scope);
  if (problems.length > 0) await shot(page, `cut-${what.replace(/[^\w-]+/g, '-')}`);
  assert.deepEqual(problems, [], `${what}: nothing cut`);
}

/** A draft issued through the API as the issuing tests do: the leader's signature, number, the agency's seal. */
async function issue(subject: string, recipientCodes: string[]): Promise<number> {
  const pdf = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /CV-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'CÔNG VĂN', subject]);
  const draft = await api('outgoing.create', {
    fileName: `${subject}.pdf`,
    bytes: pdf,
    details: { typeCode: 'CV', subject, signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['UBND huyện Thử Nghiệm'], recipientCodes },
  });
  const id = draft.document.id;
  const signed = await api('documents.sign', { ids: [id], label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  assert.equal(signed.results[0]!.status, 'signed', JSON.stringify(signed.results[0]));
  await api('outgoing.issue', { id, label: LABEL, certificateId: token.ids.agency, pin: token.userPin });
  return id;
}

/** An incoming document waiting for tiếp nhận; `complete` fills the five fields the register needs. */
async function arrive(subject: string, complete: boolean): Promise<number> {
  const bytes = await makeVietnamesePdf([`Văn bản đến ${Math.random()}`]);
  // A subject read from the file's name is a guess the clerk confirms: the name here is no subject.
  const { document } = await api('documents.import', { direction: 'in', fileName: 'van-ban-den.pdf', bytes });
  if (complete) {
    await api('documents.update', { id: document.id, patch: { notation: `${document.id}/TB-UBND`, documentDate: '2026-03-02', authorAgency: 'UBND huyện Thử Nghiệm', typeCode: 'TB', subject } });
  } else {
    await api('documents.update', { id: document.id, patch: { notation: null, documentDate: null, subject } });
  }
  return document.id;
}

before(async () => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  work = tempDir('eoffice-e2e-screens-');
  token = await createTestToken({ label: LABEL, agencyName: COMMUNE.name });
  caFile = path.join(work, 'ca-goc.pem');
  fs.writeFileSync(caFile, token.caCertPem);
  const dataDir = tempDir('eoffice-e2e-screens-data-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  core = openCore({ dataDir, shell: 'web', actor: 'vanthu', settings, tokens: { pollIntervalMs: 300 } });
  host = await startWebHost({ handlers: core.handlers, events: core.events, staticDir: RENDERER, maxBodyBytes: () => 200 * 1048576 });
  browser = await launchChromium();
  axisPort = await freePort();
  await startAxis();
  await api('tokens.setImage', { fingerprint256: new X509Certificate(token.signerCertDer).fingerprint256, kind: 'signature', png: signatureImage() });
  await api('tokens.setImage', { fingerprint256: new X509Certificate(token.agencyCertDer).fingerprint256, kind: 'seal', png: sealImage() });
});

after(async () => {
  await browser?.close();
  await host?.close();
  core?.close();
  await axis?.close();
  token?.cleanup();
});

test('first run: the setup opens by itself, the agency, the axis and the trust roots are set through their dialogs; closed, it reopens from the header', async () => {
  const screen = SCREENS[0]!;
  const page = await open(screen);
  const setup = page.getByTestId('settings-view');
  await setup.waitFor(WAIT);
  assert.equal(await setup.getAttribute('data-first-run'), 'true');
  assert.equal(await setup.locator('.view-title').innerText(), 'Thiết lập ban đầu');
  assert.equal(await page.getByTestId('header-agency').innerText(), 'Chưa đặt tên cơ quan');
  assert.equal(await page.getByTestId('settings-agency').getAttribute('data-done'), 'false');
  assert.equal(await page.getByTestId('settings-tokens').getAttribute('data-done'), 'true', 'the token library in use is listed');
  await assertLaid(page, 'the first-run setup');
  await shot(page, `setup-${nameOf(screen)}`);

  // Nothing to send with yet: the exchange view says why in words and offers no "Gửi ngay".
  await page.getByTestId('open-exchange').click();
  const exchange = page.getByTestId('exchange-view');
  await exchange.waitFor(WAIT);
  assert.equal(await exchange.getByTestId('sync-now').isDisabled(), true, '"Gửi ngay" with no axis');
  assert.match(await exchange.getByTestId('connection-error').innerText(), /Chưa khai báo mã định danh của cơ quan/);
  await page.getByTestId('header-agency').click();
  await setup.waitFor(WAIT);

  // The agency, through the dialog that already edits it; its footer is whole at this width.
  await setup.getByTestId('settings-agency-edit').click();
  const agencyDialog = page.getByTestId('agency-dialog');
  await agencyDialog.waitFor(WAIT);
  await assertLaid(page, 'the agency dialog', '[data-testid="agency-dialog"]');
  await agencyDialog.getByTestId('agency-code').fill(COMMUNE.code);
  await agencyDialog.getByTestId('agency-name').fill(COMMUNE.name);
  await agencyDialog.getByTestId('agency-abbreviation').fill(COMMUNE.abbreviation);
  await agencyDialog.getByTestId('agency-save').click();
  await agencyDialog.waitFor({ state: 'detached', ...WAIT });
  await page.locator('[data-testid="settings-agency"][data-done="true"]').waitFor(WAIT);
  assert.equal(await page.getByTestId('header-agency').innerText(), COMMUNE.name, 'the header names the agency');

  // The axis.
  await setup.getByTestId('settings-axis-edit').click();
  const axisDialog = page.getByTestId('axis-dialog');
  await axisDialog.waitFor(WAIT);
  await axisDialog.getByTestId('axis-endpoint').fill(`http://127.0.0.1:${axisPort}/`);
  await axisDialog.getByTestId('axis-system-id').fill(COMMUNE.systemId);
  await axisDialog.getByTestId('axis-secret').fill(COMMUNE.secret);
  await axisDialog.getByTestId('axis-save').click();
  await axisDialog.waitFor({ state: 'detached', ...WAIT });
  await page.locator('[data-testid="settings-axis"][data-done="true"]').waitFor(WAIT);

  // The trust roots.
  await setup.getByTestId('settings-trust-edit').click();
  const trustDialog = page.getByTestId('trust-dialog');
  await trustDialog.waitFor(WAIT);
  await trustDialog.getByTestId('trust-file').setInputFiles(caFile);
  await trustDialog.locator('[data-testid="trust-result"][data-imported="true"]').waitFor(WAIT);
  await assertLaid(page, 'the trust dialog', '[data-testid="trust-dialog"]');
  await trustDialog.getByTestId('trust-close').click();
  await page.locator('[data-testid="settings-trust"][data-done="true"]').waitFor(WAIT);
  await shot(page, `setup-done-${nameOf(screen)}`);

  // Done: the overview; the header's name and the sidebar's link bring Cài đặt back, not as a setup.
  await setup.getByTestId('settings-done').click();
  await page.getByTestId('dashboard').waitFor(WAIT);
  await page.getByTestId('header-agency').click();
  await page.locator('[data-testid="settings-view"][data-first-run="false"]').waitFor(WAIT);
  assert.equal(await page.getByTestId('settings-view').locator('.view-title').innerText(), 'Cài đặt');
  assert.equal(await page.getByTestId('settings-agency-code').innerText(), COMMUNE.code);
  await page.getByTestId('settings-close').click();
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-view').waitFor(WAIT);
  await close(page);

  // A new start with the agency named opens on the overview.
  const again = await open(screen);
  await again.getByTestId('dashboard').waitFor(WAIT);
  assert.equal(await again.getByTestId('settings-view').count(), 0);
  await close(again);

  // What the rest of the walk needs: the directory fetched from the axis, documents issued and arrived.
  assert.equal((await api('exchange.syncNow', {})).connection, 'online');
  assert.equal((await api('exchange.agencies', {})).length, DIRECTORY.length);
  await issue('Về việc báo cáo kết quả chuyển đổi số quý I năm 2026 của Ủy ban nhân dân xã Thử Nghiệm', [DIRECTORY[0]!.code]);
  await api('exchange.syncNow', {});
  for (const file of ['hanoi-tb-453-ubnd-2026.pdf', 'hanoi-qd-2280-ubnd-2026.pdf', 'qd-729-ttg-2026.signed.pdf']) {
    await api('documents.import', { direction: 'in', fileName: file, bytes: new Uint8Array(fs.readFileSync(interopPdf(file))) });
  }
});

for (const screen of SCREENS) {
  test(`${nameOf(screen)}: the sidebar folds away, every view and dialog keeps its columns and buttons whole`, async () => {
    const page = await open(screen);
    const name = nameOf(screen);
    await page.getByTestId('dashboard').waitFor(WAIT);
    await page.locator('[data-testid="dashboard"] [data-testid="tile-value"]').first().waitFor(WAIT);
    await assertLaid(page, `${name} dashboard`);
    await shot(page, `dashboard-${name}`);

    // The registry list, in and out, with the sidebar and folded.
    for (const direction of ['in', 'out'] as const) {
      await page.getByTestId(`tab-${direction}`).click();
      await page.getByTestId('doc-row').first().waitFor(WAIT);
      await assertLaid(page, `${name} list ${direction}`);
      assert.equal(await page.locator('.doc-row-head [role="columnheader"]:not(.cell-check)').count(), 6, 'every column of the list is there');
    }
    await shot(page, `list-${name}`);
    const listWidth = async () => (await page.locator('.doc-grid').boundingBox())!.width;
    const widthBefore = await listWidth();
    await page.getByTestId('sidebar-toggle').click();
    assert.equal(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded'), 'false');
    await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'hidden');
    assert.ok((await listWidth()) > widthBefore + 150, 'the sidebar’s width goes to the list');
    await assertLaid(page, `${name} list, sidebar folded`);
    await shot(page, `list-folded-${name}`);
    await page.getByTestId('sidebar-toggle').click();
    await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'visible');

    // A document in the pane, and the token's dialogs.
    await page.getByTestId('doc-row').first().click();
    await page.getByTestId('doc-pane').waitFor(WAIT);
    await assertLaid(page, `${name} list with the pane`);
    const tokenItem = page.locator(`[data-testid="token-item"][data-label="${LABEL}"]`);
    await tokenItem.waitFor(WAIT);
    if (await tokenItem.getByTestId('token-login').count()) {
      await tokenItem.getByTestId('token-login').click();
      await page.locator('dialog[open]').waitFor(WAIT);
      await assertLaid(page, `${name} PIN dialog`, 'dialog[open]');
      await shot(page, `pin-dialog-${name}`);
      await page.keyboard.press('Escape');
      await page.locator('dialog[open]').waitFor({ state: 'detached', ...WAIT });
    }

    // Văn bản đến: the handling view.
    await page.getByTestId('tab-in').click();
    await page.getByTestId('open-incoming').click();
    const incoming = page.getByTestId('incoming-view');
    await incoming.waitFor(WAIT);
    await incoming.getByTestId('incoming-filter-all').click();
    await incoming.getByTestId('incoming-row').first().waitFor(WAIT);
    await assertLaid(page, `${name} incoming view`);
    const heads = await incoming.locator('thead th').allInnerTexts();
    assert.equal(heads.length, 8, 'the handling view keeps its eight columns');
    await shot(page, `incoming-${name}`);

    // Văn bản đi: composing, with the recipients' field.
    await page.getByTestId('tab-out').click();
    await page.getByTestId('new-draft').click();
    await page.getByTestId('new-draft-view').waitFor(WAIT);
    await assertLaid(page, `${name} compose view`);
    await page.getByTestId('open-agency').click();
    await page.getByTestId('agency-dialog').waitFor(WAIT);
    await assertLaid(page, `${name} agency dialog`, '[data-testid="agency-dialog"]');
    await shot(page, `agency-dialog-${name}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('agency-dialog').waitFor({ state: 'detached', ...WAIT });

    // Liên thông văn bản and its dialog.
    await page.getByTestId('open-exchange').click();
    const exchange = page.getByTestId('exchange-view');
    await exchange.waitFor(WAIT);
    await exchange.getByTestId('queue-include-sent').check();
    await exchange.getByTestId('queue-row').first().waitFor(WAIT);
    await assertLaid(page, `${name} exchange queue`);
    await shot(page, `exchange-${name}`);
    await exchange.getByTestId('exchange-tab-received').click();
    await assertLaid(page, `${name} exchange received`);
    await exchange.getByTestId('exchange-tab-queue').click();
    await exchange.getByTestId('open-axis-settings').click();
    await page.getByTestId('axis-dialog').waitFor(WAIT);
    await assertLaid(page, `${name} axis dialog`, '[data-testid="axis-dialog"]');
    await page.keyboard.press('Escape');
    await page.getByTestId('axis-dialog').waitFor({ state: 'detached', ...WAIT });

    // Cài đặt, and the trust dialog from it.
    await page.getByTestId('header-agency').click();
    await page.getByTestId('settings-view').waitFor(WAIT);
    await page.locator('[data-testid="settings-trust-count"]').filter({ hasText: /1/ }).waitFor(WAIT);
    await assertLaid(page, `${name} settings`);
    await shot(page, `settings-${name}`);
    await page.getByTestId('settings-trust-edit').click();
    await page.getByTestId('trust-row').first().waitFor(WAIT);
    await assertLaid(page, `${name} trust dialog`, '[data-testid="trust-dialog"]');
    await page.getByTestId('trust-close').click();
    await close(page);
  });

  test(`${nameOf(screen)}: recipients are picked from the axis’s directory by name, with or without accents; a code is still taken as typed`, async () => {
    const page = await open(screen);
    await page.getByTestId('tab-out').click();
    await page.getByTestId('new-draft').click();
    const form = page.getByTestId('new-draft-view');
    await form.waitFor(WAIT);
    const input = form.getByTestId('recipient-code-input');
    await input.fill('so tai nguyen');
    const suggestion = form.locator('[data-testid="agency-suggestion"][data-code="000.00.32.H99"]');
    await suggestion.waitFor(WAIT);
    assert.match(await suggestion.innerText(), /Sở Tài nguyên và Môi trường/);
    assert.equal(await form.getByTestId('agency-suggestion').count(), 1, 'only the agency whose name matches');
    await assertLaid(page, `${nameOf(screen)} recipient suggestions`);
    await shot(page, `recipients-${nameOf(screen)}`);
    await input.press('Enter');
    // Accented and in another case; the arrows choose.
    await input.fill('SỞ');
    await form.getByTestId('agency-suggestion').first().waitFor(WAIT);
    assert.deepEqual(await form.getByTestId('agency-suggestion').evaluateAll((items) => items.map((i) => i.getAttribute('data-code'))), ['000.00.33.H99'], 'the agency already picked is not offered again');
    await input.fill('thu nghiem');
    await form.getByTestId('agency-suggestion').nth(1).waitFor(WAIT);
    assert.deepEqual(await form.getByTestId('agency-suggestion').evaluateAll((items) => items.map((i) => i.getAttribute('data-code'))), ['000.00.02.H99', '000.00.00.H99'], 'a word inside the name finds it');
    await input.fill('SỞ');
    await input.press('ArrowDown');
    await input.press('Enter');
    // A word of the middle of a name: "huyen" finds "UBND huyện Thử Nghiệm".
    await input.fill('huyen thu');
    await form.locator('[data-testid="agency-suggestion"][data-code="000.00.02.H99"]').click();
    // A code typed as it is, known to the directory or not.
    await input.fill('000.00.99.H99');
    await input.press('Enter');
    const chips = await form.getByTestId('recipient-code').evaluateAll((items) => items.map((i) => i.getAttribute('data-code')));
    assert.deepEqual(chips, ['000.00.32.H99', '000.00.33.H99', '000.00.02.H99', '000.00.99.H99']);
    assert.match(await form.locator('[data-testid="recipient-code"][data-code="000.00.02.H99"]').innerText(), /UBND huyện Thử Nghiệm/, 'a picked agency shows by name');
    await close(page);
  });

  test(`${nameOf(screen)}: several incoming documents accepted at once; those that lack a field are listed with what they lack`, async () => {
    const complete = [await arrive(`Về việc tiếp nhận đợt ${nameOf(screen)} số một`, true), await arrive(`Về việc tiếp nhận đợt ${nameOf(screen)} số hai`, true)];
    const lacking = await arrive(`Văn bản thiếu số ${nameOf(screen)}`, false);
    const page = await open(screen);
    await page.getByTestId('tab-in').click();
    await page.getByTestId('open-incoming').click();
    const view = page.getByTestId('incoming-view');
    await view.getByTestId('incoming-filter-to_accept').click();
    for (const id of [...complete, lacking]) {
      await view.locator(`[data-testid="incoming-row"][data-doc-id="${id}"] [data-testid="incoming-check"]`).check();
    }
    const bar = view.getByTestId('incoming-batch-bar');
    await bar.waitFor(WAIT);
    await assertLaid(page, `${nameOf(screen)} batch bar`);
    await bar.getByTestId('incoming-batch-accept').click();
    const outcome = view.getByTestId('incoming-batch-outcome');
    await outcome.waitFor(WAIT);
    await shot(page, `batch-accept-${nameOf(screen)}`);
    for (const id of complete) assert.equal((await api('incoming.get', { id })).state, 'registered', `document ${id} accepted`);
    assert.equal((await api('incoming.get', { id: lacking })).state, 'received', 'the incomplete one waits');
    const numbers = await Promise.all(complete.map(async (id) => (await api('incoming.get', { id })).incomingNumber));
    const accepted = await outcome.getByTestId('incoming-batch-accepted').innerText();
    for (const n of numbers) assert.ok(accepted.includes(String(n).padStart(2, '0')), `${accepted} names số đến ${n}`);
    const failure = outcome.locator(`[data-testid="incoming-batch-failure"][data-doc-id="${lacking}"]`);
    const said = await failure.innerText();
    assert.match(said, screen.locale === 'vi' ? /Cần nhập: Số\/ký hiệu, Ngày/ : /Still needed: Number\/notation, Date/i, said);
    // It stays ticked, to be opened and completed.
    assert.equal(await view.locator(`[data-testid="incoming-row"][data-doc-id="${lacking}"] [data-testid="incoming-check"]`).isChecked(), true);
    await failure.getByRole('button').click();
    await page.locator(`[data-testid="incoming-panel"][data-doc-id="${lacking}"]`).waitFor(WAIT);
    await close(page);
  });

  test(`${nameOf(screen)}: Ctrl+K and "/" reach the search box from any view, and the skip link in two Tab stops`, async () => {
    const page = await open(screen);
    await page.getByTestId('dashboard').waitFor(WAIT);
    const searchFocused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'search-input');
    await page.keyboard.press('Control+k');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'search-input');
    await page.keyboard.type('bao cao');
    assert.equal(await page.getByTestId('search-input').inputValue(), 'bao cao');
    // From the exchange view, "/" (typed outside a field) does the same.
    await page.getByTestId('open-exchange').click();
    await page.getByTestId('exchange-view').waitFor(WAIT);
    await page.getByTestId('exchange-view').locator('.view-title').focus();
    await page.keyboard.press('/');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'search-input');
    assert.equal(await page.getByTestId('search-input').inputValue(), 'bao cao', 'the search as it was left, selected to type over');
    // In a field, "/" is a character.
    await page.keyboard.press('End');
    await page.keyboard.type('/2026');
    assert.equal(await page.getByTestId('search-input').inputValue(), 'bao cao/2026');
    // From the top of the page: the second Tab stop is "Chuyển đến ô tìm kiếm", and Enter is there.
    await page.reload();
    await page.getByTestId('dashboard').waitFor(WAIT);
    const stops = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')]
        .filter((e) => e.tabIndex >= 0 && !(e as HTMLButtonElement).disabled && (e.offsetParent !== null || e.classList.contains('skip-link')))
        .map((e) => e.getAttribute('data-testid') ?? e.className),
    );
    assert.equal(stops.indexOf('skip-to-search'), 1, `the tab order: ${stops.slice(0, 4).join(', ')}`);
    await page.locator('.skip-link').first().focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'skip-to-search');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'search-input');
    assert.equal(await searchFocused(), true);
    await close(page);
  });

  test(`${nameOf(screen)}: with the axis failing the exchange view says what happened in the clerk’s words — no English, no status codes — and offers nothing to send without an axis`, async () => {
    // The axis goes away: the next pass fails, the document issued meanwhile waits with the reason.
    await axis?.close();
    axis = undefined;
    const id = await issue(`Về việc gửi khi trục ngừng ${nameOf(screen)}`, [DIRECTORY[1]!.code]);
    await api('exchange.syncNow', {});
    const page = await open(screen);
    await page.getByTestId('open-exchange').click();
    const view = page.getByTestId('exchange-view');
    await view.locator('[data-testid="connection-banner"][data-connection="offline"]').waitFor(WAIT);
    const notation = (await api('outgoing.get', { id })).document.notation!;
    const row = view.locator('[data-testid="queue-row"][data-state="queued"]').filter({ has: page.getByRole('button', { name: notation, exact: true }) });
    await row.waitFor(WAIT);
    assert.match(await row.getByTestId('queue-last-error').innerText(), new RegExp(`127\\.0\\.0\\.1:${axisPort}`), 'where it tried, as a parameter of the sentence');
    assert.equal(await row.getByTestId('queue-retry').isEnabled(), true);
    const text = await view.innerText();
    if (screen.locale === 'vi') {
      assert.doesNotMatch(text, /\b(the|axis|could not|cannot|connection|error|failed|refused|is not)\b/i, `English in the Vietnamese view: ${text}`);
      assert.match(await view.getByTestId('connection-error').innerText(), /Không kết nối được trục liên thông/);
    } else {
      assert.match(await view.getByTestId('connection-error').innerText(), /cannot be reached/);
    }
    assert.doesNotMatch(text, /(Trạng thái|Status) \d{2}\b|\b0[1-6]\b —/, 'no status code shown to the clerk');
    await assertLaid(page, `${nameOf(screen)} exchange with a failing axis`);
    await shot(page, `exchange-failing-${nameOf(screen)}`);

    // No axis at all: "Gửi ngay" and "Thử lại" are not offered, the banner says why.
    await api('exchange.setAxis', { endpoint: '', systemId: '' });
    await view.locator('[data-testid="connection-banner"][data-connection="not-configured"]').waitFor(WAIT);
    assert.equal(await view.getByTestId('sync-now').isDisabled(), true);
    assert.equal(await row.getByTestId('queue-retry').isDisabled(), true);
    await shot(page, `exchange-no-axis-${nameOf(screen)}`);
    await close(page);

    // Back as it was for the next screen: the axis up, configured, the queue sent.
    await api('exchange.setAxis', { endpoint: `http://127.0.0.1:${axisPort}/`, systemId: COMMUNE.systemId });
    await startAxis();
    await api('exchange.syncNow', {});
  });
}
