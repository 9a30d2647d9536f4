/// <reference lib="dom" />
// End to end, issue 20.5 (Decree 30, Appendix VI 6đ–6h), in Debian's Chromium over a real
// registry: three incoming documents registered, one assigned to a handler. The clerk finds a
// document by its handler's name and by its số đến, changes the order of the results, chooses the
// columns (kept after a reload), saves the search by name, reloads, runs it again (its query,
// order and columns come back), and exports the results to PDF and XLSX, read back with pdftotext
// and exceljs. At 1366×768 and 1024×600, in Vietnamese and in English, nothing is cut
// (test/support/layout.ts), the many-column list taking two lines where it is narrow.
// Screenshots go to .test-artifacts/search/ (git-ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { layoutProblems } from '../support/layout.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { SEARCH_COLUMN_KEYS } from '../../main/common/searchColumns.js';
import { makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';

const WAIT = { timeout: 60_000 };
const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts', 'search');
const HANDLER = 'Trần Thị Bích Ngọc';

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  assert.ok(fs.statSync(file).size > 1000, `a real screenshot: ${file}`);
}

async function assertLaid(page: Page, what: string): Promise<void> {
  const problems = await layoutProblems(page);
  if (problems.length > 0) await shot(page, `cut-${what.replace(/[^\w-]+/g, '-')}`);
  assert.deepEqual(problems, [], `${what}: nothing cut`);
}

/** The ids of the rows on screen, top to bottom. */
async function rowIds(page: Page): Promise<number[]> {
  return page.$$eval('[data-testid="doc-row"]', (rows) =>
    rows
      .map((row) => ({ id: Number((row as HTMLElement).dataset.docId), top: row.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.id),
  );
}

/** The list comes to show exactly these documents in this order (results follow typing after a pause). */
async function expectRows(page: Page, ids: number[], what: string): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  let shown = await rowIds(page);
  while (shown.join() !== ids.join() && Date.now() < deadline) {
    await page.waitForTimeout(100);
    shown = await rowIds(page);
  }
  assert.deepEqual(shown, ids, what);
}

async function searchFor(page: Page, query: string): Promise<void> {
  await page.getByTestId('search-input').fill(query);
}

/** The columns the list shows, by name in alphabetical order (on a narrow list they take two lines, so their order there is the layout's). */
async function headers(page: Page): Promise<string[]> {
  return (await page.locator('.doc-row-head [role="columnheader"]:not(.cell-check)').allInnerTexts()).map((s) => s.trim()).sort();
}

const sorted = (names: string[]) => [...names].sort();

async function downloaded(download: Download): Promise<Buffer> {
  return fs.readFileSync((await download.path())!);
}

test('search by handler and số đến, sort, choose columns, save and run again, export PDF and XLSX; nothing cut at 1366×768 and 1024×600', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const dataDir = tempDir('eoffice-e2e-search-');
  const work = tempDir('eoffice-e2e-search-out-');
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu' });
  const served = await serveApp(t, core);

  // Three about "đê điều", dated in an order that is not their registering order.
  const register = async (notation: string, documentDate: string, subject: string) =>
    api(core, 'incoming.register', {
      fileName: 'cong-van.pdf',
      bytes: await makeVietnamesePdf(['ỦY BAN NHÂN DÂN TỈNH', `Số: ${notation}`, subject]),
      fields: { notation, documentDate, authorAgency: 'UBND tỉnh Thử Nghiệm', typeCode: 'CV', subject },
    });
  const first = await register('14/UBND-VP', '2026-03-05', 'Về việc kiểm tra đê điều trước mùa mưa');
  const second = await register('31/UBND-KT', '2026-01-15', 'Về việc tu bổ đê điều xã Đông');
  const third = await register('57/UBND-NN', '2026-02-20', 'Về việc báo cáo đê điều quý I');
  assert.deepEqual([first.incomingNumber, second.incomingNumber, third.incomingNumber], [1, 2, 3]);
  const handler = await api(core, 'handlers.add', { name: HANDLER, unit: 'Phòng Nông nghiệp' });
  await api(core, 'incoming.assign', { id: third.document.id, handlerId: handler.id, due: '2026-12-30', note: '' });
  const [a, b, c] = [first.document.id, second.document.id, third.document.id];

  const browser = await served.launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const openList = async () => {
    await page.goto(served.host.url);
    await page.getByTestId('tab-in').click();
    await page.getByTestId('search-tools').waitFor(WAIT);
  };
  await openList();

  // 6d: the handler's name and the số đến find the document, and only it.
  await searchFor(page, 'Bích Ngọc');
  await expectRows(page, [c], "the handler's name");
  await searchFor(page, '02');
  await expectRows(page, [b], 'số đến 02');

  // 6g: the order of the results.
  await searchFor(page, 'đê điều');
  // In order of relevance, whatever it is: all three once the query is searched.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="doc-row"]').length === 3, null, WAIT);
  const sortOptions = await page.getByTestId('sort-select').locator('option').allInnerTexts();
  assert.deepEqual(sortOptions, ['Phù hợp nhất', 'Ngày văn bản', 'Số văn bản', 'Hạn giải quyết']);
  await page.getByTestId('sort-select').selectOption('date');
  assert.equal(await page.getByTestId('sort-order').getAttribute('data-order'), 'desc', 'newest first when the date is chosen');
  await expectRows(page, [a, c, b], 'by date, newest first');
  await page.getByTestId('sort-order').click();
  assert.match(await page.getByTestId('sort-order').innerText(), /^↑\s+Tăng dần$/);
  await expectRows(page, [b, c, a], 'by date, oldest first');
  await shot(page, '1366x768-vi-sorted');
  await assertLaid(page, '1366x768 sorted');

  // 6đ: the columns, chosen and kept after a reload.
  assert.deepEqual(await headers(page), sorted(['Số/ký hiệu', 'Ngày', 'Loại', 'Trích yếu', 'Cơ quan ban hành', 'Trạng thái']), 'the columns the list always had');
  await page.getByTestId('columns-button').click();
  const chooser = page.getByTestId('column-chooser');
  await chooser.waitFor(WAIT);
  await assertLaid(page, '1366x768 column chooser');
  // None at all is refused: the list would have nothing to click.
  for (const key of SEARCH_COLUMN_KEYS) await chooser.getByTestId(`column-choice-${key}`).setChecked(false);
  assert.equal(await chooser.getByTestId('columns-apply').isDisabled(), true, 'no column: Áp dụng is off');
  await chooser.getByTestId('columns-reset').click();
  await chooser.getByTestId('column-choice-incomingNumber').check();
  await chooser.getByTestId('column-choice-handlerName').check();
  await chooser.getByTestId('column-choice-dueDate').check();
  await chooser.getByTestId('column-choice-authorAgency').uncheck();
  await chooser.getByTestId('columns-apply').click();
  await chooser.waitFor({ state: 'detached', ...WAIT });
  const chosen = sorted(['Số đến', 'Số/ký hiệu', 'Ngày', 'Loại', 'Trích yếu', 'Người xử lý', 'Hạn giải quyết', 'Trạng thái']);
  assert.deepEqual(await headers(page), chosen);
  const assignedRow = page.locator(`[data-testid="doc-row"][data-doc-id="${c}"]`);
  assert.equal(await assignedRow.locator('.cell-handler').innerText(), HANDLER);
  assert.equal(await assignedRow.locator('.cell-incoming-number').innerText(), '03');
  assert.equal(await assignedRow.locator('.cell-due').innerText(), '30/12/2026');
  await assertLaid(page, '1366x768 chosen columns');
  await page.reload();
  await page.getByTestId('tab-in').click();
  await page.locator('[data-testid="doc-row"]').first().waitFor(WAIT);
  assert.deepEqual(await headers(page), chosen, 'the columns chosen, after a reload');

  // 6e: the search saved by name, and run again after a reload.
  await searchFor(page, 'đê điều');
  await page.getByTestId('sort-select').selectOption('date');
  await page.getByTestId('sort-order').click();
  await expectRows(page, [b, c, a], 'by date, oldest first');
  await page.getByTestId('saved-button').click();
  let saved = page.getByTestId('saved-searches');
  await saved.waitFor(WAIT);
  assert.match(await saved.innerText(), /Chưa lưu tìm kiếm nào/);
  assert.equal(await saved.getByTestId('saved-save').isDisabled(), true, 'no name: nothing to save');
  await saved.getByTestId('saved-name').fill('Đê điều theo ngày');
  await assertLaid(page, '1366x768 saved searches');
  await saved.getByTestId('saved-save').click();
  await saved.waitFor({ state: 'detached', ...WAIT });
  const stored = await api(core, 'searches.list', {});
  assert.equal(stored.length, 1);
  assert.deepEqual(
    { ...stored[0]!.search },
    { direction: 'in', year: 2026, query: 'đê điều', sort: 'date', order: 'asc', columns: ['incomingNumber', 'notation', 'documentDate', 'typeCode', 'subject', 'handlerName', 'dueDate', 'state'] },
    'what was on screen, saved',
  );

  // Another look first (other columns, no query), then the saved search brings its own back.
  await page.reload();
  await page.getByTestId('tab-in').click();
  await page.getByTestId('columns-button').click();
  await page.getByTestId('column-chooser').getByTestId('columns-reset').click();
  await page.getByTestId('column-chooser').getByTestId('columns-apply').click();
  assert.deepEqual(await headers(page), sorted(['Số/ký hiệu', 'Ngày', 'Loại', 'Trích yếu', 'Cơ quan ban hành', 'Trạng thái']));
  await page.getByTestId('saved-button').click();
  saved = page.getByTestId('saved-searches');
  const item = saved.locator('[data-testid="saved-item"][data-name="Đê điều theo ngày"]');
  await item.waitFor(WAIT);
  assert.match(await item.innerText(), /đê điều/);
  await item.getByTestId('saved-run').click();
  await saved.waitFor({ state: 'detached', ...WAIT });
  assert.equal(await page.getByTestId('search-input').inputValue(), 'đê điều');
  assert.equal(await page.getByTestId('sort-select').inputValue(), 'date');
  assert.equal(await page.getByTestId('sort-order').getAttribute('data-order'), 'asc');
  assert.deepEqual(await headers(page), chosen, 'its columns');
  await expectRows(page, [b, c, a], 'by date, oldest first');
  await shot(page, '1366x768-vi-saved-run');

  // 6h: the results exported whole, in their order, with the chosen columns.
  const exportAs = async (format: 'pdf' | 'xlsx') => {
    await page.getByTestId('export-button').click();
    const dialog = page.getByTestId('export-results');
    await dialog.waitFor(WAIT);
    await assertLaid(page, `1366x768 export ${format}`);
    await dialog.getByTestId(`export-format-${format}`).check();
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), dialog.getByTestId('export-submit').click()]);
    await dialog.waitFor({ state: 'detached', ...WAIT });
    assert.match(download.suggestedFilename(), new RegExp(`^ket-qua-tim-kiem-.*\\.${format}$`));
    assert.equal(await page.getByTestId('export-notice').innerText(), 'Đã xuất 3 trên 3 văn bản.');
    return downloaded(download);
  };
  const pdfFile = path.join(work, 'ket-qua.pdf');
  fs.writeFileSync(pdfFile, await exportAs('pdf'));
  const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).normalize('NFC');
  for (const label of ['Số đến', 'Người xử lý', 'Hạn giải quyết', 'Trích yếu']) assert.ok(text.includes(label), `the PDF's column ${label}`);
  assert.ok(!text.includes('Cơ quan ban hành'), 'a column not chosen is not in the PDF');
  assert.ok(text.includes(HANDLER), "the handler's name in the PDF");
  const at = (s: string) => text.indexOf(s);
  assert.ok(at('tu bổ') >= 0 && at('tu bổ') < at('báo cáo') && at('báo cáo') < at('kiểm tra'), 'in the order on screen: by date, oldest first');

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await exportAs('xlsx')) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const cells = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1).map((v) => String(v ?? ''));
  const headerRow = [...Array(sheet.rowCount).keys()].map((i) => i + 1).find((n) => cells(n).includes('Số đến'));
  assert.ok(headerRow, 'a header row with the chosen columns');
  assert.deepEqual(cells(headerRow), ['Số đến', 'Số, ký hiệu', 'Ngày văn bản', 'Loại văn bản', 'Trích yếu', 'Người xử lý', 'Hạn giải quyết', 'Trạng thái'], 'the chosen columns, in their order');
  // Below the header, the register books' numbering row (1), (2)…, then the results.
  assert.equal(cells(headerRow + 1)[0], '(1)');
  const body = [2, 3, 4].map((i) => cells(headerRow + i));
  assert.equal(cells(headerRow + 5).filter(Boolean).length, 0, 'three results, no more');
  assert.deepEqual(
    body.map((r) => r[0]),
    ['02', '03', '01'],
    'số đến, in the order on screen',
  );
  assert.equal(body[1]![5], HANDLER);
  assert.deepEqual(pageErrors, [], 'no script error on the page');
  await context.close();

  // At 1024×600 (a commune's laptop) and in English: every column chosen, the list takes two lines; nothing is cut.
  for (const locale of ['vi', 'en'] as const) {
    for (const viewport of [
      { width: 1024, height: 600 },
      { width: 1366, height: 768 },
    ]) {
      const tag = `${viewport.width}x${viewport.height}-${locale}`;
      await api(core, 'settings.update', { locale });
      const small = await browser.newContext({ viewport, locale: locale === 'vi' ? 'vi-VN' : 'en-GB' });
      const screen = await small.newPage();
      const errors: string[] = [];
      screen.on('pageerror', (e) => errors.push(e.message));
      await screen.goto(served.host.url);
      await screen.getByTestId('tab-in').click();
      await screen.getByTestId('search-tools').waitFor(WAIT);
      await screen.getByTestId('search-input').fill(locale === 'vi' ? 'Bích Ngọc' : 'Bich Ngoc');
      await expectRows(screen, [c], `${tag}: the handler's name`);
      await assertLaid(screen, `${tag} default columns`);
      await screen.getByTestId('columns-button').click();
      const all = screen.getByTestId('column-chooser');
      await all.waitFor(WAIT);
      for (const key of SEARCH_COLUMN_KEYS) await all.getByTestId(`column-choice-${key}`).check();
      await shot(screen, `${tag}-column-chooser`);
      await assertLaid(screen, `${tag} column chooser`);
      await all.getByTestId('columns-apply').click();
      await all.waitFor({ state: 'detached', ...WAIT });
      assert.equal((await headers(screen)).length, SEARCH_COLUMN_KEYS.length, `${tag}: every column shown`);
      if (viewport.width === 1024) assert.equal(await screen.locator('.doc-grid.is-two-lines').count(), 1, `${tag}: thirteen columns take two lines`);
      assert.equal(await screen.locator(`[data-testid="doc-row"][data-doc-id="${c}"] .cell-handler`).innerText(), HANDLER);
      await shot(screen, `${tag}-all-columns`);
      await assertLaid(screen, `${tag} all columns`);
      for (const [button, dialog] of [
        ['saved-button', 'saved-searches'],
        ['export-button', 'export-results'],
      ] as const) {
        await screen.getByTestId(button).click();
        await screen.getByTestId(dialog).waitFor(WAIT);
        if (dialog === 'saved-searches') await screen.getByTestId('saved-item').first().waitFor(WAIT);
        await shot(screen, `${tag}-${dialog}`);
        await assertLaid(screen, `${tag} ${dialog}`);
        await screen.keyboard.press('Escape');
        await screen.getByTestId(dialog).waitFor({ state: 'detached', ...WAIT });
      }
      assert.deepEqual(errors, [], `${tag}: no script error on the page`);
      await small.close();
    }
  }
});
