// A software signing key in an NSS database, so that poppler's `pdfsig -add-signature` can sign:
// the peer the signing benchmark compares against, and a maker of "already signed by other
// software" test inputs. The key is made here, by openssl, and has no password.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './fixtures.js';

export interface NssSigner {
  nssDir: string;
  nickname: string;
  caCertPem: string;
  /** Signs `input` into `output` with pdfsig (adbe.pkcs7.detached: its -etsi does not combine with -add-signature), SHA-256. */
  sign(input: string, output: string): void;
}

export function createNssSigner(commonName = 'Poppler Peer'): NssSigner {
  const dir = tempDir('eoffice-nss-signer-');
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Peer Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${commonName}`]);
  fs.writeFileSync(path.join(dir, 'leaf.ext'), 'keyUsage=critical,digitalSignature,nonRepudiation\n');
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.ext']);
  run(['pkcs12', '-export', '-inkey', 'leaf.key', '-in', 'leaf.pem', '-certfile', 'ca.pem', '-out', 'leaf.p12', '-passout', 'pass:', '-name', 'peer']);
  const nssDir = path.join(dir, 'nss');
  fs.mkdirSync(nssDir);
  execFileSync('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
  execFileSync('pk12util', ['-i', path.join(dir, 'leaf.p12'), '-d', `sql:${nssDir}`, '-W', ''], { stdio: ['ignore', 'pipe', 'pipe'] });
  execFileSync('certutil', ['-A', '-d', `sql:${nssDir}`, '-n', 'Peer Test CA', '-t', 'CT,C,C', '-i', path.join(dir, 'ca.pem')]);
  return {
    nssDir,
    nickname: 'peer',
    caCertPem: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    sign(input, output) {
      execFileSync('pdfsig', ['-nssdir', `sql:${nssDir}`, '-add-signature', '-nick', 'peer', '-digest', 'SHA256', input, output], { stdio: ['ignore', 'pipe', 'pipe'] });
    },
  };
}
