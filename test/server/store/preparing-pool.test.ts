import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparingPool } from '../../../src-server/store/preparing-pool';
import { adminUrl } from '../../postgres';

describe('preparingPool (PostgreSQL)', () => {
  let pool: pg.Pool;
  let db: Kysely<Record<string, never>>;

  beforeAll(() => {
    // One connection, so every statement below runs on the connection whose prepared statements are listed.
    pool = new pg.Pool({ connectionString: adminUrl, max: 1 });
    db = new Kysely({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  });
  afterAll(async () => {
    await db.destroy();
  });

  async function preparedTexts(): Promise<string[]> {
    const result = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db);
    return result.rows.map((row) => row.statement);
  }

  it('prepares a statement once it has run a few times, and gives the same answers as before', async () => {
    const answers: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const result = await sql<{ doubled: number }>`SELECT ${i}::int * 2 AS doubled`.execute(db);
      answers.push(result.rows[0]!.doubled);
    }
    expect(answers).toEqual([2, 4, 6, 8, 10, 12]);
    expect(await preparedTexts()).toContain('SELECT $1::int * 2 AS doubled');
  });

  it('never prepares a text that runs once', async () => {
    await sql`SELECT 'only once' AS once`.execute(db);
    expect((await preparedTexts()).some((text) => text.includes('only once'))).toBe(false);
  });

  it('keeps transactions on one connection and reports errors as before', async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        for (let i = 0; i < 4; i++) await sql`SELECT ${i}::int AS n`.execute(tx);
        await sql`SELECT 1 / ${0}::int AS boom`.execute(tx);
      }),
    ).rejects.toThrow(/division by zero/);
    const after = await sql<{ n: number }>`SELECT ${7}::int AS n`.execute(db);
    expect(after.rows[0]!.n).toBe(7);
  });
});
