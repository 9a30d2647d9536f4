/// <reference lib="dom" />
// End to end: a clerk receives a real signed document of the Prime Minister (QĐ 729/QĐ-TTg,
// signed by the Government Office's G2 CA), sees in Debian's Chromium that its signature cannot
// be trusted yet because the trust store ships empty, imports the G2 root and CA through the
// trust dialog in one batch with a signer's certificate picked by mistake (refused, saying why;
// the rest imported), checks again (intact and trusted; revocation not checked, since the machine
// has no network and nothing is cached, said in a plain sentence apart from failures), accepts it
// (số đến 01), adds a handler from the assign dialog and assigns it with a due date; the
// "Đã giao xử lý" tab then lists it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { formatDateVn, vnDate } from '../../main/common/dates.js';
import { INTEROP_DIR, interopPdf, tempDir } from '../support/fixtures.js';
import { signerCertificatePem } from '../support/signerCertificate.js';

const WAIT = { timeout: 90_000 };
const G2 = ['rootcag2.pem', 'cpcag2.pem'].map((name) => path.join(INTEROP_DIR, 'trust/vgca/g2', name));
const HANDLER = 'Trần Thị Bình';

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

test('a received government PDF: untrusted until the G2 root is imported, then accepted as số đến 01 and assigned', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const dataDir = tempDir('eoffice-e2e-incoming-');
  const work = tempDir('eoffice-e2e-incoming-out-');
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu' });
  const { host, launchBrowser } = await serveApp(t, core);

  const pdf = interopPdf('qd-729-ttg-2026.signed.pdf');
  const { document } = await api(core, 'documents.import', { direction: 'in', fileName: path.basename(pdf), bytes: new Uint8Array(fs.readFileSync(pdf)) });
  assert.equal(document.state, 'received');
  assert.deepEqual(await api(core, 'trust.list', {}), [], 'the store ships empty');

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'vi-VN' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);

  // Sổ văn bản đến → Xử lý văn bản đến: the "Chờ tiếp nhận" tab counts and lists the document.
  await page.getByTestId('tab-in').click();
  await page.getByTestId('open-incoming').click();
  const view = page.getByTestId('incoming-view');
  await view.waitFor(WAIT);
  await view.locator('[data-testid="incoming-count-to_accept"]:text-is("1")').waitFor(WAIT);
  const row = view.locator(`[data-testid="incoming-row"][data-doc-id="${document.id}"]`);
  await row.waitFor(WAIT);
  assert.equal(await row.getAttribute('data-state'), 'received');
  assert.match(await row.innerText(), /Chờ tiếp nhận/);
  await row.click();

  // The panel: the "ĐẾN" stamp without a number yet, and the signature checked at once.
  const panel = page.locator(`[data-testid="incoming-panel"][data-doc-id="${document.id}"]`);
  await panel.waitFor(WAIT);
  assert.match(await panel.getByTestId('incoming-number').innerText(), /Chưa có số/);
  assert.match(await panel.getByTestId('incoming-arrived').innerText(), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  const signatures = panel.getByTestId('signature-panel');
  const card = signatures.getByTestId('signature-card');
  await card.waitFor(WAIT);
  assert.equal(await card.count(), 1);
  assert.equal(await card.getAttribute('data-status'), 'indeterminate');
  assert.equal(await card.getByTestId('signature-status').innerText(), 'Chưa xác định');
  const untrustedTrust = await card.getByTestId('signature-trust').getAttribute('data-trust');
  assert.ok(untrustedTrust === 'no-path' || untrustedTrust === 'untrusted-root', `trust ${untrustedTrust}`);
  const reasons = await card.getByTestId('signature-reasons').innerText();
  assert.match(reasons, /Không tìm thấy đường dẫn|Chứng thư gốc chưa có trong danh sách/);
  assert.doesNotMatch(reasons, /thu hồi/, 'an untrusted chain: revocation is not looked for, so it is no reason of its own');
  assert.equal(await card.getByTestId('signature-summary').count(), 0);
  assert.match(await card.getByTestId('signature-revocation').innerText(), /^Chưa kiểm tra: chứng thư chưa được tin cậy/);
  assert.match(await card.getByTestId('signature-changes').innerText(), /Không có|Được phép/);
  assert.match(await card.getByTestId('signature-time').innerText(), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(\+07:00\)/);
  assert.ok((await card.getByTestId('signature-signer').innerText()).trim().length > 0);
  // What the signature covers, in words (the revision numbers only in the tooltip).
  const coverage = card.getByTestId('signature-coverage');
  assert.match(await coverage.innerText(), /^(Tất cả các trang|Cả \d+ trang|Trang duy nhất) của văn bản/);
  assert.doesNotMatch(await coverage.innerText(), /\d+\/\d+/);
  assert.match((await coverage.getAttribute('title')) ?? '', /phiên bản \d+\/\d+/);

  // The trust store, opened from the panel: empty, and saying who must fill it.
  await signatures.getByTestId('open-trust').click();
  const trust = page.getByTestId('trust-dialog');
  await trust.waitFor(WAIT);
  await trust.getByTestId('trust-empty').waitFor(WAIT);
  assert.match(await trust.getByTestId('trust-empty').innerText(), /không kèm sẵn chứng thư tin cậy nào[\s\S]*rootca\.gov\.vn[\s\S]*ca\.gov\.vn/);
  // One batch: a signer's certificate picked by mistake first, then the G2 root and CA.
  const leaf = path.join(work, 'nguoi-ky.pem');
  fs.writeFileSync(leaf, signerCertificatePem(pdf));
  await trust.getByTestId('trust-file').setInputFiles([leaf, ...G2]);
  await trust.locator('[data-testid="trust-count"]:text-is("2 chứng thư")').waitFor(WAIT);
  const results = trust.getByTestId('trust-result');
  assert.equal(await results.count(), 3);
  const refused = trust.locator('[data-testid="trust-result"][data-file="nguoi-ky.pem"]');
  assert.equal(await refused.getAttribute('data-imported'), 'false');
  assert.match(await refused.innerText(), /^Không nhập nguoi-ky\.pem: Chứng thư của ".+" không phải chứng thư của tổ chức chứng thực \(CA\)/);
  assert.doesNotMatch(await refused.innerText(), /Dữ liệu nhập vào không hợp lệ/);
  for (const name of ['rootcag2.pem', 'cpcag2.pem']) {
    const result = trust.locator(`[data-testid="trust-result"][data-file="${name}"]`);
    assert.equal(await result.getAttribute('data-imported'), 'true', name);
    assert.equal(await result.innerText(), `Đã nhập 1 chứng thư từ ${name}.`);
  }
  const kinds = await trust.getByTestId('trust-row').allInnerTexts();
  assert.equal(kinds.filter((text) => /\bGốc\b/.test(text)).length, 1, kinds.join('\n'));
  assert.equal(kinds.filter((text) => /Trung gian/.test(text)).length, 1, kinds.join('\n'));
  await trust.getByTestId('trust-close').click();
  await trust.waitFor({ state: 'detached', ...WAIT });

  // "Kiểm tra lại": the path reaches the imported root; revocation is unknown with no network and no
  // cache. Intact and trusted: the plain sentence in the colours of valid, no list of failures.
  await signatures.getByTestId('signature-recheck').click();
  const trusted = signatures.locator('[data-testid="signature-trust"][data-trust="trusted"]');
  await trusted.waitFor(WAIT);
  assert.match(await trusted.innerText(), /^Tin cậy/);
  assert.equal(await card.getByTestId('signature-revocation').getAttribute('data-revocation'), 'unknown');
  assert.match(await card.getByTestId('signature-revocation').innerText(), /^Chưa kiểm tra được: không (có mạng|kết nối được nơi tra cứu)/);
  assert.equal(await card.getAttribute('data-status'), 'valid-revocation-unknown');
  assert.equal(await card.getByTestId('signature-status').innerText(), 'Hợp lệ, chưa kiểm tra thu hồi');
  assert.equal(await signatures.getByTestId('signature-overall').getAttribute('data-status'), 'valid-revocation-unknown');
  assert.match(await card.getByTestId('signature-summary').innerText(), /^Nguyên vẹn; chứng thư số tin cậy; chưa kiểm tra được tình trạng thu hồi vì không (có mạng|kết nối được nơi tra cứu)/);
  assert.equal(await card.getByTestId('signature-reasons').count(), 0, 'nothing is listed as a failure');

  // Tiếp nhận: the portal's scan says nothing the register needs (its signer is the portal), so
  // the form asks for it before the số đến; then số đến 01 in the stamp.
  await panel.getByTestId('incoming-accept').click();
  const acceptDialog = page.getByTestId('accept-dialog');
  await acceptDialog.waitFor(WAIT);
  assert.match(await acceptDialog.getByTestId('accept-missing').innerText(), /^Cần nhập: Số, ký hiệu, Ngày văn bản, Cơ quan ban hành, Loại văn bản, Trích yếu nội dung\.$/);
  await acceptDialog.getByTestId('accept-notation').fill('729/QĐ-TTg');
  await acceptDialog.getByTestId('accept-date').locator('input').fill('23/04/2026');
  await acceptDialog.getByTestId('accept-agency').fill('Thủ tướng Chính phủ');
  await acceptDialog.getByTestId('accept-type').selectOption('QD');
  await acceptDialog.getByTestId('accept-subject').fill('Phê duyệt Đề án');
  await acceptDialog.getByTestId('accept-submit').click();
  await acceptDialog.waitFor({ state: 'detached', ...WAIT });
  await panel.locator('[data-testid="incoming-number"]:text-is("01")').waitFor(WAIT);
  await panel.locator('[data-testid="incoming-state"]:text-is("Đã vào sổ")').waitFor(WAIT);
  assert.match(await panel.getByTestId('incoming-notice').innerText(), /số đến 01/);

  // Giao xử lý: the directory is empty, so the dialog offers to add a handler at once.
  await panel.getByTestId('incoming-assign').click();
  const assign = page.getByTestId('assign-dialog');
  await assign.waitFor(WAIT);
  await assign.getByTestId('add-handler').waitFor(WAIT);
  await assign.getByTestId('handler-name').fill(HANDLER);
  await assign.getByTestId('handler-unit').fill('Phòng Tư pháp');
  await assign.getByTestId('handler-save').click();
  await assign.getByTestId('add-handler').waitFor({ state: 'detached', ...WAIT });
  assert.match(await assign.getByTestId('assign-handler').locator('option:checked').innerText(), new RegExp(HANDLER));
  const due = formatDateVn(vnDate(new Date(Date.now() + 10 * 86_400_000)));
  await assign.getByTestId('assign-due').locator('input').fill(due);
  await assign.getByTestId('assign-note').fill('Đề nghị tham mưu triển khai.');
  await assign.getByTestId('assign-submit').click();
  await assign.waitFor({ state: 'detached', ...WAIT });
  await panel.locator('[data-testid="incoming-state"]:text-is("Đã giao xử lý")').waitFor(WAIT);
  assert.match(await panel.getByTestId('incoming-handler').innerText(), new RegExp(HANDLER));
  assert.equal(await panel.getByTestId('incoming-due').innerText(), due);
  // Imported by hand, not over the axis: no sender to answer, but the history keeps both steps.
  const history = await panel.innerText();
  assert.match(history, /Tiếp nhận, vào sổ văn bản đến: số đến 01/);
  assert.match(history, new RegExp(`Chuyển xử lý: ${HANDLER}, hạn giải quyết ${due.replaceAll('/', '\\/')}`));

  // The "Đã giao xử lý" tab lists it, with its handler and due date.
  await view.getByTestId('incoming-filter-assigned').click();
  await view.locator('[data-testid="incoming-count-assigned"]:text-is("1")').waitFor(WAIT);
  const assignedRow = view.locator(`[data-testid="incoming-row"][data-doc-id="${document.id}"][data-state="assigned"]`);
  await assignedRow.waitFor(WAIT);
  const rowText = await assignedRow.innerText();
  assert.match(rowText, new RegExp(HANDLER));
  assert.match(rowText, new RegExp(due.replaceAll('/', '\\/')));
  assert.match(await assignedRow.getByTestId('incoming-row-number').innerText(), /^01$/);

  const shot = path.join(work, 'incoming-assigned.png');
  await page.screenshot({ path: shot });
  const png = fs.readFileSync(shot);
  assert.ok(png.length > 1000, `a real screenshot, not ${png.length} bytes`);
  assert.deepEqual(pageErrors, []);
});
