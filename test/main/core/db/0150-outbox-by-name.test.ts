import { describe, expect, it } from 'vitest';
import { createWaitingCount, WAITING_COUNT_SQL } from '../../../../src-main/core/sync/outbox';
import { databaseAt, migrateToLatest } from './migration-helpers';

const at = '2026-11-21T09:00:00.000Z';

describe('migration 0150: the outbox by name', () => {
  it('counts the changes and the reports for the audit log waiting from the index alone, entries made before it included', () => {
    const db = databaseAt(140);
    const insert = (name: string, args: unknown) => db.prepare('INSERT INTO outbox (name, args, created_at) VALUES (?, ?, ?)').run(name, JSON.stringify(args), at);
    insert('case.create', { description: 'x'.repeat(2000) });
    insert('case.viewed', {});
    migrateToLatest(db);
    insert('cases.listed', { caseIds: ['a', 'b'] });
    insert('case.updateField', {});
    insert('case.appendNote', {});

    expect(createWaitingCount(db)()).toEqual({ pending: 3, reports: 2 });
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${WAITING_COUNT_SQL}`)
      .all()
      .map((row) => (row as { detail: string }).detail);
    expect(plan).toContain('SCAN outbox USING COVERING INDEX outbox_by_name');
    expect(plan).toContain('SEARCH outbox USING COVERING INDEX outbox_by_name (name=?)');
  });
});
