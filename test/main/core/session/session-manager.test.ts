import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryVault } from '../../../../src-main/core/session/credential-vault';
import { createSessionManager } from '../../../../src-main/core/session/session-manager';
import type { SessionState } from '../../../../src-shared/contract/session';
import { capturingLogger } from '../../../helpers';
import { PASSWORD, startApi, type ApiHarness } from '../../../server/api-harness';

describe('the desktop session', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(() => api.close());

  function manager(vault = memoryVault(), baseUrl = api.base) {
    const changes: SessionState[] = [];
    const log = capturingLogger('session');
    const session = createSessionManager({ baseUrl, fetch, vault, clock: api.clock, logger: log.logger, onChange: (s) => changes.push(s) });
    return { session, changes, vault, log };
  }

  it('signs in, keeps only the refresh token and the user in the vault, and never logs a secret', async () => {
    const { session, vault, changes, log } = manager();
    const state = await session.signIn('handler@a.test', PASSWORD);
    expect(state).toMatchObject({ status: 'signed-in', user: { email: 'handler@a.test', role: 'handler' } });
    expect(changes.at(-1)?.status).toBe('signed-in');
    const saved = JSON.parse(vault.load()!) as Record<string, unknown>;
    expect(Object.keys(saved).sort()).toEqual(['refreshToken', 'user']);
    const token = await session.accessToken();
    expect((await api.call('GET', '/me', { token })).status).toBe(200);
    for (const secret of [PASSWORD, token, saved.refreshToken as string]) expect(log.text()).not.toContain(secret);
  });

  it('passes on the server’s reason when sign-in is refused, and stays signed out', async () => {
    const { session } = manager();
    await expect(session.signIn('handler@a.test', 'wrong')).rejects.toThrow('Email or password not recognised');
    expect(session.state().status).toBe('signed-out');
  });

  it('says until when a locked sign-in holds in the desk’s own time, not the server’s UTC', async () => {
    const { session } = manager();
    for (let i = 0; i < 5; i++) await expect(session.signIn('handler@a.test', `guess ${i}`)).rejects.toThrow('not recognised');
    const until = new Date(api.clock.now() + 15 * 60_000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    await expect(session.signIn('handler@a.test', PASSWORD)).rejects.toThrow(
      `Signing in with this email is locked after too many wrong passwords. Try again after ${until}, or ask an administrator to unlock it.`,
    );
    expect(session.state().status).toBe('signed-out');
  });

  it('renews the access token when it is about to expire, rotating the saved refresh token', async () => {
    const { session, vault } = manager();
    await session.signIn('handler@a.test', PASSWORD);
    const first = await session.accessToken();
    const firstRefresh = JSON.parse(vault.load()!).refreshToken;
    api.clock.advance(14.5 * 60_000);
    const second = await session.accessToken();
    expect(second).not.toBe(first);
    expect(JSON.parse(vault.load()!).refreshToken).not.toBe(firstRefresh);
    expect((await api.call('GET', '/me', { token: second })).status).toBe(200);
  });

  it('stays signed in across a restart from the vault, and works without the server until it must renew', async () => {
    const vault = memoryVault();
    await manager(vault).session.signIn('handler@a.test', PASSWORD);
    const restarted = manager(vault, 'http://127.0.0.1:9').session;
    expect(restarted.state()).toMatchObject({ status: 'signed-in', user: { email: 'handler@a.test' } });
    await expect(restarted.accessToken()).rejects.toThrow('cannot be reached');
    expect(restarted.state().status).toBe('signed-in');
  });

  it('signs out at the next request after an administrator sets a new password, not when the access token expires', async () => {
    const { session, changes } = manager();
    await session.signIn('handler@a.test', PASSWORD);
    const token = await session.accessToken();
    api.clock.advance(1000);
    const admin = await api.tokenFor('admin@org.test');
    expect((await api.call('PATCH', `/admin/users/${api.users.handler.id}`, { token: admin, body: { password: 'a brand new passphrase' } })).status).toBe(200);

    // A minute later the token has 14 minutes to run, yet the API refuses it; renewing it is refused too.
    api.clock.advance(60_000);
    expect((await api.call('GET', '/me', { token })).status).toBe(401);
    session.invalidateAccessToken();
    await expect(session.accessToken()).rejects.toThrow('Your session has ended. Sign in again; nothing you logged is lost.');
    expect(changes.at(-1)?.status).toBe('signed-out');
    expect((await session.signIn('handler@a.test', 'a brand new passphrase')).status).toBe('signed-in');
  });

  it('signs out when the server has ended the session, and tells the app', async () => {
    const { session, changes } = manager();
    await session.signIn('handler@a.test', PASSWORD);
    await api.store.revokeRefreshTokens(api.users.handler.id);
    api.clock.advance(16 * 60_000);
    await expect(session.accessToken()).rejects.toThrow('Sign in again');
    expect(session.state().status).toBe('signed-out');
    expect(changes.at(-1)?.status).toBe('signed-out');
  });

  it('signs out on this desk even when the server cannot be reached', async () => {
    const vault = memoryVault();
    await manager(vault).session.signIn('handler@a.test', PASSWORD);
    const offline = manager(vault, 'http://127.0.0.1:9').session;
    expect((await offline.signOut()).status).toBe('signed-out');
    expect(vault.load()).toBeNull();
  });
});
