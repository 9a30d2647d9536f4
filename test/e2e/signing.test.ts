/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end: a clerk signs an outgoing draft with a real PKCS#11 token (SoftHSM2) in Debian's
// Chromium against the loopback web host: the token shows in the panel, a wrong PIN is refused
// in the dialog, the right one logs in, the signature is placed by a click on the preview, and
// the stored file verifies with pdfsig. The token is logged out after each signing; signing as
// the agency offers only the agency's certificate and says why the personal one is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { openCore } from '../../main/core/app/core.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { CKF_USER_PIN_FINAL_TRY, type Pkcs11Api } from '../../main/core/token/pkcs11.js';
import { createTestToken, faultyPkcs11 } from '../support/softhsm.js';
import { nssTrusting, pdfsig } from '../support/pdfsig.js';
import { signatureImage } from '../support/png.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const LABEL = 'Token Lãnh đạo UBND';
const WRONG_PIN = '24681357';
// A4 portrait, as makeVietnamesePdf makes it.
const PAGE = { width: 595, height: 842 };

test('a clerk logs in to the token, places the signature on the preview and signs a draft', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  // The token first: SoftHSM reads its configuration when the core first loads it.
  const token = await createTestToken({ label: LABEL });
  const dataDir = tempDir('eoffice-e2e-signing-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  let faulty: ReturnType<typeof faultyPkcs11> | undefined;
  const core = openCore({
    dataDir,
    shell: 'web',
    actor: 'e2e',
    settings,
    tokens: {
      pollIntervalMs: 300,
      // To show the last-try warning, which SoftHSM never reaches by itself.
      wrapModule: (api: Pkcs11Api, modulePath: string) => (modulePath === token.modulePath ? (faulty = faultyPkcs11(api)).api : api),
    },
  });
  const signerPrint = new X509Certificate(token.signerCertDer).fingerprint256;
  await core.handlers['tokens.setImage']({ fingerprint256: signerPrint, kind: 'signature', png: new Uint8Array(signatureImage()) });
  const { host, launchBrowser } = await serveApp(t, core, () => token.cleanup());

  const pdfFile = path.join(tempDir(), 'to-trinh-mua-sam.pdf');
  fs.writeFileSync(pdfFile, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'TỜ TRÌNH', 'V/v mua sắm thiết bị văn phòng năm 2026']));

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  const apiBodies: string[] = [];
  page.on('request', (r) => r.url().includes('/api/') && apiBodies.push(r.postData() ?? ''));
  await page.goto(host.url);

  // The token and its certificates show in the panel.
  const tokenItem = page.locator(`[data-testid="token-item"][data-label="${LABEL}"]`);
  await tokenItem.waitFor({ timeout: 30_000 });
  assert.equal(await tokenItem.locator('[data-testid="cert-item"]').count(), 2);
  assert.equal(await tokenItem.locator(`[data-testid="cert-item"][data-id="${token.ids.signer}"]`).getAttribute('data-warning'), 'ok');

  await page.getByTestId('tab-out').click();
  await page.getByTestId('import-input').setInputFiles([pdfFile]);
  await page.locator('[data-testid="import-result"][data-status="imported"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('doc-row').first().click();
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  const documentId = Number(await page.getByTestId('doc-pane').getAttribute('data-doc-id'));

  // As the competent person, with the leader's certificate, at the spot clicked on the page.
  await page.getByTestId('sign-role-signer').check();
  await page.getByTestId('sign-certificate').selectOption(signerPrint);
  assert.equal(await page.getByTestId('sign-button').isDisabled(), true, 'no position chosen yet');
  await page.getByTestId('place-signature').click();
  const canvas = page.locator('[data-testid="pdf-preview"] canvas');
  const box = (await canvas.boundingBox())!;
  const click = { x: box.width * 0.7, y: box.height * 0.78 };
  await page.getByTestId('placement-layer').click({ position: click });
  await page.getByTestId('placement-box').waitFor();
  await page.getByTestId('sign-button').click();

  // Not logged in yet: the PIN dialog. A wrong PIN is refused and the warning appears.
  await page.getByTestId('pin-input').fill(WRONG_PIN);
  await page.getByTestId('pin-submit').click();
  await page.locator('.pin-dialog [role="alert"]').filter({ hasText: 'Mã PIN không đúng' }).waitFor();
  await page.locator('.pin-dialog').filter({ hasText: 'Token đã từng nhập sai PIN' }).waitFor();
  assert.equal(await page.getByTestId('pin-input').inputValue(), '', 'the field is emptied at once');
  await page.getByTestId('pin-input').fill(token.userPin);
  await page.getByTestId('pin-submit').click();

  const result = page.locator(`[data-testid="sign-result"][data-doc-id="${documentId}"]`);
  await result.waitFor({ timeout: 60_000 });
  assert.equal(await result.getAttribute('data-status'), 'signed', await result.innerText());
  // Said in words ("no timestamp": no authority is set); the PAdES level only in the tooltip.
  const level = result.getByTestId('sign-level');
  assert.equal(await level.innerText(), 'Không có dấu thời gian');
  assert.equal(await level.getAttribute('title'), 'Mức chữ ký PAdES B-B');
  assert.doesNotMatch(await result.innerText(), /PAdES|B-B/);
  // One signing, one PIN: the token is logged out once it is done.
  await tokenItem.getByTestId('token-login').waitFor();

  // The rectangle sent is where the clerk clicked: the default box centred on that point, in PDF
  // points from the page's bottom-left corner.
  const signCall = JSON.parse(apiBodies.find((b) => b.includes('"certificateId"'))!) as { appearance: { page: number; rect: [number, number, number, number] } };
  const scale = box.width / PAGE.width;
  const [x, y, w, h] = signCall.appearance.rect;
  assert.equal(signCall.appearance.page, 1);
  assert.ok(Math.abs(x + w / 2 - click.x / scale) < 2, `x centre ${x + w / 2} vs ${click.x / scale}`);
  assert.ok(Math.abs(y + h / 2 - (PAGE.height - click.y / scale)) < 2, `y centre ${y + h / 2} vs ${PAGE.height - click.y / scale}`);
  assert.equal(apiBodies.filter((b) => b.includes(token.userPin)).length, 1, 'the PIN crossed the wire once, for the login');

  // The preview shows the signed file; the history says who signed.
  await page.locator('.audit-item').filter({ hasText: 'Người có thẩm quyền ký: Nguyễn Văn An' }).waitFor();
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  assert.equal(await page.locator('.doc-pane .state-badge').first().innerText(), 'Đã ký số');

  const content = await core.handlers['documents.content']({ id: documentId });
  const signedFile = path.join(tempDir(), 'signed.pdf');
  fs.writeFileSync(signedFile, content.bytes);
  const report = pdfsig(signedFile, nssTrusting([token.caCertPem]));
  assert.deepEqual(report.map((s) => [s.commonName, s.validation, s.certificate]), [['Nguyễn Văn An', 'Signature is Valid.', 'Certificate is Trusted.']]);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // The results and the signed page under them, in one view.
  await page.locator('.sign-outcome').evaluate((outcome) => outcome.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-signing.png') });

  // The signer's image, as the certificate's image dialog shows it.
  await tokenItem.locator(`[data-testid="cert-item"][data-id="${token.ids.signer}"] .cert-images-button`).click();
  await page.locator('.images-dialog img').first().waitFor();
  await page.locator('.images-dialog').getByRole('button', { name: 'Đóng' }).click();

  // In again from the token panel with one PIN try left: the dialog will not try before the
  // clerk ticks that they understand.
  const realTokenInfo = faulty!.api.C_GetTokenInfo.bind(faulty!.api);
  faulty!.faults.C_GetTokenInfo = (slot) => {
    const info = realTokenInfo(slot);
    return { ...info, flags: info.flags | CKF_USER_PIN_FINAL_TRY };
  };
  await tokenItem.getByTestId('token-login').click();
  await page.locator('.pin-dialog').filter({ hasText: 'Chỉ còn MỘT lần thử' }).waitFor();
  await page.getByTestId('pin-input').fill(token.userPin);
  assert.equal(await page.getByTestId('pin-submit').isDisabled(), true, 'no try before the confirmation');
  await page.getByTestId('pin-final-try-confirm').check();
  await page.getByTestId('pin-submit').click();
  await tokenItem.locator('.token-state.is-in').waitFor();
  faulty!.clear();

  // A batch: two more drafts ticked with Ctrl then Shift, signed as the agency, whose name is
  // asked for on the way since none is set.
  const batchFiles = ['Báo cáo tháng 10', 'Báo cáo tháng 11'].map((subject, i) => {
    const file = path.join(tempDir(), `bao-cao-${i}.pdf`);
    return { subject, file };
  });
  for (const { subject, file } of batchFiles) fs.writeFileSync(file, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', `V/v ${subject}`]));
  await page.getByTestId('import-input').setInputFiles(batchFiles.map((f) => f.file));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="doc-row"]').length === 3, undefined, { timeout: 60_000 });
  const drafts = page.locator('[data-testid="doc-row"]').filter({ hasText: 'Dự thảo' });
  await drafts.nth(0).click({ modifiers: ['Control'] });
  await drafts.nth(1).click({ modifiers: ['Shift'] });
  await page.getByTestId('selection-bar').filter({ hasText: 'Đã chọn 2 văn bản' }).waitFor();
  const batchIds = (await drafts.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-doc-id'))))).sort();
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  await page.getByTestId('sign-role-agency').check();
  // Only the agency's own certificate signs as the agency: with no agency name yet, none is offered, and the note says why.
  await page.getByTestId('sign-panel').getByTestId('agency-certificate-note').filter({ hasText: 'Chưa đặt tên cơ quan' }).waitFor();
  assert.equal(await page.getByTestId('sign-certificate').count(), 0);
  await page.getByLabel('Tên cơ quan', { exact: true }).fill('UBND xã Thử Nghiệm');
  const agencyPrint = new X509Certificate(token.agencyCertDer).fingerprint256;
  assert.deepEqual(await page.getByTestId('sign-certificate').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), [agencyPrint], 'the leader’s certificate is not offered');
  await page.getByTestId('sign-panel').getByTestId('agency-certificate-note').filter({ hasText: 'Không hiện 1 chứng thư: chứng thư số của cá nhân không dùng để ký thay dấu cơ quan' }).waitFor();
  await page.getByTestId('sign-certificate').selectOption(agencyPrint);
  await page.getByTestId('place-signature').click();
  await page.getByTestId('placement-layer').click({ position: { x: box.width * 0.55, y: box.height * 0.8 } });
  assert.equal(await page.getByTestId('sign-button').innerText(), 'Ký 2 văn bản đã chọn');
  await page.getByTestId('sign-button').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="sign-result"][data-status="signed"]').length === 2, undefined, { timeout: 60_000 });
  // The batch was one signing act on the PIN typed in the panel: logged out after it.
  await tokenItem.getByTestId('token-login').waitFor();
  // The list follows: every document now signed.
  await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="doc-row"]')).every((row) => row.textContent?.includes('Đã ký số')), undefined, { timeout: 30_000 });
  await page.locator('.pane-badges .state-badge').filter({ hasText: 'Đã ký số' }).waitFor();
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  assert.equal(await page.locator('.agency-name').innerText(), 'UBND xã Thử Nghiệm');
  const nss = nssTrusting([token.caCertPem]);
  for (const id of batchIds) {
    const file = path.join(tempDir(), `batch-${id}.pdf`);
    fs.writeFileSync(file, (await core.handlers['documents.content']({ id })).bytes);
    assert.deepEqual(pdfsig(file, nss).map((s) => [s.commonName, s.validation]), [['UBND xã Thử Nghiệm', 'Signature is Valid.']]);
  }
  assert.deepEqual(consoleErrors, []);
});
