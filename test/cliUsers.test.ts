// eoffice users on the built CLI (issue 15): the first administrator made at the host's terminal,
// colleagues added with their roles, units and positions, a password only from standard input,
// disabling, enabling and resetting. Bad inputs tried: a password as an argument, a weak one, an
// unknown role, no --name, a taken login, disabling the last administrator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runEoffice } from './support/cliRun.js';
import { tempDir } from './support/fixtures.js';

const dataDir = tempDir('eoffice-cli-users-');
const ADMIN_PASSWORD = 'mật khẩu quản trị 2026';

const eoffice = (args: string[], input = '') => runEoffice(dataDir, args, input);
async function ok(args: string[], input = ''): Promise<string> {
  const run = await eoffice(args, input);
  assert.equal(run.code, 0, `eoffice ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

test('the first administrator, then colleagues with roles, units and positions; listed by given name', async () => {
  assert.match(await ok(['users', 'list']), /Chưa có tài khoản nào/);
  assert.equal(await ok(['users', 'add', 'quantri', '--name', 'Trần Văn Trị', '--role', 'quan-tri'], `${ADMIN_PASSWORD}\n`), 'quantri  Trần Văn Trị — quản trị');
  await ok(['users', 'add', 'vanthu', '--name', 'Nguyễn Thị Bình', '--role', 'van-thu', '--unit', 'Văn phòng', '--position', 'Văn thư'], 'văn thư mật khẩu 1\n');
  await ok(['users', 'add', 'chutich', '--name', 'Nguyễn Văn An', '--role', 'lanh-dao,quan-tri', '--position', 'Chủ tịch'], 'chủ tịch mật khẩu 1\n');
  const listed = await ok(['users', 'list']);
  assert.deepEqual(listed.split('\n'), [
    'chutich  Nguyễn Văn An (Chủ tịch) — lãnh đạo, quản trị',
    'vanthu  Nguyễn Thị Bình (Văn thư, Văn phòng) — văn thư',
    'quantri  Trần Văn Trị — quản trị',
  ]);
  const json = JSON.parse(await ok(['users', 'list', '--json'])) as { login: string; hasPassword: boolean; roles: string[] }[];
  assert.deepEqual(json.map((u) => [u.login, u.hasPassword, u.roles]), [['chutich', true, ['lanh-dao', 'quan-tri']], ['vanthu', true, ['van-thu']], ['quantri', true, ['quan-tri']]]);
  const database = fs.readFileSync(path.join(dataDir, 'eoffice.sqlite'));
  assert.ok(!database.includes(Buffer.from(ADMIN_PASSWORD)), 'only the hash is stored');
});

test('bad inputs: each refused with its reason, nothing added', async () => {
  const onArgv = await eoffice(['users', 'add', 'lethi', '--name', 'Lê Thị Hoa', '--role', 'chuyen-vien', 'mật-khẩu-trên-dòng-lệnh']);
  assert.equal(onArgv.code, 2);
  assert.match(onArgv.stderr, /standard input, never given as an argument/);
  const weak = await eoffice(['users', 'add', 'lethi', '--name', 'Lê Thị Hoa', '--role', 'chuyen-vien'], 'ngắn\n');
  assert.equal(weak.code, 1);
  assert.match(weak.stderr, /at least 10 characters/);
  const noPassword = await eoffice(['users', 'add', 'lethi', '--name', 'Lê Thị Hoa', '--role', 'chuyen-vien'], '');
  assert.equal(noPassword.code, 1);
  assert.match(noPassword.stderr, /no password on standard input/);
  const badRole = await eoffice(['users', 'add', 'lethi', '--name', 'Lê Thị Hoa', '--role', 'ke-toan'], 'mật khẩu đủ dài 1\n');
  assert.equal(badRole.code, 2);
  assert.match(badRole.stderr, /--role ke-toan: the roles are van-thu, lanh-dao, chuyen-vien, quan-tri/);
  const noName = await eoffice(['users', 'add', 'lethi', '--role', 'chuyen-vien'], 'mật khẩu đủ dài 1\n');
  assert.equal(noName.code, 2);
  const taken = await eoffice(['users', 'add', 'VANTHU', '--name', 'Ai Đó', '--role', 'chuyen-vien'], 'mật khẩu đủ dài 1\n');
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /taken/);
  assert.equal((JSON.parse(await ok(['users', 'list', '--json'])) as unknown[]).length, 3);
});

test('disable, enable, reset; the last administrator is kept one; the audit trail stays intact', async () => {
  assert.match(await ok(['users', 'disable', 'vanthu']), /vanthu .* — đã vô hiệu hóa$/);
  assert.match(await ok(['users', 'enable', 'vanthu']), /^vanthu  Nguyễn Thị Bình/);
  assert.match(await ok(['users', 'update', 'vanthu', '--unit', 'Văn phòng HĐND-UBND']), /Văn phòng HĐND-UBND/);
  assert.match(await ok(['users', 'reset', 'vanthu'], 'mật khẩu mới của văn thư\n'), /^vanthu/);
  await ok(['users', 'update', 'chutich', '--role', 'lanh-dao']);
  const last = await eoffice(['users', 'disable', 'quantri']);
  assert.equal(last.code, 1);
  assert.match(last.stderr, /last administrator/);
  assert.match(await ok(['users', 'signout', 'vanthu']), /0 phiên/);
  const audit = await ok(['audit', 'verify']);
  assert.match(audit, /audit trail intact/);
});
