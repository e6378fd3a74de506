import type { Database } from 'better-sqlite3';

/** One schema step. `version` is the number in the file name; steps run in order inside one transaction each. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
