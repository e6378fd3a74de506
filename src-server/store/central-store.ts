import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Role, Team, User } from '../../src-shared/api/people';
import { defaultCaseFields, validateField, type CaseFieldName, type CaseFields } from '../../src-shared/domain/case-record';
import { canTransition, isOpenStatus, type CaseStatus } from '../../src-shared/domain/statuses';
import type { Change, ChangeEntity, Mutation, PullResponse, PushResponse } from '../../src-shared/sync/protocol';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';

/** Who is asking: the signed-in user, with the teams whose cases they may see. */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  teamIds: string[];
}

export interface UserWithSecret extends User {
  passwordHash: string;
  failedSignIns: number;
  lockedUntil: string | null;
}

export interface FieldSeq {
  seq: number;
  by: string;
  byName: string;
  at: string;
}

/** A case as the central API holds it. */
export interface ServerCase {
  id: string;
  reference: string;
  teamId: string;
  ownerId: string;
  createdBy: string;
  status: CaseStatus;
  fields: CaseFields;
  fieldSeqs: Partial<Record<CaseFieldName | 'status', FieldSeq>>;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
}

export interface ServerCaseEvent {
  id: string;
  caseId: string;
  kind: string;
  field: string | null;
  value: unknown;
  body: string | null;
  authorId: string;
  authorName: string;
  at: string;
  seq: number;
}

export interface ConflictRecord {
  id: string;
  caseId: string;
  field: string;
  kind: 'stale-edit' | 'refused';
  losingValue: unknown;
  losingBy: string;
  losingByName: string;
  losingAt: string;
  winningValue: unknown;
  winningBy: string | null;
  winningByName: string | null;
  winningAt: string | null;
  reason: string;
  seq: number;
}

export class StoreRefusal extends Error {
  constructor(
    readonly status: 403 | 404 | 409 | 422,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StoreRefusal';
  }
}

/** Teams every client pulls, whatever its own: reference data. */
const EVERYONE = '*';

type Tx = Transaction<Database> | Kysely<Database>;

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function parse<T>(text: string | null): T {
  return (text === null ? null : JSON.parse(text)) as T;
}

function rowToUser(row: Database['users'], teamIds: string[]): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    teamIds,
    disabled: Number(row.disabled) === 1,
    createdAt: row.created_at,
  };
}

function rowToCase(row: Database['cases']): ServerCase {
  return {
    id: row.id,
    reference: row.reference,
    teamId: row.team_id,
    ownerId: row.owner_id,
    createdBy: row.created_by,
    status: row.status as CaseStatus,
    fields: parse<CaseFields>(row.fields),
    fieldSeqs: parse<ServerCase['fieldSeqs']>(row.field_seqs),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    version: Number(row.version),
  };
}

/**
 * The central API's store: one implementation over Kysely, run on SQLite or PostgreSQL. Every operation that writes
 * does it in one transaction, including the change-log rows that clients pull and the client's last mutation id.
 * Change numbers come from a counter row that each writer updates first, so writers take numbers in commit order
 * and a pull can never skip a change that commits late.
 */
export function createCentralStore(db: Kysely<Database>, dialect: Dialect, clock: { now(): number } = Date) {
  const now = () => new Date(clock.now()).toISOString();

  async function nextSeq(tx: Tx): Promise<number> {
    const row = await tx
      .updateTable('counters')
      .set({ value: sql<number>`value + 1` })
      .where('name', '=', 'change')
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  async function recordChange(tx: Tx, teamId: string, entity: ChangeEntity, entityId: string, data: unknown, at: string, seq?: number): Promise<number> {
    const number = seq ?? (await nextSeq(tx));
    await tx.insertInto('changes').values({ seq: number, team_id: teamId, entity, entity_id: entityId, data: json(data), at }).execute();
    return number;
  }

  async function teamsOf(tx: Tx, userId: string): Promise<string[]> {
    const rows = await tx.selectFrom('user_teams').select('team_id').where('user_id', '=', userId).orderBy('team_id').execute();
    return rows.map((row) => row.team_id);
  }

  async function caseRow(tx: Tx, caseId: string) {
    return tx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  }

  function canSeeCase(actor: Actor, teamId: string): boolean {
    return actor.role !== 'admin' && actor.teamIds.includes(teamId);
  }

  async function resolveCaller(tx: Tx, callerId: string | null): Promise<string | null> {
    if (callerId === null) return null;
    const alias = await tx.selectFrom('caller_aliases').select('caller_id').where('alias_id', '=', callerId).executeTakeFirst();
    return alias?.caller_id ?? callerId;
  }

  async function recordConflict(tx: Tx, teamId: string, conflict: Omit<ConflictRecord, 'id' | 'seq'>, at: string): Promise<void> {
    const seq = await nextSeq(tx);
    const record: ConflictRecord = { ...conflict, id: randomUUID(), seq };
    await tx
      .insertInto('conflicts')
      .values({
        id: record.id,
        case_id: record.caseId,
        field: record.field,
        kind: record.kind,
        losing_value: json(record.losingValue),
        losing_by: record.losingBy,
        losing_by_name: record.losingByName,
        losing_at: record.losingAt,
        winning_value: json(record.winningValue),
        winning_by: record.winningBy,
        winning_by_name: record.winningByName,
        winning_at: record.winningAt,
        reason: record.reason,
        seq,
      })
      .execute();
    await recordChange(tx, teamId, 'conflict', record.id, record, at, seq);
  }

  async function saveCase(tx: Tx, next: ServerCase, at: string): Promise<void> {
    await tx
      .updateTable('cases')
      .set({
        owner_id: next.ownerId,
        status: next.status,
        fields: json(next.fields),
        field_seqs: json(next.fieldSeqs),
        updated_at: next.updatedAt,
        closed_at: next.closedAt,
        version: next.version,
      })
      .where('id', '=', next.id)
      .execute();
    await recordChange(tx, next.teamId, 'case', next.id, next, at, undefined);
  }

  /** Applies one mutation. Returns whether it lost a conflict (it is still counted as applied). */
  async function apply(tx: Tx, actor: Actor, mutation: Mutation): Promise<'applied' | 'conflict'> {
    const at = now();
    switch (mutation.name) {
      case 'case.create': {
        const { args } = mutation;
        if (await caseRow(tx, args.caseId)) return 'applied';
        const teamId = actor.teamIds[0];
        if (!teamId || actor.role === 'admin') throw new StoreRefusal(403, 'Only handlers and supervisors in a team can create cases.');
        const fields: CaseFields = { ...defaultCaseFields(args.type, args.channel), callerId: await resolveCaller(tx, args.callerId) };
        const created: ServerCase = {
          id: args.caseId,
          reference: args.reference,
          teamId,
          ownerId: actor.userId,
          createdBy: actor.userId,
          status: 'open',
          fields,
          fieldSeqs: {},
          createdAt: args.at,
          updatedAt: at,
          closedAt: null,
          version: 1,
        };
        await tx
          .insertInto('cases')
          .values({
            id: created.id,
            reference: created.reference,
            team_id: teamId,
            owner_id: actor.userId,
            created_by: actor.userId,
            type: args.type,
            channel: args.channel,
            status: 'open',
            fields: json(fields),
            field_seqs: '{}',
            created_at: created.createdAt,
            updated_at: at,
            closed_at: null,
            version: 1,
          })
          .execute();
        const seq = await recordChange(tx, teamId, 'case', created.id, created, at);
        await insertEvent(tx, teamId, { id: await eventIdFor(tx, args.eventId, `${created.id}:created`), caseId: created.id, kind: 'created', field: null, value: { type: args.type, channel: args.channel, reference: args.reference }, body: null, authorId: actor.userId, authorName: actor.name, at: args.at, seq }, at);
        return 'applied';
      }
      case 'case.updateField': {
        const { args } = mutation;
        const row = await caseRow(tx, args.caseId);
        if (!row) throw new StoreRefusal(409, `Case ${args.caseId} does not exist; its creation must be pushed first.`);
        if (!canSeeCase(actor, row.team_id)) throw new StoreRefusal(403, 'That case belongs to another team.');
        const current = rowToCase(row);
        const field = args.field as CaseFieldName;
        const checked = validateField(field, field === 'callerId' ? await resolveCaller(tx, args.value as string | null) : args.value);
        if (!checked.ok) {
          await recordConflict(tx, row.team_id, { caseId: row.id, field, kind: 'refused', losingValue: args.value, losingBy: actor.userId, losingByName: actor.name, losingAt: args.at, winningValue: current.fields[field], winningBy: null, winningByName: null, winningAt: null, reason: checked.message }, at);
          return 'conflict';
        }
        const last = current.fieldSeqs[field];
        // A desktop with no change number for the field (null: it had never synced one) has seen none of its edits.
        const stale = last !== undefined && last.seq > (args.baseSeq ?? 0) && last.by !== actor.userId;
        if (stale) {
          await recordConflict(tx, row.team_id, { caseId: row.id, field, kind: 'stale-edit', losingValue: checked.value, losingBy: actor.userId, losingByName: actor.name, losingAt: args.at, winningValue: current.fields[field], winningBy: last.by, winningByName: last.byName, winningAt: last.at, reason: `Changed by ${last.byName} while this edit was offline.` }, at);
          return 'conflict';
        }
        const seq = await nextSeq(tx);
        const next: ServerCase = {
          ...current,
          fields: { ...current.fields, [field]: checked.value },
          fieldSeqs: { ...current.fieldSeqs, [field]: { seq, by: actor.userId, byName: actor.name, at: args.at } },
          updatedAt: at,
          version: current.version + 1,
        };
        await tx.updateTable('cases').set({ fields: json(next.fields), field_seqs: json(next.fieldSeqs), updated_at: at, version: next.version }).where('id', '=', row.id).execute();
        await recordChange(tx, row.team_id, 'case', row.id, next, at, seq);
        await insertEvent(tx, row.team_id, { id: await eventIdFor(tx, args.eventId, `m:${seq}`), caseId: row.id, kind: 'field', field, value: checked.value, body: null, authorId: actor.userId, authorName: actor.name, at: args.at, seq: 0 }, at);
        return 'applied';
      }
      case 'case.appendNote': {
        const { args } = mutation;
        const row = await caseRow(tx, args.caseId);
        if (!row) throw new StoreRefusal(409, `Case ${args.caseId} does not exist; its creation must be pushed first.`);
        if (!canSeeCase(actor, row.team_id)) throw new StoreRefusal(403, 'That case belongs to another team.');
        const existing = await tx.selectFrom('case_events').select('id').where('id', '=', args.noteId).executeTakeFirst();
        if (existing) return 'applied';
        await insertEvent(tx, row.team_id, { id: args.noteId, caseId: row.id, kind: 'note', field: null, value: null, body: args.text, authorId: actor.userId, authorName: actor.name, at: args.at, seq: 0 }, at);
        return 'applied';
      }
      case 'case.changeStatus': {
        const { args } = mutation;
        const row = await caseRow(tx, args.caseId);
        if (!row) throw new StoreRefusal(409, `Case ${args.caseId} does not exist; its creation must be pushed first.`);
        if (!canSeeCase(actor, row.team_id)) throw new StoreRefusal(403, 'That case belongs to another team.');
        const current = rowToCase(row);
        if (current.status === args.to) return 'applied';
        if (!canTransition(current.fields.type, current.status, args.to)) {
          const last = current.fieldSeqs.status;
          // A move that was allowed from the status the desktop saw lost to a newer move; any other is refused.
          const lostToNewerMove = current.status !== args.from && canTransition(current.fields.type, args.from, args.to);
          await recordConflict(tx, row.team_id, { caseId: row.id, field: 'status', kind: lostToNewerMove ? 'stale-edit' : 'refused', losingValue: args.to, losingBy: actor.userId, losingByName: actor.name, losingAt: args.at, winningValue: current.status, winningBy: last?.by ?? null, winningByName: last?.byName ?? null, winningAt: last?.at ?? null, reason: `The case is now ${current.status}; it cannot move to ${args.to} from there.` }, at);
          return 'conflict';
        }
        const seq = await nextSeq(tx);
        const next: ServerCase = {
          ...current,
          status: args.to,
          closedAt: isOpenStatus(args.to) ? null : args.at,
          fieldSeqs: { ...current.fieldSeqs, status: { seq, by: actor.userId, byName: actor.name, at: args.at } },
          updatedAt: at,
          version: current.version + 1,
        };
        await tx.updateTable('cases').set({ status: next.status, closed_at: next.closedAt, field_seqs: json(next.fieldSeqs), updated_at: at, version: next.version }).where('id', '=', row.id).execute();
        await recordChange(tx, row.team_id, 'case', row.id, next, at, seq);
        await insertEvent(tx, row.team_id, { id: await eventIdFor(tx, args.eventId, `m:${seq}`), caseId: row.id, kind: 'status', field: 'status', value: { from: current.status, to: args.to }, body: null, authorId: actor.userId, authorName: actor.name, at: args.at, seq: 0 }, at);
        return 'applied';
      }
      case 'caller.upsert': {
        const { args } = mutation;
        if (!actor.teamIds[0] || actor.role === 'admin') throw new StoreRefusal(403, 'Only handlers and supervisors in a team can record callers.');
        const canonicalId = (await resolveCaller(tx, args.callerId))!;
        // A known caller stays in its team: another team's desk may not overwrite it.
        const known = await tx.selectFrom('callers').select('team_id').where('id', '=', canonicalId).executeTakeFirst();
        if (known && !actor.teamIds.includes(known.team_id)) throw new StoreRefusal(403, 'That caller belongs to another team.');
        const teamId = known?.team_id ?? actor.teamIds[0];
        const samePhone = args.phone ? await tx.selectFrom('callers').select('id').where('team_id', '=', teamId).where('phone', '=', args.phone).executeTakeFirst() : undefined;
        const targetId = samePhone && samePhone.id !== canonicalId ? samePhone.id : canonicalId;
        if (targetId !== args.callerId) {
          // Two desks recorded the same number offline: the first caller stays, the other id becomes its alias.
          await tx.insertInto('caller_aliases').values({ alias_id: args.callerId, caller_id: targetId }).onConflict((oc) => oc.column('alias_id').doNothing()).execute();
          await recordChange(tx, teamId, 'callerAlias', args.callerId, { aliasId: args.callerId, callerId: targetId }, at);
        }
        const caller = { id: targetId, teamId, phone: args.phone, name: args.name, flags: [...new Set(args.flags)].sort(), updatedAt: at };
        await tx
          .insertInto('callers')
          .values({ id: caller.id, team_id: teamId, phone: caller.phone, name: caller.name, flags: json(caller.flags), updated_at: at })
          .onConflict((oc) => oc.column('id').doUpdateSet({ phone: caller.phone, name: caller.name, flags: json(caller.flags), updated_at: at }))
          .execute();
        await recordChange(tx, teamId, 'caller', caller.id, caller, at);
        return 'applied';
      }
    }
  }

  /**
   * The timeline event's id: the desktop's own id for it when it sent one (so the desktop recognises the echo and
   * never shows the change twice), unless that id is already taken, when the server's own id is used.
   */
  async function eventIdFor(tx: Tx, desktopId: string | undefined, fallback: string): Promise<string> {
    if (!desktopId) return fallback;
    const taken = await tx.selectFrom('case_events').select('id').where('id', '=', desktopId).executeTakeFirst();
    return taken ? fallback : desktopId;
  }

  async function insertEvent(tx: Tx, teamId: string, event: ServerCaseEvent, at: string): Promise<void> {
    const seq = event.seq || (await nextSeq(tx));
    const stored = { ...event, seq };
    await tx
      .insertInto('case_events')
      .values({ id: stored.id, case_id: stored.caseId, kind: stored.kind, field: stored.field, value: json(stored.value), body: stored.body, author_id: stored.authorId, author_name: stored.authorName, at: stored.at, seq })
      .execute();
    await recordChange(tx, teamId, 'caseEvent', stored.id, stored, at, event.seq ? undefined : seq);
  }

  async function lockClient(tx: Tx, clientId: string) {
    const query = tx.selectFrom('sync_clients').selectAll().where('client_id', '=', clientId);
    return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  }

  return {
    dialect,
    db,

    async createTeam(name: string): Promise<Team> {
      const team = { id: randomUUID(), name, createdAt: now() };
      await db.insertInto('teams').values({ id: team.id, name, created_at: team.createdAt }).execute();
      return team;
    },
    async listTeams(): Promise<Team[]> {
      const rows = await db.selectFrom('teams').selectAll().orderBy('name').execute();
      return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
    },
    async createUser(input: { email: string; name: string; role: Role; teamIds: string[]; passwordHash: string }): Promise<User> {
      const id = randomUUID();
      const at = now();
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('users').values({ id, email: input.email.toLowerCase(), name: input.name, role: input.role, password_hash: input.passwordHash, failed_sign_ins: 0, locked_until: null, disabled: 0, created_at: at }).execute();
        for (const teamId of input.teamIds) await tx.insertInto('user_teams').values({ user_id: id, team_id: teamId }).execute();
      });
      return { id, email: input.email.toLowerCase(), name: input.name, role: input.role, teamIds: [...input.teamIds].sort(), disabled: false, createdAt: at };
    },
    async updateUser(id: string, patch: { name?: string; role?: Role; teamIds?: string[]; disabled?: boolean }): Promise<User | null> {
      return db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) return null;
        await tx
          .updateTable('users')
          .set({ name: patch.name ?? row.name, role: patch.role ?? row.role, disabled: patch.disabled === undefined ? row.disabled : patch.disabled ? 1 : 0 })
          .where('id', '=', id)
          .execute();
        if (patch.teamIds) {
          await tx.deleteFrom('user_teams').where('user_id', '=', id).execute();
          for (const teamId of patch.teamIds) await tx.insertInto('user_teams').values({ user_id: id, team_id: teamId }).execute();
        }
        if (patch.disabled) await tx.deleteFrom('refresh_tokens').where('user_id', '=', id).execute();
        const updated = await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        return rowToUser(updated, await teamsOf(tx, id));
      });
    },
    async getUser(id: string): Promise<User | null> {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? rowToUser(row, await teamsOf(db, id)) : null;
    },
    async listUsers(): Promise<User[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
      return Promise.all(rows.map(async (row) => rowToUser(row, await teamsOf(db, row.id))));
    },
    async findUserByEmail(email: string): Promise<UserWithSecret | null> {
      const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
      if (!row) return null;
      return { ...rowToUser(row, await teamsOf(db, row.id)), passwordHash: row.password_hash, failedSignIns: Number(row.failed_sign_ins), lockedUntil: row.locked_until };
    },
    async recordSignInFailure(userId: string, lockedUntil: string | null): Promise<void> {
      await db.updateTable('users').set({ failed_sign_ins: sql<number>`failed_sign_ins + 1`, locked_until: lockedUntil }).where('id', '=', userId).execute();
    },
    async clearSignInFailures(userId: string): Promise<void> {
      await db.updateTable('users').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', userId).execute();
    },
    async saveRefreshToken(token: { id: string; userId: string; tokenHash: string; expiresAt: string }): Promise<void> {
      await db.insertInto('refresh_tokens').values({ id: token.id, user_id: token.userId, token_hash: token.tokenHash, expires_at: token.expiresAt, revoked_at: null, created_at: now() }).execute();
    },
    /** Takes a refresh token for use: returns it and revokes it in one step, so a token works once (rotation). */
    async consumeRefreshToken(tokenHash: string): Promise<{ id: string; userId: string; expiresAt: string; alreadyUsed: boolean; usedAt: string | null } | null> {
      // One conditional update claims the token: of two refreshes racing with it, only one can revoke it.
      const claimed = await db
        .updateTable('refresh_tokens')
        .set({ revoked_at: now() })
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .returning(['id', 'user_id', 'expires_at'])
        .executeTakeFirst();
      if (claimed) return { id: claimed.id, userId: claimed.user_id, expiresAt: claimed.expires_at, alreadyUsed: false, usedAt: null };
      const row = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row ? { id: row.id, userId: row.user_id, expiresAt: row.expires_at, alreadyUsed: true, usedAt: row.revoked_at } : null;
    },
    /**
     * Ends every session of a user (theft suspected, account disabled). The tokens are deleted, not marked used, so
     * none of them can pass for a retry after a lost answer.
     */
    async revokeRefreshTokens(userId: string): Promise<void> {
      await db.deleteFrom('refresh_tokens').where('user_id', '=', userId).execute();
    },
    /** Ends one session (sign-out). */
    async endRefreshToken(tokenHash: string): Promise<void> {
      await db.deleteFrom('refresh_tokens').where('token_hash', '=', tokenHash).execute();
    },

    /**
     * Applies a batch of mutations from one client in one transaction. Ids the server already has are skipped; the
     * first id must follow the client's last one (a gap is refused with 409 and nothing is applied); the client's
     * last mutation id is stored with the changes.
     */
    async push(actor: Actor, clientId: string, mutations: readonly Mutation[]): Promise<PushResponse> {
      return db.transaction().execute(async (tx) => {
        let client = await lockClient(tx, clientId);
        if (!client) {
          await tx.insertInto('sync_clients').values({ client_id: clientId, user_id: actor.userId, last_mutation_id: 0, created_at: now() }).onConflict((oc) => oc.column('client_id').doNothing()).execute();
          client = await lockClient(tx, clientId);
        }
        if (!client || client.user_id !== actor.userId) throw new StoreRefusal(403, 'That desktop client is registered to another user. Sign in again on that desktop.');
        const stored = Number(client.last_mutation_id);
        // The order is checked before anything is applied: a refused batch leaves nothing behind, so the refusal
        // reports what the server kept, and the desktop must not drop any outbox entry after it.
        let next = stored + 1;
        for (const mutation of mutations) {
          if (mutation.id < next) continue;
          if (mutation.id !== next) {
            throw new StoreRefusal(409, `Mutation ${mutation.id} arrived where ${next} was expected: the desktop must send its changes in order, from ${stored + 1}.`, { expected: stored + 1, lastMutationId: stored });
          }
          next += 1;
        }
        let last = stored;
        let applied = 0;
        let skipped = 0;
        let conflicts = 0;
        for (const mutation of mutations) {
          if (mutation.id <= last) {
            skipped += 1;
            continue;
          }
          const outcome = await apply(tx, actor, mutation);
          if (outcome === 'conflict') conflicts += 1;
          applied += 1;
          last = mutation.id;
        }
        await tx.updateTable('sync_clients').set({ last_mutation_id: last }).where('client_id', '=', clientId).execute();
        return { lastMutationId: last, applied, skipped, conflicts };
      });
    },

    /** The changes after `cursor` that this user may see, the new cursor, and this client's last mutation id. */
    async pull(actor: Actor, clientId: string, cursor: number, limit: number): Promise<PullResponse> {
      // One snapshot for the whole read, so the changes, the newest change number and the client's last mutation id
      // agree. Read apart, a push committing between them would move the cursor past changes this pull never saw.
      const snapshot = dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only') : db.transaction();
      return snapshot.execute(async (tx) => {
        const client = await tx.selectFrom('sync_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
        if (client && client.user_id !== actor.userId) throw new StoreRefusal(403, 'That desktop client is registered to another user. Sign in again on that desktop.');
        const teams = [...(actor.role === 'admin' ? [] : actor.teamIds), EVERYONE];
        const rows = await tx
          .selectFrom('changes')
          .selectAll()
          .where('seq', '>', cursor)
          .where('team_id', 'in', teams)
          .orderBy('seq')
          .limit(limit + 1)
          .execute();
        const page = rows.slice(0, limit);
        const changes: Change[] = page.map((row) => ({ seq: Number(row.seq), entity: row.entity as ChangeEntity, entityId: row.entity_id, data: parse(row.data), at: row.at }));
        const newest = await tx.selectFrom('counters').select('value').where('name', '=', 'change').executeTakeFirstOrThrow();
        const hasMore = rows.length > limit;
        return {
          changes,
          cursor: hasMore ? (changes.at(-1)?.seq ?? cursor) : Math.max(cursor, Number(newest.value)),
          lastMutationId: client ? Number(client.last_mutation_id) : 0,
          hasMore,
        };
      });
    },

    /** Reads one case for a person, writing the audit row (who, which case, when, why) in the same transaction. */
    async readCase(actor: Actor, caseId: string, reason: string): Promise<{ case: ServerCase; events: ServerCaseEvent[]; conflicts: ConflictRecord[] } | null> {
      return db.transaction().execute(async (tx) => {
        const row = await caseRow(tx, caseId);
        if (!row || !canSeeCase(actor, row.team_id)) return null;
        await tx.insertInto('audit_log').values({ user_id: actor.userId, case_id: caseId, reason, at: now() }).execute();
        const events = await tx.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
        const conflicts = await tx.selectFrom('conflicts').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
        return {
          case: rowToCase(row),
          events: events.map((e) => ({ id: e.id, caseId: e.case_id, kind: e.kind, field: e.field, value: parse(e.value), body: e.body, authorId: e.author_id, authorName: e.author_name, at: e.at, seq: Number(e.seq) })),
          conflicts: conflicts.map((c) => ({
            id: c.id,
            caseId: c.case_id,
            field: c.field,
            kind: c.kind as ConflictRecord['kind'],
            losingValue: parse(c.losing_value),
            losingBy: c.losing_by,
            losingByName: c.losing_by_name,
            losingAt: c.losing_at,
            winningValue: parse(c.winning_value),
            winningBy: c.winning_by,
            winningByName: c.winning_by_name,
            winningAt: c.winning_at,
            reason: c.reason,
            seq: Number(c.seq),
          })),
        };
      });
    },

    async listCases(actor: Actor, filters: { status?: 'open' | 'closed'; limit: number }): Promise<ServerCase[]> {
      if (actor.role === 'admin' || actor.teamIds.length === 0) return [];
      let query = db.selectFrom('cases').selectAll().where('team_id', 'in', actor.teamIds);
      if (filters.status === 'open') query = query.where('closed_at', 'is', null);
      if (filters.status === 'closed') query = query.where('closed_at', 'is not', null);
      const rows = await query.orderBy('created_at', 'desc').limit(filters.limit).execute();
      return rows.map(rowToCase);
    },

    /** A supervisor gives a case to another handler of the case's team. */
    async reassignCase(actor: Actor, caseId: string, ownerId: string): Promise<ServerCase> {
      return db.transaction().execute(async (tx) => {
        const row = await caseRow(tx, caseId);
        if (!row || !canSeeCase(actor, row.team_id)) throw new StoreRefusal(404, 'There is no such case in your teams.');
        const owner = await tx.selectFrom('user_teams').select('user_id').where('user_id', '=', ownerId).where('team_id', '=', row.team_id).executeTakeFirst();
        if (!owner) throw new StoreRefusal(422, 'Choose a handler in the case’s team.');
        const at = now();
        const next: ServerCase = { ...rowToCase(row), ownerId, updatedAt: at, version: Number(row.version) + 1 };
        await saveCase(tx, next, at);
        return next;
      });
    },

    async auditFor(caseId: string): Promise<{ userId: string; caseId: string; reason: string; at: string }[]> {
      const rows = await db.selectFrom('audit_log').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
      return rows.map((row) => ({ userId: row.user_id, caseId: row.case_id, reason: row.reason, at: row.at }));
    },

    async close(): Promise<void> {
      await db.destroy();
    },
  };
}

export type CentralStore = ReturnType<typeof createCentralStore>;
