import type { Migration } from '../migration';

/**
 * Cases: one row per contact logged, holding each field's current value. History lives in case_events.
 * Ids are UUIDv7 made on the desktop (cases are created offline); `reference` is the short code read to the caller.
 * The indexes serve the screen pop (caller's cases, newest first) and the case list's filters.
 */
export const migration0040Cases: Migration = {
  version: 40,
  name: 'cases',
  up(db) {
    db.exec(`
      CREATE TABLE cases (
        id TEXT PRIMARY KEY NOT NULL,
        reference TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL CHECK (type IN ('question', 'feedback', 'general-enquiry')),
        channel TEXT NOT NULL CHECK (channel IN ('phone', 'web', 'sms', 'social', 'email')),
        status TEXT NOT NULL,
        category TEXT REFERENCES categories (id),
        provider_id TEXT REFERENCES providers (id),
        department TEXT,
        description TEXT NOT NULL DEFAULT '',
        priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'high')),
        flags TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(flags)),
        commissioning TEXT CHECK (commissioning IN ('local', 'national')),
        contact_method TEXT NOT NULL DEFAULT 'none' CHECK (contact_method IN ('none', 'phone', 'email')),
        contact_phone TEXT,
        contact_email TEXT,
        caller_id TEXT REFERENCES callers (id),
        previous_reference TEXT,
        owner_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      CREATE INDEX cases_by_caller ON cases (caller_id, created_at DESC);
      CREATE INDEX cases_by_status ON cases (status, created_at DESC);
      CREATE INDEX cases_by_owner ON cases (owner_id, created_at DESC);
      CREATE INDEX cases_by_provider ON cases (provider_id, created_at DESC);
      CREATE INDEX cases_by_created ON cases (created_at DESC);
    `);
  },
};
