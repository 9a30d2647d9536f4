// The tokens plugged in, and the certificates on each that can sign. A token usually holds the
// holder's certificate with its key, and often the CA's certificates (without a key) too; only the
// former are offered for signing.
import type { TokenInfo } from 'pkcs11js';
import { AppError } from '../../common/errors.js';
import { certificateFacts, type CertificateFacts } from './certificate.js';
import {
  CKA_CERTIFICATE_TYPE,
  CKA_CLASS,
  CKA_ID,
  CKA_LABEL,
  CKA_VALUE,
  CKC_X_509,
  CKF_LOGIN_REQUIRED,
  CKF_PROTECTED_AUTHENTICATION_PATH,
  CKF_SERIAL_SESSION,
  CKF_TOKEN_INITIALIZED,
  CKF_USER_PIN_COUNT_LOW,
  CKF_USER_PIN_FINAL_TRY,
  CKF_USER_PIN_LOCKED,
  CKF_USER_PIN_TO_BE_CHANGED,
  CKO_CERTIFICATE,
  CKO_PRIVATE_KEY,
  CKO_PUBLIC_KEY,
  CKR,
  findObjects,
  isPkcs11Error,
  readAttribute,
  slotIdText,
  tokenError,
  tokenText,
  type Handle,
  type Pkcs11Api,
} from './pkcs11.js';

export interface PinStatus {
  /** A wrong PIN was entered since the last correct one. */
  countLow: boolean;
  /** One more wrong PIN locks the token. */
  finalTry: boolean;
  locked: boolean;
  toBeChanged: boolean;
  /** The PIN is typed on the reader's own keypad, not in eOffice. */
  pinPad: boolean;
}

export function pinStatusFromFlags(flags: number): PinStatus {
  return {
    countLow: (flags & CKF_USER_PIN_COUNT_LOW) !== 0,
    finalTry: (flags & CKF_USER_PIN_FINAL_TRY) !== 0,
    locked: (flags & CKF_USER_PIN_LOCKED) !== 0,
    toBeChanged: (flags & CKF_USER_PIN_TO_BE_CHANGED) !== 0,
    pinPad: (flags & CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
  };
}

export interface PresentToken {
  /** The slot id in this module load: slots are renumbered when tokens come and go, so select by label. */
  slotId: string;
  label: string;
  serial: string;
  manufacturer: string;
  model: string;
}

export interface TokenCertificate extends CertificateFacts {
  /** CKA_ID in lower-case hex: pairs the certificate with its key. */
  id: string;
  label: string;
  der: Uint8Array;
  /**
   * The token showed a private key with this certificate's CKA_ID. False before login on tokens
   * that hide private keys: then the pairing rests on a public key with the same id, or on
   * nothing (every non-CA certificate is offered), and is confirmed only when signing.
   */
  keyVerified: boolean;
}

export interface TokenListing extends PresentToken {
  loginRequired: boolean;
  pin: PinStatus;
  certificates: TokenCertificate[];
  /** Why the certificates could not be read (the token is listed anyway), or null. */
  problem: { reason: string; message: string } | null;
}

export interface SlotToken {
  slot: Handle;
  token: PresentToken;
  flags: number;
}

/**
 * The slots holding an initialised token. A token pulled out between C_GetSlotList and
 * C_GetTokenInfo is skipped, and so is an uninitialised one (a blank card, SoftHSM's spare slot):
 * nothing on it can sign.
 */
export function presentTokens(api: Pick<Pkcs11Api, 'C_GetSlotList' | 'C_GetTokenInfo'>): SlotToken[] {
  const found: SlotToken[] = [];
  for (const slot of api.C_GetSlotList(true)) {
    let info: TokenInfo;
    try {
      info = api.C_GetTokenInfo(slot);
    } catch (error) {
      if (isPkcs11Error(error, CKR.TOKEN_NOT_PRESENT, CKR.DEVICE_REMOVED, CKR.TOKEN_NOT_RECOGNIZED, CKR.DEVICE_ERROR)) continue;
      throw error;
    }
    if ((info.flags & CKF_TOKEN_INITIALIZED) === 0) continue;
    found.push({
      slot,
      flags: info.flags,
      token: {
        slotId: slotIdText(slot),
        label: tokenText(info.label),
        serial: tokenText(info.serialNumber),
        manufacturer: tokenText(info.manufacturerID),
        model: tokenText(info.model),
      },
    });
  }
  return found;
}

/** Every slot with a token in it, and on each the certificates that can sign, judged at `now`. */
export function listTokens(api: Pkcs11Api, now: Date = new Date()): TokenListing[] {
  let tokens: SlotToken[];
  try {
    tokens = presentTokens(api);
  } catch (error) {
    throw tokenError(error, 'listing tokens');
  }
  const listings: TokenListing[] = [];
  for (const { slot, token, flags } of tokens) {
    const listing: TokenListing = {
      ...token,
      loginRequired: (flags & CKF_LOGIN_REQUIRED) !== 0,
      pin: pinStatusFromFlags(flags),
      certificates: [],
      problem: null,
    };
    try {
      const session = api.C_OpenSession(slot, CKF_SERIAL_SESSION);
      try {
        listing.certificates = readTokenCertificates(api, session, now).signing;
      } finally {
        api.C_CloseSession(session);
      }
    } catch (error) {
      const failure = tokenError(error, 'reading the certificates');
      listing.problem = { reason: failure.code, message: failure.message };
    }
    listings.push(listing);
  }
  return listings;
}

export interface TokenCertificates {
  /** The certificates offered for signing. */
  signing: TokenCertificate[];
  /** Every certificate on the token, DER: the pool for building chains. */
  all: Uint8Array[];
}

/** Reads the certificates and pairs them with keys by CKA_ID (see TokenCertificate.keyVerified). */
export function readTokenCertificates(api: Pkcs11Api, session: Handle, now: Date): TokenCertificates {
  const certificates: Array<Omit<TokenCertificate, 'keyVerified'>> = [];
  const all: Uint8Array[] = [];
  for (const object of findObjects(api, session, [
    { type: CKA_CLASS, value: CKO_CERTIFICATE },
    { type: CKA_CERTIFICATE_TYPE, value: CKC_X_509 },
  ])) {
    const der = readAttribute(api, session, object, CKA_VALUE);
    if (!der || der.length === 0) continue;
    let facts: CertificateFacts;
    try {
      facts = certificateFacts(der, now);
    } catch {
      // Not a certificate we can read (some tokens keep placeholder objects): nothing to offer.
      continue;
    }
    const bytes = new Uint8Array(der);
    all.push(bytes);
    certificates.push({
      ...facts,
      id: readAttribute(api, session, object, CKA_ID)?.toString('hex') ?? '',
      label: readAttribute(api, session, object, CKA_LABEL)?.toString('utf8') ?? '',
      der: bytes,
    });
  }
  const privateIds = keyIds(api, session, CKO_PRIVATE_KEY);
  if (privateIds.size > 0) {
    return { all, signing: certificates.filter((c) => c.id !== '' && privateIds.has(c.id)).map((c) => ({ ...c, keyVerified: true })) };
  }
  // Private keys are hidden until login on most tokens: fall back to the public keys, then to
  // every certificate that is not a CA's.
  const publicIds = keyIds(api, session, CKO_PUBLIC_KEY);
  const byPublicKey = certificates.filter((c) => c.id !== '' && publicIds.has(c.id));
  const offered = byPublicKey.length > 0 ? byPublicKey : certificates.filter((c) => !c.isCa);
  return { all, signing: offered.map((c) => ({ ...c, keyVerified: false })) };
}

function keyIds(api: Pkcs11Api, session: Handle, keyClass: number): Set<string> {
  const ids = new Set<string>();
  for (const key of findObjects(api, session, [{ type: CKA_CLASS, value: keyClass }])) {
    const id = readAttribute(api, session, key, CKA_ID);
    if (id && id.length > 0) ids.add(id.toString('hex'));
  }
  return ids;
}

export interface TokenChange {
  added: PresentToken[];
  removed: PresentToken[];
}

export interface TokenWatcherOptions {
  /** How often to look; a token is noticed within this time. Default 1500 ms. */
  intervalMs?: number;
  onChange(change: TokenChange): void;
  /** A poll that failed (the module itself broke); polling goes on. */
  onError?(error: AppError): void;
}

/**
 * Notices tokens plugged in and pulled out by polling C_GetSlotList(true). C_WaitForSlotEvent
 * would block the thread it runs on (and many Windows middlewares do not implement it). The first
 * poll reports every token present as added. The timer does not keep the process alive.
 */
export class TokenWatcher {
  private readonly api: Pick<Pkcs11Api, 'C_GetSlotList' | 'C_GetTokenInfo'>;
  private readonly options: TokenWatcherOptions;
  private readonly present = new Map<string, PresentToken>();
  private timer: NodeJS.Timeout | null = null;

  constructor(api: Pick<Pkcs11Api, 'C_GetSlotList' | 'C_GetTokenInfo'>, options: TokenWatcherOptions) {
    this.api = api;
    this.options = options;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** The tokens seen at the last poll. */
  get tokens(): PresentToken[] {
    return [...this.present.values()];
  }

  start(): this {
    if (this.timer) return this;
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 1500);
    this.timer.unref();
    this.tick();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Looks once, reports a change if there is one (also usable without start(), e.g. on a "refresh" click). */
  poll(): TokenChange {
    const seen = new Map<string, PresentToken>();
    for (const { token } of presentTokens(this.api)) {
      // Keyed by slot and serial: another token put in the same slot between two polls is a
      // removal and an addition, not nothing.
      seen.set(`${token.slotId}/${token.serial}/${token.label}`, token);
    }
    const added = [...seen].filter(([key]) => !this.present.has(key)).map(([, token]) => token);
    const removed = [...this.present].filter(([key]) => !seen.has(key)).map(([, token]) => token);
    this.present.clear();
    for (const [key, token] of seen) this.present.set(key, token);
    const change = { added, removed };
    if (added.length > 0 || removed.length > 0) this.options.onChange(change);
    return change;
  }

  private tick(): void {
    try {
      this.poll();
    } catch (error) {
      this.options.onError?.(tokenError(error, 'looking for tokens'));
    }
  }
}
