import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReportStore, type ReportStore } from '../../../src-server/store/report-store';
import { channels, caseTypes } from '../../../src-shared/domain/case-types';
import { categories } from '../../../src-shared/domain/categories';
import { caseStatuses } from '../../../src-shared/domain/statuses';
import { previousRange, reportRange } from '../../../src-shared/reports/london-time';
import { reportFromRecords } from '../../../src-shared/reports/metrics';
import { defaultReportSettings } from '../../../src-shared/reports/settings';
import { FROM, TO, calls, cases, providerNames, settings, type FixtureCall, type FixtureCase } from '../../shared/reports/report-fixture';
import { approximately, organisation, teamA } from '../../shared/reports/report-expectations';
import { openFreshStore } from '../store/fresh-store';
import { insertRecords, seedPeople } from './report-seed';

type Opened = Awaited<ReturnType<typeof openFreshStore>>;

/** A fresh store: an SQLite file in a temp folder, or a schema of its own in the shared PostgreSQL test database. */
const dialects: [string, () => Promise<Opened>][] = [
  ['SQLite', () => openFreshStore('sqlite', { prefix: 'reports' })],
  ['PostgreSQL', () => openFreshStore('postgres', { prefix: 'reports', poolSize: 2 })],
];

const closeTo = (n: number, digits: number) => expect.closeTo(n, digits);

describe.each(dialects)('reports in SQL on %s', (_name, open) => {
  let opened: Opened;
  let reports: ReportStore;

  beforeAll(async () => {
    opened = await open();
    reports = createReportStore(opened.store.db, opened.store.dialect);
    await seedPeople(opened.store.db);
    await insertRecords(opened.store.db, cases, calls);
  });
  afterAll(() => opened.cleanup());

  it('gives the hand-worked figures for the whole organisation', async () => {
    const summary = await reports.summary(FROM, TO, null, settings);
    expect(summary).toMatchObject(approximately(organisation, closeTo) as object);
  });

  it('gives the hand-worked figures for one team, leaving out the other team’s cases and calls', async () => {
    const summary = await reports.summary(FROM, TO, ['team-a'], settings);
    expect(summary).toMatchObject(approximately(teamA, closeTo) as object);
  });

  it('counts nothing for a supervisor with no teams', async () => {
    const summary = await reports.summary(FROM, TO, [], settings);
    expect(summary.contacts.total).toBe(0);
    expect(summary.calls.queued).toBe(0);
    expect(summary.cost.handlerCount).toBe(0);
  });

  it('keeps the report settings an administrator saves, and starts from the defaults', async () => {
    expect(await reports.readSettings()).toEqual({ settings: defaultReportSettings, updatedAt: null, updatedBy: null });
    await reports.saveSettings(settings, 'owner');
    const stored = await reports.readSettings();
    expect(stored.settings).toEqual(settings);
    expect(stored.updatedBy).toBe('owner');
    expect((await reports.summary(FROM, TO, null)).cost.totalCostPence).toBeCloseTo(66_400, 6);
  });
});

// ---- the SQL against the shared definitions, on random data ----

const start = Date.parse('2025-03-27T22:00:00.000Z');
const span = 5 * 86_400_000;
/** Times around the clocks going forward (30 March 2025), some on exact hour and day boundaries, some without ms. */
const instant = fc.oneof(
  fc.integer({ min: 0, max: span }).map((ms) => new Date(start + ms).toISOString()),
  fc.integer({ min: 0, max: 5 * 24 }).map((hour) => new Date(start + hour * 3_600_000).toISOString()),
  fc.integer({ min: 0, max: span / 1000 }).map((s) => new Date(start + s * 1000).toISOString().replace('.000Z', 'Z')),
);
const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const caseArb = fc.record({
  teamId: fc.constantFrom('team-a', 'team-b'),
  channel: fc.constantFrom(...channels),
  type: fc.constantFrom(...caseTypes),
  category: fc.option(fc.constantFrom(...categories), { nil: null }),
  providerId: fc.constantFrom(null, 'p1', 'p2', 'p-unknown'),
  status: fc.constantFrom(...caseStatuses),
  createdAt: instant,
  closedAt: fc.option(instant, { nil: null }),
});

const callArb = fc
  .record({
    teamId: fc.constantFrom(null, 'team-a', 'team-b'),
    direction: fc.constantFrom('inbound' as const, 'inbound' as const, 'outbound' as const),
    caseType: fc.constantFrom(null, 'question', 'feedback', 'general-enquiry'),
    linked: fc.boolean(),
    transferred: fc.constantFrom(false, false, false, true),
    queued: fc.constantFrom(true, true, true, false),
    enteredQueueAt: instant,
    answered: fc.boolean(),
    // Whole seconds often, so waits land exactly on the service-level and abandonment thresholds.
    waitMs: fc.oneof(fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 0, max: 90 }).map((s) => s * 1000)),
    talkMs: fc.integer({ min: 0, max: 900_000 }),
    heldMs: fc.integer({ min: 0, max: 60_000 }),
    wrapUpMs: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: null }),
    outcome: fc.constantFrom('completed', 'abandoned', 'transferred', 'no-answer'),
    disposition: fc.constantFrom(null, 'resolved-first-contact', 'callback-needed'),
  })
  .map((r): Omit<FixtureCall, 'id' | 'caseId'> & { linked: boolean } => {
    const answeredAt = r.answered ? later(r.enteredQueueAt, r.waitMs) : null;
    const endedAt = later(r.enteredQueueAt, r.waitMs + (r.answered ? r.talkMs + r.heldMs : 0));
    return {
      linked: r.linked,
      teamId: r.teamId,
      direction: r.direction,
      caseType: r.caseType,
      transferredFrom: r.transferred ? 'earlier-leg' : null,
      enteredQueueAt: r.queued ? r.enteredQueueAt : null,
      answeredAt,
      endedAt,
      outcome: r.answered ? (r.outcome === 'abandoned' ? 'completed' : r.outcome) : r.outcome === 'transferred' ? 'abandoned' : r.outcome,
      dispositionId: r.answered ? r.disposition : null,
      dispositionResolves: r.answered && r.disposition === 'resolved-first-contact',
      answerWaitMs: r.answered && r.queued ? r.waitMs : null,
      talkMs: r.answered ? r.talkMs : null,
      heldMs: r.answered ? r.heldMs : 0,
      wrapUpMs: r.answered ? r.wrapUpMs : null,
      handleMs: r.answered ? r.talkMs + r.heldMs + (r.wrapUpMs ?? 0) : null,
    };
  });

describe.each(dialects)('the SQL on %s agrees with the shared definitions', (_name, open) => {
  let opened: Opened;
  let reports: ReportStore;
  let run = 0;

  beforeAll(async () => {
    opened = await open();
    reports = createReportStore(opened.store.db, opened.store.dialect);
    await seedPeople(opened.store.db);
  });
  afterAll(() => opened.cleanup());

  it('on random cases and calls around the change to summer time, for the organisation and for one team', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArb, { minLength: 5, maxLength: 40 }),
        fc.array(callArb, { minLength: 20, maxLength: 60 }),
        fc.constantFrom<[string, string]>(['2025-03-29', '2025-03-31'], ['2025-03-30', '2025-03-30'], ['2025-03-28', '2025-04-01']),
        fc.constantFrom<string[] | null>(null, ['team-a'], ['team-a', 'team-b']),
        fc.integer({ min: 5, max: 90 }),
        async (generatedCases, generatedCalls, [from, to], teams, targetSeconds) => {
          run += 1;
          const randomCases: FixtureCase[] = generatedCases.map((c, i) => ({ ...c, id: `r${run}-c${i}` }));
          const randomCalls: FixtureCall[] = generatedCalls.map(({ linked, ...call }, i) => ({
            ...call,
            id: `r${run}-k${i}`,
            caseId: linked && randomCases.length > 0 ? randomCases[i % randomCases.length]!.id : null,
          }));
          await opened.store.db.deleteFrom('calls').execute();
          await opened.store.db.deleteFrom('cases').execute();
          await insertRecords(opened.store.db, randomCases, randomCalls);
          const chosen = { ...settings, serviceLevel: { targetSeconds, targetShare: 0.8 }, abandonedAfterSeconds: targetSeconds % 31 };
          const fromSql = await reports.summary(from, to, teams, chosen);
          const range = reportRange(from, to);
          const inScope = <T extends { teamId: string | null }>(rows: T[]) => (teams === null ? rows : rows.filter((row) => row.teamId !== null && teams.includes(row.teamId)));
          const expected = reportFromRecords(inScope(randomCases), inScope(randomCalls), {
            range,
            previous: previousRange(range),
            teamIds: teams,
            settings: chosen,
            handlerCount: 2,
            providerNames,
          });
          expect(fromSql).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
