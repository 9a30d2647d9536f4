// The reference service's keys: the test token's RSA "signer" key (Nguyễn Văn An) and EC "agency"
// key, used through PKCS#11 exactly as a provider's HSM would use them, to sign a hash the client
// sent. The module is loaded through the project's loader (shared and counted per process), so the
// service can run in the same process as the code under test without finalising it under its feet.
//
// The server logs in with the test token's PIN: it plays the provider, whose HSM is unlocked by the
// provider and whose user only approves on the phone. The PIN is an argument of C_Login, nothing more.
import { X509Certificate } from 'node:crypto';
import { certificateFacts, type CertificateFacts } from '../../main/core/token/certificate.js';
import { loadModule, type LoadedModule } from '../../main/core/token/modules.js';
import {
  CKA_CLASS,
  CKA_ID,
  CKF_SERIAL_SESSION,
  CKM_ECDSA,
  CKM_RSA_PKCS,
  CKO_PRIVATE_KEY,
  CKR,
  CKU_USER,
  findObjects,
  isPkcs11Error,
  type Handle,
} from '../../main/core/token/pkcs11.js';
import { digestInfoOfSha256, ecdsaRawToDer } from '../../main/core/token/signingKey.js';
import { presentTokens } from '../../main/core/token/tokens.js';
import type { TestToken } from '../support/softhsm.js';

export type KeyName = 'signer' | 'agency';

/** A key the service signs with, and the certificate chain it hands out for it. */
export interface ServiceKey {
  name: KeyName;
  keyType: 'rsa' | 'ec';
  /** RSA modulus bits, or the EC curve's size. */
  bits: number;
  certificate: Uint8Array;
  /** Issuer first: here only the test CA. */
  chain: Uint8Array[];
  facts: CertificateFacts;
}

export class TokenKeys {
  readonly keys: Record<KeyName, ServiceKey>;
  private readonly module: LoadedModule;
  private session: Handle | null;
  private readonly handles: Record<KeyName, Handle>;
  private readonly pin: string;
  // One operation at a time: PKCS#11 allows one signature in progress per session.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(module: LoadedModule, session: Handle, handles: Record<KeyName, Handle>, keys: Record<KeyName, ServiceKey>, pin: string) {
    this.module = module;
    this.session = session;
    this.handles = handles;
    this.keys = keys;
    this.pin = pin;
  }

  static open(token: TestToken): TokenKeys {
    const module = loadModule(token.modulePath);
    const api = module.pkcs11;
    let session: Handle | null = null;
    try {
      const slot = presentTokens(api).find((found) => found.token.label === token.label)?.slot;
      if (!slot) throw new Error(`The test token ${token.label} is not present.`);
      session = api.C_OpenSession(slot, CKF_SERIAL_SESSION);
      const current = session;
      login(module, current, token.userPin);
      const handleOf = (id: string): Handle => {
        const [handle] = findObjects(api, current, [
          { type: CKA_CLASS, value: CKO_PRIVATE_KEY },
          { type: CKA_ID, value: Buffer.from(id, 'hex') },
        ]);
        if (!handle) throw new Error(`The test token has no private key with CKA_ID ${id}.`);
        return handle;
      };
      const caDer = new Uint8Array(new X509Certificate(token.caCertPem).raw);
      const describe = (name: KeyName, certificate: Uint8Array): ServiceKey => {
        const publicKey = new X509Certificate(certificate).publicKey;
        const keyType = publicKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec';
        const bits = keyType === 'rsa' ? (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) : 256;
        return { name, keyType, bits, certificate, chain: [caDer], facts: certificateFacts(certificate) };
      };
      return new TokenKeys(
        module,
        current,
        { signer: handleOf(token.ids.signer), agency: handleOf(token.ids.agency) },
        { signer: describe('signer', token.signerCertDer), agency: describe('agency', token.agencyCertDer) },
        token.userPin,
      );
    } catch (error) {
      if (session) api.C_CloseSession(session);
      module.release();
      throw error;
    }
  }

  /**
   * The signature value a token gives for a SHA-256 hash: RSA PKCS#1 v1.5 over DigestInfo(sha256,
   * hash) with CKM_RSA_PKCS, or CKM_ECDSA over the hash, its r‖s made a DER ECDSA-Sig-Value.
   */
  signHash(name: KeyName, hash: Uint8Array): Promise<Buffer> {
    const result = this.queue.then(async () => {
      try {
        return await this.signOnce(name, hash);
      } catch (error) {
        // Another user of the module in this process logged the token out (login state belongs to
        // the token, not to a session): log in again, once.
        if (!isPkcs11Error(error, CKR.USER_NOT_LOGGED_IN)) throw error;
        login(this.module, this.requireSession(), this.pin);
        return this.signOnce(name, hash);
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue;
    const session = this.session;
    this.session = null;
    if (!session) return;
    try {
      this.module.pkcs11.C_CloseSession(session);
    } finally {
      this.module.release();
    }
  }

  private async signOnce(name: KeyName, hash: Uint8Array): Promise<Buffer> {
    const api = this.module.pkcs11;
    const session = this.requireSession();
    if (this.keys[name].keyType === 'rsa') {
      api.C_SignInit(session, { mechanism: CKM_RSA_PKCS }, this.handles[name]);
      return api.C_SignAsync(session, digestInfoOfSha256(hash), Buffer.alloc(1024));
    }
    api.C_SignInit(session, { mechanism: CKM_ECDSA }, this.handles[name]);
    return ecdsaRawToDer(await api.C_SignAsync(session, Buffer.from(hash), Buffer.alloc(1024)));
  }

  private requireSession(): Handle {
    if (!this.session) throw new Error('The remote signer is closed.');
    return this.session;
  }
}

function login(module: LoadedModule, session: Handle, pin: string): void {
  try {
    module.pkcs11.C_Login(session, CKU_USER, pin);
  } catch (error) {
    if (!isPkcs11Error(error, CKR.USER_ALREADY_LOGGED_IN)) throw error;
  }
}
