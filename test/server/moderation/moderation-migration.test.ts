import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateStore, type StoreMigration } from '../../../src-server/store/migrations/migration';
import type { Database } from '../../../src-server/store/schema';
import { cases } from '../../shared/reports/report-fixture';
import { insertRecords, seedPeople } from '../reports/report-seed';
import { withBareDatabase } from '../store/fresh-store';

const referral = (id: string, hash: string) => ({
  id,
  case_id: 'c2',
  team_id: 'team-a',
  provider_id: 'p1',
  token_hash: hash,
  mode: 'link',
  summary: 'Summary',
  sent_by: 'h1',
  sent_at: '2026-01-01T00:00:00.000Z',
  expires_at: '2026-02-01T00:00:00.000Z',
  revoked_at: null,
  first_opened_at: null,
  acknowledged_at: null,
  addressed_at: null,
  response_to_publish: null,
  response_to_publish_at: null,
});

/** Migrates a store holding cases from before version 110, then writes to the new tables and checks their rules. */
async function check(db: Kysely<Database>, steps: readonly StoreMigration[]) {
  await migrateStore(db, steps.filter((step) => step.version < 110));
  await seedPeople(db);
  await insertRecords(db, cases, []);
  const before = await db.selectFrom('cases').select('id').execute();
  await migrateStore(db, steps);
  expect(await db.selectFrom('cases').select('id').execute()).toEqual(before);
  const moderation = { case_id: 'c2', team_id: 'team-a', state: 'draft', draft: 'Text', approved_text: null, overrides: '[]', first_by: null, first_by_name: null, first_at: null, second_by: null, second_by_name: null, second_at: null, reason: null, updated_at: '2026-01-01T00:00:00.000Z' };
  await db.insertInto('moderations').values(moderation).execute();
  await expect(db.insertInto('moderations').values({ ...moderation, case_id: 'c1', state: 'approved-ish' }).execute()).rejects.toThrow();
  await db.insertInto('provider_referrals').values(referral('r1', 'a'.repeat(64))).execute();
  await expect(db.insertInto('provider_referrals').values(referral('r2', 'a'.repeat(64))).execute()).rejects.toThrow();
  const publication = { public_id: 'pub1', case_id: 'c2', team_id: 'team-a', provider_id: 'p1', category: 'food', experience_month: '2026-01', description: 'Moderated', response: null, response_month: null, published_at: '2026-01-02T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' };
  await db.insertInto('publications').values(publication).execute();
  // One publication per case.
  await expect(db.insertInto('publications').values({ ...publication, public_id: 'pub2' }).execute()).rejects.toThrow();
}

describe('migration 110 (moderation, publication, providers)', () => {
  it('adds its tables to an SQLite store with cases in it', () => withBareDatabase('sqlite', 'moderation_migration', check));

  it('adds its tables to a PostgreSQL store with cases in it', () => withBareDatabase('postgres', 'moderation_migration', check));
});
