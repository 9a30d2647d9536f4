// eoffice users: the office's accounts at the terminal of the office host (issue 15), for the
// administrator setting up — the first administrator is made here — and for scripts. Through the
// API contract, as the app's administration screen; a password is read from standard input or
// typed twice without echo, never taken as an argument.
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import type { Input, MethodName, Output, Role, UserInfo } from '../common/contract.js';
import { CliError, UsageError } from './cliError.js';
import { readNewPassword } from './secretInput.js';

export interface UserCommandOptions {
  name?: string;
  role?: string[];
  unit?: string;
  position?: string;
  json?: boolean;
}

const ROLE_NAMES: Record<Role, string> = { 'van-thu': 'văn thư', 'lanh-dao': 'lãnh đạo', 'chuyen-vien': 'chuyên viên', 'quan-tri': 'quản trị' };

async function call<M extends MethodName>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

/** --role van-thu --role lanh-dao, or --role van-thu,lanh-dao. */
function roles(values: string[] | undefined): Role[] | undefined {
  if (!values) return undefined;
  const given = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = given.filter((v) => !(v in ROLE_NAMES));
  if (unknown.length) throw new UsageError(`--role ${unknown.join(', ')}: the roles are ${Object.keys(ROLE_NAMES).join(', ')}`);
  return [...new Set(given)] as Role[];
}

function describe(user: UserInfo): string {
  const state = !user.active ? ' — đã vô hiệu hóa' : user.lockedUntil ? ` — bị khóa đến ${user.lockedUntil.slice(11, 16)}` : '';
  const where = [user.position, user.unit].filter(Boolean).join(', ');
  return `${user.login}  ${user.fullName}${where ? ` (${where})` : ''} — ${user.roles.map((r) => ROLE_NAMES[r]).join(', ')}${state}`;
}

export async function runUsers(core: Core, args: string[], options: UserCommandOptions, out: (line: string) => void): Promise<number> {
  const [action, login, ...extra] = args;
  const print = (user: UserInfo) => out(options.json ? JSON.stringify(user) : describe(user));
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}: a password is read from standard input, never given as an argument`);
  switch (action) {
    case 'list': {
      const users = await call(core, 'users.list', {});
      if (options.json) out(JSON.stringify(users));
      else if (users.length === 0) out('Chưa có tài khoản nào: eoffice users add <login> --name "…" --role quan-tri');
      else users.forEach(print);
      return 0;
    }
    case 'add': {
      if (!login) throw new UsageError('usage: eoffice users add <login> --name "…" --role van-thu|lanh-dao|chuyen-vien|quan-tri [--unit "…"] [--position "…"]');
      if (!options.name) throw new UsageError('--name "…" (the full name) is required');
      const given = roles(options.role);
      if (!given?.length) throw new UsageError(`--role is required: ${Object.keys(ROLE_NAMES).join(', ')}`);
      const password = await readNewPassword();
      print(await call(core, 'users.add', { login, fullName: options.name, roles: given, unit: options.unit ?? '', position: options.position ?? '', password }));
      return 0;
    }
    case 'update': {
      if (!login) throw new UsageError('usage: eoffice users update <login> [--name "…"] [--role …] [--unit "…"] [--position "…"]');
      const patch = { fullName: options.name, roles: roles(options.role), unit: options.unit, position: options.position };
      print(await call(core, 'users.update', { login, patch: Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) }));
      return 0;
    }
    case 'disable':
    case 'enable':
      if (!login) throw new UsageError(`usage: eoffice users ${action} <login>`);
      print(await call(core, 'users.update', { login, patch: { active: action === 'enable' } }));
      return 0;
    case 'reset': {
      if (!login) throw new UsageError('usage: eoffice users reset <login>   (the new password from standard input)');
      const password = await readNewPassword();
      print(await call(core, 'users.setPassword', { login, password }));
      return 0;
    }
    case 'signout': {
      if (!login) throw new UsageError('usage: eoffice users signout <login>');
      const { sessions } = await call(core, 'users.signOutEverywhere', { login });
      out(`${login}: ${sessions} phiên đã đăng xuất`);
      return 0;
    }
    default:
      throw new UsageError('usage: eoffice users list|add|update|disable|enable|reset|signout …');
  }
}
