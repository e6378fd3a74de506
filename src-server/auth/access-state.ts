import type { Role } from '../../src-shared/api/people';
import type { UserAccess } from '../store/central-store';
import type { TokenSession } from './tokens';

/** What a person may do now, as the store holds it: their role and teams. */
export interface Access {
  role: Role;
  teamIds: string[];
}

/** How long an API instance acts on what it last read of a person's access before reading it again. */
export const ACCESS_RECHECK_MS = 2_000;

/**
 * A person's access as it is now, not as their access token says it was when it was issued (up to 15 minutes ago).
 * An administrator who disables a user, changes their role, moves them to another team or sets a new password changes
 * what the user's next request may do: at once on the instance that made the change (it forgets what it knew), and
 * within `recheckMs` on any other instance sharing the store. What was read is kept that long, so a desk pushing
 * several times a second costs one read every couple of seconds.
 */
export function createAccessState(store: { userAccess(userId: string): Promise<UserAccess | null> }, clock: { now(): number }, recheckMs = ACCESS_RECHECK_MS) {
  const known = new Map<string, { access: Access | null; generation: number; sessionsFrom: number; uncounted: boolean; readAt: number }>();
  return {
    /**
     * What the bearer of a token from `session` (its generation and issue time) may do now. `null`: disabled, no
     * longer there, or the person's sessions were ended after the token was issued (a new password, a disabled
     * account, a copied refresh token).
     *
     * An ending counts one more session generation, so a token of an earlier generation is refused whatever the
     * clocks of the instance that issued it and the one that ended it say. Times are compared only where there is no
     * generation to go on: a token an older instance issued (it has none), or an ending an older instance made (it
     * counted none). Those compare two instances' clocks, so they are out by as much as the clocks are.
     */
    async current(userId: string, session: TokenSession): Promise<Access | null> {
      let kept = known.get(userId);
      if (!kept || clock.now() - kept.readAt >= recheckMs) {
        const user = await store.userAccess(userId);
        kept = {
          access: user && !user.disabled ? { role: user.role, teamIds: user.teamIds } : null,
          generation: user?.sessionGeneration ?? 0,
          sessionsFrom: user?.sessionsFrom ? Date.parse(user.sessionsFrom) : 0,
          uncounted: user?.lastEndingUncounted ?? false,
          readAt: clock.now(),
        };
        known.set(userId, kept);
      }
      const ended = session.gen === null ? session.iatMs < kept.sessionsFrom : session.gen < kept.generation || (kept.uncounted && session.iatMs < kept.sessionsFrom);
      return ended ? null : kept.access;
    },
    /** Reads the person's access afresh on their next request (after an administrator changed it). */
    forget(userId: string): void {
      known.delete(userId);
    },
  };
}

export type AccessState = ReturnType<typeof createAccessState>;
