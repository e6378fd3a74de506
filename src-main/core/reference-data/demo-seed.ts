import type { Database } from 'better-sqlite3';
import { categories, categoryLabels, isHighPriorityAllowed } from '../../../src-shared/domain/categories';
import { DEMO_DISPOSITIONS, DEMO_PROVIDERS, DEMO_QUEUES, demoProviderDepartments, demoProviderId } from '../../../src-shared/domain/demo-reference-data';

export { DEMO_DISPOSITIONS, DEMO_PROVIDERS, DEMO_QUEUES } from '../../../src-shared/domain/demo-reference-data';

/**
 * Seeds the demo organisation's reference data (the 13 categories, the default wrap-up dispositions, the line's
 * queues and the synthetic providers) into an empty cache. The rows are marked `seeded`: a desk connected to a real
 * central API gets its reference data by sync, and the first pulled provider, queue or disposition retires the seeded
 * ones of its kind, so the pickers show the organisation's own list rather than a mix.
 */
export function seedDemoReferenceData(db: Database): boolean {
  const empty = (db.prepare('SELECT count(*) AS n FROM categories').get() as { n: number }).n === 0;
  if (!empty) return false;
  db.transaction(() => {
    const category = db.prepare('INSERT INTO categories (id, label, high_priority_allowed, sort_order) VALUES (?, ?, ?, ?)');
    categories.forEach((id, index) => category.run(id, categoryLabels[id], isHighPriorityAllowed(id) ? 1 : 0, index));
    const disposition = db.prepare('INSERT INTO dispositions (id, label, resolves, sort_order, seeded) VALUES (?, ?, ?, ?, 1)');
    DEMO_DISPOSITIONS.forEach((d, index) => disposition.run(d.id, d.label, d.resolves ? 1 : 0, index));
    const queue = db.prepare('INSERT INTO queues (id, name, case_type, seeded) VALUES (?, ?, ?, 1)');
    for (const q of DEMO_QUEUES) queue.run(q.id, q.name, q.caseType);
    const provider = db.prepare('INSERT INTO providers (id, ods_code, name, kind, seeded) VALUES (?, ?, ?, ?, 1)');
    const department = db.prepare('INSERT INTO provider_departments (id, provider_id, name) VALUES (?, ?, ?)');
    for (const [code, name, kind] of DEMO_PROVIDERS) {
      const id = demoProviderId(code);
      provider.run(id, code, name, kind);
      for (const dept of demoProviderDepartments(kind)) department.run(`${id}-${dept.toLowerCase().replace(/\W+/g, '-')}`, id, dept);
    }
  }).immediate();
  return true;
}
