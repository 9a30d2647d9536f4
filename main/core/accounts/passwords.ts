// Passwords are kept as scrypt hashes (RFC 7914; in Node's crypto, so no native dependency):
// N = 2^15, r = 8, p = 1 — about 32 MB and a few tens of milliseconds a try, as OWASP's password
// storage guidance gives for scrypt — with a random 16-byte salt each. The parameters are stored
// with the hash, so that raising them later still checks the passwords set before.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../../common/errors.js';

const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // 128·N·r bytes are needed; Node's default ceiling (32 MB) is exactly that, so give it room.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** What a password must be: long enough to resist guessing over the network, and not the login. */
export function assertPasswordAcceptable(password: string, login: string): void {
  if ([...password].length < 10) throw new AppError('PASSWORD_TOO_WEAK', 'A password has at least 10 characters.');
  if (password.normalize('NFC').toLowerCase().includes(login.toLowerCase())) throw new AppError('PASSWORD_TOO_WEAK', 'A password must not contain the login.');
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash no password matches, checked when the login is unknown: the answer then takes as long as
 * for a real account, so that timing does not tell which logins exist.
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64'));
  return decoy;
}
