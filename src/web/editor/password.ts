/**
 * Editors' passwords: scrypt (node:crypto) with a random salt per password,
 * stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` so the cost can be raised
 * later without invalidating the hashes already stored.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { NewsdeskError } from '../../errors.js';

export const MIN_PASSWORD_LENGTH = 10;
/** Longer passwords are refused rather than hashed: scrypt's cost grows with the input. */
export const MAX_PASSWORD_LENGTH = 1_000;

export interface PasswordCost {
  log2N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt minimum (N = 2^17, r = 8, p = 1): 128 MiB and a fraction of a second per hash. */
const COST: PasswordCost = { log2N: 17, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;

function scrypt(password: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2N;
  // Node refuses to use more than maxmem (32 MiB by default); scrypt needs 128 * N * r * p bytes.
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, HASH_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Throws a usage error saying what a password needs. */
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new NewsdeskError('usage', `editors: password: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new NewsdeskError('usage', `editors: password: at most ${MAX_PASSWORD_LENGTH} characters`);
}

/** The stored hash of a new password; `cost` is for tests, which store cheap hashes (verification reads the cost from the hash). */
export async function hashPassword(password: string, cost: PasswordCost = COST): Promise<string> {
  checkPassword(password);
  const salt = randomBytes(SALT_BYTES);
  const hash = await scrypt(password, salt, cost.log2N, cost.r, cost.p);
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Whether the password matches the stored hash; false for a malformed hash too. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt' || password.length > MAX_PASSWORD_LENGTH) return false;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a damaged row from asking for gigabytes: scrypt needs 128 * N * r * p bytes.
  if (![log2N, r, p].every((n) => Number.isInteger(n) && n > 0) || log2N > 20 || r > 32 || p > 16) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = await scrypt(password, Buffer.from(parts[4]!, 'base64'), log2N, r, p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time of one verification for an email with no editor, so the
 * answer's delay does not tell which addresses are editors.
 */
export async function verifyNobody(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(24).toString('base64'));
  await verifyPassword(password, await dummy);
  return false;
}
