import { createHash } from 'node:crypto';

/** Wrong passwords for one email, each within LOCK_MINUTES of the one before, that lock sign-in with it. */
export const LOCK_AFTER_FAILURES = 5;
/** How long a lock holds, and how long a wrong password counts towards one. */
export const LOCK_MINUTES = 15;

/**
 * The lock-out's key for an email as typed: a SHA-256 of it as the store compares emails (lower case), so the
 * store never keeps an address that someone mistyped or guessed. Every email has one, account or not: a lock on an
 * address that is not an account looks the same as one on an account, so locks tell no one which addresses exist.
 */
export function signInKey(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('hex');
}
