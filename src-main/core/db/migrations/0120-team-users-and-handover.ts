import type { Migration } from '../migration';

/**
 * Reference data from the central API, and a desk shared between handlers (hot desking).
 *
 * `team_users`: the people of the signed-in handler's teams as the central API sends them by sync (name, role,
 * whether the account is active; never an email address). One row per team and user, because a supervisor may be in
 * two teams and leave one of them.
 *
 * `seeded` on providers, queues and dispositions: 1 for the demo organisation's rows seeded into a new cache. The
 * first of each kind pulled from the central API retires them, so a desk on a real API does not offer demo providers.
 * Until now nothing but the seed wrote these tables (pulled reference changes were skipped) except the stand-ins for
 * providers a pulled case named, kind 'unknown': every other row already here is the seed's.
 *
 * `desk_handover` and the new delete trigger on `case_events`: the timeline stays append-only, except inside the one
 * transaction that hands the desk to another handler (a row in `desk_handover` exists only there). That transaction
 * runs only when every local change has reached the central API, so the rows it clears are all kept centrally.
 */
export const migration0120TeamUsersAndHandover: Migration = {
  version: 120,
  name: 'team-users-and-handover',
  up(db) {
    db.exec(`
      CREATE TABLE team_users (
        team_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('handler', 'supervisor', 'admin')),
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        PRIMARY KEY (team_id, user_id)
      ) STRICT;

      ALTER TABLE providers ADD COLUMN seeded INTEGER NOT NULL DEFAULT 0 CHECK (seeded IN (0, 1));
      ALTER TABLE queues ADD COLUMN seeded INTEGER NOT NULL DEFAULT 0 CHECK (seeded IN (0, 1));
      ALTER TABLE dispositions ADD COLUMN seeded INTEGER NOT NULL DEFAULT 0 CHECK (seeded IN (0, 1));
      UPDATE providers SET seeded = 1 WHERE kind <> 'unknown';
      UPDATE queues SET seeded = 1;
      UPDATE dispositions SET seeded = 1;

      CREATE TABLE desk_handover (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        started_at TEXT NOT NULL
      ) STRICT;

      DROP TRIGGER case_events_append_only_delete;
      CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
      WHEN NOT EXISTS (SELECT 1 FROM desk_handover)
      BEGIN
        SELECT RAISE(ABORT, 'case_events is append-only');
      END;
    `);
  },
};
