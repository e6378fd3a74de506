import type { Role, User } from '../../src-shared/api/people';

/** What a person may do now, as the store holds it: their role and teams. */
export interface Access {
  role: Role;
  teamIds: string[];
}

/** How long an API instance acts on what it last read of a person's access before reading it again. */
export const ACCESS_RECHECK_MS = 2_000;

/**
 * A person's access as it is now, not as their access token says it was when it was issued (up to 15 minutes ago).
 * An administrator who disables a user, changes their role or moves them to another team changes what the user's
 * next request may do: at once on the instance that made the change (it forgets what it knew), and within
 * `recheckMs` on any other instance sharing the store. What was read is kept that long, so a desk pushing several
 * times a second costs one read every couple of seconds. `null`: disabled, or no longer there.
 */
export function createAccessState(store: { getUser(userId: string): Promise<User | null> }, clock: { now(): number }, recheckMs = ACCESS_RECHECK_MS) {
  const known = new Map<string, { access: Access | null; readAt: number }>();
  return {
    async current(userId: string): Promise<Access | null> {
      const kept = known.get(userId);
      if (kept && clock.now() - kept.readAt < recheckMs) return kept.access;
      const user = await store.getUser(userId);
      const access = user && !user.disabled ? { role: user.role, teamIds: user.teamIds } : null;
      known.set(userId, { access, readAt: clock.now() });
      return access;
    },
    /** Reads the person's access afresh on their next request (after an administrator changed it). */
    forget(userId: string): void {
      known.delete(userId);
    },
  };
}

export type AccessState = ReturnType<typeof createAccessState>;
