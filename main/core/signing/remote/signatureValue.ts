// What a provider sends back is checked before eOffice builds a PDF with it: a signature value
// must verify under the identity's certificate over the very hash that was sent. A provider that
// answers with garbage, another user's key or the signature of another hash must never produce a
// signed PDF that does not verify.
import { constants, publicDecrypt, X509Certificate, type KeyObject } from 'node:crypto';
import { AppError } from '../../../common/errors.js';
import { digestInfoOfSha256, ecdsaRawToDer } from '../../token/signingKey.js';
import type { RemoteIdentity, RemoteProtocol } from './remoteSigner.js';

/**
 * The identity a provider names by `credentialId` with `chainDer` (signer first, then its issuers).
 * The key type is read from the certificate itself: it is what a signature must verify under,
 * whatever algorithm name the provider prints beside it.
 */
export function identityFromChain(protocol: RemoteProtocol, credentialId: string, chainDer: Uint8Array[], maxHashesPerApproval: number): RemoteIdentity {
  const [certificate, ...chain] = chainDer;
  if (!certificate) throw new AppError('REMOTE_FAILED', `The ${protocol} service gave no certificate for ${credentialId}.`, { protocol, reason: 'no-certificate' });
  const keyType = certificateKeyType(protocol, credentialId, certificate);
  return { protocol, credentialId, certificate, chain, keyType, maxHashesPerApproval: Math.max(1, Math.floor(maxHashesPerApproval)) };
}

function certificateKeyType(protocol: RemoteProtocol, credentialId: string, certificateDer: Uint8Array): 'rsa' | 'ec' {
  let type: string | undefined;
  try {
    type = new X509Certificate(certificateDer).publicKey.asymmetricKeyType;
  } catch {
    throw new AppError('REMOTE_FAILED', `The ${protocol} service gave a certificate for ${credentialId} that cannot be read.`, { protocol, reason: 'certificate-unreadable' });
  }
  if (type !== 'rsa' && type !== 'ec') {
    throw new AppError('KEY_TYPE_UNSUPPORTED', `The certificate of ${credentialId} has a ${type ?? 'unknown'} key; eOffice signs with RSA or ECDSA.`, { protocol, keyType: type ?? null });
  }
  return type;
}

/**
 * Strict standard base64 (as every protocol here specifies). Buffer.from(…, 'base64') skips
 * characters it does not know, which would turn a provider's error text into "a signature".
 */
export function decodeBase64(text: string): Uint8Array | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/**
 * The provider's answer for `hashes`, each value checked: as many values as hashes, each one
 * base64 that verifies under `identity`'s certificate over its hash. Anything else is the
 * provider's failure (REMOTE_FAILED), never a value handed on.
 */
export function checkedSignatureValues(identity: RemoteIdentity, hashes: Uint8Array[], encoded: readonly unknown[] | undefined): Uint8Array[] {
  const { protocol } = identity;
  if (!encoded || encoded.length !== hashes.length) {
    throw new AppError('REMOTE_FAILED', `The ${protocol} service returned ${encoded?.length ?? 0} signature values for ${hashes.length} hashes.`, { protocol, reason: 'signature-count' });
  }
  return hashes.map((hash, index) => {
    const value = typeof encoded[index] === 'string' ? decodeBase64(encoded[index]) : null;
    if (!value || !signatureVerifies(identity.certificate, hash, value)) {
      throw new AppError('REMOTE_FAILED', `The ${protocol} service returned a signature value (number ${index + 1}) that does not verify under the certificate of ${identity.credentialId}.`, {
        protocol,
        reason: 'signature-invalid',
        index,
      });
    }
    return value;
  });
}

/** True when `signature` is a valid signature value by the certificate's key over the SHA-256 `hash`. */
export function signatureVerifies(certificateDer: Uint8Array, hash: Uint8Array, signature: Uint8Array): boolean {
  if (hash.length !== 32) return false;
  let key: KeyObject;
  try {
    key = new X509Certificate(certificateDer).publicKey;
  } catch {
    return false;
  }
  if (key.asymmetricKeyType === 'rsa') return rsaVerifies(key, hash, signature);
  if (key.asymmetricKeyType === 'ec') return ecdsaVerifies(key, hash, signature);
  return false;
}

/**
 * RSA PKCS#1 v1.5: undoing the signature with the public key must give exactly the DigestInfo of
 * the hash. publicDecrypt checks the type-1 padding; the value must also be as long as the
 * modulus (a shorter one is a different encoding some verifiers refuse).
 */
function rsaVerifies(key: KeyObject, hash: Uint8Array, signature: Uint8Array): boolean {
  const modulusBytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (signature.length !== modulusBytes) return false;
  try {
    const recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
    return recovered.equals(digestInfoOfSha256(hash));
  } catch {
    return false;
  }
}

// ---- ECDSA over a hash already made -----------------------------------------------------------
// Node's crypto.verify cannot check an ECDSA signature over a prehashed value: with algorithm
// null it still hashes the data with the key's default digest (SHA-256 for EC under OpenSSL 3), so
// verify(null, hash, …) checks SHA-256(hash) and fails, and there is no "prehashed" option. The
// adapter has only the hash (the signed attributes stay in the signing code), so the check is
// done here with the curve arithmetic of FIPS 186-4 §6.4.2 on BigInt. Speed is not a concern:
// one verification takes a few milliseconds. Nothing secret is handled, so constant time is not either.

interface Curve {
  p: bigint;
  a: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
}

// Parameters as `openssl ecparam -name <curve> -param_enc explicit -text` prints them (SEC 2).
const CURVES: Record<string, Curve> = {
  prime256v1: {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  },
  secp384r1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
  },
};

/** A point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity. */
type Point = readonly [bigint, bigint, bigint];
const INFINITY: Point = [1n, 1n, 0n];

function ecdsaVerifies(key: KeyObject, hash: Uint8Array, signature: Uint8Array): boolean {
  const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (!curve) return false;
  const rs = readEcdsaSigValue(signature);
  if (!rs) return false;
  const [r, s] = rs;
  const { n } = curve;
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) return false;
  const q: Point = [toBigInt(Buffer.from(jwk.x, 'base64url')), toBigInt(Buffer.from(jwk.y, 'base64url')), 1n];
  // The hash's leftmost bits, as many as the order has (all 256 of them on P-256 and P-384).
  const excess = hash.length * 8 - n.toString(2).length;
  const e = excess > 0 ? toBigInt(hash) >> BigInt(excess) : toBigInt(hash);
  const w = modInverse(s, n);
  const u1 = (e * w) % n;
  const u2 = (r * w) % n;
  const sum = add(curve, multiply(curve, [curve.gx, curve.gy, 1n], u1), multiply(curve, q, u2));
  if (sum[2] === 0n) return false;
  const { p } = curve;
  const zInverse = modInverse(sum[2], p);
  const x = mod(sum[0] * zInverse * zInverse, p);
  return mod(x, n) === r;
}

/**
 * r and s from a DER ECDSA-Sig-Value; null unless the bytes are exactly the DER encoding (the
 * value goes into a CMS SignerInfo as it is, and verifiers may refuse any other encoding).
 */
function readEcdsaSigValue(der: Uint8Array): [bigint, bigint] | null {
  const bytes = Buffer.from(der);
  let offset = 0;
  const readLength = (): number | null => {
    const first = bytes[offset++];
    if (first === undefined) return null;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2) return null;
    let length = 0;
    for (let i = 0; i < count; i++) {
      const b = bytes[offset++];
      if (b === undefined) return null;
      length = length * 256 + b;
    }
    return length;
  };
  const readInteger = (): Buffer | null => {
    if (bytes[offset++] !== 0x02) return null;
    const length = readLength();
    if (length === null || length === 0 || offset + length > bytes.length) return null;
    const value = bytes.subarray(offset, offset + length);
    offset += length;
    return value;
  };
  if (bytes[offset++] !== 0x30) return null;
  const bodyLength = readLength();
  if (bodyLength === null || offset + bodyLength !== bytes.length) return null;
  const r = readInteger();
  const s = readInteger();
  if (!r || !s || offset !== bytes.length || (r[0]! & 0x80) !== 0 || (s[0]! & 0x80) !== 0) return null;
  const rValue = toBigInt(r);
  const sValue = toBigInt(s);
  // Same values in minimal DER must give the same bytes: no extra leading zeros, no long lengths.
  const size = Math.max(r.length, s.length);
  const raw = Buffer.concat([toFixedBytes(rValue, size), toFixedBytes(sValue, size)]);
  return ecdsaRawToDer(raw).equals(bytes) ? [rValue, sValue] : null;
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function toFixedBytes(value: bigint, size: number): Buffer {
  return Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex');
}

function mod(value: bigint, modulus: bigint): bigint {
  const rest = value % modulus;
  return rest < 0n ? rest + modulus : rest;
}

/** The inverse modulo a prime (Fermat): value^(m-2). */
function modInverse(value: bigint, modulus: bigint): bigint {
  let result = 1n;
  let base = mod(value, modulus);
  let exponent = modulus - 2n;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

function double(curve: Curve, [x, y, z]: Point): Point {
  const { p, a } = curve;
  if (z === 0n || y === 0n) return INFINITY;
  const yy = (y * y) % p;
  const s = (4n * x * yy) % p;
  const zz = (z * z) % p;
  const m = mod(3n * x * x + a * zz * zz, p);
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, p);
  const z3 = (2n * y * z) % p;
  return [x3, y3, z3];
}

function add(curve: Curve, one: Point, other: Point): Point {
  const { p } = curve;
  if (one[2] === 0n) return other;
  if (other[2] === 0n) return one;
  const [x1, y1, z1] = one;
  const [x2, y2, z2] = other;
  const z1z1 = (z1 * z1) % p;
  const z2z2 = (z2 * z2) % p;
  const u1 = (x1 * z2z2) % p;
  const u2 = (x2 * z1z1) % p;
  const s1 = (y1 * z2 * z2z2) % p;
  const s2 = (y2 * z1 * z1z1) % p;
  if (u1 === u2) return s1 === s2 ? double(curve, one) : INFINITY;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = (h * h) % p;
  const hhh = (hh * h) % p;
  const x3 = mod(r * r - hhh - 2n * u1 * hh, p);
  const y3 = mod(r * (u1 * hh - x3) - s1 * hhh, p);
  const z3 = (h * z1 * z2) % p;
  return [x3, y3, z3];
}

function multiply(curve: Curve, point: Point, scalar: bigint): Point {
  let result = INFINITY;
  for (const bit of scalar.toString(2)) {
    result = double(curve, result);
    if (bit === '1') result = add(curve, result, point);
  }
  return result;
}
