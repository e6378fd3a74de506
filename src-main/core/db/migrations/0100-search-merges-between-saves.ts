import type { Migration } from '../migration';

/**
 * FTS5 merges its index segments during whichever write adds one (automerge), so an unlucky autosave of a case's
 * description or note paid 30-90 ms for it on a million-case desk. Automerge off: the core's storage maintenance
 * runs the same merge work between saves instead. FTS5's crisis merge still bounds the segments if it never runs.
 */
export const migration0100SearchMergesBetweenSaves: Migration = {
  version: 100,
  name: 'search-merges-between-saves',
  up(db) {
    db.exec("INSERT INTO case_search (case_search, rank) VALUES ('automerge', 0)");
  },
};
