// npm start: build, then run the Electron app; where the Electron binary is missing (it is
// downloaded from outside the npm registry, which an offline office PC cannot reach), say so in
// one line and start the loopback web host instead. The electron package's own entry point is
// not loaded here on purpose: it would try to download the binary and fail slowly.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  let relative = 'electron';
  try {
    relative = fs.readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  }
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkg, 'dist');
  const binary = path.join(dist, relative);
  return fs.existsSync(binary) ? binary : null;
}

const args = process.argv.slice(2);
await buildAll({ quiet: true });
const binary = electronBinary();
const child = binary
  ? spawn(binary, [root, ...args], { stdio: 'inherit' })
  : (console.log('Không tìm thấy Electron trên máy này (chưa tải được khi cài đặt) — chạy eOffice trong trình duyệt / Electron binary not found: starting the web host instead.'),
    spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/node/serve.ts'), ...args], { stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
