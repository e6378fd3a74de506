import type { Kysely } from 'kysely';
import { defaultCaseFields } from '../../../src-shared/domain/case-record';
import type { Database } from '../../../src-server/store/schema';
import { calls, cases, FROM, settings, type FixtureCall, type FixtureCase } from '../../shared/reports/report-fixture';
import type { ApiHarness } from '../api-harness';

/** The fixture's two dispositions: one resolves the query, one does not. */
const DISPOSITIONS = [
  { id: 'resolved-first-contact', label: 'Resolved at first contact', resolves: 1, sort_order: 1, active: 1 },
  { id: 'callback-needed', label: 'Callback needed', resolves: 0, sort_order: 2, active: 1 },
];

/**
 * Writes report records into a central store as the API would hold them: teams, an owner, handlers (two active in
 * team A, a disabled one in team B), providers, dispositions, then the cases (fields as JSON) and finished calls.
 */
export async function seedPeople(db: Kysely<Database>): Promise<void> {
  const at = '2025-01-01T00:00:00.000Z';
  await db.insertInto('teams').values([{ id: 'team-a', name: 'Team A', created_at: at }, { id: 'team-b', name: 'Team B', created_at: at }]).execute();
  const user = (id: string, role: string, disabled = 0) => ({ id, email: `${id}@org.test`, name: id, role, password_hash: 'x', disabled, created_at: at });
  await db.insertInto('users').values([user('owner', 'supervisor'), user('h1', 'handler'), user('h2', 'handler'), user('h3', 'handler', 1)]).execute();
  await db
    .insertInto('user_teams')
    .values([
      { user_id: 'owner', team_id: 'team-a' },
      { user_id: 'h1', team_id: 'team-a' },
      { user_id: 'h2', team_id: 'team-a' },
      { user_id: 'h3', team_id: 'team-b' },
    ])
    .execute();
  await db
    .insertInto('providers')
    .values([
      { id: 'p1', ods_code: 'RR8', name: 'Leeds Teaching Hospitals', kind: 'acute trust', departments: '[]', contact_email: null, active: 1 },
      { id: 'p2', ods_code: 'RCF', name: 'Airedale General', kind: 'acute trust', departments: '[]', contact_email: null, active: 1 },
    ])
    .execute();
  await db
    .insertInto('dispositions')
    .values(DISPOSITIONS)
    .execute();
}

/** Runs `insert` on `rows` 200 at a time (a statement's bound values stay under SQLite's limit). */
async function inBatches<T>(rows: readonly T[], insert: (batch: readonly T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await insert(rows.slice(i, i + 200));
}

export async function insertRecords(db: Kysely<Database>, cases: readonly FixtureCase[], calls: readonly FixtureCall[]): Promise<void> {
  await inBatches(cases, (batch) =>
    db
      .insertInto('cases')
      .values(
        batch.map((c) => ({
          id: c.id,
          reference: `CC-${c.id}`,
          team_id: c.teamId,
          owner_id: 'owner',
          created_by: 'owner',
          // The columns keep what the case was opened as; the report reads the fields, which a handler may correct.
          type: 'question',
          channel: 'phone',
          status: c.status,
          fields: JSON.stringify({ ...defaultCaseFields(c.type, c.channel), category: c.category, providerId: c.providerId }),
          field_seqs: '{}',
          created_at: c.createdAt,
          updated_at: c.closedAt ?? c.createdAt,
          closed_at: c.closedAt,
          version: 1,
        })),
      )
      .execute(),
  );
  await inBatches(calls, (batch) =>
    db
      .insertInto('calls')
      .values(
        batch.map((call) => ({
          id: call.id,
          provider: 'simulator',
          provider_call_id: `sim-${call.id}`,
          direction: call.direction,
          queue_id: call.enteredQueueAt ? 'queue' : null,
          case_type: call.caseType,
          from_number: '+441134960000',
          handler_id: call.answeredAt ? 'h1' : null,
          team_id: call.teamId,
          case_id: call.caseId,
          transferred_from: call.transferredFrom,
          entered_queue_at: call.enteredQueueAt,
          offered_at: null,
          answered_at: call.answeredAt,
          held_ms: call.heldMs,
          ended_at: call.endedAt,
          wrap_up_ended_at: null,
          outcome: call.outcome,
          disposition_id: call.dispositionId,
          answer_wait_ms: call.answerWaitMs,
          talk_ms: call.talkMs,
          wrap_up_ms: call.wrapUpMs,
          handle_ms: call.handleMs,
          within_target: null,
          offers: call.answeredAt ? 1 : 0,
          recorded_at: call.endedAt ?? '2025-01-01T00:00:00.000Z',
        })),
      )
      .execute(),
  );
}

/**
 * The shared report fixture (1-2 July 2025) in a test API's store, mapped onto the harness's two teams, with its
 * dispositions, provider (named `providerName`), the cases' owner and the cost settings saved by an administrator.
 */
export async function seedReportFixture(api: ApiHarness, adminToken: string, providerName = 'Leeds Teaching Hospitals'): Promise<void> {
  const db = api.store.db;
  await db
    .insertInto('dispositions')
    .values(DISPOSITIONS)
    .execute();
  await db.insertInto('providers').values({ id: 'p1', ods_code: 'RR8', name: providerName, kind: 'acute trust', departments: '[]', contact_email: null, active: 1 }).execute();
  await db.insertInto('users').values({ id: 'owner', email: 'owner@org.test', name: 'owner', role: 'supervisor', password_hash: 'x', disabled: 1, created_at: FROM }).execute();
  const team = (id: string) => (id === 'team-a' ? api.teams.a : api.teams.b);
  await insertRecords(
    db,
    cases.map((c) => ({ ...c, teamId: team(c.teamId) })),
    calls.map((call) => ({ ...call, teamId: call.teamId === null ? null : team(call.teamId) })),
  );
  const saved = await api.call('PUT', '/admin/report-settings', { token: adminToken, body: settings });
  if (saved.status !== 200) throw new Error(`saving the report settings failed: HTTP ${saved.status}`);
}
