import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

type Tx = Transaction<Database> | Kysely<Database>;

export type CaseRow = Database['cases'];
export type CaseEventRow = Database['case_events'];
export type ChangeRow = Database['changes'];
export type ConflictRow = Database['conflicts'];
export type SyncClientRow = Database['sync_clients'];
/** An audit row (who read which case, when, why); the store numbers it. */
export type AuditRow = Omit<Database['audit_log'], 'id'>;
/** The columns a push changes on a case it did not create. */
export type CaseUpdate = Pick<CaseRow, 'id' | 'owner_id' | 'status' | 'fields' | 'field_seqs' | 'updated_at' | 'closed_at' | 'version'>;

/** Everything a push writes, with its change numbers in. */
export interface BatchRows {
  changes: readonly ChangeRow[];
  insertCases: readonly CaseRow[];
  updateCases: readonly CaseUpdate[];
  events: readonly CaseEventRow[];
  conflicts: readonly ConflictRow[];
  /** Reads of cases the desktop reported (a handler opening a case from the desk's own copy). */
  audits: readonly AuditRow[];
}

/** What a push read before it applied its mutations, which its write needs to be unchanged. */
export interface PushRead {
  clientId: string;
  /** The client's last mutation id as the push read it. */
  lastMutationId: number;
  /** The cases the push read (those that existed), with the versions it read. */
  cases: readonly { id: string; version: number }[];
}

/** A push's write: its client's new last mutation id and its rows, which hold `count` new change numbers. */
export interface PushWrite {
  read: PushRead;
  lastMutationId: number;
  count: number;
  /**
   * The rows, made with `numberOf(i)` as the number of the push's i-th change (in the change rows' `seq`, the events'
   * and conflicts' `seq`, the case rows' field change numbers, and the ids of events the server names, `m:<number>`).
   * Called once, after the numbers are taken, or with relative numbers that the write turns into real ones.
   */
  rows(numberOf: (index: number) => number): BatchRows;
}

/**
 * The reads and writes a push does many of, each over a whole batch: every case the batch touches in one read, every
 * timeline event in one write, and so on, rather than a statement per mutation. Two implementations: raw prepared
 * statements on SQLite, inside the caller's transaction; on PostgreSQL a push's read in one statement and all of its
 * writes, with its change numbers, in one more.
 */
export interface SyncWrites {
  /** A desktop client's row (its user and last mutation id), locked until commit on PostgreSQL. */
  lockClient(tx: Tx, clientId: string): Promise<SyncClientRow | undefined>;
  /**
   * What a push reads before it applies anything: its client's row, the case rows with these ids (those that exist)
   * and which of these timeline event ids are taken, in one step. `lock` (PostgreSQL, in a transaction): the client's
   * row and the cases (in id order) stay locked until commit.
   */
  readBatch(tx: Tx, clientId: string, caseIds: readonly string[], eventIds: readonly string[], lock: boolean): Promise<{ client: SyncClientRow | undefined; cases: CaseRow[]; takenEventIds: Set<string> }>;
  updateCases(tx: Tx, rows: readonly CaseUpdate[]): Promise<void>;
  /**
   * Takes `count` change numbers in one step and returns the first; the rest follow it. On PostgreSQL this locks
   * the counter row until commit, so it must be the last lock a writer takes.
   */
  takeChangeNumbers(tx: Tx, count: number): Promise<number>;
  insertChanges(tx: Tx, rows: readonly ChangeRow[]): Promise<void>;
  /**
   * Writes a push: takes its change numbers, stores its client's last mutation id and writes its rows, but only if
   * what it read is as it read it (the client's last mutation id, the cases' versions). Returns false, having written
   * nothing, if not: possible only when the push read without locks (PostgreSQL, outside a transaction). Returns the
   * first of the change numbers it took, or null when it wrote nothing.
   */
  writePush(tx: Tx, push: PushWrite): Promise<number | null>;
  /**
   * A push that changed nothing: stores its client's last mutation id, but only if what it read is as it read it
   * (as `writePush`: "nothing to change" was decided from the cases as read). False, having written nothing, if not.
   */
  moveClient(tx: Tx, read: PushRead, lastMutationId: number): Promise<boolean>;
}

/** Rows a multi-row insert takes at once: few enough statements to keep, many enough that each call carries a lot. */
const ROWS_PER_INSERT = 32;

/**
 * SQLite: inserts rows of `table` (these columns, in this order) `ROWS_PER_INSERT` to a statement, values by
 * position. One call of a prepared statement costs about as much as SQLite's own insert of a small row, so a push's
 * hundreds of events and change-log rows go in a tenth of the calls. A statement for each shorter tail is prepared
 * when first needed and kept.
 */
function rowInserter<Row extends object>(database: BetterSqlite3.Database, table: string, names: readonly (keyof Row & string)[]): (rows: readonly Row[]) => void {
  const statements = new Map<number, BetterSqlite3.Statement<unknown[]>>();
  const one = `(${names.map(() => '?').join(', ')})`;
  const statement = (count: number) => {
    let prepared = statements.get(count);
    if (!prepared) {
      prepared = database.prepare<unknown[]>(`INSERT INTO ${table} (${names.join(', ')}) VALUES ${Array.from({ length: count }, () => one).join(', ')}`);
      statements.set(count, prepared);
    }
    return prepared;
  };
  return (rows) => {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const values: unknown[] = [];
      for (const row of chunk) for (const name of names) values.push(row[name]);
      statement(chunk.length).run(values);
    }
  };
}

/**
 * SQLite: raw prepared statements on the store's one connection. They run inside the Kysely transaction the caller
 * holds (Kysely's SQLite driver keeps that connection to the transaction until it ends), and skip Kysely's building
 * and compiling of each statement, which cost more than running it. A list of ids goes in as one JSON array, so each
 * statement has one text whatever the batch's size. Writers run one at a time, so what a push read in its transaction
 * is still there when it writes.
 */
export function sqliteSyncWrites(database: BetterSqlite3.Database): SyncWrites {
  const selectClient = database.prepare<[string], SyncClientRow>('SELECT * FROM sync_clients WHERE client_id = ?');
  const selectCases = database.prepare<[string], CaseRow>('SELECT * FROM cases WHERE id IN (SELECT value FROM json_each(?))');
  const selectEventIds = database.prepare<[string], { id: string }>('SELECT id FROM case_events WHERE id IN (SELECT value FROM json_each(?))');
  const insertCase = database.prepare<CaseRow>(`INSERT INTO cases (id, reference, reference_key, team_id, owner_id, created_by, type, channel, status, fields, field_seqs,
    created_at, updated_at, closed_at, version) VALUES (@id, @reference, @reference_key, @team_id, @owner_id, @created_by, @type, @channel, @status, @fields,
    @field_seqs, @created_at, @updated_at, @closed_at, @version)`);
  const updateCase = database.prepare<CaseUpdate>(`UPDATE cases SET owner_id = @owner_id, status = @status, fields = @fields,
    field_seqs = @field_seqs, updated_at = @updated_at, closed_at = @closed_at, version = @version WHERE id = @id`);
  // The two kinds of row a push writes hundreds of go in by position, many rows a statement (see `rowInserter`).
  const insertEvents = rowInserter<CaseEventRow>(database, 'case_events', ['id', 'case_id', 'kind', 'field', 'value', 'body', 'author_id', 'author_name', 'at', 'seq']);
  const insertConflict = database.prepare<ConflictRow>(`INSERT INTO conflicts (id, case_id, field, kind, losing_value, losing_by, losing_by_name, losing_at,
    winning_value, winning_by, winning_by_name, winning_at, reason, seq) VALUES (@id, @case_id, @field, @kind, @losing_value, @losing_by, @losing_by_name,
    @losing_at, @winning_value, @winning_by, @winning_by_name, @winning_at, @reason, @seq)`);
  const takeNumbers = database.prepare<[number], { value: number }>("UPDATE counters SET value = value + ? WHERE name = 'change' RETURNING value");
  const setLastMutationId = database.prepare<[number, string]>('UPDATE sync_clients SET last_mutation_id = ? WHERE client_id = ?');
  const insertChanges = rowInserter<ChangeRow>(database, 'changes', ['seq', 'team_id', 'entity', 'entity_id', 'data', 'at']);
  const insertAudits = rowInserter<AuditRow>(database, 'audit_log', ['user_id', 'case_id', 'reason', 'at']);
  const updateCases = (rows: readonly CaseUpdate[]) => {
    for (const row of rows) updateCase.run(row);
  };
  const takeChangeNumbers = (count: number) => Number(takeNumbers.get(count)!.value) - count + 1;
  return {
    lockClient: async (_tx, clientId) => selectClient.get(clientId),
    async readBatch(_tx, clientId, caseIds, eventIds) {
      return {
        client: selectClient.get(clientId),
        cases: caseIds.length === 0 ? [] : selectCases.all(JSON.stringify(caseIds)),
        takenEventIds: new Set(eventIds.length === 0 ? [] : selectEventIds.all(JSON.stringify(eventIds)).map((row) => row.id)),
      };
    },
    updateCases: async (_tx, rows) => updateCases(rows),
    takeChangeNumbers: async (_tx, count) => takeChangeNumbers(count),
    insertChanges: async (_tx, rows) => insertChanges(rows),
    async writePush(_tx, push) {
      setLastMutationId.run(push.lastMutationId, push.read.clientId);
      const first = takeChangeNumbers(push.count);
      const rows = push.rows((index) => first + index);
      insertChanges(rows.changes);
      for (const row of rows.insertCases) insertCase.run(row);
      updateCases(rows.updateCases);
      insertEvents(rows.events);
      for (const row of rows.conflicts) insertConflict.run(row);
      insertAudits(rows.audits);
      return first;
    },
    async moveClient(_tx, read, lastMutationId) {
      setLastMutationId.run(lastMutationId, read.clientId);
      return true;
    },
  };
}

/** Column arrays for `unnest`: one array per column, so a whole batch goes in one statement with one fixed text. */
function columns<T extends object, K extends keyof T>(rows: readonly T[], keys: readonly K[]): { [P in K]: T[P][] } {
  const out = {} as { [P in K]: T[P][] };
  for (const key of keys) out[key] = rows.map((row) => row[key]);
  return out;
}

/**
 * A push's i-th change number on PostgreSQL before its write takes the real ones: negative, so never a real number
 * (they start at 1). The write's statement, holding the first real number as `n.first`, makes each one real with
 * `n.first - 1 - placeholder` (`absolute` below).
 */
const placeholder = (index: number) => -(index + 1);

/** SQL: the real change number for the placeholder `expression` (in a statement that has `numbers AS n`). */
const absolute = (expression: string) => sql.raw(`(n.first - 1 - (${expression}))`);

/** SQL: a timeline event's id, made real when the server named it after its placeholder number (`m:-3`). */
const absoluteEventId = (column: string) => sql.raw(`(CASE WHEN ${column} LIKE 'm:-%' THEN 'm:' || (n.first - 1 - substr(${column}, 3)::bigint) ELSE ${column} END)`);

/** SQL: a case row's field change numbers (JSON text), each placeholder among them made real. */
const absoluteFieldSeqs = (column: string) =>
  sql.raw(`(SELECT coalesce(jsonb_object_agg(f.key, CASE WHEN (f.value->>'seq')::bigint < 0
      THEN jsonb_set(f.value, '{seq}', to_jsonb(n.first - 1 - (f.value->>'seq')::bigint)) ELSE f.value END), '{}'::jsonb)::text
    FROM jsonb_each(${column}::jsonb) AS f)`);

/**
 * PostgreSQL: each kind of row's columns sent as arrays and spread by `unnest`, so a push costs the same round trips
 * however many mutations it holds: one to read, one to write. A push may read without locks, outside a transaction:
 * its write is then one statement that commits on its own, and checks, under the locks it takes, that the client's
 * last mutation id and the cases' versions are still those it read, writing nothing if not. The change counter is the
 * last lock that statement takes, and it holds it only until the statement commits, never across a round trip.
 */
export function postgresSyncWrites(): SyncWrites {
  async function updateCases(tx: Tx, rows: readonly CaseUpdate[]): Promise<void> {
    if (rows.length === 0) return;
    const c = columns(rows, ['id', 'owner_id', 'status', 'fields', 'field_seqs', 'updated_at', 'closed_at', 'version'] as const);
    await sql`UPDATE cases SET owner_id = u.owner_id, status = u.status, fields = u.fields, field_seqs = u.field_seqs, updated_at = u.updated_at,
        closed_at = u.closed_at, version = u.version
      FROM unnest(${c.id}::text[], ${c.owner_id}::text[], ${c.status}::text[], ${c.fields}::text[], ${c.field_seqs}::text[], ${c.updated_at}::text[],
        ${c.closed_at}::text[], ${c.version}::int[]) AS u (id, owner_id, status, fields, field_seqs, updated_at, closed_at, version)
      WHERE cases.id = u.id`.execute(tx);
  }

  async function insertChanges(tx: Tx, rows: readonly ChangeRow[]): Promise<void> {
    if (rows.length === 0) return;
    const c = columns(rows, ['seq', 'team_id', 'entity', 'entity_id', 'data', 'at'] as const);
    await sql`INSERT INTO changes (seq, team_id, entity, entity_id, data, at)
      SELECT * FROM unnest(${c.seq}::bigint[], ${c.team_id}::text[], ${c.entity}::text[], ${c.entity_id}::text[], ${c.data}::text[], ${c.at}::text[])`.execute(tx);
  }

  const forUpdate = (lock: boolean) => sql.raw(lock ? 'FOR UPDATE' : '');

  /**
   * `guard AS (...)`: one row, `ok` when the client's last mutation id and the cases' versions are as `read` has them.
   * It locks the client's row, then the cases read (in id order), and sees their newest committed state: a row
   * another writer changed after the statement began is read as it is now.
   */
  function guard(read: PushRead) {
    const readIds = read.cases.map((c) => c.id);
    const readVersions = read.cases.map((c) => c.version);
    return sql`guard AS (
          SELECT (SELECT last_mutation_id FROM sync_clients WHERE client_id = ${read.clientId} FOR UPDATE) = ${read.lastMutationId}
            AND (SELECT count(*) FROM (SELECT id, version FROM cases WHERE id = ANY(${readIds}::text[]) ORDER BY id FOR UPDATE) AS held
              JOIN unnest(${readIds}::text[], ${readVersions}::int[]) AS r (id, version) ON held.id = r.id AND held.version = r.version) = ${readIds.length} AS ok
        )`;
  }

  return {
    lockClient: (tx, clientId) => tx.selectFrom('sync_clients').selectAll().where('client_id', '=', clientId).forUpdate().executeTakeFirst(),
    async readBatch(tx, clientId, caseIds, eventIds, lock) {
      // One statement: the client's row (locked first when locking), then the cases in id order (each CTE is read
      // whole), and the event ids already taken.
      const result = await sql<{ client: SyncClientRow | null; cases: CaseRow[]; taken: string[] }>`WITH client AS (SELECT * FROM sync_clients WHERE client_id = ${clientId} ${forUpdate(lock)}),
          read AS (SELECT * FROM cases WHERE id = ANY(${[...caseIds]}::text[]) ORDER BY id ${forUpdate(lock)})
        SELECT (SELECT row_to_json(client) FROM client) AS client,
          (SELECT coalesce(json_agg(read), '[]'::json) FROM read) AS cases,
          (SELECT coalesce(json_agg(id), '[]'::json) FROM case_events WHERE id = ANY(${[...eventIds]}::text[])) AS taken`.execute(tx);
      const row = result.rows[0]!;
      return { client: row.client ?? undefined, cases: row.cases, takenEventIds: new Set(row.taken) };
    },
    updateCases,
    async takeChangeNumbers(tx, count) {
      const result = await sql<{ value: number }>`UPDATE counters SET value = value + ${count} WHERE name = 'change' RETURNING value`.execute(tx);
      return Number(result.rows[0]!.value) - count + 1;
    },
    insertChanges,
    async writePush(tx, push) {
      const { read } = push;
      const rows = push.rows(placeholder);
      const ch = columns(rows.changes, ['seq', 'team_id', 'entity', 'entity_id', 'data', 'at'] as const);
      const nc = columns(rows.insertCases, ['id', 'reference', 'reference_key', 'team_id', 'owner_id', 'created_by', 'type', 'channel', 'status', 'fields', 'field_seqs', 'created_at', 'updated_at', 'closed_at', 'version'] as const);
      const uc = columns(rows.updateCases, ['id', 'owner_id', 'status', 'fields', 'field_seqs', 'updated_at', 'closed_at', 'version'] as const);
      const ev = columns(rows.events, ['id', 'case_id', 'kind', 'field', 'value', 'body', 'author_id', 'author_name', 'at', 'seq'] as const);
      const au = columns(rows.audits, ['user_id', 'case_id', 'reason', 'at'] as const);
      const cf = columns(rows.conflicts, ['id', 'case_id', 'field', 'kind', 'losing_value', 'losing_by', 'losing_by_name', 'losing_at', 'winning_value', 'winning_by', 'winning_by_name', 'winning_at', 'reason', 'seq'] as const);
      // One statement. Only when `guard` finds the client and the cases as the push read them does `numbers` take
      // the change numbers (the counter's row, the last lock);
      // every write joins `numbers`, so with no numbers nothing is written. The parts run with one snapshot: none
      // reads what another writes, and the events' foreign keys are checked at the end, when their new cases are in.
      // A kind of row the push has none of is left out: planning the statement costs as much as running it, and
      // grows with its length (each shape is prepared on its own; there are at most thirty-two).
      const parts = [
        sql`WITH ${guard(read)}, numbers AS (
          UPDATE counters SET value = value + ${push.count} WHERE name = 'change' AND (SELECT ok FROM guard) RETURNING value - ${push.count} + 1 AS first
        ), client AS (
          UPDATE sync_clients SET last_mutation_id = ${push.lastMutationId} FROM numbers WHERE client_id = ${read.clientId}
        )`,
        sql`new_changes AS (
          INSERT INTO changes (seq, team_id, entity, entity_id, data, at)
          SELECT ${absolute('c.seq')}, c.team_id, c.entity, CASE WHEN c.entity = 'caseEvent' THEN ${absoluteEventId('c.entity_id')} ELSE c.entity_id END,
            CASE WHEN c.entity = 'conflict' THEN jsonb_set(c.data::jsonb, '{seq}', to_jsonb(${absolute('c.seq')}))::text ELSE c.data END, c.at
          FROM numbers AS n, unnest(${ch.seq}::bigint[], ${ch.team_id}::text[], ${ch.entity}::text[], ${ch.entity_id}::text[], ${ch.data}::text[], ${ch.at}::text[])
            AS c (seq, team_id, entity, entity_id, data, at)
        )`,
        rows.insertCases.length > 0 && sql`new_cases AS (
          INSERT INTO cases (id, reference, reference_key, team_id, owner_id, created_by, type, channel, status, fields, field_seqs, created_at, updated_at, closed_at, version)
          SELECT k.id, k.reference, k.reference_key, k.team_id, k.owner_id, k.created_by, k.type, k.channel, k.status, k.fields, ${absoluteFieldSeqs('k.field_seqs')},
            k.created_at, k.updated_at, k.closed_at, k.version
          FROM numbers AS n, unnest(${nc.id}::text[], ${nc.reference}::text[], ${nc.reference_key}::bigint[], ${nc.team_id}::text[], ${nc.owner_id}::text[], ${nc.created_by}::text[],
            ${nc.type}::text[], ${nc.channel}::text[], ${nc.status}::text[], ${nc.fields}::text[], ${nc.field_seqs}::text[], ${nc.created_at}::text[],
            ${nc.updated_at}::text[], ${nc.closed_at}::text[], ${nc.version}::int[])
            AS k (id, reference, reference_key, team_id, owner_id, created_by, type, channel, status, fields, field_seqs, created_at, updated_at, closed_at, version)
        )`,
        rows.updateCases.length > 0 && sql`changed_cases AS (
          UPDATE cases SET owner_id = u.owner_id, status = u.status, fields = u.fields, field_seqs = ${absoluteFieldSeqs('u.field_seqs')},
            updated_at = u.updated_at, closed_at = u.closed_at, version = u.version
          FROM numbers AS n, unnest(${uc.id}::text[], ${uc.owner_id}::text[], ${uc.status}::text[], ${uc.fields}::text[], ${uc.field_seqs}::text[],
            ${uc.updated_at}::text[], ${uc.closed_at}::text[], ${uc.version}::int[]) AS u (id, owner_id, status, fields, field_seqs, updated_at, closed_at, version)
          WHERE cases.id = u.id
        )`,
        rows.events.length > 0 && sql`new_events AS (
          INSERT INTO case_events (id, case_id, kind, field, value, body, author_id, author_name, at, seq)
          SELECT ${absoluteEventId('e.id')}, e.case_id, e.kind, e.field, e.value, e.body, e.author_id, e.author_name, e.at, ${absolute('e.seq')}
          FROM numbers AS n, unnest(${ev.id}::text[], ${ev.case_id}::text[], ${ev.kind}::text[], ${ev.field}::text[], ${ev.value}::text[], ${ev.body}::text[],
            ${ev.author_id}::text[], ${ev.author_name}::text[], ${ev.at}::text[], ${ev.seq}::bigint[])
            AS e (id, case_id, kind, field, value, body, author_id, author_name, at, seq)
        )`,
        rows.conflicts.length > 0 && sql`new_conflicts AS (
          INSERT INTO conflicts (id, case_id, field, kind, losing_value, losing_by, losing_by_name, losing_at, winning_value, winning_by, winning_by_name,
            winning_at, reason, seq)
          SELECT x.id, x.case_id, x.field, x.kind, x.losing_value, x.losing_by, x.losing_by_name, x.losing_at, x.winning_value, x.winning_by,
            x.winning_by_name, x.winning_at, x.reason, ${absolute('x.seq')}
          FROM numbers AS n, unnest(${cf.id}::text[], ${cf.case_id}::text[], ${cf.field}::text[], ${cf.kind}::text[], ${cf.losing_value}::text[],
            ${cf.losing_by}::text[], ${cf.losing_by_name}::text[], ${cf.losing_at}::text[], ${cf.winning_value}::text[], ${cf.winning_by}::text[],
            ${cf.winning_by_name}::text[], ${cf.winning_at}::text[], ${cf.reason}::text[], ${cf.seq}::bigint[])
            AS x (id, case_id, field, kind, losing_value, losing_by, losing_by_name, losing_at, winning_value, winning_by, winning_by_name, winning_at, reason, seq)
        )`,
        rows.audits.length > 0 && sql`new_audits AS (
          INSERT INTO audit_log (user_id, case_id, reason, at)
          SELECT a.user_id, a.case_id, a.reason, a.at
          FROM numbers AS n, unnest(${au.user_id}::text[], ${au.case_id}::text[], ${au.reason}::text[], ${au.at}::text[]) AS a (user_id, case_id, reason, at)
        )`,
      ];
      const result = await sql<{ first: number | null }>`${sql.join(parts.filter((part) => part !== false), sql`, `)}
        SELECT (SELECT first FROM numbers) AS first`.execute(tx);
      const first = result.rows[0]?.first;
      return first === null || first === undefined ? null : Number(first);
    },
    async moveClient(tx, read, lastMutationId) {
      const result = await sql`WITH ${guard(read)}
        UPDATE sync_clients SET last_mutation_id = ${lastMutationId} WHERE client_id = ${read.clientId} AND (SELECT ok FROM guard)`.execute(tx);
      return Number(result.numAffectedRows ?? 0) === 1;
    },
  };
}
