// A real PKCS#11 token for tests: SoftHSM2 (Debian's softhsm2) in a temporary folder, with an
// RSA-2048 key for a person, an ECDSA P-256 key for an agency, certificates for both from a test
// CA made with openssl, and the CA's certificate. No PIN ever appears on a command line: the
// token is set up through PKCS#11 itself; openssl only handles the CA's own key, which has none.
//
// SoftHSM reads SOFTHSM2_CONF when it is initialised, and a library is loaded once per process,
// so a process has one configuration: every token made in this process lives in the same token
// folder. Make a token once per test file (node --test runs each file in its own process).
import { execFile } from 'node:child_process';
import { createPublicKey, randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pkcs11js from 'pkcs11js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import type { Pkcs11Api } from '../../main/core/token/pkcs11.js';

const run = promisify(execFile);

export const SOFTHSM_MODULE = process.env.EOFFICE_SOFTHSM_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

export interface TestTokenOptions {
  label: string;
  /** Also make a third key (RSA) marked CKA_ALWAYS_AUTHENTICATE: it wants the PIN at every signature. */
  alwaysAuthenticateKey?: boolean;
  /** The agency the ECDSA certificate belongs to (its CN and O); "UBND xã Thử Nghiệm" by default. */
  agencyName?: string;
}

export interface TestToken {
  modulePath: string;
  label: string;
  userPin: string;
  soPin: string;
  /** The test CA: its certificate (also on the token, without a key) and its key file (no passphrase). */
  caCertPem: string;
  caKeyPath: string;
  /** This token's working folder (CA files, CSRs, public keys). */
  dir: string;
  /** "Nguyễn Văn An", O=UBND xã Thử Nghiệm: RSA-2048. */
  signerCertDer: Uint8Array;
  /** The agency's ("UBND xã Thử Nghiệm" unless agencyName said otherwise): ECDSA P-256. */
  agencyCertDer: Uint8Array;
  /** "Trần Thị Bình", RSA-2048, key with CKA_ALWAYS_AUTHENTICATE (only with the option). */
  alwaysAuthCertDer: Uint8Array | null;
  /** CKA_ID of each key and its certificate, lower-case hex. */
  ids: { signer: string; agency: string; alwaysAuth: string | null };
  cleanup(): void;
}

const { CKF_RW_SESSION, CKF_SERIAL_SESSION, CKF_TOKEN_INITIALIZED, CKU_SO, CKU_USER } = pkcs11js;

let root: { dir: string; tokens: number } | null = null;

function softhsmRoot(): { dir: string; tokens: number } {
  if (root) return root;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eoffice-softhsm-'));
  fs.mkdirSync(path.join(dir, 'tokens'));
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(
    conf,
    [`directories.tokendir = ${path.join(dir, 'tokens')}`, 'objectstore.backend = file', 'log.level = ERROR', 'slots.removable = false', ''].join('\n'),
  );
  // Before the first C_Initialize in this process, by anyone: SoftHSM reads it there.
  process.env.SOFTHSM2_CONF = conf;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  root = { dir, tokens: 0 };
  return root;
}

/** Creates a token with a unique label; see TestToken. */
export async function createTestToken(options: TestTokenOptions): Promise<TestToken> {
  const shared = softhsmRoot();
  const dir = fs.mkdtempSync(path.join(shared.dir, 'token-'));
  const userPin = String(randomInt(10_000_000, 100_000_000));
  const soPin = String(randomInt(10_000_000, 100_000_000));

  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(SOFTHSM_MODULE);
  let initializedHere = true;
  try {
    pkcs11.C_Initialize();
  } catch (error) {
    // The code under test loaded the module already (a second token in one file): share it.
    if ((error as { code?: number }).code !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw error;
    initializedHere = false;
  }
  try {
    const slots = pkcs11.C_GetSlotList(true);
    if (slots.some((slot) => pkcs11.C_GetTokenInfo(slot).label.trim() === options.label)) {
      throw new Error(`A test token labelled ${options.label} exists already in this process.`);
    }
    const free = slots.find((slot) => (pkcs11.C_GetTokenInfo(slot).flags & CKF_TOKEN_INITIALIZED) === 0);
    if (!free) throw new Error('SoftHSM has no free slot.');
    // CK_TOKEN_INFO.label is 32 bytes, blank padded; pkcs11js passes the string as it is.
    const labelBytes = Buffer.byteLength(options.label);
    if (labelBytes > 32) throw new Error('A token label is at most 32 bytes.');
    pkcs11.C_InitToken(free, soPin, options.label + ' '.repeat(32 - labelBytes));
    // SoftHSM renumbers the slot once the token is initialised.
    const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trim() === options.label);
    if (!slot) throw new Error('The new SoftHSM token vanished.');

    const session = pkcs11.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    try {
      pkcs11.C_Login(session, CKU_SO, soPin);
      pkcs11.C_InitPIN(session, userPin);
      pkcs11.C_Logout(session);
      pkcs11.C_Login(session, CKU_USER, userPin);

      const ids = {
        signer: randomBytes(20).toString('hex'),
        agency: randomBytes(20).toString('hex'),
        alwaysAuth: options.alwaysAuthenticateKey ? randomBytes(20).toString('hex') : null,
      };
      const signerKey = generateRsa(pkcs11, session, ids.signer, 'Nguyễn Văn An', false);
      const agencyName = options.agencyName ?? 'UBND xã Thử Nghiệm';
      const agencyKey = generateEcP256(pkcs11, session, ids.agency, agencyName);
      const alwaysAuthKey = ids.alwaysAuth ? generateRsa(pkcs11, session, ids.alwaysAuth, 'Trần Thị Bình', true) : null;

      const ca = await makeCa(dir, options.label);
      const signerCertDer = await issueCertificate(dir, ca, 'signer', signerKey, '/CN=Nguyễn Văn An/O=UBND xã Thử Nghiệm/C=VN');
      const agencyCertDer = await issueCertificate(dir, ca, 'agency', agencyKey, `/CN=${agencyName}/O=${agencyName}/C=VN`);
      const alwaysAuthCertDer = alwaysAuthKey
        ? await issueCertificate(dir, ca, 'always-auth', alwaysAuthKey, '/CN=Trần Thị Bình/O=UBND xã Thử Nghiệm/C=VN')
        : null;

      importCertificate(pkcs11, session, signerCertDer, ids.signer, 'Nguyễn Văn An');
      importCertificate(pkcs11, session, agencyCertDer, ids.agency, agencyName);
      if (alwaysAuthCertDer && ids.alwaysAuth) importCertificate(pkcs11, session, alwaysAuthCertDer, ids.alwaysAuth, 'Trần Thị Bình');
      importCertificate(pkcs11, session, ca.der, null, 'eOffice Test CA');
      pkcs11.C_Logout(session);

      shared.tokens += 1;
      let cleaned = false;
      return {
        modulePath: SOFTHSM_MODULE,
        label: options.label,
        userPin,
        soPin,
        caCertPem: ca.pem,
        caKeyPath: ca.keyPath,
        dir,
        signerCertDer,
        agencyCertDer,
        alwaysAuthCertDer,
        ids,
        cleanup() {
          if (cleaned) return;
          cleaned = true;
          fs.rmSync(dir, { recursive: true, force: true });
          shared.tokens -= 1;
          // The token files go with the last token: a module still loaded would lose them
          // under its feet otherwise.
          if (shared.tokens === 0 && root === shared) {
            fs.rmSync(shared.dir, { recursive: true, force: true });
            root = null;
          }
        },
      };
    } finally {
      pkcs11.C_CloseSession(session);
    }
  } finally {
    if (initializedHere) {
      pkcs11.C_Finalize();
      pkcs11.close();
    }
  }
}

type PublicKeyJwk = { kty: 'RSA'; n: string; e: string } | { kty: 'EC'; crv: 'P-256'; x: string; y: string };

function generateRsa(pkcs11: pkcs11js.PKCS11, session: Buffer, id: string, label: string, alwaysAuthenticate: boolean): PublicKeyJwk {
  const { publicKey } = pkcs11.C_GenerateKeyPair(
    session,
    { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_VERIFY, value: true },
      { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
      { type: pkcs11js.CKA_LABEL, value: label },
    ],
    privateKeyTemplate(id, label, alwaysAuthenticate),
  );
  const [modulus, exponent] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]);
  if (!modulus?.value || !exponent?.value) throw new Error('SoftHSM gave no RSA public key.');
  return { kty: 'RSA', n: modulus.value.toString('base64url'), e: exponent.value.toString('base64url') };
}

function generateEcP256(pkcs11: pkcs11js.PKCS11, session: Buffer, id: string, label: string): PublicKeyJwk {
  const { publicKey } = pkcs11.C_GenerateKeyPair(
    session,
    { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
    [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_VERIFY, value: true },
      // The named curve prime256v1, as a DER OBJECT IDENTIFIER.
      { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from('06082a8648ce3d030107', 'hex') },
      { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
      { type: pkcs11js.CKA_LABEL, value: label },
    ],
    privateKeyTemplate(id, label, false),
  );
  const [point] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11js.CKA_EC_POINT }]);
  if (!point?.value) throw new Error('SoftHSM gave no EC point.');
  // CKA_EC_POINT is the DER OCTET STRING around the uncompressed point 04‖x‖y (some modules give
  // the bare point).
  const raw = point.value[0] === 0x04 && point.value.length === 67 && point.value[1] === 65 ? point.value.subarray(2) : point.value;
  if (raw.length !== 65 || raw[0] !== 0x04) throw new Error('Unexpected EC point from SoftHSM.');
  return { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') };
}

function privateKeyTemplate(id: string, label: string, alwaysAuthenticate: boolean): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_SIGN, value: true },
    { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
    { type: pkcs11js.CKA_LABEL, value: label },
    ...(alwaysAuthenticate ? [{ type: pkcs11js.CKA_ALWAYS_AUTHENTICATE, value: true }] : []),
  ];
}

interface TestCa {
  pem: string;
  der: Uint8Array;
  certPath: string;
  keyPath: string;
}

/**
 * Each token has a CA of its own, named after the token: two tokens' CAs with one name and
 * certificates with the same serials would be one issuer to NSS (pdfsig), which then checks one
 * token's certificate against the other's CA key.
 */
async function makeCa(dir: string, tokenLabel: string): Promise<TestCa> {
  const certPath = path.join(dir, 'ca.pem');
  const keyPath = path.join(dir, 'ca.key');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '3650', '-utf8',
    '-subj', `/CN=eOffice Test CA/OU=${tokenLabel}/O=Bộ Thử Nghiệm/C=VN`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const pem = fs.readFileSync(certPath, 'utf8');
  return { pem, der: pemToDer(pem), certPath, keyPath };
}

/**
 * A certificate for a key that lives on the token. openssl wants a request signed by the key it
 * certifies, which the token's key cannot do here; so the request is made with a throwaway key
 * (it carries only the UTF-8 subject: `x509 -new -subj` would mangle it) and -force_pubkey puts
 * the token's public key into the certificate.
 */
async function issueCertificate(dir: string, ca: TestCa, name: string, publicKey: PublicKeyJwk, subject: string): Promise<Uint8Array> {
  // Random serials, as a CA gives them: no two test certificates share issuer and serial.
  const serial = randomBytes(8).toString('hex').replace(/^./, '1');
  const publicKeyPath = path.join(dir, `${name}.pub.pem`);
  fs.writeFileSync(publicKeyPath, createPublicKey({ key: publicKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));
  const extensionsPath = path.join(dir, `${name}.ext`);
  fs.writeFileSync(extensionsPath, ['basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature, nonRepudiation', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', ''].join('\n'));
  const requestPath = path.join(dir, `${name}.csr`);
  await run('openssl', [
    'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, `${name}.throwaway.key`),
    '-utf8', '-subj', subject, '-out', requestPath,
  ]);
  const certificatePath = path.join(dir, `${name}.der`);
  await run('openssl', [
    'x509', '-req', '-in', requestPath, '-force_pubkey', publicKeyPath, '-CA', ca.certPath, '-CAkey', ca.keyPath,
    '-days', '365', '-sha256', '-set_serial', `0x${serial}`, '-extfile', extensionsPath, '-outform', 'DER', '-out', certificatePath,
  ]);
  return new Uint8Array(fs.readFileSync(certificatePath));
}

function importCertificate(pkcs11: pkcs11js.PKCS11, session: Buffer, der: Uint8Array, id: string | null, label: string): void {
  const certificate = AsnConvert.parse(der, Certificate);
  const serial = Buffer.from(certificate.tbsCertificate.serialNumber);
  pkcs11.C_CreateObject(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_LABEL, value: label },
    ...(id ? [{ type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') }] : []),
    { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(AsnConvert.serialize(certificate.tbsCertificate.subject)) },
    { type: pkcs11js.CKA_ISSUER, value: Buffer.from(AsnConvert.serialize(certificate.tbsCertificate.issuer)) },
    // CKA_SERIAL_NUMBER is the DER encoding of the INTEGER, tag and length included.
    { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.concat([Buffer.from([0x02, serial.length]), serial]) },
    { type: pkcs11js.CKA_VALUE, value: Buffer.from(der) },
  ]);
}

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/**
 * A PKCS#11 binding with faults injected: every call goes to `real` unless `faults` has a
 * replacement for it, looked up at call time (so a test can add and remove faults on the fly).
 */
export function faultyPkcs11(real: Pkcs11Api): { api: Pkcs11Api; faults: Partial<Pkcs11Api>; clear(): void } {
  const faults: Partial<Pkcs11Api> = {};
  const api = new Proxy(real, {
    get(target, property, receiver) {
      const fault = (faults as Record<string | symbol, unknown>)[property];
      if (fault !== undefined) return fault;
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    api,
    faults,
    clear() {
      for (const key of Object.keys(faults)) delete (faults as Record<string, unknown>)[key];
    },
  };
}

/** The error pkcs11js throws when a call returns this CKR (e.g. 'CKR_DEVICE_REMOVED'). */
export function pkcs11Failure(name: `CKR_${string}`, method = ''): Error {
  const code = (pkcs11js as unknown as Record<string, unknown>)[name];
  if (typeof code !== 'number') throw new Error(`Unknown PKCS#11 return value ${name}.`);
  return new pkcs11js.Pkcs11Error(name, code, method);
}
