// Secrets on the command line — a token's PIN, an account's password — typed at a prompt that
// does not echo, or given by a script: the PIN in EOFFICE_PIN, a password on standard input. Never
// an argument, which the process list and the shell history would show. EOFFICE_PIN is moved out
// of process.env as the command starts, so that nothing the command starts (LibreOffice converting
// a draft…) inherits it; every child is also given core/secrets/childEnvironment.ts, which leaves
// it out whoever started eOffice.
import fs from 'node:fs';
import { CliError } from './cliError.js';

let taken: string | undefined;

/** The PIN from EOFFICE_PIN, if one was given; the first call takes it out of process.env. */
export function takeEnvironmentPin(): string | undefined {
  const value = process.env.EOFFICE_PIN;
  if (value !== undefined) {
    delete process.env.EOFFICE_PIN;
    taken = value || undefined;
  }
  return taken;
}

/** The PIN from EOFFICE_PIN, else typed at the terminal without echo. */
export async function readPin(): Promise<string> {
  const fromEnv = takeEnvironmentPin();
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new CliError('no PIN: set EOFFICE_PIN or run eoffice sign in a terminal to type it');
  return readHidden('PIN: ');
}

/**
 * A password for an account: typed twice at the terminal without echo, or the first line of
 * standard input when it is not a terminal (a script's pipe) — never an argument.
 */
export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const [line] = fs.readFileSync(0, 'utf8').split(/\r?\n/);
    if (!line) throw new CliError('no password on standard input: pipe it in, or run the command in a terminal to type it');
    return line;
  }
  const first = await readHidden('Mật khẩu: ');
  if ((await readHidden('Nhập lại mật khẩu: ')) !== first) throw new CliError('the two passwords differ: nothing was changed');
  return first;
}

/** An account's password to sign in to the office host: EOFFICE_PASSWORD (taken out of the environment), else typed without echo. */
export async function readPassword(login: string): Promise<string> {
  const fromEnv = process.env.EOFFICE_PASSWORD;
  delete process.env.EOFFICE_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new CliError(`no password for ${login}: set EOFFICE_PASSWORD or run the command in a terminal to type it`);
  return readHidden(`Mật khẩu của ${login}: `);
}

/** A line typed at the terminal without echo; Ctrl+C cancels. */
function readHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(typed));
        if (ch === '\u0003') return finish(() => reject(new CliError('cancelled')));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    const finish = (done: () => void) => {
      process.stdin.off('data', onData);
      process.stdin.setRawMode(false);
      process.stdin.pause();
      process.stderr.write('\n');
      done();
    };
    process.stdin.on('data', onData);
  });
}
