import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSyncWorld, type SyncWorld } from './sync-harness';

describe('reference data and the team’s people, pulled from the central API', () => {
  let world: SyncWorld;
  let admin: string;
  beforeEach(async () => {
    world = await startSyncWorld();
    admin = await world.api.tokenFor(world.api.users.admin.email);
  });
  afterEach(() => world.close());

  async function asAdmin(method: string, path: string, body: unknown): Promise<void> {
    const response = await world.api.call(method, path, { token: admin, body });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
  }

  it('keeps the demo seed on a desk whose central API has no reference data yet', async () => {
    const a = await world.desk(world.asha);
    await a.engine.syncNow();
    expect(a.engine.state().status).toBe('online');
    expect(a.core.referenceData.searchProviders('Orchard', 10).map((provider) => provider.odsCode)).toEqual(['X81001']);
    expect(a.core.referenceData.get().queues.map((queue) => queue.id)).toContain('feedback');
  });

  it('shows the central API’s providers, queues, dispositions and labels after a pull, in place of the demo seed', async () => {
    const a = await world.desk(world.asha);
    // A case on this desk names a seeded provider whose organisation code the API's own provider has.
    const local = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.updateField(local.id, 'providerId', 'provider-rx1');

    await asAdmin('POST', '/admin/providers', { id: 'northbridge', odsCode: 'RX1', name: 'Northbridge Hospitals (central)', kind: 'acute trust', departments: ['Renal', 'Wards'] });
    await asAdmin('POST', '/admin/providers', { odsCode: 'RJ7', name: 'St George’s Hospital', kind: 'acute trust', contactEmail: 'pals@trust.example' });
    await asAdmin('POST', '/admin/queues', { id: 'urgent', name: 'Urgent concerns', caseType: 'feedback' });
    await asAdmin('POST', '/admin/dispositions', { id: 'sorted', label: 'Sorted on the call', resolves: true });
    await asAdmin('PATCH', '/admin/categories/food', { label: 'Food and drink' });
    await asAdmin('PATCH', '/admin/categories/parking', { active: false });

    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });

    const picker = a.core.referenceData.searchProviders('RX1', 10);
    expect(picker).toEqual([{ id: 'northbridge', odsCode: 'RX1', name: 'Northbridge Hospitals (central)', kind: 'acute trust', departments: ['Renal', 'Wards'] }]);
    expect(a.core.referenceData.searchProviders('Orchard', 10)).toEqual([]);
    expect(a.core.referenceData.searchProviders('St George', 10).map((provider) => provider.odsCode)).toEqual(['RJ7']);

    const reference = a.core.referenceData.get();
    expect(reference.providerCount).toBe(2);
    expect(reference.queues).toEqual([{ id: 'urgent', name: 'Urgent concerns', caseType: 'feedback' }]);
    expect(reference.dispositions).toEqual([{ id: 'sorted', label: 'Sorted on the call', resolves: true }]);
    expect(reference.categories.find((category) => category.id === 'food')?.label).toBe('Food and drink');
    expect(reference.categories.map((category) => category.id)).not.toContain('parking');
    // The case keeps the provider it names, which stepped aside from the picker.
    expect(a.core.cases.get(local.id).provider).toMatchObject({ id: 'provider-rx1', name: 'Northbridge Hospitals NHS Foundation Trust' });

    await asAdmin('PATCH', '/admin/providers/northbridge', { name: 'Northbridge University Hospitals', departments: ['Renal'] });
    await a.engine.syncNow();
    expect(a.core.referenceData.searchProviders('RX1', 10)).toEqual([expect.objectContaining({ name: 'Northbridge University Hospitals', departments: ['Renal'] })]);
  });

  it('knows the people of the handler’s team, without their email addresses, and forgets one who leaves the team', async () => {
    const a = await world.desk(world.asha);
    await a.engine.syncNow();
    const team = a.core.referenceData.get().users;
    expect(team.map((user) => user.name)).toEqual(['Asha', 'Ben', 'handler', 'supervisor']);
    expect(team.find((user) => user.name === 'supervisor')).toMatchObject({ role: 'supervisor', active: true });
    expect(team.map((user) => user.id)).not.toContain(world.api.users.otherHandler.id);
    expect(JSON.stringify(team)).not.toContain('@');

    await asAdmin('PATCH', `/admin/users/${world.ben.id}`, { teamIds: [world.api.teams.b] });
    await asAdmin('PATCH', `/admin/users/${world.api.users.handler.id}`, { disabled: true });
    await a.engine.syncNow();
    const after = a.core.referenceData.get().users;
    expect(after.map((user) => user.name)).toEqual(['Asha', 'handler', 'supervisor']);
    expect(after.find((user) => user.name === 'handler')?.active).toBe(false);
  });
});
