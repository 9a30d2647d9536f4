// What the reference servers' `serve` commands (test/axis, test/remoteSigner) share: a usage
// error, waiting for SIGINT or SIGTERM, and running as a script. Development tools of the source
// checkout: nothing the app ships loads them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A command line that makes no sense: said in one line, exit code 2. */
export class UsageError extends Error {}

/** Resolves with the signal that asked the server to stop. */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise<NodeJS.Signals>((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(name);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Runs `command` when `moduleUrl` is the script node was started with (not when a test imports it). */
export function runAsScript(moduleUrl: string, name: string, command: (argv: string[], out: (line: string) => void) => Promise<number>): void {
  if (process.argv[1] === undefined || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  command(process.argv.slice(2), (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: Error) => {
      // A usage error says what is expected (the usage text after the reason); anything else in one line.
      console.error(`${name}: ${error instanceof UsageError ? error.message : error.message.split('\n')[0]}`);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
