import type { Database } from 'better-sqlite3';

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
export function deferIndexes(db: Database, tables: readonly string[], keep: readonly string[], now: string): number {
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
      const waiting = [...readDeferred(db), ...indexes.map((index) => index.sql)];
      db.prepare<[string, string, string]>(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ).run(DEFERRED_INDEXES_KEY, JSON.stringify(waiting), now);
      for (const index of indexes) db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
      return indexes.length;
    })
    .immediate();
}

function readDeferred(db: Database): string[] {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(DEFERRED_INDEXES_KEY);
  return row ? (JSON.parse(row.value) as string[]) : [];
}

/**
 * Builds again every index that `deferIndexes` dropped and forgets them, in one transaction; does nothing when none
 * is waiting (or the cache has no settings yet). Safe to run twice: an index already there is left as it is.
 * Returns how many it built.
 */
export function restoreDeferredIndexes(db: Database): number {
  const hasSettings = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").get();
  if (!hasSettings) return 0;
  return db
    .transaction(() => {
      const waiting = readDeferred(db);
      if (waiting.length === 0) return 0;
      for (const sql of waiting) db.exec(sql.replace(/^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS )/i, (start) => `${start}IF NOT EXISTS `));
      db.prepare<[string]>('DELETE FROM settings WHERE key = ?').run(DEFERRED_INDEXES_KEY);
      return waiting.length;
    })
    .immediate();
}
