import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStorageMaintenance, MAINTENANCE_EVERY_WRITES, WAL_BACKSTOP_PAGES } from '../../../../src-main/core/db/storage-maintenance';
import { openDatabase } from '../../../../src-main/core/db/open-database';
import type { Timers } from '../../../../src-main/core/clock';
import { tempDir } from '../../../helpers';
import { openTestCore } from '../test-core';

/** Timers that run only when the test says so. */
function heldTimers() {
  const held = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (callback) => {
      held.set((next += 1), callback);
      return next;
    },
    clearTimeout: (handle) => held.delete(handle as number),
  };
  return { timers, held, runAll: () => [...held].forEach(([id, callback]) => (held.delete(id), callback())) };
}

describe('storage maintenance', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('checkpoints the write-ahead log after every few saves, in its own turn, not inside a save', () => {
    const db = openDatabase(`${dir.path}/cache.sqlite3`);
    const clock = heldTimers();
    const maintenance = createStorageMaintenance(db, { timers: clock.timers, everyWrites: 3 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_BACKSTOP_PAGES);
    db.exec('CREATE TABLE t (x)');
    for (let i = 0; i < 3; i++) {
      db.prepare('INSERT INTO t VALUES (?)').run(i);
      maintenance.noteWrite();
    }
    expect(clock.held.size).toBe(1);
    const before = db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
    expect(before[0]!.checkpointed).toBeLessThan(before[0]!.log);
    clock.runAll();
    const after = db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
    expect(after[0]!.checkpointed).toBe(after[0]!.log);
    db.close();
  });

  it('never touches a closed cache: closing the core cancels the run it had scheduled', () => {
    const clock = heldTimers();
    const t = openTestCore({ dataDir: dir.path, timers: clock.timers });
    const { id } = t.core.cases.create({ type: 'question', channel: 'phone' });
    for (let i = 0; i < MAINTENANCE_EVERY_WRITES; i++) t.core.cases.appendNote(id, `Note ${i}`);
    const scheduled = [...clock.held.values()];
    expect(scheduled).toHaveLength(1);
    t.close();
    expect(clock.held.size).toBe(0);
    expect(() => scheduled[0]!()).not.toThrow();
  });

  it('keeps search finding every case while it merges the index between saves', () => {
    const clock = heldTimers();
    const t = openTestCore({ dataDir: dir.path, timers: clock.timers });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const c = t.core.cases.create({ type: 'feedback', channel: 'phone' });
      t.core.cases.appendNote(c.id, `Visit ${i}: the kettle on the ward was broken again`);
      ids.push(c.id);
      clock.runAll();
    }
    expect(t.core.search.search('kettle', 100).items.map((item) => item.id).sort()).toEqual([...ids].sort());
    t.close();
  });
});
