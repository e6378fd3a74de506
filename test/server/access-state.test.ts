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
    expect(await access.current(user.id)).toEqual({ role: 'supervisor', teamIds: [a.id] });

    await there.updateUser(user.id, { role: 'handler', teamIds: [b.id] });
    clock.advance(ACCESS_RECHECK_MS - 1);
    expect(await access.current(user.id)).toEqual({ role: 'supervisor', teamIds: [a.id] });
    clock.advance(1);
    expect(await access.current(user.id)).toEqual({ role: 'handler', teamIds: [b.id] });

    await there.updateUser(user.id, { disabled: true });
    access.forget(user.id);
    expect(await access.current(user.id)).toBeNull();
  });
});
