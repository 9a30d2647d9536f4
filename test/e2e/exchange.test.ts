/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end: a commune's clerk watches an issued document wait for the axis while it cannot be
// reached, then leave once it can. The document is issued through the API on a real PKCS#11
// token (SoftHSM2), with the axis set to a port where nothing listens; in Debian's Chromium the
// header says offline after "Gửi ngay" and the queue row says why and when it will try again.
// Then the reference axis starts on that port, "Gửi ngay" sends it, the header says online, and
// the issuing panel shows the recipient reached. The axis dialog never shows the stored secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';
import { createTestToken } from '../support/softhsm.js';
import { sealImage, signatureImage } from '../support/png.js';
import { startAxisServer, type AxisServer } from '../axis/server.js';

const LABEL = 'Token UBND xã Liên Thông';
// The token's certificates: the leader's (RSA) and the agency's (ECDSA), see test/support/softhsm.ts.
const SIGNER = 'Nguyễn Văn An';
const COMMUNE = { code: '000.00.21.H99', name: 'UBND xã Thử Nghiệm', systemId: 'xa-thu-nghiem', secret: 'bí-mật-của-xã-7f3a9c' };
const DISTRICT = { code: '000.00.00.H41', name: 'UBND huyện Thử Nghiệm', systemId: 'huyen-thu-nghiem', secret: 'bi-mat-cua-huyen-21d0' };
const NOTATION = '01/QĐ-UBND';
const WAIT = { timeout: 60_000 };

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

/** A loopback port nobody listens on (for now): the axis is "offline" until it starts there. */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The one queue row, once its state and its attempts are as expected. */
async function queueRow(page: Page, state: string, attempts: number) {
  const row = page.locator(`[data-testid="queue-row"][data-state="${state}"]`).filter({ has: page.locator(`[data-testid="queue-attempts"]:text-is("${attempts}")`) });
  await row.waitFor(WAIT);
  return row;
}

test('an issued document waits while the axis is offline, says why, and is sent once the axis answers', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  // The token first: SoftHSM reads its configuration when the core first loads it.
  const token = await createTestToken({ label: LABEL });
  const dataDir = tempDir('eoffice-e2e-exchange-');
  const work = tempDir('eoffice-e2e-exchange-out-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu', settings, tokens: { pollIntervalMs: 300 } });
  let axis: AxisServer | undefined;
  const { host, launchBrowser } = await serveApp(t, core, async () => {
    await axis?.close();
    token.cleanup();
  });

  // Issued through the API as the issuing tests do: draft, the leader's signature, number, the agency's seal.
  await api(core, 'agency.update', { code: COMMUNE.code, name: COMMUNE.name, abbreviation: 'UBND' });
  await api(core, 'tokens.setImage', { fingerprint256: new X509Certificate(token.signerCertDer).fingerprint256, kind: 'signature', png: signatureImage() });
  await api(core, 'tokens.setImage', { fingerprint256: new X509Certificate(token.agencyCertDer).fingerprint256, kind: 'seal', png: sealImage() });
  await api(core, 'tokens.login', { label: LABEL, pin: token.userPin });
  const pdf = await makeVietnamesePdf([
    'ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM',
    'Số:          /QĐ-UBND',
    'Thử Nghiệm, ngày        tháng        năm 2026',
    'QUYẾT ĐỊNH',
    'Về việc kiện toàn Ban chỉ đạo chuyển đổi số xã',
    'Điều 1. Quyết định này có hiệu lực kể từ ngày ký.',
  ]);
  const draft = await api(core, 'outgoing.create', {
    fileName: 'quyet-dinh-chuyen-doi-so.pdf',
    bytes: pdf,
    details: {
      typeCode: 'QD',
      subject: 'Về việc kiện toàn Ban chỉ đạo chuyển đổi số xã',
      signerName: SIGNER,
      signerPosition: 'CHỦ TỊCH',
      signerCompetence: 'TM.',
      recipients: [DISTRICT.name, 'Lưu: VT'],
      recipientCodes: [DISTRICT.code],
    },
  });
  const documentId = draft.document.id;
  const signed = await api(core, 'documents.sign', {
    ids: [documentId],
    label: LABEL,
    certificateId: token.ids.signer,
    appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] },
  });
  assert.equal(signed.results[0]!.status, 'signed', JSON.stringify(signed.results[0]));
  await api(core, 'outgoing.number', { id: documentId });
  // Another signing act: the login above served the leader's signature, so the PIN comes again.
  const issued = await api(core, 'outgoing.issue', { id: documentId, label: LABEL, certificateId: token.ids.agency, pin: token.userPin });
  assert.equal(issued.document.state, 'queued');
  assert.equal(issued.document.notation, NOTATION);

  // The axis is configured, but nothing listens at its address yet.
  const port = await unusedPort();
  await api(core, 'exchange.setAxis', { endpoint: `http://127.0.0.1:${port}/vxp/`, systemId: COMMUNE.systemId, secret: COMMUNE.secret });

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(host.url);

  // No pass has run: the header is still finding out, and counts the document waiting.
  const indicator = page.getByTestId('connection-indicator');
  await indicator.waitFor(WAIT);
  assert.equal(await indicator.getAttribute('data-connection'), 'unknown');
  assert.equal(await page.getByTestId('connection-label').innerText(), 'Đang kiểm tra');
  await page.getByTestId('connection-waiting').filter({ hasText: '1 chờ gửi' }).waitFor(WAIT);

  // The indicator opens Liên thông văn bản; the queue holds the issued document, not yet tried.
  await indicator.click();
  const view = page.getByTestId('exchange-view');
  await view.waitFor(WAIT);
  const waiting = await queueRow(page, 'queued', 0);
  assert.match(await waiting.innerText(), new RegExp(`gửi\\s+${NOTATION}`));
  assert.match(await waiting.innerText(), /kiện toàn Ban chỉ đạo chuyển đổi số/);
  assert.match(await waiting.innerText(), new RegExp(DISTRICT.code.replaceAll('.', '\\.')));
  assert.equal(await view.getByTestId('summary-waiting').locator('dd').innerText(), '1');

  // "Gửi ngay" with the axis unreachable: offline, the row keeps the document with the reason and the next try.
  await view.getByTestId('sync-now').click();
  await page.locator('[data-testid="connection-indicator"][data-connection="offline"]').waitFor(WAIT);
  assert.equal(await page.getByTestId('connection-label').innerText(), 'Ngoại tuyến');
  const failedOnce = await queueRow(page, 'queued', 1);
  assert.equal(await failedOnce.getByTestId('queue-state').innerText(), 'Chờ gửi');
  const lastError = await failedOnce.getByTestId('queue-last-error').innerText();
  assert.match(lastError, /Chưa gửi được, sẽ tự thử lại/, 'the kind of failure, in words');
  assert.match(lastError, new RegExp(`127\\.0\\.0\\.1:${port}`), 'and the technical reason, visible in the row');
  assert.match(await failedOnce.getByTestId('queue-next-attempt').innerText(), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  assert.match(await view.getByTestId('pass-summary').innerText(), /Đã gửi 0 · đã nhận 0 · lỗi 1/);
  await view.locator('[data-testid="connection-banner"][data-connection="offline"]').waitFor(WAIT);
  assert.match(await view.getByTestId('summary-nextAttempt').locator('dd').innerText(), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  assert.ok(await failedOnce.getByTestId('queue-retry').isEnabled(), 'a waiting document can be retried by hand');
  await page.screenshot({ path: path.join(work, 'exchange-offline.png') });

  // The axis comes up on that very port: "Gửi ngay" sends the document and the header says online.
  axis = await startAxisServer({ port, dbPath: path.join(work, 'axis.db'), agencies: [COMMUNE, DISTRICT] });
  await view.getByTestId('sync-now').click();
  await page.locator('[data-testid="connection-indicator"][data-connection="online"]').waitFor(WAIT);
  assert.equal(await page.getByTestId('connection-label').innerText(), 'Trực tuyến');
  await view.getByTestId('pass-summary').filter({ hasText: 'Đã gửi 1 · đã nhận 0 · lỗi 0' }).waitFor(WAIT);
  await view.getByTestId('queue-empty').waitFor(WAIT);
  assert.equal(await page.getByTestId('connection-waiting').count(), 0, 'nothing waits any more');
  assert.equal(axis.stats().messagesStored, 1, 'the axis holds the package');

  // Shown with what was sent, the row says "Đã gửi", after two attempts.
  await view.getByTestId('queue-include-sent').check();
  const sent = await queueRow(page, 'sent', 2);
  assert.match(await sent.getByTestId('queue-state').innerText(), /^Đã gửi/);
  assert.equal(await sent.getByTestId('queue-retry').count(), 0, 'nothing to retry once sent');
  assert.equal(await view.getByTestId('summary-sentToday').locator('dd').innerText(), '1');
  // Nothing came the other way: the second tab says so.
  await view.getByTestId('exchange-tab-received').click();
  await view.getByText('Chưa nhận được văn bản nào qua trục.').waitFor(WAIT);
  await view.getByTestId('exchange-tab-queue').click();
  assert.equal(await view.getByTestId('queue-include-sent').isChecked(), true, 'the choice outlived the other tab');

  // The notation opens the document; its issuing panel lists the district as reached.
  await sent.getByRole('button', { name: NOTATION }).click();
  const delivery = page.locator(`[data-testid="delivery"][data-code="${DISTRICT.code}"][data-state="sent"]`);
  await delivery.waitFor(WAIT);
  assert.equal(await delivery.getByTestId('delivery-state').innerText(), 'Đã gửi lên trục');
  await delivery.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(work, 'exchange-deliveries.png') });

  // The axis dialog, from the sidebar's link to the exchange view: the secret stays hidden, "đã lưu" says it is there.
  await page.getByTestId('open-exchange').click();
  await view.getByTestId('open-axis-settings').click();
  const dialog = page.getByTestId('axis-dialog');
  await dialog.getByTestId('axis-secret-saved').waitFor(WAIT);
  assert.equal(await dialog.getByTestId('axis-secret-saved').innerText(), 'đã lưu');
  assert.equal(await dialog.getByTestId('axis-secret').inputValue(), '');
  assert.equal(await dialog.getByTestId('axis-secret').getAttribute('type'), 'password');
  assert.equal(await dialog.getByTestId('axis-endpoint').inputValue(), `http://127.0.0.1:${port}/vxp/`);
  assert.equal(await dialog.getByTestId('axis-system-id').inputValue(), COMMUNE.systemId);
  assert.equal((await page.content()).includes(COMMUNE.secret), false, 'the secret is nowhere in the page');

  const shot = path.join(work, 'exchange-axis-dialog.png');
  await page.screenshot({ path: shot });
  const png = fs.readFileSync(shot);
  assert.ok(png.length > 1000, `a real screenshot, not ${png.length} bytes`);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');

  assert.deepEqual(pageErrors, []);
});
