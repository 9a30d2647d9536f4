// The mutual TLS of the MSS listener: a server certificate for 127.0.0.1 and an application
// provider's (AP) client certificate, both issued with openssl by the test token's CA, whose key
// has no passphrase. The keys are throwaway P-256 keys made here; nothing is kept on disk.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestToken } from '../support/softhsm.js';

const run = promisify(execFile);

export interface MssTls {
  /** The CA a client trusts for the server, and the server for the AP's certificate. */
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

export async function issueMssTls(token: TestToken): Promise<MssTls> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eoffice-remote-signer-tls-'));
  try {
    const caPath = path.join(dir, 'ca.pem');
    fs.writeFileSync(caPath, token.caCertPem);
    const server = await issue(dir, caPath, token.caKeyPath, 'server', '/CN=127.0.0.1/O=Remote signer (test)/C=VN', [
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
    ]);
    const client = await issue(dir, caPath, token.caKeyPath, 'ap-client', '/CN=eoffice-ap/O=eOffice (test AP)/C=VN', ['extendedKeyUsage = clientAuth']);
    return { caPem: token.caCertPem, serverCertPem: server.certPem, serverKeyPem: server.keyPem, clientCertPem: client.certPem, clientKeyPem: client.keyPem };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function issue(dir: string, caPath: string, caKeyPath: string, name: string, subject: string, extensions: string[]): Promise<{ certPem: string; keyPem: string }> {
  const keyPath = path.join(dir, `${name}.key`);
  const requestPath = path.join(dir, `${name}.csr`);
  const certPath = path.join(dir, `${name}.pem`);
  const extensionsPath = path.join(dir, `${name}.ext`);
  fs.writeFileSync(extensionsPath, ['basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', ...extensions, ''].join('\n'));
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-utf8', '-subj', subject, '-out', requestPath]);
  await run('openssl', [
    'x509', '-req', '-in', requestPath, '-CA', caPath, '-CAkey', caKeyPath, '-days', '30', '-sha256',
    '-set_serial', `0x1${randomBytes(8).toString('hex')}`, '-extfile', extensionsPath, '-out', certPath,
  ]);
  return { certPem: fs.readFileSync(certPath, 'utf8'), keyPem: fs.readFileSync(keyPath, 'utf8') };
}
