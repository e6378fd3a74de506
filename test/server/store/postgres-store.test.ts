import { randomUUID } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, CentralStore } from '../../../src-server/store/central-store';
import { openPostgresStore } from '../../../src-server/store/open-store';
import { prepareStatements } from '../../../src-server/store/postgres-statement-cache';
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

/**
 * A TCP proxy in front of the PostgreSQL server that can stall, as a connection does when the API's process is busy
 * elsewhere: once armed with a piece of SQL, after a statement holding it has been answered, everything clients send
 * next is held (their connections stay open) until `release`.
 */
async function startStallProxy(target: URL) {
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  let armedWith: string | null = null;
  let stalled = false;
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let answerStalls = false;
    client.on('data', (chunk: Buffer) => {
      if (stalled) {
        held.push(() => upstream.write(chunk));
        return;
      }
      if (armedWith !== null && chunk.includes(armedWith)) answerStalls = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      if (answerStalls) {
        answerStalls = false;
        armedWith = null;
        stalled = true;
      }
    });
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      from.on('close', () => to.destroy());
      from.on('error', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(typeof address === 'object' && address ? address.port : 0);
  return {
    url: url.toString(),
    get stalled() {
      return stalled;
    },
    arm(text: string) {
      armedWith = text;
    },
    release() {
      stalled = false;
      for (const send of held.splice(0)) send();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type Desk = ReturnType<ReturnType<typeof fixtures>['desk']>;

describe('the central store on PostgreSQL only', () => {
  const clock = manualClock();
  let opened: Awaited<ReturnType<typeof openInFreshSchema>>;
  beforeEach(async () => {
    opened = await openInFreshSchema(clock);
  });
  afterEach(() => opened.cleanup());

  /**
   * Alex, a handler, whose desk pushes through this API, and Sam, the team's supervisor, whose desk pushes through
   * another one on the same database; and the id of a case for them to share.
   */
  async function alexHereSamThere(
    use: (team: { f: ReturnType<typeof fixtures>; alex: Actor; sam: Actor; alexDesk: Desk; samDesk: Desk; caseId: string }) => Promise<void>,
  ): Promise<void> {
    const f = fixtures(opened.store, clock);
    const team = await f.team();
    const alex = await f.person('handler', [team.id], 'Alex Handler');
    const sam = await f.person('supervisor', [team.id], 'Sam Supervisor');
    await throughAnotherApi((otherApi) => use({ f, alex, sam, alexDesk: f.desk(alex), samDesk: fixtures(otherApi, clock).desk(sam), caseId: randomUUID() }));
  }

  /** Another API instance on the same database (a store of its own, with what its own pushes kept), for `use`. */
  async function throughAnotherApi(use: (other: CentralStore) => Promise<void>): Promise<void> {
    const other = await openPostgresStore(opened.url, clock);
    try {
      await use(other);
    } finally {
      await other.close();
    }
  }

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

  it('lets other desks push while one push’s link to the database stalls after it has taken its change numbers', async () => {
    const f = fixtures(opened.store, clock);
    const team = await f.team();
    const alex = await f.person('handler', [team.id], 'Alex Handler');
    const sam = await f.person('handler', [team.id], 'Sam Handler');
    const proxy = await startStallProxy(new URL(opened.url));
    // Alex's desk reaches an API whose connections to the database go through the proxy; Sam's, another API's.
    const alexStore = await openPostgresStore(proxy.url, clock);
    try {
      const alexDesk = fixtures(alexStore, clock).desk(alex);
      const samDesk = f.desk(sam);
      const alexCase = randomUUID();
      const samCase = randomUUID();
      await alexDesk.push([alexDesk.createCase(alexCase)]);
      await samDesk.push([samDesk.createCase(samCase)]);

      proxy.arm('UPDATE counters');
      const alexEdit = alexDesk.push([alexDesk.setField(alexCase, 'description', 'Discharged without a care plan.')]);
      await expect.poll(() => proxy.stalled).toBe(true);
      // Had Alex's push held the change counter across the stall, Sam's would wait for it.
      const waited = new Promise<'still waiting'>((resolve) => setTimeout(resolve, 10_000, 'still waiting'));
      const samEdit = await Promise.race([samDesk.push([samDesk.setField(samCase, 'description', 'Pharmacy closed before discharge.')]), waited]);
      expect(samEdit).toEqual({ lastMutationId: 2, applied: 1, skipped: 0, conflicts: 0 });
      proxy.release();
      expect(await alexEdit).toEqual({ lastMutationId: 2, applied: 1, skipped: 0, conflicts: 0 });

      const { changes } = await samDesk.pullAll();
      const descriptions = changes.flatMap((change) => (change.entity === 'caseEvent' && (change.data as { field: string }).field === 'description' ? [(change.data as { value: string }).value] : []));
      expect(descriptions.sort()).toEqual(['Discharged without a care plan.', 'Pharmacy closed before discharge.']);
    } finally {
      proxy.release();
      await alexStore.close();
      await proxy.close();
    }
  });

  it('works a push out again on the case as it now is when another writer changed the case after the push read it', async () => {
    const f = fixtures(opened.store, clock);
    const team = await f.team();
    const alex = await f.person('handler', [team.id], 'Alex Handler');
    const sam = await f.person('supervisor', [team.id], 'Sam Supervisor');
    const alexDesk = f.desk(alex);
    const caseId = randomUUID();
    await alexDesk.push([alexDesk.createCase(caseId), alexDesk.setField(caseId, 'description', 'Waited two hours.')]);
    const seen = await f.fieldSeq(alex, caseId, 'description');

    // Another writer (another API instance) changes the description and holds its transaction open.
    const other = new pg.Client({ connectionString: opened.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `UPDATE cases SET fields = jsonb_set(fields::jsonb, '{description}', to_jsonb($2::text))::text,
          field_seqs = jsonb_set(field_seqs::jsonb, '{description}', jsonb_build_object('seq', $3::bigint, 'by', $4::text, 'byName', $5::text, 'at', $6::text))::text,
          version = version + 1 WHERE id = $1`,
        [caseId, 'Waited four hours, then left.', seen + 1000, sam.userId, sam.name, new Date(clock.now()).toISOString()],
      );
      const edit = alexDesk.push([alexDesk.setField(caseId, 'description', 'Waited three hours.', seen)]);
      // Alex's push has read the case as it was, and its write now waits for the other writer's lock.
      const waiting = async () => (await other.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0]?.n;
      await expect.poll(waiting).toBe(1);
      await other.query('COMMIT');

      expect(await edit).toEqual({ lastMutationId: 3, applied: 1, skipped: 0, conflicts: 1 });
    } finally {
      await other.end();
    }
    const read = await opened.store.readCase(alex, caseId, 'test: see which edit won');
    expect(read?.case.fields.description).toBe('Waited four hours, then left.');
    expect(read?.conflicts).toMatchObject([{ field: 'description', kind: 'stale-edit', losingValue: 'Waited three hours.', losingBy: alex.userId, winningBy: sam.userId }]);
  });

  it('plans a push’s write once for a connection, and reads only for a desk or case this API has not pushed', async () => {
    // One connection, so the prepared statements listed are the ones the pushes used.
    const store = await openPostgresStore(opened.url, clock, { poolSize: 1 });
    try {
      const f = fixtures(store, clock);
      const team = await f.team();
      const desk = f.desk(await f.person('handler', [team.id]));
      const caseId = randomUUID();
      await desk.push([desk.createCase(caseId)]);
      for (let i = 0; i < 12; i += 1) await desk.push([desk.setField(caseId, 'description', `Call ${i}: still waiting for the ward to ring back.`)]);

      const prepared = await sql<{ statement: string; generic_plans: number; custom_plans: number }>`SELECT statement, generic_plans::int, custom_plans::int
        FROM pg_prepared_statements`.execute(store.db);
      // Of the statements that start so, the one run most (a push's write has a shape for each kind of rows it holds).
      const planned = (start: string) =>
        prepared.rows.filter((row) => row.statement.trimStart().startsWith(start)).sort((a, b) => b.generic_plans + b.custom_plans - (a.generic_plans + a.custom_plans))[0];
      // PostgreSQL plans a prepared statement for its values five times, then keeps a general plan when it costs no
      // more. Twelve pushes wrote edits (the first wrote a new case, a statement of another shape).
      expect(planned('WITH guard AS')).toMatchObject({ generic_plans: 7, custom_plans: 5 });
      // Only the first push read: this API had not seen the desk. The others knew the desk and the case from what
      // the push before them committed, and went to the database once each, to write.
      expect(planned('WITH client AS')).toMatchObject({ generic_plans: 0, custom_plans: 1 });
      const read = await store.readCase({ ...desk.actor }, caseId, 'test: the last edit is there');
      expect(read?.case.fields.description).toBe('Call 11: still waiting for the ward to ring back.');
    } finally {
      await store.close();
    }
  });

  it('works a push out on the case as it now is when another API changed it since this API last pushed it', async () => {
    await alexHereSamThere(async ({ f, alex, sam, alexDesk, samDesk, caseId }) => {
      await alexDesk.push([alexDesk.createCase(caseId), alexDesk.setField(caseId, 'description', 'Waited two hours.')]);
      const seen = await f.fieldSeq(alex, caseId, 'description');
      await samDesk.pullAll();
      expect(await samDesk.push([samDesk.setField(caseId, 'description', 'Waited four hours, then left.', seen)])).toMatchObject({ applied: 1, conflicts: 0 });

      // Alex's next edit was made on the description Alex last saw: it loses to Sam's newer one, and is kept as a conflict.
      expect(await alexDesk.push([alexDesk.setField(caseId, 'description', 'Waited three hours.', seen)])).toEqual({ lastMutationId: 3, applied: 1, skipped: 0, conflicts: 1 });
      const read = await opened.store.readCase(alex, caseId, 'test: see which edit won');
      expect(read?.case.fields.description).toBe('Waited four hours, then left.');
      expect(read?.conflicts).toMatchObject([{ field: 'description', kind: 'stale-edit', losingValue: 'Waited three hours.', winningBy: sam.userId }]);
      // And Alex's edit of another field, pushed through this API again, goes in on top of Sam's.
      expect(await alexDesk.push([alexDesk.setField(caseId, 'department', 'Emergency department')])).toMatchObject({ lastMutationId: 4, applied: 1, conflicts: 0 });
      const after = await opened.store.readCase(alex, caseId, 'test: both edits are there');
      expect(after?.case.fields).toMatchObject({ description: 'Waited four hours, then left.', department: 'Emergency department' });
    });
  });

  it('moves a case back that a colleague moved through another API meanwhile, though this API last saw it where it goes', async () => {
    await alexHereSamThere(async ({ alex, alexDesk, samDesk, caseId }) => {
      await alexDesk.push([alexDesk.createCase(caseId), alexDesk.changeStatus(caseId, 'open', 'in-progress')]);
      await samDesk.pullAll();
      await samDesk.push([samDesk.changeStatus(caseId, 'in-progress', 'escalated')]);
      const { cursor } = await samDesk.pullAll();

      // Alex has pulled the escalation and moves the case back. This API last saw the case in progress, where the
      // move goes: it must not take the move as already made and write nothing.
      expect(await alexDesk.push([alexDesk.changeStatus(caseId, 'escalated', 'in-progress')])).toEqual({ lastMutationId: 3, applied: 1, skipped: 0, conflicts: 0 });
      expect((await opened.store.readCase(alex, caseId, 'test: where the case is'))?.case.status).toBe('in-progress');
      const { changes } = await samDesk.pullAll(cursor);
      expect(changes.filter((change) => change.entity === 'case').map((change) => (change.data as { status: string }).status)).toEqual(['in-progress']);
    });
  });

  it('does not undo a reassignment made through this API when the desk next pushes the case', async () => {
    const f = fixtures(opened.store, clock);
    const team = await f.team();
    const alex = await f.person('handler', [team.id], 'Alex Handler');
    const jo = await f.person('handler', [team.id], 'Jo Handler');
    const sam = await f.person('supervisor', [team.id], 'Sam Supervisor');
    const desk = f.desk(alex);
    const caseId = randomUUID();
    await desk.push([desk.createCase(caseId), desk.setField(caseId, 'description', 'Waited two hours.')]);
    await opened.store.reassignCase(sam, caseId, jo.userId);

    expect(await desk.push([desk.setField(caseId, 'department', 'Emergency department')])).toMatchObject({ lastMutationId: 3, applied: 1, conflicts: 0 });
    const read = await opened.store.readCase(jo, caseId, 'test: whose case it is');
    expect(read?.case.ownerId).toBe(jo.userId);
    expect(read?.case.fields).toMatchObject({ description: 'Waited two hours.', department: 'Emergency department' });
  });

  it('answers a push of changes it already holds from the database, not from what this API kept', async () => {
    const f = fixtures(opened.store, clock);
    const team = await f.team();
    const alex = await f.person('handler', [team.id], 'Alex Handler');
    const desk = f.desk(alex);
    const caseId = randomUUID();
    const create = desk.createCase(caseId);
    await desk.push([create]);
    // The desk's row as the database has it is behind what this API kept (a restore, a hand edit): a replay must
    // not be acknowledged beyond what the database holds, or the desk would drop changes it never stored.
    await sql`UPDATE sync_clients SET last_mutation_id = 0 WHERE client_id = ${desk.clientId}`.execute(opened.store.db);
    expect(await desk.push([create])).toEqual({ lastMutationId: 1, applied: 1, skipped: 0, conflicts: 0 });
  });

  it('takes a desk’s next push through this API after the desk pushed through another', async () => {
    const f = fixtures(opened.store, clock);
    const team = await f.team();
    const alex = await f.person('handler', [team.id], 'Alex Handler');
    await throughAnotherApi(async (otherApi) => {
      const desk = f.desk(alex);
      const caseId = randomUUID();
      await desk.push([desk.createCase(caseId), desk.setField(caseId, 'description', 'Waited two hours.')]);
      // The same desk (the same client id and mutation ids), its next push through the other API.
      const viaOther = fixtures(otherApi, clock).desk(alex, desk.clientId);
      viaOther.skipIds(2);
      expect(await viaOther.push([viaOther.setField(caseId, 'department', 'Emergency department')])).toMatchObject({ lastMutationId: 3, applied: 1 });

      // This API last saw the desk at mutation 2: mutation 4 is not a gap, the database has 3.
      desk.skipIds(1);
      expect(await desk.push([desk.setField(caseId, 'category', 'communication')])).toEqual({ lastMutationId: 4, applied: 1, skipped: 0, conflicts: 0 });
      const read = await opened.store.readCase(alex, caseId, 'test: every edit is there');
      expect(read?.case.fields).toMatchObject({ description: 'Waited two hours.', department: 'Emergency department', category: 'communication' });
    });
  });

  it('keeps a note sent again under a new mutation id once, also when the push skips its read', async () => {
    const f = fixtures(opened.store, clock);
    const team = await f.team();
    const desk = f.desk(await f.person('handler', [team.id]));
    const caseId = randomUUID();
    const noteId = randomUUID();
    await desk.push([desk.createCase(caseId), desk.appendNote(caseId, 'Caller would like a call back after 5pm.', noteId)]);
    // The same note again (a desk whose outbox was restored from a copy, say): this API knows the desk and the case,
    // so the push does not read which ids are in use; its write fails on the note's id, and the push is worked out
    // from the database, where the note already is.
    expect(await desk.push([desk.appendNote(caseId, 'Caller would like a call back after 5pm.', noteId)])).toEqual({ lastMutationId: 3, applied: 1, skipped: 0, conflicts: 0 });
    const read = await opened.store.readCase(desk.actor, caseId, 'test: the note is there once');
    expect(read?.events.filter((event) => event.kind === 'note').map((note) => [note.id, note.body])).toEqual([[noteId, 'Caller would like a call back after 5pm.']]);
  });

  it('prepares at most the given number of statement texts for a pool, and runs the rest unprepared', async () => {
    const pool = new pg.Pool({ connectionString: opened.url, max: 1 });
    prepareStatements(pool, 2);
    try {
      for (const n of [1, 2, 3, 1, 4]) expect((await pool.query(`SELECT $1::int + ${n} AS sum`, [n])).rows[0].sum).toBe(2 * n);
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      const names = (await pool.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements ORDER BY name', [])).rows;
      expect(names.map((row) => row.statement)).toEqual(['SELECT $1::int + 1 AS sum', 'SELECT $1::int + 2 AS sum']);
    } finally {
      await pool.end();
    }
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
