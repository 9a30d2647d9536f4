/// <reference lib="dom" />
// End to end, in Debian's Chromium against the loopback web host, at a commune laptop's 1024×600
// in Vietnamese (issue 20.2 and 20.3):
// 1. Trùng văn bản (Appendix VI 1h): Hà Nội's real KH 173/KH-UBND is in the register; the clerk
//    imports a scan of the same plan. The import result warns, naming the other document by its
//    notation, trích yếu and số đến (never its row id); "Bỏ qua" closes the warning. Tiếp nhận opens
//    its dialog with the same warning; after it, "Liên kết" on the document's panel links the two,
//    and the first document's pane shows the link too. Another plan (174/KH-UBND) is not warned.
// 2. Attachments of a package received over the reference axis: listed with their names as sent
//    and sizes, the signed annex checked, opened in the preview, the Word form downloaded whole.
// Nothing is cut (test/support/layout.ts). Screenshots go to .test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { layoutProblems } from '../support/layout.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { interopPdf, makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { createAxisAdapter } from '../../main/core/axis/createAdapter.js';
import { startAxisServer } from '../axis/server.js';
import { freePort } from '../support/agencies.js';
import { handPackage } from '../support/edxmlSamples.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const WAIT = { timeout: 60_000 };
const OURS = { code: '000.00.00.H41', name: 'UBND Tỉnh Nghệ An', abbreviation: 'UBND' };
const GOVERNMENT = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', systemId: 'sys-vpcp', secret: 'bí mật của VPCP' };
const VI: Record<string, string> = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renderer/src/i18n/vi.json'), 'utf8'));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

async function openInIncomingView(page: Page, id: number) {
  await page.getByTestId('tab-in').click();
  await page.getByTestId('open-incoming').click();
  const view = page.getByTestId('incoming-view');
  await view.waitFor(WAIT);
  await view.getByTestId('incoming-filter-all').click();
  await view.locator(`[data-testid="incoming-row"][data-doc-id="${id}"]`).click();
  const panel = page.locator(`[data-testid="incoming-panel"][data-doc-id="${id}"]`);
  await panel.waitFor(WAIT);
  return panel;
}

async function openInRegister(page: Page, id: number) {
  await page.getByTestId('tab-in').click();
  const pane = page.getByTestId('doc-pane');
  const widen = pane.getByTestId('pane-widen');
  if ((await widen.count()) && (await widen.getAttribute('aria-pressed')) === 'true') await widen.click();
  await page.locator(`[data-testid="doc-row"][data-doc-id="${id}"]`).click();
  const opened = page.locator(`[data-testid="doc-pane"][data-doc-id="${id}"][aria-busy="false"]`);
  await opened.waitFor(WAIT);
  const panels = opened.getByTestId('pane-panels');
  if ((await panels.count()) && (await panels.getAttribute('aria-pressed')) === 'false') await panels.click();
  return opened;
}

test('a duplicate is warned about in the import result, at tiếp nhận and on the pane, and linked; a received package’s attachments are listed, checked, opened and downloaded, at 1024×600', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const core = openCore({ dataDir: tempDir('eoffice-e2e-duplicates-'), shell: 'web', actor: 'vanthu' });
  const work = tempDir('eoffice-e2e-duplicates-out-');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const axis = await startAxisServer({
    port,
    dbPath: path.join(work, 'axis.sqlite'),
    agencies: [GOVERNMENT, { code: OURS.code, name: OURS.name, systemId: 'sys-tinh', secret: 'bí mật của tỉnh' }],
  });
  const { host, launchBrowser } = await serveApp(t, core, () => axis.close());
  await api(core, 'agency.update', OURS);
  await api(core, 'exchange.setAxis', { endpoint, systemId: 'sys-tinh', secret: 'bí mật của tỉnh' });
  await api(core, 'settings.update', { locale: 'vi' });

  // The register already holds Hà Nội's plan 173, as it came by e-mail.
  const first = await api(core, 'documents.import', { direction: 'in', fileName: 'hanoi-kh-173-ubnd-2026.pdf', bytes: new Uint8Array(fs.readFileSync(interopPdf('hanoi-kh-173-ubnd-2026.pdf'))) });
  const firstId = first.document.id;
  const scanFile = path.join(work, 'ke-hoach-173-ban-scan.pdf');
  fs.writeFileSync(scanFile, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HÀ NỘI', 'Số: 173/KH-UBND', 'Hà Nội, ngày 28 tháng 4 năm 2026', 'KẾ HOẠCH', 'Tổ chức Festival Thăng Long - Hà Nội lần thứ II, năm 2026']));
  const otherFile = path.join(work, 'ke-hoach-174.pdf');
  fs.writeFileSync(otherFile, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HÀ NỘI', 'Số: 174/KH-UBND', 'Hà Nội, ngày 28 tháng 4 năm 2026', 'KẾ HOẠCH', 'Một kế hoạch khác']));

  // A package with a signed annex (Hà Nội's real TB 453) and a Word form.
  const annex = new Uint8Array(fs.readFileSync(interopPdf('hanoi-tb-453-ubnd-2026.pdf')));
  const form = Buffer.from('PK\u0003\u0004 biểu mẫu Word giả lập');
  const packageFile = path.join(work, 'goi-tin.edxml');
  fs.writeFileSync(
    packageFile,
    handPackage({
      subject: 'V/v gửi kèm thông báo của Hà Nội',
      attachments: [
        { name: 'cong-van-12.pdf', base64: Buffer.from(await makeVietnamesePdf(['VĂN PHÒNG CHÍNH PHỦ', 'Số: 12/VPCP-TTĐT', 'V/v gửi kèm thông báo'])).toString('base64') },
        { name: 'Phụ lục 1 - Thông báo 453.pdf', base64: Buffer.from(annex).toString('base64') },
        { name: 'Biểu mẫu số 2.docx', base64: form.toString('base64'), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      ],
    }),
  );
  const packageBytes = fs.readFileSync(packageFile);
  await createAxisAdapter({ variant: 'vxp', endpoint, systemId: GOVERNMENT.systemId, secret: GOVERNMENT.secret }).send({ path: packageFile, size: packageBytes.length, sha256: sha256(packageBytes), from: GOVERNMENT.code, to: [OURS.code], messageType: 'edoc' });
  assert.equal((await api(core, 'exchange.syncNow', {})).received, 1);
  const receivedId = (await api(core, 'exchange.received', {}))[0]!.documentId!;

  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1024, height: 600 }, locale: 'vi-VN', acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);

  // ---- 1. The import result warns about the scan, not about plan 174.
  await page.getByTestId('tab-in').click();
  await page.getByTestId('import-input').setInputFiles([scanFile, otherFile]);
  await page.getByTestId('import-summary').waitFor(WAIT);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="import-result"][data-status="imported"]').length === 2, undefined, WAIT);
  const importedIds = (await page.getByTestId('import-result').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-doc-id'))))) as number[];
  const importedDocs = await Promise.all(importedIds.map((id) => api(core, 'documents.get', { id })));
  const scanId = importedDocs.find((d) => d.fileName === 'ke-hoach-173-ban-scan.pdf')!.id;
  const scanRow = page.locator(`[data-testid="import-result"][data-doc-id="${scanId}"]`);
  const warning = scanRow.getByTestId('duplicate-notice');
  await warning.waitFor(WAIT);
  assert.equal(await page.getByTestId('duplicate-notice').count(), 1, 'plan 174 is no duplicate');
  assert.match(await warning.innerText(), new RegExp(VI['duplicates.title']!));
  assert.equal(await warning.getByTestId('duplicate-notation').innerText(), '173/KH-UBND');
  assert.equal(await warning.getByTestId('duplicate-subject').innerText(), first.document.subject);
  assert.equal(await warning.getByTestId('duplicate-number').innerText(), VI['duplicates.notRegistered']);
  assert.doesNotMatch(await warning.innerText(), new RegExp(`#${firstId}\\b`), 'never the row id');
  assert.deepEqual(await layoutProblems(page, '[data-testid="import-summary"]'), [], 'nothing cut in the import result');
  await screenshot(page, 'e2e-duplicates-import-result.png');
  await warning.getByTestId('duplicate-skip').click();
  await warning.waitFor({ state: 'detached', ...WAIT });

  // ---- Tiếp nhận: the dialog opens on the warning (even with nothing to fill), then the số đến.
  const panel = await openInIncomingView(page, scanId);
  await panel.getByTestId('duplicate-notice').waitFor(WAIT);
  await panel.getByTestId('incoming-accept').click();
  const dialog = page.getByTestId('accept-dialog');
  await dialog.waitFor(WAIT);
  const inDialog = dialog.getByTestId('duplicate-notice');
  await inDialog.waitFor(WAIT);
  assert.equal(await inDialog.getByTestId('duplicate-notation').innerText(), '173/KH-UBND');
  assert.deepEqual(await layoutProblems(page, '[data-testid="accept-dialog"]'), [], 'nothing cut in the dialog');
  await screenshot(page, 'e2e-duplicates-accept-dialog.png');
  // The clerk types another notation: the warning goes; back to 173, it returns.
  await dialog.getByTestId('accept-notation').fill('175/KH-UBND');
  await inDialog.waitFor({ state: 'detached', ...WAIT });
  await dialog.getByTestId('accept-notation').fill('173/KH-UBND');
  await inDialog.waitFor(WAIT);
  if ((await dialog.getByTestId('accept-type').inputValue()) === '') await dialog.getByTestId('accept-type').selectOption('KH');
  await dialog.getByTestId('accept-submit').click();
  await dialog.waitFor({ state: 'detached', ...WAIT });
  await panel.locator('[data-testid="incoming-number"]:text-is("01")').waitFor(WAIT);

  // ---- "Liên kết" on the panel: the link is stored and shown; the first document's pane shows it too.
  const paneWarning = panel.getByTestId('duplicate-notice');
  await paneWarning.waitFor(WAIT);
  await paneWarning.getByTestId('duplicate-link').click();
  const linkedHere = panel.getByTestId('duplicate-linked');
  await linkedHere.waitFor(WAIT);
  assert.equal(await linkedHere.getByTestId('duplicate-notation').innerText(), '173/KH-UBND');
  assert.deepEqual((await api(core, 'incoming.get', { id: scanId })).duplicates.map((d) => [d.id, d.linked]), [[firstId, true]]);
  assert.ok((await api(core, 'documents.get', { id: firstId })).events.some((e) => e.kind === 'duplicate-linked' && e.details.linkedId === scanId), 'audited on the other side');
  const firstPane = await openInRegister(page, firstId);
  const linkedThere = firstPane.getByTestId('duplicate-linked');
  await linkedThere.waitFor(WAIT);
  assert.equal(await linkedThere.getByTestId('duplicate-number').innerText(), VI['duplicates.incomingNumber']!.replace('{number}', '01'), 'named by its số đến');
  assert.equal(await firstPane.getByTestId('duplicate-notice').count(), 0, 'linked: no longer a warning');
  assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], 'nothing cut on the pane');
  await screenshot(page, 'e2e-duplicates-linked-pane.png');

  // ---- 2. The received package's attachments: as sent, checked, opened, downloaded.
  const received = await openInIncomingView(page, receivedId);
  const list = received.getByTestId('attachment-list');
  await list.waitFor(WAIT);
  await list.scrollIntoViewIfNeeded();
  assert.deepEqual(await list.getByTestId('file-row-name').allInnerTexts(), ['Phụ lục 1 - Thông báo 453.pdf', 'Biểu mẫu số 2.docx']);
  const [annexRow, formRow] = [list.getByTestId('attachment-row').nth(0), list.getByTestId('attachment-row').nth(1)];
  const badge = annexRow.getByTestId('attachment-signature');
  await badge.waitFor(WAIT);
  assert.ok(!['unsigned', 'failed'].includes((await badge.getAttribute('data-status')) ?? ''), 'Hà Nội’s signatures found and checked');
  await annexRow.getByTestId('file-row-view').click();
  await received.locator(`[data-testid="pdf-preview"][data-file="${sha256(annex)}"][data-rendered="true"]`).waitFor(WAIT);
  const [download] = await Promise.all([page.waitForEvent('download'), formRow.getByTestId('file-row-download').click()]);
  assert.equal(download.suggestedFilename(), 'Biểu mẫu số 2.docx');
  assert.deepEqual(fs.readFileSync((await download.path())!), form);
  assert.deepEqual(await layoutProblems(page, '[data-testid="incoming-panel"]'), [], 'nothing cut on the received document');
  await screenshot(page, 'e2e-duplicates-received-attachments.png');

  await context.close();
  assert.deepEqual(pageErrors, []);
});
