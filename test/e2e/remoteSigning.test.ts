/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end: the leader signs an outgoing draft from the phone (VNPT SmartCA, against the
// reference remote signing service, whose HSM is a SoftHSM token of its own), in Debian's Chromium
// against the loopback web host. The picker shows the token's certificates and the phone identity
// side by side, and says at once that a CSC service that is down cannot be asked; the phone asks
// no PIN here; while the phone has not confirmed, a panel shows what the phone shows, how many
// documents and a countdown; approved on the phone, the draft is signed (pdfsig finds it valid);
// refused on the phone, or cancelled with "Hủy", the refusal is said and the draft is unchanged.
// Signing as the agency, the picker offers the agency's phone identity beside its token — not the
// leader's phone —, and the agency's signature made on the phone is valid too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { contract } from '../../main/common/contract.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { writeSealedSecret } from '../../main/core/secrets/sealedFile.js';
import { remoteSecretName } from '../../main/core/signing/remote/services.js';
import { makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { createTestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig } from '../support/pdfsig.js';
import { layoutProblems } from '../support/layout.js';
import { startRemoteSigner } from '../remoteSigner/server.js';
import { nextPhoneRequest } from '../support/remotePhone.js';
import { closedPort } from '../support/ports.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const LABEL = 'Token UBND xã Thử Nghiệm';
const ACCOUNT = '079123456789'; // the reference service's SmartCA user: Nguyễn Văn An
const PHONE_OPTION = `remote:smartca:${ACCOUNT}/smartca-an`;
const AGENCY = 'UBND xã Thử Nghiệm';
const AGENCY_ACCOUNT = 'ubnd-thunghiem'; // and the agency, whose key is the provider HSM's agency key
const AGENCY_OPTION = `remote:smartca:${AGENCY_ACCOUNT}/smartca-agency`;

async function newDraft(core: Core, subject: string): Promise<number> {
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', `Về việc ${subject}`]);
  // Through the contract's parser, as the API takes it: the defaults filled in.
  const draft = await core.handlers['outgoing.create'](contract['outgoing.create'].input.parse({
    fileName: `${subject}.pdf`,
    bytes,
    details: { typeCode: 'QD', subject, signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['Lưu: VT'], recipientCodes: ['000.00.00.H41'], priority: 'normal', copies: 2, archiveHolder: '' },
  }));
  return draft.document.id;
}

/** A document imported into the register (no draft of eOffice's): the agency may sign it from the pane. */
async function imported(core: Core, subject: string): Promise<number> {
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'BÁO CÁO', `V/v ${subject}`]);
  return (await core.handlers['documents.import'](contract['documents.import'].input.parse({ direction: 'out', fileName: `${subject}.pdf`, bytes }))).document.id;
}

function fileOf(core: Core, id: number): string {
  return (core.db.prepare('SELECT file_sha256 FROM documents WHERE id = ?').get(id) as { file_sha256: string }).file_sha256;
}

async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

/** Opens the draft in the pane, ready for the leader's signature at a spot on the preview. */
async function openAndPlace(page: Page, subject: string) {
  await page.getByTestId('doc-row').filter({ hasText: subject }).click();
  await page.locator('[data-testid="issuing-panel"][data-state="draft"]').waitFor({ timeout: 60_000 });
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  const pane = page.getByTestId('doc-pane');
  await pane.getByTestId('sign-certificate').selectOption(PHONE_OPTION);
  await pane.getByTestId('place-signature').click();
  const box = (await page.locator('[data-testid="pdf-preview"] canvas').boundingBox())!;
  await page.getByTestId('placement-layer').click({ position: { x: box.width * 0.68, y: box.height * 0.42 } });
  return pane;
}


test('the leader signs a draft on the phone: picker, waiting panel, approval; a refusal and a cancel leave the draft as it was; the agency signs from its own phone identity', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  // The tokens first: SoftHSM reads its configuration when the core first loads it. The
  // provider's HSM is a token of its own, in the same SoftHSM configuration, so this PC's token
  // service lists it too: its options are left out where the picker's are counted.
  const token = await createTestToken({ label: LABEL });
  const providerHsm = await createTestToken({ label: 'Provider HSM' });
  const clientSecret = randomBytes(18).toString('base64url');
  const service = await startRemoteSigner({ token: providerHsm, clientSecret, apPassword: randomBytes(12).toString('base64url') });
  const dataDir = tempDir('eoffice-e2e-remote-');
  const settings = createFileSettings(dataDir);
  settings.update({
    tokenModules: [token.modulePath],
    remoteSigners: {
      smartca: { baseUrl: `${service.url}/smartca`, clientId: 'eoffice-test', accounts: [ACCOUNT, AGENCY_ACCOUNT] },
      csc: [{ name: 'down', baseUrl: `http://127.0.0.1:${await closedPort()}/csc/v2`, clientId: 'eoffice-test', userId: '' }],
      mss: null,
    },
  });
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu', settings, tokens: { pollIntervalMs: 300 } });
  writeSealedSecret(dataDir, remoteSecretName('smartca'), core.secrets, clientSecret);
  writeSealedSecret(dataDir, remoteSecretName('csc', 'down'), core.secrets, clientSecret);
  await core.handlers['agency.update']({ code: '000.00.32.H41', name: AGENCY, abbreviation: 'UBND' });
  const approvedId = await newDraft(core, 'ký trên điện thoại');
  const refusedId = await newDraft(core, 'từ chối trên điện thoại');
  const agencySignedId = await imported(core, 'ký số cơ quan trên điện thoại');
  const tokenSeal = new X509Certificate(token.agencyCertDer).fingerprint256;
  const { host, launchBrowser } = await serveApp(t, core, async () => {
    await service.close();
    token.cleanup();
    providerHsm.cleanup();
  });

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  const apiBodies: string[] = [];
  page.on('request', (r) => r.url().includes('/api/') && apiBodies.push(r.postData() ?? ''));
  await page.goto(host.url);
  await page.locator(`[data-testid="token-item"][data-label="${LABEL}"]`).waitFor({ timeout: 30_000 });
  await page.getByTestId('tab-out').click();

  // The picker: the token's certificates and the phone side by side; the CSC service that is
  // down is said at once, and the token's certificates stay usable.
  const pane = await openAndPlace(page, 'ký trên điện thoại');
  const options = await pane.getByTestId('sign-certificate').locator('option').evaluateAll((all) =>
    all.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '', disabled: (o as HTMLOptionElement).disabled, group: o.parentElement?.getAttribute('label') ?? null })),
  );
  const phone = options.find((o) => o.value === PHONE_OPTION);
  assert.deepEqual(phone, { value: PHONE_OPTION, text: 'Nguyễn Văn An — Ký qua điện thoại — VNPT SmartCA', disabled: false, group: 'Ký qua điện thoại' });
  const onToken = options.filter((o) => o.text.includes(`(${LABEL})`));
  assert.equal(onToken.length, 2, JSON.stringify(options));
  assert.ok(onToken.every((o) => !o.disabled && o.group === null), 'the token’s certificates stay usable');
  const problem = pane.getByTestId('signer-problem');
  assert.equal(await problem.innerText(), 'CSC: down: Không kết nối được dịch vụ ký số từ xa. Kiểm tra mạng, hoặc ký bằng token.');
  assert.match(await pane.getByTestId('remote-signer-facts').innerText(), /^Xác nhận trên điện thoại \(VNPT SmartCA\), không cần PIN/);
  await pane.getByTestId('sign-panel').evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'e2e-remote-picker.png');

  // Signing: no PIN asked; the panel waits for the phone, shows its text, the count and the time left.
  const handled = new Set<string>();
  await pane.getByTestId('sign-button').click();
  const waiting = pane.getByTestId('phone-waiting');
  await waiting.waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('pin-input').count(), 0, 'the phone asks, not a PIN field');
  const request = await nextPhoneRequest(service, handled);
  assert.match(await waiting.innerText(), /Đang chờ xác nhận trên điện thoại/);
  assert.equal(await pane.getByTestId('phone-display').innerText(), request.display);
  assert.match(await waiting.innerText(), /1 văn bản/);
  const countdown = pane.getByTestId('phone-countdown');
  const first = await countdown.innerText();
  const [, minutes, seconds] = /^Còn (\d\d):(\d\d)$/.exec(first) ?? assert.fail(`countdown "${first}"`);
  const left = Number(minutes) * 60 + Number(seconds);
  assert.ok(left > 0 && left <= 300, `${left} s left of the service's 300`);
  // It counts down.
  await page.waitForFunction((before) => document.querySelector('[data-testid="phone-countdown"]')?.textContent !== before, first, { timeout: 30_000 });
  await waiting.evaluate((panel) => panel.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'e2e-remote-waiting-1366.png');
  await page.setViewportSize({ width: 1024, height: 600 });
  await waiting.evaluate((panel) => panel.scrollIntoView({ block: 'center' }));
  assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], '1024×600: nothing cut in the pane');
  await screenshot(page, 'e2e-remote-waiting-1024.png');
  // In English too.
  await page.locator('.language-switcher button[lang="en"]').click();
  await waiting.filter({ hasText: 'Waiting for confirmation on the phone' }).waitFor();
  assert.match(await countdown.innerText(), /^\d\d:\d\d left$/);
  assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], '1024×600, English: nothing cut in the pane');
  await screenshot(page, 'e2e-remote-waiting-1024-en.png');
  await page.locator('.language-switcher button[lang="vi"]').click();
  await waiting.filter({ hasText: 'Đang chờ xác nhận trên điện thoại' }).waitFor();
  await page.setViewportSize({ width: 1366, height: 768 });

  // Approved on the phone: signed, valid for pdfsig with the provider's CA.
  await service.control.approve(request.id);
  const approved = page.locator(`[data-testid="sign-result"][data-doc-id="${approvedId}"]`);
  await approved.waitFor({ timeout: 60_000 });
  assert.equal(await approved.getAttribute('data-status'), 'signed', await approved.innerText());
  await page.locator('[data-testid="issuing-panel"][data-state="signed"]').waitFor({ timeout: 60_000 });
  assert.equal(await waiting.count(), 0, 'the waiting panel is gone');
  const signedFile = path.join(tempDir(), 'signed-on-phone.pdf');
  fs.writeFileSync(signedFile, (await core.handlers['documents.content']({ id: approvedId })).bytes);
  // The agency's seal field waits, unsigned, for issuing: only the signed fields are looked at.
  const signatures = pdfsig(signedFile, nssTrusting([providerHsm.caCertPem])).filter((s) => s.commonName !== '');
  assert.deepEqual(signatures.map((s) => [s.commonName, s.validation, s.certificate]), [['Nguyễn Văn An', 'Signature is Valid.', 'Certificate is Trusted.']]);
  await screenshot(page, 'e2e-remote-signed.png');

  // Refused on the phone: the refusal is said; the draft is as it was.
  const before = fileOf(core, refusedId);
  const refusedPane = await openAndPlace(page, 'từ chối trên điện thoại');
  await refusedPane.getByTestId('sign-button').click();
  await refusedPane.getByTestId('phone-waiting').waitFor({ timeout: 60_000 });
  service.control.refuse((await nextPhoneRequest(service, handled)).id);
  const refused = page.locator(`[data-testid="sign-result"][data-doc-id="${refusedId}"]`);
  await refused.waitFor({ timeout: 60_000 });
  assert.equal(await refused.getAttribute('data-status'), 'failed');
  assert.match(await refused.innerText(), /Người ký đã từ chối trên điện thoại\. Văn bản vẫn như trước khi ký\./);
  await refused.evaluate((result) => result.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'e2e-remote-refused.png');
  assert.equal(fileOf(core, refusedId), before, 'the refused draft’s file is unchanged');
  assert.equal((await core.handlers['outgoing.get']({ id: refusedId })).document.state, 'draft');

  // Cancelled here with "Hủy": the request is withdrawn, the draft still unchanged.
  await refusedPane.getByTestId('sign-button').click();
  await refusedPane.getByTestId('phone-waiting').waitFor({ timeout: 60_000 });
  await nextPhoneRequest(service, handled);
  await refusedPane.getByTestId('phone-cancel').click();
  await page.locator(`[data-testid="sign-result"][data-doc-id="${refusedId}"]`).filter({ hasText: 'Đã hủy yêu cầu ký. Văn bản vẫn như trước khi ký.' }).waitFor({ timeout: 60_000 });
  assert.equal(fileOf(core, refusedId), before, 'the cancelled draft’s file is unchanged');
  assert.equal((await core.handlers['outgoing.get']({ id: refusedId })).document.state, 'draft');

  // As the agency, on a document imported into the register (an eOffice draft gets the agency's
  // signature when issued, see remoteIssuing): its phone identity beside its token, not the leader's phone.
  await page.locator(`[data-testid="doc-row"][data-doc-id="${agencySignedId}"]`).click();
  await page.waitForSelector('[data-testid="pdf-preview"][data-rendered="true"]', { timeout: 60_000 });
  // The sign panel's own: the pane's issue section has a picker and a note of its own.
  const agencyPane = page.getByTestId('doc-pane').getByTestId('sign-panel');
  const picker = agencyPane.getByTestId('sign-certificate');
  const offered = async () =>
    (await picker.locator('option').evaluateAll((all) => all.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '', disabled: (o as HTMLOptionElement).disabled }))))
      .filter((o) => !o.text.includes('(Provider HSM)'));
  const agencyOptions = [
    { value: tokenSeal, text: `${AGENCY} (${LABEL})`, disabled: false },
    { value: AGENCY_OPTION, text: `${AGENCY} — Ký qua điện thoại — VNPT SmartCA`, disabled: false },
  ];
  // The competent person's picker offers both phone identities.
  await picker.locator(`option[value="${AGENCY_OPTION}"]`).waitFor({ state: 'attached', timeout: 30_000 });
  assert.deepEqual((await offered()).filter((o) => o.value.startsWith('remote:')).map((o) => o.value), [PHONE_OPTION, AGENCY_OPTION]);
  for (const role of ['attachment', 'agency'] as const) {
    await agencyPane.getByTestId(`sign-role-${role}`).check();
    await picker.locator(`option[value="${PHONE_OPTION}"]`).waitFor({ state: 'detached' });
    assert.deepEqual(await offered(), agencyOptions, role);
  }
  assert.match(await agencyPane.getByTestId('agency-certificate-note').innerText(), /^Không hiện \d chứng thư: chứng thư số của cá nhân/);
  // A token's agency certificate is suggested first, as before (this token's or the provider
  // HSM's, whichever the token service lists first); the phone when chosen.
  assert.ok([tokenSeal, new X509Certificate(providerHsm.agencyCertDer).fingerprint256].includes(await picker.inputValue()), await picker.inputValue());
  await picker.selectOption(AGENCY_OPTION);
  assert.match(await agencyPane.getByTestId('remote-signer-facts').innerText(), /^Xác nhận trên điện thoại \(VNPT SmartCA\), không cần PIN/);
  await agencyPane.getByTestId('place-signature').click();
  const sealBox = (await page.locator('[data-testid="pdf-preview"] canvas').boundingBox())!;
  await page.getByTestId('placement-layer').click({ position: { x: sealBox.width * 0.55, y: sealBox.height * 0.8 } });
  await picker.evaluate((select) => select.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'e2e-remote-agency-picker.png');
  const unsignedFile = fileOf(core, agencySignedId);
  await agencyPane.getByTestId('sign-button').click();
  await agencyPane.getByTestId('phone-waiting').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('pin-input').count(), 0, 'the phone asks, not a PIN field');
  const agencyRequest = await nextPhoneRequest(service, handled);
  assert.equal(await agencyPane.getByTestId('phone-display').innerText(), agencyRequest.display);
  assert.equal(fileOf(core, agencySignedId), unsignedFile, 'unchanged while the phone has not confirmed');
  await service.control.approve(agencyRequest.id);
  const agencySigned = page.locator(`[data-testid="sign-result"][data-doc-id="${agencySignedId}"]`);
  await agencySigned.waitFor({ timeout: 60_000 });
  assert.equal(await agencySigned.getAttribute('data-status'), 'signed', await agencySigned.innerText());
  assert.notEqual(fileOf(core, agencySignedId), unsignedFile);
  const agencyFile = path.join(tempDir(), 'agency-on-phone.pdf');
  fs.writeFileSync(agencyFile, (await core.handlers['documents.content']({ id: agencySignedId })).bytes);
  assert.deepEqual(
    pdfsig(agencyFile, nssTrusting([providerHsm.caCertPem])).map((s) => [s.commonName, s.validation, s.certificate]),
    [[AGENCY, 'Signature is Valid.', 'Certificate is Trusted.']],
  );
  // The pane shows the signed file: its badge, then the preview drawn again.
  await page.locator('.pane-badges .state-badge').filter({ hasText: 'Đã ký số' }).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="pdf-preview"] .pdf-frame')?.getAttribute('aria-busy') === 'false', undefined, { timeout: 60_000 });
  await agencySigned.evaluate((result) => result.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'e2e-remote-agency-signed.png');

  assert.ok(!apiBodies.some((b) => b.includes(clientSecret)), 'the service’s secret never reaches the browser');
  assert.deepEqual(consoleErrors, []);
});
