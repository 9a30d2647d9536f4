// The built `eoffice` command (dist/cli/eoffice.mjs, made by `npm run build`) run on a data folder.
// Asynchronous on purpose: tests that run the reference axis in their own process must keep it
// answering while the command talks to it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './fixtures.js';

export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist/cli/eoffice.mjs');

export function runEoffice(dataDir: string, args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, '--data-dir', dataDir, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
    child.stdin.end(input);
  });
}
