import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src-server/store/open-store';
import type { CentralStore } from '../../../src-server/store/central-store';
import { manualClock } from '../../helpers';
import { describeCentralStore, fixtures, type OpenedStore } from './store-contract';

/** The server to test on; its own database is only used to create and drop this file's database. */
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const databaseName = `care_desk_${randomBytes(6).toString('hex')}`;

/** The admin URL pointed at this file's database, with a search path when given. */
function urlFor(schema?: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  if (schema) url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

async function asAdmin(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

let setup: pg.Client;
let schemas = 0;

beforeAll(async () => {
  await asAdmin(`CREATE DATABASE ${databaseName}`);
  setup = new pg.Client({ connectionString: urlFor() });
  await setup.connect();
});

afterAll(async () => {
  await setup?.end();
  await asAdmin(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
});

/**
 * One database for this file; each test gets an empty schema of its own in it, which is much faster than a database
 * per test and as isolated: the store's tables, counter, trigger function and triggers all live in the schema.
 */
async function openInFreshSchema(clock: { now(): number }): Promise<OpenedStore & { url: string }> {
  schemas += 1;
  const schema = `store_test_${schemas}`;
  await setup.query(`CREATE SCHEMA ${schema}`);
  const url = urlFor(schema);
  const stores: CentralStore[] = [await openPostgresStore(url, clock)];
  return {
    url,
    store: stores[0]!,
    async reopen() {
      const store = await openPostgresStore(url, clock);
      stores.push(store);
      return store;
    },
    async cleanup() {
      for (const store of stores) await store.close();
      await setup.query(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
}

describeCentralStore('PostgreSQL', openInFreshSchema);

describe('the central store on PostgreSQL only', () => {
  const clock = manualClock();
  let opened: Awaited<ReturnType<typeof openInFreshSchema>>;
  beforeEach(async () => {
    opened = await openInFreshSchema(clock);
  });
  afterEach(() => opened.cleanup());

  it('refuses to truncate the audit log or the case events', async () => {
    const { store } = opened;
    const f = fixtures(store, clock);
    const team = await f.team();
    const handler = await f.person('handler', [team.id]);
    const desk = f.desk(handler);
    const caseId = '0195f0c4-7a1e-7c3d-9b2a-6f1e2d3c4b5a';
    await desk.push([desk.createCase(caseId), desk.appendNote(caseId, 'Must survive a TRUNCATE.')]);
    await store.readCase(handler, caseId, 'Caller rang back about this case');

    await expect(sql`TRUNCATE audit_log`.execute(store.db)).rejects.toThrow(/audit_log is append-only/);
    await expect(sql`TRUNCATE case_events`.execute(store.db)).rejects.toThrow(/case_events is append-only/);
    const read = await store.readCase(handler, caseId, 'test: see that nothing went');
    expect(read?.events.map((event) => event.kind)).toEqual(['created', 'note']);
    expect(await store.auditFor(caseId)).toHaveLength(2);
  });

  it('closes its connections when it refuses a database newer than this server', async () => {
    await opened.store.db.insertInto('schema_migrations').values({ version: 990, name: 'from-a-newer-server', applied_at: '2026-11-21T09:00:00.000Z' }).execute();
    const url = new URL(opened.url);
    url.searchParams.set('application_name', 'refused-store');

    await expect(openPostgresStore(url.toString())).rejects.toThrow(/schema version 990/);
    // A backend can outlive its closed socket for a moment; a pool left open would keep one idle for ten seconds.
    const refusedConnections = async () => (await setup.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'refused-store'`)).rows[0]?.n;
    await expect.poll(refusedConnections, { timeout: 2000 }).toBe(0);
  });
});
