// The one key every signing step takes, whoever holds it: a token on this PC (token/) or a
// remote signing service used from the signer's phone (signing/remote/). Signing code reads the
// certificate's facts and how the holder approves; it never asks which kind of signer it is.
import { createHash } from 'node:crypto';
import type { SigningKey } from '../token/signingKey.js';
import { certificateFacts, type CertificateFacts } from '../token/certificate.js';
import type { RemoteIdentity, RemoteSignerClient, WaitingForApproval } from './remote/remoteSigner.js';

/**
 * How the holder approves: 'pin' once for the whole act (a token's login), 'pin-each' before every
 * signature (a CKA_ALWAYS_AUTHENTICATE key), 'phone' on the holder's phone, where one confirmation
 * may cover several documents (see signMany), 'client' on the token of the caller's own PC, for a
 * document on the office host (clientKey.ts), one request covering several documents too.
 */
export type Approval = 'pin' | 'pin-each' | 'phone' | 'client';

/** Approved away from this process (a phone, the caller's PC): the signatures are asked for in groups. */
export function approvedElsewhere(key: SignerKey): boolean {
  return key.approval === 'phone' || key.approval === 'client';
}

/** What a phone confirmation shows and how it is followed. */
export interface ApprovalRequest {
  /** What the phone shows: the documents' notations and trích yếu. */
  display: string;
  /** One name per signature (the files'). */
  names: string[];
  signal?: AbortSignal;
  onWaiting?(waiting: WaitingForApproval): void;
}

export interface SignerKey extends SigningKey {
  readonly facts: CertificateFacts;
  readonly approval: Approval;
  /** Signatures one approval may cover: 1 for a token (its PIN covers the act anyway), the provider's limit for a phone. */
  readonly signaturesPerApproval: number;
  /** Signs several signed-attribute encodings (see SigningKey.sign) under one approval, in order. */
  signMany(datas: Uint8Array[], request: ApprovalRequest): Promise<Uint8Array[]>;
}

/**
 * A key whose private half a remote service holds: each signature is a SHA-256 hash sent to the
 * provider and a signature value back, checked by the adapter against the certificate.
 */
export function remoteSignerKey(client: RemoteSignerClient, identity: RemoteIdentity, single: Partial<ApprovalRequest> = {}, now = new Date()): SignerKey {
  const signMany = async (datas: Uint8Array[], request: ApprovalRequest): Promise<Uint8Array[]> => {
    const hashes = datas.map((data) => new Uint8Array(createHash('sha256').update(data).digest()));
    return client.signHashes(identity, { hashes, names: request.names, display: request.display, signal: request.signal, onWaiting: request.onWaiting });
  };
  return {
    certificate: identity.certificate,
    chain: identity.chain,
    keyType: identity.keyType,
    facts: certificateFacts(identity.certificate, now),
    approval: 'phone',
    signaturesPerApproval: Math.max(1, identity.maxHashesPerApproval),
    signMany,
    async sign(data) {
      // One signature at a time (issuing's seal, its attachments): what the act said the phone should show.
      const [signature] = await signMany([data], { display: single.display ?? 'eOffice', names: single.names ?? ['document.pdf'], signal: single.signal, onWaiting: single.onWaiting });
      return signature!;
    },
  };
}
