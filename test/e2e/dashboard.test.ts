/// <reference lib="dom" />
// End to end: Tổng quan is the first screen. Over a registry seeded through the core (incoming
// documents received, accepted, assigned, one done, one overdue; one outgoing document issued),
// Debian's Chromium shows this month's figures exactly as 'report.figures' and REPORT_TABLE print
// them (Vietnamese separators), draws the three charts as SVG, opens the list behind a figure
// with as many rows as the figure says, opens a document from it in the incoming panel, comes
// back through the sidebar, saves the report as XLSX, and switches to the whole year.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { formatDateVn, vnDate } from '../../main/common/dates.js';
import { REPORT_TABLE, formatCount, type ReportFigures } from '../../main/common/report.js';
import { currentMonth, periodRange } from '../../renderer/src/dashboard/period.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';

const WAIT = { timeout: 60_000 };
const HANDLER = 'Lê Thị Hoa';

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

async function importPdf(core: Core, direction: 'in' | 'out', subject: string): Promise<number> {
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', subject, `Mã kiểm thử ${Math.random()}`], { title: subject });
  const { document } = await api(core, 'documents.import', { direction, fileName: `${subject}.pdf`, bytes });
  return document.id;
}

/** Every figure of the table as the dashboard shows it: label (Vietnamese) → value. */
async function shownFigures(page: Page): Promise<Map<string, string>> {
  const rows = await page.getByTestId('figure-row').evaluateAll((trs) =>
    trs.map((tr) => [tr.getAttribute('data-label') ?? '', (tr.querySelector('[data-testid="figure-value"]') as HTMLElement).innerText.trim()] as const),
  );
  return new Map(rows);
}

function expectedFigures(figures: ReportFigures): Map<string, string> {
  return new Map(REPORT_TABLE.filter((row) => row.value).map((row) => [row.vi, row.value!(figures, 'vi')]));
}

async function shoot(page: Page, dir: string, name: string, t: { diagnostic: (message: string) => void }): Promise<string> {
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  const png = fs.readFileSync(file);
  assert.ok(png.length > 1000, `a real screenshot, not ${png.length} bytes`);
  t.diagnostic(`screenshot: ${file}`);
  return file;
}

async function assertFiguresShown(page: Page, figures: ReportFigures): Promise<void> {
  const expected = expectedFigures(figures);
  // The first label waits for the table of this very period (a switch reloads it).
  const first = REPORT_TABLE.find((row) => row.listKey === 'received')!;
  await page.locator(`[data-testid="figure-row"][data-label="${first.vi}"] [data-testid="figure-value"]`).filter({ hasText: new RegExp(`^${expected.get(first.vi)}$`) }).waitFor(WAIT);
  const shown = await shownFigures(page);
  for (const [label, value] of expected) assert.equal(shown.get(label), value, `the figure "${label}"`);
}

test('Tổng quan is the start page: the figures of the month as the report prints them, charts, click-through, the year', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const dataDir = tempDir('eoffice-e2e-dashboard-');
  const work = tempDir('eoffice-e2e-dashboard-out-');
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu' });
  const { host, launchBrowser } = await serveApp(t, core);

  // Seed: five incoming documents arrive today; four are accepted, three assigned, one of them done.
  const today = vnDate();
  const incoming: number[] = [];
  for (const subject of ['Về việc tổ chức Tết Trồng cây', 'Về việc phòng chống bão số 5', 'Về kế hoạch chuyển đổi số năm 2027', 'Về việc kiểm tra an toàn thực phẩm', 'Về việc báo cáo tình hình dân cư']) {
    incoming.push(await importPdf(core, 'in', subject));
  }
  const handler = await api(core, 'handlers.add', { name: HANDLER, unit: 'Văn phòng UBND' });
  // The made-up files print neither a number nor a date: the clerk gives what the register needs.
  for (const [i, id] of incoming.slice(0, 4).entries()) {
    await api(core, 'incoming.accept', { id, fields: { notation: `${i + 1}/UBND-VP`, documentDate: today, authorAgency: 'Ủy ban nhân dân xã Thử Nghiệm', typeCode: 'CV', subject: `Văn bản đến ${i + 1}` } });
  }
  for (const id of incoming.slice(0, 3)) await api(core, 'incoming.assign', { id, handlerId: handler.id, due: today });
  await api(core, 'incoming.start', { id: incoming[0] });
  await api(core, 'incoming.done', { id: incoming[0], note: 'Đã triển khai.' });
  // The API refuses a due date before arrival, so the overdue document is made by moving its due
  // date back in the database: what a document assigned last week looks like today.
  const yesterday = vnDate(new Date(Date.now() - 86_400_000));
  core.db.prepare('UPDATE documents SET handling_due = ? WHERE id = ?').run(yesterday, incoming[1]);
  // Likewise an outgoing document imported as a draft is marked issued today: issuing for real
  // needs a token, which test/e2e/issuing.test.ts covers.
  const outgoing = await importPdf(core, 'out', 'Về việc triệu tập họp giao ban');
  core.db.prepare("UPDATE documents SET state = 'issued', document_date = ? WHERE id = ?").run(today, outgoing);

  const month = periodRange(currentMonth());
  const figures = await api(core, 'report.figures', month);
  assert.equal(figures.incoming.received, 5);
  assert.equal(figures.outgoing.issued, 1);
  assert.equal(figures.overdue.count, 1);

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1100 }, locale: 'vi-VN', acceptDownloads: true });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);
  // No agency named yet, so the first-run setup comes first; "Để sau" leaves it for later.
  await page.locator('[data-testid="settings-view"][data-first-run="true"]').waitFor(WAIT);
  await page.getByTestId('settings-close').click();

  // The first screen is the overview of this month, and the sidebar says so.
  const dashboard = page.getByTestId('dashboard');
  await dashboard.waitFor(WAIT);
  assert.equal(await page.getByTestId('open-dashboard').getAttribute('aria-current'), 'page');
  assert.equal(await page.getByTestId('period-kind-month').getAttribute('aria-checked'), 'true');
  assert.equal(await dashboard.getByTestId('dashboard-period-text').innerText(), `Từ ngày ${formatDateVn(month.from)} đến ngày ${formatDateVn(month.to)}`);
  assert.equal(await page.locator('#document-list-panel').isVisible(), false, 'the document list waits behind the overview');
  // The skip link leads to the overview's heading, not to the hidden list.
  await page.getByTestId('period-next').focus();
  await page.getByTestId('skip-to-content').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'dashboard-title');

  // Every figure of the table as REPORT_TABLE formats it, and the tiles likewise.
  await assertFiguresShown(page, figures);
  assert.equal(await dashboard.getByTestId('tile-received').getByTestId('tile-value').innerText(), formatCount(figures.incoming.received, 'vi'));
  assert.equal(await dashboard.getByTestId('tile-issued').getByTestId('tile-value').innerText(), '1');
  const handled = REPORT_TABLE.find((row) => row.listKey === 'handledOnNetwork')!.value!(figures, 'vi');
  assert.match(handled, /^3 \(75%\)$/, 'three of the four accepted were assigned: a Vietnamese share');
  assert.equal(await dashboard.getByTestId('tile-handledOnNetwork').getByTestId('tile-value').innerText(), handled);
  assert.match(await dashboard.getByTestId('tile-median').getByTestId('tile-value').innerText(), /^\d+(,\d)? (giờ|ngày)$/);

  // The overdue document with its handler and how late it is.
  const overdue = dashboard.getByTestId('overdue-document');
  assert.equal(await overdue.count(), 1);
  assert.match(await overdue.innerText(), new RegExp(`${HANDLER}[\\s\\S]*${formatDateVn(yesterday).replaceAll('/', '\\/')}[\\s\\S]*1 ngày`));
  assert.match(await dashboard.getByTestId('overdue-handlers').innerText(), new RegExp(`${HANDLER}[\\s\\S]*1`));

  await shoot(page, work, 'dashboard-month.png', t);

  // The three charts, drawn as SVG.
  for (const name of ['trend', 'incomingStates', 'signing']) {
    await dashboard.locator(`[data-testid="chart-${name}"] svg`).first().waitFor(WAIT);
    assert.ok((await dashboard.locator(`[data-testid="chart-${name}"] svg path`).count()) > 0, `the ${name} chart has shapes`);
  }

  // A bar of the trend opens the documents of its day: today's five, files received electronically
  // outside the axis (imported as they came, not paper scans).
  const bars = dashboard.locator('[data-testid="chart-trend"] path[fill="#d0665c"]');
  const heights = await bars.evaluateAll((paths) => paths.map((p) => (p as SVGGraphicsElement).getBBox().height));
  const tallest = heights.indexOf(Math.max(...heights));
  await bars.nth(tallest).click();
  const barList = dashboard.locator('[data-testid="report-list"][data-key="receivedElectronic"]');
  await barList.locator('[data-testid="report-list-total"][data-total="5"]').waitFor(WAIT);
  assert.match(await barList.locator('h3').innerText(), new RegExp(`Nhận điện tử ngoài trục — ${formatDateVn(today).slice(0, 5)}`));
  await shoot(page, work, 'dashboard-bar-list.png', t);
  await barList.getByTestId('report-list-close').click();

  // A slice of the states opens that state's documents: the two assigned, not yet done.
  const slices = dashboard.locator('[data-testid="chart-incomingStates"] path[fill="#4f7cc9"]');
  const areas = await slices.evaluateAll((paths) => paths.map((p) => ((b) => b.width * b.height)((p as SVGGraphicsElement).getBBox())));
  // A ring slice's box centre may fall in the hole: click halfway between its outer and inner arcs.
  const inside = await slices.nth(areas.indexOf(Math.max(...areas))).evaluate((p) => {
    const path = p as SVGPathElement;
    const length = path.getTotalLength();
    const [a, b] = [path.getPointAtLength(length * 0.25), path.getPointAtLength(length * 0.75)];
    const point = new DOMPoint((a.x + b.x) / 2, (a.y + b.y) / 2).matrixTransform(path.getScreenCTM()!);
    return { x: point.x, y: point.y };
  });
  await page.mouse.click(inside.x, inside.y);
  const stateList = dashboard.locator('[data-testid="report-list"][data-key="state:assigned"]');
  await stateList.locator(`[data-testid="report-list-total"][data-total="${figures.incoming.byState.assigned}"]`).waitFor(WAIT);
  assert.equal(figures.incoming.byState.assigned, 2);
  assert.deepEqual((await stateList.getByTestId('report-list-row').allInnerTexts()).map((text) => /Đã giao xử lý/.test(text)), [true, true]);
  await stateList.getByTestId('report-list-close').click();

  // A figure opens its list: as many rows as the figure, and the total says so.
  await dashboard.locator('[data-testid="figure-row"][data-key="received"] button').click();
  const list = dashboard.getByTestId('report-list');
  await list.locator('[data-testid="report-list-total"][data-total="5"]').waitFor(WAIT);
  assert.equal(await list.getByTestId('report-list-total').innerText(), '5 văn bản');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="report-list-row"]').length === 5, undefined, WAIT);
  const rowTexts = await list.getByTestId('report-list-row').allInnerTexts();
  assert.ok(rowTexts.every((text) => text.includes(formatDateVn(today))), rowTexts.join('\n'));
  assert.ok(rowTexts.some((text) => /Chờ tiếp nhận/.test(text)), 'the state in Vietnamese');

  // A row opens the document in the incoming view's panel.
  const target = incoming[2]!;
  await list.locator(`[data-testid="report-list-row"][data-doc-id="${target}"]`).click();
  await page.locator(`[data-testid="incoming-panel"][data-doc-id="${target}"]`).waitFor(WAIT);
  assert.equal(await dashboard.isVisible(), false);
  assert.equal(await page.getByTestId('open-dashboard').getAttribute('aria-current'), null);

  // Back through the sidebar: the list is as it was left; "Quay lại tổng quan" shows the figures.
  await page.getByTestId('open-dashboard').click();
  await list.waitFor(WAIT);
  await list.getByTestId('report-list-close').click();
  await dashboard.getByTestId('figure-table').waitFor(WAIT);

  // An outgoing document opens in the registry's pane, under Văn bản đi.
  await dashboard.getByTestId('tile-issued').getByRole('button').click();
  const issuedList = dashboard.locator('[data-testid="report-list"][data-key="issued"]');
  await issuedList.locator('[data-testid="report-list-total"][data-total="1"]').waitFor(WAIT);
  await issuedList.locator(`[data-testid="report-list-row"][data-doc-id="${outgoing}"]`).getByRole('button').click();
  await page.getByTestId('doc-subject').filter({ hasText: 'Về việc triệu tập họp giao ban' }).waitFor(WAIT);
  assert.equal(await page.getByTestId('tab-out').getAttribute('aria-selected'), 'true');
  await page.getByTestId('open-dashboard').click();
  await issuedList.getByTestId('report-list-close').click();

  // The queue's figures open the exchange view; closing it comes back here.
  await dashboard.getByTestId('tile-queueWaiting').getByRole('button').click();
  const exchange = page.getByTestId('exchange-view');
  await exchange.waitFor(WAIT);
  assert.equal(await dashboard.isVisible(), false);
  await page.getByTestId('open-dashboard').click();
  await dashboard.getByTestId('figure-table').waitFor(WAIT);
  assert.equal(await exchange.count(), 0);

  // The report as XLSX, saved by the browser under the name the host gave it.
  const download = page.waitForEvent('download', WAIT);
  await dashboard.getByTestId('dashboard-export-report-xlsx').click();
  const saved = await download;
  assert.match(saved.suggestedFilename(), /\.xlsx$/);
  const xlsx = path.join(work, saved.suggestedFilename());
  await saved.saveAs(xlsx);
  assert.equal(fs.readFileSync(xlsx).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a ZIP');
  await dashboard.getByTestId('dashboard-export-notice').waitFor(WAIT);

  // The whole year: the period text and the figures follow.
  await dashboard.getByTestId('period-kind-year').click();
  const year = periodRange({ kind: 'year', year: Number(today.slice(0, 4)) });
  await dashboard.getByTestId('dashboard-period-text').filter({ hasText: `Từ ngày ${formatDateVn(year.from)} đến ngày ${formatDateVn(year.to)}` }).waitFor(WAIT);
  const yearFigures = await api(core, 'report.figures', year);
  await assertFiguresShown(page, yearFigures);
  assert.equal(yearFigures.trend.bucket, 'month');
  await dashboard.locator('[data-testid="chart-trend"] svg').first().waitFor(WAIT);

  // The incoming register of the period, as XLSX. Its cover needs the agency's name: until it
  // is set the host refuses, and the dashboard says why.
  await dashboard.getByTestId('dashboard-export-book-in').click();
  const refused = dashboard.locator('[data-testid="dashboard-export-notice"][role="alert"]');
  await refused.waitFor(WAIT);
  assert.ok((await refused.innerText()).trim().length > 0);
  await api(core, 'agency.update', { code: '000.00.21.H99', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND' });
  const bookDownload = page.waitForEvent('download', WAIT);
  await dashboard.getByTestId('dashboard-export-book-in').click();
  const book = await bookDownload;
  assert.match(book.suggestedFilename(), /\.xlsx$/);
  await book.saveAs(path.join(work, book.suggestedFilename()));

  // From–to across New Year: no single register to cut, so the register buttons say why they wait.
  await dashboard.getByTestId('period-kind-range').click();
  const range = dashboard.getByTestId('period-range');
  const lastYear = Number(today.slice(0, 4)) - 1;
  await range.locator('input').first().fill(`15/12/${lastYear}`);
  await dashboard.getByTestId('dashboard-period-text').filter({ hasText: `Từ ngày 15/12/${lastYear} đến ngày ${formatDateVn(year.to)}` }).waitFor(WAIT);
  const bookOut = dashboard.getByTestId('dashboard-export-book-out');
  assert.equal(await bookOut.isDisabled(), true);
  assert.match((await bookOut.getAttribute('title')) ?? '', /theo năm/);
  assert.equal(await dashboard.getByTestId('dashboard-export-report-pdf').isDisabled(), false, 'the report itself spans any period');
  await assertFiguresShown(page, await api(core, 'report.figures', { from: `${lastYear}-12-15`, to: year.to }));

  // Back to the year, in English: REPORT_TABLE's English labels, English separators.
  await dashboard.getByTestId('period-kind-year').click();
  await page.getByRole('button', { name: 'English' }).click();
  await dashboard.getByTestId('dashboard-period-text').filter({ hasText: `From ${formatDateVn(year.from)} to ${formatDateVn(year.to)}` }).waitFor(WAIT);
  const receivedRow = REPORT_TABLE.find((row) => row.listKey === 'received')!;
  assert.match(await dashboard.getByTestId('tile-received').innerText(), new RegExp(receivedRow.en));
  assert.equal(await dashboard.getByTestId('tile-handledOnNetwork').getByTestId('tile-value').innerText(), REPORT_TABLE.find((row) => row.listKey === 'handledOnNetwork')!.value!(yearFigures, 'en'));
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await dashboard.getByTestId('dashboard-period-text').filter({ hasText: 'Từ ngày' }).waitFor(WAIT);

  await shoot(page, work, 'dashboard-year.png', t);
  assert.deepEqual(pageErrors, []);
});
