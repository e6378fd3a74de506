import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, seedDemoOrganisation } from '../../src-server/demo-organisation';
import { openSqliteStore } from '../../src-server/store/open-store';
import { createReferenceStore } from '../../src-server/store/reference-store';
import { DEMO_DISPOSITIONS, DEMO_PROVIDERS, DEMO_QUEUES } from '../../src-shared/domain/demo-reference-data';
import type { Change } from '../../src-shared/sync/protocol';
import { tempDir } from '../helpers';
import { startApi, TEST_PASSWORD_COST, type ApiHarness } from './api-harness';

describe('reference data through the central API', () => {
  let api: ApiHarness;
  let admin: string;
  let handler: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.tokenFor(api.users.admin.email);
    handler = await api.tokenFor(api.users.handler.email);
  });
  afterAll(() => api.close());

  async function pull(token: string, cursor = 0): Promise<{ changes: Change[]; cursor: number }> {
    const response = await api.call('POST', '/sync/pull', { token, body: { clientId: randomUUID(), cursor } });
    expect(response.status).toBe(200);
    return (await response.json()) as { changes: Change[]; cursor: number };
  }

  it('takes a provider from an administrator and hands it to every desk by pull, and to anyone signed in on /reference', async () => {
    const { cursor } = await pull(handler);
    const created = await api.call('POST', '/admin/providers', {
      token: admin,
      body: { odsCode: 'rj7', name: 'St George’s Hospital', kind: 'acute trust', departments: ['Maternity', 'Cardiology', 'Maternity'], contactEmail: 'pals@trust.example' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      id: 'provider-rj7',
      odsCode: 'RJ7',
      name: 'St George’s Hospital',
      kind: 'acute trust',
      departments: ['Cardiology', 'Maternity'],
      contactEmail: 'pals@trust.example',
      active: true,
    });

    const pulled = await pull(handler, cursor);
    expect(pulled.changes.map((change) => [change.entity, change.entityId])).toEqual([['provider', 'provider-rj7']]);
    const read = await api.call('GET', '/reference', { token: handler });
    expect(((await read.json()) as { providers: { odsCode: string }[] }).providers.map((provider) => provider.odsCode)).toContain('RJ7');
  });

  it('refuses what it cannot take with a problem a person can act on, and changes nothing', async () => {
    const { cursor } = await pull(handler);
    const duplicate = await api.call('POST', '/admin/providers', { token: admin, body: { odsCode: 'RJ7', name: 'Another', kind: 'acute trust' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
    expect(((await duplicate.json()) as { title: string }).title).toBe('A provider with the code RJ7 already exists.');

    const badCode = await api.call('POST', '/admin/providers', { token: admin, body: { odsCode: 'R', name: 'Short', kind: 'acute trust' } });
    expect(badCode.status).toBe(400);
    expect(((await badCode.json()) as { errors: { pointer: string }[] }).errors.map((error) => error.pointer)).toEqual(['#/body/odsCode']);

    const missing = await api.call('PATCH', '/admin/queues/no-such-queue', { token: admin, body: { name: 'x' } });
    expect(missing.status).toBe(404);
    const notACategory = await api.call('PATCH', '/admin/categories/weather', { token: admin, body: { active: false } });
    expect(notACategory.status).toBe(404);

    expect((await pull(handler, cursor)).changes).toEqual([]);
  });

  it('lets an administrator retire a category and rename it, and the desks hear of both', async () => {
    const { cursor } = await pull(handler);
    const renamed = await api.call('PATCH', '/admin/categories/lost-property', { token: admin, body: { label: 'Lost or damaged belongings', active: false } });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toEqual({ id: 'lost-property', label: 'Lost or damaged belongings', highPriorityAllowed: false, sortOrder: 11, active: false });
    expect((await pull(handler, cursor)).changes.map((change) => change.data)).toEqual([{ id: 'lost-property', label: 'Lost or damaged belongings', highPriorityAllowed: false, sortOrder: 11, active: false }]);
  });

  it('describes the administrators’ reference endpoints in the OpenAPI document', async () => {
    const openApi = (await (await api.call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
    for (const path of ['/admin/providers', '/admin/queues', '/admin/dispositions']) expect(openApi.paths[path]?.post?.['x-roles']).toEqual(['admin']);
    expect(openApi.paths['/admin/categories/{id}']?.patch?.['x-roles']).toEqual(['admin']);
    expect(openApi.paths['/reference']?.get?.['x-roles']).toEqual(['handler', 'supervisor', 'admin']);
  });
});

describe('the embedded demo organisation', () => {
  it('seeds the same reference data as a demo desk, once, and tells the team’s desks who is in it', async () => {
    const folder = tempDir();
    const store = await openSqliteStore(join(folder.path, 'central.sqlite3'));
    try {
      expect(await seedDemoOrganisation(store, TEST_PASSWORD_COST)).toBe(true);
      expect(await seedDemoOrganisation(store, TEST_PASSWORD_COST)).toBe(false);

      const reference = await createReferenceStore(store.db).readAll();
      expect(reference.categories).toHaveLength(13);
      expect(reference.queues.map((queue) => queue.id).sort()).toEqual(DEMO_QUEUES.map((queue) => queue.id).sort());
      expect(reference.dispositions.map((disposition) => disposition.id)).toEqual(DEMO_DISPOSITIONS.map((disposition) => disposition.id));
      expect(reference.providers).toHaveLength(DEMO_PROVIDERS.length);
      expect(reference.providers.find((provider) => provider.odsCode === 'RX1')).toMatchObject({ id: 'provider-rx1', departments: expect.arrayContaining(['Maternity', 'Wards']) });

      const sam = (await store.listUsers()).find((user) => user.email === DEMO_USERS[0].email)!;
      const pulled = await store.pull({ userId: sam.id, name: sam.name, role: sam.role, teamIds: sam.teamIds }, randomUUID(), 0, 1000);
      const people = pulled.changes.filter((change) => change.entity === 'user').map((change) => (change.data as { name: string }).name);
      expect(people.sort()).toEqual(['Alex Morgan', 'Priya Shah', 'Sam Taylor']);
      expect(pulled.changes.filter((change) => change.entity === 'provider')).toHaveLength(DEMO_PROVIDERS.length);
      expect(JSON.stringify(pulled.changes)).not.toContain('@demo.careconnect.test');
    } finally {
      await store.close();
      folder.remove();
    }
  });
});
