// A host for the office benchmark, in a process of its own as in use: the office host (HTTPS,
// accounts) or the single-PC loopback host (the baseline), over the same data folder and the same
// core. Arguments: the data folder, office|loopback. Prints one JSON line with what a client
// needs: the URL and the loopback's token or the office host's certificate. Stops on SIGTERM.
import path from 'node:path';
import { openCore } from '../../main/core/app/core.js';
import { startWebHost } from '../../main/core/web/host.js';
import { startOfficeHost } from '../../main/core/web/officeHost.js';
import { hostCertificate } from '../../main/core/office/hostCertificate.js';
import { REPO_ROOT } from '../support/fixtures.js';

const [dataDir, mode] = process.argv.slice(2) as [string, 'office' | 'loopback'];
const core = openCore({ dataDir, shell: 'web' });
const staticDir = path.join(REPO_ROOT, 'dist/renderer');
const maxBodyBytes = () => 64 * 1048576;
let close: () => Promise<void>;
if (mode === 'office') {
  const certificate = hostCertificate(dataDir, 'UBND xã Thử Nghiệm');
  const host = await startOfficeHost({ core, certificate, staticDir, listen: { host: '127.0.0.1', port: 0 }, maxBodyBytes });
  close = host.close;
  process.stdout.write(`${JSON.stringify({ url: host.url, certPem: certificate.certPem })}\n`);
} else {
  const host = await startWebHost({ handlers: core.handlers, events: core.events, staticDir, maxBodyBytes });
  close = host.close;
  process.stdout.write(`${JSON.stringify({ url: `${host.origin}/`, token: host.token })}\n`);
}
process.once('SIGTERM', () => {
  void close().then(() => {
    core.close();
    process.exit(0);
  });
});
