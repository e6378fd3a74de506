import { describe, expect, it } from 'vitest';
import { seedDemoReferenceData } from '../../../../src-main/core/reference-data/demo-seed';
import { databaseAt, migrateToLatest, tableNames } from './migration-helpers';

const at = '2026-11-21T09:00:00.000Z';

describe('migration 0120: team users and desk handover', () => {
  it('marks the demo rows already on a desk as seeded, but not a stand-in for a provider a pulled case named', () => {
    const db = databaseAt(110);
    seedDemoReferenceDataAt110(db);
    db.prepare("INSERT INTO providers (id, ods_code, name, kind, active) VALUES ('p-unknown', 'p-unknown', 'Unknown provider', 'unknown', 0)").run();
    migrateToLatest(db);

    expect(db.prepare("SELECT seeded FROM providers WHERE id = 'provider-rx1'").get()).toEqual({ seeded: 1 });
    expect(db.prepare("SELECT seeded FROM providers WHERE id = 'p-unknown'").get()).toEqual({ seeded: 0 });
    expect(db.prepare('SELECT min(seeded) AS low FROM queues').get()).toEqual({ low: 1 });
    expect(db.prepare('SELECT min(seeded) AS low FROM dispositions').get()).toEqual({ low: 1 });
    expect(tableNames(db)).toEqual(expect.arrayContaining(['team_users', 'desk_handover']));
  });

  it('keeps the timeline append-only except inside a desk handover', () => {
    const db = databaseAt(110);
    migrateToLatest(db);
    db.prepare(`INSERT INTO cases (id, reference, type, channel, status, owner_id, created_by, created_at, updated_at)
      VALUES ('k1', 'CC-AAAA-AAAA', 'feedback', 'phone', 'open', 'h', 'h', ?, ?)`).run(at, at);
    db.prepare(`INSERT INTO case_events (id, case_id, kind, body, author_id, author_name, at) VALUES ('e1', 'k1', 'note', 'Rang the ward', 'h', 'Asha', ?)`).run(at);

    expect(() => db.prepare("DELETE FROM case_events WHERE id = 'e1'").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE case_events SET body = 'changed' WHERE id = 'e1'").run()).toThrow(/append-only/);
    db.transaction(() => {
      db.prepare('INSERT INTO desk_handover (id, started_at) VALUES (1, ?)').run(at);
      db.prepare('DELETE FROM case_events').run();
      db.prepare('DELETE FROM desk_handover').run();
    })();
    expect(db.prepare('SELECT count(*) AS n FROM case_events').get()).toEqual({ n: 0 });
    expect(() => db.prepare('INSERT INTO desk_handover (id, started_at) VALUES (2, ?)').run(at)).toThrow(/CHECK/);
  });

  it('keeps one row per team and person, with a role the central API knows', () => {
    const db = databaseAt(110);
    migrateToLatest(db);
    const insert = db.prepare('INSERT INTO team_users (team_id, user_id, name, role, active) VALUES (?, ?, ?, ?, 1)');
    insert.run('team-a', 'u1', 'Asha', 'handler');
    insert.run('team-b', 'u1', 'Asha', 'handler');
    expect(() => insert.run('team-a', 'u1', 'Asha', 'handler')).toThrow(/UNIQUE/);
    expect(() => insert.run('team-a', 'u2', 'Ben', 'caretaker')).toThrow(/CHECK/);
  });
});

/** The demo seed as a desk at version 110 ran it: the same rows, without the `seeded` column it now sets. */
function seedDemoReferenceDataAt110(db: ReturnType<typeof databaseAt>): void {
  const scratch = databaseAt(110);
  migrateToLatest(scratch);
  seedDemoReferenceData(scratch);
  for (const table of ['categories', 'dispositions', 'queues', 'providers', 'provider_departments']) {
    const rows = scratch.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
    for (const row of rows) {
      delete row.seeded;
      const columns = Object.keys(row);
      db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
    }
  }
  scratch.close();
}
