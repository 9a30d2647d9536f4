// Who may call what (issue 15): every method of the contract declares its access, and invoke
// checks it for a person calling through the office host before it reads the input. The test
// walks the whole contract with each role. The handlers here only note that they were reached:
// this is the gate's test, and a method that passes it must not run for real (a sync, an import).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contract, type MethodName, type Role } from '../../main/common/contract.js';
import { METHOD_NAMES } from '../../main/common/channels.js';
import { METHOD_ACCESS, mayCall } from '../../main/common/access.js';
import { invoke, type Handlers } from '../../main/core/api/invoke.js';
import { AppError } from '../../main/common/errors.js';

const ROLES: Role[] = ['van-thu', 'lanh-dao', 'chuyen-vien', 'quan-tri'];

function noteTakingHandlers(reached: Set<string>): Handlers {
  return Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      () => {
        reached.add(method);
        throw new AppError('NOT_FOUND', 'reached the handler');
      },
    ]),
  ) as unknown as Handlers;
}

test('every method of the contract declares who may call it', () => {
  assert.deepEqual(Object.keys(contract).sort(), [...METHOD_NAMES].sort());
  assert.deepEqual(Object.keys(METHOD_ACCESS).sort(), [...METHOD_NAMES].sort());
});

test('each role against each method: refused with FORBIDDEN before the input is read, or let through', async () => {
  for (const role of ROLES) {
    const reached = new Set<string>();
    const handlers = noteTakingHandlers(reached);
    for (const method of METHOD_NAMES) {
      const caller = { login: `thử-${role}`, roles: [role], client: '10.0.0.5' };
      // Input no schema accepts: a refusal must come before the parse.
      const answer = await invoke(handlers, method, { '☠': true }, () => undefined, caller);
      assert.equal(answer.ok, false);
      if (mayCall(method, caller)) {
        assert.notEqual(answer.ok ? null : answer.error.code, 'FORBIDDEN', `${role} may call ${method}`);
      } else {
        assert.equal(answer.ok ? null : answer.error.code, 'FORBIDDEN', `${role} may not call ${method}`);
        assert.match(answer.ok ? '' : answer.error.message, new RegExp(`thử-${role} may not call ${method.replace('.', '\\.')}`));
      }
    }
    assert.ok([...reached].every((method) => mayCall(method as MethodName, { login: '', roles: [role] })), `${role}: no refused method reached its handler`);
  }
});

test('the rules as the office knows them', () => {
  const may = (role: Role, method: MethodName) => mayCall(method, { login: 'x', roles: [role] });
  // Numbering and issuing are the clerk's; signing, the leader's and the clerk's (the seal).
  assert.deepEqual(ROLES.filter((r) => may(r, 'outgoing.issue')), ['van-thu']);
  assert.deepEqual(ROLES.filter((r) => may(r, 'outgoing.number')), ['van-thu']);
  assert.deepEqual(ROLES.filter((r) => may(r, 'documents.sign')), ['van-thu', 'lanh-dao']);
  assert.deepEqual(ROLES.filter((r) => may(r, 'incoming.register')), ['van-thu']);
  assert.deepEqual(ROLES.filter((r) => may(r, 'outgoing.create')), ['van-thu', 'lanh-dao', 'chuyen-vien']);
  // Accounts, trust and the axis secret: the administrator's only.
  for (const method of ['users.add', 'users.setPassword', 'trust.import', 'exchange.setAxis', 'settings.update'] as const) {
    assert.deepEqual(ROLES.filter((r) => may(r, method)), ['quan-tri'], method);
  }
  // Reading is for everyone signed in (which documents, the next step decides).
  for (const method of ['documents.list', 'documents.get', 'documents.content', 'incoming.get', 'outgoing.get'] as const) {
    assert.deepEqual(ROLES.filter((r) => may(r, method)), ROLES, method);
  }
  // The tokens and the file manager are the PC's own: no one reaches them through the host.
  for (const method of ['tokens.list', 'tokens.login', 'tokens.addModule', 'documents.showInFolder'] as const) {
    assert.equal(mayCall(method, { login: 'x', roles: ROLES }), false, method);
  }
});

test("this PC's own user (no caller) is refused nothing", async () => {
  const reached = new Set<string>();
  const handlers = noteTakingHandlers(reached);
  for (const method of METHOD_NAMES) {
    const answer = await invoke(handlers, method, { '☠': true }, () => undefined);
    assert.notEqual(answer.ok ? null : answer.error.code, 'FORBIDDEN', method);
  }
});

test("a remote caller never signs with a token plugged into the host, whatever the role; a phone signer is the caller's to use", async () => {
  const reached = new Set<string>();
  const handlers = noteTakingHandlers(reached);
  const leader = { login: 'chutich', roles: ['lanh-dao', 'van-thu'] as Role[], client: '10.0.0.7' };
  const onHostToken = await invoke(handlers, 'documents.sign', { ids: [1], signer: { kind: 'token', label: 'Token Cơ quan' }, appearance: { kind: 'invisible' } }, () => undefined, leader);
  assert.equal(onHostToken.ok ? null : onHostToken.error.code, 'FORBIDDEN');
  const shortForm = await invoke(handlers, 'outgoing.issue', { id: 1, label: 'Token Cơ quan', certificateId: '01' }, () => undefined, leader);
  assert.equal(shortForm.ok ? null : shortForm.error.code, 'FORBIDDEN', 'the short form is a token too');
  assert.deepEqual([...reached], []);
  const onPhone = await invoke(handlers, 'documents.sign', { ids: [1], signer: { kind: 'smartca', account: '079123456789' }, appearance: { kind: 'invisible' } }, () => undefined, leader);
  assert.equal(onPhone.ok ? null : onPhone.error.code, 'NOT_FOUND', 'reached the handler');
  // At the host's own desk (no remote caller) the token signs as before.
  const atTheHost = await invoke(handlers, 'documents.sign', { ids: [1], signer: { kind: 'token', label: 'Token Cơ quan' }, appearance: { kind: 'invisible' } }, () => undefined);
  assert.equal(atTheHost.ok ? null : atTheHost.error.code, 'NOT_FOUND');
});
