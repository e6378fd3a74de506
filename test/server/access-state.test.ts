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

  it('follows a change made through the other instance within the recheck interval, and reads it at once when told to forget', async () => {
    const here = opened.store;
    const there = await opened.reopen();
    const a = await here.createTeam('Patient feedback');
    const b = await here.createTeam('General enquiries');
    const user = await here.createUser({ email: 'sam@org.test', name: 'Sam', role: 'supervisor', teamIds: [a.id], passwordHash: 'x' });
    const access = createAccessState(here, clock);
    const issued = clock.now();
    expect(await access.current(user.id, issued)).toEqual({ role: 'supervisor', teamIds: [a.id] });

    await there.updateUser(user.id, { role: 'handler', teamIds: [b.id] });
    clock.advance(ACCESS_RECHECK_MS - 1);
    expect(await access.current(user.id, issued)).toEqual({ role: 'supervisor', teamIds: [a.id] });
    clock.advance(1);
    expect(await access.current(user.id, issued)).toEqual({ role: 'handler', teamIds: [b.id] });

    await there.updateUser(user.id, { disabled: true });
    access.forget(user.id);
    expect(await access.current(user.id, issued)).toBeNull();
  });

  it('refuses a token issued before a new password set through the other instance, and takes one issued after it', async () => {
    const there = await opened.reopen();
    const team = await opened.store.createTeam('Patient feedback');
    const user = await opened.store.createUser({ email: 'kim@org.test', name: 'Kim', role: 'handler', teamIds: [team.id], passwordHash: 'x' });
    const access = createAccessState(opened.store, clock);
    const before = clock.now();
    expect(await access.current(user.id, before)).toEqual({ role: 'handler', teamIds: [team.id] });

    clock.advance(60_000);
    await there.updateUser(user.id, { passwordHash: 'y' });
    clock.advance(ACCESS_RECHECK_MS);
    expect(await access.current(user.id, before)).toBeNull();
    // A token issued a millisecond after the new password works; one issued a millisecond before it does not.
    const resetAt = Date.parse((await opened.store.userAccess(user.id))!.sessionsFrom!);
    expect(await access.current(user.id, resetAt - 1)).toBeNull();
    expect(await access.current(user.id, resetAt)).toEqual({ role: 'handler', teamIds: [team.id] });
  });
});
