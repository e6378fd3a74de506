import type { Kysely } from 'kysely';
import type { Call, HandlerState } from '../../src-shared/telephony/model';
import type { Database } from './schema';

/**
 * What the routing engine keeps beyond its in-memory state: one row per finished call (written once, when the call
 * is done with, so a report never sees half a call), a log of every handler state change (for occupancy and time in
 * state), and handlers' skills. Reports (issue 6) read speed of answer, handle time = talk + hold + wrap-up,
 * abandonment and service level from `calls` without replaying anything.
 */

/** A finished call as stored, with the measures reports need worked out once. */
export interface CallRecord {
  id: string;
  provider: Call['provider'];
  providerCallId: string;
  direction: Call['direction'];
  queueId: string | null;
  caseType: string | null;
  from: string;
  handlerId: string | null;
  /** The handler's first team when the call finished, so reports can be cut by team. */
  teamId: string | null;
  caseId: string | null;
  transferredFromCallId: string | null;
  enteredQueueAt: string | null;
  offeredAt: string | null;
  answeredAt: string | null;
  heldMs: number;
  endedAt: string | null;
  wrapUpEndedAt: string | null;
  outcome: string;
  dispositionId: string | null;
  /** Queue entry to answer; null when not answered. */
  answerWaitMs: number | null;
  /** Answer to hang-up, less time on hold. */
  talkMs: number | null;
  wrapUpMs: number | null;
  /** talk + hold + wrap-up. */
  handleMs: number | null;
  /** Answered within the service-level target; null when not answered or not queued. */
  withinTarget: boolean | null;
  /** How many handlers the call was offered to. */
  offers: number;
}

export interface HandlerStateEntry {
  handlerId: string;
  state: HandlerState;
  breakReason: string | null;
  callId: string | null;
  at: string;
}

/** Today's counts per queue, to start the live figures from after a restart. */
export interface QueueDayTotals {
  queueId: string;
  answered: number;
  abandoned: number;
  answeredWithinTarget: number;
  totalAnswerWaitMs: number;
}

type CallRow = Database['calls'];

function recordToRow(record: CallRecord, recordedAt: string): CallRow {
  return {
    id: record.id,
    provider: record.provider,
    provider_call_id: record.providerCallId,
    direction: record.direction,
    queue_id: record.queueId,
    case_type: record.caseType,
    from_number: record.from,
    handler_id: record.handlerId,
    team_id: record.teamId,
    case_id: record.caseId,
    transferred_from: record.transferredFromCallId,
    entered_queue_at: record.enteredQueueAt,
    offered_at: record.offeredAt,
    answered_at: record.answeredAt,
    held_ms: record.heldMs,
    ended_at: record.endedAt,
    wrap_up_ended_at: record.wrapUpEndedAt,
    outcome: record.outcome,
    disposition_id: record.dispositionId,
    answer_wait_ms: record.answerWaitMs,
    talk_ms: record.talkMs,
    wrap_up_ms: record.wrapUpMs,
    handle_ms: record.handleMs,
    within_target: record.withinTarget === null ? null : record.withinTarget ? 1 : 0,
    offers: record.offers,
    recorded_at: recordedAt,
  };
}

const numberOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

function rowToRecord(row: CallRow): CallRecord {
  return {
    id: row.id,
    provider: row.provider as Call['provider'],
    providerCallId: row.provider_call_id,
    direction: row.direction as Call['direction'],
    queueId: row.queue_id,
    caseType: row.case_type,
    from: row.from_number,
    handlerId: row.handler_id,
    teamId: row.team_id,
    caseId: row.case_id,
    transferredFromCallId: row.transferred_from,
    enteredQueueAt: row.entered_queue_at,
    offeredAt: row.offered_at,
    answeredAt: row.answered_at,
    heldMs: Number(row.held_ms),
    endedAt: row.ended_at,
    wrapUpEndedAt: row.wrap_up_ended_at,
    outcome: row.outcome,
    dispositionId: row.disposition_id,
    answerWaitMs: numberOrNull(row.answer_wait_ms),
    talkMs: numberOrNull(row.talk_ms),
    wrapUpMs: numberOrNull(row.wrap_up_ms),
    handleMs: numberOrNull(row.handle_ms),
    withinTarget: row.within_target === null ? null : Number(row.within_target) === 1,
    offers: Number(row.offers),
  };
}

/** The telephony tables over the central store's Kysely handle (SQLite or PostgreSQL alike). */
export function createTelephonyStore(db: Kysely<Database>, clock: { now(): number } = Date) {
  return {
    /** Writes a finished call. A second write of the same call (a retry, a repeated callback) changes nothing. */
    async recordCall(record: CallRecord): Promise<boolean> {
      const result = await db
        .insertInto('calls')
        .values(recordToRow(record, new Date(clock.now()).toISOString()))
        .onConflict((conflict) => conflict.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async getCall(id: string): Promise<CallRecord | null> {
      const row = await db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? rowToRecord(row) : null;
    },

    /** Calls that ended (or were abandoned) in [from, to), oldest first: what reports read. */
    async callsEndedBetween(from: string, to: string): Promise<CallRecord[]> {
      const rows = await db.selectFrom('calls').selectAll().where('ended_at', '>=', from).where('ended_at', '<', to).orderBy('ended_at').orderBy('id').execute();
      return rows.map(rowToRecord);
    },

    /** Links a case to a finished call of this handler's; false when there is no such call. */
    async linkCase(callId: string, caseId: string, handlerId: string): Promise<boolean> {
      const result = await db.updateTable('calls').set({ case_id: caseId }).where('id', '=', callId).where('handler_id', '=', handlerId).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async logHandlerStates(entries: readonly HandlerStateEntry[]): Promise<void> {
      if (entries.length === 0) return;
      await db
        .insertInto('handler_state_log')
        .values(entries.map((entry) => ({ handler_id: entry.handlerId, state: entry.state, break_reason: entry.breakReason, call_id: entry.callId, at: entry.at })))
        .execute();
    },

    /** A handler's state changes in [from, to), in order. */
    async handlerStatesBetween(handlerId: string, from: string, to: string): Promise<HandlerStateEntry[]> {
      const rows = await db
        .selectFrom('handler_state_log')
        .selectAll()
        .where('handler_id', '=', handlerId)
        .where('at', '>=', from)
        .where('at', '<', to)
        .orderBy('at')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ handlerId: row.handler_id, state: row.state as HandlerState, breakReason: row.break_reason, callId: row.call_id, at: row.at }));
    },

    /** Replaces a handler's skills with these queues. */
    async setSkills(handlerId: string, queueIds: readonly string[]): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('handler_skills').where('handler_id', '=', handlerId).execute();
        if (queueIds.length > 0) await tx.insertInto('handler_skills').values([...new Set(queueIds)].map((queueId) => ({ handler_id: handlerId, queue_id: queueId }))).execute();
      });
    },

    /** Every handler's skills; a handler with none set is not in the map. */
    async allSkills(): Promise<Map<string, string[]>> {
      const rows = await db.selectFrom('handler_skills').selectAll().orderBy('handler_id').orderBy('queue_id').execute();
      const skills = new Map<string, string[]>();
      for (const row of rows) {
        const list = skills.get(row.handler_id) ?? [];
        list.push(row.queue_id);
        skills.set(row.handler_id, list);
      }
      return skills;
    },

    /** Today's answered and abandoned counts per queue, for calls that joined a queue at or after `since`. */
    async queueTotalsSince(since: string): Promise<QueueDayTotals[]> {
      const rows = await db
        .selectFrom('calls')
        .select((eb) => [
          'queue_id',
          eb.fn.sum<number>(eb.case().when('answered_at', 'is not', null).then(1).else(0).end()).as('answered'),
          eb.fn.sum<number>(eb.case().when('outcome', '=', 'abandoned').then(1).else(0).end()).as('abandoned'),
          eb.fn.sum<number>(eb.case().when('within_target', '=', 1).then(1).else(0).end()).as('within_target'),
          eb.fn.sum<number>(eb.fn.coalesce('answer_wait_ms', eb.lit(0))).as('wait_ms'),
        ])
        .where('entered_queue_at', '>=', since)
        .where('queue_id', 'is not', null)
        .groupBy('queue_id')
        .execute();
      return rows.map((row) => ({
        queueId: row.queue_id!,
        answered: Number(row.answered ?? 0),
        abandoned: Number(row.abandoned ?? 0),
        answeredWithinTarget: Number(row.within_target ?? 0),
        totalAnswerWaitMs: Number(row.wait_ms ?? 0),
      }));
    },
  };
}

export type TelephonyStore = ReturnType<typeof createTelephonyStore>;
