import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError } from '../../../../src-main/core/db/migrate';
import { migrations } from '../../../../src-main/core/db/migrations';
import { openDatabase } from '../../../../src-main/core/db/open-database';
import { tempDir } from '../../../helpers';

describe('openDatabase', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('opens the local cache in WAL mode with synchronous=FULL and foreign keys on, at the newest schema', () => {
    const db = openDatabase(join(dir.path, 'cache.sqlite3'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
    db.close();
  });

  it('refuses a cache from a newer app and does not touch it', () => {
    const path = join(dir.path, 'newer.sqlite3');
    const newer = new Database(path);
    newer.pragma('user_version = 9990');
    newer.exec('CREATE TABLE future (x)');
    newer.close();
    expect(() => openDatabase(path)).toThrow(DatabaseTooNewError);
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(9990);
    check.close();
  });
});
