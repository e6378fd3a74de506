import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../src-shared/api/people';

/** What an access token says about its bearer. */
export interface AccessClaims {
  sub: string;
  name: string;
  role: Role;
  teams: string[];
  iat: number;
  /**
   * When it was issued, in milliseconds, by the issuing instance's clock. Checked against an ending of the person's
   * sessions only where the session generation cannot be (`gen` below): see `access-state.ts`.
   */
  iatMs: number;
  exp: number;
  /**
   * The person's session generation when it was issued: a later ending of their sessions (a new password, a disabled
   * account, a copied refresh token) counts one more, and refuses it whatever each instance's clock says. Null in a
   * token from an instance older than generations.
   */
  gen: number | null;
}

/** What an access check needs of a token: when it was issued and in which session generation. */
export type TokenSession = Pick<AccessClaims, 'iatMs' | 'gen'>;

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 12 * 60 * 60;

/**
 * Short-lived access tokens, signed with HMAC-SHA256 (header-less, so there is no algorithm to confuse). Every API
 * instance behind a load balancer needs the same secret. Refresh tokens are random and stored only as a hash.
 */
export function createTokenService(secret: Buffer, clock: { now(): number }) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    /** A token for `user` in their session generation `generation` (as read when their password or refresh token was checked). */
    issueAccessToken(user: { id: string; name: string; role: Role; teamIds: string[] }, generation: number): { token: string; expiresIn: number } {
      const iatMs = clock.now();
      const iat = Math.floor(iatMs / 1000);
      const claims: AccessClaims = { sub: user.id, name: user.name, role: user.role, teams: user.teamIds, iat, iatMs, exp: iat + ACCESS_TOKEN_SECONDS, gen: generation };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return { token: `${payload}.${sign(payload)}`, expiresIn: ACCESS_TOKEN_SECONDS };
    },
    /** The claims of a valid, unexpired token; null for anything else. */
    verifyAccessToken(token: string): AccessClaims | null {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Omit<AccessClaims, 'iatMs' | 'gen'> & { iatMs?: number; gen?: number };
        // A token from before `iatMs` was added counts from the start of its second (an ended session refuses it); one
        // from before generations has none.
        return claims.exp * 1000 > clock.now() ? { ...claims, iatMs: claims.iatMs ?? claims.iat * 1000, gen: Number.isSafeInteger(claims.gen) ? claims.gen! : null } : null;
      } catch {
        return null;
      }
    },
    /**
     * The sign-in lock-out's key for an email as typed (see `sign-in-lockout.ts`): an HMAC of it as the store compares
     * emails (lower case) with this server's secret, so the store never keeps an address someone mistyped or guessed,
     * and no one holding the database and a list of addresses can tell which were tried. Its input has a `:`, which
     * no token payload (base64url) has, so a key is never a token's signature.
     */
    signInKey(email: string): string {
      return createHmac('sha256', secret).update(`sign-in:${email.toLowerCase()}`).digest('hex');
    },
    newRefreshToken(): { token: string; hash: string } {
      const token = randomBytes(32).toString('base64url');
      return { token, hash: hashRefreshToken(token) };
    },
  };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export type TokenService = ReturnType<typeof createTokenService>;
