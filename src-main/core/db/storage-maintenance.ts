import type { Database } from 'better-sqlite3';
import type { Timers } from '../clock';

/** Saves between two maintenance runs: about 13 WAL pages each on a large cache, so well under SQLite's 1,000. */
export const MAINTENANCE_EVERY_WRITES = 24;
/** SQLite's own checkpoint, kept only as a backstop for a burst of writes that never lets the event loop turn. */
export const WAL_BACKSTOP_PAGES = 10_000;
/** FTS5 merge work per run, in pages: enough to fold in the segments that this many saves add. */
const SEARCH_MERGE_PAGES = 200;

/**
 * Keeps the local cache's housekeeping out of the handler's saves. Left to SQLite, it happens inside whichever
 * commit crosses a threshold: copying the write-ahead log back into the database every 1,000 pages (about every 75
 * saves on a million-case desk) and merging search-index segments (FTS5 automerge). Either made that one autosave
 * take 10-90 ms instead of under one. Here both run just after a save has returned, once every few saves, as a
 * separate turn of the event loop, so the save's reply has already gone.
 */
export function createStorageMaintenance(db: Database, deps: { timers: Timers; everyWrites?: number }) {
  const every = deps.everyWrites ?? MAINTENANCE_EVERY_WRITES;
  let writes = 0;
  let pending: unknown = null;
  db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
  const merge = db.prepare("INSERT INTO case_search (case_search, rank) VALUES ('merge', ?)");

  function run(): void {
    pending = null;
    if (!db.open || db.inTransaction) return;
    writes = 0;
    merge.run(SEARCH_MERGE_PAGES);
    db.pragma('wal_checkpoint(PASSIVE)');
  }

  return {
    /** Called with each local change; schedules a run once enough have been made. */
    noteWrite(): void {
      writes += 1;
      if (writes >= every && pending === null) pending = deps.timers.setTimeout(run, 0);
    },
    /** Runs now, whatever the count. */
    run,
    stop(): void {
      if (pending !== null) deps.timers.clearTimeout(pending);
      pending = null;
    },
  };
}

export type StorageMaintenance = ReturnType<typeof createStorageMaintenance>;
