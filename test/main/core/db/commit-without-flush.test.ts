import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { commitWithoutFlush } from '../../../../src-main/core/db/commit-without-flush';
import { tempDir } from '../../../helpers';

describe('a commit that does not wait for the disk', () => {
  function openCache() {
    const dir = tempDir();
    const db = new Database(`${dir.path}/cache.sqlite3`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE outbox (mutation_id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    return { db, close: () => (db.close(), dir.remove()) };
  }
  const level = (db: Database.Database) => db.pragma('synchronous', { simple: true });

  it('commits its write with synchronous=NORMAL, then leaves the cache at FULL again, also when the write fails', () => {
    const { db, close } = openCache();
    const withoutFlush = commitWithoutFlush(db);
    expect(
      withoutFlush(() => {
        db.prepare("INSERT INTO outbox (name) VALUES ('case.updateField')").run();
        return level(db);
      }),
    ).toBe(1);
    expect(level(db)).toBe(2);
    expect(() =>
      withoutFlush(() => {
        throw new Error('the write failed');
      }),
    ).toThrow('the write failed');
    expect(level(db)).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 1 });
    close();
  });

  it('joins a transaction already open, which commits as the cache does', () => {
    const { db, close } = openCache();
    const withoutFlush = commitWithoutFlush(db);
    const levels = db.transaction(() => withoutFlush(() => level(db)))();
    expect(levels).toBe(2);
    close();
  });
});
