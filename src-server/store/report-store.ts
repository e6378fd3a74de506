import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { channels, type Channel } from '../../src-shared/domain/case-types';
import { categories, type Category } from '../../src-shared/domain/categories';
import { caseStatuses, isResolvedStatus } from '../../src-shared/domain/statuses';
import { previousRange, reportRange } from '../../src-shared/reports/london-time';
import { caseTypeKey, summariseReport, type CategoryKey, type ReportAggregates } from '../../src-shared/reports/metrics';
import type { ReportSummary } from '../../src-shared/reports/report-schema';
import { defaultReportSettings, reportSettingsSchema, type ReportSettings, type StoredReportSettings } from '../../src-shared/reports/settings';
import type { Dialect } from './central-store';
import type { Database } from './schema';

/**
 * The reports in SQL, on SQLite and PostgreSQL alike: the stores count (per UTC hour bucket, channel and type; per
 * category; per provider; the call totals) and `summariseReport` in src-shared turns the counts into figures, so the
 * arithmetic of every figure is written once. What each figure counts is defined in src-shared/reports/metrics.ts;
 * the SQL here must select exactly those records, and a property test holds it to that on random data.
 * Only one expression differs by dialect: a call's wait in milliseconds. The case fields reports group by are read from
 * columns the store generates from the fields JSON (migration 90), held in covering indexes.
 */

/** Which teams a report counts: null for the whole organisation (calls not yet tied to a team included). */
export type TeamScope = string[] | null;

const SETTINGS_ID = 'organisation';
const resolvingStatuses = caseStatuses.filter(isResolvedStatus);
const knownChannels: ReadonlySet<string> = new Set(channels);
const knownCategories: ReadonlySet<string> = new Set(categories);

/** Columns generated from each case's fields JSON (migration 90): what a handler last set, not what the case opened as. */
interface ReportColumns {
  report_channel: string | null;
  report_type: string | null;
  report_category: string | null;
  report_provider_id: string | null;
}

export function createReportStore(db: Kysely<Database>, dialect: Dialect, clock: { now(): number } = Date) {
  /** The store with the columns migration 90 generates from each case's fields JSON (their current values). */
  const rdb = db.withTables<{ cases: ReportColumns }>();

  /** Milliseconds from joining the queue to hanging up; rounded so both stores agree with Date.parse to the millisecond. */
  const waitBeforeHangUpMs: RawBuilder<number> =
    dialect === 'sqlite'
      ? sql<number>`round((unixepoch(ended_at, 'subsec') - unixepoch(entered_queue_at, 'subsec')) * 1000)`
      : sql<number>`round(extract(epoch from (ended_at::timestamptz - entered_queue_at::timestamptz)) * 1000)`;

  /**
   * Only these teams' rows. For the whole organisation, cases are those of every team (a case always has one), which
   * lets both stores seek the (team, time) indexes team by team; calls include those no team had been offered.
   */
  const inTeams = (column: 'cases.team_id' | 'calls.team_id', teams: TeamScope): RawBuilder<SqlBool> => {
    if (teams === null) return column === 'cases.team_id' ? sql<SqlBool>`cases.team_id IN (SELECT teams.id FROM teams)` : sql<SqlBool>`1 = 1`;
    if (teams.length === 0) return sql<SqlBool>`1 = 0`;
    return sql<SqlBool>`${sql.ref(column)} IN (${sql.join(teams)})`;
  };

  const cases = (from: string, to: string, column: 'created_at' | 'closed_at', teams: TeamScope) =>
    rdb.selectFrom('cases').where(`cases.${column}`, '>=', from).where(`cases.${column}`, '<', to).where(inTeams('cases.team_id', teams));

  const calls = (from: string, to: string, teams: TeamScope) =>
    db
      .selectFrom('calls')
      .leftJoin('dispositions', 'dispositions.id', 'calls.disposition_id')
      .where('calls.ended_at', '>=', from)
      .where('calls.ended_at', '<', to)
      .where(inTeams('calls.team_id', teams));

  /** An inbound call that stands for a contact on its own (metrics.ts `isCallOnlyContact`). */
  const callOnlyContact = sql<SqlBool>`calls.direction = 'inbound' AND calls.answered_at IS NOT NULL AND calls.case_id IS NULL AND calls.outcome <> 'transferred'`;
  /** A queued call, once per caller (metrics.ts `isQueuedCall`). */
  const queued = sql<SqlBool>`calls.direction = 'inbound' AND calls.entered_queue_at IS NOT NULL AND calls.transferred_from IS NULL`;
  const resolves = sql<SqlBool>`dispositions.resolves = 1`;
  const countWhere = (condition: Expression<SqlBool>) => sql<number>`sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const sumWhere = (condition: Expression<SqlBool>, value: Expression<unknown>) => sql<number>`sum(CASE WHEN ${condition} THEN ${value} ELSE 0 END)`;

  async function resolvedCount(from: string, to: string, teams: TeamScope): Promise<number> {
    const [fromCases, fromCalls] = await Promise.all([
      cases(from, to, 'closed_at', teams).select(sql<number>`count(*)`.as('n')).where('cases.status', 'in', resolvingStatuses).executeTakeFirst(),
      calls(from, to, teams).select(sql<number>`count(*)`.as('n')).where(callOnlyContact).where(resolves).executeTakeFirst(),
    ]);
    return Number(fromCases?.n ?? 0) + Number(fromCalls?.n ?? 0);
  }

  async function aggregates(from: string, to: string, previous: { fromIso: string; toIso: string }, teams: TeamScope, settings: ReportSettings): Promise<ReportAggregates> {
    const hourKey = (column: 'created_at' | 'closed_at' | 'ended_at') => sql<string>`substr(${sql.ref(column)}, 1, 13)`;
    const [caseHours, categoryRows, providerRows, callContactHours, resolvedCaseHours, totals, previousResolved] = await Promise.all([
      cases(from, to, 'created_at', teams)
        .select([hourKey('created_at').as('hour_key'), sql.ref<string | null>('cases.report_channel').as('channel'), sql.ref<string | null>('cases.report_type').as('type'), sql<number>`count(*)`.as('n')])
        .groupBy([sql`1`, sql`2`, sql`3`])
        .execute(),
      cases(from, to, 'created_at', teams).select([sql.ref<string | null>('cases.report_category').as('category'), sql<number>`count(*)`.as('n')]).groupBy(sql`1`).execute(),
      cases(from, to, 'created_at', teams).select([sql.ref<string | null>('cases.report_provider_id').as('provider_id'), sql<number>`count(*)`.as('n')]).groupBy(sql`1`).execute(),
      calls(from, to, teams)
        .select([hourKey('ended_at').as('hour_key'), 'calls.case_type', sql<number>`count(*)`.as('n'), countWhere(resolves).as('resolved')])
        .where(callOnlyContact)
        .groupBy([sql`1`, 'calls.case_type'])
        .execute(),
      cases(from, to, 'closed_at', teams)
        .select([hourKey('closed_at').as('hour_key'), sql.ref<string | null>('cases.report_channel').as('channel'), sql<number>`count(*)`.as('n')])
        .where('cases.status', 'in', resolvingStatuses)
        .groupBy([sql`1`, sql`2`])
        .execute(),
      calls(from, to, teams)
        .select([
          countWhere(queued).as('queued'),
          countWhere(sql`${queued} AND calls.answer_wait_ms IS NOT NULL`).as('answered'),
          sumWhere(sql`${queued} AND calls.answer_wait_ms IS NOT NULL`, sql.ref('calls.answer_wait_ms')).as('answer_wait_ms'),
          countWhere(sql`${queued} AND calls.answer_wait_ms <= ${settings.serviceLevel.targetSeconds * 1000}`).as('within_target'),
          countWhere(sql`${queued} AND calls.outcome = 'abandoned'`).as('abandoned'),
          countWhere(sql`${queued} AND calls.outcome = 'abandoned' AND ${waitBeforeHangUpMs} > ${settings.abandonedAfterSeconds * 1000}`).as('abandoned_late'),
          countWhere(sql`calls.handle_ms IS NOT NULL`).as('handled'),
          sumWhere(sql`calls.handle_ms IS NOT NULL`, sql.ref('calls.handle_ms')).as('handle_ms'),
          sumWhere(sql`calls.handle_ms IS NOT NULL`, sql`coalesce(calls.talk_ms, 0)`).as('talk_ms'),
          sumWhere(sql`calls.handle_ms IS NOT NULL`, sql.ref('calls.held_ms')).as('held_ms'),
          sumWhere(sql`calls.handle_ms IS NOT NULL`, sql`coalesce(calls.wrap_up_ms, 0)`).as('wrap_up_ms'),
          countWhere(sql`calls.direction = 'inbound' AND calls.answered_at IS NOT NULL AND calls.outcome <> 'transferred'`).as('fcr_eligible'),
          countWhere(sql`calls.direction = 'inbound' AND calls.answered_at IS NOT NULL AND calls.outcome <> 'transferred' AND ${resolves}`).as('fcr_resolved'),
        ])
        .executeTakeFirstOrThrow(),
      resolvedCount(previous.fromIso, previous.toIso, teams),
    ]);

    const contactsByHour: ReportAggregates['contactsByHour'] = [];
    for (const row of caseHours) contactsByHour.push({ hourKey: row.hour_key, channel: asChannel(row.channel), type: caseTypeKey(row.type), count: Number(row.n) });
    const resolvedByHour: ReportAggregates['resolvedByHour'] = [];
    for (const row of callContactHours) {
      contactsByHour.push({ hourKey: row.hour_key, channel: 'phone', type: caseTypeKey(row.case_type), count: Number(row.n) });
      if (Number(row.resolved) > 0) resolvedByHour.push({ hourKey: row.hour_key, channel: 'phone', count: Number(row.resolved) });
    }
    for (const row of resolvedCaseHours) resolvedByHour.push({ hourKey: row.hour_key, channel: asChannel(row.channel), count: Number(row.n) });

    const contactsByCategory = Object.fromEntries([...categories, 'none'].map((key) => [key, 0])) as Record<CategoryKey, number>;
    for (const row of categoryRows) contactsByCategory[row.category !== null && knownCategories.has(row.category) ? (row.category as Category) : 'none'] += Number(row.n);
    const callOnlyContacts = callContactHours.reduce((sum, row) => sum + Number(row.n), 0);
    contactsByCategory.none += callOnlyContacts;
    const contactsByProvider = providerRows.map((row) => ({ providerId: row.provider_id, count: Number(row.n) }));
    if (callOnlyContacts > 0) {
      const none = contactsByProvider.find((row) => row.providerId === null);
      if (none) none.count += callOnlyContacts;
      else contactsByProvider.push({ providerId: null, count: callOnlyContacts });
    }

    const n = (value: unknown) => Number(value ?? 0);
    return {
      contactsByHour,
      contactsByCategory,
      contactsByProvider,
      resolvedByHour,
      calls: {
        queued: n(totals.queued),
        answered: n(totals.answered),
        answerWaitMsSum: n(totals.answer_wait_ms),
        answeredWithinTarget: n(totals.within_target),
        abandoned: n(totals.abandoned),
        abandonedAfterThreshold: n(totals.abandoned_late),
        handled: n(totals.handled),
        handleMsSum: n(totals.handle_ms),
        talkMsSum: n(totals.talk_ms),
        holdMsSum: n(totals.held_ms),
        wrapUpMsSum: n(totals.wrap_up_ms),
        fcrEligible: n(totals.fcr_eligible),
        fcrResolved: n(totals.fcr_resolved),
      },
      previousResolved,
    };
  }

  /** Active handlers in these teams (everyone's, for the organisation): whose paid hours a per-handler setting counts. */
  async function handlerCount(teams: TeamScope): Promise<number> {
    if (teams !== null && teams.length === 0) return 0;
    let query = db.selectFrom('users').select(sql<number>`count(DISTINCT users.id)`.as('n')).where('users.role', '=', 'handler').where('users.disabled', '=', 0);
    if (teams !== null) query = query.where((eb) => eb.exists(eb.selectFrom('user_teams').select('user_teams.user_id').whereRef('user_teams.user_id', '=', 'users.id').where('user_teams.team_id', 'in', teams)));
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async function readSettings(): Promise<StoredReportSettings> {
    const row = await db.selectFrom('report_settings').selectAll().where('id', '=', SETTINGS_ID).executeTakeFirst();
    if (!row) return { settings: defaultReportSettings, updatedAt: null, updatedBy: null };
    const parsed = reportSettingsSchema.safeParse(JSON.parse(row.settings));
    // Settings written by an older server that no longer parse fall back to the defaults rather than break reports.
    return { settings: parsed.success ? parsed.data : defaultReportSettings, updatedAt: row.updated_at, updatedBy: row.updated_by };
  }

  return {
    readSettings,

    /** Replaces the organisation's report settings (already validated against `reportSettingsSchema`). */
    async saveSettings(settings: ReportSettings, userId: string): Promise<StoredReportSettings> {
      const at = new Date(clock.now()).toISOString();
      const text = JSON.stringify(settings);
      await db
        .insertInto('report_settings')
        .values({ id: SETTINGS_ID, settings: text, updated_at: at, updated_by: userId })
        .onConflict((conflict) => conflict.column('id').doUpdateSet({ settings: text, updated_at: at, updated_by: userId }))
        .execute();
      return { settings, updatedAt: at, updatedBy: userId };
    },

    /** Every report figure for London days `from`..`to` (inclusive) and these teams. */
    async summary(from: string, to: string, teams: TeamScope, settingsOverride?: ReportSettings): Promise<ReportSummary> {
      const range = reportRange(from, to);
      const previous = previousRange(range);
      const settings = settingsOverride ?? (await readSettings()).settings;
      const [counts, handlers, providers] = await Promise.all([
        aggregates(range.fromIso, range.toIso, previous, teams, settings),
        handlerCount(teams),
        db.selectFrom('providers').select(['id', 'name']).execute(),
      ]);
      return summariseReport(counts, {
        range,
        previous,
        teamIds: teams,
        settings,
        handlerCount: handlers,
        providerNames: new Map(providers.map((provider) => [provider.id, provider.name])),
      });
    },
  };
}

/** A channel read from a case's JSON; a case always has one, but a damaged row counts as a phone contact, not a crash. */
function asChannel(value: string | null): Channel {
  return value !== null && knownChannels.has(value) ? (value as Channel) : 'phone';
}

export type ReportStore = ReturnType<typeof createReportStore>;
