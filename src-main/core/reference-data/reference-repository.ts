import type { Database } from 'better-sqlite3';
import type { Provider, ReferenceData } from '../../../src-shared/contract/cases';
import type { Category } from '../../../src-shared/domain/categories';
import { limitedStatements } from '../db/limited-statements';

interface ProviderRow {
  id: string;
  ods_code: string;
  name: string;
  kind: string;
  departments: string | null;
}

function rowToProvider(row: ProviderRow): Provider {
  return { id: row.id, odsCode: row.ods_code, name: row.name, kind: row.kind, departments: row.departments ? (JSON.parse(row.departments) as string[]) : [] };
}

const PROVIDER_SELECT = `
  SELECT p.id, p.ods_code, p.name, p.kind,
    (SELECT json_group_array(d.name) FROM (SELECT name FROM provider_departments WHERE provider_id = p.id ORDER BY name) d) AS departments
  FROM providers p`;

/** Categories, providers, queues and dispositions: what the case form and wrap-up pick from. */
export function createReferenceRepository(db: Database) {
  const categories = db.prepare<[], { id: Category; label: string; high_priority_allowed: number }>(
    'SELECT id, label, high_priority_allowed FROM categories WHERE active = 1 ORDER BY sort_order',
  );
  const dispositions = db.prepare<[], { id: string; label: string; resolves: number }>(
    'SELECT id, label, resolves FROM dispositions WHERE active = 1 ORDER BY sort_order',
  );
  const queues = db.prepare<[], { id: string; name: string; case_type: string | null }>('SELECT id, name, case_type FROM queues WHERE active = 1 ORDER BY name');
  const providerCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM providers WHERE active = 1');
  // A person in two of the handler's teams is listed once; their account is active or not whatever the team.
  const users = db.prepare<[], { id: string; name: string; role: 'handler' | 'supervisor' | 'admin'; active: number }>(
    'SELECT user_id AS id, max(name) AS name, max(role) AS role, max(active) AS active FROM team_users GROUP BY user_id ORDER BY name, user_id',
  );
  // An exact code first, then codes and names that start with the text, then names containing it.
  const search = limitedStatements<{ exact: string; prefix: string; anywhere: string }, ProviderRow>(
    db,
    (limit) => `
    ${PROVIDER_SELECT}
    WHERE p.active = 1 AND (p.ods_code LIKE @prefix OR p.name LIKE @anywhere)
    ORDER BY (upper(p.ods_code) = @exact) DESC, (p.name LIKE @prefix) DESC, p.name
    LIMIT ${limit}`,
  );
  const byId = db.prepare<[string], ProviderRow>(`${PROVIDER_SELECT} WHERE p.id = ?`);

  return {
    get(): ReferenceData {
      return {
        categories: categories.all().map((row) => ({ id: row.id, label: row.label, highPriorityAllowed: row.high_priority_allowed === 1 })),
        dispositions: dispositions.all().map((row) => ({ id: row.id, label: row.label, resolves: row.resolves === 1 })),
        queues: queues.all().map((row) => ({ id: row.id, name: row.name, caseType: row.case_type })),
        providerCount: providerCount.get()?.n ?? 0,
        users: users.all().map((row) => ({ id: row.id, name: row.name, role: row.role, active: row.active === 1 })),
      };
    },
    /** The provider picker's type-ahead over organisation code and name. */
    searchProviders(text: string, limit: number): Provider[] {
      const term = text.trim().replace(/[%_\\]/g, '');
      return search(limit).all({ exact: term.toUpperCase(), prefix: `${term}%`, anywhere: `%${term}%` }).map(rowToProvider);
    },
    provider(id: string): Provider | null {
      const row = byId.get(id);
      return row ? rowToProvider(row) : null;
    },
  };
}

export type ReferenceRepository = ReturnType<typeof createReferenceRepository>;
