/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end: the document pane and what comes out of it, walked as a commune clerk would, in
// Debian's Chromium against the loopback web host, at 1366×768 and at a commune laptop's 1024×600,
// in Vietnamese and in English, with a real SoftHSM2 token (the leader's key and the agency's) and
// a package received over the reference axis. For each:
// - the preview is the pane's main area; the panels sit beside it (the pane widened) or under it,
//   the split is dragged with the keyboard, the panels fold away; nothing in the pane is cut
//   (test/support/layout.ts);
// - every version and attachment is downloaded ("Tải về": the bytes of that file) and printed
//   ("In": every page handed to the print dialog); "Mở thư mục" is not offered in a browser;
// - the issued PDF that downloads prints the seal's time whole ("+07:00") and "Số: 01/QĐ-UBND" once;
// - a drafting unit that changes the printed notation is said on the draft, before it is signed;
// - a signer declared without accents is offered the certificate's spelling, which the clerk takes;
// - a received package's attachments are listed with their names as sent, opened, validated,
//   downloaded (a Word annex downloads but has nothing to preview);
// - the words: signature coverage in words, "Số đi 01", the agency's own name, recipients without
//   a second bullet.
// Screenshots go to .test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { createAxisAdapter } from '../../main/core/axis/createAdapter.js';
import { startAxisServer } from '../axis/server.js';
import { freePort, openAgency } from '../support/agencies.js';
import { handPackage } from '../support/edxmlSamples.js';
import { makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { createTestToken } from '../support/softhsm.js';
import { layoutProblems } from '../support/layout.js';
import { sealImage, signatureImage } from '../support/png.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const WAIT = { timeout: 60_000 };
const LABEL = 'Token xã (khung văn bản)';
const SIGNER = 'Nguyễn Văn An'; // the CN of the token's leader certificate
const AGENCY = 'UBND xã Thử Nghiệm'; // the CN of its agency certificate
const OURS = { code: '000.00.00.H41', name: AGENCY, abbreviation: 'UBND' };
const GOVERNMENT = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', abbreviation: 'VPCP' };
const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1024, height: 600 },
] as const;
const LOCALES = ['vi', 'en'] as const;

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

async function downloaded(download: Download): Promise<Buffer> {
  return fs.readFileSync((await download.path())!);
}

/** Every print handed to the browser: the pages the print container held at that moment. */
async function recordPrints(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { printed: number[] }).printed = [];
    window.print = () => {
      const container = document.querySelector<HTMLElement>('[data-testid="print-pages"]');
      (window as unknown as { printed: number[] }).printed.push(container ? Number(container.dataset.pageCount) * 1000 + container.querySelectorAll('img').length : -1);
    };
  });
}

async function prints(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { printed: number[] }).printed);
}

async function openDocument(page: Page, direction: 'in' | 'out', id: number) {
  await page.getByTestId(`tab-${direction}`).click();
  const pane = page.getByTestId('doc-pane');
  // A widened pane hides the list: show it to pick the document.
  if ((await pane.getByTestId('pane-widen').count()) && (await pane.getByTestId('pane-widen').getAttribute('aria-pressed')) === 'true') await pane.getByTestId('pane-widen').click();
  await page.locator(`[data-testid="doc-row"][data-doc-id="${id}"]`).click();
  await page.locator(`[data-testid="doc-pane"][data-doc-id="${id}"][aria-busy="false"]`).waitFor(WAIT);
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', WAIT);
}

async function setPressed(page: Page, testId: string, pressed: boolean) {
  const button = page.getByTestId('doc-pane').getByTestId(testId);
  if ((await button.getAttribute('aria-pressed')) !== String(pressed)) await button.click();
  await page.locator(`[data-testid="${testId}"][aria-pressed="${pressed}"]`).waitFor();
}

test('the document pane: the preview first, every version and attachment out, the seal, the notation, the signer’s name, at 1366×768 and 1024×600 in both languages', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const token = await createTestToken({ label: LABEL });
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const government = await openAgency(GOVERNMENT, endpoint);
  const dataDir = tempDir('eoffice-e2e-pane-');
  const work = tempDir('eoffice-e2e-pane-out-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu', settings, tokens: { pollIntervalMs: 300 } });
  const axis = await startAxisServer({
    port,
    dbPath: path.join(work, 'axis.sqlite'),
    agencies: [
      { code: GOVERNMENT.code, name: GOVERNMENT.name, systemId: government.systemId, secret: government.secret },
      { code: OURS.code, name: OURS.name, systemId: 'sys-ours', secret: 'bí mật của xã' },
    ],
  });
  const { host, launchBrowser } = await serveApp(t, core, async () => {
    await axis.close();
    government.close();
    token.cleanup();
  });

  await api(core, 'agency.update', OURS);
  await api(core, 'exchange.setAxis', { endpoint, systemId: 'sys-ours', secret: 'bí mật của xã' });
  const certificates = (await api(core, 'tokens.list', {})).tokens.flatMap((tk) => tk.certificates);
  await api(core, 'tokens.setImage', { fingerprint256: certificates.find((c) => c.id === token.ids.signer)!.fingerprint256, kind: 'signature', png: signatureImage() });
  await api(core, 'tokens.setImage', { fingerprint256: certificates.find((c) => c.id === token.ids.agency)!.fingerprint256, kind: 'seal', png: sealImage() });

  const draftBytes = (subject: string) =>
    makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', `Về việc ${subject}`, 'Điều 1. Quyết định này có hiệu lực kể từ ngày ký.']);
  const draft = async (subject: string, details: Record<string, unknown> = {}, attachments: { fileName: string; bytes: Uint8Array }[] = []) =>
    api(core, 'outgoing.create', {
      fileName: `${subject}.pdf`,
      bytes: await draftBytes(subject),
      details: { typeCode: 'QD', subject: `Về việc ${subject}`, signerName: SIGNER, signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['- Như Điều 3;', '- Lưu: VT, VP.'], ...details },
      attachments,
    });
  const sign = async (id: number) => {
    const signed = await api(core, 'documents.sign', { ids: [id], label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
    assert.equal(signed.results[0]!.status, 'signed', JSON.stringify(signed.results[0]));
  };

  // A: issued, with an annex — every version and the annex come out of the pane.
  const annex = await makeVietnamesePdf(['PHỤ LỤC', 'Quy chế làm việc (kèm theo Quyết định)', 'Trang 1']);
  const issued = await draft('ban hành Quy chế làm việc', {}, [{ fileName: 'Phụ lục - Quy chế.pdf', bytes: annex }]);
  await sign(issued.document.id);
  await api(core, 'outgoing.issue', { id: issued.document.id, label: LABEL, certificateId: token.ids.agency, pin: token.userPin });
  const issuedFiles = await api(core, 'documents.files', { id: issued.document.id });
  // B: the drafting unit VP where the draft prints /QĐ-UBND.
  const unitDraft = await draft('giao chỉ tiêu', { draftingUnit: 'VP' });
  // C: one per pass — declared without accents, signed by the certificate of "Nguyễn Văn An".
  const unaccented: number[] = [];
  for (let i = 0; i < VIEWPORTS.length * LOCALES.length; i++) {
    const d = await draft(`phân công nhiệm vụ ${i + 1}`, { signerName: 'Nguyen Van An' });
    await sign(d.document.id);
    unaccented.push(d.document.id);
  }
  // D: received from the Government Office: the main PDF, a signed PDF annex and a Word form.
  const signedAnnex = (await api(core, 'documents.content', { id: issued.document.id, sha256: issuedFiles.attachments[0]!.sha256 })).bytes;
  const wordForm = Buffer.from('PK\u0003\u0004 biểu mẫu Word (không phải PDF)');
  const packageFile = path.join(work, 'goi-tin.edxml');
  fs.writeFileSync(
    packageFile,
    handPackage({
      subject: 'Về việc báo cáo tình hình thực hiện Quy chế',
      attachments: [
        { name: 'cong-van-vpcp.pdf', base64: Buffer.from(await makeVietnamesePdf(['VĂN PHÒNG CHÍNH PHỦ', 'Về việc báo cáo tình hình thực hiện Quy chế'])).toString('base64') },
        { name: 'Phụ lục 1 - Quy chế đã ký.pdf', base64: Buffer.from(signedAnnex).toString('base64') },
        { name: 'Biểu mẫu báo cáo.docx', base64: wordForm.toString('base64'), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      ],
    }),
  );
  const packageBytes = fs.readFileSync(packageFile);
  await createAxisAdapter({ variant: 'vxp', endpoint, systemId: government.systemId, secret: government.secret }).send({
    path: packageFile,
    size: packageBytes.length,
    sha256: sha256(packageBytes),
    from: GOVERNMENT.code,
    to: [OURS.code],
    messageType: 'edoc',
  });
  assert.equal((await api(core, 'exchange.syncNow', {})).received, 1);
  const received = (await api(core, 'exchange.received', {})).find((r) => r.outcome === 'accepted')!.documentId!;
  const receivedFiles = await api(core, 'documents.files', { id: received });
  assert.deepEqual(
    receivedFiles.attachments.map((a) => a.fileName),
    ['Phụ lục 1 - Quy chế đã ký.pdf', 'Biểu mẫu báo cáo.docx'],
  );

  const browser = await launchBrowser();
  const pageErrors: string[] = [];
  let pass = 0;
  for (const viewport of VIEWPORTS) {
    for (const locale of LOCALES) {
      const tag = `${viewport.width}x${viewport.height}-${locale}`;
      const vi = locale === 'vi';
      await api(core, 'settings.update', { locale });
      const context = await browser.newContext({ viewport, locale: vi ? 'vi-VN' : 'en-GB', acceptDownloads: true });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(`${tag}: ${e.message}`));
      await page.goto(host.url);
      await recordPrints(page);

      // 9. The issued decision: the preview is the main area of the pane.
      await openDocument(page, 'out', issued.document.id);
      const pane = page.getByTestId('doc-pane');
      await setPressed(page, 'pane-panels', true);
      await setPressed(page, 'pane-widen', false);
      const narrowLayout = await pane.getAttribute('data-layout');
      const previewBox = (await pane.getByTestId('pane-preview').boundingBox())!;
      const sideBox = (await pane.getByTestId('pane-side').boundingBox())!;
      if (narrowLayout === 'is-stacked') assert.ok(previewBox.y < sideBox.y && previewBox.width >= sideBox.width - 1, `${tag}: the preview above the panels, as wide`);
      else assert.ok(previewBox.width > sideBox.width, `${tag}: the preview is wider than the panels`);
      assert.ok(previewBox.height >= 190, `${tag}: the preview has room (${previewBox.height}px)`);
      assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], `${tag}: nothing cut in the pane beside the list`);
      await screenshot(page, `e2e-pane-${tag}-beside-list.png`);

      // Widened over the list: the panels beside the preview, which stays the larger part.
      await setPressed(page, 'pane-widen', true);
      await page.locator('[data-testid="doc-pane"][data-layout="is-side-by-side"]').waitFor(WAIT);
      assert.equal(await page.locator('.list-area').isVisible(), false, 'the list gives the pane its place');
      const wideMain = (await pane.getByTestId('pane-main').boundingBox())!;
      const widePreview = (await pane.getByTestId('pane-preview').boundingBox())!;
      assert.ok(widePreview.width > wideMain.width / 2, `${tag}: the preview is the main area (${widePreview.width} of ${wideMain.width}px)`);
      // The split moves with the keyboard (and is the clerk's to keep); the panels fold away and come back.
      const splitter = pane.getByRole('separator');
      const before = Number(await splitter.getAttribute('aria-valuenow'));
      await splitter.focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      assert.equal(Number(await splitter.getAttribute('aria-valuenow')), before + 64, 'two steps wider panels');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], `${tag}: nothing cut in the widened pane`);
      await screenshot(page, `e2e-pane-${tag}-wide.png`);
      await setPressed(page, 'pane-panels', false);
      await page.locator('[data-testid="doc-pane"][data-layout="is-preview-only"]').waitFor();
      assert.equal(await pane.getByTestId('pane-side').count(), 0);
      await screenshot(page, `e2e-pane-${tag}-preview-only.png`);
      await setPressed(page, 'pane-panels', true);

      // The words: "Số đi 01", the agency's own name, recipients with one bullet, coverage said in words.
      const details = pane.locator('.detail-list');
      assert.equal(await details.locator('[data-field="field.numberOut"] dd').innerText(), '01');
      assert.equal(await details.locator('[data-field="field.authorAgency"] dd').innerText(), AGENCY);
      assert.deepEqual(await details.locator('.recipient-list li').allInnerTexts(), ['Như Điều 3;', 'Lưu: VT, VP.']);
      // Two signatures: folded in the pane's panel, read as the screen reader would.
      const coverage = pane.getByTestId('signature-coverage').first();
      await coverage.waitFor({ state: 'attached', ...WAIT });
      const coverageText = (await coverage.textContent()) ?? '';
      assert.doesNotMatch(coverageText, /\d+\s*\/\s*\d+/, `${tag}: no revision numbers: ${coverageText}`);
      assert.match(coverageText, vi ? /trang.*số và ngày.*1 chữ ký số/i : /page.*number and date.*1 signature/i, coverageText);
      assert.doesNotMatch(await pane.innerText(), /PAdES|B-B|B-T/, 'no PAdES codes for clerks');

      // 4. Tải về and In for the file shown, for every version and the annex; no "Mở thư mục" in a browser.
      assert.equal(await pane.getByTestId('file-folder').count(), 0, '"Mở thư mục" needs the desktop app');
      const choice = pane.getByTestId('file-choice');
      const options = await choice.locator('option').evaluateAll((list) => list.map((o) => ({ value: (o as HTMLOptionElement).value, text: (o as HTMLOptionElement).text })));
      assert.deepEqual(
        options.map((o) => o.value),
        [...issuedFiles.versions].reverse().map((v) => v.sha256).concat(issuedFiles.attachments.map((a) => a.sha256)),
        'newest version first, then the attachments',
      );
      assert.equal(options[0]!.text, vi ? 'Bản phát hành (hiện tại)' : 'Issued (current)');
      const [issuedDownload] = await Promise.all([page.waitForEvent('download'), pane.getByTestId('file-download').click()]);
      const issuedBytes = await downloaded(issuedDownload);
      assert.equal(sha256(issuedBytes), issuedFiles.versions.at(-1)!.sha256, 'the current, issued PDF');
      assert.equal(issuedDownload.suggestedFilename(), 'ban hành Quy chế làm việc.pdf');
      if (pass === 0) {
        // 5. The issued PDF as downloaded: the seal's caption whole, the number once.
        const issuedFile = path.join(work, 'issued.pdf');
        fs.writeFileSync(issuedFile, issuedBytes);
        const text = execFileSync('pdftotext', [issuedFile, '-'], { encoding: 'utf8' }).normalize('NFC');
        // The caption may wrap under the seal; its words are all there, the time to its "+07:00".
        assert.match(text.replace(/\s+/g, ' '), new RegExp(`Ký bởi: ${AGENCY} Thời gian ký: \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+07:00`), text);
        assert.equal(text.split('Số: 01/QĐ-UBND').length - 1, 1, text);
        assert.equal(text.split('Số:').length - 1, 1, text);
      }
      await pane.getByTestId('file-print').click();
      await page.waitForFunction((n) => (window as unknown as { printed: number[] }).printed.length >= n, (await prints(page)).length + 1, WAIT);
      assert.equal((await prints(page)).at(-1), 1001, 'the one page of the issued PDF went to the print dialog');
      for (const version of issuedFiles.versions.filter((v) => !v.current)) {
        await choice.selectOption(version.sha256);
        await page.locator(`[data-testid="file-bar"][data-shown="${version.sha256}"]`).waitFor();
        await pane.getByTestId('file-not-current').waitFor();
        await page.locator(`[data-testid="pdf-preview"][data-file="${version.sha256}"][data-rendered="true"]`).waitFor(WAIT);
        const [download] = await Promise.all([page.waitForEvent('download'), pane.getByTestId('file-download').click()]);
        assert.equal(sha256(await downloaded(download)), version.sha256, `${tag}: the ${version.step} version`);
      }
      await screenshot(page, `e2e-pane-${tag}-draft-version.png`);
      // The annex, from the files panel: viewed in the preview, downloaded, printed.
      const annexRow = pane.locator(`[data-testid="attachment-row"][data-sha256="${issuedFiles.attachments[0]!.sha256}"]`);
      await annexRow.scrollIntoViewIfNeeded();
      assert.equal(await annexRow.getByTestId('file-row-name').innerText(), 'Phụ lục - Quy chế.pdf');
      await annexRow.getByTestId('file-row-view').click();
      await page.locator(`[data-testid="file-bar"][data-shown="${issuedFiles.attachments[0]!.sha256}"]`).waitFor();
      await page.locator(`[data-testid="pdf-preview"][data-file="${issuedFiles.attachments[0]!.sha256}"][data-rendered="true"]`).waitFor(WAIT);
      const [annexDownload] = await Promise.all([page.waitForEvent('download'), annexRow.getByTestId('file-row-download').click()]);
      assert.equal(sha256(await downloaded(annexDownload)), issuedFiles.attachments[0]!.sha256);
      assert.equal(annexDownload.suggestedFilename(), 'Phụ lục - Quy chế.pdf');
      const printedBefore = (await prints(page)).length;
      await annexRow.getByTestId('file-row-print').click();
      await page.waitForFunction((n) => (window as unknown as { printed: number[] }).printed.length > n, printedBefore, WAIT);
      assert.equal((await prints(page)).at(-1), 1001);
      await pane.getByRole('button', { name: vi ? 'Về bản hiện tại' : 'Back to the current file' }).click();
      await pane.getByTestId('file-not-current').waitFor({ state: 'detached' });

      // 6. The draft whose drafting unit changes the printed notation: said before anyone signs.
      await openDocument(page, 'out', unitDraft.document.id);
      const mismatch = pane.getByTestId('notation-mismatch');
      await mismatch.waitFor(WAIT);
      assert.match(await mismatch.innerText(), /…\/QĐ-UBND-VP/);
      assert.match(await mismatch.innerText(), vi ? /Dự thảo in “Số: …\/QĐ-UBND”/ : /The draft prints “No\. …\/QĐ-UBND”/);
      await mismatch.scrollIntoViewIfNeeded();
      assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], `${tag}: nothing cut on the draft`);
      await screenshot(page, `e2e-pane-${tag}-notation-mismatch.png`);

      // 7. Declared "Nguyen Van An", signed by "Nguyễn Văn An": the clerk takes the certificate's spelling.
      const signedId = unaccented[pass]!;
      await openDocument(page, 'out', signedId);
      const spelling = pane.getByTestId('signer-spelling');
      await spelling.waitFor(WAIT);
      assert.match(await spelling.innerText(), /“Nguyễn Văn An”.*“Nguyen Van An”/s);
      await spelling.scrollIntoViewIfNeeded();
      assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], `${tag}: nothing cut on the signed draft`);
      await screenshot(page, `e2e-pane-${tag}-signer-spelling.png`);
      await spelling.getByTestId('use-certificate-name').click();
      await spelling.waitFor({ state: 'detached', ...WAIT });
      await pane.locator('[data-field="field.signerName"] dd', { hasText: `TM. ${SIGNER}` }).waitFor(WAIT);
      assert.equal((await api(core, 'documents.get', { id: signedId })).signerName, SIGNER);

      // Attachments received over the axis: listed as sent, opened, validated, downloaded.
      await openDocument(page, 'in', received);
      const list = pane.getByTestId('attachment-list');
      await list.scrollIntoViewIfNeeded();
      assert.deepEqual(await list.getByTestId('file-row-name').allInnerTexts(), ['Phụ lục 1 - Quy chế đã ký.pdf', 'Biểu mẫu báo cáo.docx']);
      const [signedRow, wordRow] = [list.getByTestId('attachment-row').nth(0), list.getByTestId('attachment-row').nth(1)];
      const badge = signedRow.getByTestId('attachment-signature');
      await badge.waitFor(WAIT);
      assert.notEqual(await badge.getAttribute('data-status'), 'unsigned', 'its agency signature is found and checked');
      assert.notEqual(await badge.getAttribute('data-status'), 'failed');
      assert.equal(await wordRow.getByTestId('file-row-view').count(), 0, 'a Word file has no preview');
      assert.equal(await wordRow.getByTestId('file-row-print').count(), 0);
      await signedRow.getByTestId('file-row-view').click();
      await page.locator(`[data-testid="pdf-preview"][data-file="${receivedFiles.attachments[0]!.sha256}"][data-rendered="true"]`).waitFor(WAIT);
      const card = pane.getByTestId('signature-card').first();
      await card.waitFor(WAIT);
      assert.equal(await card.getByTestId('signature-signer').innerText(), AGENCY, 'the annex’s own signature is shown');
      await screenshot(page, `e2e-pane-${tag}-received-annex.png`);
      const [wordDownload] = await Promise.all([page.waitForEvent('download'), wordRow.getByTestId('file-row-download').click()]);
      assert.deepEqual(await downloaded(wordDownload), wordForm);
      assert.equal(wordDownload.suggestedFilename(), 'Biểu mẫu báo cáo.docx');
      assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], `${tag}: nothing cut on the received document`);

      await context.close();
      pass++;
    }
  }

  // The incoming view's own panel lists the attachments too, and opens one under its row.
  const page = await browser.newPage({ viewport: VIEWPORTS[1], locale: 'vi-VN' });
  await page.goto(host.url);
  await page.getByTestId('tab-in').click();
  await page.getByTestId('open-incoming').click();
  const row = page.locator(`[data-testid="incoming-row"][data-doc-id="${received}"]`);
  await row.waitFor(WAIT);
  await row.click();
  const section = page.getByTestId('incoming-panel').getByTestId('files-section');
  await section.waitFor(WAIT);
  await section.scrollIntoViewIfNeeded();
  await section.getByTestId('attachment-row').first().getByTestId('file-row-view').click();
  await section.locator('[data-testid="pdf-preview"][data-rendered="true"]').waitFor(WAIT);
  await screenshot(page, 'e2e-pane-incoming-panel-annex.png');

  assert.deepEqual(pageErrors, []);
});
