import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCESS_RECHECK_MS, createAccessState } from '../../src-server/auth/access-state';
import { manualClock } from '../helpers';
import { openFreshStore } from './store/fresh-store';

describe('a person’s access as two API instances on one store see it', () => {
  const clock = manualClock();
  let opened: Awaited<ReturnType<typeof openFreshStore>>;
  beforeEach(async () => {
    opened = await openFreshStore('postgres', { prefix: 'access_state', clock });
  });
  afterEach(() => opened.cleanup());

  async function kim() {
    const team = await opened.store.createTeam('Patient feedback');
    const user = await opened.store.createUser({ email: 'kim@org.test', name: 'Kim', role: 'handler', teamIds: [team.id], passwordHash: 'x' });
    return { user, access: { role: 'handler', teamIds: [team.id] } };
  }

  it('follows a change made through the other instance within the recheck interval, and reads it at once when told to forget', async () => {
    const here = opened.store;
    const there = await opened.reopen();
    const a = await here.createTeam('Patient feedback');
    const b = await here.createTeam('General enquiries');
    const user = await here.createUser({ email: 'sam@org.test', name: 'Sam', role: 'supervisor', teamIds: [a.id], passwordHash: 'x' });
    const access = createAccessState(here, clock);
    const token = { iatMs: clock.now(), gen: 0 };
    expect(await access.current(user.id, token)).toEqual({ role: 'supervisor', teamIds: [a.id] });

    await there.updateUser(user.id, { role: 'handler', teamIds: [b.id] });
    clock.advance(ACCESS_RECHECK_MS - 1);
    expect(await access.current(user.id, token)).toEqual({ role: 'supervisor', teamIds: [a.id] });
    clock.advance(1);
    expect(await access.current(user.id, token)).toEqual({ role: 'handler', teamIds: [b.id] });

    await there.updateUser(user.id, { disabled: true });
    access.forget(user.id);
    expect(await access.current(user.id, token)).toBeNull();
  });

  it('refuses every token of the session generation a new password set through the other instance ended, and takes the next generation’s, whatever time each token says', async () => {
    const there = await opened.reopen();
    const { user, access: handler } = await kim();
    const access = createAccessState(opened.store, clock);
    // Tokens given out by instances whose clocks are an hour ahead of and an hour behind the one that sets the password.
    const aheadBefore = { iatMs: clock.now() + 3_600_000, gen: 0 };
    expect(await access.current(user.id, aheadBefore)).toEqual(handler);

    clock.advance(60_000);
    await there.updateUser(user.id, { passwordHash: 'y' });
    clock.advance(ACCESS_RECHECK_MS);
    expect(await access.current(user.id, aheadBefore)).toBeNull();
    expect(await access.current(user.id, { iatMs: clock.now() - 3_600_000, gen: 1 })).toEqual(handler);
  });

  it('checks a token an older instance gave out (it carries no generation) by the time the sessions ended, as older instances do', async () => {
    const there = await opened.reopen();
    const { user, access: handler } = await kim();
    const access = createAccessState(opened.store, clock);
    clock.advance(60_000);
    await there.updateUser(user.id, { passwordHash: 'y' });
    clock.advance(ACCESS_RECHECK_MS);
    // A token issued a millisecond after the new password works; one issued a millisecond before it does not.
    const resetAt = Date.parse((await opened.store.userAccess(user.id))!.sessionsFrom!);
    expect(await access.current(user.id, { iatMs: resetAt - 1, gen: null })).toBeNull();
    expect(await access.current(user.id, { iatMs: resetAt, gen: null })).toEqual(handler);
  });

  it('honours an ending an older instance made (it counts no generation) by its time, until an ending of its own counts one', async () => {
    const { user, access: handler } = await kim();
    const access = createAccessState(opened.store, clock);
    const endedAt = clock.now() + 60_000;
    // What an instance older than generations does to end the sessions: it sets the time alone.
    const older = new pg.Client({ connectionString: opened.where });
    await older.connect();
    try {
      await older.query('UPDATE users SET sessions_from = $1 WHERE id = $2', [new Date(endedAt).toISOString(), user.id]);
      await older.query('DELETE FROM refresh_tokens WHERE user_id = $1', [user.id]);
    } finally {
      await older.end();
    }
    expect(await opened.store.userAccess(user.id)).toMatchObject({ sessionGeneration: 0, lastEndingUncounted: true });
    expect(await access.current(user.id, { iatMs: endedAt - 1, gen: 0 })).toBeNull();
    expect(await access.current(user.id, { iatMs: endedAt, gen: 0 })).toEqual(handler);

    await opened.store.updateUser(user.id, { disabled: true });
    await opened.store.updateUser(user.id, { disabled: false });
    expect(await opened.store.userAccess(user.id)).toMatchObject({ sessionGeneration: 1, lastEndingUncounted: false });
    access.forget(user.id);
    expect(await access.current(user.id, { iatMs: endedAt + 3_600_000, gen: 0 })).toBeNull();
    expect(await access.current(user.id, { iatMs: endedAt - 3_600_000, gen: 1 })).toEqual(handler);
  });
});
