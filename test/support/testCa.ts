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
  /** Where the hierarchy publishes revocation (TestCaOptions), for certificates issued later. */
  options: TestCaOptions;
}

/** Revocation services the certificates name, on a loopback server the test runs. */
export interface TestCaOptions {
  /** CRLs at `${crlBaseUrl}/root.crl` (for the intermediate) and `${crlBaseUrl}/intermediate.crl` (for the signers). */
  crlBaseUrl?: string;
  /** OCSP responder for the signers' certificates (authorityInfoAccess). */
  ocspUrl?: string;
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

function revocationExtensions(options: TestCaOptions, crlName: 'root' | 'intermediate', withOcsp: boolean): string[] {
  const lines: string[] = [];
  if (options.crlBaseUrl) lines.push(`crlDistributionPoints = URI:${options.crlBaseUrl}/${crlName}.crl`);
  if (withOcsp && options.ocspUrl) lines.push(`authorityInfoAccess = OCSP;URI:${options.ocspUrl}`);
  return lines;
}

function issued(dir: string, name: string, issuer: TestCertificate, subject: Subject, options: { keyType: 'rsa' | 'ec'; serial: string; extensions: string[] }): TestCertificate {
  const config = path.join(dir, `${name}.cnf`);
  const key = path.join(dir, `${name}.key`);
  const request = path.join(dir, `${name}.csr`);
  writeConfig(config, subject, options.extensions);
  generateKey(key, options.keyType);
  openssl(['req', '-new', '-config', config, '-key', key, '-out', request]);
  // `x509 -req` copies the subject from the request as encoded, string types included.
  openssl([
    'x509', '-req', '-in', request, '-CA', issuer.certPath, '-CAkey', issuer.keyPath, '-set_serial', options.serial,
    '-days', '825', '-sha256', '-extfile', config, '-extensions', 'ext', '-out', path.join(dir, `${name}.pem`),
  ]);
  return finish(dir, name);
}

/**
 * Makes the hierarchy in `dir` (a new temporary folder by default); takes a second or two. With
 * `options`, the intermediate and the signers name where their revocation is published.
 */
export function createTestCa(dir: string = tempDir('eoffice-ca-'), options: TestCaOptions = {}): TestCa {
  const root = selfSigned(dir, 'root', { C: 'VN', O: 'Ban Cơ yếu Chính phủ (thử nghiệm)', CN: 'eOffice Test Root CA' }, '0x01');
  const intermediate = issued(dir, 'intermediate', root, { C: 'VN', O: 'eOffice Test', CN: 'Trung tâm Chứng thực điện tử thử nghiệm' }, { keyType: 'rsa', serial: '0x1002', extensions: [...CA_EXTENSIONS, 'authorityKeyIdentifier = keyid', ...revocationExtensions(options, 'root', false)] });
  const signerExtensions = [...SIGNER_EXTENSIONS, ...revocationExtensions(options, 'intermediate', true)];
  // The RSA signer's serial has its top bit set, so its DER INTEGER needs a leading zero byte.
  const rsa = issued(dir, 'signer-rsa', intermediate, { C: 'VN', ST: 'Hà Nội', O: 'Sở Nội vụ', CN: 'Nguyễn Văn An' }, { keyType: 'rsa', serial: '0x8F3A5C0011223344556677', extensions: signerExtensions });
  const ec = issued(dir, 'signer-ec', intermediate, { C: 'VN', ST: 'Đà Nẵng', O: 'Văn phòng UBND', CN: 'Trần Thị Bình' }, { keyType: 'ec', serial: '0x5EC0000000000001', extensions: signerExtensions });
  return { dir, root, intermediate, rsa, ec, chain: [intermediate.certDer], options };
}

/** openssl's dates: YYYYMMDDHHMMSSZ. */
function opensslTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** A minimal `openssl ca` setup in `dir` over the given index (the CA's database of issued and revoked certificates). */
function caConfig(dir: string, name: string, index: string, serialHex: string): string {
  fs.writeFileSync(path.join(dir, `${name}.index`), index);
  fs.writeFileSync(path.join(dir, `${name}.serial`), `${serialHex}\n`);
  const config = path.join(dir, `${name}.ca.cnf`);
  fs.writeFileSync(
    config,
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `database = ${path.join(dir, `${name}.index`)}`,
      `serial = ${path.join(dir, `${name}.serial`)}`,
      `new_certs_dir = ${dir}`,
      'default_md = sha256',
      'default_crl_days = 1',
      'policy = any_subject',
      'unique_subject = no',
      'email_in_dn = no',
      'preserve = yes',
      '[any_subject]',
      'countryName = optional',
      'stateOrProvinceName = optional',
      'organizationName = optional',
      'commonName = supplied',
    ].join('\n') + '\n',
  );
  return config;
}

/**
 * A signer certificate from the intermediate with chosen dates (`openssl ca`, since `x509 -req`
 * sets only a number of days from now): for certificates already expired, or not yet valid.
 */
export function issueSigner(ca: TestCa, name: string, subject: Subject, options: { serialHex: string; notBefore: Date; notAfter: Date; extensions?: string[] }): TestCertificate {
  const config = path.join(ca.dir, `${name}.cnf`);
  const key = path.join(ca.dir, `${name}.key`);
  const request = path.join(ca.dir, `${name}.csr`);
  writeConfig(config, subject, options.extensions ?? [...SIGNER_EXTENSIONS, ...revocationExtensions(ca.options, 'intermediate', true)]);
  generateKey(key, 'rsa');
  openssl(['req', '-new', '-config', config, '-key', key, '-out', request]);
  const database = caConfig(ca.dir, `${name}-issuing`, '', options.serialHex);
  openssl([
    'ca', '-batch', '-notext', '-config', database, '-cert', ca.intermediate.certPath, '-keyfile', ca.intermediate.keyPath, '-in', request,
    '-startdate', opensslTime(options.notBefore), '-enddate', opensslTime(options.notAfter), '-extfile', config, '-extensions', 'ext', '-out', path.join(ca.dir, `${name}.pem`),
  ]);
  return finish(ca.dir, name);
}

/** A delegated OCSP responder certificate (extendedKeyUsage OCSPSigning) issued by the intermediate. */
export function issueOcspResponder(ca: TestCa): TestCertificate {
  const extensions = ['basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = OCSPSigning', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid'];
  return issued(ca.dir, 'ocsp-responder', ca.intermediate, { C: 'VN', O: 'eOffice Test', CN: 'Máy chủ OCSP thử nghiệm' }, { keyType: 'rsa', serial: '0x0C5D', extensions });
}

export interface RevokedEntry {
  /** Upper-case hex. */
  serialHex: string;
  revokedAt: Date;
  /** An openssl CRL reason: keyCompromise, superseded, … */
  reason?: string;
}

/** An openssl-made CRL of `issuer` (DER) listing `revoked`, with the given update times. */
export function makeCrl(dir: string, issuer: TestCertificate, revoked: RevokedEntry[], times: { lastUpdate: Date; nextUpdate: Date }): Uint8Array {
  const name = `crl-${path.basename(issuer.certPath, '.pem')}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
  // The database's columns: status, expiry, revocation (date[,reason]), serial, file, subject.
  const index = revoked.map((entry) => `R\t991231235959Z\t${opensslTime(entry.revokedAt).slice(2)}${entry.reason ? `,${entry.reason}` : ''}\t${entry.serialHex}\tunknown\t/CN=revoked\n`).join('');
  const config = caConfig(dir, name, index, '01');
  const out = path.join(dir, `${name}.crl`);
  openssl(['ca', '-gencrl', '-config', config, '-cert', issuer.certPath, '-keyfile', issuer.keyPath, '-crl_lastupdate', opensslTime(times.lastUpdate), '-crl_nextupdate', opensslTime(times.nextUpdate), '-out', out]);
  openssl(['crl', '-in', out, '-outform', 'DER', '-out', `${out}.der`]);
  return new Uint8Array(fs.readFileSync(`${out}.der`));
}
