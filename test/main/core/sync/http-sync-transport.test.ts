import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpSyncTransport } from '../../../../src-main/core/sync/http-sync-transport';
import { SyncAuthError, SyncRefusedError, SyncUnavailableError } from '../../../../src-main/core/sync/sync-transport';
import { RefusedError } from '../../../../src-main/core/errors';

const clientId = '0190c2a4-7d1e-7000-8000-000000000001';
const pullRequest = { clientId, cursor: 0 };

/** A loopback server that answers each request with the next scripted reply, and records what it was sent. */
function scriptedServer() {
  const replies: ((request: IncomingMessage, response: ServerResponse) => void)[] = [];
  const seen: { path: string; authorization: string | undefined }[] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    request.resume();
    request.on('end', () => {
      const reply = replies.shift();
      if (reply) reply(request, response);
      else response.writeHead(500).end();
    });
  });
  return {
    server,
    seen,
    reply(status: number, body: unknown, type = 'application/json') {
      replies.push((_request, response) => response.writeHead(status, { 'content-type': type }).end(typeof body === 'string' ? body : JSON.stringify(body)));
    },
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the HTTP sync transport', () => {
  let api: ReturnType<typeof scriptedServer>;
  let baseUrl = '';
  beforeEach(async () => {
    api = scriptedServer();
    baseUrl = await api.start();
  });
  afterEach(() => api.stop());

  it('renews the token once after a 401 and sends the request again with the new one', async () => {
    const tokens = ['old-token', 'new-token'];
    let told = 0;
    const transport = createHttpSyncTransport({
      baseUrl,
      fetch,
      getAccessToken: async () => tokens[0]!,
      onUnauthorised: () => {
        told += 1;
        tokens.shift();
      },
    });
    api.reply(401, { type: '/problems/http', title: 'Sign in first', status: 401 });
    api.reply(200, { changes: [], cursor: 4, lastMutationId: 0, hasMore: false });

    expect(await transport.pull(pullRequest)).toEqual({ changes: [], cursor: 4, lastMutationId: 0, hasMore: false });
    expect(told).toBe(1);
    expect(api.seen.map((request) => request.authorization)).toEqual(['Bearer old-token', 'Bearer new-token']);
  });

  it('reports an ended session when the server refuses the renewed token too, or the renewal is refused', async () => {
    const transport = createHttpSyncTransport({ baseUrl, fetch, getAccessToken: async () => 'token' });
    api.reply(401, { type: '/problems/http', title: 'Sign in first', status: 401 });
    api.reply(401, { type: '/problems/http', title: 'Sign in first', status: 401 });
    await expect(transport.pull(pullRequest)).rejects.toBeInstanceOf(SyncAuthError);

    const ended = createHttpSyncTransport({
      baseUrl,
      fetch,
      getAccessToken: async () => {
        throw new RefusedError('forbidden', 'Your session has ended.');
      },
    });
    await expect(ended.pull(pullRequest)).rejects.toBeInstanceOf(SyncAuthError);
  });

  it('treats a server in trouble, a busy server and an answer it cannot read as "try again later"', async () => {
    const transport = createHttpSyncTransport({ baseUrl, fetch, getAccessToken: async () => 'token' });
    api.reply(503, { type: '/problems/internal', title: 'Unavailable', status: 503 });
    api.reply(429, { type: '/problems/http', title: 'Slow down', status: 429 });
    api.reply(200, '<html>captive portal</html>', 'text/html');
    for (let i = 0; i < 3; i += 1) await expect(transport.pull(pullRequest)).rejects.toBeInstanceOf(SyncUnavailableError);
  });

  it('passes on any other refusal with the problem’s title and the problem itself', async () => {
    const transport = createHttpSyncTransport({ baseUrl, fetch, getAccessToken: async () => 'token' });
    const problem = { type: '/problems/sync-gap', title: 'Mutation 3 arrived where 1 was expected', status: 409, detail: '{"expected":1}' };
    api.reply(409, problem, 'application/problem+json');
    const refusal = await transport.push({ clientId, mutations: [{ id: 3, name: 'case.appendNote', args: { caseId: 'k', noteId: 'n', text: 'x', at: '2026-11-21T09:00:00.000Z' } }] }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SyncRefusedError);
    expect(refusal).toMatchObject({ status: 409, message: 'Mutation 3 arrived where 1 was expected', detail: problem, mutationId: null });
  });

  it('names the first mutation a push was refused at, and says in words when the API does not know its kind', async () => {
    const transport = createHttpSyncTransport({ baseUrl, fetch, getAccessToken: async () => 'token' });
    const at = '2026-11-21T09:00:00.000Z';
    const push = {
      clientId,
      mutations: [
        { id: 7, name: 'case.appendNote' as const, args: { caseId: 'k', noteId: 'n', text: 'x', at } },
        { id: 8, name: 'cases.listed' as const, args: { caseIds: ['k'], shownIn: 'search' as const, at } },
        { id: 9, name: 'cases.listed' as const, args: { caseIds: ['k'], shownIn: 'inbox' as const, at } },
      ],
    };
    // What an API from before reports of lists answers (its validation problem, RFC 9457 `errors`).
    const unknownKind = (index: number) => ({ pointer: `#/body/mutations/${index}/name`, code: 'invalid_union', message: 'Invalid discriminator value' });
    api.reply(400, { type: '/problems/validation', title: 'The request is not valid', status: 400, errors: [unknownKind(2), unknownKind(1)] }, 'application/problem+json');
    expect(await transport.push(push).catch((error: unknown) => error)).toMatchObject({
      status: 400,
      mutationId: 8,
      message:
        'The central service is older than this desk: it does not yet take reports of lists of cases shown, for the audit log. Ask for it to be upgraded; everything logged here is kept and is sent once it is.',
    });

    // A bad value in a known kind keeps the server's own words.
    api.reply(400, { type: '/problems/validation', title: 'The request is not valid', status: 400, errors: [{ pointer: '#/body/mutations/2/args/shownIn', code: 'invalid_value', message: 'Invalid option' }] }, 'application/problem+json');
    expect(await transport.push(push).catch((error: unknown) => error)).toMatchObject({ status: 400, mutationId: 9, message: 'The request is not valid' });

    // A pointer past the end of the push, or at the push as a whole, names none.
    api.reply(400, { type: '/problems/validation', title: 'The request is not valid', status: 400, errors: [unknownKind(3)] }, 'application/problem+json');
    expect(await transport.push(push).catch((error: unknown) => error)).toMatchObject({ status: 400, mutationId: null, message: 'The request is not valid' });
    api.reply(400, { type: '/problems/validation', title: 'Too many cases', status: 400, errors: [{ pointer: '#/body/mutations', code: 'custom', message: 'at most 1,000' }] }, 'application/problem+json');
    expect(await transport.push(push).catch((error: unknown) => error)).toMatchObject({ status: 400, mutationId: null, message: 'Too many cases' });
  });
});
