import Database from 'better-sqlite3';
import { migrations as allMigrations } from './migrations';
import { restoreDeferredIndexes } from './deferred-indexes';
import { migrate } from './migrate';
import { createSettings } from '../settings';
import type { Migration } from './migration';

export type { Database } from 'better-sqlite3';

/**
 * Opens the local cache. WAL so reads never wait for the autosave writer; `synchronous=FULL` so a committed case
 * survives power loss, not just a crash; foreign keys on. Builds any index a cut-off bulk load left dropped, then
 * migrates to the newest schema.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = allMigrations): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A bulk load cut off by a crash left some indexes dropped: they are built before anything else (the schema
    // they were taken from is the one on disk, so before the migrations).
    const known = Number(db.pragma('user_version', { simple: true })) <= (migrations.at(-1)?.version ?? 0);
    if (known && db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").get()) {
      // No time is written here (only read and deleted), so the clock does not matter.
      restoreDeferredIndexes(db, createSettings(db, Date));
    }
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
