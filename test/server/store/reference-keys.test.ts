import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { encodeReference, referenceKey } from '../../../src-shared/domain/reference-number';
import { createIntakeStore } from '../../../src-server/intake/intake-store';
import { migrateStore } from '../../../src-server/store/migrations/migration';
import type { Database } from '../../../src-server/store/schema';
import { seedPeople } from '../reports/report-seed';
import { openFreshStore, withBareDatabase, type StoreDialect } from './fresh-store';

const AT = '2026-11-22T09:00:00.000Z';
const DESK = 4321;
/** More than one backfill page (a thousand cases). */
const STORED = 1_205;

function caseRow(id: string, reference: string) {
  return { id, reference, team_id: 'team-a', owner_id: 'owner', created_by: 'owner', type: 'feedback', channel: 'phone', status: 'open', fields: '{}', field_seqs: '{}', created_at: AT, updated_at: AT, closed_at: null, version: 1 };
}

async function indexNames(db: Kysely<Database>, dialect: StoreDialect): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'`.execute(db)
      : await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'cases' AND schemaname = current_schema()`.execute(db);
  return rows.rows.map((row) => row.name);
}

describe.each<StoreDialect>(['sqlite', 'postgres'])('cases found by reference key (%s)', (dialect) => {
  it('migration 160 gives every case already stored its key, keeps none for a reference that does not decode, and swaps the index', () =>
    withBareDatabase(dialect, 'reference_keys', async (db, steps) => {
      await migrateStore(db, steps.filter((step) => step.version < 160));
      await seedPeople(db);
      const rows = Array.from({ length: STORED }, (_, i) => caseRow(`case-${String(i).padStart(5, '0')}`, encodeReference(DESK, i)));
      for (let i = 0; i < rows.length; i += 200) await db.insertInto('cases').values(rows.slice(i, i + 200)).execute();
      await db.insertInto('cases').values(caseRow('case-legacy', 'CC-LEGACY')).execute();

      await migrateStore(db, steps);

      const keys = await db.selectFrom('cases').select(['id', 'reference_key']).orderBy('id').execute();
      expect(keys).toHaveLength(STORED + 1);
      expect(keys.find((row) => row.id === 'case-legacy')?.reference_key).toBeNull();
      const keyed = keys.filter((row) => row.id !== 'case-legacy');
      // Desk 4321's cases 0..1204, in the order it made them.
      expect(keyed.map((row) => Number(row.reference_key))).toEqual(rows.map((_, i) => DESK * 2 ** 21 + i));
      const indexes = await indexNames(db, dialect);
      expect(indexes).toEqual(expect.arrayContaining(['cases_by_reference_key', 'cases_by_reference_unkeyed']));
      expect(indexes).not.toContain('cases_by_reference');
    }));

  it('a pushed case is stored with its key, and an email quoting a reference finds its case, even one an older instance wrote without a key', async () => {
    const opened = await openFreshStore(dialect, { prefix: 'reference_keys' });
    try {
      const { store } = opened;
      const team = await store.createTeam(`Team ${randomUUID().slice(0, 8)}`);
      const user = await store.createUser({ email: `alex-${randomUUID().slice(0, 8)}@org.test`, name: 'Alex', role: 'handler', teamIds: [team.id], passwordHash: 'x' });
      const actor = { userId: user.id, name: 'Alex', role: 'handler' as const, teamIds: [team.id] };
      const pushed = { caseId: randomUUID(), reference: encodeReference(DESK, 17) };
      await store.push(actor, randomUUID(), [
        { id: 1, name: 'case.create', args: { caseId: pushed.caseId, reference: pushed.reference, type: 'feedback', channel: 'phone', callerId: null, at: AT, eventId: randomUUID() } },
      ]);
      const stored = await store.db.selectFrom('cases').select('reference_key').where('id', '=', pushed.caseId).executeTakeFirstOrThrow();
      expect(Number(stored.reference_key)).toBe(referenceKey(pushed.reference));
      expect(referenceKey(pushed.reference)).toBe(DESK * 2 ** 21 + 17);

      // As an API instance from before migration 160, still running beside this one, writes a case: no key.
      const older = { id: randomUUID(), reference: encodeReference(DESK, 18) };
      await store.db
        .insertInto('cases')
        .values({ ...caseRow(older.id, older.reference), team_id: team.id, owner_id: user.id, created_by: user.id })
        .execute();

      const intake = createIntakeStore(store, Date);
      const find = (reference: string) => store.db.transaction().execute((tx) => intake.byReference(tx, reference));
      expect((await find(pushed.reference))?.case.id).toBe(pushed.caseId);
      expect((await find(older.reference))?.case.id).toBe(older.id);
      expect(await find(encodeReference(DESK, 19))).toBeNull();
    } finally {
      await opened.cleanup();
    }
  });
});

describe('the SQLite store looks a reference up through its indexes, not through every case', () => {
  it('uses the key index for keyed cases and the small index for unkeyed ones', () =>
    withBareDatabase('sqlite', 'reference_plan', async (db, steps) => {
      await migrateStore(db, steps);
      const plan = async (where: ReturnType<typeof sql>) =>
        (await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT * FROM cases WHERE ${where} ORDER BY created_at`.execute(db)).rows.map((row) => row.detail).join(' | ');
      expect(await plan(sql`reference_key = ${1} AND reference = ${'CC-X'}`)).toContain('USING INDEX cases_by_reference_key');
      expect(await plan(sql`reference_key IS NULL AND reference = ${'CC-X'}`)).toContain('USING INDEX cases_by_reference_unkeyed');
    }));
});
