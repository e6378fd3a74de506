/**
 * The lock-out counts by email as typed, account or not (keyed with `TokenService.signInKey`): a lock on an address
 * that is not an account looks the same as one on an account, so locks tell no one which addresses exist.
 *
 * Wrong passwords for one email that lock sign-in with it, counted until a right password or until COUNT_HOURS pass
 * with no wrong one; once locked, each further wrong one in that time locks it again. So a guesser gets about one
 * guess per lock (96 a day), while a handler who mistypes now and then never adds up to a lock. A right password
 * takes back only the attempts counted up to its own: guesses sent while it was being checked stay counted.
 */
export const LOCK_AFTER_FAILURES = 5;
/** How long a lock holds. */
export const LOCK_MINUTES = 15;
/** How long a wrong password counts towards a lock, after the last one. */
export const COUNT_HOURS = 24;
