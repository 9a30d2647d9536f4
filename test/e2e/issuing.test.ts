/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end: issuing an outgoing document as Decree 30/2020 orders it, in Debian's Chromium
// against the loopback web host, with a real PKCS#11 token (SoftHSM2) holding the leader's key
// and the agency's. The clerk sets up the agency, drafts a decision from a PDF whose "Số:" and
// date lines are found by themselves, cannot number it before the leader signs, has the leader
// sign, numbers it, issues it with the agency's certificate (PIN asked on the way), finds it in
// the register book, exports the book as CSV, and finally recalls it with a reason. Numbering,
// issuing and recalling each say first what they will do; the seal's choice offers only the
// agency's certificate; every signing asks for the PIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { openCore } from '../../main/core/app/core.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { createTestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig } from '../support/pdfsig.js';
import { sealImage, signatureImage } from '../support/png.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const LABEL = 'Token UBND xã Thử Nghiệm';
// The token's certificates: the leader's (RSA) and the agency's (ECDSA), see test/support/softhsm.ts.
const SIGNER = 'Nguyễn Văn An';
const AGENCY = 'UBND xã Thử Nghiệm';
const NOTATION = '01/QĐ-UBND';

/** The issuing panel of the document shown, once it has reached `state`. */
async function panelInState(page: Page, state: string) {
  await page.locator(`[data-testid="issuing-panel"][data-state="${state}"]`).waitFor({ timeout: 60_000 });
}

async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

test('a clerk drafts, the leader signs, the clerk numbers only then, issues with the agency token, and exports the register', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  // The token first: SoftHSM reads its configuration when the core first loads it.
  const token = await createTestToken({ label: LABEL });
  const dataDir = tempDir('eoffice-e2e-issuing-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu', settings, tokens: { pollIntervalMs: 300 } });
  const signerPrint = new X509Certificate(token.signerCertDer).fingerprint256;
  const agencyPrint = new X509Certificate(token.agencyCertDer).fingerprint256;
  await core.handlers['tokens.setImage']({ fingerprint256: signerPrint, kind: 'signature', png: new Uint8Array(signatureImage()) });
  await core.handlers['tokens.setImage']({ fingerprint256: agencyPrint, kind: 'seal', png: new Uint8Array(sealImage()) });
  const { host, launchBrowser } = await serveApp(t, core, () => token.cleanup());

  // A decision laid out as Decree 30 prints one, with blanks where the number and date will go.
  const pdfFile = path.join(tempDir(), 'quyet-dinh-quy-che.pdf');
  fs.writeFileSync(
    pdfFile,
    await makeVietnamesePdf([
      'ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM',
      'Số:          /QĐ-UBND',
      'Thử Nghiệm, ngày        tháng        năm 2026',
      'QUYẾT ĐỊNH',
      'Về việc ban hành Quy chế làm việc của Ủy ban nhân dân xã',
      'Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.',
      'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    ]),
  );

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(host.url);
  const tokenItem = page.locator(`[data-testid="token-item"][data-label="${LABEL}"]`);
  await tokenItem.waitFor({ timeout: 30_000 });

  // Soạn văn bản đi. The agency has no abbreviation yet, so there is no notation to preview.
  await page.getByTestId('tab-out').click();
  await page.getByTestId('new-draft').click();
  const form = page.getByTestId('new-draft-view');
  await form.getByTestId('open-agency-dialog').click();
  const agencyDialog = page.getByTestId('agency-dialog');
  await agencyDialog.getByTestId('agency-code').fill('000.00.21.H99');
  await agencyDialog.getByTestId('agency-name').fill(AGENCY);
  await agencyDialog.getByTestId('agency-abbreviation').fill('UBND');
  await agencyDialog.getByTestId('agency-save').click();
  await agencyDialog.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.agency-name').innerText(), AGENCY);
  // A công văn has no type abbreviation; a decision has QĐ.
  assert.equal(await form.getByTestId('notation-preview').innerText(), '…/UBND');
  await form.getByTestId('draft-type').selectOption('QD');
  assert.equal(await form.getByTestId('notation-preview').innerText(), '…/QĐ-UBND');

  // Nothing filled in: the missing facts are named beside their fields.
  await form.getByTestId('draft-submit').click();
  await form.getByTestId('draft-errors').waitFor();
  assert.equal(await form.getByTestId('draft-subject').getAttribute('aria-invalid'), 'true');
  assert.equal(await form.getByTestId('draft-signerName').getAttribute('aria-invalid'), 'true');
  await form.getByText('Chọn tệp dự thảo (PDF, Word hoặc Writer).').waitFor();
  await screenshot(page, 'e2e-issuing-draft-errors.png');

  await form.getByTestId('draft-file-input').setInputFiles(pdfFile);
  assert.equal(await form.getByTestId('draft-file-name').innerText(), 'quyet-dinh-quy-che.pdf');
  await form.getByTestId('draft-subject').fill('Về việc ban hành Quy chế làm việc của Ủy ban nhân dân xã');
  await form.getByTestId('draft-priority').selectOption('urgent');
  await form.getByLabel('Hạn xử lý').fill('31/12/2026');
  await form.getByTestId('draft-competence').selectOption('TM.');
  await form.getByTestId('draft-signerPosition').fill('Chủ tịch');
  await form.getByTestId('draft-signerName').fill(SIGNER);
  await form.getByTestId('draft-recipients').fill('- Như Điều 3;\n- UBND huyện Thử Nghiệm (để b/c);\n- Lưu: VT, VP.');
  // Recipient codes are checked as they are added; a wrong one is refused with a reason.
  await form.getByTestId('recipient-code-input').fill('H41/sai');
  await form.getByTestId('recipient-code-input').press('Enter');
  await form.getByText('“H41/sai” không phải mã định danh hợp lệ', { exact: false }).waitFor();
  await form.getByTestId('recipient-code-input').fill('000.00.00.H41');
  await form.getByTestId('recipient-code-input').press('Enter');
  await form.getByTestId('recipient-code-input').fill('H37.DN.001');
  await form.getByTestId('recipient-code-input').press('Enter');
  assert.deepEqual(await form.getByTestId('recipient-code').locator('span').allInnerTexts(), ['000.00.00.H41', 'H37.DN.001']);
  await form.getByTestId('draft-copies').fill('5');
  await form.getByTestId('draft-archiveHolder').fill('VT, VP');
  assert.equal(await form.getByTestId('draft-errors').count(), 0, 'every field is valid now');
  await form.locator('.compose-grid').evaluate((grid) => grid.scrollTo(0, 0));
  await screenshot(page, 'e2e-issuing-draft-form.png');
  await form.getByTestId('draft-submit').click();

  // The draft opens in the pane; its "Số:" and date lines were found in the text.
  await panelInState(page, 'draft');
  const pane = page.getByTestId('doc-pane');
  const documentId = Number(await pane.getAttribute('data-doc-id'));
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  assert.equal(await pane.getByTestId('place-number').getAttribute('data-origin'), 'found');
  assert.equal(await pane.getByTestId('place-date').getAttribute('data-origin'), 'found');
  assert.equal(await page.getByTestId('placement-box').count(), 1, 'the number place is outlined on the preview');
  await pane.getByTestId('issuing-panel').evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'e2e-issuing-draft-pane.png');

  // Marking by hand: a click on the preview moves the number's place (unsaved); "Tìm tự động"
  // puts back the line found in the text, which is what is saved already.
  const canvas = page.locator('[data-testid="pdf-preview"] canvas');
  const box = (await canvas.boundingBox())!;
  await pane.getByTestId('mark-number').click();
  await page.getByTestId('placement-layer').click({ position: { x: box.width * 0.3, y: box.height * 0.1 } });
  assert.equal(await pane.getByTestId('place-number').getAttribute('data-origin'), 'marked');
  await pane.getByTestId('save-places').waitFor();
  await pane.getByTestId('find-places').click();
  await pane.locator('[data-testid="place-number"][data-origin="found"]').waitFor();
  await pane.getByTestId('save-places').waitFor({ state: 'detached' });

  // Cấp số is refused before the leader signs, and says why — in its tooltip and under it.
  const numberButton = pane.getByTestId('number-button');
  assert.equal(await numberButton.isDisabled(), true);
  const refusal = 'Không cấp số trước khi ký: văn bản chưa có chữ ký số hợp lệ của người có thẩm quyền.';
  assert.equal(await numberButton.getAttribute('title'), refusal);
  assert.equal(await pane.getByTestId('number-reason').innerText(), refusal);
  assert.equal(await pane.getByTestId('issue-button').isDisabled(), true, 'nor can it be issued');
  const currentStep = pane.locator('[data-testid="issuing-step"][aria-current="step"]');
  assert.equal(await currentStep.getAttribute('data-step'), 'signed');
  await pane.getByTestId('issue-section').evaluate((section) => section.scrollIntoView({ block: 'end' }));
  await screenshot(page, 'e2e-issuing-unsigned.png');

  // The leader signs through the signing form, at the spot clicked on the preview.
  await pane.getByTestId('sign-certificate').selectOption(signerPrint);
  await pane.getByTestId('place-signature').click();
  await page.getByTestId('placement-layer').click({ position: { x: box.width * 0.68, y: box.height * 0.42 } });
  await pane.getByTestId('sign-button').click();
  await page.getByTestId('pin-input').fill(token.userPin);
  await page.getByTestId('pin-submit').click();
  const signResult = page.locator(`[data-testid="sign-result"][data-doc-id="${documentId}"]`);
  await signResult.waitFor({ timeout: 60_000 });
  assert.equal(await signResult.getAttribute('data-status'), 'signed', await signResult.innerText());

  // Signed by the declared signer: Cấp số opens. The signing was one act: the token is logged out.
  await panelInState(page, 'signed');
  await tokenItem.getByTestId('token-login').waitFor();
  await page.waitForSelector('[data-testid="number-button"]:not([disabled])', { timeout: 30_000 });
  const signedStep = pane.locator('[data-testid="issuing-step"][data-step="signed"]');
  assert.equal(await signedStep.getAttribute('data-done'), 'true');
  assert.match(await signedStep.getByTestId('step-certificate').innerText(), new RegExp(SIGNER));
  // Cấp số cannot be undone: it says which number and date it gives, and waits for a yes.
  await numberButton.click();
  const confirmDialog = page.getByTestId('confirm-dialog');
  await confirmDialog.waitFor();
  assert.equal(await confirmDialog.locator('.modal-title').innerText(), `Cấp số ${NOTATION}?`);
  const today = await page.evaluate(() => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
  assert.match(await confirmDialog.locator('.modal-lead').innerText(), new RegExp(`cấp số ${NOTATION}, ngày ${today}, trong sổ văn bản đi năm \\d{4}.*Không thể hoàn tác\\.`));
  await screenshot(page, 'e2e-issuing-confirm-number.png');
  await confirmDialog.getByRole('button', { name: 'Hủy' }).click();
  await confirmDialog.waitFor({ state: 'detached' });
  assert.equal(await pane.getByTestId('issuing-panel').getAttribute('data-state'), 'signed', 'declined: nothing numbered');
  await numberButton.click();
  await confirmDialog.getByTestId('confirm-submit').click();
  await panelInState(page, 'numbered');
  const numberedStep = pane.locator('[data-testid="issuing-step"][data-step="numbered"]');
  assert.equal(await numberedStep.getAttribute('data-done'), 'true');
  assert.equal(await numberedStep.getByTestId('step-detail').innerText(), NOTATION);
  assert.equal(await pane.getByTestId('issuing-notation').innerText(), NOTATION);

  // Phát hành with the agency's certificate: the leader's, a person's, is not offered, and the note says why.
  const sealChoice = pane.getByTestId('issue-certificate');
  assert.deepEqual(await sealChoice.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), [agencyPrint]);
  await pane.getByTestId('agency-certificate-note').filter({ hasText: 'chứng thư số của cá nhân không dùng để ký thay dấu cơ quan' }).waitFor();
  await sealChoice.selectOption(agencyPrint);
  // Issuing says what it does and cannot be undone; then, the token logged out since the leader signed, the PIN.
  await pane.getByTestId('issue-button').click();
  await confirmDialog.waitFor();
  const issueLead = await confirmDialog.locator('.modal-lead').innerText();
  assert.match(issueLead, new RegExp(`Văn bản ${NOTATION} sẽ được ký số cơ quan \\(thay con dấu\\) bằng chứng thư “${AGENCY}”`));
  assert.match(issueLead, /2 nơi nhận qua trục liên thông \(000\.00\.00\.H41, H37\.DN\.001\)\. Không thể hoàn tác\./);
  await screenshot(page, 'e2e-issuing-confirm-issue.png');
  await confirmDialog.getByTestId('confirm-submit').click();
  await page.getByTestId('pin-input').fill(token.userPin);
  await page.getByTestId('pin-submit').click();
  await panelInState(page, 'queued');
  const sealedStep = pane.locator('[data-testid="issuing-step"][data-step="sealed"]');
  assert.equal(await sealedStep.getAttribute('data-done'), 'true');
  assert.match(await sealedStep.getByTestId('step-certificate').innerText(), new RegExp(AGENCY));
  const queuedStep = pane.locator('[data-testid="issuing-step"][data-step="queued"]');
  assert.equal(await queuedStep.getAttribute('data-done'), 'true');
  assert.equal(await currentStep.getAttribute('data-step'), 'sent', 'what is left is sending');
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  await pane.getByTestId('issuing-panel').evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'e2e-issuing-queued.png');

  // The issued file carries both signatures, valid: the leader's, then the agency's.
  const issuedFile = path.join(tempDir(), 'issued.pdf');
  fs.writeFileSync(issuedFile, (await core.handlers['documents.content']({ id: documentId })).bytes);
  assert.deepEqual(
    pdfsig(issuedFile, nssTrusting([token.caCertPem])).map((s) => [s.commonName, s.validation]),
    [
      [SIGNER, 'Signature is Valid.'],
      [AGENCY, 'Signature is Valid.'],
    ],
  );

  // Sổ đăng ký văn bản đi: the row, with its notation, on screen and in the CSV export.
  await page.getByTestId('open-book').click();
  const book = page.getByTestId('outgoing-book');
  const row = book.locator(`[data-testid="book-row"][data-doc-id="${documentId}"]`);
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells.length, 10, 'the ten columns of the paper book');
  assert.equal(cells[0], NOTATION);
  assert.match(cells[2]!, /Quyết định Về việc ban hành Quy chế làm việc/);
  assert.match(cells[3]!, new RegExp(SIGNER));
  await screenshot(page, 'e2e-issuing-book.png');
  const [download] = await Promise.all([page.waitForEvent('download'), book.getByTestId('book-export-csv').click()]);
  assert.match(download.suggestedFilename(), /^so-van-ban-di-\d{4}\.csv$/);
  const csv = fs.readFileSync((await download.path())!).toString('utf8');
  assert.ok(csv.includes(NOTATION), csv);
  assert.ok(csv.includes(SIGNER), csv);
  await book.getByTestId('book-export-notice').filter({ hasText: download.suggestedFilename() }).waitFor();

  // Thu hồi from the register: the reason is required, then shown in the stepper.
  await row.getByRole('button', { name: NOTATION }).click();
  await panelInState(page, 'queued');
  await pane.getByTestId('after-issue-recall').click();
  const recall = page.getByTestId('after-issue-dialog');
  assert.match(await recall.locator('.modal-lead').innerText(), new RegExp(`Văn bản ${NOTATION} sẽ bị thu hồi.*000\\.00\\.00\\.H41, H37\\.DN\\.001\\. Không thể hoàn tác\\.`));
  await recall.getByTestId('after-issue-submit').click();
  await recall.getByText('Nhập lý do.').waitFor();
  await recall.getByTestId('after-issue-reason').fill('Sai sót ở Điều 2; sẽ ban hành văn bản thay thế.');
  await recall.getByTestId('after-issue-submit').click();
  await panelInState(page, 'recalled');
  assert.equal(await currentStep.getAttribute('data-step'), 'recalled');
  assert.match(await pane.getByTestId('state-reason').innerText(), /Sai sót ở Điều 2/);
  assert.equal(await pane.getByTestId('after-issue-section').count(), 0, 'nothing more to do with a recalled document');

  // The same pane in English.
  await page.getByRole('button', { name: 'English' }).click();
  await pane.locator('[data-testid="issuing-step"][data-step="recalled"]').filter({ hasText: 'Recalled' }).waitFor();
  await pane.getByTestId('issuing-panel').evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'e2e-issuing-recalled-en.png');

  assert.deepEqual(consoleErrors, []);
});
