import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { createCentralStore, type CentralStore } from './central-store';
import { migrateStore } from './migrations/migration';
import { postgresMigrations } from './migrations/postgres';
import { sqliteMigrations } from './migrations/sqlite';
import { prepareStatements } from './postgres-statement-cache';
import { limitsInText } from './limits-in-text';
import { cacheStatements } from './sqlite-statement-cache';
import type { Database } from './schema';

// BIGINT columns (change numbers, mutation ids) stay well below 2^53; read them as numbers, not strings.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** Runs the migrations; when they fail (a store newer than this server, say) closes the database before rethrowing. */
async function migrateOrClose(db: Kysely<Database>, migrate: () => Promise<unknown>): Promise<void> {
  try {
    await migrate();
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/** The central store on an SQLite file (the default, and the desktop's embedded mode). */
export async function openSqliteStore(path: string, clock?: { now(): number }): Promise<CentralStore> {
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cacheStatements(database) }), plugins: [limitsInText] });
  await migrateOrClose(db, () => migrateStore(db, sqliteMigrations));
  return createCentralStore(db, 'sqlite', clock, { sqlite: database });
}

/**
 * The central store on PostgreSQL (`DATABASE_URL`). Several API instances may share it: migrations take an
 * advisory lock so two instances starting together do not both run them.
 */
export async function openPostgresStore(connectionString: string, clock?: { now(): number }, options: { poolSize?: number } = {}): Promise<CentralStore> {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10 });
  prepareStatements(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateOrClose(db, () =>
    db.connection().execute(async (connection) => {
      await sql`SELECT pg_advisory_lock(4207)`.execute(connection);
      try {
        await migrateStore(connection, postgresMigrations);
      } finally {
        await sql`SELECT pg_advisory_unlock(4207)`.execute(connection);
      }
    }),
  );
  return createCentralStore(db, 'postgres', clock);
}

/** Opens the store the settings ask for: PostgreSQL when a URL is given, SQLite otherwise. */
export function openStore(settings: { databaseUrl?: string | undefined; sqlitePath: string }, clock?: { now(): number }): Promise<CentralStore> {
  return settings.databaseUrl ? openPostgresStore(settings.databaseUrl, clock) : openSqliteStore(settings.sqlitePath, clock);
}
