// The part of PKCS#11 the token layer uses, and how its failures become AppErrors.
//
// Everything above this file talks to a token through `Pkcs11Api`, a narrow slice of pkcs11js's
// `PKCS11` class. A real `PKCS11` instance satisfies it as it is; tests wrap one to inject what a
// software token cannot do (a locked PIN, a token pulled out mid-signature, a key that refuses).
//
// The constants are the PKCS#11 2.40 values, written out here rather than read from pkcs11js so
// that this file (and the pure logic on top of it) does not load the native addon.
import type { Mechanism, Template, TemplateResult, TokenInfo, SessionInfo } from 'pkcs11js';
import { AppError } from '../../common/errors.js';

export type Handle = Buffer;

export interface Pkcs11Api {
  C_GetSlotList(tokenPresent: boolean): Handle[];
  C_GetTokenInfo(slot: Handle): TokenInfo;
  C_GetMechanismList(slot: Handle): number[];
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_GetSessionInfo(session: Handle): SessionInfo;
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_Logout(session: Handle): void;
  C_FindObjectsInit(session: Handle, template: Template): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_GetAttributeValue(session: Handle, object: Handle, template: Template): TemplateResult;
  C_SignInit(session: Handle, mechanism: Mechanism, key: Handle): void;
  // The asynchronous form runs on libuv's thread pool: a smart card can take a second to sign
  // and the UI must not freeze meanwhile.
  C_SignAsync(session: Handle, data: Buffer, signature: Buffer): Promise<Buffer>;
}

export const CKF_RW_SESSION = 0x2;
export const CKF_SERIAL_SESSION = 0x4;
export const CKF_OS_LOCKING_OK = 0x2;

export const CKU_USER = 1;
export const CKU_CONTEXT_SPECIFIC = 2;

// CK_SESSION_INFO.state values in which the user is logged in.
export const CKS_RO_USER_FUNCTIONS = 1;
export const CKS_RW_USER_FUNCTIONS = 3;

// CK_TOKEN_INFO.flags
export const CKF_LOGIN_REQUIRED = 0x4;
export const CKF_PROTECTED_AUTHENTICATION_PATH = 0x100;
export const CKF_TOKEN_INITIALIZED = 0x400;
export const CKF_USER_PIN_COUNT_LOW = 0x10000;
export const CKF_USER_PIN_FINAL_TRY = 0x20000;
export const CKF_USER_PIN_LOCKED = 0x40000;
export const CKF_USER_PIN_TO_BE_CHANGED = 0x80000;

export const CKO_CERTIFICATE = 1;
export const CKO_PUBLIC_KEY = 2;
export const CKO_PRIVATE_KEY = 3;
export const CKC_X_509 = 0;
export const CKK_RSA = 0;
export const CKK_EC = 3;

export const CKA_CLASS = 0x0;
export const CKA_TOKEN = 0x1;
export const CKA_PRIVATE = 0x2;
export const CKA_LABEL = 0x3;
export const CKA_VALUE = 0x11;
export const CKA_CERTIFICATE_TYPE = 0x80;
export const CKA_ISSUER = 0x81;
export const CKA_SERIAL_NUMBER = 0x82;
export const CKA_KEY_TYPE = 0x100;
export const CKA_SUBJECT = 0x101;
export const CKA_ID = 0x102;
export const CKA_SENSITIVE = 0x103;
export const CKA_SIGN = 0x108;
export const CKA_VERIFY = 0x10a;
export const CKA_MODULUS = 0x120;
export const CKA_MODULUS_BITS = 0x121;
export const CKA_PUBLIC_EXPONENT = 0x122;
export const CKA_EXTRACTABLE = 0x162;
export const CKA_EC_PARAMS = 0x180;
export const CKA_EC_POINT = 0x181;
export const CKA_ALWAYS_AUTHENTICATE = 0x202;

export const CKM_RSA_PKCS_KEY_PAIR_GEN = 0x0;
export const CKM_RSA_PKCS = 0x1;
export const CKM_SHA256_RSA_PKCS = 0x40;
export const CKM_EC_KEY_PAIR_GEN = 0x1040;
export const CKM_ECDSA = 0x1041;

export const CKR = {
  CANT_LOCK: 0xa,
  ATTRIBUTE_SENSITIVE: 0x11,
  ATTRIBUTE_TYPE_INVALID: 0x12,
  DEVICE_ERROR: 0x30,
  DEVICE_REMOVED: 0x32,
  FUNCTION_CANCELED: 0x50,
  KEY_HANDLE_INVALID: 0x60,
  KEY_FUNCTION_NOT_PERMITTED: 0x68,
  MECHANISM_INVALID: 0x70,
  OBJECT_HANDLE_INVALID: 0x82,
  OPERATION_ACTIVE: 0x90,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
  FUNCTION_REJECTED: 0x200,
} as const;

/**
 * The CKR code of a failed PKCS#11 call, or null when the error did not come from the module.
 * pkcs11js 2.x throws `Pkcs11Error` whose `message` is the CKR name ("CKR_PIN_INCORRECT") and
 * whose `code` is its number.
 */
export function pkcs11ErrorCode(error: unknown): number | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && code > 0) return code;
  const match = /\bCKR_\w+:(\d+)/.exec(error.message);
  return match ? Number(match[1]) : null;
}

/** The CKR name for logs and error details ("CKR_DEVICE_REMOVED"), never anything else from the error. */
export function pkcs11ErrorName(error: unknown): string {
  const code = pkcs11ErrorCode(error);
  if (error instanceof Error && /^CKR_[A-Z0-9_]+$/.test(error.message)) return error.message;
  const known = Object.entries(CKR).find(([, value]) => value === code);
  if (known) return `CKR_${known[0]}`;
  return code === null ? 'unknown' : `CKR 0x${code.toString(16)}`;
}

export function isPkcs11Error(error: unknown, ...codes: number[]): boolean {
  const code = pkcs11ErrorCode(error);
  return code !== null && codes.includes(code);
}

const TOKEN_GONE = [CKR.DEVICE_REMOVED, CKR.TOKEN_NOT_PRESENT, CKR.SESSION_HANDLE_INVALID, CKR.SESSION_CLOSED];
const KEY_REFUSED = [CKR.KEY_FUNCTION_NOT_PERMITTED, CKR.FUNCTION_REJECTED];

/**
 * Turns a failure of a PKCS#11 call into the AppError the UI shows. `doing` says what was being
 * done ("signing", "logging in") for the sentence. An AppError passes through unchanged. The
 * message never carries anything from the module but its CKR name: a PIN cannot leak through it.
 */
export function tokenError(error: unknown, doing: string): AppError {
  if (error instanceof AppError) return error;
  const code = pkcs11ErrorCode(error);
  const pkcs11 = pkcs11ErrorName(error);
  if (code === null) {
    return new AppError('TOKEN_FAILURE', `The token failed while ${doing}.`, { pkcs11 });
  }
  if ((TOKEN_GONE as readonly number[]).includes(code)) {
    return new AppError('TOKEN_REMOVED', `The token was removed or its session was lost while ${doing}; plug the token in again and retry.`, { pkcs11,
    });
  }
  if ((KEY_REFUSED as readonly number[]).includes(code)) {
    return new AppError('KEY_REFUSED', `The key on the token refused to sign (${pkcs11}).`, { pkcs11 });
  }
  switch (code) {
    case CKR.PIN_INCORRECT:
      return new AppError('PIN_INCORRECT', 'The PIN is incorrect.', { pkcs11 });
    case CKR.PIN_INVALID:
    case CKR.PIN_LEN_RANGE:
      // Tokens answer a PIN of the wrong length or with characters they refuse without counting
      // a try; to the user it is still a wrong PIN.
      return new AppError('PIN_INCORRECT', 'The PIN is incorrect (its length or characters are not accepted by this token).', { pkcs11,
      });
    case CKR.PIN_LOCKED:
      return pinLockedError(pkcs11);
    case CKR.PIN_EXPIRED:
      return new AppError('PIN_EXPIRED', "The token's PIN has expired; change it with the CA's tool.", { pkcs11 });
    case CKR.USER_NOT_LOGGED_IN:
      return new AppError('NOT_LOGGED_IN', `Log in to the token (enter its PIN) before ${doing}.`, { pkcs11 });
    case CKR.FUNCTION_CANCELED:
      return new AppError('CANCELLED', `${capitalize(doing)} was cancelled on the token.`, { pkcs11 });
    case CKR.DEVICE_ERROR:
    case CKR.TOKEN_NOT_RECOGNIZED:
      return new AppError('TOKEN_FAILURE', `The token reported a device error while ${doing} (${pkcs11}); unplug it, plug it in again and retry.`, { pkcs11,
      });
    default:
      return new AppError('TOKEN_FAILURE', `The token failed while ${doing} (${pkcs11}).`, { pkcs11 });
  }
}

export function pinLockedError(pkcs11?: string): AppError {
  return new AppError('PIN_LOCKED', "The PIN is locked; unlock it with the CA's tool (PUK/SO PIN).", { ...(pkcs11 ? { pkcs11 } : {}),
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every object matching `template`, the search always closed (a dangling one blocks the session). */
export function findObjects(api: Pkcs11Api, session: Handle, template: Template): Handle[] {
  api.C_FindObjectsInit(session, template);
  try {
    const found: Handle[] = [];
    // A token holds a handful of objects; the bound only guards against a module that never
    // says it is done.
    while (found.length < 4096) {
      const batch = api.C_FindObjects(session, 64);
      if (batch.length === 0) break;
      found.push(...batch);
    }
    return found;
  } finally {
    api.C_FindObjectsFinal(session);
  }
}

/** One attribute's bytes, or null when the object does not have it (or will not show it). */
export function readAttribute(api: Pkcs11Api, session: Handle, object: Handle, type: number): Buffer | null {
  try {
    const [attribute] = api.C_GetAttributeValue(session, object, [{ type }]);
    return attribute?.value ?? null;
  } catch (error) {
    if (isPkcs11Error(error, CKR.ATTRIBUTE_TYPE_INVALID, CKR.ATTRIBUTE_SENSITIVE)) return null;
    throw error;
  }
}

/** A CK_ULONG or CK_BBOOL attribute value; the module writes it in the machine's byte order. */
export function attributeNumber(value: Buffer | null): number | null {
  if (!value || value.length === 0) return null;
  if (value.length >= 8) return Number(value.readBigUInt64LE(0));
  if (value.length >= 4) return value.readUInt32LE(0);
  return value[0] ?? null;
}

export function attributeBoolean(value: Buffer | null): boolean {
  return (attributeNumber(value) ?? 0) !== 0;
}

/** A blank-padded CK_UTF8CHAR field of CK_TOKEN_INFO, trimmed. */
export function tokenText(field: string): string {
  return field.replace(/[\s\0]+$/u, '');
}

/** A slot id (CK_SLOT_ID in a handle buffer) as a decimal string: stable within one module load only. */
export function slotIdText(slot: Handle): string {
  return slot.length >= 8 ? slot.readBigUInt64LE(0).toString() : slot.length >= 4 ? String(slot.readUInt32LE(0)) : slot.toString('hex');
}
