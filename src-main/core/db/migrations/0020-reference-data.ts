import type { Migration } from '../migration';

/**
 * Reference data the case form picks from. It arrives from the central API by sync; the demo organisation seeds it
 * locally. Providers carry an ODS-style organisation code, searched by the provider picker's type-ahead.
 */
export const migration0020ReferenceData: Migration = {
  version: 20,
  name: 'reference-data',
  up(db) {
    db.exec(`
      CREATE TABLE categories (
        id TEXT PRIMARY KEY NOT NULL,
        label TEXT NOT NULL,
        high_priority_allowed INTEGER NOT NULL CHECK (high_priority_allowed IN (0, 1)),
        sort_order INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      ) STRICT;

      CREATE TABLE providers (
        id TEXT PRIMARY KEY NOT NULL,
        ods_code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        contact_email TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      ) STRICT;

      CREATE TABLE provider_departments (
        id TEXT PRIMARY KEY NOT NULL,
        provider_id TEXT NOT NULL REFERENCES providers (id),
        name TEXT NOT NULL,
        UNIQUE (provider_id, name)
      ) STRICT;

      CREATE TABLE queues (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        case_type TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      ) STRICT;

      CREATE TABLE dispositions (
        id TEXT PRIMARY KEY NOT NULL,
        label TEXT NOT NULL,
        resolves INTEGER NOT NULL CHECK (resolves IN (0, 1)),
        sort_order INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      ) STRICT;
    `);
  },
};
