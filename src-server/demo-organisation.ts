import { hashPassword, type PasswordCost } from './auth/passwords';
import type { CentralStore } from './store/central-store';

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
