// A remote signing service: the leader's key lives with a provider (VNPT SmartCA, a CSC API v2
// service, a SIM PKI gateway over ETSI TS 102 204) and is used from the leader's phone. eOffice
// builds the CMS and the PDF here, as with a token, and sends the provider only the hashes of the
// signed attributes; the provider returns one signature value per hash once the leader approves.
// Each protocol is an adapter behind this interface (smartca.ts, csc.ts, mss.ts).

/** The protocols eOffice speaks; the prefix of a signer choice on the command line (smartca:, csc:, mss:). */
export type RemoteProtocol = 'smartca' | 'csc' | 'mss';

/** One signing identity the provider holds for a user. */
export interface RemoteIdentity {
  protocol: RemoteProtocol;
  /** As the provider names it: SmartCA credentialId, CSC credentialID, the MSISDN for MSS. */
  credentialId: string;
  /** The signer's certificate (DER). */
  certificate: Uint8Array;
  /** The rest of the chain the provider gives (DER), issuer first; may be empty. */
  chain: Uint8Array[];
  keyType: 'rsa' | 'ec';
  /** How many hashes one approval on the phone may cover: SmartCA 50, CSC the credential's multisign, MSS 1. */
  maxHashesPerApproval: number;
}

/** Shown while a request waits for the user: what the phone shows, and until when it may be approved. */
export interface WaitingForApproval {
  protocol: RemoteProtocol;
  /** The provider's transaction (SmartCA tranId, CSC responseID, MSS MSSP_TransID). */
  transactionId: string;
  display: string;
  hashes: number;
  expiresAt: Date;
}

export interface HashSigningRequest {
  /** SHA-256 digests (32 bytes each) of the CMS signed attributes, in order; at most maxHashesPerApproval. */
  hashes: Uint8Array[];
  /** One name per hash (the file's name: SmartCA lists them on the phone). */
  names: string[];
  /** What the phone shows, in Vietnamese: the notation and trích yếu ("Ký 12/QĐ-UBND: Về việc …"); adapters cut it to their protocol's limit. */
  display: string;
  /** Aborting cancels the wait (and the provider's transaction where the protocol can). */
  signal?: AbortSignal;
  onWaiting?(waiting: WaitingForApproval): void;
}

/**
 * A provider's client. signHashes resolves with one signature value per hash, in order: RSA
 * PKCS#1 v1.5 over DigestInfo(sha256, hash), or a DER ECDSA-Sig-Value. It fails with an AppError:
 * REMOTE_REFUSED (the user said no), REMOTE_EXPIRED (not approved in time), REMOTE_CANCELLED
 * (the signal), REMOTE_UNREACHABLE (network, 5xx, the provider down mid-poll), REMOTE_AUTH_FAILED
 * (client credentials refused), REMOTE_PIN_BLOCKED (MSS 402), REMOTE_FAILED (anything else the
 * provider reports, with its code in details), REMOTE_UNKNOWN_IDENTITY.
 */
export interface RemoteSignerClient {
  readonly protocol: RemoteProtocol;
  /** The identities of `account` (SmartCA user id; CSC userID or all; MSS: the configured MSISDNs). */
  listIdentities(account?: string, signal?: AbortSignal): Promise<RemoteIdentity[]>;
  signHashes(identity: RemoteIdentity, request: HashSigningRequest): Promise<Uint8Array[]>;
}

/** How often and how long an adapter asks for the outcome; tests poll fast. */
export interface PollOptions {
  /** Between two polls; 1,000 ms by default. */
  intervalMs?: number;
  /** Network errors in a row tolerated while polling before REMOTE_UNREACHABLE; 3 by default. */
  toleratedFailures?: number;
  /** Each HTTP call's own limit; 20,000 ms by default. */
  requestTimeoutMs?: number;
}
