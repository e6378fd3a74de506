import Database from 'better-sqlite3';
import { migrations as allMigrations } from './migrations';
import { migrate } from './migrate';
import type { Migration } from './migration';

export type { Database } from 'better-sqlite3';

/**
 * Opens the local cache. WAL so reads never wait for the autosave writer; `synchronous=FULL` so a committed case
 * survives power loss, not just a crash; foreign keys on. Then migrates to the newest schema.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = allMigrations): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
