import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src-server/demo-organisation';
import { startEmbeddedApi } from '../../src-server/embedded';
import { DEFAULT_SIMULATOR_SEED, simulatedPopulation } from '../../src-server/telephony/simulator';
import type { Change } from '../../src-shared/sync/protocol';
import { tempDir } from '../helpers';

describe("the embedded demo's caller history", () => {
  let api: { url: string; close(): Promise<void> };
  const dir = tempDir('demo-history-');
  const changes: Change[] = [];

  beforeAll(async () => {
    api = await startEmbeddedApi({ dataDir: dir.path, version: 'test', logger: pino({ level: 'silent' }), simulator: { autoStart: false } });
    const handler = DEMO_USERS.find((user) => user.email === 'handler@demo.careconnect.test')!;
    const signIn = await fetch(`${api.url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: handler.email, password: handler.password }) });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const clientId = randomUUID();
    let cursor = 0;
    for (;;) {
      const response = await fetch(`${api.url}/sync/pull`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ clientId, cursor }) });
      const page = (await response.json()) as { changes: Change[]; cursor: number; hasMore: boolean };
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
  });
  afterAll(async () => {
    await api.close();
    dir.remove();
  });

  it("gives every repeat caller of the simulator a caller record and an earlier answered question, which a handler's desk pulls", () => {
    const population = simulatedPopulation(DEFAULT_SIMULATOR_SEED);
    const repeat = population.filter((caller) => caller.repeat);
    expect(repeat.length).toBeGreaterThan(50);
    const callers = new Map(changes.filter((c) => c.entity === 'caller').map((c) => [(c.data as { phone: string }).phone, c.data as { id: string; name: string }]));
    const latestCase = new Map<string, { fields: { callerId: string; type: string }; status: string }>();
    for (const change of changes.filter((c) => c.entity === 'case')) latestCase.set(change.entityId, change.data as never);
    for (const caller of repeat) {
      const record = callers.get(caller.phone);
      expect(record?.name).toBe(caller.name);
      const theirs = [...latestCase.values()].filter((c) => c.fields.callerId === record!.id);
      expect(theirs.some((c) => c.fields.type === 'question' && c.status === 'answered')).toBe(true);
      expect(theirs.filter((c) => c.status === 'open').length).toBe(caller.hasOpenCase ? 1 : 0);
    }
    // First-time callers have no history.
    const firstTimers = population.filter((caller) => !caller.repeat);
    expect(firstTimers.some((caller) => callers.has(caller.phone))).toBe(false);
  });
});
