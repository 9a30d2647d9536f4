// What the three protocols of the reference remote signing service share: who it serves, the
// transactions waiting for the user's approval on the "phone", the fault switches, the automatic
// policy for benchmarks, the statistics, and the control endpoint that plays the user
// (main/core/signing/remote/PROTOCOLS.md §4). A transaction is one approval on the phone, whatever the
// number of hashes it covers.
import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenKeys, KeyName } from './keys.js';

export type Protocol = 'smartca' | 'csc' | 'mss';

/** The accounts and credentials the service knows, and the key behind each. */
export const IDENTITIES = {
  /** SmartCA and CSC: client_id=eoffice-test (the secret is given at start). */
  clientId: 'eoffice-test',
  /** MSS: AP_ID=eoffice-ap (the AP_PWD is given at start). */
  apId: 'eoffice-ap',
  /** The leader (Nguyễn Văn An, by CCCD number) and the agency, as SmartCA users. */
  smartcaUsers: { '079123456789': ['smartca-an'], 'ubnd-thunghiem': ['smartca-agency'] } as Record<string, string[]>,
  smartcaCredentials: { 'smartca-an': 'signer', 'smartca-agency': 'agency' } as Record<string, KeyName>,
  /** CSC userIDs; a credentials/list without userID lists them all. */
  cscUsers: { '079123456789': ['csc-an'], 'ubnd-thunghiem': ['csc-agency'] } as Record<string, string[]>,
  cscCredentials: { 'csc-an': 'signer', 'csc-agency': 'agency' } as Record<string, KeyName>,
  /** MSS signs PKCS#1 only: the RSA key. */
  msisdns: { '84912345678': 'signer' } as Record<string, KeyName>,
} as const;

/** How many hashes one approval may cover (SmartCA's limit, and the CSC credentials' multisign). */
export const MAX_HASHES_PER_APPROVAL = 50;

/**
 * waiting → signing (approved, the key at work) → approved; or refused, expired, failed. A poll
 * sees `signing` as still waiting. Once final, a transaction stays as it is.
 */
export type TransactionState = 'waiting' | 'signing' | 'approved' | 'refused' | 'expired' | 'failed';
/** Why a transaction failed: the provider's error, the SIM's PIN blocked (MSS 402), the key or certificate. */
export type FailureReason = 'error' | 'pinBlocked' | 'keyProblem';

export interface Transaction {
  protocol: Protocol;
  /** SmartCA tranId, CSC responseID, MSS MSSP_TransID. */
  id: string;
  /** SmartCA credentialId, CSC credentialID, MSS MSISDN. */
  account: string;
  key: KeyName;
  display: string;
  names: string[];
  hashes: Buffer[];
  createdAt: Date;
  expiresAt: Date;
  state: TransactionState;
  /** One per hash, in order, once approved. */
  signatures: Buffer[] | null;
  failure: FailureReason | null;
}

export type AutoDecision = 'approve' | 'refuse' | 'expire' | 'none';
export interface AutoPolicy {
  auto: AutoDecision;
  /** After this long the new request is decided; 0 by default. */
  afterMs?: number;
}

export interface FaultSettings {
  /** Wait before answering every protocol call. */
  latencyMs?: number;
  /** The next k protocol calls answer 503 without doing anything. */
  failNext?: number;
  /** The next k protocol calls do their work, then the socket is destroyed without an answer. */
  dropNext?: number;
  /**
   * A poll whose answer is final is answered twice on its keep-alive connection: the same HTTP
   * answer written again after the first, unasked for. The client may read the copy as the answer
   * to its next request there; that copy is still right for a later poll of the same transaction,
   * which stays final.
   */
  duplicateAnswers?: boolean;
  /** After k more polls, every protocol call answers 503 until the faults are cleared. */
  downAfterPolls?: number;
}

export interface PendingRequest {
  protocol: Protocol;
  id: string;
  display: string;
  hashes: number;
  createdAt: string;
}

export interface RemoteSignerStats {
  /** Protocol calls received, by route ("/smartca/auth/token", "/mss#MSS_Signature", …), faults included. */
  calls: Record<string, number>;
  /** How many times the user approved on the phone: a batch of 50 hashes counts once. */
  approvals: number;
}

/** A control request that cannot be done: the HTTP status and why. */
export class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const FINAL: readonly TransactionState[] = ['approved', 'refused', 'expired', 'failed'];
export const isFinal = (state: TransactionState): boolean => FINAL.includes(state);

export class Transactions {
  private readonly byId = new Map<string, Transaction>();
  private readonly keys: TokenKeys;
  readonly expiresInSeconds: number;
  private policy: Required<AutoPolicy>;
  private readonly timers = new Set<NodeJS.Timeout>();
  approvals = 0;

  constructor(keys: TokenKeys, expiresInSeconds: number, policy: AutoPolicy = { auto: 'none' }) {
    this.keys = keys;
    this.expiresInSeconds = expiresInSeconds;
    this.policy = checkedPolicy(policy);
  }

  create(fields: Pick<Transaction, 'protocol' | 'account' | 'key' | 'display' | 'names' | 'hashes'>): Transaction {
    const now = new Date();
    const transaction: Transaction = {
      ...fields,
      id: fields.protocol === 'mss' ? `MSSP${randomBytes(10).toString('hex').toUpperCase()}` : randomUUID(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.expiresInSeconds * 1000),
      state: 'waiting',
      signatures: null,
      failure: null,
    };
    this.byId.set(transaction.id, transaction);
    const { auto, afterMs } = this.policy;
    if (auto !== 'none') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.get(transaction.id)?.state !== 'waiting') return;
        if (auto === 'approve') void this.approve(transaction.id).catch(() => undefined);
        else if (auto === 'refuse') this.refuse(transaction.id);
        else this.expire(transaction.id);
      }, afterMs);
      this.timers.add(timer);
    }
    return transaction;
  }

  /** The transaction as it is now: a waiting one past its time has expired. */
  get(id: string): Transaction | undefined {
    const transaction = this.byId.get(id);
    if (transaction?.state === 'waiting' && Date.now() >= transaction.expiresAt.getTime()) transaction.state = 'expired';
    return transaction;
  }

  /** Seconds the user has left on a transaction (for an idempotent retry that returns it again). */
  secondsLeft(transaction: Transaction): number {
    return Math.max(0, Math.ceil((transaction.expiresAt.getTime() - Date.now()) / 1000));
  }

  pending(): PendingRequest[] {
    return [...this.byId.keys()]
      .map((id) => this.get(id)!)
      .filter((transaction) => transaction.state === 'waiting')
      .map(({ protocol, id, display, hashes, createdAt }) => ({ protocol, id, display, hashes: hashes.length, createdAt: createdAt.toISOString() }));
  }

  /** The user approves: every hash is signed by the key, and the transaction is approved (or failed, if the key fails). */
  async approve(id: string): Promise<Transaction> {
    const transaction = this.waiting(id);
    transaction.state = 'signing';
    this.approvals += 1;
    try {
      const signatures: Buffer[] = [];
      for (const hash of transaction.hashes) signatures.push(await this.keys.signHash(transaction.key, hash));
      transaction.signatures = signatures;
      transaction.state = 'approved';
    } catch {
      transaction.state = 'failed';
      transaction.failure = 'keyProblem';
    }
    return transaction;
  }

  refuse(id: string): Transaction {
    return this.decide(id, 'refused');
  }

  expire(id: string): Transaction {
    return this.decide(id, 'expired');
  }

  fail(id: string, reason: FailureReason): Transaction {
    const transaction = this.decide(id, 'failed');
    transaction.failure = reason;
    return transaction;
  }

  setPolicy(policy: AutoPolicy): Required<AutoPolicy> {
    this.policy = checkedPolicy(policy);
    return { ...this.policy };
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private decide(id: string, state: TransactionState): Transaction {
    const transaction = this.waiting(id);
    transaction.state = state;
    return transaction;
  }

  private waiting(id: string): Transaction {
    const transaction = this.get(id);
    if (!transaction) throw new ControlError(404, `no transaction ${id}`);
    if (transaction.state !== 'waiting') throw new ControlError(409, `the transaction ${id} is ${transaction.state}, not waiting`);
    return transaction;
  }
}

function checkedPolicy(policy: AutoPolicy): Required<AutoPolicy> {
  const decisions: readonly AutoDecision[] = ['approve', 'refuse', 'expire', 'none'];
  if (!decisions.includes(policy.auto)) throw new ControlError(400, `auto must be one of ${decisions.join(', ')}`);
  const afterMs = policy.afterMs ?? 0;
  if (!Number.isInteger(afterMs) || afterMs < 0) throw new ControlError(400, 'afterMs must be a whole number of milliseconds');
  return { auto: policy.auto, afterMs };
}

/** The fault switches as they stand, and what they do to the next call. */
export class Faults {
  private settings: Required<FaultSettings> = Faults.cleared();
  private pollsLeft: number | null = null;

  static cleared(): Required<FaultSettings> {
    return { latencyMs: 0, failNext: 0, dropNext: 0, duplicateAnswers: false, downAfterPolls: 0 };
  }

  /** Replaces every switch: `{}` clears them all. */
  set(settings: FaultSettings): Required<FaultSettings> {
    const next = Faults.cleared();
    for (const name of ['latencyMs', 'failNext', 'dropNext', 'downAfterPolls'] as const) {
      const value = settings[name];
      if (value === undefined) continue;
      if (!Number.isInteger(value) || value < 0) throw new ControlError(400, `${name} must be a whole number`);
      next[name] = value;
    }
    if (settings.duplicateAnswers !== undefined) {
      if (typeof settings.duplicateAnswers !== 'boolean') throw new ControlError(400, 'duplicateAnswers must be true or false');
      next.duplicateAnswers = settings.duplicateAnswers;
    }
    const unknown = Object.keys(settings).filter((name) => !(name in next));
    if (unknown.length > 0) throw new ControlError(400, `unknown fault switch ${unknown.join(', ')}`);
    this.settings = next;
    this.pollsLeft = settings.downAfterPolls === undefined ? null : next.downAfterPolls;
    return this.current();
  }

  current(): Required<FaultSettings> {
    return { ...this.settings };
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  get duplicateAnswers(): boolean {
    return this.settings.duplicateAnswers;
  }

  /** Whether this call answers 503 untouched: one of failNext, or the service down after its polls. */
  takeFailure(): boolean {
    if (this.pollsLeft === 0) return true;
    if (this.settings.failNext > 0) {
      this.settings.failNext -= 1;
      return true;
    }
    return false;
  }

  /** Whether this call's answer is dropped (its work done). */
  takeDrop(): boolean {
    if (this.settings.dropNext === 0) return false;
    this.settings.dropNext -= 1;
    return true;
  }

  /** A poll was answered: one fewer before the service goes down. */
  countPoll(): void {
    if (this.pollsLeft !== null && this.pollsLeft > 0) this.pollsLeft -= 1;
  }
}

/** Bearer tokens handed out by a protocol's token call. */
export class BearerTokens {
  private readonly expiries = new Map<string, number>();
  static readonly LIFETIME_SECONDS = 3600;

  issue(): { token: string; expiresIn: number } {
    const token = randomBytes(24).toString('base64url');
    this.expiries.set(token, Date.now() + BearerTokens.LIFETIME_SECONDS * 1000);
    return { token, expiresIn: BearerTokens.LIFETIME_SECONDS };
  }

  /** Whether the Authorization header carries a token of ours still valid. */
  accepts(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const expiry = match ? this.expiries.get(match[1]!) : undefined;
    return expiry !== undefined && Date.now() < expiry;
  }
}

/** A protocol's answer; `poll` marks a poll (for downAfterPolls and duplicateAnswers) and whether its answer was final. */
export interface ProtocolReply {
  status: number;
  contentType: string;
  body: string;
  poll?: { final: boolean };
}

export interface ProtocolCall {
  /** The path after the protocol's prefix ("/auth/token"), without the query. */
  route: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  body: Buffer;
}

/** What every protocol handler is given. */
export interface ServiceContext {
  keys: TokenKeys;
  transactions: Transactions;
  clientSecret: string;
  apPassword: string;
}

export function jsonReply(status: number, value: unknown, poll?: ProtocolReply['poll']): ProtocolReply {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value), ...(poll ? { poll } : {}) };
}

/** A base64 field that must decode to a SHA-256 hash; null when it does not. */
export function hashFromBase64(value: unknown): Buffer | null {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return null;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes : null;
}

/** The fields of a form body (application/x-www-form-urlencoded). */
export function formFields(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

/** A JSON object body, or null when the body is not one. */
export function jsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
