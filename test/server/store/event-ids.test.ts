import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor, CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import { tempDir } from '../../helpers';

describe('timeline event ids from the desktop', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: CentralStore;
  let actor: Actor;
  beforeEach(async () => {
    dir = tempDir();
    store = await openSqliteStore(join(dir.path, 'c.sqlite3'));
    const team = await store.createTeam('T');
    const user = await store.createUser({ email: 'h@t.test', name: 'H', role: 'handler', teamIds: [team.id], passwordHash: 'x' });
    actor = { userId: user.id, name: 'H', role: 'handler', teamIds: [team.id] };
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('keeps the desktop’s event ids, so the desktop recognises its own changes when it pulls them back', async () => {
    const caseId = randomUUID();
    const [created, field, status] = [randomUUID(), randomUUID(), randomUUID()];
    const at = new Date().toISOString();
    await store.push(actor, randomUUID(), [
      { id: 1, name: 'case.create', args: { caseId, reference: 'CC-0000-0000', type: 'question', channel: 'phone', callerId: null, at, eventId: created } },
      { id: 2, name: 'case.updateField', args: { caseId, field: 'description', value: 'Where do I park?', at, baseSeq: null, eventId: field } },
      { id: 3, name: 'case.changeStatus', args: { caseId, from: 'open', to: 'answered', at, eventId: status } },
    ]);
    const read = await store.readCase(actor, caseId, 'test');
    expect(read?.events.map((e) => [e.kind, e.id])).toEqual([
      ['created', created],
      ['field', field],
      ['status', status],
    ]);
  });

  it('uses its own id when a desktop’s event id is already taken, rather than failing the push', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const shared = randomUUID();
    const at = new Date().toISOString();
    const client = randomUUID();
    await store.push(actor, client, [
      { id: 1, name: 'case.create', args: { caseId: a, reference: 'CC-0000-0001', type: 'question', channel: 'phone', callerId: null, at, eventId: shared } },
      { id: 2, name: 'case.create', args: { caseId: b, reference: 'CC-0000-0002', type: 'question', channel: 'phone', callerId: null, at, eventId: shared } },
    ]);
    const second = await store.readCase(actor, b, 'test');
    expect(second?.events[0]?.id).toBe(`${b}:created`);
  });
});
