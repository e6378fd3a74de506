import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay, NUDGE_DELAY_MS, SYNC_INTERVAL_MS } from '../../../../src-main/core/sync/sync-engine';
import { PASSWORD } from '../../../server/api-harness';
import { settled, startSyncWorld, type SyncWorld } from './sync-harness';

/** A `random` that returns these values in turn. */
function draws(values: number[]): () => number {
  let index = 0;
  return () => {
    const value = values[index];
    if (value === undefined) throw new Error('ran out of random draws');
    index += 1;
    return value;
  };
}

describe('the backoff before a retry', () => {
  it('is a uniform draw below a ceiling that doubles from 500 ms and never reaches 30 s', () => {
    expect(backoffDelay(0, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.5)).toBe(2000);
    expect(backoffDelay(100, () => 0.999999)).toBeLessThan(30_000);
  });
});

describe('when the sync engine tries again, against the central API on loopback', () => {
  let world: SyncWorld;
  beforeEach(async () => {
    world = await startSyncWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('waits longer after each failure, at a random point below a ceiling that doubles up to 30 s, and starts again after a success', async () => {
    const random = draws([0.999, 0.5, 0.999, 0.1, 0.999, 0.999, 0.999, 0.999, 0.25, 0.999]);
    const a = await world.desk(world.asha, { random });
    a.control.online = false;
    a.core.cases.create({ type: 'feedback', channel: 'phone' });

    let done = settled(a.engine);
    a.engine.start();
    expect((await done).status).toBe('offline');
    const delays: number[] = [];
    for (let failure = 0; failure < 9; failure += 1) {
      expect(a.timers.delays()).toHaveLength(1);
      delays.push(a.timers.delays()[0]!);
      done = settled(a.engine);
      a.timers.fireOnly();
      expect((await done).status).toBe(failure < 8 ? 'offline' : 'online');
      // The central API is reachable again for the ninth retry.
      if (failure === 7) a.control.online = true;
    }
    // Ceilings 0.5, 1, 2, 4, 8, 16, 30 (capped), 30, 30 s; each delay is that ceiling times the draw.
    expect(delays).toEqual([499, 500, 1998, 400, 7992, 15984, 29970, 29970, 7500]);
    expect(delays.every((delay) => delay >= 0 && delay < 30_000)).toBe(true);
    expect(a.core.outbox.count()).toBe(0);

    // Online, the next cycle is the periodic pull; the next failure backs off from the start again.
    expect(a.timers.delays()).toEqual([SYNC_INTERVAL_MS]);
    a.control.online = false;
    done = settled(a.engine);
    a.timers.fireOnly();
    expect((await done).status).toBe('offline');
    expect(a.timers.delays()).toEqual([499]);
    await a.engine.stop();
    expect(a.timers.delays()).toEqual([]);
  });

  it('pushes a local change shortly after it is made while online, one push for a burst of changes', async () => {
    const a = await world.desk(world.asha, { random: () => 0.9 });
    let done = settled(a.engine);
    a.engine.start();
    expect((await done).status).toBe('online');
    expect(a.timers.delays()).toEqual([SYNC_INTERVAL_MS]);

    const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.engine.nudge();
    a.core.cases.updateField(created.id, 'description', 'Parking machine broken');
    a.engine.nudge();
    expect(a.engine.state().pending).toBe(2);
    expect(a.timers.delays().sort((x, y) => x - y)).toEqual([NUDGE_DELAY_MS, SYNC_INTERVAL_MS]);

    done = settled(a.engine);
    a.timers.fire(NUDGE_DELAY_MS);
    expect(await done).toMatchObject({ status: 'online', pending: 0 });
    expect(a.control.pushSizes).toEqual([2]);
    expect((await world.api.call('GET', `/cases/${created.id}`, { token: await a.token() })).status).toBe(200);

    // Offline, a change only updates the count: the backoff decides when to try again.
    a.control.online = false;
    done = settled(a.engine);
    a.timers.fire(SYNC_INTERVAL_MS);
    expect((await done).status).toBe('offline');
    a.core.cases.appendNote(created.id, 'Rang the estates team');
    a.engine.nudge();
    expect(a.engine.state()).toMatchObject({ status: 'offline', pending: 1 });
    expect(a.timers.delays()).toEqual([450]);
  });

  it('stops while nobody is signed in, keeps every change, and starts again after sign-in', async () => {
    const a = await world.desk(null);
    a.core.cases.create({ type: 'feedback', channel: 'phone' });

    let done = settled(a.engine);
    a.engine.start();
    const state = await done;
    expect(state).toMatchObject({ status: 'signed-out', pending: 1 });
    expect(state.problem).toMatch(/Sign in again/);
    expect(a.timers.delays()).toEqual([]);
    a.engine.nudge();
    expect(a.timers.delays()).toEqual([]);
    expect(a.core.outbox.count()).toBe(1);

    await a.core.session.signIn(world.asha.email, PASSWORD);
    done = settled(a.engine);
    a.engine.start();
    expect(await done).toMatchObject({ status: 'online', pending: 0, problem: null });
    expect(a.timers.delays()).toEqual([SYNC_INTERVAL_MS]);
  });

  it('reports a refusal in words, keeps the outbox, and tries again later', async () => {
    const admin = await world.desk({ ...world.api.users.admin, name: 'Admin' }, { random: () => 0.5 });
    admin.core.cases.create({ type: 'feedback', channel: 'phone' });
    const done = settled(admin.engine);
    admin.engine.start();
    expect(await done).toMatchObject({ status: 'error', pending: 1, problem: 'Not allowed' });
    expect(admin.core.outbox.count()).toBe(1);
    expect(admin.timers.delays()).toEqual([250]);
  });

  it('re-reads the server after an out-of-order refusal, still takes in others’ changes, and never drops what the server does not have', async () => {
    const b = await world.desk(world.ben);
    const bens = b.core.cases.create({ type: 'question', channel: 'email' });
    await b.engine.syncNow();
    const a = await world.desk(world.asha);
    a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.create({ type: 'feedback', channel: 'phone' });
    // Lose the first entry, as a damaged outbox would: the server now sees a gap.
    a.core.db.prepare('DELETE FROM outbox WHERE mutation_id = 1').run();

    await a.engine.syncNow();
    const state = a.engine.state();
    expect(state.status).toBe('error');
    expect(state.problem).toMatch(/Mutation 2 arrived where 1 was expected/);
    expect(a.core.outbox.count()).toBe(1);
    expect(a.log.text()).toContain('re-reading the server state');
    expect(a.control.pushSizes).toEqual([1, 1]);
    expect(a.core.cases.get(bens.id).reference).toBe(bens.reference);
  });
});
