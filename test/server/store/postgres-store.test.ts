import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src-server/store/open-store';
import { manualClock } from '../../helpers';
import { createTestDatabase, withAdmin, type TestDatabase } from '../../postgres';
import { openFreshStore } from './fresh-store';
import { describeCentralStore, fixtures, type OpenedStore } from './store-contract';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('care_desk');
});

afterAll(() => database?.drop());

/**
 * One database for this file; each test gets an empty schema of its own in it, which is much faster than a database
 * per test and as isolated: the store's tables, counter, trigger function and triggers all live in the schema.
 */
async function openInFreshSchema(clock: { now(): number }): Promise<OpenedStore & { url: string }> {
  const opened = await openFreshStore('postgres', { prefix: 'store_test', clock, database });
  return { ...opened, url: opened.where };
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
    const refusedConnections = () =>
      withAdmin(async (admin) => (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'refused-store'`)).rows[0]?.n);
    await expect.poll(refusedConnections, { timeout: 2000 }).toBe(0);
  });
});
