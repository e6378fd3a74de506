import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COUNT_HOURS, LOCK_AFTER_FAILURES, LOCK_MINUTES } from '../../src-server/auth/sign-in-lockout';
import { createTokenService } from '../../src-server/auth/tokens';
import { REFRESH_RETRY_GRACE_SECONDS } from '../../src-server/routes/auth';
import { join } from 'node:path';
import type { CentralStore } from '../../src-server/store/central-store';
import { openSqliteStore } from '../../src-server/store/open-store';
import { capturingLogger, manualClock, tempDir } from '../helpers';
import { createCaseMutation, listenTestApi, PASSWORD, personMaker, startApi, type ApiHarness, type TestApi } from './api-harness';

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
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60);
    api.clock.advance(16 * 60_000);
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(200);
  });

  it('locks an email that is not an account exactly as it locks an account, so a lock tells no one which exist', async () => {
    const answers = async (email: string) => {
      const seen: string[] = [];
      for (let i = 0; i <= LOCK_AFTER_FAILURES; i++) {
        const response = await api.signIn(email, `guess ${i}`);
        const body = (await response.json()) as { title: string; detail: string };
        seen.push(`${response.status} ${body.title}: ${body.detail}`);
      }
      return seen;
    };
    const account = await answers('handler@a.test');
    expect(account.at(-1)).toMatch(/^423 Account locked: Too many wrong passwords\. Try again after \d\d:\d\d UTC/);
    expect(await answers('nobody@a.test')).toEqual(account);
  });

  it('checks no more passwords than the lock allows when guesses for one email come all at once', async () => {
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => api.signIn('handler@a.test', `guess ${i}`)));
    const statuses = guesses.map((response) => response.status).sort((a, b) => a - b);
    // Five guesses are checked (and wrong); the other seven are refused without a check, as locked.
    expect(statuses).toEqual([...Array.from({ length: LOCK_AFTER_FAILURES }, () => 401), ...Array.from({ length: 12 - LOCK_AFTER_FAILURES }, () => 423)]);
    // Even the right password is refused until the lock ends.
    expect((await api.signIn('handler@a.test')).status).toBe(423);
  });

  it('counts wrong passwords until a day passes without one: a mistype now and then never locks anyone out', async () => {
    for (let day = 0; day < 3; day++) {
      for (let i = 0; i < LOCK_AFTER_FAILURES - 1; i++) expect((await api.signIn('handler@a.test', `typo ${i}`)).status).toBe(401);
      api.clock.advance((COUNT_HOURS * 60 + 1) * 60_000);
    }
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(200);
  });

  it('locks on wrong passwords spread over hours, and again at each wrong one after the lock ends, the same day', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) {
      expect((await api.signIn('handler@a.test', `guess ${i}`)).status).toBe(401);
      api.clock.advance(3 * 3_600_000);
    }
    // The fifth wrong one locked it; the lock has ended by now (three hours later), the count has not.
    expect((await api.signIn('handler@a.test', 'guess again')).status).toBe(401);
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(423);
    api.clock.advance((LOCK_MINUTES + 1) * 60_000);
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(200);
  });

  it('starts the count again after a right password', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES - 1; i++) expect((await api.signIn('handler@a.test', `typo ${i}`)).status).toBe(401);
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(200);
    for (let i = 0; i < LOCK_AFTER_FAILURES - 1; i++) expect((await api.signIn('handler@a.test', `typo ${i}`)).status).toBe(401);
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(200);
  });

  it('keeps counting guesses sent while the right password is being checked: the owner signing in does not forgive them', async () => {
    const findUser = api.store.findUserByEmail.bind(api.store);
    let reachCheck!: () => void;
    const atCheck = new Promise<void>((resolve) => (reachCheck = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holdNext = true;
    api.store.findUserByEmail = async (email) => {
      if (holdNext) {
        holdNext = false;
        reachCheck();
        await held;
      }
      return findUser(email);
    };
    // The owner's right password is counted, then held at its check while two guesses are counted and checked.
    const owner = api.signIn('handler@a.test');
    await atCheck;
    for (let i = 0; i < 2; i++) expect((await api.signIn('handler@a.test', `guess ${i}`)).status).toBe(401);
    release();
    expect((await owner).status).toBe(200);
    // The two guesses still count: three more lock the account, not five.
    for (let i = 0; i < LOCK_AFTER_FAILURES - 2; i++) expect((await api.signIn('handler@a.test', `guess ${i + 2}`)).status).toBe(401);
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(423);
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
    const refreshed = await api.call('POST', '/auth/refresh', { body: { refreshToken: stolen.refreshToken } });
    expect(refreshed.status).toBe(200);
    const thief = (await refreshed.json()) as { accessToken: string };
    expect((await api.call('GET', '/me', { token: thief.accessToken })).status).toBe(200);
    api.clock.advance(REFRESH_RETRY_GRACE_SECONDS * 1000 + 1000);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: stolen.refreshToken } })).status).toBe(401);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: other.refreshToken } })).status).toBe(401);
    // The access tokens already given out end too, not 15 minutes later: the thief's and the other session's.
    for (const token of [thief.accessToken, other.accessToken]) expect((await api.call('GET', '/me', { token })).status).toBe(401);
    // Signing in again starts a session that works.
    api.clock.advance(1000);
    expect((await api.call('GET', '/me', { token: (await session()).accessToken })).status).toBe(200);
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

  it('lets an administrator lift a lock-out, as the locked answer tells the person to ask', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await api.signIn('handler@a.test', `guess ${i}`);
    expect((await api.signIn('handler@a.test')).status).toBe(423);
    const admin = await api.tokenFor('admin@org.test');
    expect((await api.call('PATCH', `/admin/users/${api.users.handler.id}`, { token: admin, body: { unlock: true } })).status).toBe(200);
    expect((await api.signIn('handler@a.test')).status).toBe(200);
  });

  it('lets an administrator set a new password for someone who forgot theirs: it lifts a lock and ends their sessions', async () => {
    const s = await session();
    expect((await api.call('GET', '/me', { token: s.accessToken })).status).toBe(200);
    api.clock.advance(1000);
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await api.signIn('handler@a.test', `guess ${i}`);
    const admin = await api.tokenFor('admin@org.test');
    const reset = await api.call('PATCH', `/admin/users/${api.users.handler.id}`, { token: admin, body: { password: 'a brand new passphrase' } });
    expect(reset.status).toBe(200);
    expect(JSON.stringify(await reset.json())).not.toContain('passphrase');
    expect((await api.signIn('handler@a.test', PASSWORD)).status).toBe(401);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
    // The access token given out before the new password no longer works, at once: it ended with the old password.
    const ended = await api.call('GET', '/me', { token: s.accessToken });
    expect(ended.status).toBe(401);
    expect(((await ended.json()) as { detail: string }).detail).toBe('This session has ended, or the account is disabled or no longer exists.');
    const fresh = await api.signIn('handler@a.test', 'a brand new passphrase');
    expect(fresh.status).toBe(200);
    expect((await api.call('GET', '/me', { token: ((await fresh.json()) as { accessToken: string }).accessToken })).status).toBe(200);
  });

  it('gives out no session for a refresh token or password checked just before an administrator set a new password', async () => {
    const admin = await api.tokenFor('admin@org.test');
    const s = await session();
    api.clock.advance(1000);
    // The administrator's change lands while each check below runs: after it, before the session is saved.
    const save = api.store.saveRefreshToken.bind(api.store);
    let resets = 0;
    api.store.saveRefreshToken = async (token, checkedAt) => {
      resets += 1;
      api.clock.advance(1);
      const reset = await api.call('PATCH', `/admin/users/${api.users.handler.id}`, { token: admin, body: { password: `new passphrase number ${resets}` } });
      expect(reset.status).toBe(200);
      return save(token, checkedAt);
    };
    const refreshed = await api.call('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } });
    expect([resets, refreshed.status]).toEqual([1, 401]);
    const signIn = await api.signIn('handler@a.test', 'new passphrase number 1');
    expect([resets, signIn.status]).toEqual([2, 401]);
    expect(JSON.stringify(await signIn.json())).not.toContain('Token');

    api.store.saveRefreshToken = save;
    api.clock.advance(1);
    const fresh = await api.signIn('handler@a.test', 'new passphrase number 2');
    expect(fresh.status).toBe(200);
    const body = (await fresh.json()) as { accessToken: string; refreshToken: string };
    expect((await api.call('GET', '/me', { token: body.accessToken })).status).toBe(200);
    expect((await api.call('POST', '/auth/refresh', { body: { refreshToken: body.refreshToken } })).status).toBe(200);
  });

  it('refuses a new password that is too short, and changes nothing', async () => {
    const admin = await api.tokenFor('admin@org.test');
    const reset = await api.call('PATCH', `/admin/users/${api.users.handler.id}`, { token: admin, body: { password: 'short', name: 'Renamed' } });
    expect(reset.status).toBe(400);
    expect(JSON.stringify(await reset.json())).toContain('at least 12 characters');
    expect((await api.signIn('handler@a.test')).status).toBe(200);
    const users = (await (await api.call('GET', '/admin/users', { token: admin })).json()) as { id: string; name: string }[];
    expect(users.find((user) => user.id === api.users.handler.id)?.name).not.toBe('Renamed');
  });
});

describe('signing in behind the load balancer', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: CentralStore;
  let api: TestApi;
  const secret = randomBytes(32);
  const clock = manualClock(Date.now());
  beforeEach(async () => {
    dir = tempDir();
    store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
    // The test's own requests come from 127.0.0.1: the proxy the API is told to believe.
    api = await listenTestApi({ logger: capturingLogger('api').logger, clock, store, trustProxy: ['127.0.0.1'], tokens: createTokenService(secret, clock) });
  });
  afterEach(async () => {
    await api.close();
    await store.close();
    dir.remove();
  });

  // A different unknown email each time, so the lock-out of one address (five tries) does not answer first.
  let tries = 0;
  const signInFrom = (address: string) =>
    fetch(`${api.base}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ email: `nobody${(tries += 1)}@a.test`, password: 'wrong' }),
    });

  it('limits the caller that keeps failing by its own address, not every desk behind the proxy', async () => {
    for (let i = 0; i < 20; i++) expect((await signInFrom('203.0.113.7')).status).toBe(401);
    expect((await signInFrom('203.0.113.7')).status).toBe(429);
    expect((await signInFrom('198.51.100.20')).status).toBe(401);
  });

  it('counts sign-ins sent all at once from one address in turn: no more than the limit get checked', async () => {
    const statuses = (await Promise.all(Array.from({ length: 26 }, () => signInFrom('203.0.113.9')))).map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(6);
  });

  it('holds a lock made through one instance on another that shares its TOKEN_SECRET, and on none that does not', async () => {
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect((await api.signIn('handler@a.test', `guess ${i}`)).status).toBe(401);
    const twin = await listenTestApi({ logger: capturingLogger('twin').logger, clock, store, tokens: createTokenService(Buffer.from(secret), clock) });
    const stranger = await listenTestApi({ logger: capturingLogger('stranger').logger, clock, store, tokens: createTokenService(randomBytes(32), clock) });
    try {
      expect((await twin.signIn('handler@a.test', 'guess 6')).status).toBe(423);
      // An instance with another secret keys emails differently (the deployment is wrong: its tokens do not work on the others either).
      expect((await stranger.signIn('handler@a.test', 'guess 6')).status).toBe(401);
    } finally {
      await twin.close();
      await stranger.close();
    }
  });

  it('keeps a keyed hash of each email given for the lock-out: never the email, nor a plain hash a list of addresses would match', async () => {
    expect((await api.signIn('Someone.Mistyped@Example.org', 'wrong')).status).toBe(401);
    const db = new Database(join(dir.path, 'central.sqlite3'), { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM sign_in_failures').all() as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ email_key: api.tokens.signInKey('someone.mistyped@example.org'), failures: 1 });
      expect(rows[0]!.email_key).toMatch(/^[0-9a-f]{64}$/);
      // Someone with the database and a list of addresses cannot find the one tried by hashing each of them.
      for (const email of ['someone.mistyped@example.org', 'Someone.Mistyped@Example.org']) {
        for (const algorithm of ['sha256', 'sha512', 'sha1', 'md5']) expect(JSON.stringify(rows)).not.toContain(createHash(algorithm).update(email).digest('hex'));
      }
      expect(JSON.stringify(rows).toLowerCase()).not.toContain('mistyped');
    } finally {
      db.close();
    }
  });
});


describe('ending sessions on API instances whose clocks disagree', () => {
  // Two instances behind one load balancer, on one store, one of them with its clock five minutes ahead.
  const secret = randomBytes(32);
  let dir: ReturnType<typeof tempDir>;
  let opened: { store: CentralStore; api: TestApi }[];
  let ahead: TestApi;
  let behind: TestApi;
  let behindStore: CentralStore;
  let kimId: string;
  let adminToken: string;
  beforeEach(async () => {
    dir = tempDir();
    const path = join(dir.path, 'central.sqlite3');
    const open = async (clock: ReturnType<typeof manualClock>) => {
      const store = await openSqliteStore(path, clock);
      const api = await listenTestApi({ logger: capturingLogger('api').logger, clock, store, tokens: createTokenService(secret, clock) });
      return { store, api };
    };
    const start = Date.now();
    opened = [await open(manualClock(start)), await open(manualClock(start + 5 * 60_000))];
    [{ api: behind, store: behindStore }, { api: ahead }] = opened as [(typeof opened)[0], (typeof opened)[0]];
    const team = await behindStore.createTeam('Patient feedback');
    const person = await personMaker(behindStore);
    kimId = (await person('kim@a.test', 'handler', [team.id])).id;
    await person('admin@a.test', 'admin', []);
    adminToken = await behind.tokenFor('admin@a.test');
  });
  afterEach(async () => {
    for (const { api, store } of opened) {
      await api.close();
      await store.close();
    }
    dir.remove();
  });

  const setPassword = (password: string) => behind.call('PATCH', `/admin/users/${kimId}`, { token: adminToken, body: { password } });
  const sessionOf = async (response: Response) => {
    expect(response.status).toBe(200);
    return (await response.json()) as { accessToken: string; refreshToken: string };
  };

  it('refuses, on both, an access token the instance ahead gave out before a new password set through the instance behind', async () => {
    const kim = await sessionOf(await ahead.signIn('kim@a.test'));
    expect((await behind.call('GET', '/me', { token: kim.accessToken })).status).toBe(200);
    expect((await setPassword('a brand new passphrase')).status).toBe(200);
    for (const api of [behind, ahead]) expect((await api.call('GET', '/me', { token: kim.accessToken })).status).toBe(401);
  });

  it('gives a working session at once on the instance behind, just after a new password set through the instance ahead', async () => {
    const aheadAdmin = await ahead.tokenFor('admin@a.test');
    expect((await ahead.call('PATCH', `/admin/users/${kimId}`, { token: aheadAdmin, body: { password: 'a brand new passphrase' } })).status).toBe(200);
    const kim = await sessionOf(await behind.signIn('kim@a.test', 'a brand new passphrase'));
    for (const api of [behind, ahead]) expect((await api.call('GET', '/me', { token: kim.accessToken })).status).toBe(200);
    const renewed = await sessionOf(await behind.call('POST', '/auth/refresh', { body: { refreshToken: kim.refreshToken } }));
    expect((await ahead.call('GET', '/me', { token: renewed.accessToken })).status).toBe(200);
  });

  it('gives out no session, on the instance ahead, for a password or refresh token checked while the instance behind set a new password', async () => {
    const kim = await sessionOf(await ahead.signIn('kim@a.test'));
    const aheadStore = opened[1]!.store;
    const save = aheadStore.saveRefreshToken.bind(aheadStore);
    let resets = 0;
    aheadStore.saveRefreshToken = async (...args) => {
      resets += 1;
      expect((await setPassword(`new passphrase number ${resets}`)).status).toBe(200);
      return save(...args);
    };
    const refreshed = await ahead.call('POST', '/auth/refresh', { body: { refreshToken: kim.refreshToken } });
    expect([resets, refreshed.status]).toEqual([1, 401]);
    const signIn = await ahead.signIn('kim@a.test', 'new passphrase number 1');
    expect([resets, signIn.status]).toEqual([2, 401]);
    expect(JSON.stringify(await signIn.json())).not.toContain('Token');
  });
});
