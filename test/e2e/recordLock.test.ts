/// <reference lib="dom" />
// End to end: the locked record and the identifier code in the document pane, in Debian's
// Chromium against the loopback web host, at a commune laptop's 1024×600 and at 1366×768, in
// Vietnamese and in English, with a real SoftHSM2 token. On an issued document "Sửa" is closed and
// the pane says why; the identifier code (mã định danh văn bản) is shown and copied whole. A draft
// beside it keeps "Sửa" open. Nothing in the pane is cut (test/support/layout.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, RENDERER, serveApp } from '../support/browser.js';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { MethodName, Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { makeVietnamesePdf, REPO_ROOT, tempDir } from '../support/fixtures.js';
import { createTestToken } from '../support/softhsm.js';
import { layoutProblems } from '../support/layout.js';

const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts');
const WAIT = { timeout: 60_000 };
const LABEL = 'Token xã (khóa hồ sơ)';
const AGENCY = { code: '000.00.00.H41', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND' }; // the CN of the token's agency certificate
const VIEWPORTS = [
  { width: 1024, height: 600 },
  { width: 1366, height: 768 },
] as const;

async function api<M extends MethodName>(core: Core, method: M, input: unknown): Promise<Output<M>> {
  const envelope = (await invoke(core.handlers, method, input, () => undefined)) as Envelope<Output<M>>;
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

test('an issued document: "Sửa" closed with its reason, the identifier code shown and copied; a draft stays editable — 1024×600 and 1366×768, vi and en', async (t) => {
  assert.ok(fs.existsSync(path.join(RENDERER, 'index.html')), 'npm run build makes dist/renderer');
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  const token = await createTestToken({ label: LABEL });
  const dataDir = tempDir('eoffice-e2e-lock-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  const core = openCore({ dataDir, shell: 'web', actor: 'vanthu', settings, tokens: { pollIntervalMs: 300 } });
  const { host, launchBrowser } = await serveApp(t, core, () => token.cleanup());
  await api(core, 'agency.update', AGENCY);

  const draft = async (subject: string) =>
    api(core, 'outgoing.create', {
      fileName: `${subject}.pdf`,
      bytes: await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', 'Số:          /QĐ-UBND', 'Thử Nghiệm, ngày        tháng        năm 2026', 'QUYẾT ĐỊNH', `Về việc ${subject}`]),
      details: { typeCode: 'QD', subject: `Về việc ${subject}`, signerName: 'Nguyễn Văn An', signerPosition: 'CHỦ TỊCH', signerCompetence: 'TM.', recipients: ['- Như Điều 3;', '- Lưu: VT.'] },
    });
  const issuedDraft = await draft('ban hành quy chế khóa hồ sơ');
  const id = issuedDraft.document.id;
  const signed = await api(core, 'documents.sign', { ids: [id], label: LABEL, certificateId: token.ids.signer, pin: token.userPin, appearance: { kind: 'signer', page: 1, rect: [330, 420, 180, 80] } });
  assert.equal(signed.results[0]!.status, 'signed', JSON.stringify(signed.results[0]));
  const issued = (await api(core, 'outgoing.issue', { id, label: LABEL, certificateId: token.ids.agency, pin: token.userPin })).document;
  assert.equal(issued.state, 'issued', 'no recipient on the axis: issued on paper');
  const code = issued.identifierCode!;
  assert.equal(code, `${AGENCY.code},${issued.documentDate!.replaceAll('-', '/')},${issued.notation}`);
  const open = (await draft('còn là bản nháp')).document.id;

  const browser = await launchBrowser();
  const pageErrors: string[] = [];
  for (const viewport of VIEWPORTS) {
    for (const locale of ['vi', 'en'] as const) {
      const tag = `${viewport.width}x${viewport.height}-${locale}`;
      await api(core, 'settings.update', { locale });
      const context = await browser.newContext({ viewport, locale: locale === 'vi' ? 'vi-VN' : 'en-GB' });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(`${tag}: ${e.message}`));
      await page.goto(host.url);
      await page.getByTestId('tab-out').click();
      await page.locator(`[data-testid="doc-row"][data-doc-id="${id}"]`).click();
      const pane = page.locator(`[data-testid="doc-pane"][data-doc-id="${id}"][aria-busy="false"]`);
      await pane.waitFor(WAIT);

      // "Sửa" is there, closed, and says why; the details say it too.
      const edit = pane.getByTestId('pane-edit');
      assert.equal(await edit.isDisabled(), true, `${tag}: "Sửa" is closed on an issued document`);
      const why = locale === 'vi' ? /Văn bản đã được cấp số/ : /The document has its number/;
      assert.match((await edit.getAttribute('title')) ?? '', why, `${tag}: the button says why`);
      assert.match(await pane.getByTestId('record-lock').innerText(), why, `${tag}: the details say why`);
      assert.match(await pane.getByTestId('record-lock').innerText(), locale === 'vi' ? /Cập nhật, Thay thế hoặc Thu hồi/ : /update, replace or recall/);

      // The identifier code, whole, and copied whole.
      const shown = pane.getByTestId('identifier-code');
      assert.equal(await shown.innerText(), code, `${tag}: the identifier code is shown`);
      const label = pane.locator('[data-field="field.identifierCode"] dt');
      assert.equal(await label.innerText(), locale === 'vi' ? 'Mã định danh văn bản' : 'Document identifier code');
      await pane.locator('[data-field="field.identifierCode"]').getByRole('button').click();
      await pane.locator('[data-field="field.identifierCode"] [role="status"]').waitFor(WAIT);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code, `${tag}: the copy button copies the code`);
      assert.deepEqual(await layoutProblems(page, '[data-testid="doc-pane"]'), [], `${tag}: nothing cut in the pane`);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `e2e-record-lock-${tag}.png`) });

      // A draft: "Sửa" open, no lock said, no code yet.
      await page.locator(`[data-testid="doc-row"][data-doc-id="${open}"]`).click();
      const draftPane = page.locator(`[data-testid="doc-pane"][data-doc-id="${open}"][aria-busy="false"]`);
      await draftPane.waitFor(WAIT);
      assert.equal(await draftPane.getByTestId('pane-edit').isDisabled(), false, `${tag}: a draft is edited`);
      assert.equal(await draftPane.getByTestId('record-lock').count(), 0);
      assert.equal(await draftPane.getByTestId('identifier-code').count(), 0);
      await context.close();
    }
  }
  assert.deepEqual(pageErrors, []);
});
