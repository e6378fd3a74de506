import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFERRED_INDEXES_KEY, deferIndexes, restoreDeferredIndexes } from '../../../../src-main/core/db/deferred-indexes';
import { openDatabase, type Database } from '../../../../src-main/core/db/open-database';
import { createSettings } from '../../../../src-main/core/settings';
import { tempDir } from '../../../helpers';

const TABLES = ['cases', 'case_events'];
const NOW = '2026-11-21T09:00:00.000Z';
const clock = { now: () => Date.parse(NOW) };

/** Every index of the two tables, with its definition (null for those SQLite makes for a key or UNIQUE column). */
function indexes(db: Database): { name: string; sql: string | null }[] {
  return db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'case_events') ORDER BY name")
    .all() as { name: string; sql: string | null }[];
}

/** How SQLite would find the open cases of a handler, newest first. */
function ownerPlan(db: Database): string {
  const rows = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM cases WHERE owner_id = 'u' ORDER BY created_at DESC").all() as { detail: string }[];
  return rows.map((row) => row.detail).join('; ');
}

describe('indexes deferred for a bulk load', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  beforeEach(() => {
    dir = tempDir();
    path = join(dir.path, 'cache.sqlite3');
  });
  afterEach(() => dir.remove());

  it('drops the secondary indexes of the tables but the kept one and the key constraints, and builds them all again', () => {
    const db = openDatabase(path);
    const before = indexes(db);
    expect(before.filter((index) => index.sql !== null).length).toBeGreaterThan(5);
    expect(ownerPlan(db)).toMatch(/SEARCH cases USING INDEX cases_by_owner/);

    const dropped = deferIndexes(db, createSettings(db, clock), TABLES, ['case_events_by_case']);
    expect(dropped).toBe(before.filter((index) => index.sql !== null).length - 1);
    const during = indexes(db);
    expect(during.filter((index) => index.sql !== null).map((index) => index.name)).toEqual(['case_events_by_case']);
    // The id and reference constraints are untouched: a second case with a taken reference is still refused.
    expect(during.filter((index) => index.sql === null)).toEqual(before.filter((index) => index.sql === null));
    const insert = db.prepare(
      "INSERT INTO cases (id, reference, type, channel, status, owner_id, created_by, created_at, updated_at) VALUES (?, 'FB-1', 'feedback', 'web', 'open', 'u', 'u', ?, ?)",
    );
    insert.run('case-1', NOW, NOW);
    expect(() => insert.run('case-2', NOW, NOW)).toThrow(/UNIQUE constraint failed: cases.reference/);
    expect(ownerPlan(db)).toMatch(/SCAN cases/);

    expect(restoreDeferredIndexes(db, createSettings(db, clock))).toBe(dropped);
    expect(indexes(db)).toEqual(before);
    expect(ownerPlan(db)).toMatch(/SEARCH cases USING INDEX cases_by_owner/);
    expect(db.prepare('SELECT 1 FROM settings WHERE key = ?').get(DEFERRED_INDEXES_KEY)).toBeUndefined();
    // Nothing is waiting any more: a second call builds nothing.
    expect(restoreDeferredIndexes(db, createSettings(db, clock))).toBe(0);
    db.close();
  });

  it('gives a cache closed with its indexes dropped (a desk killed during its first catch-up) all of them back when it opens', () => {
    const db = openDatabase(path);
    const before = indexes(db);
    deferIndexes(db, createSettings(db, clock), TABLES, []);
    expect(indexes(db).filter((index) => index.sql !== null)).toEqual([]);
    db.close();

    const reopened = openDatabase(path);
    expect(indexes(reopened)).toEqual(before);
    expect(reopened.prepare('SELECT 1 FROM settings WHERE key = ?').get(DEFERRED_INDEXES_KEY)).toBeUndefined();
    reopened.close();
  });
});
