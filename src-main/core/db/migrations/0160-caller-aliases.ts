import type { Migration } from '../migration';

/**
 * `caller_aliases`: the ids of callers this desk merged into another (a pulled caller with the same number, or the
 * central API's alias of one), and the caller each now stands for. The case history keeps the id a handler linked,
 * so it still names that person after the merge instead of "a caller not on this desk".
 */
export const migration0160CallerAliases: Migration = {
  version: 160,
  name: 'caller-aliases',
  up(db) {
    db.exec('CREATE TABLE caller_aliases (alias_id TEXT PRIMARY KEY, caller_id TEXT NOT NULL)');
  },
};
