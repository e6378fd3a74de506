import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

/** A statement text run this many times is prepared from then on. */
const PREPARE_AFTER_RUNS = 3;
/** At most this many texts are prepared (per pool, and so per connection): one-off texts never are. */
const MAX_PREPARED = 200;

/**
 * A pg pool for Kysely that runs its frequent statements as named prepared statements, so PostgreSQL parses and
 * plans each once per connection instead of on every run: a push's and a pull's statements are fixed texts run on
 * every request, and their planning was a third of a push's time. A text is prepared once it has been run a few
 * times, up to a bound, so texts made once (a migration, a list of a rare length) never are. Migrations run before
 * anything else, so no prepared statement outlives a change of the schema it was planned against.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const runs = new Map<string, number>();
  const names = new Map<string, string>();

  function nameFor(text: string): string | null {
    const known = names.get(text);
    if (known) return known;
    const count = (runs.get(text) ?? 0) + 1;
    if (count < PREPARE_AFTER_RUNS || names.size >= MAX_PREPARED) {
      if (runs.size < 10 * MAX_PREPARED) runs.set(text, count);
      return null;
    }
    runs.delete(text);
    const name = `care_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
    return name;
  }

  return {
    options: pool.options,
    end: () => pool.end(),
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = (textOrQuery: unknown, values?: readonly unknown[]) => {
        if (typeof textOrQuery === 'string') {
          const name = nameFor(textOrQuery);
          if (name) return client.query({ name, text: textOrQuery, values: values as unknown[] });
          return client.query(textOrQuery, values as unknown[]);
        }
        // A cursor or a query object: passed on as it is.
        return client.query(textOrQuery as pg.QueryConfig);
      };
      return { query, release: (destroy?: boolean) => client.release(destroy) } as unknown as PostgresPoolClient;
    },
  };
}
