// Codes the exchange carries, shared by the core and the UI: the status codes of QCVN 102:2016
// and the stable reasons a received package is refused for.

/** 01 arrived … 06 done, 02 refused, 13 recall request, 15/16 recall or update accepted/refused. */
export const STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export const REFUSAL_REASONS = [
  'malformed-xml',
  'doctype-forbidden',
  'not-edxml',
  'missing-field',
  'too-large',
  'too-deep',
  'too-many',
  'bad-base64',
  'bad-attachment-name',
  'bad-zip',
  'attachment-mismatch',
  // The package names another sender than the one the axis authenticated.
  'sender-mismatch',
  // Reading it failed in a way no other reason names (a file name the disk would not take, …).
  'unreadable',
  // Fetched and failed on our side this many times (exchange/inbox.ts, MAX_RECEIVE_ATTEMPTS).
  'too-many-attempts',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
