import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { refreshRequestSchema, signInRequestSchema, signInResponseSchema, userSchema, type User } from '../../src-shared/api/people';
import { problemTypes } from '../../src-shared/problem';
import type { AccessState } from '../auth/access-state';
import { hashPassword, verifyPassword, type PasswordCost } from '../auth/passwords';
import { createRateLimiter } from '../auth/rate-limit';
import { COUNT_HOURS, LOCK_AFTER_FAILURES, LOCK_MINUTES } from '../auth/sign-in-lockout';
import { hashRefreshToken, REFRESH_TOKEN_SECONDS, type TokenService } from '../auth/tokens';
import { sendProblem } from '../problem';
import type { CentralStore } from '../store/central-store';
import { defineRoute, type RouteSpec } from './route-spec';

/**
 * A refresh token presented again within this many seconds of its use is taken for a retry after a lost answer
 * (the desk never received the new pair), not for a stolen copy. Later reuse ends every session of the user.
 */
export const REFRESH_RETRY_GRACE_SECONDS = 30;

/** Sign-in, token refresh (rotating: each refresh token works once) and sign-out. */
export function authRoutes(deps: { store: CentralStore; tokens: TokenService; access: Pick<AccessState, 'forget'>; clock: { now(): number }; passwordCost?: PasswordCost }): RouteSpec[] {
  const perAddress = createRateLimiter({ limit: 20, windowMs: 5 * 60_000, clock: deps.clock });
  // A hash to check against when the email is unknown, so a wrong email takes as long as a wrong password.
  const decoy = hashPassword(randomUUID(), deps.passwordCost);

  /**
   * A new session for a user whose password or refresh token was checked at `checkedAt`, in the session generation
   * read with it; null when their sessions were ended while that check ran (a new password, a disabled account, a
   * reused refresh token): nothing is given out.
   */
  async function issue(user: User, generation: number, checkedAt: number) {
    const access = deps.tokens.issueAccessToken(user, generation);
    const refresh = deps.tokens.newRefreshToken();
    const saved = await deps.store.saveRefreshToken(
      { id: randomUUID(), userId: user.id, tokenHash: refresh.hash, expiresAt: new Date(deps.clock.now() + REFRESH_TOKEN_SECONDS * 1000).toISOString(), generation },
      new Date(checkedAt).toISOString(),
    );
    return saved ? { accessToken: access.token, expiresIn: access.expiresIn, refreshToken: refresh.token, user } : null;
  }

  const unauthorised = { type: problemTypes.http, title: 'Email or password not recognised', status: 401 as const, detail: 'Check both and try again.' };

  return [
    defineRoute({
      method: 'POST',
      url: '/auth/sign-in',
      summary: 'Sign in with email and password',
      tag: 'auth',
      access: 'public',
      body: signInRequestSchema,
      response: signInResponseSchema,
      refusals: { 401: 'Email or password not recognised', 423: 'The account is locked after repeated wrong passwords', 429: 'Too many sign-in attempts from this address' },
      async handler({ body, request, reply }) {
        // Counted now, so sign-ins sent all at once from one address are counted in turn; a right password is
        // taken back below.
        const wait = perAddress.hit(request.ip);
        if (wait > 0) {
          reply.header('retry-after', String(wait));
          return sendProblem(reply, { type: problemTypes.http, title: 'Too many sign-in attempts', status: 429, detail: `Wait ${wait} seconds and try again.` });
        }
        // The attempt is counted before its password is checked, the same way for every address, account or not
        // (see `sign-in-lockout.ts`): attempts sent all at once are counted in turn, and those past the lock are
        // refused without a check.
        const key = deps.tokens.signInKey(body.email);
        const now = deps.clock.now();
        const attempt = await deps.store.countSignInAttempt(key, {
          at: new Date(now).toISOString(),
          countSince: new Date(now - COUNT_HOURS * 3_600_000).toISOString(),
          lockAfter: LOCK_AFTER_FAILURES,
          lockUntil: new Date(now + LOCK_MINUTES * 60_000).toISOString(),
        });
        if ('lockedUntil' in attempt) {
          // The desk shows the time in the handler's own zone from this; the detail's UTC is for anyone else.
          reply.header('retry-after', String(Math.max(1, Math.ceil((Date.parse(attempt.lockedUntil) - now) / 1000))));
          return sendProblem(reply, {
            type: problemTypes.http,
            title: 'Account locked',
            status: 423,
            detail: `Too many wrong passwords. Try again after ${new Date(attempt.lockedUntil).toISOString().slice(11, 16)} UTC, or ask an administrator.`,
          });
        }
        const user = await deps.store.findUserByEmail(body.email);
        // An unknown email is checked against a decoy hash, so it takes as long as a wrong password.
        const right = await verifyPassword(body.password, user?.passwordHash ?? (await decoy));
        if (!user || !right || user.disabled) {
          request.log.warn({ userId: user?.id ?? null, failures: attempt.failures }, 'sign-in refused');
          return sendProblem(reply, unauthorised);
        }
        const { passwordHash: _hash, sessionGeneration, ...publicUser } = user;
        const session = await issue(publicUser, sessionGeneration, now);
        // The password checked was replaced (or the account disabled) while it was checked.
        if (!session) return sendProblem(reply, unauthorised);
        await deps.store.forgiveSignInAttempts(key, attempt.failures);
        perAddress.forgive(request.ip);
        return session;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/auth/refresh',
      summary: 'Exchange a refresh token for new tokens',
      tag: 'auth',
      access: 'public',
      body: refreshRequestSchema,
      response: signInResponseSchema,
      refusals: { 401: 'That session has ended: sign in again' },
      async handler({ body, reply, request }) {
        const checkedAt = deps.clock.now();
        const ended = () => sendProblem(reply, { type: problemTypes.http, title: 'Sign in again', status: 401, detail: 'That session has ended.' });
        const found = await deps.store.consumeRefreshToken(hashRefreshToken(body.refreshToken));
        const retry = found?.alreadyUsed && found.usedAt !== null && deps.clock.now() - Date.parse(found.usedAt) <= REFRESH_RETRY_GRACE_SECONDS * 1000;
        if (retry && found) {
          const user = await deps.store.getUser(found.userId);
          if (user && !user.disabled && Date.parse(found.expiresAt) > deps.clock.now()) return (await issue(user, found.generation, checkedAt)) ?? ended();
        }
        if (found?.alreadyUsed) {
          // A refresh token used twice has been copied: end every session of that user, access tokens included.
          await deps.store.revokeRefreshTokens(found.userId);
          deps.access.forget(found.userId);
          request.log.warn({ userId: found.userId }, 'refresh token reused; all sessions ended');
        }
        const user = found && !found.alreadyUsed && Date.parse(found.expiresAt) > deps.clock.now() ? await deps.store.getUser(found.userId) : null;
        if (!user || user.disabled || !found) return ended();
        return (await issue(user, found.generation, checkedAt)) ?? ended();
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/auth/sign-out',
      summary: 'End this session',
      tag: 'auth',
      access: 'public',
      body: refreshRequestSchema,
      async handler({ body }) {
        await deps.store.endRefreshToken(hashRefreshToken(body.refreshToken));
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/me',
      summary: 'Read who is signed in',
      tag: 'auth',
      access: ['handler', 'supervisor', 'admin'],
      response: userSchema,
      refusals: { 404: 'No such user' },
      async handler({ actor, reply }) {
        const user = await deps.store.getUser(actor!.userId);
        return user ?? sendProblem(reply, { type: problemTypes.notFound, title: 'No such user', status: 404 });
      },
    }),
  ];
}

export const emptyObject = z.object({}).strict();
