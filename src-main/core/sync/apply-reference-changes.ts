import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import {
  apiCategorySchema,
  apiDispositionSchema,
  apiProviderSchema,
  apiQueueSchema,
  teamUserChangeSchema,
  type ApiProvider,
} from '../../../src-shared/api/reference';
import type { Change } from '../../../src-shared/sync/protocol';
import type { Logger } from '../logger';

/**
 * Applies pulled reference changes to the local tables the pickers read. A pulled row replaces the local one whole
 * (the server sends the complete row each time). The demo seed is only a stand-in: the first pulled row of a kind
 * retires the seeded rows of that kind, and a seeded provider with the pulled one's organisation code gives way to
 * it. Runs inside the transaction of the pulled page, like the rest of the applier. Logs ids only.
 */
export function createReferenceChangeApplier(db: Database, deps: { logger: Logger }) {
  const log = deps.logger.child({ component: 'sync-apply-reference' });

  const retireSeededProviders = db.prepare('UPDATE providers SET active = 0 WHERE seeded = 1 AND active = 1');
  const retireSeededQueues = db.prepare('UPDATE queues SET active = 0 WHERE seeded = 1 AND active = 1');
  const retireSeededDispositions = db.prepare('UPDATE dispositions SET active = 0 WHERE seeded = 1 AND active = 1');

  const otherWithCode = db.prepare<[string, string], { id: string }>('SELECT id FROM providers WHERE ods_code = ? AND id <> ?');
  const providerInUse = db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM cases WHERE provider_id = ? LIMIT 1');
  const deleteDepartments = db.prepare<[string]>('DELETE FROM provider_departments WHERE provider_id = ?');
  const deleteProvider = db.prepare<[string]>('DELETE FROM providers WHERE id = ?');
  // A provider a case still names cannot go (the case keeps showing its name): it steps aside, off the picker, and
  // frees the code, which must stay unique.
  const stepAside = db.prepare<[string, string]>("UPDATE providers SET ods_code = ods_code || '~' || ?, active = 0, seeded = 0 WHERE id = ?");
  const upsertProvider = db.prepare(`
    INSERT INTO providers (id, ods_code, name, kind, contact_email, active, seeded)
    VALUES (@id, @odsCode, @name, @kind, @contactEmail, @active, 0)
    ON CONFLICT (id) DO UPDATE SET ods_code = excluded.ods_code, name = excluded.name, kind = excluded.kind,
      contact_email = excluded.contact_email, active = excluded.active, seeded = 0`);
  const insertDepartment = db.prepare<[string, string, string]>('INSERT INTO provider_departments (id, provider_id, name) VALUES (?, ?, ?)');

  const upsertCategory = db.prepare(`
    INSERT INTO categories (id, label, high_priority_allowed, sort_order, active)
    VALUES (@id, @label, @highPriorityAllowed, @sortOrder, @active)
    ON CONFLICT (id) DO UPDATE SET label = excluded.label, high_priority_allowed = excluded.high_priority_allowed,
      sort_order = excluded.sort_order, active = excluded.active`);
  const upsertQueue = db.prepare(`
    INSERT INTO queues (id, name, case_type, active, seeded) VALUES (@id, @name, @caseType, @active, 0)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, case_type = excluded.case_type, active = excluded.active, seeded = 0`);
  const upsertDisposition = db.prepare(`
    INSERT INTO dispositions (id, label, resolves, sort_order, active, seeded) VALUES (@id, @label, @resolves, @sortOrder, @active, 0)
    ON CONFLICT (id) DO UPDATE SET label = excluded.label, resolves = excluded.resolves, sort_order = excluded.sort_order,
      active = excluded.active, seeded = 0`);
  const upsertTeamUser = db.prepare(`
    INSERT INTO team_users (team_id, user_id, name, role, active) VALUES (@teamId, @id, @name, @role, @active)
    ON CONFLICT (team_id, user_id) DO UPDATE SET name = excluded.name, role = excluded.role, active = excluded.active`);
  const deleteTeamUser = db.prepare<[string, string]>('DELETE FROM team_users WHERE team_id = ? AND user_id = ?');

  function parse<T extends z.ZodType>(schema: T, change: Change): z.output<T> | null {
    const parsed = schema.safeParse(change.data);
    if (parsed.success) return parsed.data;
    log.warn({ seq: change.seq, entity: change.entity, entityId: change.entityId }, 'pulled reference change has an unexpected shape; skipped');
    return null;
  }

  function applyProvider(provider: ApiProvider): void {
    retireSeededProviders.run();
    for (const other of otherWithCode.all(provider.odsCode, provider.id)) {
      if (providerInUse.get(other.id)) {
        stepAside.run(other.id, other.id);
      } else {
        deleteDepartments.run(other.id);
        deleteProvider.run(other.id);
      }
      log.info({ providerId: provider.id, replaced: other.id }, 'a pulled provider took the organisation code of a local one');
    }
    upsertProvider.run({ ...provider, active: provider.active ? 1 : 0 });
    deleteDepartments.run(provider.id);
    [...new Set(provider.departments)].forEach((name, index) => insertDepartment.run(`${provider.id}#${index}`, provider.id, name));
  }

  return {
    /**
     * Stores one pulled change of reference data ('provider', 'category', 'queue', 'disposition') or of a team's
     * people ('user'); false when it was skipped.
     */
    apply(change: Change): boolean {
      switch (change.entity) {
        case 'provider': {
          const provider = parse(apiProviderSchema, change);
          if (!provider) return false;
          applyProvider(provider);
          return true;
        }
        case 'category': {
          const category = parse(apiCategorySchema, change);
          if (!category) return false;
          upsertCategory.run({ ...category, highPriorityAllowed: category.highPriorityAllowed ? 1 : 0, active: category.active ? 1 : 0 });
          return true;
        }
        case 'queue': {
          const queue = parse(apiQueueSchema, change);
          if (!queue) return false;
          retireSeededQueues.run();
          upsertQueue.run({ ...queue, active: queue.active ? 1 : 0 });
          return true;
        }
        case 'disposition': {
          const disposition = parse(apiDispositionSchema, change);
          if (!disposition) return false;
          retireSeededDispositions.run();
          upsertDisposition.run({ ...disposition, resolves: disposition.resolves ? 1 : 0, active: disposition.active ? 1 : 0 });
          return true;
        }
        case 'user': {
          const user = parse(teamUserChangeSchema, change);
          if (!user) return false;
          if (user.member) upsertTeamUser.run({ teamId: user.teamId, id: user.id, name: user.name, role: user.role, active: user.active ? 1 : 0 });
          else deleteTeamUser.run(user.teamId, user.id);
          return true;
        }
        default:
          return false;
      }
    },
  };
}

export type ReferenceChangeApplier = ReturnType<typeof createReferenceChangeApplier>;
