import type { Database } from 'better-sqlite3';

/** One schema step. `version` is the number in the file name; steps run in order inside one transaction each. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
  /**
   * The step rebuilds a table other tables refer to (see `rebuildTable`): it runs with foreign keys off, as SQLite's
   * own procedure for such a change asks, and every reference is checked before it commits.
   */
  foreignKeysOff?: true;
}
