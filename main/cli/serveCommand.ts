// eoffice serve: this data folder as the office host (issue 15), headless — on the clerk's PC or a
// small always-on machine, as a systemd unit or a Windows service (README, "The office host").
// It serves the contract and the renderer over HTTPS to colleagues signed in with their accounts,
// runs the exchange with the axis on its interval, and prints what the person setting up needs:
// the addresses, and the certificate's fingerprint as syllables and a QR code, to compare with
// what each client shows on its first connection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import type { Core } from '../core/app/core.js';
import { invoke } from '../core/api/invoke.js';
import { hostCertificate, fingerprintWords } from '../core/office/hostCertificate.js';
import { startOfficeHost } from '../core/web/officeHost.js';
import type { Input, MethodName, Output } from '../common/contract.js';
import { CliError, UsageError } from './cliError.js';

async function call<M extends MethodName>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const envelope = await invoke(core.handlers, method, input, () => undefined);
  if (!envelope.ok) throw new CliError(envelope.error.message);
  return envelope.result as Output<M>;
}

/** address:port, [v6]:port, or a port alone (every address). */
export function listenOption(text: string | undefined): { host: string; port: number } {
  const given = text ?? '0.0.0.0:8443';
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([^:]*)):(\d{1,5})$/.exec(given) ?? /^()()(\d{1,5})$/.exec(given);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65535) throw new UsageError(`--listen takes address:port (e.g. 0.0.0.0:8443 or 192.168.1.10:8443), not "${given}"`);
  return { host: match[1] || match[2] || '0.0.0.0', port };
}

/** The built renderer beside the command's bundle (dist/renderer), wherever its chunk runs from. */
function rendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'renderer'), path.join(dir, 'dist', 'renderer')]) if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  throw new CliError('the user interface is not built: run "npm run build" first');
}

/** The addresses colleagues can use: the listen address, or every IPv4 address of this machine. */
function addresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const found = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address));
  return found.length ? found : ['127.0.0.1'];
}

export async function runServe(core: Core, listen: string | undefined, out: (line: string) => void, untilStopped: () => Promise<unknown>): Promise<number> {
  const at = listenOption(listen);
  const admins = (await call(core, 'users.list', {})).filter((u) => u.active && u.roles.includes('quan-tri'));
  if (admins.length === 0) {
    throw new CliError('no administrator yet: create the first one on this machine with eoffice users add <login> --name "…" --role quan-tri (the password from standard input)');
  }
  const agency = await call(core, 'agency.get', {});
  const certificate = hostCertificate(core.dataDir, agency.name);
  const host = await startOfficeHost({
    core,
    certificate,
    staticDir: rendererDir(),
    listen: at,
    maxBodyBytes: () => Math.ceil(core.settings.read().maxImportMegabytes * 1048576 * 1.4) + 65536,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  core.exchange.start();
  out('Máy chủ văn phòng eOffice đang chạy / The eOffice office host is running:');
  for (const address of addresses(at.host)) out(`  https://${address.includes(':') ? `[${address}]` : address}:${host.port}/`);
  out(`Dấu vân tay chứng thư / Certificate fingerprint (SHA-256):`);
  out(`  ${certificate.fingerprint256}`);
  out(`  ${fingerprintWords(certificate.fingerprint256)}`);
  out(await QRCode.toString(`eoffice-host:${certificate.fingerprint256}`, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }));
  out(`Dữ liệu / Data: ${core.dataDir} — dừng bằng Ctrl+C / stop with Ctrl+C`);
  await untilStopped();
  await host.close();
  return 0;
}
