import type { Migration } from '../migration';

/**
 * The case timeline: creation, every field change, every note, every status change, with author and time.
 * Append-only: triggers refuse UPDATE and DELETE, so a note, once written, cannot be lost or rewritten.
 */
export const migration0050CaseEvents: Migration = {
  version: 50,
  name: 'case-events',
  up(db) {
    db.exec(`
      CREATE TABLE case_events (
        id TEXT PRIMARY KEY NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases (id),
        kind TEXT NOT NULL CHECK (kind IN ('created', 'field', 'note', 'status')),
        field TEXT,
        old_value TEXT CHECK (old_value IS NULL OR json_valid(old_value)),
        new_value TEXT CHECK (new_value IS NULL OR json_valid(new_value)),
        body TEXT,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        at TEXT NOT NULL,
        CHECK (kind <> 'note' OR body IS NOT NULL),
        CHECK (kind <> 'field' OR field IS NOT NULL)
      ) STRICT;

      CREATE INDEX case_events_by_case ON case_events (case_id, at, id);

      CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
      BEGIN
        SELECT RAISE(ABORT, 'case_events is append-only');
      END;

      CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
      BEGIN
        SELECT RAISE(ABORT, 'case_events is append-only');
      END;
    `);
  },
};
