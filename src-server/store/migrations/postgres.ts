import { sql } from 'kysely';
import { referenceKeysMigration, sessionGenerationsMigration, type StoreMigration } from './migration';

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
  {
    // Reference data an administrator manages. Categories are the domain's own (categories.ts): a row here holds only
    // an administrator's label or retirement of one. Queues name the case type they serve, for routing.
    version: 60,
    name: 'reference-data',
    sql: [
      `CREATE TABLE categories (id TEXT PRIMARY KEY, label TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)))`,
      `CREATE TABLE queues (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        case_type TEXT CHECK (case_type IS NULL OR case_type IN ('question', 'feedback', 'general-enquiry')),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)))`,
      `CREATE TABLE dispositions (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        resolves INTEGER NOT NULL CHECK (resolves IN (0, 1)),
        sort_order INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)))`,
    ],
  },
  {
    // Calls are written once, when done with (completed or abandoned); the handler-state log is append-only so
    // reports can work out time in each state; skills say which queues a handler may be offered calls from.
    version: 70,
    name: 'telephony',
    sql: [
      `CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        provider_call_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        queue_id TEXT,
        case_type TEXT,
        from_number TEXT NOT NULL,
        handler_id TEXT,
        team_id TEXT,
        case_id TEXT,
        transferred_from TEXT,
        entered_queue_at TEXT,
        offered_at TEXT,
        answered_at TEXT,
        held_ms BIGINT NOT NULL DEFAULT 0,
        ended_at TEXT,
        wrap_up_ended_at TEXT,
        outcome TEXT NOT NULL,
        disposition_id TEXT,
        answer_wait_ms BIGINT,
        talk_ms BIGINT,
        wrap_up_ms BIGINT,
        handle_ms BIGINT,
        within_target INTEGER CHECK (within_target IN (0, 1)),
        offers INTEGER NOT NULL DEFAULT 0,
        recorded_at TEXT NOT NULL)`,
      `CREATE INDEX calls_by_end ON calls (ended_at)`,
      `CREATE INDEX calls_by_handler ON calls (handler_id, ended_at)`,
      `CREATE INDEX calls_by_queue ON calls (queue_id, entered_queue_at)`,
      `CREATE TABLE handler_state_log (id BIGSERIAL PRIMARY KEY, handler_id TEXT NOT NULL, state TEXT NOT NULL, break_reason TEXT, call_id TEXT, at TEXT NOT NULL)`,
      `CREATE INDEX handler_state_log_by_handler ON handler_state_log (handler_id, at)`,
      `CREATE INDEX handler_state_log_by_time ON handler_state_log (at)`,
      `CREATE TABLE handler_skills (handler_id TEXT NOT NULL REFERENCES users (id), queue_id TEXT NOT NULL, PRIMARY KEY (handler_id, queue_id))`,
    ],
  },
  {
    version: 80,
    name: 'twilio',
    sql: [
      `CREATE TABLE twilio_status_events (sid TEXT NOT NULL, event_key TEXT NOT NULL, status TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (sid, event_key))`,
      `CREATE TABLE twilio_calls (
        provider_call_id TEXT PRIMARY KEY,
        call_id TEXT,
        conference_name TEXT NOT NULL UNIQUE,
        conference_sid TEXT,
        handler_id TEXT,
        handler_call_sid TEXT,
        consult_handler_id TEXT,
        consult_call_sid TEXT,
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)`,
    ],
  },
  {
    // Reports (issue 6): the organisation's report settings as one JSON row an administrator edits. The case fields
    // reports group by are columns generated from the fields JSON, so covering indexes hold them and a month's report
    // never parses JSON; the covering index by team and creation time replaces cases_by_team (same leading columns).
    version: 90,
    name: 'reports',
    sql: [
      `CREATE TABLE report_settings (id TEXT PRIMARY KEY CHECK (id = 'organisation'), settings TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT)`,
      `ALTER TABLE cases
        ADD COLUMN report_channel TEXT GENERATED ALWAYS AS (fields::json ->> 'channel') STORED,
        ADD COLUMN report_type TEXT GENERATED ALWAYS AS (fields::json ->> 'type') STORED,
        ADD COLUMN report_category TEXT GENERATED ALWAYS AS (fields::json ->> 'category') STORED,
        ADD COLUMN report_provider_id TEXT GENERATED ALWAYS AS (fields::json ->> 'providerId') STORED`,
      `DROP INDEX cases_by_team`,
      `CREATE INDEX cases_by_team_created ON cases (team_id, created_at, report_channel, report_type, report_category, report_provider_id)`,
      `CREATE INDEX cases_by_team_closed ON cases (team_id, closed_at, status, report_channel) WHERE closed_at IS NOT NULL`,
      `CREATE INDEX calls_by_team_end ON calls (team_id, ended_at)`,
    ],
  },
  {
    // Intake from the web form, SMS, email and social media (src-server/intake). A thread ties a case to the address
    // its messages come from (a number, an email address, a social account), so the next message from there continues
    // the open case. Server-made references take their sequence numbers from a counter of their own.
    version: 100,
    name: 'intake',
    sql: [
      `CREATE TABLE intake_threads (case_id TEXT PRIMARY KEY REFERENCES cases (id), channel TEXT NOT NULL, address TEXT NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE INDEX intake_threads_by_address ON intake_threads (channel, address)`,
      `INSERT INTO counters (name, value) VALUES ('intake-reference', 0)`,
    ],
  },
  {
    // Moderation, publication and providers (issue 7, src-server/moderation, publication, providers). A moderation row
    // holds a moderator's work on a case's publishable description; a publication row is the only thing the public
    // feed and Open311 read, and holds only what may be published (never the caller's words), under a public id that
    // is not the case's. A referral is one secure link sent to a provider, stored by the hash of its token.
    version: 110,
    name: 'moderation-publication-providers',
    sql: [
      `CREATE TABLE moderations (
        case_id TEXT PRIMARY KEY REFERENCES cases (id),
        team_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('draft', 'awaiting-second', 'published', 'rejected', 'withdrawn')),
        draft TEXT NOT NULL,
        approved_text TEXT,
        overrides TEXT NOT NULL,
        first_by TEXT,
        first_by_name TEXT,
        first_at TEXT,
        second_by TEXT,
        second_by_name TEXT,
        second_at TEXT,
        reason TEXT,
        updated_at TEXT NOT NULL)`,
      `CREATE INDEX moderations_by_team ON moderations (team_id, state)`,
      `CREATE TABLE publications (
        public_id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL UNIQUE REFERENCES cases (id),
        team_id TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        category TEXT NOT NULL,
        experience_month TEXT NOT NULL,
        description TEXT NOT NULL,
        response TEXT,
        response_month TEXT,
        published_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)`,
      `CREATE INDEX publications_by_time ON publications (published_at, public_id)`,
      `CREATE INDEX publications_by_provider ON publications (provider_id, published_at, public_id)`,
      `CREATE TABLE provider_referrals (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases (id),
        team_id TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        mode TEXT NOT NULL CHECK (mode IN ('link', 'summary')),
        summary TEXT NOT NULL,
        sent_by TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT,
        first_opened_at TEXT,
        acknowledged_at TEXT,
        addressed_at TEXT,
        response_to_publish TEXT,
        response_to_publish_at TEXT)`,
      `CREATE INDEX provider_referrals_by_case ON provider_referrals (case_id, sent_at)`,
      `CREATE INDEX provider_referrals_by_provider ON provider_referrals (team_id, sent_at, provider_id)`,
    ],
  },
  {
    // Sign-in lock-out by the email given, whether or not an account has it (it was a column of users). A locked
    // account answered 423 where an unknown email answered 401, which told anyone with five guesses which addresses
    // are accounts here; now an unknown address locks the same way. Rows hold a SHA-256 of the address, never the
    // address, and go once their failures are older than the counting window. Locks in force at the upgrade (15
    // minutes at most) are not carried over: the hash is made by the server, not in SQL.
    version: 120,
    name: 'sign-in-failures',
    sql: [
      `CREATE TABLE sign_in_failures (email_key TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until TEXT, last_failed_at TEXT NOT NULL)`,
      `CREATE INDEX sign_in_failures_by_time ON sign_in_failures (last_failed_at)`,
      `ALTER TABLE users DROP COLUMN failed_sign_ins`,
      `ALTER TABLE users DROP COLUMN locked_until`,
    ],
  },
  {
    // Sessions that end before their tokens expire. A new password, a disabled account or a copied refresh token
    // ends every session the person had: their refresh tokens go, and access tokens issued before this time are
    // refused (they would otherwise last up to 15 minutes). A new nullable column: older instances are unaffected.
    version: 130,
    name: 'sessions-from',
    sql: [`ALTER TABLE users ADD COLUMN sessions_from TEXT`],
  },
  {
    // The lock-out's keys became HMACs with the server's secret (they were plain SHA-256s of the email, which anyone
    // holding the database could match against a list of addresses). Rows under the old keys would never be matched
    // again; they go. Locks in force at the upgrade (15 minutes at most) are not carried over.
    version: 140,
    name: 'sign-in-keys-keyed',
    sql: [`DELETE FROM sign_in_failures`],
  },
  sessionGenerationsMigration,
  referenceKeysMigration('BIGINT', async (tx, rows) => {
    const ids = rows.map((row) => row.id);
    const keys = rows.map((row) => row.key);
    await sql`UPDATE cases SET reference_key = v.key FROM unnest(${ids}::text[], ${keys}::bigint[]) AS v (id, key) WHERE cases.id = v.id`.execute(tx);
  }),
];
