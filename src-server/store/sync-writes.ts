import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

type Tx = Transaction<Database> | Kysely<Database>;

export type CaseRow = Database['cases'];
export type CaseEventRow = Database['case_events'];
export type ChangeRow = Database['changes'];
export type SyncClientRow = Database['sync_clients'];
/** The columns a push changes on a case it did not create. */
export type CaseUpdate = Pick<CaseRow, 'id' | 'owner_id' | 'status' | 'fields' | 'field_seqs' | 'updated_at' | 'closed_at' | 'version'>;

/** Everything a push writes once it has its change numbers. */
export interface BatchRows {
  changes: readonly ChangeRow[];
  insertCases: readonly CaseRow[];
  updateCases: readonly CaseUpdate[];
  events: readonly CaseEventRow[];
}

/**
 * The reads and writes a push does many of, each over a whole batch: every case the batch touches in one read, every
 * timeline event in one write, and so on, rather than a statement per mutation. Everything runs inside the caller's
 * transaction. Two implementations: raw prepared statements on SQLite; on PostgreSQL a push's reads in one round trip,
 * its client's place and change numbers in one, and all its writes in one.
 */
export interface SyncWrites {
  /** A desktop client's row (its user and last mutation id), locked until commit on PostgreSQL. */
  lockClient(tx: Tx, clientId: string): Promise<SyncClientRow | undefined>;
  /**
   * What a push reads before it applies anything: its client's row, the case rows with these ids (those that exist)
   * and which of these timeline event ids are taken. On PostgreSQL one round trip, and the client's row and the cases
   * (in id order) stay locked until commit.
   */
  readBatch(tx: Tx, clientId: string, caseIds: readonly string[], eventIds: readonly string[]): Promise<{ client: SyncClientRow | undefined; cases: CaseRow[]; takenEventIds: Set<string> }>;
  updateCases(tx: Tx, rows: readonly CaseUpdate[]): Promise<void>;
  /**
   * Takes `count` change numbers in one step and returns the first; the rest follow it. On PostgreSQL this locks
   * the counter row until commit, so it must be the last lock a writer takes. `client`: a push's desktop client,
   * whose last mutation id is stored in the same step.
   */
  takeChangeNumbers(tx: Tx, count: number, client?: { clientId: string; lastMutationId: number }): Promise<number>;
  insertChanges(tx: Tx, rows: readonly ChangeRow[]): Promise<void>;
  /** Writes a push's rows (change log, new and changed cases, timeline events): one statement on PostgreSQL. */
  writeBatch(tx: Tx, rows: BatchRows): Promise<void>;
}

/**
 * SQLite: raw prepared statements on the store's one connection. They run inside the Kysely transaction the caller
 * holds (Kysely's SQLite driver keeps that connection to the transaction until it ends), and skip Kysely's building
 * and compiling of each statement, which cost more than running it. A list of ids goes in as one JSON array, so each
 * statement has one text whatever the batch's size.
 */
export function sqliteSyncWrites(database: BetterSqlite3.Database): SyncWrites {
  const selectClient = database.prepare<[string], SyncClientRow>('SELECT * FROM sync_clients WHERE client_id = ?');
  const selectCases = database.prepare<[string], CaseRow>('SELECT * FROM cases WHERE id IN (SELECT value FROM json_each(?))');
  const selectEventIds = database.prepare<[string], { id: string }>('SELECT id FROM case_events WHERE id IN (SELECT value FROM json_each(?))');
  const insertCase = database.prepare<CaseRow>(`INSERT INTO cases (id, reference, team_id, owner_id, created_by, type, channel, status, fields, field_seqs,
    created_at, updated_at, closed_at, version) VALUES (@id, @reference, @team_id, @owner_id, @created_by, @type, @channel, @status, @fields,
    @field_seqs, @created_at, @updated_at, @closed_at, @version)`);
  const updateCase = database.prepare<CaseUpdate>(`UPDATE cases SET owner_id = @owner_id, status = @status, fields = @fields,
    field_seqs = @field_seqs, updated_at = @updated_at, closed_at = @closed_at, version = @version WHERE id = @id`);
  // The two statements run hundreds of times a push take their values by position: binding by name costs more.
  const insertEvent = database.prepare<[string, string, string, string | null, string | null, string | null, string, string, string, number]>(
    'INSERT INTO case_events (id, case_id, kind, field, value, body, author_id, author_name, at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const takeNumbers = database.prepare<[number], { value: number }>("UPDATE counters SET value = value + ? WHERE name = 'change' RETURNING value");
  const setLastMutationId = database.prepare<[number, string]>('UPDATE sync_clients SET last_mutation_id = ? WHERE client_id = ?');
  const insertChange = database.prepare<[number, string, string, string, string, string]>('INSERT INTO changes (seq, team_id, entity, entity_id, data, at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertChanges = (rows: readonly ChangeRow[]) => {
    for (const row of rows) insertChange.run(row.seq, row.team_id, row.entity, row.entity_id, row.data, row.at);
  };
  const updateCases = (rows: readonly CaseUpdate[]) => {
    for (const row of rows) updateCase.run(row);
  };
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
    async takeChangeNumbers(_tx, count, client) {
      if (client) setLastMutationId.run(client.lastMutationId, client.clientId);
      return Number(takeNumbers.get(count)!.value) - count + 1;
    },
    insertChanges: async (_tx, rows) => insertChanges(rows),
    async writeBatch(_tx, rows) {
      insertChanges(rows.changes);
      for (const row of rows.insertCases) insertCase.run(row);
      updateCases(rows.updateCases);
      for (const row of rows.events) insertEvent.run(row.id, row.case_id, row.kind, row.field, row.value, row.body, row.author_id, row.author_name, row.at, row.seq);
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
 * PostgreSQL: each kind of row's columns sent as arrays and spread by `unnest`, all of a push's writes in one
 * statement, so a push costs the same few round trips however many mutations it holds. The case rows are read `FOR UPDATE` (in id order, so two
 * pushes lock shared cases in the same order): a push computes a case's next state from the row it read, and
 * another push must not change that row in between.
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

  return {
    lockClient: (tx, clientId) => tx.selectFrom('sync_clients').selectAll().where('client_id', '=', clientId).forUpdate().executeTakeFirst(),
    async readBatch(tx, clientId, caseIds, eventIds) {
      // One statement: the client's row locked first, then the cases in id order (each CTE is read whole), and the
      // event ids already taken.
      const result = await sql<{ client: SyncClientRow | null; cases: CaseRow[]; taken: string[] }>`WITH client AS (SELECT * FROM sync_clients WHERE client_id = ${clientId} FOR UPDATE),
          locked AS (SELECT * FROM cases WHERE id = ANY(${[...caseIds]}::text[]) ORDER BY id FOR UPDATE)
        SELECT (SELECT row_to_json(client) FROM client) AS client,
          (SELECT coalesce(json_agg(locked), '[]'::json) FROM locked) AS cases,
          (SELECT coalesce(json_agg(id), '[]'::json) FROM case_events WHERE id = ANY(${[...eventIds]}::text[])) AS taken`.execute(tx);
      const row = result.rows[0]!;
      return { client: row.client ?? undefined, cases: row.cases, takenEventIds: new Set(row.taken) };
    },
    updateCases,
    async takeChangeNumbers(tx, count, client) {
      const result = client
        ? await sql<{ value: number }>`WITH client AS (UPDATE sync_clients SET last_mutation_id = ${client.lastMutationId} WHERE client_id = ${client.clientId})
            UPDATE counters SET value = value + ${count} WHERE name = 'change' RETURNING value`.execute(tx)
        : await sql<{ value: number }>`UPDATE counters SET value = value + ${count} WHERE name = 'change' RETURNING value`.execute(tx);
      return Number(result.rows[0]!.value) - count + 1;
    },
    insertChanges,
    async writeBatch(tx, rows) {
      // One statement of four inserts and an update (each kind of row spread from column arrays; an empty array adds
      // nothing). They run with one snapshot: no part reads what another writes, and the foreign keys of the events
      // are checked at the end of the statement, when their new cases are there.
      const ch = columns(rows.changes, ['seq', 'team_id', 'entity', 'entity_id', 'data', 'at'] as const);
      const nc = columns(rows.insertCases, ['id', 'reference', 'team_id', 'owner_id', 'created_by', 'type', 'channel', 'status', 'fields', 'field_seqs', 'created_at', 'updated_at', 'closed_at', 'version'] as const);
      const uc = columns(rows.updateCases, ['id', 'owner_id', 'status', 'fields', 'field_seqs', 'updated_at', 'closed_at', 'version'] as const);
      const ev = columns(rows.events, ['id', 'case_id', 'kind', 'field', 'value', 'body', 'author_id', 'author_name', 'at', 'seq'] as const);
      await sql`WITH new_changes AS (
          INSERT INTO changes (seq, team_id, entity, entity_id, data, at)
          SELECT * FROM unnest(${ch.seq}::bigint[], ${ch.team_id}::text[], ${ch.entity}::text[], ${ch.entity_id}::text[], ${ch.data}::text[], ${ch.at}::text[])
        ), new_cases AS (
          INSERT INTO cases (id, reference, team_id, owner_id, created_by, type, channel, status, fields, field_seqs, created_at, updated_at, closed_at, version)
          SELECT * FROM unnest(${nc.id}::text[], ${nc.reference}::text[], ${nc.team_id}::text[], ${nc.owner_id}::text[], ${nc.created_by}::text[],
            ${nc.type}::text[], ${nc.channel}::text[], ${nc.status}::text[], ${nc.fields}::text[], ${nc.field_seqs}::text[], ${nc.created_at}::text[],
            ${nc.updated_at}::text[], ${nc.closed_at}::text[], ${nc.version}::int[])
        ), changed_cases AS (
          UPDATE cases SET owner_id = u.owner_id, status = u.status, fields = u.fields, field_seqs = u.field_seqs, updated_at = u.updated_at,
            closed_at = u.closed_at, version = u.version
          FROM unnest(${uc.id}::text[], ${uc.owner_id}::text[], ${uc.status}::text[], ${uc.fields}::text[], ${uc.field_seqs}::text[], ${uc.updated_at}::text[],
            ${uc.closed_at}::text[], ${uc.version}::int[]) AS u (id, owner_id, status, fields, field_seqs, updated_at, closed_at, version)
          WHERE cases.id = u.id
        ), new_events AS (
          INSERT INTO case_events (id, case_id, kind, field, value, body, author_id, author_name, at, seq)
          SELECT * FROM unnest(${ev.id}::text[], ${ev.case_id}::text[], ${ev.kind}::text[], ${ev.field}::text[], ${ev.value}::text[], ${ev.body}::text[],
            ${ev.author_id}::text[], ${ev.author_name}::text[], ${ev.at}::text[], ${ev.seq}::bigint[])
        )
        SELECT 1`.execute(tx);
    },
  };
}
