// Runs the app without Electron: the core and the loopback web host, for an ordinary browser.
// `npm start` falls back to this where the Electron binary is absent.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openCore } from '../core/app/core.js';
import { startWebHost } from '../core/web/host.js';
import { resolveDataDir } from '../core/paths/dataDir.js';

export const RENDERER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '0' } },
    allowPositionals: false,
  });
  const dataDir = resolveDataDir(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env);
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    console.error('eOffice: the user interface is not built; run "npm run build" first.');
    process.exit(1);
  }
  const core = openCore({ dataDir, shell: 'web' });
  const host = await startWebHost({
    handlers: core.handlers,
    events: core.events,
    staticDir: RENDERER_DIR,
    port: Number(values.port),
    maxBodyBytes: () => Math.ceil(core.settings.read().maxImportMegabytes * 1048576 * 1.4) + 65536,
    log: (m) => console.error(m),
  });
  // The exchange runs on its interval as in the desktop app; the browser forwards its online/offline events.
  core.exchange.start();
  console.log(`eOffice đang chạy tại / is running at: ${host.url}`);
  console.log(`Dữ liệu / Data: ${dataDir}`);
  const stop = async () => {
    await host.close();
    core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error & { code?: string }) => {
  console.error(`eOffice: ${error.message}`);
  process.exit(1);
});
