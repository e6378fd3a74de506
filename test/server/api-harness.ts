import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi, type ApiDeps } from '../../src-server/app';
import { hashPassword, type PasswordCost } from '../../src-server/auth/passwords';
import { createTokenService, type TokenService } from '../../src-server/auth/tokens';
import type { CentralStore } from '../../src-server/store/central-store';
import { openSqliteStore } from '../../src-server/store/open-store';
import type { Role } from '../../src-shared/api/people';
import { capturingLogger, manualClock, tempDir } from '../helpers';

/** Cheap scrypt for tests: the same code path, a fraction of the memory and time. */
export const TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };
export const PASSWORD = 'correct horse battery staple';

/** A request to the API on loopback: JSON `body` (or `rawBody` of `contentType`), with a bearer `token` when given. */
export type CallApi = (method: string, path: string, options?: { token?: string | null; body?: unknown; rawBody?: string; contentType?: string }) => Promise<Response>;

export function apiCaller(base: string): CallApi {
  return (method, path, options = {}) => {
    const body = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
    return fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
  };
}

/** The central API listening on loopback, with what a test needs to talk to it. */
export interface TestApi {
  app: FastifyInstance;
  base: string;
  port: number;
  tokens: TokenService;
  call: CallApi;
  signIn(email: string, password?: string): Promise<Response>;
  /** Signs in with PASSWORD through the API and returns the access token; throws if refused. */
  tokenFor(email: string): Promise<string>;
  /** Closes the API (not its store). */
  close(): Promise<void>;
}

/**
 * Builds the central API as the tests run it and listens on loopback (on `port`, or a free one): version 1.0.0,
 * the cheap password cost and a fresh token secret on `deps.clock`, unless `deps` gives its own. The store, clock,
 * logger and which parts are on (telephony, live, Twilio, intake, publishing) are the caller's.
 */
export async function listenTestApi(deps: Omit<ApiDeps, 'version' | 'tokens'> & Partial<Pick<ApiDeps, 'version' | 'tokens'>>, options: { port?: number } = {}): Promise<TestApi> {
  const tokens = deps.tokens ?? createTokenService(randomBytes(32), deps.clock);
  const app = buildApi({ version: '1.0.0', passwordCost: TEST_PASSWORD_COST, ...deps, tokens });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test API did not bind to a TCP port');
  const base = `http://127.0.0.1:${address.port}`;
  const call = apiCaller(base);
  const signIn = (email: string, password = PASSWORD) => call('POST', '/auth/sign-in', { body: { email, password } });
  return {
    app,
    base,
    port: address.port,
    tokens,
    call,
    signIn,
    async tokenFor(email) {
      const response = await signIn(email);
      if (response.status !== 200) throw new Error(`sign-in failed for ${email}: ${response.status}`);
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    close: () => app.close(),
  };
}

/** A person the tests made: they sign in with PASSWORD. */
export interface TestPerson {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
}

/**
 * Returns a function that adds a person to `store` who signs in with PASSWORD (hashed once, at the tests' cheap
 * cost), named after their address unless a name is given.
 */
export async function personMaker(store: CentralStore): Promise<(email: string, role: Role, teamIds: string[], name?: string) => Promise<TestPerson>> {
  const passwordHash = await hashPassword(PASSWORD, TEST_PASSWORD_COST);
  return async (email, role, teamIds, name = email.split('@')[0]!) => {
    const user = await store.createUser({ email, name, role, teamIds, passwordHash });
    return { id: user.id, email, name, role, teamIds };
  };
}

export interface ApiHarness extends TestApi {
  store: CentralStore;
  clock: ReturnType<typeof manualClock>;
  users: Record<'handler' | 'otherHandler' | 'supervisor' | 'admin', TestPerson>;
  teams: { a: string; b: string };
}

/** The central API on loopback over a fresh SQLite store with two teams and one person of each kind. */
export async function startApi(): Promise<ApiHarness> {
  const dir = tempDir();
  const clock = manualClock(Date.now());
  const store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
  const a = await store.createTeam('Team A');
  const b = await store.createTeam('Team B');
  const make = await personMaker(store);
  const users = {
    handler: await make('handler@a.test', 'handler', [a.id]),
    otherHandler: await make('handler@b.test', 'handler', [b.id]),
    supervisor: await make('supervisor@a.test', 'supervisor', [a.id, b.id].slice(0, 1)),
    admin: await make('admin@org.test', 'admin', []),
  };
  const api = await listenTestApi({ logger: capturingLogger('api').logger, clock, store });
  return {
    ...api,
    store,
    clock,
    users,
    teams: { a: a.id, b: b.id },
    async close() {
      await api.close();
      await store.close();
      dir.remove();
    },
  };
}

/** A `case.create` mutation for a fresh case. */
export function createCaseMutation(id: number, caseId: string = randomUUID()) {
  return { id, name: 'case.create' as const, args: { caseId, reference: 'CC-0000-0000', type: 'feedback' as const, channel: 'phone' as const, callerId: null, at: new Date().toISOString() } };
}
