import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the tests run on (`TEST_DATABASE_URL`, any database on it to connect to). Tests never write
 * to that database's own tables: each makes a database or schema of its own, named with a random suffix, so test
 * files running in parallel (and other people's runs on the same server) never meet.
 */
export const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs `work` on a connection of its own to `url` (the admin database unless given), closed however `work` ends. */
export async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>, url: string = adminUrl): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** `prefix` and twelve random hex digits: a lower-case identifier that needs no quoting. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** The admin URL pointed at another database on the same server. */
export function databaseUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** `url` with `schema` first on the search path, so unqualified tables are made and found there. */
export function withSearchPath(url: string, schema: string): string {
  const withPath = new URL(url);
  withPath.searchParams.set('options', `-c search_path=${schema}`);
  return withPath.toString();
}

export interface TestDatabase {
  name: string;
  /** Connects to this database (no search path: its `public` schema). */
  url: string;
  /** Drops it once its connections have gone (see `dropDatabase`). */
  drop(): Promise<void>;
}

/** A new, empty database named `prefix_<random>`. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

/**
 * Drops a test database once the connections to it have gone. A pool's `end()` resolves while its connections are
 * still closing; forcing the drop then would kill them mid-goodbye, and their client would throw the error into the
 * test run. So it waits (up to five seconds) for them to go, and forces only connections that linger.
 */
export function dropDatabase(name: string): Promise<void> {
  return withAdmin(async (admin) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

export interface TestSchema {
  schema: string;
  /** Connects with this schema first on the search path. */
  url: string;
  /** Drops the schema and everything in it. Close the connections using it first. */
  drop(): Promise<void>;
}

/**
 * A new, empty schema named `prefix_<random>`, in the admin database or in `database` (a test database of the
 * file's own). A schema is much cheaper than a database and as isolated for the central store: its tables, counter,
 * trigger function and triggers all live in it.
 */
export async function createTestSchema(prefix: string, database?: { url: string }): Promise<TestSchema> {
  const schema = uniqueName(prefix);
  const url = database?.url ?? adminUrl;
  await withAdmin((admin) => admin.query(`CREATE SCHEMA ${schema}`), url);
  return {
    schema,
    url: withSearchPath(url, schema),
    drop: () => withAdmin((admin) => admin.query(`DROP SCHEMA ${schema} CASCADE`), url).then(() => undefined),
  };
}
