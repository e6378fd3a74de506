import type { z } from 'zod';
import { problemSchema } from '../../../src-shared/problem';
import { RefusedError } from '../errors';

export const API_REQUEST_TIMEOUT_MS = 10_000;

/**
 * A request to the central API on behalf of the signed-in handler, for everything that is not sync (telephony
 * commands, supervisor actions). The answer is the parsed body, or a `RefusedError` whose message a handler can act
 * on: the API's own problem title and detail when it refused, a plain sentence when it could not be reached. A 401 is
 * retried once with a renewed token, as sync does. `request.text(path)` reads a file the API sends (a report's CSV)
 * the same way, as text.
 */
export function createAuthorisedRequest(deps: {
  baseUrl: string;
  fetch: typeof fetch;
  getAccessToken: () => Promise<string>;
  onUnauthorised?: () => void;
  timeoutMs?: number;
}) {
  const timeoutMs = deps.timeoutMs ?? API_REQUEST_TIMEOUT_MS;

  async function send(method: string, path: string, body: unknown, token: string, accept: string): Promise<Response> {
    try {
      return await deps.fetch(new URL(path, deps.baseUrl), {
        method,
        headers: {
          accept,
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

  /** Sends once, and once more with a renewed token after a 401. */
  async function exchange(method: string, path: string, body: unknown, accept = 'application/json'): Promise<Response> {
    const response = await send(method, path, body, await deps.getAccessToken(), accept);
    if (response.status !== 401) return response;
    await response.text().catch(() => '');
    deps.onUnauthorised?.();
    return send(method, path, body, await deps.getAccessToken(), accept);
  }

  /** The refusal for an answer that is not a success, in the API's own words where it gave them. */
  function refusal(response: Response, payload: unknown): RefusedError {
    const problem = problemSchema.safeParse(payload);
    const words = problem.success ? [problem.data.title, problem.data.detail].filter(Boolean).join('. ') : `The central service refused (HTTP ${response.status}).`;
    if (response.status === 401) return new RefusedError('forbidden', 'Your session has ended. Sign in again; nothing you logged is lost.');
    if (response.status === 403) return new RefusedError('forbidden', words);
    if (response.status === 404) return new RefusedError('not-found', words);
    if (response.status >= 500 || response.status === 408 || response.status === 429) return new RefusedError('unavailable', words);
    return new RefusedError('invalid-input', words);
  }

  async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const response = await exchange(method, path, body);
    if (response.status === 204) return schema.parse(undefined);
    const payload: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new RefusedError('unavailable', 'The central service sent an answer this app does not understand.');
      return parsed.data;
    }
    throw refusal(response, payload);
  }

  /**
   * A GET whose answer is a file, not JSON (a report's CSV): its text as sent, its media type, and the file name the
   * API suggested (`content-disposition`), if any. Refusals are the same as for `request`.
   */
  async function text(path: string): Promise<{ text: string; contentType: string | null; fileName: string | null }> {
    const response = await exchange('GET', path, undefined, 'text/csv, text/plain;q=0.9, application/problem+json;q=0.8');
    if (!response.ok) {
      const payload: unknown = await response.json().catch(() => undefined);
      throw refusal(response, payload);
    }
    // Kept byte for byte: `response.text()` would drop a byte-order mark, which a CSV carries so Excel reads UTF-8.
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    return { text: body, contentType: response.headers.get('content-type'), fileName: suggestedFileName(response.headers.get('content-disposition')) };
  }

  return Object.assign(request, { text });
}

/** The plain file name of `attachment; filename="report.csv"`, or null; anything with a path separator is refused. */
export function suggestedFileName(disposition: string | null): string | null {
  const match = disposition ? /filename="([^"]*)"|filename=([^;\s]+)/i.exec(disposition) : null;
  const name = match?.[1] ?? match?.[2] ?? null;
  return name && !/[\\/]/.test(name) && name !== '.' && name !== '..' ? name : null;
}

export type AuthorisedRequest = ReturnType<typeof createAuthorisedRequest>;
