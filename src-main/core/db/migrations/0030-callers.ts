import type { Migration } from '../migration';

/**
 * People who contact the line. `phone` is E.164 and unique, so a screen pop is one index lookup. `flags` (for
 * example vulnerable, safeguarding, interpreter needed) are a JSON array so new flags need no migration.
 */
export const migration0030Callers: Migration = {
  version: 30,
  name: 'callers',
  up(db) {
    db.exec(`
      CREATE TABLE callers (
        id TEXT PRIMARY KEY NOT NULL,
        phone TEXT UNIQUE,
        name TEXT,
        flags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags) AND json_type(flags) = 'array'),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
