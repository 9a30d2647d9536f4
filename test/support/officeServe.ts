// `eoffice serve` from the built CLI in a child process on a free port of the loopback, as the
// office host's tests start it: resolves once it has printed its address and its data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_BUNDLE } from './cliRun.js';

export interface ServedHost {
  child: ChildProcess;
  url: string;
  /** What it printed up to then (the fingerprint, the syllables, the QR code). */
  printed: string;
}

export function startServe(dataDir: string): Promise<ServedHost> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, '--data-dir', dataDir, 'serve', '--listen', '127.0.0.1:0']);
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const url = /https:\/\/127\.0\.0\.1:\d+\//.exec(printed)?.[0];
      if (url && /Dữ liệu \/ Data/.test(printed)) resolve({ child, url, printed });
    });
    child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`eoffice serve ended (${code}): ${printed}`)));
  });
}
