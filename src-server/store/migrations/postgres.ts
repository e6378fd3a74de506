import type { StoreMigration } from './migration';

/** The central API's PostgreSQL schema: the same tables as SQLite, in PostgreSQL's own terms. */
export const postgresMigrations: readonly StoreMigration[] = [
  {
    version: 10,
    name: 'people',
    sql: [
      `CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)`,
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('handler', 'supervisor', 'admin')),
        password_hash TEXT NOT NULL,
        failed_sign_ins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL)`,
      `CREATE TABLE user_teams (user_id TEXT NOT NULL REFERENCES users (id), team_id TEXT NOT NULL REFERENCES teams (id), PRIMARY KEY (user_id, team_id))`,
      `CREATE TABLE refresh_tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        token_hash TEXT NOT NULL UNIQUE,
        expires_at TEXT NOT NULL,
        revoked_at TEXT,
        created_at TEXT NOT NULL)`,
      `CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id)`,
    ],
  },
  {
    version: 20,
    name: 'sync',
    sql: [
      `CREATE TABLE sync_clients (client_id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id), last_mutation_id BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL)`,
      `CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
      `INSERT INTO counters (name, value) VALUES ('change', 0)`,
      `CREATE TABLE changes (seq BIGINT PRIMARY KEY, team_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL)`,
      `CREATE INDEX changes_by_team ON changes (team_id, seq)`,
    ],
  },
  {
    version: 30,
    name: 'cases',
    sql: [
      `CREATE TABLE callers (id TEXT PRIMARY KEY, team_id TEXT NOT NULL, phone TEXT, name TEXT, flags TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE UNIQUE INDEX callers_by_phone ON callers (team_id, phone) WHERE phone IS NOT NULL`,
      `CREATE TABLE caller_aliases (alias_id TEXT PRIMARY KEY, caller_id TEXT NOT NULL REFERENCES callers (id))`,
      `CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        reference TEXT NOT NULL,
        team_id TEXT NOT NULL REFERENCES teams (id),
        owner_id TEXT NOT NULL REFERENCES users (id),
        created_by TEXT NOT NULL REFERENCES users (id),
        type TEXT NOT NULL,
        channel TEXT NOT NULL,
        status TEXT NOT NULL,
        fields TEXT NOT NULL,
        field_seqs TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT,
        version INTEGER NOT NULL)`,
      `CREATE INDEX cases_by_team ON cases (team_id, created_at)`,
      `CREATE INDEX cases_by_reference ON cases (reference)`,
      `CREATE TABLE case_events (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases (id),
        kind TEXT NOT NULL,
        field TEXT,
        value TEXT,
        body TEXT,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        at TEXT NOT NULL,
        seq BIGINT NOT NULL)`,
      `CREATE INDEX case_events_by_case ON case_events (case_id, seq)`,
      `CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
      `CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
      `CREATE TABLE conflicts (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases (id),
        field TEXT NOT NULL,
        kind TEXT NOT NULL,
        losing_value TEXT,
        losing_by TEXT NOT NULL,
        losing_by_name TEXT NOT NULL,
        losing_at TEXT NOT NULL,
        winning_value TEXT,
        winning_by TEXT,
        winning_by_name TEXT,
        winning_at TEXT,
        reason TEXT NOT NULL,
        seq BIGINT NOT NULL)`,
      `CREATE INDEX conflicts_by_case ON conflicts (case_id)`,
    ],
  },
  {
    version: 40,
    name: 'audit-and-reference',
    sql: [
      `CREATE TABLE audit_log (id BIGSERIAL PRIMARY KEY, user_id TEXT NOT NULL, case_id TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL)`,
      `CREATE INDEX audit_by_case ON audit_log (case_id, at)`,
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
      `CREATE TABLE providers (id TEXT PRIMARY KEY, ods_code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL, departments TEXT NOT NULL, contact_email TEXT, active INTEGER NOT NULL DEFAULT 1)`,
    ],
  },
  {
    // Row triggers do not see TRUNCATE, which would empty the append-only tables in one statement. SQLite has no
    // TRUNCATE (its DELETE without WHERE still fires the row triggers), so this step is PostgreSQL's alone.
    version: 50,
    name: 'append-only-truncate',
    sql: [
      `CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`,
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`,
    ],
  },
];
