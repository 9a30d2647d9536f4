/// <reference lib="dom" />
// (The callbacks given to page.evaluate run in the browser, hence the DOM types.)
// End to end: the clerk issues a signed draft with the agency's seal held by a remote signing
// service (VNPT SmartCA, against the reference service, whose HSM is a SoftHSM token of its own),
// in Debian's Chromium against the loopback web host. The seal's choice offers the agency's
// certificate on the token and the agency's phone identity side by side — neither the leader's
// certificate nor the leader's phone —, and says at once that a CSC service that is down cannot be
// asked. The phone asks no PIN here; while it has not confirmed, a panel shows what the phone
// shows and a countdown, and the draft has no number; approved, the document is numbered, sealed
// (pdfsig finds both signatures valid) and queued. Refused, expired or cancelled with "Hủy", the
// outcome is said and the document stays signed, unnumbered and unchanged; the token still issues it.
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
import { decisionDraftPdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { nssTrusting, pdfsig } from '../support/pdfsig.js';
import { layoutProblems } from '../support/layout.js';
import { startRemoteSigner } from '../remoteSigner/server.js';
import { nextPhoneRequest } from '../support/remotePhone.js';
import { closedPort } from '../support/ports.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const LABEL = 'Token UBND xã Thử Nghiệm';
const AGENCY = 'UBND xã Thử Nghiệm';
const LEADER_ACCOUNT = '079123456789'; // the reference service's SmartCA user: Nguyễn Văn An
const AGENCY_ACCOUNT = 'ubnd-thunghiem'; // and the agency, whose key is the provider HSM's agency key
const SEAL_OPTION = `remote:smartca:${AGENCY_ACCOUNT}/smartca-agency`;
const NOTATION = '01/QĐ-UBND';

/** A draft the leader has signed with the token's personal certificate: ready to number and issue. */
async function signedDraft(core: Core, token: TestToken, subject: string): Promise<number> {
  const bytes = await decisionDraftPdf(subject);
  // Through the contract's parser, as the API takes it: the defaults filled in.
  const draft = await core.handlers['outgoing.create'](contract['outgoing.create'].input.parse({
    fileName: `${subject}.pdf`,
    bytes,
    details: { typeCode: 'QD', subject, signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['Lưu: VT'], recipientCodes: ['000.00.00.H41'], priority: 'normal', copies: 2, archiveHolder: '' },
  }));
  const id = draft.document.id;
  const { results } = await core.handlers['documents.sign'](contract['documents.sign'].input.parse({
    ids: [id],
    signer: { kind: 'token', label: LABEL, certificateId: token.ids.signer },
    pin: token.userPin,
    appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] },
  }));
  assert.deepEqual(results.map((r) => r.status), ['signed'], JSON.stringify(results));
  return id;
}

function rowOf(core: Core, id: number) {
  return core.db.prepare('SELECT state, number, file_sha256 FROM documents WHERE id = ?').get(id) as { state: string; number: number | null; file_sha256: string };
}

async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}


test('the clerk issues with the agency seal on the phone: picker, waiting panel, number only once approved; refused, expired and cancelled leave it unnumbered', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  // The tokens first: SoftHSM reads its configuration when the core first loads it. The
  // provider's HSM is a token of its own (the same SoftHSM shows it here too: its options are not looked at).
  const token = await createTestToken({ label: LABEL });
  const providerHsm = await createTestToken({ label: 'Provider HSM' });
  const clientSecret = randomBytes(18).toString('base64url');
  const service = await startRemoteSigner({ token: providerHsm, clientSecret, apPassword: randomBytes(12).toString('base64url') });
  const dataDir = tempDir('eoffice-e2e-remote-issue-');
  const settings = createFileSettings(dataDir);
  settings.update({
    tokenModules: [token.modulePath],
    remoteSigners: {
      smartca: { baseUrl: `${service.url}/smartca`, clientId: 'eoffice-test', accounts: [LEADER_ACCOUNT, AGENCY_ACCOUNT] },
      csc: [{ name: 'down', baseUrl: `http://127.0.0.1:${await closedPort()}/csc/v2`, clientId: 'eoffice-test', userId: '' }],
      mss: null,
    },
  });
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu', settings, tokens: { pollIntervalMs: 300 } });
  writeSealedSecret(dataDir, remoteSecretName('smartca'), core.secrets, clientSecret);
  writeSealedSecret(dataDir, remoteSecretName('csc', 'down'), core.secrets, clientSecret);
  await core.handlers['agency.update']({ code: '000.00.32.H41', name: AGENCY, abbreviation: 'UBND' });
  const approvedId = await signedDraft(core, token, 'đóng dấu trên điện thoại');
  const refusedId = await signedDraft(core, token, 'từ chối đóng dấu trên điện thoại');
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
  const pane = page.getByTestId('doc-pane');
  const section = pane.getByTestId('issue-section');
  const handled = new Set<string>();

  async function open(id: number) {
    await page.locator(`[data-testid="doc-row"][data-doc-id="${id}"]`).click();
    await page.locator('[data-testid="issuing-panel"][data-state="signed"]').waitFor({ timeout: 60_000 });
    await section.locator(`[data-testid="issue-certificate"] option[value="${SEAL_OPTION}"]`).waitFor({ state: 'attached', timeout: 30_000 });
  }

  /** Chooses the agency's phone identity, confirms, and returns the request the phone got. */
  async function issueOnPhone() {
    await section.getByTestId('issue-certificate').selectOption(SEAL_OPTION);
    await section.getByTestId('issue-button').click();
    await page.getByTestId('confirm-dialog').getByTestId('confirm-submit').click();
    await section.getByTestId('phone-waiting').waitFor({ timeout: 60_000 });
    return nextPhoneRequest(service, handled);
  }

  // The seal's choice: the agency's certificate on the token and the agency's phone identity, side
  // by side; the leader's certificate and phone are not there. The service that is down is said at once.
  await open(approvedId);
  const options = await section.getByTestId('issue-certificate').locator('option').evaluateAll((all) =>
    all.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '', disabled: (o as HTMLOptionElement).disabled, group: o.parentElement?.getAttribute('label') ?? null })),
  );
  assert.deepEqual(options.filter((o) => !o.text.includes('(Provider HSM)')), [
    { value: tokenSeal, text: `${AGENCY} (${LABEL})`, disabled: false, group: null },
    { value: SEAL_OPTION, text: `${AGENCY} — Ký qua điện thoại — VNPT SmartCA`, disabled: false, group: 'Ký qua điện thoại' },
  ]);
  // The leader's, on the tokens and on the phone: personal, so left out, and the note says so.
  assert.ok(!options.some((o) => o.text.includes('Nguyễn Văn An')), JSON.stringify(options));
  assert.match(await section.getByTestId('agency-certificate-note').innerText(), /^Không hiện \d chứng thư: chứng thư số của cá nhân/);
  assert.equal(await section.getByTestId('issue-signer-problem').innerText(), 'CSC: down: Không kết nối được dịch vụ ký số từ xa. Kiểm tra mạng, hoặc ký bằng token.');
  await section.getByTestId('issue-certificate').selectOption(SEAL_OPTION);
  assert.match(await section.getByTestId('issue-remote-facts').innerText(), /^Xác nhận trên điện thoại \(VNPT SmartCA\), không cần PIN/);
  await section.evaluate((s) => s.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'e2e-remote-issue-picker.png');

  // Issuing: the confirmation names the agency's certificate; then no PIN, the panel waits for the phone.
  await section.getByTestId('issue-button').click();
  const confirm = page.getByTestId('confirm-dialog');
  assert.match(await confirm.locator('.modal-lead').innerText(), new RegExp(`eOffice sẽ cấp số ${NOTATION}.*bằng chứng thư “${AGENCY}”`));
  await confirm.getByTestId('confirm-submit').click();
  const waiting = section.getByTestId('phone-waiting');
  await waiting.waitFor({ timeout: 60_000 });
  const request = await nextPhoneRequest(service, handled);
  assert.equal(await page.getByTestId('pin-input').count(), 0, 'the phone asks, not a PIN field');
  assert.match(await waiting.innerText(), /Đang chờ xác nhận trên điện thoại/);
  assert.equal(await section.getByTestId('phone-display').innerText(), request.display);
  assert.match(request.display, /đóng dấu trên điện thoại/);
  assert.match(await section.getByTestId('phone-countdown').innerText(), /^Còn \d\d:\d\d$/);
  // Not numbered while the phone has not confirmed.
  assert.deepEqual([rowOf(core, approvedId).state, rowOf(core, approvedId).number], ['signed', null]);
  assert.equal(await pane.getByTestId('issuing-notation').count(), 0, 'no number shown yet');
  await waiting.evaluate((panel) => panel.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'e2e-remote-issue-waiting-1366.png');
  await page.setViewportSize({ width: 1024, height: 600 });
  await waiting.evaluate((panel) => panel.scrollIntoView({ block: 'center' }));
  assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], '1024×600: nothing cut in the pane');
  await screenshot(page, 'e2e-remote-issue-waiting-1024.png');
  await page.setViewportSize({ width: 1366, height: 768 });

  // Approved on the phone: numbered, sealed and queued; both signatures valid for pdfsig.
  await service.control.approve(request.id);
  await page.locator('[data-testid="issuing-panel"][data-state="queued"]').waitFor({ timeout: 60_000 });
  assert.equal(await pane.getByTestId('issuing-notation').innerText(), NOTATION);
  assert.equal(rowOf(core, approvedId).number, 1);
  const sealedStep = pane.locator('[data-testid="issuing-step"][data-step="sealed"]');
  assert.equal(await sealedStep.getAttribute('data-done'), 'true');
  assert.match(await sealedStep.getByTestId('step-certificate').innerText(), new RegExp(AGENCY));
  const issuedFile = path.join(tempDir(), 'sealed-on-phone.pdf');
  fs.writeFileSync(issuedFile, (await core.handlers['documents.content']({ id: approvedId })).bytes);
  assert.deepEqual(
    pdfsig(issuedFile, nssTrusting([token.caCertPem, providerHsm.caCertPem])).map((s) => [s.commonName, s.validation, s.certificate]),
    [
      ['Nguyễn Văn An', 'Signature is Valid.', 'Certificate is Trusted.'],
      [AGENCY, 'Signature is Valid.', 'Certificate is Trusted.'],
    ],
  );
  await screenshot(page, 'e2e-remote-issue-queued.png');

  // Refused, expired, cancelled with "Hủy": each said; the document stays signed, unnumbered, unchanged.
  await open(refusedId);
  const before = rowOf(core, refusedId);
  const outcomes = [
    ['refuse', 'Người ký đã từ chối trên điện thoại. Văn bản vẫn như trước khi ký.'],
    ['expire', 'Hết thời gian xác nhận trên điện thoại. Văn bản vẫn như trước khi ký; hãy ký lại.'],
    ['cancel', 'Đã hủy yêu cầu ký. Văn bản vẫn như trước khi ký.'],
  ] as const;
  for (const [outcome, message] of outcomes) {
    const pending = await issueOnPhone();
    if (outcome === 'refuse') service.control.refuse(pending.id);
    else if (outcome === 'expire') service.control.expire(pending.id);
    else await section.getByTestId('phone-cancel').click();
    const failure = section.getByTestId('issuing-failure');
    await failure.filter({ hasText: message }).waitFor({ timeout: 60_000 });
    assert.equal(await section.getByTestId('phone-waiting').count(), 0, `${outcome}: the waiting panel is gone`);
    if (outcome === 'refuse') {
      await failure.evaluate((f) => f.scrollIntoView({ block: 'center' }));
      await screenshot(page, 'e2e-remote-issue-refused.png');
    }
    assert.deepEqual(rowOf(core, refusedId), before, `${outcome}: still signed, unnumbered, the same file`);
    assert.equal(await pane.getByTestId('issuing-panel').getAttribute('data-state'), 'signed', outcome);
    assert.equal(await pane.getByTestId('issuing-notation').count(), 0, `${outcome}: no number shown`);
  }

  // The token is still offered beside the phone, and issues with its PIN as before.
  await section.getByTestId('issue-certificate').selectOption(tokenSeal);
  await section.getByTestId('issue-button').click();
  await confirm.getByTestId('confirm-submit').click();
  await page.getByTestId('pin-input').fill(token.userPin);
  await page.getByTestId('pin-submit').click();
  await page.locator('[data-testid="issuing-panel"][data-state="queued"]').waitFor({ timeout: 60_000 });
  assert.equal(rowOf(core, refusedId).number, 2);

  assert.ok(!apiBodies.some((b) => b.includes(clientSecret)), 'the service’s secret never reaches the browser');
  assert.deepEqual(consoleErrors, []);
});
