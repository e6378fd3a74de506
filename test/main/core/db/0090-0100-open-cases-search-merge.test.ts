import { describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../../../../src-main/core/callers/caller-repository';
import { CASE_LIST_SELECT } from '../../../../src-main/core/cases/case-rows';
import { databaseAt, migrateToLatest } from './migration-helpers';

const at = '2026-11-21T09:00:00.000Z';

describe('migration 0090: open cases by caller', () => {
  it('indexes the open cases already on the desk, and the screen pop’s open-cases query uses that index', () => {
    const db = databaseAt(80);
    db.prepare("INSERT INTO callers (id, phone, created_at, updated_at) VALUES ('c1', '+447400123456', ?, ?)").run(at, at);
    const insert = db.prepare(`INSERT INTO cases (id, reference, type, channel, status, owner_id, created_by, created_at, updated_at, caller_id)
      VALUES (?, ?, 'feedback', 'phone', ?, 'h1', 'h1', ?, ?, 'c1')`);
    insert.run('k1', 'CC-AAAA-AAAA', 'open', at, at);
    insert.run('k2', 'CC-BBBB-BBBB', 'responded', at, at);
    insert.run('k3', 'CC-CCCC-CCCC', 'escalated', at, at);
    migrateToLatest(db);

    const sql = `${CASE_LIST_SELECT} WHERE c.caller_id = ? AND c.status IN ${OPEN_STATUSES} ORDER BY c.created_at DESC LIMIT ?`;
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('c1', 20) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/SEARCH c USING INDEX cases_open_by_caller \(caller_id=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect((db.prepare(sql).all('c1', 20) as { id: string }[]).map((r) => r.id).sort()).toEqual(['k1', 'k3']);
  });
});

describe('migration 0100: search merges between saves', () => {
  it('turns off FTS5 automerge and keeps what is already indexed searchable', () => {
    const db = databaseAt(90);
    db.prepare("INSERT INTO case_search (rowid, reference, description, notes) VALUES (1, 'CC-AAAA-AAAA', 'The ward was cold', '')").run();
    migrateToLatest(db);
    expect(db.prepare("SELECT v FROM case_search_config WHERE k = 'automerge'").get()).toEqual({ v: 0 });
    expect(db.prepare("SELECT rowid FROM case_search WHERE case_search MATCH 'cold'").all()).toEqual([{ rowid: 1 }]);
  });
});
