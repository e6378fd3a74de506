import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

type Tx = Transaction<Database> | Kysely<Database>;

export type CaseRow = Database['cases'];
export type CaseEventRow = Database['case_events'];
export type ChangeRow = Database['changes'];
/** The columns a push changes on a case it did not create. */
export type CaseUpdate = Pick<CaseRow, 'id' | 'owner_id' | 'status' | 'fields' | 'field_seqs' | 'updated_at' | 'closed_at' | 'version'>;

/**
 * The reads and writes a push does many of, each over a whole batch: every case the batch touches in one read, every
 * timeline event in one write, and so on, rather than a statement per mutation. Everything runs inside the caller's
 * transaction. Two implementations: raw prepared statements on SQLite, one round trip per kind of row on PostgreSQL.
 */
export interface SyncWrites {
  /** The case rows with these ids (those that exist). On PostgreSQL they stay locked until commit. */
  casesByIds(tx: Tx, ids: readonly string[]): Promise<CaseRow[]>;
  /** Which of these timeline event ids are taken. */
  takenEventIds(tx: Tx, ids: readonly string[]): Promise<Set<string>>;
  insertCases(tx: Tx, rows: readonly CaseRow[]): Promise<void>;
  updateCases(tx: Tx, rows: readonly CaseUpdate[]): Promise<void>;
  insertEvents(tx: Tx, rows: readonly CaseEventRow[]): Promise<void>;
  /**
   * Takes `count` change numbers in one step and returns the first; the rest follow it. On PostgreSQL this locks
   * the counter row until commit, so it must be the last lock a writer takes.
   */
  takeChangeNumbers(tx: Tx, count: number): Promise<number>;
  insertChanges(tx: Tx, rows: readonly ChangeRow[]): Promise<void>;
}

/**
 * SQLite: raw prepared statements on the store's one connection. They run inside the Kysely transaction the caller
 * holds (Kysely's SQLite driver keeps that connection to the transaction until it ends), and skip Kysely's building
 * and compiling of each statement, which cost more than running it. A list of ids goes in as one JSON array, so each
 * statement has one text whatever the batch's size.
 */
export function sqliteSyncWrites(database: BetterSqlite3.Database): SyncWrites {
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
  const insertChange = database.prepare<[number, string, string, string, string, string]>('INSERT INTO changes (seq, team_id, entity, entity_id, data, at) VALUES (?, ?, ?, ?, ?, ?)');
  return {
    casesByIds: async (_tx, ids) => (ids.length === 0 ? [] : selectCases.all(JSON.stringify(ids))),
    takenEventIds: async (_tx, ids) => new Set(ids.length === 0 ? [] : selectEventIds.all(JSON.stringify(ids)).map((row) => row.id)),
    async insertCases(_tx, rows) {
      for (const row of rows) insertCase.run(row);
    },
    async updateCases(_tx, rows) {
      for (const row of rows) updateCase.run(row);
    },
    async insertEvents(_tx, rows) {
      for (const row of rows) insertEvent.run(row.id, row.case_id, row.kind, row.field, row.value, row.body, row.author_id, row.author_name, row.at, row.seq);
    },
    async takeChangeNumbers(_tx, count) {
      return Number(takeNumbers.get(count)!.value) - count + 1;
    },
    async insertChanges(_tx, rows) {
      for (const row of rows) insertChange.run(row.seq, row.team_id, row.entity, row.entity_id, row.data, row.at);
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
 * PostgreSQL: each kind of row in one statement, its columns sent as arrays and spread by `unnest`, so a push costs a
 * handful of round trips however many mutations it holds. The case rows are read `FOR UPDATE` (in id order, so two
 * pushes lock shared cases in the same order): a push computes a case's next state from the row it read, and
 * another push must not change that row in between.
 */
export function postgresSyncWrites(): SyncWrites {
  return {
    async casesByIds(tx, ids) {
      if (ids.length === 0) return [];
      const result = await sql<CaseRow>`SELECT * FROM cases WHERE id = ANY(${[...ids]}::text[]) ORDER BY id FOR UPDATE`.execute(tx);
      return result.rows;
    },
    async takenEventIds(tx, ids) {
      if (ids.length === 0) return new Set();
      const result = await sql<{ id: string }>`SELECT id FROM case_events WHERE id = ANY(${[...ids]}::text[])`.execute(tx);
      return new Set(result.rows.map((row) => row.id));
    },
    async insertCases(tx, rows) {
      if (rows.length === 0) return;
      const c = columns(rows, ['id', 'reference', 'team_id', 'owner_id', 'created_by', 'type', 'channel', 'status', 'fields', 'field_seqs', 'created_at', 'updated_at', 'closed_at', 'version'] as const);
      await sql`INSERT INTO cases (id, reference, team_id, owner_id, created_by, type, channel, status, fields, field_seqs, created_at, updated_at, closed_at, version)
        SELECT * FROM unnest(${c.id}::text[], ${c.reference}::text[], ${c.team_id}::text[], ${c.owner_id}::text[], ${c.created_by}::text[],
          ${c.type}::text[], ${c.channel}::text[], ${c.status}::text[], ${c.fields}::text[], ${c.field_seqs}::text[], ${c.created_at}::text[],
          ${c.updated_at}::text[], ${c.closed_at}::text[], ${c.version}::int[])`.execute(tx);
    },
    async updateCases(tx, rows) {
      if (rows.length === 0) return;
      const c = columns(rows, ['id', 'owner_id', 'status', 'fields', 'field_seqs', 'updated_at', 'closed_at', 'version'] as const);
      await sql`UPDATE cases SET owner_id = u.owner_id, status = u.status, fields = u.fields, field_seqs = u.field_seqs, updated_at = u.updated_at,
          closed_at = u.closed_at, version = u.version
        FROM unnest(${c.id}::text[], ${c.owner_id}::text[], ${c.status}::text[], ${c.fields}::text[], ${c.field_seqs}::text[], ${c.updated_at}::text[],
          ${c.closed_at}::text[], ${c.version}::int[]) AS u (id, owner_id, status, fields, field_seqs, updated_at, closed_at, version)
        WHERE cases.id = u.id`.execute(tx);
    },
    async insertEvents(tx, rows) {
      if (rows.length === 0) return;
      const c = columns(rows, ['id', 'case_id', 'kind', 'field', 'value', 'body', 'author_id', 'author_name', 'at', 'seq'] as const);
      await sql`INSERT INTO case_events (id, case_id, kind, field, value, body, author_id, author_name, at, seq)
        SELECT * FROM unnest(${c.id}::text[], ${c.case_id}::text[], ${c.kind}::text[], ${c.field}::text[], ${c.value}::text[], ${c.body}::text[],
          ${c.author_id}::text[], ${c.author_name}::text[], ${c.at}::text[], ${c.seq}::bigint[])`.execute(tx);
    },
    async takeChangeNumbers(tx, count) {
      const result = await sql<{ value: number }>`UPDATE counters SET value = value + ${count} WHERE name = 'change' RETURNING value`.execute(tx);
      return Number(result.rows[0]!.value) - count + 1;
    },
    async insertChanges(tx, rows) {
      if (rows.length === 0) return;
      const c = columns(rows, ['seq', 'team_id', 'entity', 'entity_id', 'data', 'at'] as const);
      await sql`INSERT INTO changes (seq, team_id, entity, entity_id, data, at)
        SELECT * FROM unnest(${c.seq}::bigint[], ${c.team_id}::text[], ${c.entity}::text[], ${c.entity_id}::text[], ${c.data}::text[], ${c.at}::text[])`.execute(tx);
    },
  };
}
