// A session with one token: log in once, then sign a batch of documents with its key.
//
// The PIN is an argument of login() and of the pin provider's answer, nothing more: it is never
// kept on the session, logged, or put into an error. A key marked CKA_ALWAYS_AUTHENTICATE wants
// the PIN again for every signature; for those the session asks the caller's pin provider each
// time instead of remembering the PIN.
import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import { AppError } from '../../common/errors.js';
import { issuerChain, sameSerialNumber } from './certificate.js';
import {
  CKA_ALWAYS_AUTHENTICATE,
  CKA_CLASS,
  CKA_ID,
  CKF_SERIAL_SESSION,
  CKM_ECDSA,
  CKM_RSA_PKCS,
  CKM_SHA256_RSA_PKCS,
  CKO_PRIVATE_KEY,
  CKR,
  CKS_RO_USER_FUNCTIONS,
  CKS_RW_USER_FUNCTIONS,
  CKU_CONTEXT_SPECIFIC,
  CKU_USER,
  attributeBoolean,
  findObjects,
  isPkcs11Error,
  pinLockedError,
  readAttribute,
  tokenError,
  type Handle,
  type Pkcs11Api,
} from './pkcs11.js';
import { ecdsaRawToDer, sha256DigestInfo } from './signingKey.js';
import type { SignerKey } from '../signing/signerKey.js';
import { pinStatusFromFlags, presentTokens, readTokenCertificates, type PinStatus, type PresentToken, type SlotToken, type TokenCertificate } from './tokens.js';

export type PinProvider = () => Promise<string>;

export interface TokenSelector {
  label: string;
  /** Needed when several plugged-in tokens share a label (a CA often labels all its tokens alike). */
  serial?: string;
}

export interface TokenSessionOptions {
  /** Asked for the PIN before each signature with a CKA_ALWAYS_AUTHENTICATE key. */
  pinProvider?: PinProvider;
}

export interface LoginOptions {
  /** The user was told one more wrong PIN locks the token, and wants to try anyway. */
  confirmFinalTry?: boolean;
}

export interface LoginResult {
  /** The token was already logged in (login state belongs to the token, not the session). */
  alreadyLoggedIn: boolean;
  /** PIN_COUNT_LOW: a wrong PIN had been entered before this login; tell the user to take care. */
  warning: 'PIN_COUNT_LOW' | null;
}

/** The signing key of a token: the signing room's key, with the token's own name for it. */
export interface TokenSigningKey extends SignerKey {
  /** CKA_ID in lower-case hex. */
  readonly id: string;
  readonly alwaysAuthenticate: boolean;
}

/** Opens a session on the plugged-in token with this label (and serial, if given). */
export function openTokenSession(api: Pkcs11Api, selector: TokenSelector, options: TokenSessionOptions = {}): TokenSession {
  let matches: SlotToken[];
  try {
    matches = presentTokens(api).filter(({ token }) => token.label === selector.label && (selector.serial === undefined || token.serial === selector.serial));
  } catch (error) {
    throw tokenError(error, 'looking for the token');
  }
  const [match, ...others] = matches;
  if (!match) {
    const which = selector.serial === undefined ? `labelled “${selector.label}”` : `labelled “${selector.label}” with serial ${selector.serial}`;
    throw new AppError('TOKEN_NOT_FOUND', `No token ${which} is plugged in; plug it in and retry.`, { label: selector.label });
  }
  if (others.length > 0) {
    throw new AppError('TOKEN_AMBIGUOUS', `${matches.length} tokens labelled “${selector.label}” are plugged in; choose one by its serial number.`, { label: selector.label,
    });
  }
  let session: Handle;
  try {
    session = api.C_OpenSession(match.slot, CKF_SERIAL_SESSION);
  } catch (error) {
    throw tokenError(error, 'opening the token');
  }
  return new TokenSession(api, match.slot, session, match.token, options);
}

export class TokenSession {
  readonly token: PresentToken;
  private readonly api: Pkcs11Api;
  private readonly slot: Handle;
  private readonly options: TokenSessionOptions;
  private session: Handle | null;
  // Every operation waits for the one before: PKCS#11 allows one active operation per session,
  // and a batch of signatures must not interleave its C_SignInit / C_Sign pairs.
  private queue: Promise<unknown> = Promise.resolve();
  private mechanisms: Set<number> | null | undefined;
  private rsaSha256Refused = false;

  constructor(api: Pkcs11Api, slot: Handle, session: Handle, token: PresentToken, options: TokenSessionOptions = {}) {
    this.api = api;
    this.slot = slot;
    this.session = session;
    this.token = token;
    this.options = options;
  }

  get open(): boolean {
    return this.session !== null;
  }

  /** The PIN counters as the token reports them now. */
  pinStatus(): Promise<PinStatus> {
    return this.enqueue(() => this.readPinStatus());
  }

  /**
   * Logs the user in. Refuses without trying when the PIN is locked, or when one wrong PIN would
   * lock it and the user has not confirmed (options.confirmFinalTry).
   */
  login(pin: string, options: LoginOptions = {}): Promise<LoginResult> {
    return this.enqueue(() => {
      const session = this.requireSession();
      if (this.loggedIn(session)) return { alreadyLoggedIn: true, warning: null };
      const status = this.readPinStatus();
      if (status.locked) throw pinLockedError();
      if (status.finalTry && !options.confirmFinalTry) {
        throw new AppError('PIN_FINAL_TRY', 'One more wrong PIN will lock the token; confirm before trying this PIN.', { });
      }
      if (!status.pinPad && (typeof pin !== 'string' || pin.length === 0)) {
        throw new AppError('PIN_REQUIRED', "Enter the token's PIN.", { });
      }
      const warning = status.countLow ? 'PIN_COUNT_LOW' : null;
      try {
        // With a PIN pad the reader asks for the PIN itself.
        if (status.pinPad) this.api.C_Login(session, CKU_USER);
        else this.api.C_Login(session, CKU_USER, pin);
      } catch (error) {
        if (isPkcs11Error(error, CKR.USER_ALREADY_LOGGED_IN)) return { alreadyLoggedIn: true, warning };
        throw this.loginFailure(error);
      }
      return { alreadyLoggedIn: false, warning };
    });
  }

  logout(): Promise<void> {
    return this.enqueue(() => {
      try {
        this.api.C_Logout(this.requireSession());
      } catch (error) {
        if (!isPkcs11Error(error, CKR.USER_NOT_LOGGED_IN)) throw tokenError(error, 'logging out');
      }
    });
  }

  /** The certificates on this token that can sign (see TokenCertificate.keyVerified). */
  certificates(now: Date = new Date()): Promise<TokenCertificate[]> {
    return this.enqueue(() => {
      try {
        return readTokenCertificates(this.api, this.requireSession(), now).signing;
      } catch (error) {
        throw tokenError(error, 'reading the certificates');
      }
    });
  }

  /**
   * The key of the certificate with this CKA_ID (hex) or serial number (hex), after login. Where
   * several certificates match (a renewal kept the key), the one that ends last.
   */
  signingKey(certificateIdOrSerial: string, options: TokenSessionOptions = {}): Promise<TokenSigningKey> {
    const pinProvider = options.pinProvider ?? this.options.pinProvider;
    return this.enqueue(() => {
      const session = this.requireSession();
      let certificates: { signing: TokenCertificate[]; all: Uint8Array[] };
      let keys: Handle[];
      let wanted: TokenCertificate | undefined;
      try {
        certificates = readTokenCertificates(this.api, session, new Date());
        const needle = certificateIdOrSerial.trim().toLowerCase();
        wanted = certificates.signing
          .filter((c) => (c.id !== '' && c.id === needle) || sameSerialNumber(c.serialNumber, needle))
          .sort((a, b) => b.validTo.localeCompare(a.validTo))[0];
        if (!wanted) {
          throw new AppError('CERTIFICATE_NOT_FOUND', `No certificate with id or serial ${certificateIdOrSerial} and a key is on the token “${this.token.label}”.`, { });
        }
        keys = findObjects(this.api, session, [
          { type: CKA_CLASS, value: CKO_PRIVATE_KEY },
          { type: CKA_ID, value: Buffer.from(wanted.id, 'hex') },
        ]);
      } catch (error) {
        throw tokenError(error, 'finding the signing key');
      }
      const [key] = keys;
      if (!key) {
        if (!this.loggedIn(session)) {
          throw new AppError('NOT_LOGGED_IN', 'Log in to the token (enter its PIN) before signing.', { });
        }
        throw new AppError('KEY_NOT_FOUND', `The certificate ${wanted.serialNumber} has no private key on the token.`, { });
      }
      if (wanted.keyType === 'other') {
        throw new AppError('KEY_TYPE_UNSUPPORTED', `The certificate ${wanted.serialNumber} has a key type eOffice cannot sign with (only RSA and ECDSA).`, { });
      }
      let alwaysAuthenticate: boolean;
      try {
        alwaysAuthenticate = attributeBoolean(readAttribute(this.api, session, key, CKA_ALWAYS_AUTHENTICATE));
      } catch (error) {
        throw tokenError(error, 'finding the signing key');
      }
      const keyType = wanted.keyType;
      const certificate = new Uint8Array(wanted.der);
      const publicKey = new X509Certificate(certificate).publicKey;
      const { der: _der, id, label: _label, keyVerified: _keyVerified, ...facts } = wanted;
      const sign = (data: Uint8Array) =>
          this.enqueue(async () => {
            const signature = await this.signWithKey(key, keyType, data, alwaysAuthenticate ? pinProvider : undefined, alwaysAuthenticate);
            // A token whose key does not belong to the certificate (a botched renewal, a wrong
            // CKA_ID) would otherwise yield PDFs that no one can verify.
            if (!verifySignature('sha256', data, { key: publicKey, dsaEncoding: 'der' }, signature)) {
              throw new AppError('KEY_CERT_MISMATCH', "The token's key does not match its certificate: the signature does not verify.", { });
            }
            return new Uint8Array(signature);
          });
      const signingKey: TokenSigningKey = {
        id,
        facts,
        alwaysAuthenticate,
        approval: alwaysAuthenticate ? 'pin-each' : 'pin',
        // The act's PIN covers every signature already: the documents are signed one by one.
        signaturesPerApproval: 1,
        certificate,
        chain: issuerChain(certificate, certificates.all).map((der) => new Uint8Array(der)),
        keyType,
        sign,
        signMany: async (datas) => {
          const signatures: Uint8Array[] = [];
          for (const data of datas) signatures.push(await sign(data));
          return signatures;
        },
      };
      return signingKey;
    });
  }

  /** Ends the session. Closing the application's last session on a token also logs it out. */
  close(): Promise<void> {
    return this.enqueue(() => {
      const session = this.session;
      this.session = null;
      if (!session) return;
      try {
        this.api.C_CloseSession(session);
      } catch {
        // The token is gone: so is the session.
      }
    });
  }

  private async signWithKey(key: Handle, keyType: 'rsa' | 'ec', data: Uint8Array, pinProvider: PinProvider | undefined, alwaysAuthenticate: boolean): Promise<Buffer> {
    const session = this.requireSession();
    let pin: string | undefined;
    if (alwaysAuthenticate) {
      if (!pinProvider) {
        throw new AppError('PIN_REQUIRED', 'This key asks for the PIN at every signature, and no one is there to enter it.', { });
      }
      pin = await pinProvider();
      if (typeof pin !== 'string' || pin.length === 0) throw new AppError('PIN_REQUIRED', "Enter the token's PIN.", { });
    }
    try {
      if (keyType === 'ec') {
        const raw = await this.signOnce(session, key, CKM_ECDSA, createHash('sha256').update(data).digest(), pin);
        return ecdsaRawToDer(raw);
      }
      if (!this.rsaSha256Refused && this.supports(CKM_SHA256_RSA_PKCS)) {
        try {
          return await this.signOnce(session, key, CKM_SHA256_RSA_PKCS, Buffer.from(data.buffer, data.byteOffset, data.byteLength), pin);
        } catch (error) {
          if (!isPkcs11Error(error, CKR.MECHANISM_INVALID)) throw error;
          // Listed but refused (some middlewares list mechanisms their card lacks): hash here.
          this.rsaSha256Refused = true;
        }
      }
      return await this.signOnce(session, key, CKM_RSA_PKCS, sha256DigestInfo(data), pin);
    } catch (error) {
      throw tokenError(error, 'signing');
    }
  }

  /** C_SignInit, the context-specific login if the key wants it, C_Sign. */
  private async signOnce(session: Handle, key: Handle, mechanism: number, input: Buffer, pin: string | undefined): Promise<Buffer> {
    this.api.C_SignInit(session, { mechanism }, key);
    if (pin !== undefined) {
      try {
        this.api.C_Login(session, CKU_CONTEXT_SPECIFIC, pin);
      } catch (error) {
        if (!isPkcs11Error(error, CKR.USER_ALREADY_LOGGED_IN)) {
          await this.abandonSignature(session);
          throw error;
        }
      }
    }
    // 1024 bytes holds an RSA-8192 signature; the module says how much it wrote.
    return this.api.C_SignAsync(session, input, Buffer.alloc(1024));
  }

  /**
   * PKCS#11 2.40 has no way to cancel an operation, but a C_Sign that fails ends it. After a
   * failed context-specific login the token refuses C_Sign (not authenticated), which frees the
   * session for the next C_SignInit.
   */
  private async abandonSignature(session: Handle): Promise<void> {
    try {
      await this.api.C_SignAsync(session, Buffer.alloc(32), Buffer.alloc(1024));
    } catch {
      // Expected.
    }
  }

  private supports(mechanism: number): boolean {
    if (this.mechanisms === undefined) {
      try {
        this.mechanisms = new Set(this.api.C_GetMechanismList(this.slot));
      } catch {
        this.mechanisms = null;
      }
    }
    // A module that cannot list its mechanisms is tried, and falls back on CKR_MECHANISM_INVALID.
    return this.mechanisms === null || this.mechanisms.has(mechanism);
  }

  private readPinStatus(): PinStatus {
    try {
      return pinStatusFromFlags(this.api.C_GetTokenInfo(this.slot).flags);
    } catch (error) {
      throw tokenError(error, 'reading the PIN status');
    }
  }

  private loggedIn(session: Handle): boolean {
    try {
      const { state } = this.api.C_GetSessionInfo(session);
      return state === CKS_RO_USER_FUNCTIONS || state === CKS_RW_USER_FUNCTIONS;
    } catch (error) {
      throw tokenError(error, 'logging in');
    }
  }

  /** A wrong PIN: say how many tries are left as far as the token tells. */
  private loginFailure(error: unknown): AppError {
    const failure = tokenError(error, 'logging in');
    if (failure.code !== 'PIN_INCORRECT') return failure;
    let after: PinStatus | null = null;
    try {
      after = this.readPinStatus();
    } catch {
      // The status is a courtesy; the wrong PIN is the news.
    }
    if (after?.locked) return pinLockedError(String(failure.details?.pkcs11 ?? ''));
    const details = { ...failure.details, finalTry: after?.finalTry ?? false };
    if (after?.finalTry) return new AppError('PIN_INCORRECT', `${failure.message} One more wrong PIN will lock the token.`, details);
    return new AppError('PIN_INCORRECT', failure.message, details);
  }

  private requireSession(): Handle {
    if (!this.session) throw new AppError('SESSION_CLOSED', 'The token session is closed; open the token again.', { });
    return this.session;
  }

  private enqueue<T>(operation: () => T | Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
