import type { Database } from 'better-sqlite3';

/** Distinct limits kept prepared for one query: page sizes, of which a desk uses a handful. */
const KEPT_LIMITS = 8;

/**
 * A query whose LIMIT is written into its text: `statementFor(limit)` is the query prepared with that limit, kept for
 * the next call with the same one. Never bind a LIMIT (`LIMIT ?`): SQLite lets the planner use a bound limit, so
 * every new binding marks the statement out of date and the next run prepares it again. As better-sqlite3 binds
 * values on every call, that is every call: measured on this cache, 10 µs a call for a one-table read and 0.1 ms or
 * more for the case list's joins, more than running them. `text(limit)` builds the SQL around a limit that has been
 * checked to be a whole number.
 */
export function limitedStatements<Params extends unknown[] | object, Row>(db: Database, text: (limit: number) => string) {
  const prepare = (limit: number) => db.prepare<Params, Row>(text(limit));
  const statements = new Map<number, ReturnType<typeof prepare>>();
  return (limit: number): ReturnType<typeof prepare> => {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`A query's limit must be a whole number of rows, not ${String(limit)}.`);
    let statement = statements.get(limit);
    if (!statement) {
      statement = prepare(limit);
      if (statements.size >= KEPT_LIMITS) statements.delete(statements.keys().next().value!);
      statements.set(limit, statement);
    }
    return statement;
  };
}
