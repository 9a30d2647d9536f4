// The client talks to the document axis only through this interface. The national axis SDK's API
// ("VXP") is the first adapter; provincial platforms that differ in paths or authentication fit
// behind the same interface by configuration (../../../README.md, "Document exchange").
import type { HexStyle, SigningStyle } from './xroad.js';
import type { ApiErrorShape, ErrorCode } from '../../common/errors.js';

export type MessageType = 'edoc' | 'status';

export interface SendRequest {
  /** The package file; it is streamed, never loaded whole. */
  path: string;
  size: number;
  sha256: string;
  from: string;
  to: string[];
  messageType: MessageType;
}

export interface InboxItem {
  docId: string;
  messageType: MessageType;
  from: string;
  to: string[];
  createdTime: string;
}

export interface Agency {
  code: string;
  name: string;
  parentCode?: string;
}

export type Acknowledgement = 'done' | 'fail' | 'processing';

export interface AxisAdapter {
  /** Returns the axis's id for the sent package. */
  send(request: SendRequest, signal?: AbortSignal): Promise<{ axisDocId: string }>;
  listInbox(messageType: MessageType, signal?: AbortSignal): Promise<InboxItem[]>;
  /**
   * Writes the package's raw edXML bytes to `targetPath` (streamed; base64 decoded on the way).
   * A package larger than `maxBytes` is stopped as it arrives (PackageTooLarge), before it fills the disk.
   */
  fetch(docId: string, targetPath: string, options?: { maxBytes?: number; signal?: AbortSignal }): Promise<{ size: number; sha256: string }>;
  acknowledge(docId: string, status: Acknowledgement, signal?: AbortSignal): Promise<void>;
  listAgencies(signal?: AbortSignal): Promise<Agency[]>;
}

/**
 * transient: the network, a timeout, 5xx, 429 — try again later, without end.
 * permanent: the axis refused this request (another 4xx, or status FAIL for the package) — stop,
 * and show the clerk why. auth: the axis refused our credentials — stop everything until fixed.
 */
export type AxisErrorKind = 'transient' | 'permanent' | 'auth';

/** The problem as the UI says it: an error code of main/common/errors.ts and its parameters. */
export type AxisErrorCode = Extract<
  ErrorCode,
  'AXIS_NOT_CONFIGURED' | 'AXIS_ENDPOINT_INVALID' | 'AXIS_ENDPOINT_INSECURE' | 'AXIS_UNREACHABLE' | 'AXIS_TIMEOUT' | 'AXIS_AUTH_FAILED' | 'AXIS_UNAVAILABLE' | 'AXIS_PATH_NOT_SERVED' | 'AXIS_REFUSED' | 'AXIS_BAD_ANSWER' | 'AXIS_HEADER_INVALID' | 'QUEUED_PACKAGE_CHANGED'
>;

export class AxisError extends Error {
  readonly kind: AxisErrorKind;
  /** `message` is English, for logs and the CLI; the UI renders the code with its details. */
  readonly code: AxisErrorCode;
  readonly details: Record<string, string | number>;
  readonly httpStatus: number | null;
  /** From Retry-After, in milliseconds. */
  readonly retryAfterMs: number | null;
  readonly axisCode: string | null;

  constructor(
    kind: AxisErrorKind,
    message: string,
    options: { code: AxisErrorCode; details?: Record<string, string | number>; httpStatus?: number | null; retryAfterMs?: number | null; axisCode?: string | null; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'AxisError';
    this.kind = kind;
    this.code = options.code;
    this.details = options.details ?? {};
    this.httpStatus = options.httpStatus ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.axisCode = options.axisCode ?? null;
  }

  toShape(): ApiErrorShape {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** A package fetched from the axis that is larger than the receiver accepts; the partial file is gone. */
export class PackageTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`The package is larger than the ${maxBytes} bytes accepted.`);
    this.name = 'PackageTooLarge';
  }
}

/** How to reach one axis. `variant` picks the API dialect; the rest is per agency. */
export interface AxisConfig {
  variant: 'vxp';
  endpoint: string;
  systemId: string;
  secret: string;
  /**
   * How requests are signed: as the SDK 2.0.1 does (the default), or in the form eOffice sent
   * before, for a platform built on it (xroad.ts, SigningStyle).
   */
  signing?: SigningStyle;
  /** How the HMAC is written: standard hex (the SDK 2.0.1, the default) or an older SDK's dropped zeros. */
  hmacHex?: HexStyle;
  /** Per-call path overrides for platforms that mount the same calls elsewhere. */
  paths?: Partial<Record<'sendEdoc' | 'getReceivedEdocList' | 'getEdoc' | 'updateStatus' | 'getAgenciesList', string>>;
  /** Milliseconds before a request with no progress is abandoned as transient. */
  timeoutMs?: number;
}
