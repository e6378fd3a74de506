import { DEMO_DISPOSITIONS, DEMO_PROVIDERS, DEMO_QUEUES, demoProviderDepartments, demoProviderId } from '../src-shared/domain/demo-reference-data';
import { hashPassword, type PasswordCost } from './auth/passwords';
import type { CentralStore } from './store/central-store';
import { createReferenceStore } from './store/reference-store';

/**
 * The demo organisation of the embedded central API, so one person can try the whole product. The passwords are in
 * the README; this data is never created on a store that already has users.
 */
export const DEMO_USERS = [
  { email: 'handler@demo.careconnect.test', name: 'Sam Taylor', role: 'handler', password: 'demo-handler-2026' },
  { email: 'handler2@demo.careconnect.test', name: 'Alex Morgan', role: 'handler', password: 'demo-handler2-2026' },
  { email: 'supervisor@demo.careconnect.test', name: 'Priya Shah', role: 'supervisor', password: 'demo-supervisor-2026' },
  { email: 'admin@demo.careconnect.test', name: 'Chris Admin', role: 'admin', password: 'demo-admin-2026' },
] as const;

export async function seedDemoOrganisation(store: CentralStore, cost?: PasswordCost): Promise<boolean> {
  await seedDemoReferenceData(store);
  if ((await store.listUsers()).length > 0) return false;
  const team = await store.createTeam('Patient feedback line');
  for (const user of DEMO_USERS) {
    await store.createUser({
      email: user.email,
      name: user.name,
      role: user.role,
      teamIds: user.role === 'admin' ? [] : [team.id],
      passwordHash: await hashPassword(user.password, cost),
    });
  }
  return true;
}

/**
 * The demo organisation's categories, providers, queues and dispositions, the same (with the same ids) as a demo desk
 * seeds into its own cache, so cases logged on either agree. Each write publishes its change, so a desk pulls them.
 * Only into a store with no reference data yet: an embedded store from before reference data was kept centrally
 * gets it on its next start.
 */
export async function seedDemoReferenceData(store: CentralStore): Promise<boolean> {
  const reference = createReferenceStore(store.db);
  const [providers, queues, dispositions] = await Promise.all([reference.listProviders(), reference.listQueues(), reference.listDispositions()]);
  if (providers.length + queues.length + dispositions.length > 0) return false;
  await reference.publishCategories();
  for (const [index, disposition] of DEMO_DISPOSITIONS.entries()) {
    await reference.createDisposition({ ...disposition, sortOrder: index, active: true });
  }
  for (const queue of DEMO_QUEUES) await reference.createQueue({ ...queue, active: true });
  for (const [odsCode, name, kind] of DEMO_PROVIDERS) {
    await reference.createProvider({ id: demoProviderId(odsCode), odsCode, name, kind, departments: [...demoProviderDepartments(kind)].sort((a, b) => a.localeCompare(b)), contactEmail: null, active: true });
  }
  return true;
}
