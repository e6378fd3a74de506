import type { Database, Statement } from 'better-sqlite3';

/** Distinct limits kept prepared for one query: page sizes, of which a desk uses a handful. */
const KEPT_LIMITS = 8;

/**
 * Statements prepared once and kept by their SQL text, for queries whose text varies (filters, page sizes): `kept(sql)`
 * is the statement for that text. At most `max` are kept; the oldest goes first.
 */
export function keptStatements(db: Database, max: number): (sql: string) => Statement {
  const statements = new Map<string, Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size >= max) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  };
}

/**
 * A query whose LIMIT is written into its text: `statementFor(limit)` is the query prepared with that limit, kept for
 * the next call with the same one. Never bind a LIMIT (`LIMIT ?`): SQLite lets the planner use a bound limit, so
 * every new binding marks the statement out of date and the next run prepares it again. As better-sqlite3 binds
 * values on every call, that is every call: measured on this cache, 10 µs a call for a one-table read and 0.1 ms or
 * more for the case list's joins, more than running them. `text(limit)` builds the SQL around a limit that has been
 * checked to be a whole number.
 */
export function limitedStatements<Params extends unknown[] | object, Row>(db: Database, text: (limit: number) => string) {
  const kept = keptStatements(db, KEPT_LIMITS);
  return (limit: number) => {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`A query's limit must be a whole number of rows, not ${String(limit)}.`);
    return kept(text(limit)) as unknown as ReturnType<typeof db.prepare<Params, Row>>;
  };
}
