import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema';

/**
 * What the API keeps about Twilio calls, in the central store so any API instance can act on any call:
 * - each status callback once, keyed by (SID, status or sequence number), because Twilio repeats a callback it
 *   thinks was lost and the routing engine must hear of a hang-up once;
 * - each call's conference: its name, its SID once Twilio reports it, and the handler's leg (needed to coach).
 * No caller number or anything the caller said is stored here.
 */
export interface TwilioCallRecord {
  providerCallId: string;
  callId: string | null;
  conferenceName: string;
  conferenceSid: string | null;
  handlerId: string | null;
  handlerCallSid: string | null;
  /** During a warm transfer: the colleague consulted, and their leg. */
  consultHandlerId: string | null;
  consultCallSid: string | null;
  direction: 'inbound' | 'outbound';
}

function rowToRecord(row: Database['twilio_calls']): TwilioCallRecord {
  return {
    providerCallId: row.provider_call_id,
    callId: row.call_id,
    conferenceName: row.conference_name,
    conferenceSid: row.conference_sid,
    handlerId: row.handler_id,
    handlerCallSid: row.handler_call_sid,
    consultHandlerId: row.consult_handler_id,
    consultCallSid: row.consult_call_sid,
    direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
  };
}

export function createTwilioCallStore(db: Kysely<Database>, clock: { now(): number }) {
  const now = () => new Date(clock.now()).toISOString();
  return {
    /**
     * Records one callback event; true the first time this (sid, key) is seen, false for a repeat. The primary key
     * decides, so two API instances receiving the same repeat cannot both act on it.
     */
    async recordEvent(sid: string, key: string, status: string): Promise<boolean> {
      const result = await db
        .insertInto('twilio_status_events')
        .values({ sid, event_key: key, status, received_at: now() })
        .onConflict((conflict) => conflict.columns(['sid', 'event_key']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },

    async eventsFor(sid: string): Promise<{ key: string; status: string }[]> {
      const rows = await db.selectFrom('twilio_status_events').select(['event_key', 'status']).where('sid', '=', sid).orderBy('received_at').orderBy('event_key').execute();
      return rows.map((row) => ({ key: row.event_key, status: row.status }));
    },

    /** Remembers a call's conference; a repeat for the same call keeps the first. Returns the record kept. */
    async saveCall(record: Pick<TwilioCallRecord, 'providerCallId' | 'callId' | 'conferenceName' | 'direction'> & Partial<TwilioCallRecord>): Promise<TwilioCallRecord> {
      const at = now();
      await db
        .insertInto('twilio_calls')
        .values({
          provider_call_id: record.providerCallId,
          call_id: record.callId,
          conference_name: record.conferenceName,
          conference_sid: record.conferenceSid ?? null,
          handler_id: record.handlerId ?? null,
          handler_call_sid: record.handlerCallSid ?? null,
          consult_handler_id: null,
          consult_call_sid: null,
          direction: record.direction,
          created_at: at,
          updated_at: at,
        })
        .onConflict((conflict) => conflict.column('provider_call_id').doNothing())
        .execute();
      return (await this.findCall(record.providerCallId))!;
    },

    async findCall(providerCallId: string): Promise<TwilioCallRecord | null> {
      const row = await db.selectFrom('twilio_calls').selectAll().where('provider_call_id', '=', providerCallId).executeTakeFirst();
      return row ? rowToRecord(row) : null;
    },

    async findByConferenceName(conferenceName: string): Promise<TwilioCallRecord | null> {
      const row = await db.selectFrom('twilio_calls').selectAll().where('conference_name', '=', conferenceName).executeTakeFirst();
      return row ? rowToRecord(row) : null;
    },

    async setConferenceSid(conferenceName: string, conferenceSid: string): Promise<void> {
      await db.updateTable('twilio_calls').set({ conference_sid: conferenceSid, updated_at: now() }).where('conference_name', '=', conferenceName).execute();
    },

    async setHandler(providerCallId: string, handlerId: string, handlerCallSid: string | null): Promise<void> {
      await db.updateTable('twilio_calls').set({ handler_id: handlerId, handler_call_sid: handlerCallSid, updated_at: now() }).where('provider_call_id', '=', providerCallId).execute();
    },

    async setConsult(providerCallId: string, consult: { handlerId: string; callSid: string } | null): Promise<void> {
      await db
        .updateTable('twilio_calls')
        .set({ consult_handler_id: consult?.handlerId ?? null, consult_call_sid: consult?.callSid ?? null, updated_at: now() })
        .where('provider_call_id', '=', providerCallId)
        .execute();
    },
  };
}

export type TwilioCallStore = ReturnType<typeof createTwilioCallStore>;
