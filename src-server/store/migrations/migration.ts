import { sql, type Kysely } from 'kysely';
import { referenceKey } from '../../../src-shared/domain/reference-number';
import type { Database } from '../schema';

/** One schema step of the central API's store, as SQL statements run in one transaction. */
export interface StoreMigration {
  version: number;
  name: string;
  sql: readonly string[];
  /** Fills in what SQL alone cannot compute, after `sql` and before `thenSql`, in the same transaction. */
  backfill?: (tx: Kysely<Database>) => Promise<void>;
  thenSql?: readonly string[];
}

/**
 * Brings a store's schema up to date. Versions live in `schema_migrations`; a store newer than this server is
 * refused, never silently downgraded. Each step and its version row commit together.
 */
export async function migrateStore(db: Kysely<Database>, steps: readonly StoreMigration[]): Promise<number> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`.execute(db);
  const rows = await db.selectFrom('schema_migrations').select('version').execute();
  const applied = new Set(rows.map((row) => Number(row.version)));
  const newest = Math.max(0, ...applied);
  const known = steps.at(-1)?.version ?? 0;
  if (newest > known) {
    throw new Error(`The central store is at schema version ${newest}, but this server only knows up to ${known}. Run the newer server.`);
  }
  for (const step of steps) {
    if (applied.has(step.version)) continue;
    await db.transaction().execute(async (tx) => {
      for (const statement of step.sql) await sql.raw(statement).execute(tx);
      await step.backfill?.(tx);
      for (const statement of step.thenSql ?? []) await sql.raw(statement).execute(tx);
      await tx.insertInto('schema_migrations').values({ version: step.version, name: step.name, applied_at: new Date().toISOString() }).execute();
    });
  }
  return known;
}

/**
 * Migration 150, the same on both stores. Session generations: an ending of a person's sessions counts one more, and
 * a token carries the generation it was given out in, so an ending refuses every token from before it whatever each
 * instance's clock says (comparing `sessions_from`, written by one instance's clock, with a token's time, written by
 * another's, let a token given out by an instance whose clock ran ahead outlive a new password, and refused new
 * sessions on one whose clock ran behind). New columns with defaults: older instances beside this one go on as they
 * did, and where they end sessions without counting, `generation_sessions_from` tells (see `access-state.ts`).
 */
export const sessionGenerationsMigration: StoreMigration = {
  version: 150,
  name: 'session-generations',
  sql: [
    `ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0`,
    `ALTER TABLE users ADD COLUMN generation_sessions_from TEXT`,
    `UPDATE users SET generation_sessions_from = sessions_from`,
    `ALTER TABLE refresh_tokens ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0`,
  ],
};

/**
 * Migration 160, the same on both stores but for the key's column type and how a thousand keys are written at once.
 * Cases are found by their reference through a number made from it in the order its desk made them (`referenceKey`),
 * not through the reference's text. The texts are scrambled, so the old index took each new case at a random place: a
 * push of 200 changes creating 40 cases rewrote about 40 of its pages, 160 KB of the push's commit once the index had
 * grown (measured: 36 of 115 pages a push at 20,000 cases). On the keys each desk's cases go at the end of its own
 * run. A case an older instance beside this one writes has no key; a small index of only such cases finds those by
 * their text. Every case already stored gets its key here, a thousand at a time in id order; a reference that does
 * not decode keeps none, and is still found by its text.
 */
export function referenceKeysMigration(
  columnType: 'INTEGER' | 'BIGINT',
  write: (tx: Kysely<Database>, rows: readonly { id: string; key: number }[]) => Promise<void>,
): StoreMigration {
  return {
    version: 160,
    name: 'reference-keys',
    sql: [`ALTER TABLE cases ADD COLUMN reference_key ${columnType}`],
    async backfill(tx) {
      let after = '';
      for (;;) {
        const page = await tx.selectFrom('cases').select(['id', 'reference']).where('id', '>', after).orderBy('id').limit(1000).execute();
        if (page.length === 0) return;
        const rows: { id: string; key: number }[] = [];
        for (const row of page) {
          const key = referenceKey(row.reference);
          if (key !== null) rows.push({ id: row.id, key });
        }
        if (rows.length > 0) await write(tx, rows);
        after = page.at(-1)!.id;
      }
    },
    thenSql: [
      `DROP INDEX cases_by_reference`,
      `CREATE INDEX cases_by_reference_key ON cases (reference_key)`,
      `CREATE INDEX cases_by_reference_unkeyed ON cases (reference) WHERE reference_key IS NULL`,
    ],
  };
}
