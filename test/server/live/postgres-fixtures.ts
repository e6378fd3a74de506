import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server to test on; the live tests use the `test` database with a schema and channel of their own. */
export const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A NOTIFY channel no other test run uses. */
export function uniqueChannel(): string {
  return `live_test_${randomBytes(6).toString('hex')}`;
}

export async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh schema in the test database, and the URL that puts it first on the search path. */
export async function freshSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `live_test_${randomBytes(6).toString('hex')}`;
  await asAdmin((admin) => admin.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(adminUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => asAdmin((admin) => admin.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined) };
}

/** Cuts the connections with this application name, as a failover or a network fault would. */
export function terminateConnections(applicationName: string): Promise<number> {
  return asAdmin(async (admin) => {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return rows[0]!.n;
  });
}
