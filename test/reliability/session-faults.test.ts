import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReliabilityWorld, type ReliabilityWorld } from './reliability-world';

describe('a desk’s session on a line that loses answers', () => {
  let world: ReliabilityWorld;
  beforeEach(async () => {
    world = await startReliabilityWorld('sqlite', { seed: 11 });
  });
  afterEach(() => world.close());

  // Found by the no-loss run: refresh tokens rotate, so when the answer to a refresh is lost the desk still holds
  // the old token. The server now takes a reuse within a short grace window for such a retry rather than theft.
  it('keeps the handler signed in when the answer to a token refresh is lost', async () => {
    const desk = await world.desk('asha', world.people.asha);
    const created = desk.core.cases.create({ type: 'feedback', channel: 'phone' });
    expect((await desk.sync()).status).toBe('online');

    // The access token runs out (or the app restarts): the next sync renews it, and that answer is lost.
    desk.core.session.invalidateAccessToken();
    desk.line.settings.loseResponseRate = 1;
    expect((await desk.sync()).status).toBe('offline');
    expect(desk.line.countsByPath.get('/auth/refresh')?.responsesLost).toBe(1);

    desk.line.settings.loseResponseRate = 0;
    desk.core.cases.appendNote(created.id, 'Rang back; no answer.');
    expect((await desk.sync()).status).toBe('online');
    expect(desk.core.session.state().status).toBe('signed-in');
    expect(desk.core.outbox.count()).toBe(0);
  });
});
