import type { Migration } from '../migration';

/**
 * What sync needs to remember in the local cache.
 *
 * `cases.server_field_seqs`: per field (and `status`), the server change number of the value this desk last took from
 * the central API, as a JSON object (`{"description": 41}`). A field edit sends it as `baseSeq`, so the server can
 * tell an edit made on top of the newest value from a stale one. It is a column rather than a table of its own
 * because it is read with the row that is being edited and written by the same UPDATE that applies a pulled case:
 * one row read and one row write per change, where a (case_id, field) table would add a row per field to every
 * pulled case and a second lookup to every autosave. Nothing queries it by field, so it needs no index.
 *
 * `case_conflicts`: the server's conflict log as this desk has pulled it. Each row is an edit that lost (a stale
 * edit of a field someone else changed first, or one the server refused), with the winning value and who made it,
 * so the case screen can say "changed by Ben at 10:42 while you were offline" and show what was typed. `seen`
 * turns to 1 when the handler has looked at it. `losing_by` lets a desk show only its own handler's lost edits.
 */
export const migration0110Sync: Migration = {
  version: 110,
  name: 'sync',
  up(db) {
    db.exec(`
      ALTER TABLE cases ADD COLUMN server_field_seqs TEXT NOT NULL DEFAULT '{}'
        CHECK (json_valid(server_field_seqs) AND json_type(server_field_seqs) = 'object');

      CREATE TABLE case_conflicts (
        id TEXT PRIMARY KEY NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases (id),
        field TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('stale-edit', 'refused')),
        losing_value TEXT CHECK (losing_value IS NULL OR json_valid(losing_value)),
        losing_by TEXT,
        losing_by_name TEXT,
        losing_at TEXT NOT NULL,
        winning_value TEXT CHECK (winning_value IS NULL OR json_valid(winning_value)),
        winning_by_name TEXT,
        winning_at TEXT,
        reason TEXT NOT NULL,
        seq INTEGER NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1))
      ) STRICT;

      CREATE INDEX case_conflicts_by_case ON case_conflicts (case_id, seq);
    `);
  },
};
