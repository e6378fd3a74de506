import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateStore, type StoreMigration } from '../../../src-server/store/migrations/migration';
import type { Database } from '../../../src-server/store/schema';
import { withBareDatabase } from '../store/fresh-store';
import { insertRecords, seedPeople } from './report-seed';
import { cases } from '../../shared/reports/report-fixture';

/** Migrates a store holding cases from before version 90 and reads the report columns it generates from their fields. */
async function check(db: Kysely<Database>, steps: readonly StoreMigration[]) {
  await migrateStore(db, steps.filter((step) => step.version < 90));
  await seedPeople(db);
  await insertRecords(db, cases, []);
  await migrateStore(db, steps);
  const rows = await sql<{ id: string; report_channel: string; report_type: string; report_category: string | null; report_provider_id: string | null }>`
    SELECT id, report_channel, report_type, report_category, report_provider_id FROM cases ORDER BY id`.execute(db);
  expect(rows.rows.find((row) => row.id === 'c2')).toEqual({ id: 'c2', report_channel: 'web', report_type: 'feedback', report_category: 'staff-attitude', report_provider_id: 'p1' });
  expect(rows.rows.find((row) => row.id === 'c1')).toMatchObject({ report_channel: 'phone', report_category: null, report_provider_id: null });
  // A handler's later correction of the channel shows in the report column at once.
  const c3 = await db.selectFrom('cases').select('fields').where('id', '=', 'c3').executeTakeFirstOrThrow();
  await db.updateTable('cases').set({ fields: JSON.stringify({ ...JSON.parse(c3.fields), channel: 'email' }) }).where('id', '=', 'c3').execute();
  const corrected = await sql<{ report_channel: string }>`SELECT report_channel FROM cases WHERE id = 'c3'`.execute(db);
  expect(corrected.rows[0]?.report_channel).toBe('email');
  const settings = await db.selectFrom('report_settings').selectAll().execute();
  expect(settings).toEqual([]);
}

describe('migration 90 (reports)', () => {
  it('generates the report columns for cases already in an SQLite store', () => withBareDatabase('sqlite', 'report_migration', check));

  it('generates the report columns for cases already in a PostgreSQL store', () => withBareDatabase('postgres', 'report_migration', check));
});
