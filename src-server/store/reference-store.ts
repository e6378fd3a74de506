import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type {
  ApiCategory,
  ApiDisposition,
  ApiProvider,
  ApiQueue,
  CreateDispositionRequest,
  CreateProviderRequest,
  CreateQueueRequest,
  ReferenceDataResponse,
  TeamUserChange,
  UpdateCategoryRequest,
  UpdateDispositionRequest,
  UpdateProviderRequest,
  UpdateQueueRequest,
} from '../../src-shared/api/reference';
import type { Role } from '../../src-shared/api/people';
import { categories, categoryLabels, isCategory, isHighPriorityAllowed, type Category } from '../../src-shared/domain/categories';
import type { CaseType } from '../../src-shared/domain/case-types';
import type { ChangeEntity } from '../../src-shared/sync/protocol';
import type { Database } from './schema';

type Tx = Transaction<Database> | Kysely<Database>;

/** Changes every desk pulls, whatever its teams: reference data. */
export const EVERYONE = '*';

/** One row of the change log, before it has its number. */
export interface PendingChange {
  teamId: string;
  entity: ChangeEntity;
  entityId: string;
  data: unknown;
}

/**
 * Writes change-log rows inside the caller's transaction, so pull delivers them exactly when the write commits.
 * The numbers come from the `counters` row, taken in one step for the whole set: the row is locked (PostgreSQL) or
 * the database is (SQLite) until commit, so writers take numbers in commit order and a pull never skips a change
 * that commits late (see createCentralStore). Taking the counter is a writer's last lock, so call this after the
 * transaction's other writes.
 */
export async function recordChanges(tx: Tx, changes: readonly PendingChange[], at: string): Promise<void> {
  if (changes.length === 0) return;
  const taken = await tx
    .updateTable('counters')
    .set({ value: sql<number>`value + ${changes.length}` })
    .where('name', '=', 'change')
    .returning('value')
    .executeTakeFirstOrThrow();
  const first = Number(taken.value) - changes.length + 1;
  await tx
    .insertInto('changes')
    .values(changes.map((change, index) => ({ seq: first + index, team_id: change.teamId, entity: change.entity, entity_id: change.entityId, data: JSON.stringify(change.data ?? null), at })))
    .execute();
}

/**
 * The 'user' changes for a person whose name, role, teams or account changed: one per team they were or are in, so
 * each team's desks learn of it, with only what a desk shows (never the email address or anything of the password).
 * A team they have left gets `member: false`.
 */
export function userChanges(user: { id: string; name: string; role: Role; disabled: boolean }, teamsBefore: readonly string[], teamsAfter: readonly string[]): PendingChange[] {
  const teams = [...new Set([...teamsBefore, ...teamsAfter])].sort();
  return teams.map((teamId) => {
    const data: TeamUserChange = { id: user.id, teamId, name: user.name, role: user.role, active: !user.disabled, member: teamsAfter.includes(teamId) };
    return { teamId, entity: 'user', entityId: user.id, data };
  });
}

/** An expected refusal: no such row (404), or one that would take another's id or organisation code (409). */
export type ReferenceOutcome<T> = { ok: true; value: T } | { ok: false; status: 404 | 409; message: string };

const notFound = (what: string): ReferenceOutcome<never> => ({ ok: false, status: 404, message: `There is no such ${what}.` });

/** A unique or primary-key violation, as SQLite and PostgreSQL report it: two writers raced for the same id or code. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function rowToProvider(row: Database['providers']): ApiProvider {
  return {
    id: row.id,
    odsCode: row.ods_code,
    name: row.name,
    kind: row.kind,
    departments: JSON.parse(row.departments) as string[],
    contactEmail: row.contact_email,
    active: Number(row.active) === 1,
  };
}

function rowToQueue(row: Database['queues']): ApiQueue {
  return { id: row.id, name: row.name, caseType: row.case_type as CaseType | null, active: Number(row.active) === 1 };
}

function rowToDisposition(row: Database['dispositions']): ApiDisposition {
  return { id: row.id, label: row.label, resolves: Number(row.resolves) === 1, sortOrder: Number(row.sort_order), active: Number(row.active) === 1 };
}

function categoryOf(id: Category, row: Database['categories'] | undefined): ApiCategory {
  return {
    id,
    label: row?.label ?? categoryLabels[id],
    highPriorityAllowed: isHighPriorityAllowed(id),
    sortOrder: categories.indexOf(id),
    active: row ? Number(row.active) === 1 : true,
  };
}

/**
 * Reference data on the central store (categories, providers, queues, dispositions), on the same Kysely database as
 * the central store. Every write records its 'provider', 'category', 'queue' or 'disposition' change for everyone in
 * the same transaction, so desks pull it like any other change.
 */
export function createReferenceStore(db: Kysely<Database>, clock: { now(): number } = Date) {
  const now = () => new Date(clock.now()).toISOString();

  /** Runs a write that publishes `entity`; a race for the same id or code ends as a 409, not a server error. */
  async function write<T extends { id: string }>(entity: ChangeEntity, conflict: string, body: (tx: Transaction<Database>) => Promise<ReferenceOutcome<T>>): Promise<ReferenceOutcome<T>> {
    try {
      return await db.transaction().execute(async (tx) => {
        const outcome = await body(tx);
        if (outcome.ok) await recordChanges(tx, [{ teamId: EVERYONE, entity, entityId: outcome.value.id, data: outcome.value }], now());
        return outcome;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, status: 409, message: conflict };
      throw error;
    }
  }

  async function listCategories(tx: Tx = db): Promise<ApiCategory[]> {
    const rows = new Map((await tx.selectFrom('categories').selectAll().execute()).map((row) => [row.id, row]));
    return categories.map((id) => categoryOf(id, rows.get(id)));
  }
  async function listProviders(): Promise<ApiProvider[]> {
    return (await db.selectFrom('providers').selectAll().orderBy('name').orderBy('id').execute()).map(rowToProvider);
  }
  async function listQueues(): Promise<ApiQueue[]> {
    return (await db.selectFrom('queues').selectAll().orderBy('name').orderBy('id').execute()).map(rowToQueue);
  }
  async function listDispositions(): Promise<ApiDisposition[]> {
    return (await db.selectFrom('dispositions').selectAll().orderBy('sort_order').orderBy('id').execute()).map(rowToDisposition);
  }

  return {
    listCategories: () => listCategories(),
    listProviders,
    listQueues,
    listDispositions,

    /** Everything at once, for GET /reference. */
    async readAll(): Promise<ReferenceDataResponse> {
      return { categories: await listCategories(), providers: await listProviders(), queues: await listQueues(), dispositions: await listDispositions() };
    },

    /** Renames or retires (or brings back) one of the domain's categories. */
    async updateCategory(id: string, patch: UpdateCategoryRequest): Promise<ReferenceOutcome<ApiCategory>> {
      if (!isCategory(id)) return notFound('category');
      return write('category', 'That category changed at the same moment; try again.', async (tx) => {
        const row = await tx.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
        const current = categoryOf(id, row);
        const next = { id, label: patch.label ?? current.label, active: (patch.active ?? current.active) ? 1 : 0 };
        await tx
          .insertInto('categories')
          .values(next)
          .onConflict((oc) => oc.column('id').doUpdateSet({ label: next.label, active: next.active }))
          .execute();
        return { ok: true, value: categoryOf(id, next) };
      });
    },

    /**
     * Sends every category to the desks as it stands (a change each), as a new organisation's first publication: a
     * desk that has no categories of its own then gets them by pull.
     */
    async publishCategories(): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const list = await listCategories(tx);
        await recordChanges(tx, list.map((category) => ({ teamId: EVERYONE, entity: 'category', entityId: category.id, data: category })), now());
      });
    },

    async createProvider(input: CreateProviderRequest): Promise<ReferenceOutcome<ApiProvider>> {
      return write('provider', `A provider with the code ${input.odsCode} already exists.`, async (tx) => {
        const sameCode = await tx.selectFrom('providers').select('id').where('ods_code', '=', input.odsCode).executeTakeFirst();
        if (sameCode) return { ok: false, status: 409, message: `A provider with the code ${input.odsCode} already exists.` };
        // The id is made from the code when the administrator gives none, as the demo organisation's are.
        let id = input.id ?? `provider-${input.odsCode.toLowerCase()}`;
        const taken = await tx.selectFrom('providers').select('id').where('id', '=', id).executeTakeFirst();
        if (taken) {
          if (input.id) return { ok: false, status: 409, message: `A provider with the id ${input.id} already exists.` };
          id = randomUUID();
        }
        const provider: ApiProvider = { id, odsCode: input.odsCode, name: input.name, kind: input.kind, departments: input.departments, contactEmail: input.contactEmail, active: input.active };
        await tx
          .insertInto('providers')
          .values({ id, ods_code: provider.odsCode, name: provider.name, kind: provider.kind, departments: JSON.stringify(provider.departments), contact_email: provider.contactEmail, active: provider.active ? 1 : 0 })
          .execute();
        return { ok: true, value: provider };
      });
    },

    async updateProvider(id: string, patch: UpdateProviderRequest): Promise<ReferenceOutcome<ApiProvider>> {
      return write('provider', `Another provider has the code ${patch.odsCode ?? ''}.`, async (tx) => {
        const row = await tx.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) return notFound('provider');
        if (patch.odsCode && patch.odsCode !== row.ods_code) {
          const sameCode = await tx.selectFrom('providers').select('id').where('ods_code', '=', patch.odsCode).executeTakeFirst();
          if (sameCode) return { ok: false, status: 409, message: `Another provider has the code ${patch.odsCode}.` };
        }
        const current = rowToProvider(row);
        const next: ApiProvider = {
          id,
          odsCode: patch.odsCode ?? current.odsCode,
          name: patch.name ?? current.name,
          kind: patch.kind ?? current.kind,
          departments: patch.departments ?? current.departments,
          contactEmail: patch.contactEmail === undefined ? current.contactEmail : patch.contactEmail,
          active: patch.active ?? current.active,
        };
        await tx
          .updateTable('providers')
          .set({ ods_code: next.odsCode, name: next.name, kind: next.kind, departments: JSON.stringify(next.departments), contact_email: next.contactEmail, active: next.active ? 1 : 0 })
          .where('id', '=', id)
          .execute();
        return { ok: true, value: next };
      });
    },

    async createQueue(input: CreateQueueRequest): Promise<ReferenceOutcome<ApiQueue>> {
      const id = input.id ?? randomUUID();
      return write('queue', `A queue with the id ${id} already exists.`, async (tx) => {
        if (await tx.selectFrom('queues').select('id').where('id', '=', id).executeTakeFirst()) {
          return { ok: false, status: 409, message: `A queue with the id ${id} already exists.` };
        }
        const queue: ApiQueue = { id, name: input.name, caseType: input.caseType, active: input.active };
        await tx.insertInto('queues').values({ id, name: queue.name, case_type: queue.caseType, active: queue.active ? 1 : 0 }).execute();
        return { ok: true, value: queue };
      });
    },

    async updateQueue(id: string, patch: UpdateQueueRequest): Promise<ReferenceOutcome<ApiQueue>> {
      return write('queue', 'That queue changed at the same moment; try again.', async (tx) => {
        const row = await tx.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) return notFound('queue');
        const current = rowToQueue(row);
        const next: ApiQueue = { id, name: patch.name ?? current.name, caseType: patch.caseType === undefined ? current.caseType : patch.caseType, active: patch.active ?? current.active };
        await tx.updateTable('queues').set({ name: next.name, case_type: next.caseType, active: next.active ? 1 : 0 }).where('id', '=', id).execute();
        return { ok: true, value: next };
      });
    },

    async createDisposition(input: CreateDispositionRequest): Promise<ReferenceOutcome<ApiDisposition>> {
      const id = input.id ?? randomUUID();
      return write('disposition', `A disposition with the id ${id} already exists.`, async (tx) => {
        if (await tx.selectFrom('dispositions').select('id').where('id', '=', id).executeTakeFirst()) {
          return { ok: false, status: 409, message: `A disposition with the id ${id} already exists.` };
        }
        let sortOrder = input.sortOrder;
        if (sortOrder === undefined) {
          const last = await tx.selectFrom('dispositions').select((eb) => eb.fn.max('sort_order').as('last')).executeTakeFirst();
          sortOrder = last?.last === null || last?.last === undefined ? 0 : Number(last.last) + 1;
        }
        const disposition: ApiDisposition = { id, label: input.label, resolves: input.resolves, sortOrder, active: input.active };
        await tx.insertInto('dispositions').values({ id, label: disposition.label, resolves: disposition.resolves ? 1 : 0, sort_order: sortOrder, active: disposition.active ? 1 : 0 }).execute();
        return { ok: true, value: disposition };
      });
    },

    async updateDisposition(id: string, patch: UpdateDispositionRequest): Promise<ReferenceOutcome<ApiDisposition>> {
      return write('disposition', 'That disposition changed at the same moment; try again.', async (tx) => {
        const row = await tx.selectFrom('dispositions').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) return notFound('disposition');
        const current = rowToDisposition(row);
        const next: ApiDisposition = { id, label: patch.label ?? current.label, resolves: patch.resolves ?? current.resolves, sortOrder: patch.sortOrder ?? current.sortOrder, active: patch.active ?? current.active };
        await tx.updateTable('dispositions').set({ label: next.label, resolves: next.resolves ? 1 : 0, sort_order: next.sortOrder, active: next.active ? 1 : 0 }).where('id', '=', id).execute();
        return { ok: true, value: next };
      });
    },
  };
}

export type ReferenceStore = ReturnType<typeof createReferenceStore>;
