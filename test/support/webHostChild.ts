// An eOffice core behind its loopback web host, in a process of its own, for tests that must be
// able to stop it: a request that never ends (a main thread stuck in a loop) fails the test
// instead of hanging it, and the process's peak memory is its own. Arguments: the data folder,
// then token libraries to use (SoftHSM's, with SOFTHSM2_CONF from the environment). Prints
// {"port", "token"} as one JSON line once listening, then answers lines on standard input:
// "rss" with {"peakRssMB"}; "reset" — the PDF worker stopped, garbage collected (with
// --expose-gc), the peak set back to the memory in use (Linux) — with {"rssMB"}, so that each
// document's peak can be measured apart. Exits when standard input closes.
import fs from 'node:fs';
import readline from 'node:readline';
import { openCore } from '../../main/core/app/core.js';
import { startWebHost } from '../../main/core/web/host.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { pdfWorker } from '../../main/core/pdfWorker/pdfWorker.js';
import { ownPeakRssMB } from '../bench/childRss.js';

const [dataDir, ...tokenModules] = process.argv.slice(2) as [string, ...string[]];
const settings = createFileSettings(dataDir);
settings.update({ tokenModules });
const core = openCore({ dataDir, shell: 'web', actor: 'văn thư', settings });
const staticDir = fs.mkdtempSync(`${dataDir}/static-`);
fs.writeFileSync(`${staticDir}/index.html`, '<!doctype html><title>eOffice</title>');
const host = await startWebHost({ handlers: core.handlers, events: core.events, staticDir, maxBodyBytes: () => 64 * 1048576 });
process.stdout.write(`${JSON.stringify({ port: host.port, token: host.token })}\n`);

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  if (line.trim() === 'rss') process.stdout.write(`${JSON.stringify({ peakRssMB: ownPeakRssMB() })}\n`);
  if (line.trim() === 'reset') {
    await pdfWorker().close();
    (globalThis as { gc?: () => void }).gc?.();
    try {
      fs.writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      // Not Linux: the peak stays where it was, which only makes the measure stricter.
    }
    const rssKb = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    process.stdout.write(`${JSON.stringify({ rssMB: Number(rssKb) / 1024 })}\n`);
  }
});
lines.on('close', () => {
  void host.close().then(() => {
    core.close();
    process.exit(0);
  });
});
