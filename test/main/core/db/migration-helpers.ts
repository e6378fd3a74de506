import Database from 'better-sqlite3';
import { migrate } from '../../../../src-main/core/db/migrate';
import { migrations } from '../../../../src-main/core/db/migrations';

/** An in-memory database migrated up to and including `version`, as an older app would have left it. */
export function databaseAt(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations.filter((m) => m.version <= version));
  return db;
}

/** Runs the rest of the migrations, as the new app does on start. */
export function migrateToLatest(db: Database.Database) {
  return migrate(db, migrations);
}

export function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}
