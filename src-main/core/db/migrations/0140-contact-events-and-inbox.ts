import type { Migration } from '../migration';

/**
 * The timeline learns the central API's newer event kinds, and the shared inbox gets its indexes.
 *
 * `case_events.kind`: besides the desk's own ('created', 'field', 'note', 'status'), the patient's and the handler's
 * messages ('message': web form, SMS, email, social), moderation steps ('moderation'), a provider's steps
 * ('provider') and, for a later change, a phone call's times and outcome ('call'). Each keeps its JSON value in
 * `new_value` and its text, if any, in `body`; a message always has text. SQLite cannot change a CHECK in place, so
 * the table is rebuilt with the same rows, the same index and the same append-only triggers (DROP TABLE fires no
 * trigger, and nothing references case_events).
 *
 * Until now sync skipped events of those kinds, so a desk that pulled them before this version does not have them:
 * the sync cursor is forgotten, and the next pull starts from the beginning once. Re-pulling is safe (events are
 * kept once by id, a pulled case keeps the edits still waiting in the outbox on top), and the outbox itself is left
 * as it is. ('syncCursor' is the sync engine's settings key, written here as text: a migration must not change when
 * the code around it does.)
 *
 * `cases_inbox`: the shared inbox lists open contacts that did not come by phone, and general enquiries by any
 * channel, oldest first. A partial index of exactly those, in creation order, holding every column the inbox filters
 * on, so a filtered page is read from the index alone. Its WHERE clause must stay word for word the same as the
 * inbox query's (src-main/core/inbox/inbox-repository.ts), or SQLite will not use it (a test checks the plan).
 * `cases_inbox_by_owner`: the same contacts by who has them, for "Mine" and "Unclaimed": one handler's few contacts
 * are found without walking everyone's.
 * `case_events_messages`: the newest message of a case, for the inbox's preview.
 */
export const migration0140ContactEventsAndInbox: Migration = {
  version: 140,
  name: 'contact-events-and-inbox',
  up(db) {
    db.exec(`
      CREATE TABLE case_events_new (
        id TEXT PRIMARY KEY NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases (id),
        kind TEXT NOT NULL CHECK (kind IN ('created', 'field', 'note', 'status', 'message', 'moderation', 'provider', 'call')),
        field TEXT,
        old_value TEXT CHECK (old_value IS NULL OR json_valid(old_value)),
        new_value TEXT CHECK (new_value IS NULL OR json_valid(new_value)),
        body TEXT,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        at TEXT NOT NULL,
        CHECK (kind NOT IN ('note', 'message') OR body IS NOT NULL),
        CHECK (kind <> 'field' OR field IS NOT NULL)
      ) STRICT;

      INSERT INTO case_events_new (rowid, id, case_id, kind, field, old_value, new_value, body, author_id, author_name, at)
        SELECT rowid, id, case_id, kind, field, old_value, new_value, body, author_id, author_name, at FROM case_events;

      DROP TABLE case_events;
      ALTER TABLE case_events_new RENAME TO case_events;

      CREATE INDEX case_events_by_case ON case_events (case_id, at, id);
      CREATE INDEX case_events_messages ON case_events (case_id, at) WHERE kind = 'message';

      CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
      BEGIN
        SELECT RAISE(ABORT, 'case_events is append-only');
      END;

      CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
      WHEN NOT EXISTS (SELECT 1 FROM desk_handover)
      BEGIN
        SELECT RAISE(ABORT, 'case_events is append-only');
      END;

      CREATE INDEX cases_inbox ON cases (created_at, id, channel, type, status, owner_id)
        WHERE status IN ('open', 'in-progress', 'escalated', 'referred-to-ombudsman') AND (channel <> 'phone' OR type = 'general-enquiry');
      CREATE INDEX cases_inbox_by_owner ON cases (owner_id, created_at, id, channel, type, status)
        WHERE status IN ('open', 'in-progress', 'escalated', 'referred-to-ombudsman') AND (channel <> 'phone' OR type = 'general-enquiry');

      DELETE FROM settings WHERE key = 'syncCursor';
    `);
  },
};
