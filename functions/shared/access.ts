// Access by the secret token of an emailed link: whoever holds it may act on that one record.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ForbiddenError } from './errors.js';

/** A new unguessable link secret (192 bits, URL-safe). */
export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares in constant time, so that timing does not leak how much of a guess was right. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function assertToken(given: string | undefined, expected: string, what: string): void {
  if (!sameSecret(given, expected)) {
    throw new ForbiddenError(`The link is not valid for this ${what}; use the link from your email`);
  }
}
