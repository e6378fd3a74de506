import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_AFTER_FAILURES, REFRESH_RETRY_GRACE_SECONDS } from '../../src-server/routes/auth';
import { join } from 'node:path';
import type { CentralStore } from '../../src-server/store/central-store';
import { openSqliteStore } from '../../src-server/store/open-store';
import { capturingLogger, manualClock, tempDir } from '../helpers';
import { createCaseMutation, listenTestApi, PASSWORD, startApi, type ApiHarness, type TestApi } from './api-harness';

describe('signing in', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(() => api.close());

  it('gives a short-lived access token and a refresh token for the right password', async () => {
    const response = await api.signIn('HANDLER@a.test');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accessToken: string; refreshToken: string; expiresIn: number; user: { role: string } };
    expect(body.expiresIn).toBeLessThanOrEqual(15 * 60);
    expect(body.user.role).toBe('handler');
    expect((await api.call('GET', '/me', { token: body.accessToken })).status).toBe(200);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await api.signIn('handler@a.test', 'not the password');
    const unknown = await api.signIn('nobody@a.test', 'not the password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect((await wrong.json()).title).toBe((await unknown.json()).title);
  });

  it('locks the account after repeated wrong passwords, even against the right one, until the lock ends', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect((await api.signIn('handler@a.test', `guess ${i}`)).status).toBe(401);
    const locked = await api.signIn('handler@a.test', PASSWORD);
    expect(locked.status).toBe(423);
    expect((await locked.json()).title).toBe('Account locked');
    api.clock.advance(16 * 60_000);
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(200);
  });

  it('slows down a flood of sign-ins from one address with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 22; i++) {
      const response = await api.signIn(`nobody${i}@a.test`, 'x');
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('never slows a shift signing in from one office address: only failures count towards the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await api.signIn('handler@a.test')).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  it('refuses an expired or tampered access token', async () => {
    const token = await api.tokenFor('handler@a.test');
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect((await api.call('GET', '/admin/users', { token: `${forged}.${signature}` })).status).toBe(401);
    api.clock.advance(16 * 60_000);
    expect((await api.call('GET', '/me', { token })).status).toBe(401);
  });
});

describe('refreshing and signing out', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(() => api.close());

  async function session() {
    return (await (await api.signIn('handler@a.test')).json()) as { accessToken: string; refreshToken: string };
  }

  it('exchanges a refresh token once for new tokens', async () => {
    const first = await session();
    const refreshed = await api.call('POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { refreshToken: string };
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: next.refreshToken } })).status).toBe(200);
  });

  it('takes a used refresh token presented again at once for a retry after a lost answer', async () => {
    const s = await session();
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(200);
    api.clock.advance(5_000);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(200);
  });

  it('ends every session of a user whose used refresh token is presented again later (it was copied)', async () => {
    const stolen = await session();
    const other = await session();
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: stolen.refreshToken } })).status).toBe(200);
    api.clock.advance(REFRESH_RETRY_GRACE_SECONDS * 1000 + 1000);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: stolen.refreshToken } })).status).toBe(401);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: other.refreshToken } })).status).toBe(401);
  });

  it('signs out: the refresh token no longer works', async () => {
    const s = await session();
    expect((await api.call('POST', '/auth/sign-out', { body: { refreshToken: s.refreshToken } })).status).toBe(204);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
  });

  it('acts at once on an administrator’s change: a disabled, moved or demoted person’s unexpired token no longer does what it did', async () => {
    const admin = await api.tokenFor('admin@org.test');
    const supervisor = await api.tokenFor('supervisor@a.test');
    const handler = await api.tokenFor('handler@a.test');
    const clientId = randomUUID();
    const caseId = randomUUID();
    expect((await api.call('POST', '/sync/push', { token: handler, body: { clientId, mutations: [createCaseMutation(1, caseId)] } })).status).toBe(200);
    expect((await api.call('GET', `/cases/${caseId}`, { token: handler })).status).toBe(200);
    expect((await api.call('GET', '/cases', { token: supervisor })).status).toBe(200);

    // Moved to team B: team A's case is out of reach with the same token.
    await api.call('PATCH', `/admin/users/${api.users.handler.id}`, { token: admin, body: { teamIds: [api.teams.b] } });
    expect((await api.call('GET', `/cases/${caseId}`, { token: handler })).status).toBe(404);
    // The supervisor made a handler: reassigning is a supervisor's, refused at once.
    await api.call('PATCH', `/admin/users/${api.users.supervisor.id}`, { token: admin, body: { role: 'handler' } });
    const reassign = await api.call('POST', `/cases/${caseId}/reassign`, { token: supervisor, body: { ownerId: api.users.handler.id } });
    expect(reassign.status).toBe(403);
    // Disabled: nothing more, not even a push of what the desk still holds.
    await api.call('PATCH', `/admin/users/${api.users.handler.id}`, { token: admin, body: { disabled: true } });
    const push = await api.call('POST', '/sync/push', { token: handler, body: { clientId, mutations: [createCaseMutation(2)] } });
    expect(push.status).toBe(401);
    expect(JSON.stringify(await push.json())).not.toContain(caseId);
    expect((await api.call('POST', '/sync/pull', { token: handler, body: { clientId, cursor: 0 } })).status).toBe(401);

  });

  it('refuses to refresh a disabled user', async () => {
    const s = await session();
    const admin = await api.tokenFor('admin@org.test');
    await api.call('PATCH', `/admin/users/${api.users.handler.id}`, { token: admin, body: { disabled: true } });
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
    expect((await api.signIn('handler@a.test')).status).toBe(401);
  });
});

describe('signing in behind the load balancer', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: CentralStore;
  let api: TestApi;
  beforeEach(async () => {
    dir = tempDir();
    const clock = manualClock(Date.now());
    store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
    // The test's own requests come from 127.0.0.1: the proxy the API is told to believe.
    api = await listenTestApi({ logger: capturingLogger('api').logger, clock, store, trustProxy: ['127.0.0.1'] });
  });
  afterEach(async () => {
    await api.close();
    await store.close();
    dir.remove();
  });

  const signInFrom = (address: string) =>
    fetch(`${api.base}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ email: 'nobody@a.test', password: 'wrong' }),
    });

  it('limits the caller that keeps failing by its own address, not every desk behind the proxy', async () => {
    for (let i = 0; i < 20; i++) expect((await signInFrom('203.0.113.7')).status).toBe(401);
    expect((await signInFrom('203.0.113.7')).status).toBe(429);
    expect((await signInFrom('198.51.100.20')).status).toBe(401);
  });
});

