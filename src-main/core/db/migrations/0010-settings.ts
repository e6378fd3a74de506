import type { Migration } from '../migration';

/**
 * Small key/value facts about this install: its sync client id, the handler's last chosen state, UI preferences.
 * Values are JSON text so a setting can be any shape without another migration.
 */
export const migration0010Settings: Migration = {
  version: 10,
  name: 'settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
