import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { CentralStore } from '../../src-server/store/central-store';
import { openPostgresStore, openSqliteStore } from '../../src-server/store/open-store';
import { tempDir } from '../helpers';

export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

/** The PostgreSQL server to test on; its own database is only used to create and drop the test's database. */
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Drops a test database once the store's connections have gone. The pool's `end()` resolves while its connections
 * are still closing; forcing the drop then would kill them mid-goodbye, and their client would throw the error into
 * the test run. So it waits (briefly) for them to go, and forces only connections that linger.
 */
function dropDatabase(name: string): Promise<void> {
  return asAdmin(async (admin) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

export interface TestStore {
  kind: StoreKind;
  store: CentralStore;
  /** Where it lives, for the log: the SQLite file or the PostgreSQL database's name. */
  where: string;
  close(): Promise<void>;
}

/** A fresh central store: an SQLite file in a temp folder, or a new PostgreSQL database, dropped on close. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = tempDir('care-desk-reliability-store-');
    const path = join(dir.path, 'central.sqlite3');
    const store = await openSqliteStore(path);
    return {
      kind,
      store,
      where: path,
      async close() {
        await store.close();
        dir.remove();
      },
    };
  }
  const name = `care_desk_reliability_${randomBytes(6).toString('hex')}`;
  await asAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    const store = await openPostgresStore(url.toString());
    return {
      kind,
      store,
      where: name,
      async close() {
        await store.close();
        await dropDatabase(name);
      },
    };
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
}
