import type pg from 'pg';

/** More distinct statements with values than the store runs (a few dozen, more with `IN` lists of different lengths). */
export const PREPARED_STATEMENTS_MAX = 200;

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Makes the connections of `pool` run each statement that has values as a named prepared statement: PostgreSQL
 * parses it once per connection, and after a few runs plans it once too, if its general plan costs no more than the
 * plans made for each run's values (`plan_cache_mode` auto). Kysely sends every query as a text with its values
 * bound, never in the text, so the texts are few. A push's write is one long statement whose planning took as long
 * as its running. A name is kept per text for the pool's life, for the first `max` texts; later texts run unnamed.
 * Statements without values (transaction control, migrations) are left as they are.
 */
export function prepareStatements(pool: pg.Pool, max = PREPARED_STATEMENTS_MAX): void {
  const names = new Map<string, string>();
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (config, values, callback) => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        let name = names.get(config);
        if (name === undefined && names.size < max) names.set(config, (name = `care_desk_${names.size + 1}`));
        if (name !== undefined) return query({ name, text: config, values }, callback);
      }
      return query(config, values, callback);
    };
  });
}
