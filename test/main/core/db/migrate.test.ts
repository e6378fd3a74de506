import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError, migrate, schemaVersion } from '../../../../src-main/core/db/migrate';
import type { Migration } from '../../../../src-main/core/db/migration';

const createThings: Migration = { version: 10, name: 'things', up: (db) => db.exec('CREATE TABLE things (id INTEGER PRIMARY KEY, label TEXT NOT NULL)') };
const addColour: Migration = { version: 20, name: 'colour', up: (db) => db.exec("ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'") };

describe('migrate', () => {
  it('runs each step in order and records the version in user_version', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [createThings, addColour])).toEqual({ from: 0, to: 20 });
    expect(schemaVersion(db)).toBe(20);
    db.prepare('INSERT INTO things (label) VALUES (?)').run('kept');
    expect(db.prepare('SELECT colour FROM things').get()).toEqual({ colour: 'blue' });
  });

  it('runs only the steps a database has not had yet, keeping its data', () => {
    const db = new Database(':memory:');
    migrate(db, [createThings]);
    db.prepare('INSERT INTO things (label) VALUES (?)').run('from version 10');
    expect(migrate(db, [createThings, addColour])).toEqual({ from: 10, to: 20 });
    expect(db.prepare('SELECT label, colour FROM things').all()).toEqual([{ label: 'from version 10', colour: 'blue' }]);
  });

  it('refuses a database written by a newer app, with a clear error, and leaves it as it was', () => {
    const db = new Database(':memory:');
    migrate(db, [createThings, addColour]);
    expect(() => migrate(db, [createThings])).toThrow(DatabaseTooNewError);
    expect(() => migrate(db, [createThings])).toThrow(/schema version 20, but this app only knows up to 10/);
    expect(schemaVersion(db)).toBe(20);
  });

  it('rolls back a failing step whole, so the database stays at the last good version', () => {
    const db = new Database(':memory:');
    const broken: Migration = {
      version: 20,
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half_made (id INTEGER)');
        d.exec('THIS IS NOT SQL');
      },
    };
    expect(() => migrate(db, [createThings, broken])).toThrow();
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_made'").get()).toEqual({ n: 0 });
  });

  it('refuses a list of migrations that is out of order', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [addColour, createThings])).toThrow(/out of order/);
  });
});
