import type { Generated } from 'kysely';

/**
 * The central API's tables, as Kysely sees them. Times are ISO 8601 text and booleans 0/1 on both stores, so one
 * store implementation serves SQLite and PostgreSQL; JSON is stored as text for the same reason.
 */
export interface Database {
  teams: { id: string; name: string; created_at: string };
  users: {
    id: string;
    email: string;
    name: string;
    role: string;
    password_hash: string;
    failed_sign_ins: number;
    locked_until: string | null;
    disabled: number;
    created_at: string;
  };
  user_teams: { user_id: string; team_id: string };
  refresh_tokens: { id: string; user_id: string; token_hash: string; expires_at: string; revoked_at: string | null; created_at: string };
  sync_clients: { client_id: string; user_id: string; last_mutation_id: number; created_at: string };
  counters: { name: string; value: number };
  changes: { seq: number; team_id: string; entity: string; entity_id: string; data: string; at: string };
  cases: {
    id: string;
    reference: string;
    team_id: string;
    owner_id: string;
    created_by: string;
    type: string;
    channel: string;
    status: string;
    fields: string;
    field_seqs: string;
    created_at: string;
    updated_at: string;
    closed_at: string | null;
    version: number;
  };
  case_events: {
    id: string;
    case_id: string;
    kind: string;
    field: string | null;
    value: string | null;
    body: string | null;
    author_id: string;
    author_name: string;
    at: string;
    seq: number;
  };
  callers: { id: string; team_id: string; phone: string | null; name: string | null; flags: string; updated_at: string };
  caller_aliases: { alias_id: string; caller_id: string };
  conflicts: {
    id: string;
    case_id: string;
    field: string;
    kind: string;
    losing_value: string | null;
    losing_by: string;
    losing_by_name: string;
    losing_at: string;
    winning_value: string | null;
    winning_by: string | null;
    winning_by_name: string | null;
    winning_at: string | null;
    reason: string;
    seq: number;
  };
  audit_log: { id: Generated<number>; user_id: string; case_id: string; reason: string; at: string };
  providers: { id: string; ods_code: string; name: string; kind: string; departments: string; contact_email: string | null; active: number };
  schema_migrations: { version: number; name: string; applied_at: string };
}
