// The token layer against a real PKCS#11 token (SoftHSM2), with faults that SoftHSM cannot
// produce (a locked PIN, a token pulled out, a key that refuses) injected around the real binding.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, verify as verifySignature } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { AppError } from '../../main/common/errors.js';
import { certificateFacts } from '../../main/core/token/certificate.js';
import { architectureProblem, findModules, inspectModuleBinary, knownModulePaths, loadModule, type LoadedModule } from '../../main/core/token/modules.js';
import {
  CKF_USER_PIN_COUNT_LOW,
  CKF_USER_PIN_FINAL_TRY,
  CKF_USER_PIN_LOCKED,
  CKM_RSA_PKCS,
  CKM_SHA256_RSA_PKCS,
  CKU_CONTEXT_SPECIFIC,
  CKU_USER,
  type Pkcs11Api,
} from '../../main/core/token/pkcs11.js';
import { openTokenSession, type TokenSession } from '../../main/core/token/session.js';
import { ecdsaRawToDer } from '../../main/core/token/signingKey.js';
import { listTokens, TokenWatcher, type TokenChange } from '../../main/core/token/tokens.js';
import { tempDir } from '../support/fixtures.js';
import { createTestToken, faultyPkcs11, pkcs11Failure, type TestToken } from '../support/softhsm.js';

const LABEL = 'eOffice Thử Nghiệm';
const WRONG_PIN = '97531864';
const DATA = new TextEncoder().encode('signed attributes of Quyết định số 12/QĐ-UBND');

let token: TestToken;
let module: LoadedModule;

before(async () => {
  token = await createTestToken({ label: LABEL, alwaysAuthenticateKey: true });
  module = loadModule(token.modulePath);
});

after(() => {
  module?.release();
  token?.cleanup();
});

/** Every PIN this file uses: none may appear in an error. */
function pins(): string[] {
  return [token.userPin, token.soPin, WRONG_PIN];
}

/** Awaits a failure and checks it is the AppError with this reason, and that no PIN leaks through it. */
async function failure(promise: Promise<unknown> | (() => unknown), reason: string): Promise<AppError> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AppError, `expected an AppError with reason ${reason}, got ${String(caught)}`);
  assert.equal(caught.code, reason, caught.message);
  const shown = `${caught.message} ${JSON.stringify(caught.details)} ${caught.stack ?? ''}`;
  for (const pin of pins()) assert.ok(!shown.includes(pin), `the error shows a PIN: ${shown}`);
  return caught;
}

async function withSession<T>(api: Pkcs11Api, run: (session: TokenSession) => Promise<T>): Promise<T> {
  const session = openTokenSession(api, { label: LABEL });
  try {
    return await run(session);
  } finally {
    // Closing the last session also logs the token out: every test starts logged out.
    await session.close();
  }
}

function caCertificateDer(): Uint8Array {
  return new Uint8Array(new X509Certificate(token.caCertPem).raw);
}

test('lists the token by label, with the signer’s and the agency’s certificates and their facts', () => {
  const now = new Date();
  const listing = listTokens(module.pkcs11, now).find((t) => t.label === LABEL);
  assert.ok(listing, 'the token is listed by its label');
  assert.equal(listing.manufacturer, 'SoftHSM project');
  assert.ok(listing.serial.length > 0);
  assert.ok(listing.slotId.length > 0);
  assert.equal(listing.loginRequired, true);
  assert.deepEqual(listing.pin, { countLow: false, finalTry: false, locked: false, toBeChanged: false, pinPad: false });
  assert.equal(listing.problem, null);

  const signer = listing.certificates.find((c) => c.id === token.ids.signer);
  const agency = listing.certificates.find((c) => c.id === token.ids.agency);
  assert.ok(signer && agency);
  assert.deepEqual(Buffer.from(signer.der), Buffer.from(token.signerCertDer));
  assert.deepEqual(Buffer.from(agency.der), Buffer.from(token.agencyCertDer));
  assert.equal(signer.subject, 'CN=Nguyễn Văn An, O=UBND xã Thử Nghiệm, C=VN');
  assert.equal(signer.subjectCommonName, 'Nguyễn Văn An');
  assert.equal(agency.subjectCommonName, 'UBND xã Thử Nghiệm');
  assert.equal(signer.issuerCommonName, 'eOffice Test CA');
  // As the CA gave them: random, in upper-case hex.
  assert.equal(signer.serialNumber, new X509Certificate(token.signerCertDer).serialNumber);
  assert.equal(agency.serialNumber, new X509Certificate(token.agencyCertDer).serialNumber);
  assert.equal(signer.keyType, 'rsa');
  assert.equal(agency.keyType, 'ec');
  assert.deepEqual(signer.keyUsage, { digitalSignature: true, nonRepudiation: true });
  assert.equal(signer.canSign, true);
  assert.equal(signer.isCa, false);
  assert.equal(signer.warning, 'ok');
  const x509 = new X509Certificate(token.signerCertDer);
  assert.equal(signer.validFrom, new Date(x509.validFrom).toISOString());
  assert.equal(signer.validTo, new Date(x509.validTo).toISOString());
  // Private keys are hidden before login: the pairing rests on the public keys' CKA_ID.
  assert.equal(signer.keyVerified, false);
  assert.ok(
    listing.certificates.every((c) => !c.isCa),
    'the CA certificate, which has no key, is not offered for signing',
  );
  assert.equal(listing.certificates.length, 3, 'signer, agency and the always-authenticate key');
  assert.ok(!listTokens(module.pkcs11).some((t) => t.label === ''), 'SoftHSM’s spare uninitialised slot is not a token');
});

test('warns about certificates that are expired, expiring within 30 days, or not yet valid, as of `now`', () => {
  const facts = certificateFacts(token.signerCertDer);
  const from = new Date(facts.validFrom).getTime();
  const to = new Date(facts.validTo).getTime();
  const day = 86_400_000;
  const at = (time: number) => certificateFacts(token.signerCertDer, new Date(time)).warning;
  assert.equal(at(from - day), 'not-yet-valid');
  assert.equal(at(from + day), 'ok');
  assert.equal(at(to - 31 * day), 'ok');
  assert.equal(at(to - 30 * day), 'expiring');
  assert.equal(at(to - day), 'expiring');
  assert.equal(at(to + 1000), 'expired');
  const listed = listTokens(module.pkcs11, new Date(to + day))
    .find((t) => t.label === LABEL)
    ?.certificates.find((c) => c.id === token.ids.agency);
  assert.equal(listed?.warning, 'expired', 'the listing judges at the `now` it is given');
});

test('a wrong PIN is refused with a clear error; the next login warns that one was entered', async () => {
  await withSession(module.pkcs11, async (session) => {
    const error = await failure(session.login(WRONG_PIN), 'PIN_INCORRECT');
    assert.match(error.message, /PIN is incorrect/);
    assert.equal((await session.pinStatus()).countLow, true, 'SoftHSM counts the failure');
    await failure(session.login(''), 'PIN_REQUIRED');
    const result = await session.login(token.userPin);
    assert.deepEqual(result, { alreadyLoggedIn: false, warning: 'PIN_COUNT_LOW' });
    assert.deepEqual(await session.login(token.userPin), { alreadyLoggedIn: true, warning: null });
    // Login state belongs to the token: a second session is logged in already.
    await withSession(module.pkcs11, async (second) => {
      assert.deepEqual(await second.login(token.userPin), { alreadyLoggedIn: true, warning: null });
    });
    assert.ok(!inspect(session, { depth: 8, showHidden: true }).includes(token.userPin), 'the session does not keep the PIN');
  });
});

test('signs with the RSA key and the ECDSA key, and both signatures verify against the certificates', async () => {
  await withSession(module.pkcs11, async (session) => {
    await failure(session.signingKey(token.ids.signer), 'NOT_LOGGED_IN');
    await session.login(token.userPin);
    const certificates = await session.certificates();
    assert.ok(certificates.length === 3 && certificates.every((c) => c.keyVerified), 'after login the private keys are seen');

    const rsa = await session.signingKey(token.ids.signer);
    assert.equal(rsa.keyType, 'rsa');
    assert.deepEqual(Buffer.from(rsa.certificate), Buffer.from(token.signerCertDer));
    assert.deepEqual(
      rsa.chain.map((der) => Buffer.from(der)),
      [Buffer.from(caCertificateDer())],
      'the chain is the CA certificate found on the token',
    );
    assert.equal(rsa.alwaysAuthenticate, false);
    const rsaSignature = await rsa.sign(DATA);
    assert.equal(rsaSignature.length, 256);
    assert.ok(verifySignature('sha256', DATA, new X509Certificate(token.signerCertDer).publicKey, rsaSignature), 'RSA-SHA256 PKCS#1 v1.5');

    const ec = await session.signingKey(token.ids.agency);
    assert.equal(ec.keyType, 'ec');
    const ecSignature = await ec.sign(DATA);
    assert.equal(ecSignature[0], 0x30, 'a DER SEQUENCE');
    assert.ok(verifySignature('sha256', DATA, new X509Certificate(token.agencyCertDer).publicKey, ecSignature), 'ECDSA-Sig-Value');

    // Chosen by serial number too, whatever the case and leading zeros.
    const bySerial = await session.signingKey(`00${new X509Certificate(token.signerCertDer).serialNumber.toLowerCase()}`);
    assert.equal(bySerial.id, token.ids.signer);
    await failure(session.signingKey('deadbeef'), 'CERTIFICATE_NOT_FOUND');
  });
});

test('falls back to CKM_RSA_PKCS over a SHA-256 DigestInfo when the token lacks CKM_SHA256_RSA_PKCS', async () => {
  for (const how of ['not listed', 'refused at C_SignInit'] as const) {
    const { api, faults } = faultyPkcs11(module.pkcs11);
    const mechanisms: number[] = [];
    if (how === 'not listed') {
      faults.C_GetMechanismList = (slot) => module.pkcs11.C_GetMechanismList(slot).filter((m) => m !== CKM_SHA256_RSA_PKCS);
    }
    faults.C_SignInit = (session, mechanism, key) => {
      mechanisms.push(mechanism.mechanism);
      if (how === 'refused at C_SignInit' && mechanism.mechanism === CKM_SHA256_RSA_PKCS) throw pkcs11Failure('CKR_MECHANISM_INVALID', 'C_SignInit');
      module.pkcs11.C_SignInit(session, mechanism, key);
    };
    await withSession(api, async (session) => {
      await session.login(token.userPin);
      const key = await session.signingKey(token.ids.signer);
      for (let i = 0; i < 2; i++) {
        const signature = await key.sign(DATA);
        assert.ok(verifySignature('sha256', DATA, new X509Certificate(token.signerCertDer).publicKey, signature), `${how}: the fallback signature verifies`);
      }
    });
    const expected = how === 'not listed' ? [CKM_RSA_PKCS, CKM_RSA_PKCS] : [CKM_SHA256_RSA_PKCS, CKM_RSA_PKCS, CKM_RSA_PKCS];
    assert.deepEqual(mechanisms, expected, `${how}: tried once, then remembered`);
  }
});

test('refuses the final PIN try without confirmation and a locked PIN outright; says how many tries remain', async () => {
  const { api, faults } = faultyPkcs11(module.pkcs11);
  let extraFlags = 0;
  faults.C_GetTokenInfo = (slot) => {
    const info = module.pkcs11.C_GetTokenInfo(slot);
    return { ...info, flags: info.flags | extraFlags };
  };
  let userLogins = 0;
  faults.C_Login = (session, userType, pin) => {
    if (userType === CKU_USER) userLogins += 1;
    module.pkcs11.C_Login(session, userType, pin);
  };
  await withSession(api, async (session) => {
    extraFlags = CKF_USER_PIN_FINAL_TRY;
    assert.equal((await session.pinStatus()).finalTry, true);
    const finalTry = await failure(session.login(token.userPin), 'PIN_FINAL_TRY');
    assert.match(finalTry.message, /One more wrong PIN will lock the token/);
    assert.equal(userLogins, 0, 'the PIN was not even tried');
    assert.deepEqual(await session.login(token.userPin, { confirmFinalTry: true }), { alreadyLoggedIn: false, warning: null });
    assert.equal(userLogins, 1);
    await session.logout();

    extraFlags = CKF_USER_PIN_LOCKED;
    const locked = await failure(session.login(token.userPin, { confirmFinalTry: true }), 'PIN_LOCKED');
    assert.equal(locked.message, "The PIN is locked; unlock it with the CA's tool (PUK/SO PIN).");
    assert.equal(userLogins, 1, 'a locked PIN is not tried');

    extraFlags = CKF_USER_PIN_COUNT_LOW;
    assert.deepEqual(await session.login(token.userPin), { alreadyLoggedIn: false, warning: 'PIN_COUNT_LOW' });
    await session.logout();

    // A wrong PIN after which the token says one try is left, or that it is now locked.
    extraFlags = 0;
    faults.C_Login = () => {
      extraFlags = CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY;
      throw pkcs11Failure('CKR_PIN_INCORRECT', 'C_Login');
    };
    const lastTry = await failure(session.login(WRONG_PIN), 'PIN_INCORRECT');
    assert.match(lastTry.message, /incorrect\. One more wrong PIN will lock the token/);
    assert.equal(lastTry.details?.finalTry, true);
    faults.C_Login = () => {
      extraFlags = CKF_USER_PIN_LOCKED;
      throw pkcs11Failure('CKR_PIN_INCORRECT', 'C_Login');
    };
    await failure(session.login(WRONG_PIN, { confirmFinalTry: true }), 'PIN_LOCKED');
    extraFlags = 0;
    faults.C_Login = () => {
      throw pkcs11Failure('CKR_PIN_LOCKED', 'C_Login');
    };
    await failure(session.login(WRONG_PIN), 'PIN_LOCKED');
  });
});

test('a token pulled out, a lost session and a key that refuses are clear errors', async () => {
  const { api, faults, clear } = faultyPkcs11(module.pkcs11);
  await withSession(api, async (session) => {
    await session.login(token.userPin);
    const key = await session.signingKey(token.ids.signer);
    const cases: Array<[string, string, string]> = [
      ['CKR_DEVICE_REMOVED', 'C_Sign', 'TOKEN_REMOVED'],
      ['CKR_TOKEN_NOT_PRESENT', 'C_Sign', 'TOKEN_REMOVED'],
      ['CKR_SESSION_HANDLE_INVALID', 'C_SignInit', 'TOKEN_REMOVED'],
      ['CKR_SESSION_CLOSED', 'C_SignInit', 'TOKEN_REMOVED'],
      ['CKR_KEY_FUNCTION_NOT_PERMITTED', 'C_SignInit', 'KEY_REFUSED'],
      ['CKR_FUNCTION_REJECTED', 'C_Sign', 'KEY_REFUSED'],
    ];
    for (const [ckr, where, reason] of cases) {
      clear();
      if (where === 'C_Sign') {
        // The real C_Sign runs (ending the operation, as a failing token's would), then fails.
        faults.C_SignAsync = async (s, data, out) => {
          await module.pkcs11.C_SignAsync(s, data, out);
          throw pkcs11Failure(ckr as `CKR_${string}`, 'C_Sign');
        };
      } else {
        faults.C_SignInit = () => {
          throw pkcs11Failure(ckr as `CKR_${string}`, 'C_SignInit');
        };
      }
      const error = await failure(key.sign(DATA), reason);
      assert.equal(error.details?.pkcs11, ckr);
      assert.match(error.message, reason === 'TOKEN_REMOVED' ? /removed or its session was lost/ : /refused to sign/);
    }
    clear();
    assert.ok((await key.sign(DATA)).length > 0, 'the session still signs once the fault is gone');

    // A key that is not the certificate's (a botched renewal): caught before it reaches a PDF.
    faults.C_SignAsync = async (s, data, out) => {
      const signature = await module.pkcs11.C_SignAsync(s, data, out);
      signature[10] = (signature[10] ?? 0) ^ 0xff;
      return signature;
    };
    await failure(key.sign(DATA), 'KEY_CERT_MISMATCH');
    clear();

    faults.C_GetTokenInfo = () => {
      throw pkcs11Failure('CKR_DEVICE_REMOVED', 'C_GetTokenInfo');
    };
    await failure(session.pinStatus(), 'TOKEN_REMOVED');
    clear();
  });
  await failure(async () => openTokenSession(module.pkcs11, { label: 'Không có token này' }), 'TOKEN_NOT_FOUND');
  const doubled = faultyPkcs11(module.pkcs11);
  doubled.faults.C_GetSlotList = (present) => {
    const slots = module.pkcs11.C_GetSlotList(present);
    return [...slots, ...slots];
  };
  await failure(async () => openTokenSession(doubled.api, { label: LABEL }), 'TOKEN_AMBIGUOUS');
});

test('an always-authenticate key logs in for each signature through the pin provider', async () => {
  const { api, faults } = faultyPkcs11(module.pkcs11);
  let contextLogins = 0;
  faults.C_Login = (session, userType, pin) => {
    if (userType === CKU_CONTEXT_SPECIFIC) contextLogins += 1;
    module.pkcs11.C_Login(session, userType, pin);
  };
  await withSession(api, async (session) => {
    await session.login(token.userPin);
    let asked = 0;
    const key = await session.signingKey(token.ids.alwaysAuth ?? '', {
      pinProvider: async () => {
        asked += 1;
        return token.userPin;
      },
    });
    assert.equal(key.alwaysAuthenticate, true);
    const publicKey = new X509Certificate(token.alwaysAuthCertDer ?? new Uint8Array()).publicKey;
    for (let i = 1; i <= 3; i++) {
      const signature = await key.sign(DATA);
      assert.ok(verifySignature('sha256', DATA, publicKey, signature));
      assert.equal(asked, i, 'the provider is asked once per signature');
      assert.equal(contextLogins, i, 'one context-specific login per signature');
    }

    const wrong = await session.signingKey(token.ids.alwaysAuth ?? '', { pinProvider: async () => WRONG_PIN });
    await failure(wrong.sign(DATA), 'PIN_INCORRECT');
    assert.ok((await key.sign(DATA)).length > 0, 'a failed context login leaves no operation behind');

    const unattended = await session.signingKey(token.ids.alwaysAuth ?? '');
    await failure(unattended.sign(DATA), 'PIN_REQUIRED');
  });
});

test('a batch of signatures on one login runs one C_SignInit/C_Sign pair at a time', async () => {
  const { api, faults } = faultyPkcs11(module.pkcs11);
  const calls: string[] = [];
  let active = 0;
  let mostActive = 0;
  let userLogins = 0;
  faults.C_Login = (session, userType, pin) => {
    if (userType === CKU_USER) userLogins += 1;
    module.pkcs11.C_Login(session, userType, pin);
  };
  faults.C_SignInit = (session, mechanism, key) => {
    active += 1;
    mostActive = Math.max(mostActive, active);
    calls.push('init');
    module.pkcs11.C_SignInit(session, mechanism, key);
  };
  faults.C_SignAsync = async (session, data, out) => {
    calls.push('sign');
    // A slow card: the next signature must still wait for this one.
    await new Promise((resolve) => setTimeout(resolve, 5));
    try {
      return await module.pkcs11.C_SignAsync(session, data, out);
    } finally {
      active -= 1;
    }
  };
  await withSession(api, async (session) => {
    await session.login(token.userPin);
    const rsa = await session.signingKey(token.ids.signer);
    const ec = await session.signingKey(token.ids.agency);
    const documents = Array.from({ length: 8 }, (_, i) => new TextEncoder().encode(`văn bản ${i}`));
    const signatures = await Promise.all(documents.map((doc, i) => (i % 2 === 0 ? rsa : ec).sign(doc)));
    documents.forEach((doc, i) => {
      const certificate = i % 2 === 0 ? token.signerCertDer : token.agencyCertDer;
      assert.ok(verifySignature('sha256', doc, new X509Certificate(certificate).publicKey, signatures[i] ?? new Uint8Array()), `document ${i}`);
    });
  });
  assert.equal(userLogins, 1, 'one login signs the batch');
  assert.equal(mostActive, 1);
  assert.deepEqual(calls, Array.from({ length: 8 }, () => ['init', 'sign']).flat());
});

test('ECDSA r‖s becomes a minimal DER SEQUENCE of two INTEGERs', () => {
  const r = Buffer.alloc(32, 0);
  r[1] = 0x7f; // one leading zero byte to drop
  const s = Buffer.alloc(32, 0xff); // high bit set: needs a 0x00 in front
  const der = ecdsaRawToDer(Buffer.concat([r, s]));
  assert.equal(der.toString('hex'), `3044021f7f${'00'.repeat(30)}022100${'ff'.repeat(32)}`);
  assert.throws(() => ecdsaRawToDer(new Uint8Array(3)));
});

test('module loading says which module failed and why', () => {
  const dir = tempDir();
  const missing = path.join(dir, 'vnptca_p11_v9.dll');
  const notFound = assertThrowsAppError(() => loadModule(missing), 'MODULE_MISSING');
  assert.match(notFound.message, /vnptca_p11_v9\.dll was not found/);

  // A real shared library that is not PKCS#11: zlib where it is, else pkcs11js's own addon.
  const systemLibrary =
    ['/usr/lib/x86_64-linux-gnu/libz.so.1', '/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/aarch64-linux-gnu/libz.so.1', '/usr/lib64/libz.so.1'].find((f) =>
      fs.existsSync(f),
    ) ?? path.resolve('node_modules/pkcs11js/build/Release/pkcs11.node');
  const notPkcs11 = assertThrowsAppError(() => loadModule(systemLibrary), 'MODULE_NOT_PKCS11');
  assert.match(notPkcs11.message, new RegExp(`${escape(path.basename(systemLibrary))} is not a PKCS#11 token module`));

  const text = path.join(dir, 'viettel-ca_v5.so');
  fs.writeFileSync(text, 'not a library at all, but long enough to have a header '.repeat(4));
  assertThrowsAppError(() => loadModule(text), 'MODULE_NOT_PKCS11');

  const dll32 = path.join(dir, 'vnptca_p11_v8.dll');
  fs.writeFileSync(dll32, fakePeDll(0x14c));
  assert.deepEqual(inspectModuleBinary(dll32), { format: 'pe', arch: 'ia32', bits: 32 });
  const dll64 = path.join(dir, 'viettel-ca_v6.dll');
  fs.writeFileSync(dll64, fakePeDll(0x8664));
  assert.deepEqual(inspectModuleBinary(dll64), { format: 'pe', arch: 'x64', bits: 64 });
  if (process.arch === 'x64') {
    const wrongArch = assertThrowsAppError(() => loadModule(dll32), 'MODULE_WRONG_ARCH');
    assert.equal(wrongArch.message, "vnptca_p11_v8.dll is a 32-bit module; this 64-bit eOffice cannot load it — install the CA's 64-bit middleware.");
    if (process.platform !== 'win32') assertThrowsAppError(() => loadModule(dll64), 'MODULE_WRONG_PLATFORM');
  }
  assert.equal(inspectModuleBinary(token.modulePath).format, process.platform === 'darwin' ? 'mach-o' : 'elf');
  assert.equal(inspectModuleBinary(token.modulePath).arch, process.arch);

  const again = loadModule(token.modulePath);
  assert.equal(again, module, 'one load per module file');
  again.release();
  assert.equal(module.manufacturer, 'SoftHSM');

  assert.deepEqual(findModules([dll32, path.join(dir, 'nowhere.dll')], [token.modulePath, missing]), [token.modulePath, dll32]);
  assert.equal(
    architectureProblem('BkavCA.dll', { format: 'pe', arch: 'x64', bits: 64 }, 'arm64', 'win32')?.message,
    "BkavCA.dll is built for x64; this eOffice runs on arm64 and cannot load it — install the CA's middleware for arm64.",
  );
  assert.equal(architectureProblem('BkavCA.dll', { format: 'pe', arch: 'x64', bits: 64 }, 'x64', 'win32'), null);
  const windows = knownModulePaths('win32', { SystemRoot: 'C:\\Windows' }, 'x64');
  assert.ok(windows.includes('C:\\Windows\\System32\\vnptca_p11_v8.dll'));
  assert.ok(windows.includes('C:\\Windows\\SysWOW64\\viettel-ca_v5.dll'));
  assert.ok(windows.includes('C:\\Windows\\System32\\BkavCAv2S.dll'));
  assert.ok(windows.indexOf('C:\\Windows\\System32\\eTPKCS11.dll') < windows.indexOf('C:\\Windows\\SysWOW64\\eTPKCS11.dll'), '64-bit copies first');
  assert.ok(knownModulePaths('linux', {}, 'x64').includes('/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so'));
  assert.ok(knownModulePaths('linux', {}, 'x64').includes('/usr/lib/softhsm/libsofthsm2.so'));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a library on a network share is refused before it is loaded, whatever the form of its path', () => {
  // Loading runs the library's code in eOffice: one swapped on a share would run for every clerk.
  // Bad inputs tried: UNC paths with either slash, the Win32 long-path form of a share, URLs.
  for (const networkPath of [
    '\\\\server\\share\\vnptca_p11_v8.dll',
    '//server/share/vnptca_p11_v8.dll',
    '\\\\?\\UNC\\server\\share\\vnptca_p11_v8.dll',
    '\\\\192.168.1.10\\ca$\\viettel-ca_v6.dll',
    '/\\server\\share\\BkavCA.dll',
    'smb://server/share/libsofthsm2.so',
    'file://server/share/libsofthsm2.so',
  ]) {
    const refused = assertThrowsAppError(() => loadModule(networkPath), 'MODULE_NETWORK_PATH');
    assert.match(refused.message, /network/, networkPath);
  }
  // A library on this machine still loads.
  const local = loadModule(token.modulePath);
  assert.equal(local, module);
  local.release();
});

test('the token watcher reports tokens plugged in and pulled out, and stops', async () => {
  const { api, faults, clear } = faultyPkcs11(module.pkcs11);
  const changes: TokenChange[] = [];
  let notify: (() => void) | null = null;
  // The watcher's timer is unref'd (it must not keep eOffice alive); this one keeps the test
  // alive while it waits, and fails it if nothing comes.
  const next = () =>
    new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new Error('the watcher reported nothing')), 5000);
      notify = () => {
        clearTimeout(timeout);
        resolve();
      };
    });
  const watcher = new TokenWatcher(api, {
    intervalMs: 10,
    onChange(change) {
      changes.push(change);
      notify?.();
    },
  });
  let arrived = next();
  watcher.start();
  await arrived;
  assert.ok(watcher.running);
  assert.deepEqual(
    changes[0]?.added.map((t) => t.label),
    [LABEL],
  );
  assert.deepEqual(changes[0]?.removed, []);

  arrived = next();
  faults.C_GetSlotList = () => [];
  await arrived;
  assert.deepEqual(
    changes[1]?.removed.map((t) => t.label),
    [LABEL],
  );
  assert.deepEqual(watcher.tokens, []);

  arrived = next();
  clear();
  await arrived;
  assert.deepEqual(
    changes[2]?.added.map((t) => t.label),
    [LABEL],
  );

  watcher.stop();
  assert.equal(watcher.running, false);
  let polled = false;
  faults.C_GetSlotList = () => {
    polled = true;
    return [];
  };
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(polled, false, 'no polling after stop()');
  assert.equal(changes.length, 3);
});

function assertThrowsAppError(run: () => unknown, reason: string): AppError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, reason, error.message);
    return error;
  }
  assert.fail(`expected ${reason}`);
}

/** Just the headers of a DLL: "MZ", e_lfanew at 0x3c → "PE\0\0" and the COFF Machine field. */
function fakePeDll(machine: number): Buffer {
  const file = Buffer.alloc(512);
  file.write('MZ', 0, 'latin1');
  file.writeUInt32LE(0x80, 0x3c);
  file.write('PE\0\0', 0x80, 'latin1');
  file.writeUInt16LE(machine, 0x84);
  return file;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
