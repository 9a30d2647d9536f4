// The one thing the PAdES/CMS code needs from a token: a certificate and a way to sign with its
// key. Kept free of PKCS#11 so that signing code can be tested with a key in memory too.
import { createHash } from 'node:crypto';

export interface SigningKey {
  readonly certificate: Uint8Array; // the signer's certificate, DER
  readonly chain: Uint8Array[]; // other certificates from the token that issue it (DER), may be empty
  readonly keyType: 'rsa' | 'ec';
  /** Signs `data` (the DER of the CMS signed attributes) with SHA-256: RSA PKCS#1 v1.5 signature bytes, or a DER-encoded ECDSA-Sig-Value. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

// DigestInfo ::= SEQUENCE { AlgorithmIdentifier { id-sha256, NULL }, OCTET STRING (32 bytes) }:
// the prefix PKCS#1 v1.5 puts before the hash (RFC 8017 §9.2, note 1).
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * The DER DigestInfo of SHA-256(data), for CKM_RSA_PKCS on tokens without CKM_SHA256_RSA_PKCS.
 * CKM_RSA_PKCS pads whatever it is given: signing a bare hash would produce a signature no
 * verifier accepts, so the hash always goes inside its DigestInfo.
 */
export function sha256DigestInfo(data: Uint8Array): Buffer {
  return digestInfoOfSha256(createHash('sha256').update(data).digest());
}

/** The DER DigestInfo of a SHA-256 hash already made: what a remote signer's key pads and signs. */
export function digestInfoOfSha256(hash: Uint8Array): Buffer {
  if (hash.length !== 32) throw new Error(`A SHA-256 hash has 32 bytes, not ${hash.length}.`);
  return Buffer.concat([SHA256_DIGEST_INFO_PREFIX, hash]);
}

/**
 * CKM_ECDSA returns r‖s, two big-endian integers of the curve's size. CMS wants
 * ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5753, RFC 3279 §2.2.3).
 */
export function ecdsaRawToDer(raw: Uint8Array): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new Error(`An ECDSA signature from the token has an odd length (${raw.length} bytes).`);
  const half = raw.length / 2;
  const body = Buffer.concat([derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** A non-negative INTEGER in minimal form: no leading zero bytes, but one 0x00 if the top bit is set. */
function derInteger(unsigned: Uint8Array): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  let value = Buffer.from(unsigned.subarray(start));
  if ((value[0] ?? 0) & 0x80) value = Buffer.concat([Buffer.from([0]), value]);
  return Buffer.concat([Buffer.from([0x02]), derLength(value.length), value]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}
