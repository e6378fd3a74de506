import { describe, expect, it } from 'vitest';
import { databaseAt, migrateToLatest } from './migration-helpers';

const at = '2026-11-21T09:00:00.000Z';

describe('migration 0070: outbox', () => {
  it('never reuses a mutation id, even after the newest entry is acknowledged and deleted', () => {
    const db = databaseAt(60);
    migrateToLatest(db);
    const insert = db.prepare("INSERT INTO outbox (name, args, created_at) VALUES ('case.create', '{}', ?)");
    insert.run(at);
    const second = Number(insert.run(at).lastInsertRowid);
    db.prepare('DELETE FROM outbox').run();
    expect(Number(insert.run(at).lastInsertRowid)).toBe(second + 1);
  });
});

describe('migration 0080: case search', () => {
  it('indexes existing cases’ words so they can be found, ignoring accents', () => {
    const db = databaseAt(70);
    db.prepare(`INSERT INTO cases (id, reference, type, channel, status, description, owner_id, created_by, created_at, updated_at)
      VALUES ('k1', 'CC-AAAA-AAAA', 'feedback', 'phone', 'open', 'The café on ward 9 was closed', 'h', 'h', ?, ?)`).run(at, at);
    migrateToLatest(db);
    db.prepare("INSERT INTO case_search (rowid, reference, description, notes) SELECT rowid, reference, description, '' FROM cases").run();
    expect(db.prepare("SELECT rowid FROM case_search WHERE case_search MATCH 'cafe'").all()).toHaveLength(1);
    db.prepare('DELETE FROM case_search WHERE rowid = 1').run();
    expect(db.prepare("SELECT rowid FROM case_search WHERE case_search MATCH 'cafe'").all()).toHaveLength(0);
  });
});
