import type { Database } from 'better-sqlite3';
import type { Settings } from '../settings';

/** The settings key under which the definitions of indexes dropped for a bulk load wait to be built again. */
export const DEFERRED_INDEXES_KEY = 'deferredIndexes';

/**
 * Drops the secondary indexes of `tables` (all but `keep`, and never the ones that enforce a primary key or a
 * UNIQUE column) for a bulk load, and records their definitions in the same transaction, so that a desk killed in
 * the middle of the load builds them again when it next opens (`restoreDeferredIndexes`, from `openDatabase`).
 * Building an index once over a loaded table is a sort; keeping it up to date row by row costs a tree search and
 * often a page split per row per index, which is most of the cost of filling an empty cache. Indexes only make
 * queries faster: while they are away every query still gives the same answer. Returns how many were dropped.
 */
export function deferIndexes(db: Database, settings: Settings, tables: readonly string[], keep: readonly string[]): number {
  return db
    .transaction(() => {
      const indexes = db
        .prepare<[string, string], { name: string; sql: string }>(
          `SELECT name, sql FROM sqlite_master
           WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))
             AND name NOT IN (SELECT value FROM json_each(?))
           ORDER BY name`,
        )
        .all(JSON.stringify(tables), JSON.stringify(keep));
      if (indexes.length === 0) return 0;
      settings.set(DEFERRED_INDEXES_KEY, [...(settings.get<string[]>(DEFERRED_INDEXES_KEY) ?? []), ...indexes.map((index) => index.sql)]);
      for (const index of indexes) db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
      return indexes.length;
    })
    .immediate();
}

/**
 * Builds again every index that `deferIndexes` dropped and forgets them, in one transaction; does nothing when none
 * is waiting. Safe to run twice: an index already there is left as it is. Returns how many it built.
 */
export function restoreDeferredIndexes(db: Database, settings: Settings): number {
  return db
    .transaction(() => {
      const waiting = settings.get<string[]>(DEFERRED_INDEXES_KEY) ?? [];
      if (waiting.length === 0) return 0;
      for (const sql of waiting) db.exec(sql.replace(/^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS )/i, (start) => `${start}IF NOT EXISTS `));
      settings.delete(DEFERRED_INDEXES_KEY);
      return waiting.length;
    })
    .immediate();
}
