import { describe, expect, it } from 'vitest';
import { databaseAt, migrateToLatest, tableNames } from './migration-helpers';

const at = '2026-11-21T09:00:00.000Z';

describe('migration 0110: sync', () => {
  it('gives every case already on the desk an empty map of server change numbers, and keeps its data', () => {
    const db = databaseAt(100);
    db.prepare(`INSERT INTO cases (id, reference, type, channel, status, description, owner_id, created_by, created_at, updated_at)
      VALUES ('k1', 'CC-AAAA-AAAA', 'feedback', 'phone', 'open', 'The ward was cold', 'h', 'h', ?, ?)`).run(at, at);
    migrateToLatest(db);

    expect(db.prepare('SELECT description, server_field_seqs FROM cases WHERE id = ?').get('k1')).toEqual({
      description: 'The ward was cold',
      server_field_seqs: '{}',
    });
    db.prepare(`UPDATE cases SET server_field_seqs = '{"description":41}' WHERE id = 'k1'`).run();
    expect(() => db.prepare("UPDATE cases SET server_field_seqs = '[1]' WHERE id = 'k1'").run()).toThrow(/CHECK/);
  });

  it('keeps conflicts against the case they belong to, with their values as JSON and unseen until looked at', () => {
    const db = databaseAt(100);
    db.prepare(`INSERT INTO cases (id, reference, type, channel, status, owner_id, created_by, created_at, updated_at)
      VALUES ('k1', 'CC-AAAA-AAAA', 'feedback', 'phone', 'open', 'h', 'h', ?, ?)`).run(at, at);
    migrateToLatest(db);
    expect(tableNames(db)).toContain('case_conflicts');

    const insert = db.prepare(`INSERT INTO case_conflicts (id, case_id, field, kind, losing_value, losing_at, winning_value, winning_by_name, winning_at, reason, seq)
      VALUES (?, ?, 'description', 'stale-edit', '"mine"', ?, '"theirs"', 'Ben', ?, 'Changed by Ben while this edit was offline.', 7)`);
    insert.run('x1', 'k1', at, at);
    expect(db.prepare('SELECT seen, losing_value, winning_value FROM case_conflicts WHERE id = ?').get('x1')).toEqual({
      seen: 0,
      losing_value: '"mine"',
      winning_value: '"theirs"',
    });
    expect(() => insert.run('x2', 'no-such-case', at, at)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE case_conflicts SET seen = 2 WHERE id = 'x1'").run()).toThrow(/CHECK/);

    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT * FROM case_conflicts WHERE case_id = ? ORDER BY seq').all('k1') as { detail: string }[])
      .map((row) => row.detail)
      .join(' | ');
    expect(plan).toMatch(/USING INDEX case_conflicts_by_case/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
