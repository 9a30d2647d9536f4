// npm start on a machine without the Electron binary: one line saying so, then the web host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { REPO_ROOT, tempDir } from '../support/fixtures.js';

test('without the Electron binary, npm start says so in one line and serves the app at the printed URL', async (t) => {
  // An empty override folder stands for "no binary", whatever this machine has installed.
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'main/build/start.mjs'), '--data-dir', tempDir()], {
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: tempDir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => void child.kill('SIGTERM'));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${output}`)));
  });
  const notices = output.split('\n').filter((l) => /Electron/.test(l));
  assert.equal(notices.length, 1, output);
  assert.match(notices[0]!, /Electron binary not found: starting the web host instead/);
  const status = await new Promise<number>((resolve, reject) => http.get(url, (res) => resolve(res.statusCode ?? 0)).on('error', reject));
  assert.equal(status, 302, 'the URL with its token opens the app');
});
