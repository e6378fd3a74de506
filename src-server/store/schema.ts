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
    disabled: number;
    created_at: string;
    /**
     * When the person's sessions were last ended (a new password, a disabled account, a copied refresh token), by the
     * clock of the instance that ended them. Older instances check tokens against it.
     */
    sessions_from: string | null;
    /** How many times the person's sessions were ended: tokens of an earlier generation are refused (migration 150). */
    session_generation: Generated<number>;
    /** The `sessions_from` the last counted ending wrote: a different `sessions_from` was written by an older instance. */
    generation_sessions_from: string | null;
  };
  user_teams: { user_id: string; team_id: string };
  /** Sign-in attempts by the email given (an HMAC of it with the server's secret), account or not: the lock-out's count. */
  sign_in_failures: { email_key: string; failures: number; locked_until: string | null; last_failed_at: string };
  /** `session_generation`: the user's session generation the token was given out in (0 if an older instance saved it). */
  refresh_tokens: { id: string; user_id: string; token_hash: string; expires_at: string; revoked_at: string | null; created_at: string; session_generation: Generated<number> };
  sync_clients: { client_id: string; user_id: string; last_mutation_id: number; created_at: string };
  counters: { name: string; value: number };
  changes: { seq: number; team_id: string; entity: string; entity_id: string; data: string; at: string };
  cases: {
    id: string;
    reference: string;
    /** `referenceKey(reference)`: how a case is found by its reference (null only on rows older instances wrote). */
    reference_key: number | null;
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
  categories: { id: string; label: string; active: number };
  queues: { id: string; name: string; case_type: string | null; active: number };
  dispositions: { id: string; label: string; resolves: number; sort_order: number; active: number };
  schema_migrations: { version: number; name: string; applied_at: string };
  twilio_status_events: { sid: string; event_key: string; status: string; received_at: string };
  twilio_calls: {
    provider_call_id: string;
    call_id: string | null;
    conference_name: string;
    conference_sid: string | null;
    handler_id: string | null;
    handler_call_sid: string | null;
    consult_handler_id: string | null;
    consult_call_sid: string | null;
    direction: string;
    created_at: string;
    updated_at: string;
  };
  calls: {
    id: string;
    provider: string;
    provider_call_id: string;
    direction: string;
    queue_id: string | null;
    case_type: string | null;
    from_number: string;
    handler_id: string | null;
    team_id: string | null;
    case_id: string | null;
    transferred_from: string | null;
    entered_queue_at: string | null;
    offered_at: string | null;
    answered_at: string | null;
    held_ms: number;
    ended_at: string | null;
    wrap_up_ended_at: string | null;
    outcome: string;
    disposition_id: string | null;
    answer_wait_ms: number | null;
    talk_ms: number | null;
    wrap_up_ms: number | null;
    handle_ms: number | null;
    within_target: number | null;
    offers: number;
    recorded_at: string;
  };
  handler_state_log: { id: Generated<number>; handler_id: string; state: string; break_reason: string | null; call_id: string | null; at: string };
  handler_skills: { handler_id: string; queue_id: string };
  /** One row ('organisation'): the report settings as JSON (src-shared/reports/settings.ts). */
  report_settings: { id: string; settings: string; updated_at: string; updated_by: string | null };
  /** Which address (number, email, social account) an intake case's messages come from: see src-server/intake. */
  intake_threads: { case_id: string; channel: string; address: string; created_at: string };
  /** A moderator's work on a case's publishable description: see src-server/moderation. */
  moderations: {
    case_id: string;
    team_id: string;
    state: string;
    draft: string;
    approved_text: string | null;
    overrides: string;
    first_by: string | null;
    first_by_name: string | null;
    first_at: string | null;
    second_by: string | null;
    second_by_name: string | null;
    second_at: string | null;
    reason: string | null;
    updated_at: string;
  };
  /** What is published of a case, and nothing else: the public feed and Open311 read only this (src-server/publication). */
  publications: {
    public_id: string;
    case_id: string;
    team_id: string;
    provider_id: string;
    category: string;
    experience_month: string;
    description: string;
    response: string | null;
    response_month: string | null;
    published_at: string;
    updated_at: string;
  };
  /** A secure link sent to a provider about one case, by the hash of its token (src-server/providers). */
  provider_referrals: {
    id: string;
    case_id: string;
    team_id: string;
    provider_id: string;
    token_hash: string;
    mode: string;
    summary: string;
    sent_by: string;
    sent_at: string;
    expires_at: string;
    revoked_at: string | null;
    first_opened_at: string | null;
    acknowledged_at: string | null;
    addressed_at: string | null;
    response_to_publish: string | null;
    response_to_publish_at: string | null;
  };
}
