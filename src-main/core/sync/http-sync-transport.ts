import { z } from 'zod';
import { problemSchema } from '../../../src-shared/problem';
import {
  pullResponseSchema,
  pushResponseSchema,
  type Change,
  type Mutation,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../../src-shared/sync/protocol';
import { SyncAuthError, SyncRefusedError, SyncUnavailableError, type SyncTransport } from './sync-transport';

export const SYNC_REQUEST_TIMEOUT_MS = 30_000;

/**
 * A pulled page as the desk checks it on arrival: its envelope, and each change's number, entity and id. Each
 * change's `data` is checked when it is applied, against the shape of its entity (apply-changes.ts), and a change of
 * an entity this desk does not know is skipped there; checking every change against the full protocol schema here
 * too (its timestamp pattern above all) took a quarter of a pull's time.
 */
const pulledPageSchema = pullResponseSchema.extend({
  changes: z.array(z.object({ seq: z.number().int().positive(), entity: z.string(), entityId: z.string(), data: z.unknown(), at: z.string() })),
}) as unknown as z.ZodType<Omit<PullResponse, 'changes'> & { changes: Change[] }>;

/** What each kind of change is, in a handler's words, for a refusal that names one. */
const MUTATION_WORDS: Record<Mutation['name'], string> = {
  'case.create': 'new cases',
  'case.updateField': 'changes to a case',
  'case.appendNote': 'notes',
  'case.recordCall': 'calls recorded on a case',
  'case.changeStatus': 'changes of a case’s status',
  'case.viewed': 'reports of cases opened, for the audit log',
  'cases.listed': 'reports of lists of cases shown, for the audit log',
  'caller.upsert': 'callers’ details',
};

/** `#/body/mutations/<index>/...`: where the API's validation problem points at one mutation of the push. */
const MUTATION_POINTER = /^#\/body\/mutations\/(\d+)(\/.*)?$/;

/**
 * A push refusal that names the mutations it refused (a validation problem's `errors`, RFC 9457) says which came
 * first, so the desk can still send the ones before it. When the server did not know a mutation's name at all, it
 * is older than this desk (a newer desk sends kinds of change it has not heard of; see "Upgrade the central API
 * before the desks" in the README): the handler is told so in words, not as "The request is not valid".
 */
function explainPushRefusal(refusal: SyncRefusedError, request: PushRequest): SyncRefusedError {
  const parsed = problemSchema.safeParse(refusal.detail);
  const errors = parsed.success ? (parsed.data.errors ?? []) : [];
  let first: { index: number; unknownName: boolean } | null = null;
  for (const error of errors) {
    const match = MUTATION_POINTER.exec(error.pointer);
    if (!match) continue;
    const index = Number(match[1]);
    if (index >= request.mutations.length || (first && first.index <= index)) continue;
    first = { index, unknownName: match[2] === '/name' && error.code === 'invalid_union' };
  }
  if (!first) return refusal;
  const mutation = request.mutations[first.index]!;
  // A newer desk's name is not among this desk's words either (a test queues one).
  const words = (MUTATION_WORDS as Partial<Record<string, string>>)[mutation.name] ?? 'one kind of change this desk sends';
  const message = first.unknownName
    ? `The central service is older than this desk: it does not yet take ${words}. Ask for it to be upgraded; everything logged here is kept and is sent once it is.`
    : refusal.message;
  return new SyncRefusedError(refusal.status, message, refusal.detail, mutation.id);
}

/**
 * Push and pull over HTTP to the central API. Failures are sorted by what the engine should do next: the network or
 * a server in trouble (no answer, timeout, 5xx, 408, 429) is `SyncUnavailableError` (try again later); a session
 * that has ended (401 even after a fresh token) is `SyncAuthError`; any other refusal is `SyncRefusedError` with the
 * problem's title, which is written for a person.
 */
export function createHttpSyncTransport(deps: {
  baseUrl: string;
  fetch: typeof fetch;
  /** A current access token; may renew it. A refusal with code `forbidden` means the session has ended. */
  getAccessToken: () => Promise<string>;
  /** Told when the server refused the token, so the next `getAccessToken` renews it. */
  onUnauthorised?: () => void;
  timeoutMs?: number;
}): SyncTransport {
  const timeoutMs = deps.timeoutMs ?? SYNC_REQUEST_TIMEOUT_MS;

  async function token(): Promise<string> {
    try {
      return await deps.getAccessToken();
    } catch (error) {
      if (error instanceof SyncAuthError || error instanceof SyncUnavailableError) throw error;
      const message = error instanceof Error ? error.message : 'The session could not be renewed.';
      if ((error as { code?: unknown }).code === 'forbidden') throw new SyncAuthError(message);
      throw new SyncUnavailableError(message);
    }
  }

  async function send(path: string, body: unknown, accessToken: string): Promise<Response> {
    try {
      return await deps.fetch(new URL(path, deps.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new SyncUnavailableError(
        timedOut
          ? `The central service did not answer within ${Math.round(timeoutMs / 1000)} s.`
          : 'The central service cannot be reached. Check the network connection.',
      );
    }
  }

  async function post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    let response = await send(path, body, await token());
    if (response.status === 401) {
      await response.text().catch(() => '');
      deps.onUnauthorised?.();
      response = await send(path, body, await token());
      if (response.status === 401) {
        await response.text().catch(() => '');
        throw new SyncAuthError('Your session has ended. Sign in again; nothing you logged is lost.');
      }
    }
    if (response.ok) {
      const parsed = schema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) throw new SyncUnavailableError('The central service sent an answer this app does not understand.');
      return parsed.data;
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      await response.text().catch(() => '');
      throw new SyncUnavailableError(`The central service is not able to take changes just now (HTTP ${response.status}).`);
    }
    const problem = problemSchema.safeParse(await response.json().catch(() => undefined));
    throw new SyncRefusedError(
      response.status,
      problem.success ? problem.data.title : `The central service refused the changes (HTTP ${response.status}).`,
      problem.success ? problem.data : null,
    );
  }

  return {
    push: (request: PushRequest): Promise<PushResponse> =>
      post('/sync/push', request, pushResponseSchema).catch((error: unknown) => {
        throw error instanceof SyncRefusedError ? explainPushRefusal(error, request) : error;
      }),
    pull: (request: PullRequest): Promise<PullResponse> => post('/sync/pull', request, pulledPageSchema),
  };
}
