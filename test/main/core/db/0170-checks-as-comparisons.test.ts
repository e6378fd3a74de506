import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../src-main/core/db/migrate';
import type { Migration } from '../../../../src-main/core/db/migration';
import { checksAsComparisons } from '../../../../src-main/core/db/migrations/0170-checks-as-comparisons';
import { rebuildTable } from '../../../../src-main/core/db/rebuild-table';
import { databaseAt, migrateToLatest } from './migration-helpers';

const at = '2026-11-21T09:00:00.000Z';

function seedAt160(db: Database.Database) {
  db.prepare("INSERT INTO callers (id, phone, name, flags, created_at, updated_at) VALUES ('p1', '+447700900123', 'Asha', '[]', ?, ?)").run(at, at);
  const insertCase = db.prepare(`INSERT INTO cases (id, reference, type, channel, status, description, caller_id, contact_method, owner_id, created_by, created_at, updated_at)
    VALUES (?, ?, ?, ?, 'open', ?, ?, ?, 'h1', 'h1', ?, ?)`);
  insertCase.run('k1', 'CC-AAAA-AAAA', 'question', 'phone', 'Can I bring my dog to the ward?', 'p1', 'phone', at, at);
  insertCase.run('k2', 'CC-BBBB-BBBB', 'general-enquiry', 'email', 'Parking charges at night', null, 'none', at, at);
  const event = db.prepare(`INSERT INTO case_events (id, case_id, kind, field, new_value, body, author_id, author_name, at) VALUES (?, ?, ?, ?, ?, ?, 'h1', 'Asha', ?)`);
  event.run('e1', 'k1', 'created', null, '{"type":"question","channel":"phone"}', null, at);
  event.run('e2', 'k1', 'note', null, null, 'Rang the ward back', at);
  event.run('e3', 'k2', 'message', null, '{"direction":"inbound","channel":"email"}', 'Is parking free at night?', at);
  db.prepare("INSERT INTO calls (id, case_id, caller_id, direction, offered_at, held_ms, outcome) VALUES ('c1', 'k1', 'p1', 'inbound', ?, 0, 'answered')").run(at);
  db.prepare("INSERT INTO team_users (team_id, user_id, name, role, active) VALUES ('t1', 'h1', 'Asha', 'handler', 1)").run();
  // The search index is keyed by the case's rowid.
  const rowid = (id: string) => (db.prepare('SELECT rowid FROM cases WHERE id = ?').get(id) as { rowid: number }).rowid;
  db.prepare("INSERT INTO case_search (rowid, reference, description, notes) VALUES (?, 'CC-AAAA-AAAA', 'Can I bring my dog to the ward?', 'Rang the ward back')").run(rowid('k1'));
  db.prepare("INSERT INTO case_search (rowid, reference, description, notes) VALUES (?, 'CC-BBBB-BBBB', 'Parking charges at night', '')").run(rowid('k2'));
}

const TABLES = ['cases', 'case_events', 'calls', 'team_users'];

function contents(db: Database.Database) {
  return Object.fromEntries(TABLES.map((table) => [table, db.prepare(`SELECT rowid AS row_number, * FROM ${table} ORDER BY rowid`).all()]));
}

/** The indexes and triggers of the rebuilt tables, as their SQL. */
function attached(db: Database.Database) {
  return db
    .prepare(`SELECT type, name, sql FROM sqlite_schema WHERE tbl_name IN (${TABLES.map(() => '?').join(', ')}) AND type IN ('index', 'trigger') ORDER BY name`)
    .all(...TABLES);
}

describe('migration 0170: CHECKs as comparisons', () => {
  it('writes a word list as comparisons joined by OR, and leaves every other CHECK as it was', () => {
    expect(checksAsComparisons("kind TEXT NOT NULL CHECK (kind IN ('created', 'field', 'note')), x CHECK (x IN ('a', 'b')), y CHECK (json_valid(y))")).toBe(
      "kind TEXT NOT NULL CHECK (kind = 'created' OR kind = 'field' OR kind = 'note'), x CHECK (x IN ('a', 'b')), y CHECK (json_valid(y))",
    );
  });

  it('keeps every row with its rowid, so search still finds the cases, and every index and trigger', () => {
    const db = databaseAt(160);
    seedAt160(db);
    const before = contents(db);
    const schemaBefore = attached(db);
    migrateToLatest(db);

    expect(contents(db)).toEqual(before);
    expect(attached(db)).toEqual(schemaBefore);
    const found = db.prepare("SELECT c.id FROM case_search s JOIN cases c ON c.rowid = s.rowid WHERE case_search MATCH 'dog'").all();
    expect(found).toEqual([{ id: 'k1' }]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('still refuses what it refused before: an unknown type, channel, contact method, event kind, call outcome or role', () => {
    const db = databaseAt(160);
    seedAt160(db);
    migrateToLatest(db);
    const insertCase = db.prepare(`INSERT INTO cases (id, reference, type, channel, status, contact_method, owner_id, created_by, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'open', ?, 'h1', 'h1', ?, ?)`);
    expect(() => insertCase.run('k3', 'CC-CCCC-CCCC', 'complaint', 'phone', 'none', at, at)).toThrow(/CHECK constraint failed: type/);
    expect(() => insertCase.run('k3', 'CC-CCCC-CCCC', 'question', 'fax', 'none', at, at)).toThrow(/CHECK constraint failed: channel/);
    expect(() => insertCase.run('k3', 'CC-CCCC-CCCC', 'question', 'phone', 'pigeon', at, at)).toThrow(/CHECK constraint failed: contact_method/);
    expect(() => db.prepare("UPDATE cases SET type = 'complaint' WHERE id = 'k1'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("INSERT INTO case_events (id, case_id, kind, body, author_id, author_name, at) VALUES ('e9', 'k1', 'gossip', 'x', 'h1', 'Asha', ?)").run(at)).toThrow(
      /CHECK constraint failed/,
    );
    expect(() => db.prepare("INSERT INTO calls (id, direction, offered_at, held_ms, outcome) VALUES ('c9', 'inbound', ?, 0, 'vanished')").run(at)).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("INSERT INTO team_users (team_id, user_id, name, role, active) VALUES ('t1', 'h9', 'Sam', 'owner', 1)").run()).toThrow(/CHECK constraint failed/);

    // What was allowed still is, a call with no outcome yet included.
    insertCase.run('k3', 'CC-CCCC-CCCC', 'feedback', 'social', 'email', at, at);
    db.prepare("INSERT INTO case_events (id, case_id, kind, new_value, author_id, author_name, at) VALUES ('e9', 'k3', 'call', '{}', 'h1', 'Asha', ?)").run(at);
    db.prepare("INSERT INTO calls (id, direction, offered_at, held_ms, outcome) VALUES ('c9', 'outbound', ?, 0, NULL)").run(at);
    db.prepare("INSERT INTO team_users (team_id, user_id, name, role, active) VALUES ('t1', 'h9', 'Sam', 'supervisor', 1)").run();
  });

  it('keeps the timeline append-only and every reference enforced', () => {
    const db = databaseAt(160);
    seedAt160(db);
    migrateToLatest(db);
    expect(() => db.prepare("DELETE FROM case_events WHERE id = 'e2'").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE case_events SET body = 'changed' WHERE id = 'e2'").run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO case_events (id, case_id, kind, body, author_id, author_name, at) VALUES ('e9', 'nope', 'note', 'x', 'h1', 'Asha', ?)").run(at)).toThrow(
      /FOREIGN KEY/,
    );
    expect(() => db.prepare("DELETE FROM cases WHERE id = 'k1'").run()).toThrow(/FOREIGN KEY/);
  });

  it('leaves no CHECK on the tables a desk writes most that builds a list each time it is checked', () => {
    const db = databaseAt(160);
    migrateToLatest(db);
    for (const table of TABLES) {
      const { sql } = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string };
      expect(sql, table).not.toMatch(/CHECK \(\w+ IN \('[^']*'(, '[^']*'){2,}\)\)/);
    }
  });
});

describe('a migration that rebuilds a table others refer to', () => {
  const things: Migration = {
    version: 10,
    name: 'things',
    up: (db) =>
      db.exec(`CREATE TABLE things (id TEXT PRIMARY KEY, colour TEXT NOT NULL CHECK (colour IN ('red', 'green', 'blue')));
        CREATE TABLE parts (id TEXT PRIMARY KEY, thing_id TEXT NOT NULL REFERENCES things (id));
        CREATE INDEX things_by_colour ON things (colour)`),
  };

  it('runs with foreign keys off, and rolls back whole, with the broken reference named, if it would leave one', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, [things]);
    db.exec("INSERT INTO things VALUES ('t1', 'red'); INSERT INTO parts VALUES ('p1', 't1')");
    const losesARow: Migration = {
      version: 20,
      name: 'loses a row',
      foreignKeysOff: true,
      up: (d) => rebuildTable(d, 'things', (sql) => checksAsComparisons(sql).replace("'red'", "'crimson'")),
    };
    // The rebuilt table refuses the old row's colour: the copy fails and nothing changes.
    expect(() => migrate(db, [things, losesARow])).toThrow(/CHECK constraint failed/);
    const dropsTheParent: Migration = {
      version: 20,
      name: 'drops the parent',
      foreignKeysOff: true,
      up: (d) => {
        rebuildTable(d, 'things', checksAsComparisons);
        d.exec("DELETE FROM things WHERE id = 't1'");
      },
    };
    expect(() => migrate(db, [things, dropsTheParent])).toThrow(/1 broken reference\(s\), the first from parts to things/);
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(db.prepare('SELECT * FROM things').all()).toEqual([{ id: 't1', colour: 'red' }]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);

    const rebuilds: Migration = { version: 20, name: 'rebuilds', foreignKeysOff: true, up: (d) => rebuildTable(d, 'things', checksAsComparisons) };
    migrate(db, [things, rebuilds]);
    expect(db.prepare('SELECT * FROM parts').all()).toEqual([{ id: 'p1', thing_id: 't1' }]);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'things' AND sql IS NOT NULL").all()).toEqual([{ name: 'things_by_colour' }]);
    expect(() => db.exec("INSERT INTO things VALUES ('t2', 'purple')")).toThrow(/CHECK constraint failed/);
    expect(() => db.exec("DELETE FROM things WHERE id = 't1'")).toThrow(/FOREIGN KEY/);
  });
});
