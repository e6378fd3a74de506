import type { z } from 'zod';
import { problemSchema } from '../../../src-shared/problem';
import { RefusedError } from '../errors';

export const API_REQUEST_TIMEOUT_MS = 10_000;

/**
 * A request to the central API on behalf of the signed-in handler, for everything that is not sync (telephony
 * commands, supervisor actions). The answer is the parsed body, or a `RefusedError` whose message a handler can act
 * on: the API's own problem title and detail when it refused, a plain sentence when it could not be reached. A 401 is
 * retried once with a renewed token, as sync does.
 */
export function createAuthorisedRequest(deps: {
  baseUrl: string;
  fetch: typeof fetch;
  getAccessToken: () => Promise<string>;
  onUnauthorised?: () => void;
  timeoutMs?: number;
}) {
  const timeoutMs = deps.timeoutMs ?? API_REQUEST_TIMEOUT_MS;

  async function send(method: string, path: string, body: unknown, token: string): Promise<Response> {
    try {
      return await deps.fetch(new URL(path, deps.baseUrl), {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new RefusedError(
        'unavailable',
        timedOut ? `The central service did not answer within ${Math.round(timeoutMs / 1000)} s. Try again.` : 'The central service cannot be reached. Check the network connection.',
      );
    }
  }

  return async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    let response = await send(method, path, body, await deps.getAccessToken());
    if (response.status === 401) {
      await response.text().catch(() => '');
      deps.onUnauthorised?.();
      response = await send(method, path, body, await deps.getAccessToken());
    }
    if (response.status === 204) return schema.parse(undefined);
    const payload: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new RefusedError('unavailable', 'The central service sent an answer this app does not understand.');
      return parsed.data;
    }
    const problem = problemSchema.safeParse(payload);
    const words = problem.success ? [problem.data.title, problem.data.detail].filter(Boolean).join('. ') : `The central service refused (HTTP ${response.status}).`;
    if (response.status === 401) throw new RefusedError('forbidden', 'Your session has ended. Sign in again; nothing you logged is lost.');
    if (response.status === 403) throw new RefusedError('forbidden', words);
    if (response.status === 404) throw new RefusedError('not-found', words);
    if (response.status >= 500 || response.status === 408 || response.status === 429) throw new RefusedError('unavailable', words);
    throw new RefusedError('invalid-input', words);
  };
}

export type AuthorisedRequest = ReturnType<typeof createAuthorisedRequest>;
