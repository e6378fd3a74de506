import type { Database } from 'better-sqlite3';
import { assert } from '../../../src-shared/result';

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `CREATE TABLE <name> (` at the start of a table's stored SQL, the name bare or quoted. */
const CREATE_TABLE_HEAD = /^CREATE TABLE\s+(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)\s*\(/i;

/**
 * Changes what SQLite cannot change in place (a CHECK, say) by building the table again from its stored SQL as
 * `rewrite` changes it: SQLite's own procedure. The rows keep their rowids (the search index and anything else keyed
 * by rowid still find them), and the table's indexes and triggers are made again as they were, including any the
 * table gained after it was created. A migration that calls this runs with `foreignKeysOff` when other tables refer
 * to this one. Rowid tables only; `rewrite` must leave the columns as they are. A table `rewrite` leaves as it is
 * is not rebuilt. Returns whether it was.
 */
export function rebuildTable(db: Database, table: string, rewrite: (sql: string) => string): boolean {
  const stored = db.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table);
  assert(stored, `no table ${table} to rebuild`);
  assert(!/WITHOUT\s+ROWID/i.test(stored.sql), `${table} is not a rowid table`);
  const rewritten = rewrite(stored.sql);
  if (rewritten === stored.sql) return false;
  const rebuilt = `${table}_rebuilt`;
  const sql = rewritten.replace(CREATE_TABLE_HEAD, `CREATE TABLE ${quoted(rebuilt)} (`);
  assert(sql.startsWith(`CREATE TABLE ${quoted(rebuilt)} (`), `the stored SQL of ${table} does not start as a table's`);
  const attached = db
    .prepare<[string], { sql: string }>("SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name")
    .all(table);
  // Generated columns (hidden 2 and 3) are computed again, not copied.
  const columns = (db.pragma(`table_xinfo(${quoted(table)})`) as { name: string; hidden: number }[])
    .filter((column) => column.hidden === 0)
    .map((column) => quoted(column.name))
    .join(', ');
  db.exec(sql);
  db.exec(`INSERT INTO ${quoted(rebuilt)} (rowid, ${columns}) SELECT rowid, ${columns} FROM ${quoted(table)} ORDER BY rowid`);
  db.exec(`DROP TABLE ${quoted(table)}`);
  db.exec(`ALTER TABLE ${quoted(rebuilt)} RENAME TO ${quoted(table)}`);
  for (const { sql: definition } of attached) db.exec(definition);
  return true;
}
