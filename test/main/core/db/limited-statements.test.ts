import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { limitedStatements } from '../../../../src-main/core/db/limited-statements';

describe('queries with their limit in the text', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE outbox (mutation_id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  for (let i = 1; i <= 5; i += 1) db.prepare('INSERT INTO outbox (name) VALUES (?)').run(`change ${i}`);
  const oldest = limitedStatements<[string], { mutation_id: number }>(db, (limit) => `SELECT mutation_id FROM outbox WHERE name <> ? ORDER BY mutation_id LIMIT ${limit}`);

  it('returns at most the limit, from a statement whose text holds the number, kept for the next call', () => {
    expect(oldest(3).all('change 2').map((row) => row.mutation_id)).toEqual([1, 3, 4]);
    expect(oldest(3).source).toMatch(/LIMIT 3$/);
    expect(oldest(3)).toBe(oldest(3));
    expect(oldest(0).all('none')).toEqual([]);
    expect(oldest(10).all('none')).toHaveLength(5);
  });

  it('refuses a limit that is not a whole number of rows, so nothing else reaches the SQL', () => {
    for (const bad of [2.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => oldest(bad)).toThrow(/limit must be a whole number of rows/);
  });
});
