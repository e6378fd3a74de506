import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { caseFieldsSchema, crossFieldIssues, type CaseFields } from '../../src-shared/domain/case-record';
import type { Channel } from '../../src-shared/domain/case-types';
import { encodeReference, referenceKey, RESERVED_DESK_TAG_MIN, SEQUENCE_MAX, SERVER_DESK_TAGS } from '../../src-shared/domain/reference-number';
import type { Actor, CentralStore, NewChange, ServerCase, ServerCaseEvent } from '../store/central-store';
import { StoreRefusal } from '../store/central-store';
import type { Database } from '../store/schema';

/**
 * The reference desk tag of cases the central API makes itself (web form, SMS, email, social). Desks draw their tags
 * at random below {@link RESERVED_DESK_TAG_MIN}; the demo history has 16,383 and {@link DECOY_DESK_TAG} is never stored.
 */
export const INTAKE_DESK_TAG = SERVER_DESK_TAGS.intake;
/** The tag of the made-up reference a caught spam bot is shown: no case ever has it, so it can never lead to one. */
export const DECOY_DESK_TAG = SERVER_DESK_TAGS.decoy;
/** Tags from here up are the server's; a desk must not draw them. */
export { RESERVED_DESK_TAG_MIN };

/**
 * The account that makes intake cases and owns them until a handler claims one: disabled, in no team, with no
 * password that any input can match, so no one can sign in as it. It is written the first time intake makes a case
 * (not by a migration, so a fresh store still counts as having no users until its first administrator).
 */
export const INTAKE_USER = { id: 'intake', email: 'intake@care-connect.invalid', name: 'Online contact' } as const;

/** Timeline event kinds intake adds to the store's own ('created', 'field', 'note', 'status'). */
export const intakeEventKinds = ['message'] as const;

export type IntakeChannel = Extract<Channel, 'web' | 'sms' | 'email' | 'social'>;
export type MessageDirection = 'inbound' | 'outbound';

/**
 * The `value` of a 'message' event. `body` holds the text; the value never holds a number or an address (the case
 * has those), only what a desk needs to show the message in its thread.
 */
export interface MessageEventValue {
  direction: MessageDirection;
  channel: IntakeChannel;
  /** The provider's id: Twilio's MessageSid, an email's Message-ID, a social post's id. */
  externalId: string | null;
  /** Email only. */
  subject?: string;
  /** Social only: 'post' or 'direct-message', and the post's link. */
  socialKind?: 'post' | 'direct-message';
  platform?: string;
  url?: string;
  /** Attachments that were sent but not kept (pictures by MMS, email attachments). */
  attachmentsNotKept?: number;
}

const authorNames: Record<IntakeChannel, string> = {
  web: 'Patient (web form)',
  sms: 'Patient (SMS)',
  email: 'Patient (email)',
  social: 'Patient (social media)',
};

/** A message arriving by SMS, email or a social network. */
export interface InboundMessage {
  channel: Exclude<IntakeChannel, 'web'>;
  /** Where it came from, in stored form: E.164, a normalised email address, `platform:account`. Never logged. */
  address: string;
  /** The timeline event id: made from the provider's message id, so a webhook delivered twice is kept once. */
  eventId: string;
  body: string;
  value: MessageEventValue;
  at: string;
}

/** A case to create: its fields (already validated), and the caller and message that come with it. */
export interface NewIntakeCase {
  teamId: string;
  fields: CaseFields;
  /** A caller record when a name or a number is known; an existing caller of the team with the number is reused. */
  caller?: { phone: string | null; name: string | null };
  thread?: { address: string };
  message?: InboundMessage;
}

export interface IntakeOutcome {
  case: ServerCase;
  /** False when the message continued an open case; true when a case was made for it. */
  created: boolean;
  /** False when the same message had been received before (a webhook delivered again): nothing was written. */
  stored: boolean;
  event: ServerCaseEvent | null;
}

type Tx = Transaction<Database>;

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function rowToCase(row: Database['cases']): ServerCase {
  return {
    id: row.id,
    reference: row.reference,
    teamId: row.team_id,
    ownerId: row.owner_id,
    createdBy: row.created_by,
    status: row.status as ServerCase['status'],
    fields: JSON.parse(row.fields) as CaseFields,
    fieldSeqs: JSON.parse(row.field_seqs) as ServerCase['fieldSeqs'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    version: Number(row.version),
  };
}

function eventToRow(event: ServerCaseEvent): Database['case_events'] {
  return { id: event.id, case_id: event.caseId, kind: event.kind, field: event.field, value: json(event.value), body: event.body, author_id: event.authorId, author_name: event.authorName, at: event.at, seq: event.seq };
}

/**
 * Intake's writes to the central store. Each is one transaction holding the case, its timeline events, its caller
 * and thread, and their change-log rows (taken last, through the store's `recordChanges`, as a push does), so a desk
 * pulls a new contact whole or not at all, and a refused one leaves nothing behind.
 */
export function createIntakeStore(store: CentralStore, clock: { now(): number }) {
  const { db } = store;
  const now = () => new Date(clock.now()).toISOString();
  let intakeUserWritten = false;

  async function ensureIntakeUser(tx: Tx): Promise<void> {
    if (intakeUserWritten) return;
    await tx
      .insertInto('users')
      .values({ id: INTAKE_USER.id, email: INTAKE_USER.email, name: INTAKE_USER.name, role: 'handler', password_hash: '!', disabled: 1, created_at: now() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  /**
   * Two messages from one address at the same moment must not make two cases: on PostgreSQL the address is locked
   * for the transaction; SQLite runs one writer at a time anyway.
   */
  async function lockAddress(tx: Tx, channel: string, address: string): Promise<void> {
    if (store.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${`intake:${channel}:${address}`}))`.execute(tx);
  }

  async function nextReference(tx: Tx): Promise<string> {
    const taken = await tx.updateTable('counters').set({ value: sql<number>`value + 1` }).where('name', '=', 'intake-reference').returning('value').executeTakeFirstOrThrow();
    const sequence = Number(taken.value);
    if (sequence > SEQUENCE_MAX) throw new Error('The central API has used up its case references; give intake a second desk tag.');
    return encodeReference(INTAKE_DESK_TAG, sequence);
  }

  async function eventExists(tx: Tx, eventId: string): Promise<boolean> {
    return (await tx.selectFrom('case_events').select('id').where('id', '=', eventId).executeTakeFirst()) !== undefined;
  }

  function messageEvent(caseId: string, message: InboundMessage): ServerCaseEvent {
    return { id: message.eventId, caseId, kind: 'message', field: null, value: message.value, body: message.body, authorId: INTAKE_USER.id, authorName: authorNames[message.channel], at: message.at, seq: 0 };
  }

  /** Writes the events after the change numbers are taken (they hold them), then returns. */
  async function commit(tx: Tx, changes: NewChange[], events: ServerCaseEvent[]): Promise<void> {
    await store.recordChanges(tx, changes);
    if (events.length > 0) await tx.insertInto('case_events').values(events.map(eventToRow)).execute();
  }

  function eventChange(teamId: string, event: ServerCaseEvent, at: string, seqOf?: () => number): NewChange {
    return {
      teamId,
      entity: 'caseEvent',
      entityId: event.id,
      data: event,
      at,
      numbered: (seq) => {
        event.seq = seqOf ? seqOf() : seq;
      },
    };
  }

  async function createInside(tx: Tx, input: NewIntakeCase): Promise<IntakeOutcome> {
    const checked = caseFieldsSchema.safeParse(input.fields);
    if (!checked.success) throw new StoreRefusal(422, checked.error.issues[0]?.message ?? 'The case is not valid.');
    const issue = crossFieldIssues(checked.data)[0];
    if (issue) throw new StoreRefusal(422, issue.message);
    await ensureIntakeUser(tx);
    const at = now();
    const changes: NewChange[] = [];
    const events: ServerCaseEvent[] = [];
    let callerId: string | null = null;
    if (input.caller && (input.caller.phone || input.caller.name)) {
      const known = input.caller.phone
        ? await tx.selectFrom('callers').select('id').where('team_id', '=', input.teamId).where('phone', '=', input.caller.phone).executeTakeFirst()
        : undefined;
      if (known) callerId = known.id;
      else {
        callerId = randomUUID();
        const caller = { id: callerId, teamId: input.teamId, phone: input.caller.phone, name: input.caller.name, flags: [] as string[], updatedAt: at };
        await tx.insertInto('callers').values({ id: callerId, team_id: input.teamId, phone: caller.phone, name: caller.name, flags: '[]', updated_at: at }).execute();
        changes.push({ teamId: input.teamId, entity: 'caller', entityId: callerId, data: caller, at });
      }
    }
    const created: ServerCase = {
      id: randomUUID(),
      reference: await nextReference(tx),
      teamId: input.teamId,
      ownerId: INTAKE_USER.id,
      createdBy: INTAKE_USER.id,
      status: 'open',
      fields: { ...checked.data, callerId },
      fieldSeqs: {},
      createdAt: input.message?.at ?? at,
      updatedAt: at,
      closedAt: null,
      version: 1,
    };
    await tx
      .insertInto('cases')
      .values({
        id: created.id,
        reference: created.reference,
        reference_key: referenceKey(created.reference),
        team_id: created.teamId,
        owner_id: created.ownerId,
        created_by: created.createdBy,
        type: created.fields.type,
        channel: created.fields.channel,
        status: created.status,
        fields: json(created.fields),
        field_seqs: json(created.fieldSeqs),
        created_at: created.createdAt,
        updated_at: created.updatedAt,
        closed_at: null,
        version: 1,
      })
      .execute();
    if (input.thread) await tx.insertInto('intake_threads').values({ case_id: created.id, channel: created.fields.channel, address: input.thread.address, created_at: at }).execute();
    let caseSeq = 0;
    changes.push({ teamId: created.teamId, entity: 'case', entityId: created.id, data: created, at, numbered: (seq) => (caseSeq = seq) });
    const createdEvent: ServerCaseEvent = {
      id: `${created.id}:created`,
      caseId: created.id,
      kind: 'created',
      field: null,
      value: { type: created.fields.type, channel: created.fields.channel, reference: created.reference },
      body: null,
      authorId: INTAKE_USER.id,
      authorName: INTAKE_USER.name,
      at: created.createdAt,
      seq: 0,
    };
    events.push(createdEvent);
    // As with a desk's case, the creation event carries the case's own change number.
    changes.push(eventChange(created.teamId, createdEvent, at, () => caseSeq));
    let message: ServerCaseEvent | null = null;
    if (input.message) {
      message = messageEvent(created.id, input.message);
      events.push(message);
      changes.push(eventChange(created.teamId, message, at));
    }
    await commit(tx, changes, events);
    return { case: created, created: true, stored: true, event: message };
  }

  async function caseById(tx: Tx, caseId: string): Promise<ServerCase | null> {
    const row = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    return row ? rowToCase(row) : null;
  }

  async function appendInside(tx: Tx, target: ServerCase, message: InboundMessage): Promise<IntakeOutcome> {
    const event = messageEvent(target.id, message);
    await commit(tx, [eventChange(target.teamId, event, now())], [event]);
    return { case: target, created: false, stored: true, event };
  }

  return {
    /** A case from the web form: no thread, the caller's words in the description. */
    async createCase(input: NewIntakeCase): Promise<IntakeOutcome> {
      const outcome = await db.transaction().execute((tx) => createInside(tx, input));
      intakeUserWritten = true;
      return outcome;
    },

    /**
     * An inbound message: kept once (by its event id), on the case `pick` chooses among the address's open cases,
     * or on a new case made by `create` when it chooses none.
     */
    async receive(
      message: InboundMessage,
      route: {
        /** A case named by the message itself (a reference in an email's subject), tried before the address's open case. */
        named?: (tx: Tx) => Promise<ServerCase | null>;
        /** Whether a message with no named case continues the address's open case (SMS, social) or starts a new one. */
        continueOpenThread: boolean;
        create: () => Promise<NewIntakeCase>;
      },
    ): Promise<IntakeOutcome> {
      const outcome = await db.transaction().execute(async (tx) => {
        await lockAddress(tx, message.channel, message.address);
        if (await eventExists(tx, message.eventId)) {
          const row = await tx.selectFrom('case_events').select('case_id').where('id', '=', message.eventId).executeTakeFirstOrThrow();
          return { case: (await caseById(tx, row.case_id))!, created: false, stored: false, event: null };
        }
        const named = route.named ? await route.named(tx) : null;
        if (named) return appendInside(tx, named, message);
        if (route.continueOpenThread) {
          const open = await tx
            .selectFrom('intake_threads')
            .innerJoin('cases', 'cases.id', 'intake_threads.case_id')
            .select('cases.id')
            .where('intake_threads.channel', '=', message.channel)
            .where('intake_threads.address', '=', message.address)
            .where('cases.closed_at', 'is', null)
            .orderBy('cases.created_at', 'desc')
            .limit(1)
            .executeTakeFirst();
          if (open) return appendInside(tx, (await caseById(tx, open.id))!, message);
        }
        return createInside(tx, { ...(await route.create()), thread: { address: message.address }, message });
      });
      if (outcome.created) intakeUserWritten = true;
      return outcome;
    },

    /** The case with this reference and the addresses its thread has, for threading an email by its subject. */
    async byReference(tx: Tx, reference: string): Promise<{ case: ServerCase; addresses: string[] } | null> {
      // By its key (see `referenceKey`); a row an older instance wrote beside this one has none, and is found by its
      // text through a small index of only such rows.
      const key = referenceKey(reference);
      const row =
        (key === null ? undefined : await tx.selectFrom('cases').selectAll().where('reference_key', '=', key).where('reference', '=', reference).orderBy('created_at').executeTakeFirst()) ??
        (await tx.selectFrom('cases').selectAll().where('reference_key', 'is', null).where('reference', '=', reference).orderBy('created_at').executeTakeFirst());
      if (!row) return null;
      const threads = await tx.selectFrom('intake_threads').select('address').where('case_id', '=', row.id).execute();
      return { case: rowToCase(row), addresses: threads.map((thread) => thread.address) };
    },

    /** A case the actor may reply on (in one of their teams), with its thread's address and last inbound message. */
    async replyTarget(actor: Actor, caseId: string): Promise<{ case: ServerCase; address: string | null; lastInbound: ServerCaseEvent | null } | null> {
      const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
      if (!row || actor.role === 'admin' || !actor.teamIds.includes(row.team_id)) return null;
      const thread = await db.selectFrom('intake_threads').select('address').where('case_id', '=', caseId).executeTakeFirst();
      const last = await db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).where('kind', '=', 'message').orderBy('seq', 'desc').limit(20).execute();
      const inbound = last.map((e) => ({ ...e, value: JSON.parse(e.value ?? 'null') as MessageEventValue })).find((e) => e.value?.direction === 'inbound');
      return {
        case: rowToCase(row),
        address: thread?.address ?? null,
        lastInbound: inbound
          ? { id: inbound.id, caseId: inbound.case_id, kind: inbound.kind, field: inbound.field, value: inbound.value, body: inbound.body, authorId: inbound.author_id, authorName: inbound.author_name, at: inbound.at, seq: Number(inbound.seq) }
          : null,
      };
    },

    /** An event already recorded with this id, for a retried reply. */
    async findEvent(eventId: string): Promise<ServerCaseEvent | null> {
      const e = await db.selectFrom('case_events').selectAll().where('id', '=', eventId).executeTakeFirst();
      return e ? { id: e.id, caseId: e.case_id, kind: e.kind, field: e.field, value: JSON.parse(e.value ?? 'null'), body: e.body, authorId: e.author_id, authorName: e.author_name, at: e.at, seq: Number(e.seq) } : null;
    },

    /** Records a reply that was sent, by its author, on the case's timeline, with its change for the team's desks. */
    async recordOutbound(actor: Actor, target: ServerCase, input: { eventId: string; body: string; value: MessageEventValue }): Promise<ServerCaseEvent> {
      return db.transaction().execute(async (tx) => {
        const at = now();
        const event: ServerCaseEvent = { id: input.eventId, caseId: target.id, kind: 'message', field: null, value: input.value, body: input.body, authorId: actor.userId, authorName: actor.name, at, seq: 0 };
        await commit(tx, [eventChange(target.teamId, event, at)], [event]);
        return event;
      });
    },

    /** The team that takes new contacts when no team is configured: the oldest (by name among equals). Null when there is none. */
    async firstTeamId(): Promise<string | null> {
      const row = await db.selectFrom('teams').select('id').orderBy('created_at').orderBy('name').limit(1).executeTakeFirst();
      return row?.id ?? null;
    },

    async teamExists(teamId: string): Promise<boolean> {
      return (await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()) !== undefined;
    },

    /** The active providers, for the web form's list. */
    async activeProviders(): Promise<{ id: string; name: string }[]> {
      const rows = await db.selectFrom('providers').select(['id', 'name']).where('active', '=', 1).orderBy('name').execute();
      return rows;
    },
  };
}

export type IntakeStore = ReturnType<typeof createIntakeStore>;
