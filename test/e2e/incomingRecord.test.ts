/// <reference lib="dom" />
// End to end: an incoming document's record as a commune clerk reads it, in Debian's Chromium
// against the loopback web host, at 1366×768 and at a commune laptop's 1024×600, in Vietnamese and
// in English, over a registry seeded through the core with the six real government PDFs:
// 1. Số đến is the register's: QĐ 2280 registered as 01 shows 01 (and its own number 2280 under
//    its own label); ND 119, not registered, shows none (119 is its number); a paper công văn
//    registered through "Vào sổ văn bản giấy" shows its stamp's 03 beside its own number 57.
// 2. Hạn giải quyết shows the date set when assigning, and the notes typed when assigning and
//    when finishing show in the detail and the history.
// 3. What was read off each file: number, notation and date of the Hà Nội PDFs from their
//    signature fields, marked "đoán từ …" until Tiếp nhận; ND 119 a Nghị định of the Chính phủ;
//    the portal's scans (QĐ 222, QĐ 729) "chưa xác định", their type not a silent "Công văn", the
//    list's date said to be the import date; Tiếp nhận asking for what is missing before it gives a
//    số đến; the incoming states only in the Trạng thái filter; electronic files counted apart
//    from paper on the dashboard.
// Screenshots go to .test-artifacts/.
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
import { interopPdf, makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { createHash } from 'node:crypto';
import { createAxisAdapter } from '../../main/core/axis/createAdapter.js';
import { startAxisServer } from '../axis/server.js';
import { freePort } from '../support/agencies.js';
import { handPackage } from '../support/edxmlSamples.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const WAIT = { timeout: 60_000 };
const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1024, height: 600 },
] as const;
const LOCALES = ['vi', 'en'] as const;
type Locale = (typeof LOCALES)[number];

const OURS = { code: '000.00.00.H41', name: 'UBND xã An Bình', abbreviation: 'UBND' };
const GOVERNMENT = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', systemId: 'sys-vpcp', secret: 'bí mật của VPCP' };

const CATALOGUES: Record<Locale, Record<string, string>> = {
  vi: JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renderer/src/i18n/vi.json'), 'utf8')),
  en: JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renderer/src/i18n/en.json'), 'utf8')),
};

/** A message as the UI shows it in `locale`, parameters filled in. */
function msg(locale: Locale, key: string, params: Record<string, string> = {}): string {
  const text = CATALOGUES[locale][key];
  assert.ok(text !== undefined, `${key} is in ${locale}.json`);
  return text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

async function importReal(core: Core, name: string): Promise<number> {
  const { document } = await api(core, 'documents.import', { direction: 'in', fileName: name, bytes: new Uint8Array(fs.readFileSync(interopPdf(name))) });
  return document.id;
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  assert.ok(fs.statSync(file).size > 1000, `${name} is a real screenshot`);
}

/** A field of the document data shown in `scope` (DocumentDetails), by its label key. */
function field(scope: ReturnType<Page['locator']>, key: string) {
  return scope.locator(`[data-field="${key}"] dd`);
}

/** Opens a document of the incoming register in the document pane, its data in view. */
async function openInRegister(page: Page, id: number) {
  await page.getByTestId('tab-in').click();
  const pane = page.getByTestId('doc-pane');
  // A pane widened over the list hides it: show the list to pick the document.
  const widen = pane.getByTestId('pane-widen');
  if ((await widen.count()) && (await widen.getAttribute('aria-pressed')) === 'true') await widen.click();
  await page.locator(`[data-testid="doc-row"][data-doc-id="${id}"]`).click();
  const opened = page.locator(`[data-testid="doc-pane"][data-doc-id="${id}"][aria-busy="false"]`);
  await opened.waitFor(WAIT);
  const panels = opened.getByTestId('pane-panels');
  if ((await panels.count()) && (await panels.getAttribute('aria-pressed')) === 'false') await panels.click();
  await opened.locator('[data-field="field.incomingNumber"]').waitFor(WAIT);
  return opened;
}

/** Opens a document in the incoming view's panel ("Tất cả" tab). */
async function openInIncomingView(page: Page, id: number) {
  await page.getByTestId('tab-in').click();
  await page.getByTestId('open-incoming').click();
  const view = page.getByTestId('incoming-view');
  await view.waitFor(WAIT);
  await view.getByTestId('incoming-filter-all').click();
  await view.locator(`[data-testid="incoming-row"][data-doc-id="${id}"]`).click();
  const panel = page.locator(`[data-testid="incoming-panel"][data-doc-id="${id}"]`);
  await panel.waitFor(WAIT);
  await panel.locator('[data-field="field.incomingNumber"]').waitFor(WAIT);
  return panel;
}

test('the incoming record on screen: số đến apart from the sender’s number, hạn giải quyết and notes, what each file said and what Tiếp nhận asks, at 1366×768 and 1024×600 in both languages', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const core = openCore({ dataDir: tempDir('eoffice-e2e-record-'), shell: 'web', actor: 'vanthu' });
  const work = tempDir('eoffice-e2e-record-out-');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const axis = await startAxisServer({
    port,
    dbPath: path.join(work, 'axis.sqlite'),
    agencies: [
      { code: GOVERNMENT.code, name: GOVERNMENT.name, systemId: GOVERNMENT.systemId, secret: GOVERNMENT.secret },
      { code: OURS.code, name: OURS.name, systemId: 'sys-xa', secret: 'bí mật của xã' },
    ],
  });
  const { host, launchBrowser } = await serveApp(t, core, () => axis.close());
  await api(core, 'agency.update', OURS);
  await api(core, 'exchange.setAxis', { endpoint, systemId: 'sys-xa', secret: 'bí mật của xã' });

  // Over the axis: a package whose edXML header carries everything the register needs.
  const packageFile = path.join(work, 'goi-tin.edxml');
  const header =
    '<edXML:Code><edXML:CodeNumber>12</edXML:CodeNumber><edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation></edXML:Code>' +
    '<edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>2026/04/20</edXML:PromulgationDate></edXML:PromulgationInfo>' +
    '<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>';
  const attachment = await makeVietnamesePdf(['VĂN PHÒNG CHÍNH PHỦ', 'Số: 12/VPCP-TTĐT', 'V/v cập nhật danh mục dịch vụ công trực tuyến']);
  fs.writeFileSync(packageFile, handPackage({ subject: 'V/v cập nhật danh mục dịch vụ công trực tuyến', extraHeader: header, attachments: [{ name: 'cong-van-12.pdf', base64: Buffer.from(attachment).toString('base64') }] }));
  const packageBytes = fs.readFileSync(packageFile);
  await createAxisAdapter({ variant: 'vxp', endpoint, systemId: GOVERNMENT.systemId, secret: GOVERNMENT.secret }).send({
    path: packageFile,
    size: packageBytes.length,
    sha256: createHash('sha256').update(packageBytes).digest('hex'),
    from: GOVERNMENT.code,
    to: [OURS.code],
    messageType: 'edoc',
  });
  assert.equal((await api(core, 'exchange.syncNow', {})).received, 1);
  const viaAxis = (await api(core, 'exchange.received', {})).find((r) => r.outcome === 'accepted')!.documentId!;

  // The seeded registry: the six real PDFs imported as files received outside the axis; QĐ 2280
  // accepted (01); TB 453 accepted (02), assigned with a note and a due date, started, done with a note.
  const ids = {
    qd2280: await importReal(core, 'hanoi-qd-2280-ubnd-2026.pdf'),
    kh173: await importReal(core, 'hanoi-kh-173-ubnd-2026.pdf'),
    tb453: await importReal(core, 'hanoi-tb-453-ubnd-2026.pdf'),
    nd119: await importReal(core, 'nd-119-2018-cp.signed.pdf'),
    qd222: await importReal(core, 'qd-222-ttg-2025.signed.pdf'),
    qd729: await importReal(core, 'qd-729-ttg-2026.signed.pdf'),
  };
  assert.equal((await api(core, 'incoming.accept', { id: ids.qd2280 })).incomingNumber, 1);
  assert.equal((await api(core, 'incoming.accept', { id: ids.tb453 })).incomingNumber, 2);
  const handler = await api(core, 'handlers.add', { name: 'Trần Thị Bình', unit: 'Văn phòng' });
  const due = vnDate(new Date(Date.now() + 7 * 86_400_000));
  const ASSIGN_NOTE = 'Đề nghị thông báo đến các thôn, tổ dân phố.';
  const DONE_NOTE = 'Đã treo cờ tại trụ sở và nhà văn hóa các thôn.';
  await api(core, 'incoming.assign', { id: ids.tb453, handlerId: handler.id, due, note: ASSIGN_NOTE });
  await api(core, 'incoming.start', { id: ids.tb453 });
  await api(core, 'incoming.done', { id: ids.tb453, note: DONE_NOTE });

  // A paper công văn, scanned: its text has everything but the date, which the clerk types.
  const scan = path.join(work, 'cong-van-57.pdf');
  fs.writeFileSync(scan, await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ AN BÌNH', 'Số: 57/UBND-VP', 'V/v kiểm tra an toàn thực phẩm dịp Tết'], { title: '2026-04-23 (1)' }));
  let paperId = 0;

  const browser = await launchBrowser();
  const pageErrors: string[] = [];
  let pass = 0;
  for (const viewport of VIEWPORTS) {
    for (const locale of LOCALES) {
      pass++;
      const last = pass === VIEWPORTS.length * LOCALES.length;
      const tag = `${viewport.width}x${viewport.height}-${locale}`;
      await api(core, 'settings.update', { locale });
      const context = await browser.newContext({ viewport, locale: locale === 'vi' ? 'vi-VN' : 'en-GB' });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(`${tag}: ${e.message}`));
      await page.goto(host.url);
      try {

        // ---- 1. Số đến: a paper công văn through "Vào sổ văn bản giấy" (the first pass registers it).
        if (paperId === 0) {
          await page.getByTestId('tab-in').click();
          await page.getByTestId('open-incoming').click();
          await page.getByTestId('incoming-view').waitFor(WAIT);
          await page.getByTestId('register-paper-file').setInputFiles(scan);
          const dialog = page.getByTestId('accept-dialog');
          await dialog.waitFor(WAIT);
          // What the scan said, marked as read off it; the date it does not say, asked for.
          assert.equal(await dialog.getByTestId('accept-notation').inputValue(), '57/UBND-VP');
          assert.equal(await dialog.getByTestId('accept-type').inputValue(), 'CV');
          assert.equal(await dialog.getByTestId('accept-agency').inputValue(), 'ỦY BAN NHÂN DÂN XÃ AN BÌNH');
          assert.equal(await dialog.getByTestId('accept-missing-documentDate').count(), 1);
          assert.match(await dialog.getByTestId('accept-guessed-notation').innerText(), new RegExp(msg(locale, 'capture.source.page-text')));
          await screenshot(page, `e2e-record-${tag}-paper-dialog.png`);
          await dialog.getByTestId('accept-submit').click();
          await dialog.getByTestId('accept-error-documentDate').waitFor(WAIT);
          await dialog.getByTestId('accept-date').locator('input').fill('21/04/2026');
          await dialog.getByTestId('accept-submit').click();
          await dialog.waitFor({ state: 'detached', ...WAIT });
          const notice = page.getByTestId('register-paper-notice');
          await notice.waitFor(WAIT);
          assert.match(await notice.innerText(), /03/);
          const [paper] = (await api(core, 'incoming.list', { filter: 'all', limit: 50 })).items.filter((i) => i.notation === '57/UBND-VP');
          paperId = paper!.id;
        }
        const paperPanel = await openInIncomingView(page, paperId);
        assert.equal(await paperPanel.getByTestId('incoming-number').innerText(), '03', `${tag}: the ĐẾN stamp`);
        assert.equal(await field(paperPanel, 'field.incomingNumber').innerText(), '03', `${tag}: số đến is the register's, not the sender's`);
        assert.equal(await field(paperPanel, 'field.senderNumber').innerText(), '57', `${tag}: the sender's number under its own label`);
        assert.equal(await field(paperPanel, 'field.notation').innerText(), '57/UBND-VP');
        assert.equal(await field(paperPanel, 'field.receivedVia').innerText(), msg(locale, 'incoming.source.paper'));
        await screenshot(page, `e2e-record-${tag}-1-paper-03-beside-57.png`);

        // ---- A package that carries everything: Tiếp nhận gives its số đến at once (the first pass),
        // and what we told the sender is said in words, the status code only in a tooltip.
        const axisPanel = await openInIncomingView(page, viaAxis);
        if (pass === 1) {
          assert.equal(await field(axisPanel, 'field.notation').innerText(), '12/VPCP-TTĐT', `${tag}: from the edXML header, not a guess`);
          await axisPanel.getByTestId('incoming-accept').click();
          await axisPanel.locator('[data-testid="incoming-number"]:text-is("04")').waitFor(WAIT);
          assert.equal(await page.getByTestId('accept-dialog').count(), 0, 'nothing to ask: no form');
        }
        assert.equal(await field(axisPanel, 'field.receivedVia').innerText(), msg(locale, 'incoming.source.axis'));
        const meanings = axisPanel.getByTestId('status-meaning');
        await meanings.first().waitFor(WAIT);
        const told = await meanings.allInnerTexts();
        assert.deepEqual(told.sort(), [msg(locale, 'exchange.statusCode.01'), msg(locale, 'exchange.statusCode.03')].sort(), `${tag}: the statuses in words`);
        for (const text of told) assert.doesNotMatch(text, /\b0\d\b/, `${tag}: no status code shown: ${text}`);
        assert.deepEqual((await meanings.evaluateAll((els) => els.map((e) => e.getAttribute('title')))).sort(), [msg(locale, 'exchange.statusCode.bare', { code: '01' }), msg(locale, 'exchange.statusCode.bare', { code: '03' })].sort());
        const axisHistory = await axisPanel.locator('.audit-list').last().innerText();
        assert.ok(axisHistory.includes(msg(locale, 'event.statusSent', { meaning: msg(locale, 'exchange.statusCode.01') })), `${tag}: the history says what we told the sender:\n${axisHistory}`);
        assert.doesNotMatch(axisHistory, /status-sent|Trạng thái \d|Status \d/, `${tag}: no internal names or codes in the history`);
        await axisPanel.getByTestId('incoming-status-history').scrollIntoViewIfNeeded();
        await screenshot(page, `e2e-record-${tag}-statuses-in-words.png`);

        // ---- 2. Hạn giải quyết and the notes of TB 453.
        const tbPanel = await openInIncomingView(page, ids.tb453);
        assert.equal(await field(tbPanel, 'field.handlingDue').innerText(), formatDateVn(due), `${tag}: the due date set when assigning`);
        assert.equal(await field(tbPanel, 'field.assignNote').innerText(), ASSIGN_NOTE);
        assert.equal(await field(tbPanel, 'field.doneNote').innerText(), DONE_NOTE);
        const history = await tbPanel.locator('.audit-list').last().innerText();
        assert.ok(history.includes(msg(locale, 'event.assignedNote', { handler: 'Trần Thị Bình', due: formatDateVn(due), note: ASSIGN_NOTE })), `${tag}: the assignment's note in the history:\n${history}`);
        assert.ok(history.includes(msg(locale, 'event.handledNote', { note: DONE_NOTE })), `${tag}: the outcome in the history`);
        await tbPanel.locator('[data-field="field.handlingDue"]').scrollIntoViewIfNeeded();
        await screenshot(page, `e2e-record-${tag}-2-due-and-notes.png`);

        // ---- 3. Tiếp nhận asks for what the register lacks (QĐ 729 says nothing but its signer).
        const qdPanel = await openInIncomingView(page, ids.qd729);
        assert.equal(await qdPanel.getByTestId('incoming-number').innerText(), msg(locale, 'incoming.notNumbered'));
        await qdPanel.getByTestId('incoming-accept').click();
        const dialog = page.getByTestId('accept-dialog');
        await dialog.waitFor(WAIT);
        const missingLine = await dialog.getByTestId('accept-missing').innerText();
        for (const key of ['field.notation', 'field.documentDate', 'field.authorAgency', 'field.type', 'field.subject']) assert.ok(missingLine.includes(msg(locale, key)), `${tag}: "${missingLine}" names ${key}`);
        assert.match(await dialog.getByTestId('accept-signed-by').innerText(), /CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ \(VĂN PHÒNG CHÍNH PHỦ\)/);
        assert.equal(await dialog.getByTestId('accept-type').inputValue(), '', `${tag}: no type chosen for the clerk`);
        await dialog.getByTestId('accept-submit').click();
        for (const f of ['notation', 'documentDate', 'authorAgency', 'typeCode', 'subject']) await dialog.getByTestId(`accept-error-${f}`).waitFor(WAIT);
        // The dialog fits the window sideways, and its buttons can be reached.
        const dialogBox = (await dialog.boundingBox())!;
        assert.ok(dialogBox.x >= 0 && dialogBox.x + dialogBox.width <= viewport.width + 1, `${tag}: the dialog fits the window's width (${JSON.stringify(dialogBox)})`);
        await dialog.getByTestId('accept-submit').scrollIntoViewIfNeeded();
        const submitBox = (await dialog.getByTestId('accept-submit').boundingBox())!;
        assert.ok(submitBox.y >= 0 && submitBox.y + submitBox.height <= viewport.height + 1 && submitBox.x + submitBox.width <= viewport.width + 1, `${tag}: the submit button is on screen`);
        await screenshot(page, `e2e-record-${tag}-3-accept-asks.png`);
        if (!last) {
          await dialog.getByRole('button', { name: msg(locale, 'common.cancel') }).click();
          await dialog.waitFor({ state: 'detached', ...WAIT });
          assert.equal((await api(core, 'incoming.get', { id: ids.qd729 })).incomingNumber, null, 'nothing registered');
        } else {
          await dialog.getByTestId('accept-notation').fill('729/QĐ-TTg');
          await dialog.getByTestId('accept-date').locator('input').fill('23/04/2026');
          await dialog.getByTestId('accept-agency').fill('Thủ tướng Chính phủ');
          await dialog.getByTestId('accept-type').selectOption('QD');
          await dialog.getByTestId('accept-subject').fill('Phê duyệt Đề án chuyển đổi số');
          await dialog.getByTestId('accept-submit').click();
          await dialog.waitFor({ state: 'detached', ...WAIT });
          await qdPanel.locator('[data-testid="incoming-number"]:text-is("05")').waitFor(WAIT);
          assert.equal(await field(qdPanel, 'field.senderNumber').innerText(), '729');
          assert.equal(await field(qdPanel, 'field.type').innerText(), locale === 'vi' ? 'Quyết định' : 'Decision');
        }

        // ---- The incoming register's list: its states, its dates, its types.
        await page.getByTestId('tab-in').click();
        await page.getByTestId('incoming-view').waitFor({ state: 'detached', ...WAIT }).catch(() => undefined);
        const states = await page.locator('#filter-state option').allInnerTexts();
        assert.ok(states.includes(msg(locale, 'state.received')) && states.includes(msg(locale, 'state.done')), `${tag}: incoming states offered`);
        for (const outgoing of ['state.draft', 'state.numbered', 'state.issued']) assert.ok(!states.includes(msg(locale, outgoing)), `${tag}: ${outgoing} is no state of an incoming document`);
        const row = (id: number) => page.locator(`[data-testid="doc-row"][data-doc-id="${id}"]`);
        await row(ids.kh173).waitFor(WAIT);
        assert.equal(await row(ids.kh173).locator('.cell-date').innerText(), '28/04/2026', `${tag}: KH 173's own date, read from its signature fields`);
        assert.equal(await row(ids.kh173).locator('.cell-date.is-imported-date').count(), 0);
        const importedDate = row(ids.qd222).locator('.cell-date.is-imported-date');
        assert.equal(await importedDate.count(), 1, `${tag}: QĐ 222 bears no date: the import date, said so`);
        assert.equal(await importedDate.getAttribute('title'), msg(locale, 'list.dateImported', { date: await importedDate.innerText() }));
        assert.equal(await row(ids.qd222).locator('.cell-type').innerText(), msg(locale, 'capture.unknownType'), `${tag}: not a silent "Công văn"`);
        assert.equal(await row(ids.nd119).locator('.cell-type').innerText(), locale === 'vi' ? 'Nghị định' : 'Decree');

        // ---- 1 again, in the register's pane: QĐ 2280 registered as 01, ND 119 not registered.
        const qd2280 = await openInRegister(page, ids.qd2280);
        assert.equal(await field(qd2280, 'field.incomingNumber').innerText(), '01', `${tag}: QĐ 2280's số đến`);
        assert.equal(await field(qd2280, 'field.senderNumber').innerText(), '2280');
        assert.equal(await field(qd2280, 'field.notation').innerText(), '2280/QĐ-UBND', `${tag}: confirmed at tiếp nhận, no longer marked`);
        assert.equal(await field(qd2280, 'field.documentDate').innerText(), '29/04/2026');
        await screenshot(page, `e2e-record-${tag}-1-qd2280-01.png`);
        const nd = await openInRegister(page, ids.nd119);
        assert.equal(await field(nd, 'field.incomingNumber').innerText(), msg(locale, 'incoming.notRegistered'), `${tag}: ND 119 has no số đến`);
        assert.equal(await field(nd, 'field.senderNumber').innerText(), '119');
        assert.match(await field(nd, 'field.notation').innerText(), /^119\/2018\/NĐ-CP/);
        assert.equal(await nd.locator('[data-field="field.type"] [data-testid="capture-guessed-typeCode"]').getAttribute('data-source'), 'page-text');
        assert.match(await field(nd, 'field.authorAgency').innerText(), /^Chính phủ/);
        assert.equal(await field(nd, 'field.receivedVia').innerText(), msg(locale, 'incoming.source.electronic'));
        assert.equal(await nd.getByTestId('capture-missing-subject').count(), 1, `${tag}: its trích yếu is only the PDF title: to fill in`);

        // ---- 3. What the Hà Nội PDF's signature fields printed, marked until tiếp nhận.
        const kh = await openInRegister(page, ids.kh173);
        assert.equal(await field(kh, 'field.incomingNumber').innerText(), msg(locale, 'incoming.notRegistered'));
        assert.equal(await field(kh, 'field.senderNumber').innerText(), '173');
        const guessedSource = msg(locale, 'capture.source.signature-appearance');
        for (const [key, name, value] of [['field.notation', 'notation', '173/KH-UBND'], ['field.documentDate', 'documentDate', '28/04/2026']] as const) {
          const mark = kh.locator(`[data-field="${key}"] [data-testid="capture-guessed-${name}"]`);
          assert.equal(await mark.getAttribute('data-source'), 'signature-appearance', `${tag}: ${key}`);
          assert.ok((await field(kh, key).innerText()).startsWith(value), `${tag}: ${key} is ${value}`);
          assert.equal(await mark.locator('.capture-mark').innerText(), msg(locale, 'capture.guessed', { source: guessedSource }));
          assert.equal(await mark.getAttribute('title'), msg(locale, 'capture.guessedTitle', { source: guessedSource }), 'the tooltip says where from');
        }
        assert.equal(await field(kh, 'field.type').locator('[data-testid="capture-guessed-typeCode"]').count(), 1);
        assert.match(await field(kh, 'field.type').innerText(), locale === 'vi' ? /^Kế hoạch/ : /^Plan/);
        assert.match(await field(kh, 'field.authorAgency').innerText(), /^ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI/);
        assert.match(await field(kh, 'field.signerName').innerText(), /^Vũ Đại Thắng/);
        assert.equal(await kh.locator('[data-field="field.signerName"] [data-testid="capture-guessed-signerName"]').getAttribute('data-source'), 'certificate');
        await screenshot(page, `e2e-record-${tag}-3-kh173-read-from-signatures.png`);

        // The portal's scan: chưa xác định, to fill in at tiếp nhận; its signer offered, not taken.
        const qd222 = await openInRegister(page, ids.qd222);
        for (const f of ['notation', 'documentDate', 'authorAgency', 'typeCode', 'subject']) {
          assert.equal(await qd222.getByTestId(`capture-missing-${f}`).count(), 1, `${tag}: QĐ 222's ${f} is to fill in`);
        }
        assert.match(await qd222.getByTestId(`capture-missing-typeCode`).innerText(), new RegExp(msg(locale, 'capture.missing')));
        assert.equal(await field(qd222, 'field.signedBy').innerText(), 'CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ (VĂN PHÒNG CHÍNH PHỦ)');
        assert.notEqual(await field(qd222, 'field.type').innerText(), locale === 'vi' ? 'Công văn' : 'Official letter');
        await screenshot(page, `e2e-record-${tag}-3-qd222-to-fill-in.png`);

        // ---- Counted as electronic, received outside the axis, not as paper.
        await page.getByTestId('open-dashboard').click();
        const figure = (key: string) => page.locator(`[data-testid="figure-row"][data-key="${key}"]`);
        await figure('receivedElectronic').waitFor(WAIT);
        assert.equal(await figure('receivedElectronic').getByTestId('figure-value').innerText(), '6', `${tag}: the six PDFs imported`);
        assert.equal(await figure('receivedOnPaper').getByTestId('figure-value').innerText(), '1', `${tag}: the scan registered as paper`);
        assert.equal(await figure('receivedViaAxis').getByTestId('figure-value').innerText(), '1', `${tag}: the package`);
        assert.ok((await figure('receivedElectronic').innerText()).includes(locale === 'vi' ? 'Nhận điện tử ngoài trục' : 'Received electronically outside the axis'));
        await figure('receivedElectronic').scrollIntoViewIfNeeded();
        await screenshot(page, `e2e-record-${tag}-3-dashboard-electronic.png`);
      } catch (error) {
        // The screen as it was when the pass failed, beside the others.
        await page.screenshot({ path: path.join(ARTIFACTS, `e2e-record-${tag}-failed.png`) }).catch(() => undefined);
        throw error;
      }
      await context.close();
    }
  }
  assert.equal(pass, 4);
  assert.deepEqual(pageErrors, []);
});
