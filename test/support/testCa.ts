// A throwaway certificate hierarchy made with the openssl CLI, for signing tests:
// a root CA, an intermediate CA and two signer certificates (RSA-2048 and EC P-256) with
// Vietnamese names. The Names mix string types the way real Vietnamese CA certificates do:
// `string_mask = MASK:0x2002` lets openssl pick PrintableString when a value fits it and
// UTF8String otherwise, so "VN" is a PrintableString and "Nguyễn Văn An" a UTF8String.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './fixtures.js';

export interface TestCertificate {
  keyPath: string;
  keyPem: string;
  /** PEM */
  certPath: string;
  certPem: string;
  certDerPath: string;
  certDer: Uint8Array;
}

export interface TestCa {
  dir: string;
  root: TestCertificate;
  intermediate: TestCertificate;
  /** Signer with an RSA-2048 key, issued by the intermediate. */
  rsa: TestCertificate;
  /** Signer with an EC P-256 key, issued by the intermediate. */
  ec: TestCertificate;
  /** The certificates between a signer and the root: [intermediate]. */
  chain: Uint8Array[];
}

interface Subject {
  [attribute: string]: string;
}

const CA_EXTENSIONS = ['basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash'];
const SIGNER_EXTENSIONS = [
  'basicConstraints = critical, CA:false',
  'keyUsage = critical, digitalSignature, nonRepudiation',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
];

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr || (error as Error).message}`);
  }
}

function writeConfig(file: string, subject: Subject, extensions: string[]): void {
  const lines = [
    '[req]',
    'prompt = no',
    'utf8 = yes',
    'string_mask = MASK:0x2002',
    'distinguished_name = dn',
    '[dn]',
    ...Object.entries(subject).map(([name, value]) => `${name} = ${value}`),
    '[ext]',
    ...extensions,
  ];
  fs.writeFileSync(file, lines.join('\n') + '\n', 'utf8');
}

function generateKey(file: string, type: 'rsa' | 'ec'): void {
  openssl(
    type === 'rsa'
      ? ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file]
      : ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file],
  );
}

function finish(dir: string, name: string): TestCertificate {
  const keyPath = path.join(dir, `${name}.key`);
  const certPath = path.join(dir, `${name}.pem`);
  const certDerPath = path.join(dir, `${name}.der`);
  const certPem = fs.readFileSync(certPath, 'utf8');
  const certDer = new Uint8Array(new X509Certificate(certPem).raw);
  fs.writeFileSync(certDerPath, certDer);
  return { keyPath, keyPem: fs.readFileSync(keyPath, 'utf8'), certPath, certPem, certDerPath, certDer };
}

function selfSigned(dir: string, name: string, subject: Subject, serial: string): TestCertificate {
  const config = path.join(dir, `${name}.cnf`);
  writeConfig(config, subject, CA_EXTENSIONS);
  generateKey(path.join(dir, `${name}.key`), 'rsa');
  openssl(['req', '-new', '-x509', '-config', config, '-extensions', 'ext', '-key', path.join(dir, `${name}.key`), '-sha256', '-days', '3650', '-set_serial', serial, '-out', path.join(dir, `${name}.pem`)]);
  return finish(dir, name);
}

function issued(dir: string, name: string, issuer: TestCertificate, subject: Subject, options: { keyType: 'rsa' | 'ec'; serial: string; ca: boolean }): TestCertificate {
  const config = path.join(dir, `${name}.cnf`);
  const key = path.join(dir, `${name}.key`);
  const request = path.join(dir, `${name}.csr`);
  writeConfig(config, subject, options.ca ? CA_EXTENSIONS.concat('authorityKeyIdentifier = keyid') : SIGNER_EXTENSIONS);
  generateKey(key, options.keyType);
  openssl(['req', '-new', '-config', config, '-key', key, '-out', request]);
  // `x509 -req` copies the subject from the request as encoded, string types included.
  openssl([
    'x509', '-req', '-in', request, '-CA', issuer.certPath, '-CAkey', issuer.keyPath, '-set_serial', options.serial,
    '-days', '825', '-sha256', '-extfile', config, '-extensions', 'ext', '-out', path.join(dir, `${name}.pem`),
  ]);
  return finish(dir, name);
}

/** Makes the hierarchy in `dir` (a new temporary folder by default); takes a second or two. */
export function createTestCa(dir: string = tempDir('eoffice-ca-')): TestCa {
  const root = selfSigned(dir, 'root', { C: 'VN', O: 'Ban Cơ yếu Chính phủ (thử nghiệm)', CN: 'eOffice Test Root CA' }, '0x01');
  const intermediate = issued(dir, 'intermediate', root, { C: 'VN', O: 'eOffice Test', CN: 'Trung tâm Chứng thực điện tử thử nghiệm' }, { keyType: 'rsa', serial: '0x1002', ca: true });
  // The RSA signer's serial has its top bit set, so its DER INTEGER needs a leading zero byte.
  const rsa = issued(dir, 'signer-rsa', intermediate, { C: 'VN', ST: 'Hà Nội', O: 'Sở Nội vụ', CN: 'Nguyễn Văn An' }, { keyType: 'rsa', serial: '0x8F3A5C0011223344556677', ca: false });
  const ec = issued(dir, 'signer-ec', intermediate, { C: 'VN', ST: 'Đà Nẵng', O: 'Văn phòng UBND', CN: 'Trần Thị Bình' }, { keyType: 'ec', serial: '0x5EC0000000000001', ca: false });
  return { dir, root, intermediate, rsa, ec, chain: [intermediate.certDer] };
}
