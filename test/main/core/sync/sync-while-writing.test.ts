import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_INTERVAL_MS } from '../../../../src-main/core/sync/sync-engine';
import { startSyncWorld, type Desk, type SyncWorld } from './sync-harness';

function hasCase(desk: Desk, caseId: string): boolean {
  return desk.core.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId) !== undefined;
}

describe('a desk that writes while it syncs', () => {
  let world: SyncWorld;
  beforeEach(async () => {
    world = await startSyncWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  /** Ben's desk makes a case and sends it: the colleague's work Asha's desk should come to see. */
  async function colleagueCase(): Promise<string> {
    const b = await world.desk(world.ben);
    const created = b.core.cases.create({ type: 'question', channel: 'phone' });
    await b.engine.syncNow();
    expect(b.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    return created.id;
  }

  it('still brings in a colleague’s case when the handler writes faster than the desk can push', async () => {
    const bens = await colleagueCase();
    const a = await world.desk(world.asha, { batchSize: 1 });
    const mine = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    // Every push answer arrives after the handler has typed once more: the outbox is never empty.
    let typed = 0;
    a.control.afterPush = () => {
      if (typed < 20) a.core.cases.updateField(mine.id, 'description', `Typed ${(typed += 1)}`);
    };

    await a.engine.syncNow();
    expect(hasCase(a, bens)).toBe(true);
    // The edits typed during the push wait for the next cycle.
    expect(a.core.outbox.count()).toBeGreaterThan(0);

    // Cycle after cycle, the desk catches up once the handler stops typing, and nothing typed is lost.
    for (let cycle = 0; cycle < 30 && a.core.outbox.count() > 0; cycle += 1) await a.engine.syncNow();
    expect(a.core.outbox.count()).toBe(0);
    const held = await world.api.call('GET', `/cases/${mine.id}`, { token: await a.token() });
    expect(((await held.json()) as { case: { fields: { description: string } } }).case.fields.description).toBe('Typed 20');
  });

  it('pulls between pushes during a long catch-up, once every sync interval', async () => {
    const a = await world.desk(world.asha, { batchSize: 1 });
    for (let c = 0; c < 4; c += 1) a.core.cases.create({ type: 'feedback', channel: 'phone' });
    const bens = await colleagueCase();
    // Each push takes a whole sync interval of the desk's clock.
    const seenAfterPush: boolean[] = [];
    a.control.afterPush = () => {
      seenAfterPush.push(hasCase(a, bens));
      a.clock.advance(SYNC_INTERVAL_MS);
    };

    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    // The first push went before any pull; the pull after it brought Ben's case while three were still waiting.
    expect(seenAfterPush).toEqual([false, true, true, true]);
  });
});
