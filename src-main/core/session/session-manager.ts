import { signInResponseSchema, type SignInResponse, type User } from '../../../src-shared/api/people';
import type { SessionState } from '../../../src-shared/contract/session';
import type { Clock } from '../clock';
import { RefusedError } from '../errors';
import type { Logger } from '../logger';
import type { CredentialVault } from './credential-vault';

interface Saved {
  refreshToken: string;
  user: User;
}

/** Refresh the access token this long before it expires, so a push never starts with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;

/** A time of day as the handler's own clock shows it (the desk's zone, not the server's UTC). */
function localTime(at: number): string {
  return new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/**
 * The handler's session with the central API, held in the main process only. The access token lives in memory;
 * the refresh token in the vault (encrypted in Electron). A desk that was signed in stays signed in while offline,
 * so the handler keeps working and sync resumes when the line is back.
 */
export function createSessionManager(deps: {
  baseUrl: string;
  fetch: typeof fetch;
  vault: CredentialVault;
  clock: Clock;
  logger: Logger;
  onChange: (state: SessionState) => void;
}) {
  const log = deps.logger.child({ component: 'session' });
  let saved: Saved | null = restore();
  let access: { token: string; expiresAt: number } | null = null;
  let refreshing: Promise<string> | null = null;

  function restore(): Saved | null {
    try {
      const text = deps.vault.load();
      return text ? (JSON.parse(text) as Saved) : null;
    } catch {
      log.warn('the saved session could not be read; signing out');
      return null;
    }
  }

  function state(): SessionState {
    return saved ? { status: 'signed-in', user: saved.user, persistent: deps.vault.persistent } : { status: 'signed-out', user: null, persistent: deps.vault.persistent };
  }

  function keep(response: SignInResponse): void {
    saved = { refreshToken: response.refreshToken, user: response.user };
    access = { token: response.accessToken, expiresAt: deps.clock.now() + response.expiresIn * 1000 };
    deps.vault.save(JSON.stringify(saved));
  }

  function end(reason: string): void {
    log.info({ reason }, 'signed out');
    saved = null;
    access = null;
    deps.vault.save(null);
    deps.onChange(state());
  }

  async function post(path: string, body: unknown): Promise<Response> {
    try {
      return await deps.fetch(new URL(path, deps.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new RefusedError('unavailable', 'The central service cannot be reached. Check the connection and try again.');
    }
  }

  async function refresh(): Promise<string> {
    if (!saved) throw new RefusedError('forbidden', 'Sign in first.');
    const response = await post('/auth/refresh', { refreshToken: saved.refreshToken });
    if (response.status === 401) {
      end('the session ended at the server');
      throw new RefusedError('forbidden', 'Your session has ended. Sign in again; nothing you logged is lost.');
    }
    if (!response.ok) throw new RefusedError('unavailable', `The central service could not renew the session (HTTP ${response.status}).`);
    keep(signInResponseSchema.parse(await response.json()));
    return access!.token;
  }

  return {
    state,
    /** Who is signed in, for the case repository's author names. */
    user: (): User | null => saved?.user ?? null,

    /**
     * Signs in. `admit`, when given, decides whether this desk takes the person the server has just recognised (a
     * shared desk may have to refuse); it runs before anything is kept, so a refusal leaves the desk's session exactly
     * as it was, and the session the server opened for the refused sign-in is ended there.
     */
    async signIn(email: string, password: string, admit?: (user: User) => void | Promise<void>): Promise<SessionState> {
      const response = await post('/auth/sign-in', { email, password });
      if (!response.ok) {
        const problem = (await response.json().catch(() => null)) as { title?: string; detail?: string } | null;
        const lockedFor = response.status === 423 ? Number(response.headers.get('retry-after')) : NaN;
        const message =
          lockedFor > 0
            ? `Signing in with this email is locked after too many wrong passwords. Try again after ${localTime(deps.clock.now() + lockedFor * 1000)}, or ask an administrator to unlock it.`
            : [problem?.title, problem?.detail].filter(Boolean).join('. ') || `Sign-in failed (HTTP ${response.status}).`;
        throw new RefusedError(response.status === 429 || response.status >= 500 ? 'unavailable' : 'forbidden', message);
      }
      const answer = signInResponseSchema.parse(await response.json());
      if (admit) {
        try {
          await admit(answer.user);
        } catch (error) {
          await post('/auth/sign-out', { refreshToken: answer.refreshToken }).catch(() => undefined);
          throw error;
        }
      }
      keep(answer);
      log.info({ userId: saved!.user.id, role: saved!.user.role }, 'signed in');
      deps.onChange(state());
      return state();
    },

    async signOut(): Promise<SessionState> {
      const token = saved?.refreshToken;
      end('signed out by the handler');
      // Tell the server too, but signing out on this desk must work offline.
      if (token) await post('/auth/sign-out', { refreshToken: token }).catch(() => undefined);
      return state();
    },

    /** A current access token, renewed when it is about to expire. Concurrent callers share one renewal. */
    async accessToken(): Promise<string> {
      if (access && access.expiresAt - deps.clock.now() > REFRESH_MARGIN_MS) return access.token;
      refreshing ??= refresh().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },

    /** The server said the token is no good (401): forget it, so the next call renews it. */
    invalidateAccessToken(): void {
      access = null;
    },
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;
