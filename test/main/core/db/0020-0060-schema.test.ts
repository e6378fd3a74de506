import { describe, expect, it } from 'vitest';
import { databaseAt, migrateToLatest, tableNames } from './migration-helpers';

const at = '2026-11-21T09:00:00.000Z';

describe('migration 0020: reference data', () => {
  it('adds categories, providers with unique organisation codes, departments, queues and dispositions, keeping settings', () => {
    const db = databaseAt(10);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('installId', '\"abc\"', ?)").run(at);
    migrateToLatest(db);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['categories', 'providers', 'provider_departments', 'queues', 'dispositions']));
    expect(db.prepare("SELECT value FROM settings WHERE key = 'installId'").get()).toEqual({ value: '"abc"' });
    db.prepare("INSERT INTO providers (id, ods_code, name, kind) VALUES ('p1', 'RX1', 'A Trust', 'acute trust')").run();
    expect(() => db.prepare("INSERT INTO providers (id, ods_code, name, kind) VALUES ('p2', 'RX1', 'Copy', 'acute trust')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO provider_departments (id, provider_id, name) VALUES ('d', 'nope', 'X')").run()).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 0030: callers', () => {
  it('keeps one caller per number and flags as a JSON array', () => {
    const db = databaseAt(20);
    migrateToLatest(db);
    const insert = db.prepare('INSERT INTO callers (id, phone, name, flags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run('c1', '+447400123456', 'A', '["vulnerable"]', at, at);
    expect(() => insert.run('c2', '+447400123456', 'B', '[]', at, at)).toThrow(/UNIQUE/);
    expect(() => insert.run('c3', '+447400123457', 'C', '{"a":1}', at, at)).toThrow(/CHECK/);
  });
});

describe('migration 0040: cases', () => {
  it('stores cases with a unique reference, known types and channels, and links to callers and providers', () => {
    const db = databaseAt(30);
    migrateToLatest(db);
    const insert = db.prepare(`INSERT INTO cases (id, reference, type, channel, status, owner_id, created_by, created_at, updated_at, caller_id)
      VALUES (@id, @reference, @type, @channel, 'open', 'h1', 'h1', @at, @at, @caller)`);
    insert.run({ id: 'k1', reference: 'CC-AAAA-AAAA', type: 'feedback', channel: 'phone', at, caller: null });
    expect(() => insert.run({ id: 'k2', reference: 'CC-AAAA-AAAA', type: 'feedback', channel: 'phone', at, caller: null })).toThrow(/UNIQUE/);
    expect(() => insert.run({ id: 'k3', reference: 'CC-BBBB-BBBB', type: 'gossip', channel: 'phone', at, caller: null })).toThrow(/CHECK/);
    expect(() => insert.run({ id: 'k4', reference: 'CC-CCCC-CCCC', type: 'question', channel: 'fax', at, caller: null })).toThrow(/CHECK/);
    expect(() => insert.run({ id: 'k5', reference: 'CC-DDDD-DDDD', type: 'question', channel: 'web', at, caller: 'ghost' })).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 0050: case events', () => {
  it('keeps the timeline append-only: an event cannot be changed or deleted', () => {
    const db = databaseAt(40);
    db.prepare(`INSERT INTO cases (id, reference, type, channel, status, owner_id, created_by, created_at, updated_at)
      VALUES ('k1', 'CC-AAAA-AAAA', 'question', 'phone', 'open', 'h', 'h', ?, ?)`).run(at, at);
    migrateToLatest(db);
    db.prepare(`INSERT INTO case_events (id, case_id, kind, body, author_id, author_name, at) VALUES ('e1', 'k1', 'note', 'rang back', 'h', 'Sam', ?)`).run(at);
    expect(() => db.prepare("UPDATE case_events SET body = 'changed' WHERE id = 'e1'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM case_events WHERE id = 'e1'").run()).toThrow(/append-only/);
    expect(() => db.prepare(`INSERT INTO case_events (id, case_id, kind, author_id, author_name, at) VALUES ('e2', 'k1', 'note', 'h', 'Sam', ?)`).run(at)).toThrow(/CHECK/);
    expect(db.prepare("SELECT body FROM case_events WHERE id = 'e1'").get()).toEqual({ body: 'rang back' });
  });
});

describe('migration 0060: calls', () => {
  it('links calls to cases and refuses a negative hold time', () => {
    const db = databaseAt(50);
    migrateToLatest(db);
    const insert = db.prepare("INSERT INTO calls (id, direction, offered_at, held_ms) VALUES (?, 'inbound', ?, ?)");
    insert.run('call1', at, 0);
    expect(() => insert.run('call2', at, -5)).toThrow(/CHECK/);
  });
});
