import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestCore } from '../test-core';

describe('dropping outbox entries the central API has acknowledged', () => {
  let t: ReturnType<typeof openTestCore>;
  beforeEach(() => {
    t = openTestCore();
  });
  afterEach(() => t.close());

  it('drops exactly the acknowledged entries after a push and leaves the cache committing with synchronous=FULL', () => {
    const { core } = t;
    const first = core.cases.create({ type: 'feedback', channel: 'phone' });
    core.cases.updateField(first.id, 'department', 'Ward 4');
    core.cases.create({ type: 'question', channel: 'phone' });
    const [oldest, second] = core.outbox.peek(10);

    expect(core.outbox.acknowledgePushed(second!.mutationId)).toBe(2);
    expect(core.outbox.peek(10).map((entry) => entry.mutationId)).toEqual([second!.mutationId + 1]);
    expect(oldest!.mutationId).toBeLessThan(second!.mutationId);
    // Only that one statement skips the flush: every later save is as durable as before.
    expect(core.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('inside a transaction, drops the entries in that transaction (a pulled page and its acknowledgement land together)', () => {
    const { core } = t;
    core.cases.create({ type: 'feedback', channel: 'phone' });
    const [entry] = core.outbox.peek(1);
    expect(() =>
      core.db.transaction(() => {
        core.outbox.acknowledgePushed(entry!.mutationId);
        throw new Error('the page failed');
      })(),
    ).toThrow('the page failed');
    expect(core.outbox.count()).toBe(1);
    expect(core.db.pragma('synchronous', { simple: true })).toBe(2);
  });
});
