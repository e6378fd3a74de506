import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Mutation } from '../../../src-shared/sync/protocol';
import { openSqliteStore } from '../../../src-server/store/open-store';
import { cacheStatements } from '../../../src-server/store/sqlite-statement-cache';
import { tempDir } from '../../helpers';

function pushOf(firstId: number): Mutation[] {
  const caseId = randomUUID();
  const at = new Date().toISOString();
  return [
    { id: firstId, name: 'case.create', args: { caseId, reference: `CC-${firstId}`, type: 'feedback', channel: 'phone', callerId: null, at, eventId: randomUUID() } },
    { id: firstId + 1, name: 'case.updateField', args: { caseId, field: 'description', value: 'Waited four hours', at, baseSeq: null, eventId: randomUUID() } },
    { id: firstId + 2, name: 'case.updateField', args: { caseId, field: 'department', value: 'Ward 4', at, baseSeq: null, eventId: randomUUID() } },
  ];
}

describe('the SQLite store’s statements', () => {
  const dir = tempDir();
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(() => dir.remove());

  it('are prepared once, not again for every push', async () => {
    const store = await openSqliteStore(join(dir.path, `central-${randomUUID()}.sqlite3`));
    try {
      const team = await store.createTeam('T');
      const user = await store.createUser({ email: 'h@t.test', name: 'H', role: 'handler', teamIds: [team.id], passwordHash: 'x' });
      const actor = { userId: user.id, name: 'H', role: 'handler' as const, teamIds: [team.id] };
      const clientId = randomUUID();
      await store.push(actor, clientId, pushOf(1));

      const prepare = vi.spyOn(Database.prototype, 'prepare');
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await store.push(actor, clientId, pushOf(4 + i * 3)));
      expect(answers.at(-1)).toMatchObject({ lastMutationId: 18, applied: 3, conflicts: 0 });
      expect(prepare).not.toHaveBeenCalled();
      // Every push reached the log: per case, its newest state and its three timeline events.
      const pulled = (await store.pull(actor, clientId, 0, 1000)).changes.filter((change) => change.entity !== 'user');
      expect(pulled.map((change) => change.entity)).toEqual(Array.from({ length: 6 }, () => ['case', 'caseEvent', 'caseEvent', 'caseEvent']).flat());
      expect(pulled.filter((change) => change.entity === 'case').map((change) => (change.data as { fields: { department: string } }).fields.department)).toEqual(Array(6).fill('Ward 4'));
    } finally {
      await store.close();
    }
  });

  it('keeps at most the given number, dropping the oldest', () => {
    const database = new Database(':memory:');
    try {
      const prepare = vi.spyOn(database, 'prepare');
      const cached = cacheStatements(database, 2);
      expect(cached.prepare('SELECT 1').all([])).toEqual([{ 1: 1 }]);
      cached.prepare('SELECT 2');
      cached.prepare('SELECT 1');
      expect(prepare).toHaveBeenCalledTimes(2);
      cached.prepare('SELECT 3');
      cached.prepare('SELECT 1');
      expect(prepare).toHaveBeenCalledTimes(4);
    } finally {
      database.close();
    }
  });
});
