/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end: Debian's Chromium, driven by playwright-core, against the loopback web host over a
// real registry: import two real PDFs, search with and without accents, open the preview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { openCore } from '../../main/core/app/core.js';
import { interopPdf, REPO_ROOT, tempDir } from '../support/fixtures.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');

async function search(page: Page, query: string): Promise<string[]> {
  // Results come as the clerk types: wait for the answer to this very query, then for the list
  // to show that many rows (a fixed delay would be flaky on a busy machine).
  const answered = page.waitForResponse(
    (r) => r.url().endsWith('/api/documents.search') && (JSON.parse(r.request().postData() ?? '{}') as { query?: string }).query === query,
  );
  await page.getByTestId('search-input').fill(query);
  const body = (await (await answered).json()) as { result: { items: unknown[] } };
  const expected = body.result.items.length;
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="doc-row"]').length === n && !document.querySelector('[data-testid="doc-row-loading"]'),
    expected,
  );
  return page.getByTestId('doc-row').allInnerTexts();
}

test('a clerk imports two PDFs, finds them with and without accents, and previews one', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const core = openCore({ dataDir: tempDir(), shell: 'web', actor: 'e2e' });
  const { host, launchBrowser } = await serveApp(t, core);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(host.url);
  assert.equal(new URL(page.url()).search, '', 'the token left the address bar');

  await page.getByTestId('tab-in').click();
  await page.getByTestId('import-input').setInputFiles([interopPdf('hanoi-tb-453-ubnd-2026.pdf'), interopPdf('hanoi-qd-2280-ubnd-2026.pdf')]);
  await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="import-result"][data-status="imported"]').length === 2, undefined, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="doc-row"]').length === 2);
  assert.equal(await page.getByTestId('result-count').getAttribute('data-count'), '2');

  const unaccented = await search(page, 'treo co to quoc');
  assert.equal(unaccented.length, 1);
  assert.match(unaccented[0]!, /Về việc treo cờ Tổ quốc/);
  const accented = await search(page, 'chống úng ngập');
  assert.equal(accented.length, 1);
  assert.match(accented[0]!, /úng ngập/);
  const bodyOnly = await search(page, 'thoat nuoc do thi');
  assert.ok(bodyOnly.length >= 1, 'words from the PDF text are found too');
  assert.deepEqual(await search(page, 'qxzv'), []);

  await search(page, 'treo co');
  await page.getByTestId('doc-row').first().click();
  await page.getByTestId('doc-pane').waitFor();
  await page.getByTestId('doc-subject').filter({ hasText: 'Về việc treo cờ Tổ quốc' }).waitFor();
  assert.equal(await page.getByTestId('doc-subject').innerText(), 'Về việc treo cờ Tổ quốc');
  const preview = page.getByTestId('pdf-preview');
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  assert.equal(await preview.getAttribute('data-page-count'), '1');
  // The canvas has really been painted: some pixels are not white.
  const inked = await page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="pdf-preview"] canvas') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
    return dark;
  });
  assert.ok(inked > 1000, `the preview shows the page (${inked} dark pixels)`);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-registry.png') });
  assert.deepEqual(consoleErrors, []);
});
