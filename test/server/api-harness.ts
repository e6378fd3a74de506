import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src-server/app';
import { hashPassword, type PasswordCost } from '../../src-server/auth/passwords';
import { createTokenService } from '../../src-server/auth/tokens';
import type { CentralStore } from '../../src-server/store/central-store';
import { openSqliteStore } from '../../src-server/store/open-store';
import { capturingLogger, manualClock, tempDir } from '../helpers';

/** Cheap scrypt for tests: the same code path, a fraction of the memory and time. */
export const TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };
export const PASSWORD = 'correct horse battery staple';

export interface ApiHarness {
  app: FastifyInstance;
  base: string;
  store: CentralStore;
  clock: ReturnType<typeof manualClock>;
  users: Record<'handler' | 'otherHandler' | 'supervisor' | 'admin', { id: string; email: string }>;
  teams: { a: string; b: string };
  signIn(email: string, password?: string): Promise<Response>;
  tokenFor(email: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string | null; body?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** The central API on loopback over a fresh SQLite store with two teams and one person of each kind. */
export async function startApi(): Promise<ApiHarness> {
  const dir = tempDir();
  const clock = manualClock(Date.now());
  const store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
  const a = await store.createTeam('Team A');
  const b = await store.createTeam('Team B');
  const passwordHash = await hashPassword(PASSWORD, TEST_PASSWORD_COST);
  const make = async (email: string, role: 'handler' | 'supervisor' | 'admin', teamIds: string[]) => ({
    id: (await store.createUser({ email, name: email.split('@')[0]!, role, teamIds, passwordHash })).id,
    email,
  });
  const users = {
    handler: await make('handler@a.test', 'handler', [a.id]),
    otherHandler: await make('handler@b.test', 'handler', [b.id]),
    supervisor: await make('supervisor@a.test', 'supervisor', [a.id, b.id].slice(0, 1)),
    admin: await make('admin@org.test', 'admin', []),
  };
  const app = buildApi({
    logger: capturingLogger('api').logger,
    version: '1.0.0',
    clock,
    store,
    tokens: createTokenService(randomBytes(32), clock),
    passwordCost: TEST_PASSWORD_COST,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;

  const call: ApiHarness['call'] = (method, path, options = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  const signIn = (email: string, password = PASSWORD) => call('POST', '/auth/sign-in', { body: { email, password } });
  return {
    app,
    base,
    store,
    clock,
    users,
    teams: { a: a.id, b: b.id },
    signIn,
    async tokenFor(email) {
      const response = await signIn(email);
      if (response.status !== 200) throw new Error(`sign-in failed for ${email}: ${response.status}`);
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    call,
    async close() {
      await app.close();
      await store.close();
      dir.remove();
    },
  };
}

/** A `case.create` mutation for a fresh case. */
export function createCaseMutation(id: number, caseId: string = randomUUID()) {
  return { id, name: 'case.create' as const, args: { caseId, reference: 'CC-0000-0000', type: 'feedback' as const, channel: 'phone' as const, callerId: null, at: new Date().toISOString() } };
}
