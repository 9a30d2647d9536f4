// A key on the caller's own PC, for a document kept on the office host (issue 15): the host builds
// the PDF and the CMS as for any signer; what is to be signed goes to the caller (signing.requests),
// whose token signs it on their PC — the PIN never leaves it — and comes back (signing.respond).
// Each signature is checked against the certificate before it is used: a wrong one fails the
// signing, never lands in a document.
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { AppError } from '../../common/errors.js';
import { certificateFacts } from '../token/certificate.js';
import type { SignerKey } from './signerKey.js';

/** Signatures the caller's PC may make under one request: a token's PIN covers its act anyway. */
const SIGNATURES_PER_REQUEST = 50;

/** Asks the caller's PC to sign `datas` (SHA-256 each); resolves with its signatures, in order. */
export type AskClient = (datas: Uint8Array[], signal?: AbortSignal) => Promise<Uint8Array[]>;

export function clientSignerKey(certificate: Uint8Array, chain: Uint8Array[], ask: AskClient, now = new Date()): SignerKey {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certificate);
  } catch {
    throw new AppError('INVALID_INPUT', 'The certificate sent for signing cannot be read.');
  }
  const publicKey = createPublicKey(x509.publicKey.export({ type: 'spki', format: 'pem' }));
  const keyType = publicKey.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
  const signMany = async (datas: Uint8Array[], request: { signal?: AbortSignal }) => {
    const signatures = await ask(datas, request.signal);
    if (signatures.length !== datas.length) throw new AppError('KEY_CERT_MISMATCH', `The signer's PC returned ${signatures.length} signatures for ${datas.length}.`);
    signatures.forEach((signature, i) => {
      const good = verify('sha256', datas[i]!, keyType === 'ec' ? { key: publicKey, dsaEncoding: 'der' } : publicKey, signature);
      if (!good) throw new AppError('KEY_CERT_MISMATCH', "The signature from the signer's PC does not match the certificate sent with it.");
    });
    return signatures;
  };
  return {
    certificate,
    chain,
    keyType,
    facts: certificateFacts(certificate, now),
    approval: 'client',
    signaturesPerApproval: SIGNATURES_PER_REQUEST,
    signMany,
    async sign(data) {
      return (await signMany([data], {}))[0]!;
    },
  };
}
