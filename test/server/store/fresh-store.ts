import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { CentralStore } from '../../../src-server/store/central-store';
import type { StoreMigration } from '../../../src-server/store/migrations/migration';
import { postgresMigrations } from '../../../src-server/store/migrations/postgres';
import { sqliteMigrations } from '../../../src-server/store/migrations/sqlite';
import { openPostgresStore, openSqliteStore } from '../../../src-server/store/open-store';
import type { Database } from '../../../src-server/store/schema';
import { tempDir } from '../../helpers';
import { createTestSchema } from '../../postgres';
import type { OpenedStore } from './store-contract';

export type StoreDialect = 'sqlite' | 'postgres';

export interface FreshStoreOptions {
  /** Names the PostgreSQL schema (`prefix_<random>`) and the SQLite temp folder. */
  prefix: string;
  clock?: { now(): number };
  /** PostgreSQL's connection pool per store (the store's default, 10, unless given). */
  poolSize?: number;
  /** A test database of the file's own to make the schema in; the admin database otherwise. */
  database?: { url: string };
}

/**
 * A fresh, migrated central store: an SQLite file in a temp folder, or a PostgreSQL schema of its own. `where` is the
 * file's path or the URL with the schema on its search path; `reopen` opens another store on it, as a restart or a
 * second API instance would; `cleanup` closes every store opened on it and removes the file or the schema.
 */
export async function openFreshStore(dialect: StoreDialect, options: FreshStoreOptions): Promise<OpenedStore & { where: string }> {
  let where: string;
  let open: () => Promise<CentralStore>;
  let remove: () => void | Promise<void>;
  if (dialect === 'sqlite') {
    const folder = tempDir(`care-desk-${options.prefix}-`);
    where = join(folder.path, 'central.sqlite3');
    open = () => openSqliteStore(where, options.clock);
    remove = () => folder.remove();
  } else {
    const schema = await createTestSchema(options.prefix, options.database);
    where = schema.url;
    open = () => openPostgresStore(where, options.clock, { poolSize: options.poolSize });
    remove = () => schema.drop();
  }
  const stores: CentralStore[] = [];
  try {
    stores.push(await open());
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    store: stores[0]!,
    where,
    async reopen() {
      const store = await open();
      stores.push(store);
      return store;
    },
    async cleanup() {
      for (const store of stores) await store.close();
      await remove();
    },
  };
}

/**
 * Runs `work` on an empty database of one kind, with nothing migrated yet, and that kind's migrations: an SQLite
 * file in a temp folder, or a PostgreSQL schema of its own (`prefix_<random>`) over a single connection. For the
 * migration tests, which step a store through the versions by hand. Everything is removed however `work` ends.
 */
export async function withBareDatabase(
  dialect: StoreDialect,
  prefix: string,
  work: (db: Kysely<Database>, migrations: readonly StoreMigration[]) => Promise<void>,
): Promise<void> {
  if (dialect === 'sqlite') {
    const folder = tempDir(`care-desk-${prefix}-`);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(folder.path, 'central.sqlite')) }) });
    try {
      await work(db, sqliteMigrations);
    } finally {
      await db.destroy();
      folder.remove();
    }
    return;
  }
  const schema = await createTestSchema(prefix);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: schema.url, max: 1 }) }) });
  try {
    await work(db, postgresMigrations);
  } finally {
    await db.destroy();
    await schema.drop();
  }
}
