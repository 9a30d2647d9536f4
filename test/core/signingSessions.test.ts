// The PIN asked for each signing act (issue 12), on a real SoftHSM2 token through the API as the
// UI calls it: after one document, or one batch, the token is logged out, so whoever sits at the
// PC next cannot sign as its holder with one click; the administrator's optional window keeps the
// PIN for some seconds after it was typed, and no longer; a login left unused lapses after the
// idle minutes; the shell's "log every token out" (screen lock, suspend) ends every login at once.
// Time is a clock the test moves: no test waits for a window to pass.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openCore, type Core } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { EventName, MethodName, Output, TokenOverview } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { createTestToken, type TestToken } from '../support/softhsm.js';
import { makeVietnamesePdf, tempDir } from '../support/fixtures.js';

const LABEL = 'Token Phiên ký';
const WRONG_PIN = '19283746';

/** A clock and timers that move only when the test says so. */
class TestClock {
  time = Date.parse('2026-03-02T08:00:00+07:00');
  private timers: { at: number; run: () => void }[] = [];
  readonly now = (): number => this.time;
  readonly setTimer = (run: () => void, ms: number): (() => void) => {
    const timer = { at: this.time + ms, run };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };
  /** Moves the time on and runs the timers that fall due, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.run();
      // What a timer starts (a logout) runs on the token's queue: let it finish.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.time = end;
  }
}

let token: TestToken;
let core: Core;
const clock = new TestClock();
const logLines: string[] = [];
const envelopes: string[] = [];
const events: Array<{ name: EventName; payload: unknown }> = [];

before(async () => {
  token = await createTestToken({ label: LABEL });
  const dataDir = tempDir('eoffice-sessions-');
  const settings = createFileSettings(dataDir);
  settings.update({ tokenModules: [token.modulePath] });
  core = openCore({ dataDir, shell: 'web', actor: 'văn thư', settings, tokens: { pollIntervalMs: 200, clock } });
  core.events.subscribe((name, payload) => events.push({ name, payload }));
});

after(() => {
  core?.close();
  token?.cleanup();
});

async function call<M extends MethodName>(method: M, input: unknown): Promise<Envelope<Output<M>>> {
  const envelope = (await invoke(core.handlers, method, input, (line) => logLines.push(line))) as Envelope<Output<M>>;
  envelopes.push(JSON.stringify(envelope));
  return envelope;
}

async function ok<M extends MethodName>(method: M, input: unknown): Promise<Output<M>> {
  const envelope = await call(method, input);
  if (!envelope.ok) assert.fail(`${method} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.result;
}

async function fails(method: MethodName, input: unknown, code: string): Promise<void> {
  const envelope = await call(method, input);
  assert.equal(envelope.ok, false, `${method} should fail with ${code}`);
  if (!envelope.ok) assert.equal(envelope.error.code, code, envelope.error.message);
}

async function importPdf(subject: string): Promise<number> {
  const bytes = await makeVietnamesePdf(['ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM', `V/v ${subject}`]);
  return (await ok('documents.import', { direction: 'out', fileName: `${subject}.pdf`, bytes })).document.id;
}

const signRequest = (ids: number[], pin?: string) => ({ ids, label: LABEL, certificateId: token.ids.signer, appearance: { kind: 'invisible' }, ...(pin === undefined ? {} : { pin }) });

async function loggedIn(): Promise<boolean> {
  return (await ok('tokens.list', {})).tokens.find((t) => t.label === LABEL)?.loggedIn ?? false;
}

const stateOf = async (id: number) => (await ok('documents.get', { id })).state;

test('after one signing act the token is logged out: the next one without a PIN is refused with PIN_REQUIRED', async () => {
  await ok('tokens.login', { label: LABEL, pin: token.userPin });
  assert.equal(await loggedIn(), true);
  const first = await importPdf('Công văn thứ nhất');
  events.length = 0;
  assert.deepEqual((await ok('documents.sign', signRequest([first]))).results.map((r) => r.status), ['signed']);
  assert.equal(await loggedIn(), false, 'the login ended with the signature');
  const pushed = events.filter((e) => e.name === 'token.changed').map((e) => (e.payload as TokenOverview).tokens.find((t) => t.label === LABEL)?.loggedIn);
  assert.equal(pushed.at(-1), false, 'the logout was pushed to the UI');

  const second = await importPdf('Công văn thứ hai');
  await fails('documents.sign', signRequest([second]), 'PIN_REQUIRED');
  assert.equal(await stateOf(second), 'draft', 'nothing was signed');
});

test('a batch is one act on one PIN; the PIN can come with the call; a wrong one signs nothing', async () => {
  const batch = [await importPdf('Lô 1'), await importPdf('Lô 2'), await importPdf('Lô 3')];
  await fails('documents.sign', signRequest(batch, WRONG_PIN), 'PIN_INCORRECT');
  for (const id of batch) assert.equal(await stateOf(id), 'draft');
  const signed = await ok('documents.sign', signRequest(batch, token.userPin));
  assert.deepEqual(signed.results.map((r) => r.status), ['signed', 'signed', 'signed']);
  assert.equal(await loggedIn(), false);
  await fails('documents.sign', signRequest([await importPdf('Sau lô')]), 'PIN_REQUIRED');
  for (const text of [...logLines, ...envelopes]) {
    for (const pin of [token.userPin, WRONG_PIN]) assert.ok(!text.includes(pin), `a PIN shows in: ${text}`);
  }
});

test('the administrator’s window keeps the PIN for signingSessionSeconds after it was typed, then logs the token out', async (t) => {
  core.settings.update({ signingSessionSeconds: 120 });
  t.after(() => core.settings.update({ signingSessionSeconds: 0 }));
  await ok('tokens.login', { label: LABEL, pin: token.userPin });
  assert.equal((await ok('documents.sign', signRequest([await importPdf('Trong cửa sổ 1')]))).results[0]!.status, 'signed');
  assert.equal(await loggedIn(), true, 'kept within the window');
  await clock.advance(60_000);
  assert.equal((await ok('documents.sign', signRequest([await importPdf('Trong cửa sổ 2')]))).results[0]!.status, 'signed', 'a minute later, no PIN asked');
  await clock.advance(59_000);
  assert.equal(await loggedIn(), true, 'still within the window at 119 s');
  await clock.advance(2_000);
  assert.equal(await loggedIn(), false, 'logged out when the window closed, without anyone signing');
  const late = await importPdf('Ngoài cửa sổ');
  await fails('documents.sign', signRequest([late]), 'PIN_REQUIRED');
  assert.equal(await stateOf(late), 'draft');
});

test('a login left unused is logged out after signingIdleMinutes (5 by default)', async () => {
  assert.equal(core.settings.read().signingIdleMinutes, 5);
  await ok('tokens.login', { label: LABEL, pin: token.userPin });
  await clock.advance(4 * 60_000);
  assert.equal(await loggedIn(), true);
  await clock.advance(60_000);
  assert.equal(await loggedIn(), false, 'five minutes without a signature: logged out');
  await fails('documents.sign', signRequest([await importPdf('Sau khi rời máy')]), 'PIN_REQUIRED');
});

test('within a long window, idle minutes without a signature still log the token out', async (t) => {
  core.settings.update({ signingSessionSeconds: 600, signingIdleMinutes: 2 });
  t.after(() => core.settings.update({ signingSessionSeconds: 0, signingIdleMinutes: 5 }));
  await ok('tokens.login', { label: LABEL, pin: token.userPin });
  assert.equal((await ok('documents.sign', signRequest([await importPdf('Cửa sổ dài')]))).results[0]!.status, 'signed');
  await clock.advance(119_000);
  assert.equal(await loggedIn(), true);
  await clock.advance(2_000);
  assert.equal(await loggedIn(), false);
});

test('logging every token out (screen lock, suspend) ends the logins at once, a window notwithstanding', async (t) => {
  core.settings.update({ signingSessionSeconds: 300 });
  t.after(() => core.settings.update({ signingSessionSeconds: 0 }));
  await ok('tokens.login', { label: LABEL, pin: token.userPin });
  assert.equal((await ok('documents.sign', signRequest([await importPdf('Trước khi khóa màn hình')]))).results[0]!.status, 'signed');
  assert.equal(await loggedIn(), true);
  await core.tokens.logoutAll();
  assert.equal(await loggedIn(), false);
  await fails('documents.sign', signRequest([await importPdf('Sau khi khóa màn hình')]), 'PIN_REQUIRED');
});

test('the window and the idle minutes are the administrator’s: the UI reads them and cannot change them', async () => {
  const settings = await ok('settings.get', {});
  assert.equal(settings.signingSessionSeconds, 0, 'off by default');
  assert.equal(settings.signingIdleMinutes, 5);
  await fails('settings.update', { signingSessionSeconds: 600 }, 'INVALID_INPUT');
  await fails('settings.update', { signingIdleMinutes: 60 }, 'INVALID_INPUT');
  assert.throws(() => core.settings.update({ signingSessionSeconds: -1 }));
  assert.throws(() => core.settings.update({ signingSessionSeconds: 901 }));
  assert.throws(() => core.settings.update({ signingIdleMinutes: 0 }));
  assert.equal(core.settings.read().signingSessionSeconds, 0);
});
