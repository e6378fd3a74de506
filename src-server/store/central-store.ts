import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { Role, Team, User } from '../../src-shared/api/people';
import { defaultCaseFields, validateField, type CaseFieldName, type CaseFields } from '../../src-shared/domain/case-record';
import { referenceKey } from '../../src-shared/domain/reference-number';
import { canTransition, isOpenStatus, type CaseStatus } from '../../src-shared/domain/statuses';
import { problemTypes } from '../../src-shared/problem';
import { caseOpenReasons, caseShownReasons, type ChangeEntity, type Mutation, type PullResponse, type PushResponse } from '../../src-shared/sync/protocol';
import type { Database } from './schema';
import { isUniqueViolation, userChanges } from './reference-store';
import { createPushedState, type KnownState } from './pushed-state';
import { postgresSyncWrites, sqliteSyncWrites, type AuditRow, type BatchRows, type CaseEventRow, type CaseRow, type CaseUpdate, type ChangeRow, type ConflictRow, type PushRead, type SyncClientRow, type SyncWrites } from './sync-writes';

export type Dialect = 'sqlite' | 'postgres';

/** Who is asking: the signed-in user, with the teams whose cases they may see. */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  teamIds: string[];
}

export interface UserWithSecret extends User {
  passwordHash: string;
  /** Their session generation as read with the password hash: a session for this password is given out in it. */
  sessionGeneration: number;
}

/** What a person may do now (`userAccess`). */
export interface UserAccess {
  role: Role;
  teamIds: string[];
  disabled: boolean;
  /** How many times their sessions were ended (a new password, a disabled account, a copied refresh token): tokens of an earlier generation are refused. */
  sessionGeneration: number;
  /** When their sessions were last ended, by the clock of the instance that ended them: for tokens that carry no generation. */
  sessionsFrom: string | null;
  /** That last ending was made by an instance older than generations, so counted none: tokens are also checked against its time. */
  lastEndingUncounted: boolean;
}

/** How the lock-out counts a sign-in attempt (`countSignInAttempt`). */
export interface SignInFailurePolicy {
  /** When this attempt came. */
  at: string;
  /** A count whose last attempt is before this time starts again (and such rows go), unless its lock still holds. */
  countSince: string;
  /** The attempt that locks: this many in the window without a right password. */
  lockAfter: number;
  /** When a lock this attempt makes would end. */
  lockUntil: string;
}

export interface FieldSeq {
  seq: number;
  by: string;
  byName: string;
  at: string;
}

/** A case as the central API holds it. */
export interface ServerCase {
  id: string;
  reference: string;
  teamId: string;
  ownerId: string;
  createdBy: string;
  status: CaseStatus;
  fields: CaseFields;
  fieldSeqs: Partial<Record<CaseFieldName | 'status', FieldSeq>>;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
}

export interface ServerCaseEvent {
  id: string;
  caseId: string;
  kind: string;
  field: string | null;
  value: unknown;
  body: string | null;
  authorId: string;
  authorName: string;
  at: string;
  seq: number;
}

export interface ConflictRecord {
  id: string;
  caseId: string;
  field: string;
  kind: 'stale-edit' | 'refused';
  losingValue: unknown;
  losingBy: string;
  losingByName: string;
  losingAt: string;
  winningValue: unknown;
  winningBy: string | null;
  winningByName: string | null;
  winningAt: string | null;
  reason: string;
  seq: number;
}

export class StoreRefusal extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    message: string,
    readonly detail: Record<string, unknown> = {},
    /** The problem type to answer with, when the status alone does not say it (a sync gap). */
    readonly type?: string,
  ) {
    super(message);
    this.name = 'StoreRefusal';
  }
}

/** Teams every client pulls, whatever its own: reference data. */
const EVERYONE = '*';

type Tx = Transaction<Database> | Kysely<Database>;

/** How many times a PostgreSQL push is tried without locks before it takes them (see `push`). */
const UNLOCKED_ATTEMPTS = 3;

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** The time a desk says it showed a case, but never later than `serverAt`, the server's time (a desk's clock may be ahead). */
function notAfter(deskAt: string, serverAt: string): string {
  return Date.parse(deskAt) > Date.parse(serverAt) ? serverAt : deskAt;
}

function parse<T>(text: string | null): T {
  return (text === null ? null : JSON.parse(text)) as T;
}

function rowToUser(row: Selectable<Database['users']>, teamIds: string[]): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    teamIds,
    disabled: Number(row.disabled) === 1,
    createdAt: row.created_at,
  };
}

function rowToCase(row: Database['cases']): ServerCase {
  return {
    id: row.id,
    reference: row.reference,
    teamId: row.team_id,
    ownerId: row.owner_id,
    createdBy: row.created_by,
    status: row.status as CaseStatus,
    fields: parse<CaseFields>(row.fields),
    fieldSeqs: parse<ServerCase['fieldSeqs']>(row.field_seqs),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    version: Number(row.version),
  };
}

/**
 * A change-log row to record (see `recordChanges`). `numbered` is called with the row's change number before the row
 * is written, and may fill in `entityId` and `data` (an object that holds its own number, or an id made from it). A
 * push on PostgreSQL calls it with a placeholder (a negative number) that its write's statement makes real, in the
 * places a push puts numbers: change rows, events' numbers and server-made ids, case rows' field change numbers, and
 * conflicts' numbers (see `postgresSyncWrites`).
 */
export interface NewChange {
  teamId: string;
  entity: ChangeEntity;
  entityId: string;
  data: unknown;
  at: string;
  numbered?: (seq: number) => void;
  /**
   * The change's entity has a row that holds everything the change would, written in the same transaction: a
   * timeline event's `case_events` row (same id), or a pushed case's `cases` row. The change row then stores no data
   * (`DATA_IN_ENTITY_ROW`) and a pull reads the entity's row instead, so a push writes each case and event once.
   */
  dataInEntityRow?: true;
}

/**
 * The `data` of a change-log row whose data is its entity's own row (see `NewChange.dataInEntityRow`). Never valid
 * JSON, so never mistaken for stored data.
 */
const DATA_IN_ENTITY_ROW = '';

/** A change-log row as a pull reads it: with its entity's row when that row holds its data. */
interface PulledRow {
  seq: number;
  entity: string;
  entity_id: string;
  data: string;
  at: string;
  event: Database['case_events'] | null;
  /** What a desk is sent of a case (its reference key is the store's own). */
  case: Omit<Database['cases'], 'reference_key'> | null;
}

/**
 * The JSON text of a pulled row's data: as stored, or built from its entity's columns: a timeline event as
 * `ServerCaseEvent` (`value` spliced in as the JSON text it is stored as), a case as `ServerCase` (`fields` and
 * `fieldSeqs` likewise). A case is read as it is now, which may be newer than the push that wrote the change row:
 * every later state of it has a later change row too, so a desk still ends each page with the case's newest state.
 */
function pulledDataJson(row: PulledRow): string {
  if (row.data !== DATA_IN_ENTITY_ROW) return row.data;
  // The entity's row is written in the same transaction as the change row and never deleted; `null` would make a
  // desk skip the change (and log it) rather than stop syncing.
  const text = JSON.stringify;
  if (row.entity === 'case') {
    const c = row.case;
    if (c === null) return 'null';
    return `{"id":${text(c.id)},"reference":${text(c.reference)},"teamId":${text(c.team_id)},"ownerId":${text(c.owner_id)},"createdBy":${text(c.created_by)},"status":${text(c.status)},"fields":${c.fields},"fieldSeqs":${c.field_seqs},"createdAt":${text(c.created_at)},"updatedAt":${text(c.updated_at)},"closedAt":${text(c.closed_at)},"version":${Number(c.version)}}`;
  }
  const event = row.event;
  if (event === null) return 'null';
  return `{"id":${text(event.id)},"caseId":${text(event.case_id)},"kind":${text(event.kind)},"field":${text(event.field)},"value":${event.value ?? 'null'},"body":${text(event.body)},"authorId":${text(event.author_id)},"authorName":${text(event.author_name)},"at":${text(event.at)},"seq":${Number(event.seq)}}`;
}

/** What a push's mutations name (see `namedBy`). */
interface Named {
  caseIds: string[];
  eventIds: string[];
  /**
   * The cases named only by reports of lists shown (`cases.listed`), not among `caseIds`: the push needs to know
   * only which of them exist, not their rows, and never locks them (a list may show a whole team's busiest cases).
   */
  listedIds: string[];
  /** The cases it may change: a case only reported opened must exist, but may change meanwhile. */
  changing: Set<string>;
  /** The cases it creates. */
  creating: Set<string>;
}

/** A case as one push sees it: as read before the push, then as each of its mutations leaves it. */
interface BatchCase {
  current: ServerCase;
  /** The type and channel the case was created with (its columns; the fields may change them later). */
  type: string;
  channel: string;
  /** Its reference key (see `referenceKey`), worked out once, when the push creates it. */
  referenceKey: number | null;
  isNew: boolean;
  dirty: boolean;
}

export interface CentralStoreOptions {
  /** The SQLite store's own connection, which Kysely also uses: pushes run raw prepared statements on it. */
  sqlite?: BetterSqlite3.Database;
}

/**
 * The central API's store: one implementation over Kysely, run on SQLite or PostgreSQL. Every operation that writes
 * does it in one transaction, including the change-log rows that clients pull and the client's last mutation id.
 * Change numbers come from a counter row that a writer updates once, at the end of its transaction (taking all the
 * numbers it needs in one step), and on PostgreSQL that update holds the row's lock until the writer commits (a push
 * there takes them in the statement that writes it, which commits on its own); on SQLite writers run one at a time.
 * So writers take numbers in commit order, and a pull can never skip a change that commits late.
 */
export function createCentralStore(db: Kysely<Database>, dialect: Dialect, clock: { now(): number } = Date, options: CentralStoreOptions = {}) {
  const now = () => new Date(clock.now()).toISOString();

  const writes: SyncWrites = options.sqlite ? sqliteSyncWrites(options.sqlite) : postgresSyncWrites();
  /** PostgreSQL: what pushes through this API last committed, so the next push of the same case can skip its read. */
  const pushedState = createPushedState();

  /**
   * Records change-log rows inside the caller's transaction and returns their numbers, in list order. All the numbers
   * are taken in one counter update, and on PostgreSQL that update locks the counter row until the transaction
   * commits: so a writer must call this last, once per transaction, after its other writes and locks. Each row's
   * `numbered` runs first, in order, with the row's number, for data that holds its own number (or an id made from it).
   */
  async function recordChanges(tx: Tx, rows: readonly NewChange[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const first = await writes.takeChangeNumbers(tx, rows.length);
    const numbered = changeRows(rows, (index) => first + index);
    await writes.insertChanges(tx, numbered);
    return numbered.map((row) => row.seq);
  }

  /** The change-log rows to write for `rows`, the i-th numbered `numberOf(i)`; runs each row's `numbered` first, in order. */
  function changeRows(rows: readonly NewChange[], numberOf: (index: number) => number): ChangeRow[] {
    return rows.map((row, i) => {
      const seq = numberOf(i);
      row.numbered?.(seq);
      return { seq, team_id: row.teamId, entity: row.entity, entity_id: row.entityId, data: row.dataInEntityRow ? DATA_IN_ENTITY_ROW : json(row.data), at: row.at };
    });
  }

  async function teamsOf(tx: Tx, userId: string): Promise<string[]> {
    const rows = await tx.selectFrom('user_teams').select('team_id').where('user_id', '=', userId).orderBy('team_id').execute();
    return rows.map((row) => row.team_id);
  }

  /** When the lock on sign-ins with this email key ends, if one was ever set (it may have ended). */
  async function signInLockedUntil(emailKey: string): Promise<string | null> {
    const row = await db.selectFrom('sign_in_failures').select('locked_until').where('email_key', '=', emailKey).executeTakeFirst();
    return row?.locked_until ?? null;
  }

  /**
   * Ends every session of a user: their refresh tokens go (deleted, not marked used, so none can pass for a retry
   * after a lost answer) and their session generation counts one more, so access tokens given out until now are
   * refused. `sessions_from` is still written, for older instances beside this one. The user's row is changed first,
   * so two endings at once wait for each other rather than deadlock, and a refresh token being saved meanwhile waits
   * too (see `saveRefreshToken`).
   */
  async function endSessions(tx: Tx, userId: string): Promise<void> {
    const at = now();
    await tx
      .updateTable('users')
      .set({ sessions_from: at, generation_sessions_from: at, session_generation: sql<number>`session_generation + 1` })
      .where('id', '=', userId)
      .execute();
    await tx.deleteFrom('refresh_tokens').where('user_id', '=', userId).execute();
  }

  async function caseRow(tx: Tx, caseId: string) {
    return tx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  }

  function canSeeCase(actor: Actor, teamId: string): boolean {
    return actor.role !== 'admin' && actor.teamIds.includes(teamId);
  }

  async function resolveCaller(tx: Tx, callerId: string | null): Promise<string | null> {
    if (callerId === null) return null;
    const alias = await tx.selectFrom('caller_aliases').select('caller_id').where('alias_id', '=', callerId).executeTakeFirst();
    return alias?.caller_id ?? callerId;
  }

  function caseToRow(entry: BatchCase): CaseRow {
    const c = entry.current;
    return {
      id: c.id,
      reference: c.reference,
      reference_key: entry.referenceKey,
      team_id: c.teamId,
      owner_id: c.ownerId,
      created_by: c.createdBy,
      type: entry.type,
      channel: entry.channel,
      status: c.status,
      fields: json(c.fields),
      field_seqs: json(c.fieldSeqs),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      closed_at: c.closedAt,
      version: c.version,
    };
  }

  function caseToUpdate(c: ServerCase): CaseUpdate {
    return { id: c.id, owner_id: c.ownerId, status: c.status, fields: json(c.fields), field_seqs: json(c.fieldSeqs), updated_at: c.updatedAt, closed_at: c.closedAt, version: c.version };
  }

  function eventToRow(event: ServerCaseEvent): CaseEventRow {
    return { id: event.id, case_id: event.caseId, kind: event.kind, field: event.field, value: json(event.value), body: event.body, author_id: event.authorId, author_name: event.authorName, at: event.at, seq: event.seq };
  }

  function conflictToRow(record: ConflictRecord): ConflictRow {
    return {
      id: record.id,
      case_id: record.caseId,
      field: record.field,
      kind: record.kind,
      losing_value: json(record.losingValue),
      losing_by: record.losingBy,
      losing_by_name: record.losingByName,
      losing_at: record.losingAt,
      winning_value: json(record.winningValue),
      winning_by: record.winningBy,
      winning_by_name: record.winningByName,
      winning_at: record.winningAt,
      reason: record.reason,
      seq: record.seq,
    };
  }

  /**
   * One push's work, computed in memory: the cases it touches (read in one query up front), the change-log rows,
   * timeline events and conflicts it makes, in the order the mutations made them. Nothing that needs a change number
   * is written until `commit`, which takes all the numbers at once at the end of the transaction.
   */
  class PushBatch {
    readonly changes: NewChange[] = [];
    readonly events: ServerCaseEvent[] = [];
    readonly conflicts: ConflictRecord[] = [];
    /** The case reads the desktop reported, for the audit log. */
    readonly audits: AuditRow[] = [];
    /**
     * Each case's change-log row that later states of the case in this push go into (see `caseState`). A conflict
     * of the case closes it: the conflict sets a field from the state before it, so a later state needs a row after
     * the conflict.
     */
    private readonly openCaseRows = new Map<string, NewChange>();

    constructor(
      readonly tx: Tx,
      readonly actor: Actor,
      /** Every case the batch names: null when there is no such case (yet). */
      readonly cases: Map<string, BatchCase | null>,
      /** Timeline event ids already in use: in the store, or given to an event earlier in this batch. */
      readonly takenEventIds: Set<string>,
      /** Of the cases named only by reports of lists shown (`Named.listedIds`), those the store holds. */
      readonly listedHeld: ReadonlySet<string>,
      /** What the batch was computed from, which must be unchanged when it is written. */
      readonly read: PushRead,
      /** When the server applied the batch: one time for all its mutations, as they commit together. */
      readonly at: string = now(),
    ) {}

    change(teamId: string, entity: ChangeEntity, entityId: string, data: unknown, at: string, numbered?: (seq: number) => void): NewChange {
      const row: NewChange = { teamId, entity, entityId, data, at, ...(numbered ? { numbered } : {}) };
      this.changes.push(row);
      return row;
    }

    /**
     * A case's new state, for the change log. A push records one row per case (per run of its states between
     * conflicts), not one per mutation: the row stands where the case first changed in the push, so it comes before
     * the push's timeline events of the case (a desk files an event only under a case it has), and holds the case's
     * last state in the push, which is all a puller needs (the whole case, with every field's change number). Every
     * field edit of the run takes the row's number as its field change number. Rows are numbered at commit, in list
     * order, so the guarantees of the log hold: numbers in commit order, each case's newest state after every older
     * one, every event in its own row.
     */
    caseState(c: ServerCase, at: string, numbered: (seq: number) => void): void {
      const open = this.openCaseRows.get(c.id);
      if (!open) {
        const row = this.change(c.teamId, 'case', c.id, c, at, numbered);
        // Written once, in cases (commit writes every case the push changed there).
        row.dataInEntityRow = true;
        this.openCaseRows.set(c.id, row);
        return;
      }
      const earlier = open.numbered;
      open.data = c;
      open.at = at;
      open.numbered = (seq) => {
        earlier?.(seq);
        numbered(seq);
      };
    }

    /** The desktop's id for a timeline event when it sent one that is free (so it recognises the echo), else null. */
    claimEventId(desktopId: string | undefined): string | null {
      if (!desktopId || this.takenEventIds.has(desktopId)) return null;
      this.takenEventIds.add(desktopId);
      return desktopId;
    }

    /**
     * A timeline event and its change; `seqOf` gives the event's own number, from its change's number by default.
     * `serverId`: the event has no id of the desktop's, so it is named `m:<its change number>` (unique, as a change
     * number is).
     */
    event(teamId: string, event: ServerCaseEvent, at: string, serverId = false, seqOf?: () => number): void {
      this.events.push(event);
      const row = this.change(teamId, 'caseEvent', event.id, event, at, (seq) => {
        event.seq = seqOf ? seqOf() : seq;
        if (serverId) {
          event.id = `m:${seq}`;
          row.entityId = event.id;
        }
      });
      // Written once, in case_events (commit writes every event of the batch there).
      row.dataInEntityRow = true;
    }

    conflict(teamId: string, conflict: Omit<ConflictRecord, 'id' | 'seq'>, at: string): void {
      this.openCaseRows.delete(conflict.caseId);
      const record: ConflictRecord = { ...conflict, id: randomUUID(), seq: 0 };
      this.conflicts.push(record);
      this.change(teamId, 'conflict', record.id, record, at, (seq) => {
        record.seq = seq;
      });
    }

    /**
     * Writes the batch and the client's last mutation id. Returns the first change number it took (0 when it took
     * none), or null, with nothing written, when what the batch was computed from has changed since it was read (only
     * when it was read without locks).
     */
    async commit(lastMutationId: number): Promise<number | null> {
      // Nothing changed (a case created again, say): no change numbers to take, only the client's place.
      if (this.changes.length === 0 && this.audits.length === 0) return (await writes.moveClient(this.tx, this.read, lastMutationId)) ? 0 : null;
      return writes.writePush(this.tx, { read: this.read, lastMutationId, count: this.changes.length, rows: (numberOf) => this.rows(numberOf) });
    }

    /**
     * The rows of the cases the batch names, as it committed them with its changes numbered from `first`: those it
     * changed as it wrote them, the others as `read` (the rows it was computed from) has them.
     */
    committedCases(read: readonly CaseRow[], first: number): CaseRow[] {
      // The numbers go where the write put them (on PostgreSQL the rows were made with placeholders).
      this.changes.forEach((row, index) => row.numbered?.(first + index));
      const rows = read.filter((row) => !this.cases.get(row.id)?.dirty);
      for (const entry of this.cases.values()) if (entry?.dirty) rows.push(caseToRow(entry));
      return rows;
    }

    /** The rows to write, with the batch's i-th change numbered `numberOf(i)`: the case rows and events hold the numbers. */
    private rows(numberOf: (index: number) => number): BatchRows {
      const changes = changeRows(this.changes, numberOf);
      const insertCases: CaseRow[] = [];
      const updateCases: CaseUpdate[] = [];
      for (const entry of this.cases.values()) {
        if (!entry?.dirty) continue;
        if (entry.isNew) insertCases.push(caseToRow(entry));
        else updateCases.push(caseToUpdate(entry.current));
      }
      return { changes, insertCases, updateCases, events: this.events.map(eventToRow), conflicts: this.conflicts.map(conflictToRow), audits: this.audits };
    }
  }

  /**
   * The cases and timeline event ids a push's mutations name (read with the client's row before anything is applied),
   * which of the cases it may change, and which it creates.
   */
  function namedBy(mutations: readonly Mutation[]): Named {
    const caseIds = new Set<string>();
    const eventIds = new Set<string>();
    const changing = new Set<string>();
    const creating = new Set<string>();
    const listed = new Set<string>();
    for (const mutation of mutations) {
      if (mutation.name === 'caller.upsert') continue;
      if (mutation.name === 'cases.listed') {
        for (const caseId of mutation.args.caseIds) listed.add(caseId);
        continue;
      }
      caseIds.add(mutation.args.caseId);
      if (mutation.name !== 'case.viewed') changing.add(mutation.args.caseId);
      if (mutation.name === 'case.create') creating.add(mutation.args.caseId);
      if (mutation.name === 'case.appendNote') eventIds.add(mutation.args.noteId);
      else if (mutation.name !== 'case.viewed' && mutation.args.eventId) eventIds.add(mutation.args.eventId);
    }
    return { caseIds: [...caseIds], eventIds: [...eventIds], listedIds: [...listed].filter((id) => !caseIds.has(id)), changing, creating };
  }

  function openBatch(tx: Tx, actor: Actor, named: Named, read: { cases: CaseRow[]; takenEventIds: Set<string> }, client: SyncClientRow, listedHeld: ReadonlySet<string>): PushBatch {
    const cases = new Map<string, BatchCase | null>(named.caseIds.map((id) => [id, null]));
    for (const row of read.cases) {
      cases.set(row.id, { current: rowToCase(row), type: row.type, channel: row.channel, referenceKey: row.reference_key, isNew: false, dirty: false });
    }
    // The write checks only the cases the push changes are as read: a colleague's edit of a case this desk merely
    // opened does not make the push work itself out again.
    const checked = read.cases.filter((row) => named.changing.has(row.id)).map((row) => ({ id: row.id, version: Number(row.version) }));
    const pushRead: PushRead = { clientId: client.client_id, lastMutationId: Number(client.last_mutation_id), cases: checked };
    return new PushBatch(tx, actor, cases, read.takenEventIds, listedHeld, pushRead);
  }

  /** Which of these cases the store holds (cases are never deleted, so no lock is needed for the answer to hold). */
  async function heldCaseIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await tx.selectFrom('cases').select('id').where('id', 'in', [...ids]).execute();
    return new Set(rows.map((row) => row.id));
  }

  /** The case a mutation edits, checked: it must exist (its creation pushed first) and be in the actor's teams. */
  function editable(batch: PushBatch, caseId: string): BatchCase {
    const entry = batch.cases.get(caseId);
    if (!entry) throw new StoreRefusal(409, `Case ${caseId} does not exist; its creation must be pushed first.`);
    if (!canSeeCase(batch.actor, entry.current.teamId)) throw new StoreRefusal(403, 'That case belongs to another team.');
    return entry;
  }

  /**
   * A new field-level change number for `entry`'s next state. It is 0 until the batch's numbers are taken; the check
   * for stale edits never needs it before then, because every edit in a batch is by the batch's own author.
   */
  function nextFieldSeq(actor: Actor, at: string): FieldSeq {
    return { seq: 0, by: actor.userId, byName: actor.name, at };
  }

  /** Applies one mutation to the batch. Returns whether it lost a conflict (it is still counted as applied). */
  async function apply(batch: PushBatch, mutation: Mutation): Promise<'applied' | 'conflict'> {
    const { tx, actor, at } = batch;
    switch (mutation.name) {
      case 'case.create': {
        const { args } = mutation;
        if (batch.cases.get(args.caseId)) return 'applied';
        const teamId = actor.teamIds[0];
        if (!teamId || actor.role === 'admin') throw new StoreRefusal(403, 'Only handlers and supervisors in a team can create cases.');
        const fields: CaseFields = { ...defaultCaseFields(args.type, args.channel), callerId: await resolveCaller(tx, args.callerId) };
        const created: ServerCase = {
          id: args.caseId,
          reference: args.reference,
          teamId,
          ownerId: actor.userId,
          createdBy: actor.userId,
          status: 'open',
          fields,
          fieldSeqs: {},
          createdAt: args.at,
          updatedAt: at,
          closedAt: null,
          version: 1,
        };
        batch.cases.set(created.id, { current: created, type: args.type, channel: args.channel, referenceKey: referenceKey(args.reference), isNew: true, dirty: true });
        let caseSeq = 0;
        batch.caseState(created, at, (seq) => {
          caseSeq = seq;
        });
        const ownId = batch.claimEventId(args.eventId);
        const event: ServerCaseEvent = { id: ownId ?? `${created.id}:created`, caseId: created.id, kind: 'created', field: null, value: { type: args.type, channel: args.channel, reference: args.reference }, body: null, authorId: actor.userId, authorName: actor.name, at: args.at, seq: 0 };
        if (!ownId) batch.takenEventIds.add(event.id);
        // The creation event carries the case's own change number.
        batch.event(teamId, event, at, false, () => caseSeq);
        return 'applied';
      }
      case 'case.updateField': {
        const { args } = mutation;
        const entry = editable(batch, args.caseId);
        const current = entry.current;
        const field = args.field as CaseFieldName;
        const checked = validateField(field, field === 'callerId' ? await resolveCaller(tx, args.value as string | null) : args.value);
        if (!checked.ok) {
          batch.conflict(current.teamId, { caseId: current.id, field, kind: 'refused', losingValue: args.value, losingBy: actor.userId, losingByName: actor.name, losingAt: args.at, winningValue: current.fields[field], winningBy: null, winningByName: null, winningAt: null, reason: checked.message }, at);
          return 'conflict';
        }
        const last = current.fieldSeqs[field];
        // A desktop with no change number for the field (null: it had never synced one) has seen none of its edits.
        const stale = last !== undefined && last.seq > (args.baseSeq ?? 0) && last.by !== actor.userId;
        if (stale) {
          batch.conflict(current.teamId, { caseId: current.id, field, kind: 'stale-edit', losingValue: checked.value, losingBy: actor.userId, losingByName: actor.name, losingAt: args.at, winningValue: current.fields[field], winningBy: last.by, winningByName: last.byName, winningAt: last.at, reason: `Changed by ${last.byName} while this edit was offline.` }, at);
          return 'conflict';
        }
        const fieldSeq = nextFieldSeq(actor, args.at);
        const next: ServerCase = {
          ...current,
          fields: { ...current.fields, [field]: checked.value },
          fieldSeqs: { ...current.fieldSeqs, [field]: fieldSeq },
          updatedAt: at,
          version: current.version + 1,
        };
        entry.current = next;
        entry.dirty = true;
        batch.caseState(next, at, (seq) => {
          fieldSeq.seq = seq;
        });
        const ownId = batch.claimEventId(args.eventId);
        batch.event(current.teamId, { id: ownId ?? '', caseId: current.id, kind: 'field', field, value: checked.value, body: null, authorId: actor.userId, authorName: actor.name, at: args.at, seq: 0 }, at, ownId === null);
        return 'applied';
      }
      case 'case.appendNote': {
        const { args } = mutation;
        const entry = editable(batch, args.caseId);
        if (!batch.claimEventId(args.noteId)) return 'applied';
        batch.event(entry.current.teamId, { id: args.noteId, caseId: entry.current.id, kind: 'note', field: null, value: null, body: args.text, authorId: actor.userId, authorName: actor.name, at: args.at, seq: 0 }, at);
        return 'applied';
      }
      case 'case.recordCall': {
        const { args } = mutation;
        const entry = editable(batch, args.caseId);
        if (!batch.claimEventId(args.eventId)) return 'applied';
        batch.event(entry.current.teamId, { id: args.eventId, caseId: entry.current.id, kind: 'call', field: null, value: args.call, body: null, authorId: actor.userId, authorName: actor.name, at: args.at, seq: 0 }, at);
        return 'applied';
      }
      case 'case.changeStatus': {
        const { args } = mutation;
        const entry = editable(batch, args.caseId);
        const current = entry.current;
        if (current.status === args.to) return 'applied';
        const last = current.fieldSeqs.status;
        const allowedWhenMade = canTransition(current.fields.type, args.from, args.to);
        // The status is a field like any other: a move made from a status someone else has since changed is a stale
        // edit, kept in the conflict log, and the newer status stays (an escalation is never undone unseen).
        if (allowedWhenMade && current.status !== args.from && last !== undefined && last.by !== actor.userId) {
          batch.conflict(current.teamId, { caseId: current.id, field: 'status', kind: 'stale-edit', losingValue: args.to, losingBy: actor.userId, losingByName: actor.name, losingAt: args.at, winningValue: current.status, winningBy: last.by, winningByName: last.byName, winningAt: last.at, reason: `Moved to ${current.status} by ${last.byName} while this change was offline.` }, at);
          return 'conflict';
        }
        if (!canTransition(current.fields.type, current.status, args.to)) {
          // A move that was allowed from the status the desktop saw lost to a newer move; any other is refused.
          const lostToNewerMove = current.status !== args.from && allowedWhenMade;
          batch.conflict(current.teamId, { caseId: current.id, field: 'status', kind: lostToNewerMove ? 'stale-edit' : 'refused', losingValue: args.to, losingBy: actor.userId, losingByName: actor.name, losingAt: args.at, winningValue: current.status, winningBy: last?.by ?? null, winningByName: last?.byName ?? null, winningAt: last?.at ?? null, reason: `The case is now ${current.status}; it cannot move to ${args.to} from there.` }, at);
          return 'conflict';
        }
        const fieldSeq = nextFieldSeq(actor, args.at);
        const next: ServerCase = {
          ...current,
          status: args.to,
          closedAt: isOpenStatus(args.to) ? null : args.at,
          fieldSeqs: { ...current.fieldSeqs, status: fieldSeq },
          updatedAt: at,
          version: current.version + 1,
        };
        entry.current = next;
        entry.dirty = true;
        batch.caseState(next, at, (seq) => {
          fieldSeq.seq = seq;
        });
        const ownId = batch.claimEventId(args.eventId);
        batch.event(current.teamId, { id: ownId ?? '', caseId: current.id, kind: 'status', field: 'status', value: { from: current.status, to: args.to }, body: null, authorId: actor.userId, authorName: actor.name, at: args.at, seq: 0 }, at, ownId === null);
        return 'applied';
      }
      case 'case.viewed': {
        const { args } = mutation;
        // The desk showed the case from its own copy: the audit row the API writes for its own reads, at the time the
        // desk showed it (never later than now: a desk's clock may be ahead). Written even if the person has since left
        // the case's team (they read it when they could). A case the server does not hold cannot have been shown (its
        // creation comes first in the outbox): nothing.
        if (batch.cases.get(args.caseId)) batch.audits.push({ user_id: actor.userId, case_id: args.caseId, reason: caseOpenReasons[args.from], at: notAfter(args.at, at) });
        return 'applied';
      }
      case 'cases.listed': {
        // The desk showed these cases' previews in a list: an audit row for each, as for a case opened (above).
        const { args } = mutation;
        const shownAt = notAfter(args.at, at);
        for (const caseId of args.caseIds) {
          if (batch.cases.get(caseId) || batch.listedHeld.has(caseId)) batch.audits.push({ user_id: actor.userId, case_id: caseId, reason: caseShownReasons[args.shownIn], at: shownAt });
        }
        return 'applied';
      }
      case 'caller.upsert': {
        const { args } = mutation;
        if (!actor.teamIds[0] || actor.role === 'admin') throw new StoreRefusal(403, 'Only handlers and supervisors in a team can record callers.');
        const canonicalId = (await resolveCaller(tx, args.callerId))!;
        // A known caller stays in its team: another team's desk may not overwrite it.
        const known = await tx.selectFrom('callers').select('team_id').where('id', '=', canonicalId).executeTakeFirst();
        if (known && !actor.teamIds.includes(known.team_id)) throw new StoreRefusal(403, 'That caller belongs to another team.');
        const teamId = known?.team_id ?? actor.teamIds[0];
        const samePhone = args.phone ? await tx.selectFrom('callers').select('id').where('team_id', '=', teamId).where('phone', '=', args.phone).executeTakeFirst() : undefined;
        const targetId = samePhone && samePhone.id !== canonicalId ? samePhone.id : canonicalId;
        if (targetId !== args.callerId) {
          // Two desks recorded the same number offline: the first caller stays, the other id becomes its alias.
          await tx.insertInto('caller_aliases').values({ alias_id: args.callerId, caller_id: targetId }).onConflict((oc) => oc.column('alias_id').doNothing()).execute();
          batch.change(teamId, 'callerAlias', args.callerId, { aliasId: args.callerId, callerId: targetId }, at);
        }
        const caller = { id: targetId, teamId, phone: args.phone, name: args.name, flags: [...new Set(args.flags)].sort(), updatedAt: at };
        await tx
          .insertInto('callers')
          .values({ id: caller.id, team_id: teamId, phone: caller.phone, name: caller.name, flags: json(caller.flags), updated_at: at })
          .onConflict((oc) => oc.column('id').doUpdateSet({ phone: caller.phone, name: caller.name, flags: json(caller.flags), updated_at: at }))
          .execute();
        batch.change(teamId, 'caller', caller.id, caller, at);
        return 'applied';
      }
    }
  }

  /** Refuses (422, nothing written) a list of teams that names one that does not exist. */
  async function assertTeamsExist(tx: Tx, teamIds: readonly string[]): Promise<void> {
    if (teamIds.length === 0) return;
    const found = new Set((await tx.selectFrom('teams').select('id').where('id', 'in', [...teamIds]).execute()).map((row) => row.id));
    const unknown = teamIds.filter((teamId) => !found.has(teamId));
    if (unknown.length > 0) throw new StoreRefusal(422, 'Unknown team', { teamIds: unknown });
  }

  /** SQLite: the rows of `table` with these ids, by id, in one query with one fixed text whatever the number of ids. */
  async function rowsById<T extends 'cases' | 'case_events'>(tx: Tx, table: T, ids: readonly string[]): Promise<Map<string, Database[T]>> {
    if (ids.length === 0) return new Map();
    const rows = await sql<Database[T]>`SELECT * FROM ${sql.table(table)} WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`.execute(tx);
    return new Map(rows.rows.map((row) => [row.id, row]));
  }

  /** What a pull reads, all from one snapshot: the client's row, up to `count` change-log rows with their entities' rows, and the newest change number. */
  interface LogRead {
    client: { user_id: string; last_mutation_id: number } | undefined;
    rows: PulledRow[];
    newest: number;
  }

  /**
   * SQLite: in one read transaction, so the changes, the newest change number and the client's last mutation id
   * agree (read apart, a push committing between them would move the cursor past changes this pull never saw).
   */
  async function readLogSqlite(clientId: string, teams: string[], cursor: number, count: number): Promise<LogRead> {
    return db.transaction().execute(async (tx) => {
      const client = await tx.selectFrom('sync_clients').select(['user_id', 'last_mutation_id']).where('client_id', '=', clientId).executeTakeFirst();
      const read = await tx.selectFrom('changes').select(['seq', 'entity', 'entity_id', 'data', 'at']).where('seq', '>', cursor).where('team_id', 'in', teams).orderBy('seq').limit(count).execute();
      const inEntityRow = (entity: ChangeEntity) => [...new Set(read.flatMap((row) => (row.entity === entity && row.data === DATA_IN_ENTITY_ROW ? [row.entity_id] : [])))];
      const events = await rowsById(tx, 'case_events', inEntityRow('caseEvent'));
      const cases = await rowsById(tx, 'cases', inEntityRow('case'));
      const newest = await tx.selectFrom('counters').select('value').where('name', '=', 'change').executeTakeFirstOrThrow();
      return {
        client: client ? { user_id: client.user_id, last_mutation_id: Number(client.last_mutation_id) } : undefined,
        rows: read.map((row): PulledRow => ({ ...row, event: events.get(row.entity_id) ?? null, case: cases.get(row.entity_id) ?? null })),
        newest: Number(newest.value),
      };
    });
  }

  /**
   * PostgreSQL: one statement, so one round trip and one snapshot. The newest change number and the client's row
   * make a one-row head that the page's rows join (so an empty page still answers them), and each change-log row
   * that keeps no data joins its event's or its case's row. The joins are LATERAL so that each is a lookup by id:
   * as plain joins the planner hashed the whole of case_events and cases for a page of a thousand rows.
   */
  async function readLogPostgres(clientId: string, teams: string[], cursor: number, count: number): Promise<LogRead> {
    type Row = {
      newest: number;
      client_user_id: string | null;
      client_last_mutation_id: number | null;
      seq: number | null;
      entity: string;
      entity_id: string;
      data: string;
      at: string;
    } & { [K in keyof Database['case_events'] as `e_${K}`]: Database['case_events'][K] | null } & { [K in keyof Omit<Database['cases'], 'reference_key'> as `k_${K}`]: Database['cases'][K] | null };
    const result = await sql<Row>`SELECT head.newest, head.client_user_id, head.client_last_mutation_id, p.seq, p.entity, p.entity_id, p.data, p.at,
        e.id AS e_id, e.case_id AS e_case_id, e.kind AS e_kind, e.field AS e_field, e.value AS e_value, e.body AS e_body,
        e.author_id AS e_author_id, e.author_name AS e_author_name, e.at AS e_at, e.seq AS e_seq,
        k.id AS k_id, k.reference AS k_reference, k.team_id AS k_team_id, k.owner_id AS k_owner_id, k.created_by AS k_created_by,
        k.type AS k_type, k.channel AS k_channel, k.status AS k_status, k.fields AS k_fields, k.field_seqs AS k_field_seqs,
        k.created_at AS k_created_at, k.updated_at AS k_updated_at, k.closed_at AS k_closed_at, k.version AS k_version
      FROM (SELECT (SELECT value FROM counters WHERE name = 'change') AS newest,
          (SELECT user_id FROM sync_clients WHERE client_id = ${clientId}) AS client_user_id,
          (SELECT last_mutation_id FROM sync_clients WHERE client_id = ${clientId}) AS client_last_mutation_id) AS head
      LEFT JOIN LATERAL (SELECT seq, entity, entity_id, data, at FROM changes WHERE seq > ${cursor} AND team_id = ANY(${teams}::text[]) ORDER BY seq LIMIT ${count}) AS p ON true
      LEFT JOIN LATERAL (SELECT * FROM case_events WHERE id = p.entity_id AND p.entity = 'caseEvent' AND p.data = ${DATA_IN_ENTITY_ROW} LIMIT 1) AS e ON true
      LEFT JOIN LATERAL (SELECT * FROM cases WHERE id = p.entity_id AND p.entity = 'case' AND p.data = ${DATA_IN_ENTITY_ROW} LIMIT 1) AS k ON true
      ORDER BY p.seq`.execute(db);
    const head = result.rows[0]!;
    const rows = result.rows.flatMap((row): PulledRow[] =>
      row.seq === null
        ? []
        : [
            {
              seq: row.seq,
              entity: row.entity,
              entity_id: row.entity_id,
              data: row.data,
              at: row.at,
              event:
                row.e_id === null
                  ? null
                  : { id: row.e_id, case_id: row.e_case_id!, kind: row.e_kind!, field: row.e_field, value: row.e_value, body: row.e_body, author_id: row.e_author_id!, author_name: row.e_author_name!, at: row.e_at!, seq: row.e_seq! },
              case:
                row.k_id === null
                  ? null
                  : {
                      id: row.k_id,
                      reference: row.k_reference!,
                      team_id: row.k_team_id!,
                      owner_id: row.k_owner_id!,
                      created_by: row.k_created_by!,
                      type: row.k_type!,
                      channel: row.k_channel!,
                      status: row.k_status!,
                      fields: row.k_fields!,
                      field_seqs: row.k_field_seqs!,
                      created_at: row.k_created_at!,
                      updated_at: row.k_updated_at!,
                      closed_at: row.k_closed_at,
                      version: row.k_version!,
                    },
            },
          ],
    );
    return {
      client: head.client_user_id === null ? undefined : { user_id: head.client_user_id, last_mutation_id: Number(head.client_last_mutation_id) },
      rows,
      newest: Number(head.newest),
    };
  }

  /**
   * One page of the change log for `pull` and `pullJson`: the rows after `cursor` that this user may see (data as
   * stored), the new cursor, and this client's last mutation id. A client id's first use claims it for this user.
   */
  async function readPage(actor: Actor, clientId: string, cursor: number, limit: number) {
    const teams = [...(actor.role === 'admin' ? [] : actor.teamIds), EVERYONE];
    const read = dialect === 'postgres' ? await readLogPostgres(clientId, teams, cursor, limit + 1) : await readLogSqlite(clientId, teams, cursor, limit + 1);
    const { client, rows, newest } = read;
    if (client && client.user_id !== actor.userId) throw new StoreRefusal(403, 'That desktop client is registered to another user. Sign in again on that desktop.');
    const changes = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    const answer = {
      changes,
      cursor: hasMore ? Number(changes.at(-1)?.seq ?? cursor) : Math.max(cursor, newest),
      lastMutationId: client ? Number(client.last_mutation_id) : 0,
      hasMore,
      known: client !== undefined,
    };
    const { known, ...page } = answer;
    if (!known) {
      // A client id's first use claims it for this user, pull or push, so no one else can push or pull as it. The
      // answer read above stands: it has the id's last mutation as 0, which only keeps outbox entries longer.
      await db.insertInto('sync_clients').values({ client_id: clientId, user_id: actor.userId, last_mutation_id: 0, created_at: now() }).onConflict((oc) => oc.column('client_id').doNothing()).execute();
      const owner = await db.selectFrom('sync_clients').select('user_id').where('client_id', '=', clientId).executeTakeFirst();
      if (owner?.user_id !== actor.userId) throw new StoreRefusal(403, 'That desktop client is registered to another user. Sign in again on that desktop.');
    }
    return page;
  }

  /** A push done: its answer, and what it leaves in the database for its client and cases (see `PushedState`). */
  interface PushDone {
    response: PushResponse;
    state(): KnownState;
  }

  /**
   * One try at a push: reads the client's row, the cases and the event ids the batch names (`named`) in one step, applies the
   * batch's mutations in memory and writes it. `lock`: in a transaction, which holds what was read locked (on
   * PostgreSQL) until the commit. Otherwise (PostgreSQL only, `tx` the store itself) each statement commits on its
   * own, and the answer is 'stale', with nothing written, when what was read had changed by the write, or 'take
   * locks' when the push must be done in a transaction. `known` (PostgreSQL, without locks): the client's row and the
   * cases as this API last saw them committed, used instead of the read; no event id is taken as in use, so one that
   * is makes the write fail on it.
   */
  async function pushOnce(tx: Tx, actor: Actor, clientId: string, mutations: readonly Mutation[], named: Named, lock: boolean, known?: KnownState): Promise<PushDone | 'stale' | 'take locks'> {
    // A replay's rows among those read do no harm.
    const read = known ? { ...known, takenEventIds: new Set<string>() } : await writes.readBatch(tx, clientId, named.caseIds, named.eventIds, lock);
    let client = read.client;
    // A client's first push registers it, in the push's transaction: a refused push must leave nothing behind.
    if (!client && !lock) return 'take locks';
    if (!client) {
      await tx.insertInto('sync_clients').values({ client_id: clientId, user_id: actor.userId, last_mutation_id: 0, created_at: now() }).onConflict((oc) => oc.column('client_id').doNothing()).execute();
      client = await writes.lockClient(tx, clientId);
    }
    if (!client || client.user_id !== actor.userId) throw new StoreRefusal(403, 'That desktop client is registered to another user. Sign in again on that desktop.');
    const stored = Number(client.last_mutation_id);
    // The order is checked before anything is applied: a refused batch leaves nothing behind, so the refusal
    // reports what the server kept, and the desktop must not drop any outbox entry after it.
    let next = stored + 1;
    for (const mutation of mutations) {
      if (mutation.id < next) continue;
      if (mutation.id !== next) {
        throw new StoreRefusal(409, `Mutation ${mutation.id} arrived where ${next} was expected: the desktop must send its changes in order, from ${stored + 1}.`, { expected: stored + 1, lastMutationId: stored }, problemTypes.syncGap);
      }
      next += 1;
    }
    const fresh = mutations.filter((mutation) => mutation.id > stored);
    // Replays only: the answer would rest on the kept last mutation id alone, and the desk drops what it is told the
    // server holds. The database says.
    if (known && fresh.length === 0) return 'stale';
    let last = stored;
    let conflicts = 0;
    let cases = (): CaseRow[] => read.cases;
    if (fresh.length > 0) {
      const batch = openBatch(tx, actor, named, read, client, await heldCaseIds(tx, named.listedIds));
      for (const mutation of fresh) {
        // A replay inside the batch (an id twice) is skipped like one from an earlier push.
        if (mutation.id <= last) continue;
        if ((await apply(batch, mutation)) === 'conflict') conflicts += 1;
        last = mutation.id;
      }
      // Last: this takes the change numbers (on PostgreSQL, the counter's lock, held to the commit).
      const first = await batch.commit(last);
      if (first === null) return 'stale';
      cases = () => batch.committedCases(read.cases, first);
    }
    const applied = last - stored;
    const held = { ...client, last_mutation_id: last };
    return { response: { lastMutationId: last, applied, skipped: mutations.length - applied, conflicts }, state: () => ({ client: held, cases: cases() }) };
  }

  /** A committed push's answer; on PostgreSQL what it left is kept for the next push (see `PushedState`). */
  function kept(done: PushDone): PushResponse {
    if (dialect === 'postgres') pushedState.remember(done.state());
    return done.response;
  }

  return {
    dialect,
    db,
    /** For other writers of the change log (reference data, people): see `recordChanges` above. */
    recordChanges,

    async createTeam(name: string): Promise<Team> {
      const team = { id: randomUUID(), name, createdAt: now() };
      try {
        await db.insertInto('teams').values({ id: team.id, name, created_at: team.createdAt }).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreRefusal(409, 'There is already a team with that name.');
        throw error;
      }
      return team;
    },
    async listTeams(): Promise<Team[]> {
      const rows = await db.selectFrom('teams').selectAll().orderBy('name').execute();
      return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
    },
    async createUser(input: { email: string; name: string; role: Role; teamIds: string[]; passwordHash: string }): Promise<User> {
      const id = randomUUID();
      const at = now();
      await db.transaction().execute(async (tx) => {
        await assertTeamsExist(tx, input.teamIds);
        try {
          await tx.insertInto('users').values({ id, email: input.email.toLowerCase(), name: input.name, role: input.role, password_hash: input.passwordHash, disabled: 0, created_at: at }).execute();
        } catch (error) {
          // Two admins adding the same address at once: the route's own check saw neither.
          if (isUniqueViolation(error)) throw new StoreRefusal(409, 'That email is already in use');
          throw error;
        }
        for (const teamId of input.teamIds) await tx.insertInto('user_teams').values({ user_id: id, team_id: teamId }).execute();
        await recordChanges(tx, userChanges({ id, name: input.name, role: input.role, disabled: false }, [], input.teamIds).map((change) => ({ ...change, at })));
      });
      return { id, email: input.email.toLowerCase(), name: input.name, role: input.role, teamIds: [...input.teamIds].sort(), disabled: false, createdAt: at };
    },
    /** Changes a user; a new password hash or disabling the user also ends their sessions (`endSessions`). */
    async updateUser(id: string, patch: { name?: string; role?: Role; teamIds?: string[]; disabled?: boolean; passwordHash?: string }): Promise<User | null> {
      return db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) return null;
        if (patch.teamIds) await assertTeamsExist(tx, patch.teamIds);
        const teamsBefore = await teamsOf(tx, id);
        await tx
          .updateTable('users')
          .set({
            name: patch.name ?? row.name,
            role: patch.role ?? row.role,
            disabled: patch.disabled === undefined ? row.disabled : patch.disabled ? 1 : 0,
            password_hash: patch.passwordHash ?? row.password_hash,
          })
          .where('id', '=', id)
          .execute();
        if (patch.teamIds) {
          await tx.deleteFrom('user_teams').where('user_id', '=', id).execute();
          for (const teamId of patch.teamIds) await tx.insertInto('user_teams').values({ user_id: id, team_id: teamId }).execute();
        }
        // A new password or a disabled account ends every session, access tokens already given out included. The
        // update above leaves `sessions_from` alone, so a change of name or team never puts back an older value over
        // one that ended sessions since this read (a reused refresh token, on another connection).
        if (patch.disabled || patch.passwordHash !== undefined) await endSessions(tx, id);
        const updated = rowToUser(await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), await teamsOf(tx, id));
        const at = now();
        await recordChanges(tx, userChanges(updated, teamsBefore, updated.teamIds).map((change) => ({ ...change, at })));
        return updated;
      });
    },
    /**
     * Whether a case id is out of a person's reach: it names a case of a team they are not in. An id the server has
     * not heard of is not (a case logged on the desk during a call may not have been pushed yet).
     */
    async caseOutOfReach(actor: Actor, caseId: string): Promise<boolean> {
      const row = await db.selectFrom('cases').select('team_id').where('id', '=', caseId).executeTakeFirst();
      return row !== undefined && !canSeeCase(actor, row.team_id);
    },
    async getUser(id: string): Promise<User | null> {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? rowToUser(row, await teamsOf(db, id)) : null;
    },
    /** What a person may do now, and which of their sessions hold (see `UserAccess`). */
    async userAccess(id: string): Promise<UserAccess | null> {
      const row = await db
        .selectFrom('users')
        .select(['role', 'disabled', 'sessions_from', 'session_generation', 'generation_sessions_from'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row
        ? {
            role: row.role as Role,
            teamIds: await teamsOf(db, id),
            disabled: Number(row.disabled) === 1,
            sessionGeneration: Number(row.session_generation),
            sessionsFrom: row.sessions_from,
            lastEndingUncounted: row.sessions_from !== null && row.sessions_from !== row.generation_sessions_from,
          }
        : null;
    },
    async listUsers(): Promise<User[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
      return Promise.all(rows.map(async (row) => rowToUser(row, await teamsOf(db, row.id))));
    },
    async findUserByEmail(email: string): Promise<UserWithSecret | null> {
      const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
      if (!row) return null;
      return { ...rowToUser(row, await teamsOf(db, row.id)), passwordHash: row.password_hash, sessionGeneration: Number(row.session_generation) };
    },
    signInLockedUntil,
    /**
     * Counts a sign-in attempt with an email key before its password is checked, in one statement, unless a lock is
     * in force: then nothing is counted and the lock's end is returned. A count whose last attempt is older than the
     * window (and whose lock has ended) starts again at one, and the attempt that reaches `lockAfter`, or any after
     * it, sets the lock. Counting first means attempts sent all at once are each counted in turn, so no more of them
     * get their password checked than the lock allows. A right password then clears the count
     * (`clearSignInFailures`).
     */
    async countSignInAttempt(emailKey: string, policy: SignInFailurePolicy): Promise<{ failures: number } | { lockedUntil: string }> {
      const unlocked = sql<SqlBool>`(sign_in_failures.locked_until IS NULL OR sign_in_failures.locked_until <= ${policy.at})`;
      const stale = sql<SqlBool>`(sign_in_failures.last_failed_at < ${policy.countSince} AND ${unlocked})`;
      const counted = sql<number>`CASE WHEN ${stale} THEN 1 ELSE sign_in_failures.failures + 1 END`;
      const row = await db
        .insertInto('sign_in_failures')
        .values({ email_key: emailKey, failures: 1, locked_until: policy.lockAfter <= 1 ? policy.lockUntil : null, last_failed_at: policy.at })
        .onConflict((oc) =>
          oc
            .column('email_key')
            .doUpdateSet({
              failures: counted,
              last_failed_at: policy.at,
              locked_until: sql<string | null>`CASE WHEN ${counted} >= ${policy.lockAfter} THEN ${policy.lockUntil} WHEN ${stale} THEN NULL ELSE sign_in_failures.locked_until END`,
            })
            // A lock in force: the row is left as it is, and the statement returns nothing.
            .where(unlocked),
        )
        .returning('failures')
        .executeTakeFirst();
      if (!row) {
        // An administrator may have lifted the lock since: then it ends now.
        const lockedUntil = await signInLockedUntil(emailKey);
        return { lockedUntil: lockedUntil && lockedUntil > policy.at ? lockedUntil : policy.at };
      }
      // Housekeeping, apart from the count so it can never hold up or undo one: the rows that would start again
      // anyway go. Two of these at once may clash on PostgreSQL (one is chosen as a deadlock's victim); the next
      // attempt prunes what this one left.
      await db
        .deleteFrom('sign_in_failures')
        .where(stale)
        .execute()
        .catch(() => undefined);
      return { failures: Number(row.failures) };
    },
    /** Forgets the wrong passwords and any lock of an email key (an administrator's unlock or new password). */
    async clearSignInFailures(emailKey: string): Promise<void> {
      await db.deleteFrom('sign_in_failures').where('email_key', '=', emailKey).execute();
    },
    /**
     * A right password: takes back the attempts counted up to and including its own (`counted`, as
     * `countSignInAttempt` gave it), in one statement. Attempts counted after it, sent while its password was being
     * checked, stay counted, so a guesser cannot have their guesses forgiven by the owner signing in meanwhile. The
     * lock goes, as those alone are fewer than make one (attempts are not counted while a lock holds).
     */
    async forgiveSignInAttempts(emailKey: string, counted: number): Promise<void> {
      await db
        .updateTable('sign_in_failures')
        .set({
          failures: sql<number>`CASE WHEN sign_in_failures.failures > ${counted} THEN sign_in_failures.failures - ${counted} ELSE 0 END`,
          locked_until: null,
        })
        .where('email_key', '=', emailKey)
        .execute();
    },
    /**
     * Saves a new session's refresh token in session generation `token.generation` (the user's, as read with the
     * password or refresh token that was checked), unless the user's sessions were ended since: a new password, a
     * disabled account or a reused refresh token that came while the check ran counted another generation. Returns
     * whether it was saved. An ending by an older instance counts no generation; only then is its time compared with
     * `checkedAt` (this instance's clock against the other's). On PostgreSQL the user's row is read with a share lock,
     * so a transaction ending the sessions (which changes that row first) either sees this token and deletes it, or
     * makes this statement wait for it and then find the sessions ended.
     */
    async saveRefreshToken(token: { id: string; userId: string; tokenHash: string; expiresAt: string; generation: number }, checkedAt: string): Promise<boolean> {
      const result = await sql`INSERT INTO refresh_tokens (id, user_id, token_hash, expires_at, revoked_at, created_at, session_generation)
        SELECT ${token.id}, id, ${token.tokenHash}, ${token.expiresAt}, NULL, ${now()}, session_generation FROM users
        WHERE id = ${token.userId} AND session_generation = ${token.generation}
          AND (sessions_from IS NULL OR sessions_from = generation_sessions_from OR sessions_from <= ${checkedAt})
        ${sql.raw(dialect === 'postgres' ? 'FOR SHARE' : '')}`.execute(db);
      return Number(result.numAffectedRows ?? 0) === 1;
    },
    /**
     * Takes a refresh token for use: returns it and revokes it in one step, so a token works once (rotation). Its
     * `generation` is the session generation it was given out in: the session it renews stays in it.
     */
    async consumeRefreshToken(
      tokenHash: string,
    ): Promise<{ id: string; userId: string; expiresAt: string; generation: number; alreadyUsed: boolean; usedAt: string | null } | null> {
      // One conditional update claims the token: of two refreshes racing with it, only one can revoke it.
      const claimed = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now() })
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .returning(['id', 'user_id', 'expires_at', 'session_generation'])
        .executeTakeFirst();
      if (claimed) {
        return { id: claimed.id, userId: claimed.user_id, expiresAt: claimed.expires_at, generation: Number(claimed.session_generation), alreadyUsed: false, usedAt: null };
      }
      const row = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row
        ? { id: row.id, userId: row.user_id, expiresAt: row.expires_at, generation: Number(row.session_generation), alreadyUsed: true, usedAt: row.revoked_at }
        : null;
    },
    /** Ends every session of a user (a copied refresh token): see `endSessions`. */
    async revokeRefreshTokens(userId: string): Promise<void> {
      await db.transaction().execute((tx) => endSessions(tx, userId));
    },
    /** Ends one session (sign-out). */
    async endRefreshToken(tokenHash: string): Promise<void> {
      await db.deleteFrom('refresh_tokens').where('token_hash', '=', tokenHash).execute();
    },

    /**
     * Applies a batch of mutations from one client in one transaction. Ids the server already has are skipped; the
     * first id must follow the client's last one (a gap is refused with 409 and nothing is applied); the client's
     * last mutation id is stored with the changes.
     */
    async push(actor: Actor, clientId: string, mutations: readonly Mutation[]): Promise<PushResponse> {
      // PostgreSQL: first without locks, in two statements that each commit on their own (one, the write, when this
      // API already knows the desk and the cases: see `PushedState`), so no lock is held while the API or the network
      // is busy elsewhere (with two hundred desks pushing, pushes queued behind one waiting on its next statement).
      // The write checks that what the push read is unchanged; if it changed (another push of the same case or client
      // came between) the push is worked out again. A refusal is decided under locks, as is a push a concurrent one
      // keeps changing under it, and one that records callers (its writes are not in the one statement).
      const named = namedBy(mutations);
      if (dialect === 'postgres' && mutations.every((mutation) => mutation.name !== 'caller.upsert')) {
        // First from what this API last saw committed, when it has all the push needs: one round trip, to write.
        const known = pushedState.known(clientId, named.caseIds, named.creating);
        if (known) {
          const outcome = await pushOnce(db, actor, clientId, mutations, named, false, known).catch((error: unknown) => {
            // Refused or failed on an id from an out-of-date picture (a gap another API has filled, a case another
            // desk has just created, an event id in use): the database decides.
            if (error instanceof StoreRefusal || isUniqueViolation(error)) return 'stale' as const;
            throw error;
          });
          if (typeof outcome !== 'string') return kept(outcome);
          pushedState.forget(clientId, named.caseIds);
        }
        for (let attempt = 0; attempt < UNLOCKED_ATTEMPTS; attempt += 1) {
          let outcome: PushDone | 'stale' | 'take locks';
          try {
            outcome = await pushOnce(db, actor, clientId, mutations, named, false);
          } catch (error) {
            // What was read may be out of date (a gap another push of the client has just filled; an event id taken
            // since): read again, locked.
            if (error instanceof StoreRefusal || isUniqueViolation(error)) break;
            throw error;
          }
          if (outcome === 'take locks') break;
          if (outcome !== 'stale') return kept(outcome);
        }
      }
      const outcome = await db.transaction().execute(async (tx) => {
        const done = await pushOnce(tx, actor, clientId, mutations, named, true);
        if (typeof done === 'string') throw new Error('A push found the rows it held locked changed.');
        return done;
      });
      return kept(outcome);
    },

    /** The changes after `cursor` that this user may see, the new cursor, and this client's last mutation id. */
    async pull(actor: Actor, clientId: string, cursor: number, limit: number): Promise<PullResponse> {
      const page = await readPage(actor, clientId, cursor, limit);
      return { ...page, changes: page.changes.map((row) => ({ seq: Number(row.seq), entity: row.entity as ChangeEntity, entityId: row.entity_id, data: parse(pulledDataJson(row)), at: row.at })) };
    },

    /**
     * The same answer as `pull`, as the JSON text of the response body. Each change's data is stored as JSON text
     * (written by this store); it is spliced into the answer as it is, rather than parsed only to be serialised
     * again, which was most of a pull's time on the server.
     */
    async pullJson(actor: Actor, clientId: string, cursor: number, limit: number): Promise<string> {
      const page = await readPage(actor, clientId, cursor, limit);
      const changes = page.changes.map(
        (row) => `{"seq":${Number(row.seq)},"entity":${JSON.stringify(row.entity)},"entityId":${JSON.stringify(row.entity_id)},"data":${pulledDataJson(row)},"at":${JSON.stringify(row.at)}}`,
      );
      return `{"changes":[${changes.join(',')}],"cursor":${page.cursor},"lastMutationId":${page.lastMutationId},"hasMore":${page.hasMore}}`;
    },

    /** Reads one case for a person, writing the audit row (who, which case, when, why) in the same transaction. */
    async readCase(actor: Actor, caseId: string, reason: string): Promise<{ case: ServerCase; events: ServerCaseEvent[]; conflicts: ConflictRecord[] } | null> {
      return db.transaction().execute(async (tx) => {
        const row = await caseRow(tx, caseId);
        if (!row || !canSeeCase(actor, row.team_id)) return null;
        await tx.insertInto('audit_log').values({ user_id: actor.userId, case_id: caseId, reason, at: now() }).execute();
        const events = await tx.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
        const conflicts = await tx.selectFrom('conflicts').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
        return {
          case: rowToCase(row),
          events: events.map((e) => ({ id: e.id, caseId: e.case_id, kind: e.kind, field: e.field, value: parse(e.value), body: e.body, authorId: e.author_id, authorName: e.author_name, at: e.at, seq: Number(e.seq) })),
          conflicts: conflicts.map((c) => ({
            id: c.id,
            caseId: c.case_id,
            field: c.field,
            kind: c.kind as ConflictRecord['kind'],
            losingValue: parse(c.losing_value),
            losingBy: c.losing_by,
            losingByName: c.losing_by_name,
            losingAt: c.losing_at,
            winningValue: parse(c.winning_value),
            winningBy: c.winning_by,
            winningByName: c.winning_by_name,
            winningAt: c.winning_at,
            reason: c.reason,
            seq: Number(c.seq),
          })),
        };
      });
    },

    /** Lists cases of a person's teams, newest first, writing an audit row for each case listed in the same transaction. */
    async listCases(actor: Actor, filters: { status?: 'open' | 'closed'; limit: number; reason?: string }): Promise<ServerCase[]> {
      if (actor.role === 'admin' || actor.teamIds.length === 0) return [];
      return db.transaction().execute(async (tx) => {
        let query = tx.selectFrom('cases').selectAll().where('team_id', 'in', actor.teamIds);
        if (filters.status === 'open') query = query.where('closed_at', 'is', null);
        if (filters.status === 'closed') query = query.where('closed_at', 'is not', null);
        const rows = await query.orderBy('created_at', 'desc').limit(filters.limit).execute();
        const at = now();
        if (rows.length > 0) await tx.insertInto('audit_log').values(rows.map((row) => ({ user_id: actor.userId, case_id: row.id, reason: filters.reason ?? 'Listed the cases', at }))).execute();
        return rows.map(rowToCase);
      });
    },

    /** A supervisor gives a case to another handler of the case's team (an audited read: the answer is the case). */
    async reassignCase(actor: Actor, caseId: string, ownerId: string): Promise<ServerCase> {
      return db.transaction().execute(async (tx) => {
        const row = await caseRow(tx, caseId);
        if (!row || !canSeeCase(actor, row.team_id)) throw new StoreRefusal(404, 'There is no such case in your teams.');
        const owner = await tx.selectFrom('user_teams').select('user_id').where('user_id', '=', ownerId).where('team_id', '=', row.team_id).executeTakeFirst();
        if (!owner) throw new StoreRefusal(422, 'Choose a handler in the case’s team.');
        const at = now();
        const next: ServerCase = { ...rowToCase(row), ownerId, updatedAt: at, version: Number(row.version) + 1 };
        // The answer is the whole case, so the supervisor has read it.
        await tx.insertInto('audit_log').values({ user_id: actor.userId, case_id: caseId, reason: 'Reassigned the case', at }).execute();
        await writes.updateCases(tx, [caseToUpdate(next)]);
        await recordChanges(tx, [{ teamId: next.teamId, entity: 'case', entityId: next.id, data: next, at }]);
        return next;
      });
    },

    /** A case's audit trail in time order (a desk's reads arrive when it reconnects, dated when it showed the case). */
    async auditFor(caseId: string): Promise<{ userId: string; caseId: string; reason: string; at: string }[]> {
      const rows = await db.selectFrom('audit_log').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();
      return rows.map((row) => ({ userId: row.user_id, caseId: row.case_id, reason: row.reason, at: row.at }));
    },

    async close(): Promise<void> {
      await db.destroy();
    },
  };
}

export type CentralStore = ReturnType<typeof createCentralStore>;
