/**
 * Editors' password hashes for tests that log in: the stored format and the
 * verification are the real ones, at scrypt N = 2^10 instead of 2^17, so a
 * login costs milliseconds instead of most of a second (the suite logs in
 * dozens of times). tests/unit/web/editor-auth.test.ts hashes at the real cost.
 */
import { hashPassword } from '../../src/web/editor/password.js';

export function testPasswordHash(password: string): Promise<string> {
  return hashPassword(password, { log2N: 10, r: 8, p: 1 });
}
