// The token's PIN on the command line: typed at a prompt that does not echo, or EOFFICE_PIN, the
// PIN a script gives (never an argument, which the process list and the shell history would show).
// EOFFICE_PIN is moved out of process.env as the command starts, so that nothing the command
// starts (LibreOffice converting a draft…) inherits it; every child is also given
// core/secrets/childEnvironment.ts, which leaves it out whoever started eOffice.
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
  process.stderr.write('PIN: ');
  process.stdin.setRawMode(true);
  process.stdin.resume();
  return new Promise((resolve, reject) => {
    let pin = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(pin));
        if (ch === '\u0003') return finish(() => reject(new CliError('cancelled')));
        if (ch === '\u007f' || ch === '\b') pin = pin.slice(0, -1);
        else pin += ch;
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
