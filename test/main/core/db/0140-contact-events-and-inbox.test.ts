import { describe, expect, it } from 'vitest';
import { databaseAt, migrateToLatest } from './migration-helpers';

const at = '2026-11-21T09:00:00.000Z';

function seedAt120(db: ReturnType<typeof databaseAt>) {
  db.prepare(`INSERT INTO cases (id, reference, type, channel, status, description, owner_id, created_by, created_at, updated_at)
    VALUES ('k1', 'CC-AAAA-AAAA', 'question', 'web', 'open', 'Can I bring my dog?', 'intake', 'intake', ?, ?)`).run(at, at);
  const event = db.prepare(`INSERT INTO case_events (id, case_id, kind, field, old_value, new_value, body, author_id, author_name, at)
    VALUES (?, 'k1', ?, ?, ?, ?, ?, 'h', 'Asha', ?)`);
  event.run('e1', 'created', null, null, '{"type":"question","channel":"web","reference":"CC-AAAA-AAAA"}', null, at);
  event.run('e2', 'note', null, null, null, 'Rang the ward', '2026-11-21T09:05:00.000Z');
  event.run('e3', 'status', 'status', '"open"', '"answered"', null, '2026-11-21T09:10:00.000Z');
  db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('syncCursor', '4321', ?), ('lastSyncedAt', '"${at}"', ?), ('installId', '"i-1"', ?)`).run(at, at, at);
  db.prepare(`INSERT INTO outbox (name, args, created_at) VALUES ('case.appendNote', '{"caseId":"k1","noteId":"n1","text":"typed offline","at":"${at}"}', ?)`).run(at);
}

describe('migration 0140: contact events and the inbox', () => {
  it('keeps every event, in its order, and the outbox exactly as it was', () => {
    const db = databaseAt(120);
    seedAt120(db);
    const eventsBefore = db.prepare('SELECT rowid, * FROM case_events ORDER BY rowid').all();
    const outboxBefore = db.prepare('SELECT * FROM outbox').all();
    migrateToLatest(db);

    expect(db.prepare('SELECT rowid, * FROM case_events ORDER BY rowid').all()).toEqual(eventsBefore);
    expect(db.prepare('SELECT * FROM outbox').all()).toEqual(outboxBefore);
    expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get()).toEqual({ seq: 1 });
  });

  it('forgets the sync cursor, so the next pull starts again from the beginning, and nothing else of sync', () => {
    const db = databaseAt(120);
    seedAt120(db);
    migrateToLatest(db);
    const keys = (db.prepare('SELECT key FROM settings ORDER BY key').all() as { key: string }[]).map((row) => row.key);
    expect(keys).toEqual(['installId', 'lastSyncedAt']);
  });

  it('accepts messages, moderation, provider and call events, and still refuses an unknown kind or a message without text', () => {
    const db = databaseAt(120);
    seedAt120(db);
    migrateToLatest(db);
    const insert = db.prepare(`INSERT INTO case_events (id, case_id, kind, new_value, body, author_id, author_name, at) VALUES (?, 'k1', ?, ?, ?, 'intake', 'Patient (SMS)', ?)`);
    insert.run('m1', 'message', '{"direction":"inbound","channel":"sms","externalId":"SM1"}', 'Is the clinic open?', at);
    insert.run('d1', 'moderation', '{"step":"approved","tier":1}', null, at);
    insert.run('p1', 'provider', '{"step":"opened","referralId":"r1","providerId":"provider-rx1"}', null, at);
    insert.run('c1', 'call', '{"answeredAt":"2026-11-21T09:00:05.000Z","outcome":"answered"}', null, at);
    expect(db.prepare("SELECT count(*) AS n FROM case_events WHERE kind IN ('message', 'moderation', 'provider', 'call')").get()).toEqual({ n: 4 });

    expect(() => insert.run('x1', 'gossip', null, 'hello', at)).toThrow(/CHECK/);
    expect(() => insert.run('x2', 'message', '{"direction":"inbound"}', null, at)).toThrow(/CHECK/);
    expect(() => insert.run('x3', 'call', 'not json', null, at)).toThrow(/CHECK/);
    expect(() => insert.run('x4', 'message', '{}', 'to a case that is not here', at)).not.toThrow();
    expect(() => db.prepare(`INSERT INTO case_events (id, case_id, kind, body, author_id, author_name, at) VALUES ('x5', 'nope', 'note', 'x', 'h', 'H', ?)`).run(at)).toThrow(/FOREIGN KEY/);
  });

  it('keeps the timeline append-only except inside a desk handover', () => {
    const db = databaseAt(120);
    seedAt120(db);
    migrateToLatest(db);
    expect(() => db.prepare("DELETE FROM case_events WHERE id = 'e2'").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE case_events SET body = 'changed' WHERE id = 'e2'").run()).toThrow(/append-only/);
    db.transaction(() => {
      db.prepare('INSERT INTO desk_handover (id, started_at) VALUES (1, ?)').run(at);
      db.prepare('DELETE FROM case_events').run();
      db.prepare('DELETE FROM desk_handover').run();
    })();
    expect(db.prepare('SELECT count(*) AS n FROM case_events').get()).toEqual({ n: 0 });
  });

  it('reads a case timeline, its newest message and the inbox from their indexes', () => {
    const db = databaseAt(120);
    seedAt120(db);
    migrateToLatest(db);
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join(' | ');

    expect(plan("SELECT * FROM case_events WHERE case_id = 'k1' ORDER BY at, id")).toMatch(/USING INDEX case_events_by_case/);
    expect(plan("SELECT body FROM case_events WHERE case_id = 'k1' AND kind = 'message' ORDER BY at DESC, rowid DESC LIMIT 1")).toMatch(/case_events_messages/);
    // INDEXED BY (as the inbox query has it) fails to prepare if the query's WHERE does not imply the index's.
    const inbox = plan(`SELECT id FROM cases INDEXED BY cases_inbox WHERE status IN ('open', 'in-progress', 'escalated', 'referred-to-ombudsman')
      AND (channel <> 'phone' OR type = 'general-enquiry') AND channel = 'sms' ORDER BY created_at, id LIMIT 50`);
    expect(inbox).toMatch(/USING COVERING INDEX cases_inbox/);
    expect(inbox).not.toMatch(/TEMP B-TREE/);
  });
});
