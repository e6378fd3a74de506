import type { Migration } from '../migration';

/** Calls, linked to the case they were logged on; the times feed handle-time and speed-of-answer figures. */
export const migration0060Calls: Migration = {
  version: 60,
  name: 'calls',
  up(db) {
    db.exec(`
      CREATE TABLE calls (
        id TEXT PRIMARY KEY NOT NULL,
        case_id TEXT REFERENCES cases (id),
        caller_id TEXT REFERENCES callers (id),
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        queue_id TEXT REFERENCES queues (id),
        offered_at TEXT NOT NULL,
        answered_at TEXT,
        held_ms INTEGER NOT NULL DEFAULT 0 CHECK (held_ms >= 0),
        ended_at TEXT,
        outcome TEXT CHECK (outcome IN ('answered', 'abandoned', 'missed', 'transferred', 'failed')),
        disposition_id TEXT REFERENCES dispositions (id)
      ) STRICT;

      CREATE INDEX calls_by_case ON calls (case_id);
      CREATE INDEX calls_by_caller ON calls (caller_id, offered_at DESC);
    `);
  },
};
