// Errors that cross the API boundary. The code is stable and the UI turns it into a sentence in
// the user's language (renderer/src/i18n); `message` is an English sentence for logs and the CLI.

export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'EMPTY_FILE',
  'FILE_TOO_LARGE',
  'NOT_PDF',
  'ENCRYPTED_PDF',
  'TRUNCATED_PDF',
  'DAMAGED_PDF',
  // A PDF beyond what eOffice reads (too many sections or objects, or over the time or memory of a reading).
  'PDF_TOO_COMPLEX',
  'DUPLICATE_FILE',
  'FILE_UNREADABLE',
  'DATABASE_TOO_NEW',
  'STORAGE_CORRUPT',
  'UNAUTHORIZED',
  'INTERNAL',
  'SECRET_KEY_DAMAGED',
  // Tokens (PKCS#11): the module, the token, the PIN, the key.
  'MODULE_MISSING',
  'MODULE_WRONG_ARCH',
  'MODULE_WRONG_PLATFORM',
  'MODULE_NOT_PKCS11',
  'MODULE_LOAD_FAILED',
  'MODULE_NETWORK_PATH',
  'MODULE_ADD_UNAVAILABLE',
  // Remote signing (the leader's phone: SmartCA, CSC, SIM PKI).
  'REMOTE_REFUSED',
  'REMOTE_EXPIRED',
  'REMOTE_CANCELLED',
  'REMOTE_UNREACHABLE',
  'REMOTE_AUTH_FAILED',
  'REMOTE_PIN_BLOCKED',
  'REMOTE_FAILED',
  'REMOTE_UNKNOWN_IDENTITY',
  'REMOTE_NOT_CONFIGURED',
  'REMOTE_OFFLINE',
  'TOKEN_NOT_FOUND',
  'TOKEN_AMBIGUOUS',
  'TOKEN_REMOVED',
  'TOKEN_FAILURE',
  'SESSION_CLOSED',
  'NOT_LOGGED_IN',
  'PIN_REQUIRED',
  'PIN_INCORRECT',
  'PIN_FINAL_TRY',
  'PIN_LOCKED',
  'PIN_EXPIRED',
  'CERTIFICATE_NOT_FOUND',
  'KEY_NOT_FOUND',
  'KEY_TYPE_UNSUPPORTED',
  'KEY_CERT_MISMATCH',
  'KEY_REFUSED',
  'CANCELLED',
  // Signing documents in the registry.
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  'CERTIFICATE_NOT_FOR_SIGNING',
  'AGENCY_NAME_MISSING',
  'NO_FILE',
  'DOCUMENT_CHANGED',
  'NOT_PNG',
  // Issuing outgoing documents.
  'NOT_SIGNED',
  'SIGNER_MISMATCH',
  'SIGNATURE_INVALID',
  'WRONG_STATE',
  'AGENCY_NOT_CONFIGURED',
  'AGENCY_CERTIFICATE_REQUIRED',
  'NO_NUMBER_PLACE',
  // The record of a numbered (or registered) document: its fields, recipients and files are fixed (registry/recordLock.ts).
  'RECORD_LOCKED',
  'CONVERTER_MISSING',
  'CONVERSION_FAILED',
  // Document exchange over the axis.
  'PACKAGE_REFUSED',
  'AXIS_NOT_CONFIGURED',
  'AXIS_ENDPOINT_INSECURE',
  'AXIS_UNREACHABLE',
  'AXIS_REFUSED',
  // Why a pass of the exchange did not go through, as the exchange view says it (the English
  // message stays in the logs and the CLI): the settings, the axis's answer, or this computer.
  'AXIS_ENDPOINT_INVALID',
  'AXIS_SECRET_UNREADABLE',
  'AXIS_SECRET_ELSEWHERE',
  'AXIS_AUTH_FAILED',
  'AXIS_UNAVAILABLE',
  'AXIS_TIMEOUT',
  'AXIS_PATH_NOT_SERVED',
  'AXIS_BAD_ANSWER',
  'AXIS_HEADER_INVALID',
  'AXIS_SEND_FAILED',
  'QUEUED_PACKAGE_CHANGED',
  'EXCHANGE_LOCAL_FAILURE',
  'AGENCY_CODE_MISSING',
  // The incoming register and the handling of what arrives.
  'HANDLER_NOT_FOUND',
  'HANDLER_INACTIVE',
  'HANDLER_EXISTS',
  'DUE_BEFORE_ARRIVAL',
  'NO_RECALL_REQUEST',
  'INCOMING_INCOMPLETE',
  // The trust store: why a file offered for trust is refused.
  'NOT_CERTIFICATE_FILE',
  'NOT_CA_CERTIFICATE',
  // A document's files taken out: shown in the file manager (the desktop app only), copied out.
  'SHELL_UNAVAILABLE',
  'EXPORT_FAILED',
  // The office's accounts, sign-in and rights (issue 15).
  'USER_EXISTS',
  'USER_NOT_FOUND',
  'LAST_ADMINISTRATOR',
  'PASSWORD_TOO_WEAK',
  'CERTIFICATE_BOUND',
  'SIGN_IN_FAILED',
  'SIGN_IN_BACKOFF',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'SIGN_IN_REQUIRED',
  'FORBIDDEN',
  'HOST_CERTIFICATE_CHANGED',
  'HOST_UNREACHABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  details?: Record<string, string | number | boolean | null>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string | number | boolean | null> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, string | number | boolean | null>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  /** An error as another process answered it (the office host), thrown here as if raised here. */
  static fromShape(shape: ApiErrorShape): AppError {
    return new AppError(shape.code, shape.message, shape.details);
  }

  toShape(): ApiErrorShape {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorShape };
