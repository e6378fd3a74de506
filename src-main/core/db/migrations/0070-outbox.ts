import type { Migration } from '../migration';

/**
 * Local changes waiting to reach the central API. `mutation_id` is strictly increasing (AUTOINCREMENT never reuses
 * an id, even after the newest row is deleted), which the server's replay check relies on. Each entry is written
 * in the same transaction as the change it describes.
 */
export const migration0070Outbox: Migration = {
  version: 70,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        args TEXT NOT NULL CHECK (json_valid(args)),
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
