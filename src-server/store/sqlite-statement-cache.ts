import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** More distinct statements than the store builds (a few dozen, more with `IN` lists of different lengths). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely's SQLite driver sees it, with each statement prepared once. The driver prepares the SQL
 * of every query each time it runs it, and preparing costs more than running a small statement: half the time of a
 * push went on it. Statements are kept by their SQL text (the values are bound, never in the text, but for a
 * query's limit: see `limitsInText`); when more than `max` are kept, the oldest is dropped. Kysely runs one query at a time on its one SQLite connection, so a
 * kept statement is never in use twice at once.
 */
export function cacheStatements(database: BetterSqlite3.Database, max = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size >= max) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => database.close(),
  };
}
