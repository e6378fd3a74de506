import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createAuthorisedRequest, suggestedFileName } from '../../../src-main/core/api/authorised-request';
import { RefusedError } from '../../../src-main/core/errors';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handle: Handler;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => handle(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function reply(response: ServerResponse, status: number, payload?: unknown, type = 'application/json') {
  response.writeHead(status, { 'content-type': type });
  response.end(payload === undefined ? undefined : JSON.stringify(payload));
}

const answer = z.object({ state: z.string() });

describe('a request to the central API on behalf of the handler', () => {
  it('sends the token and the body, and returns the parsed answer', async () => {
    const seen: { auth?: string; body?: string; method?: string } = {};
    handle = (request, body, response) => {
      Object.assign(seen, { auth: request.headers.authorization, body, method: request.method });
      reply(response, 200, { state: 'on-call' });
    };
    const request = createAuthorisedRequest({ baseUrl, fetch, getAccessToken: async () => 'token-1' });
    await expect(request('POST', '/telephony/calls/c1/answer', { note: 'x' }, answer)).resolves.toEqual({ state: 'on-call' });
    expect(seen).toEqual({ auth: 'Bearer token-1', body: '{"note":"x"}', method: 'POST' });
  });

  it('renews the token once after a 401 and succeeds with the new one', async () => {
    const tokens: string[] = [];
    handle = (request, _body, response) => {
      tokens.push(request.headers.authorization ?? '');
      if (request.headers.authorization === 'Bearer old') reply(response, 401, { type: '/problems/http', title: 'Sign in first', status: 401 });
      else reply(response, 200, { state: 'available' });
    };
    let current = 'old';
    const request = createAuthorisedRequest({ baseUrl, fetch, getAccessToken: async () => current, onUnauthorised: () => (current = 'new') });
    await expect(request('GET', '/telephony/snapshot', undefined, answer)).resolves.toEqual({ state: 'available' });
    expect(tokens).toEqual(['Bearer old', 'Bearer new']);
  });

  it("turns the API's refusal into the handler-readable title and detail", async () => {
    handle = (_request, _body, response) =>
      reply(response, 409, { type: '/problems/http', title: 'That call is not ringing for you', status: 409, detail: 'It was answered by another handler.' }, 'application/problem+json');
    const request = createAuthorisedRequest({ baseUrl, fetch, getAccessToken: async () => 't' });
    const refusal = await request('POST', '/telephony/calls/c1/answer', {}, answer).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RefusedError);
    expect(refusal).toMatchObject({ code: 'invalid-input', message: 'That call is not ringing for you. It was answered by another handler.' });
  });

  it('says the service cannot be reached when nothing listens', async () => {
    const request = createAuthorisedRequest({ baseUrl: 'http://127.0.0.1:9', fetch, getAccessToken: async () => 't' });
    await expect(request('GET', '/telephony/snapshot', undefined, answer)).rejects.toMatchObject({ code: 'unavailable', message: 'The central service cannot be reached. Check the network connection.' });
  });

  it('refuses an answer it does not understand rather than passing it on', async () => {
    handle = (_request, _body, response) => reply(response, 200, { unexpected: true });
    const request = createAuthorisedRequest({ baseUrl, fetch, getAccessToken: async () => 't' });
    await expect(request('GET', '/telephony/snapshot', undefined, answer)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('accepts an empty 204 answer when nothing is expected back', async () => {
    handle = (_request, _body, response) => reply(response, 204);
    const request = createAuthorisedRequest({ baseUrl, fetch, getAccessToken: async () => 't' });
    await expect(request('POST', '/telephony/me/state', { state: 'available' }, z.undefined())).resolves.toBeUndefined();
  });

  it('reads a file answer as text with its type and suggested name, renewing the token once after a 401', async () => {
    const seen: string[] = [];
    handle = (request, _body, response) => {
      seen.push(`${request.headers.authorization} ${request.headers.accept}`);
      if (request.headers.authorization === 'Bearer old') return reply(response, 401, { type: '/problems/http', title: 'Sign in first', status: 401 });
      response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="care-desk-report-2025-07-01-to-2025-07-02.csv"' });
      response.end('\uFEFFsection,item,value\r\ncontacts,total,7\r\n');
    };
    let current = 'old';
    const request = createAuthorisedRequest({ baseUrl, fetch, getAccessToken: async () => current, onUnauthorised: () => (current = 'new') });
    await expect(request.text('/reports/export.csv?from=2025-07-01&to=2025-07-02')).resolves.toEqual({
      text: '\uFEFFsection,item,value\r\ncontacts,total,7\r\n',
      contentType: 'text/csv; charset=utf-8',
      fileName: 'care-desk-report-2025-07-01-to-2025-07-02.csv',
    });
    expect(seen).toEqual([expect.stringMatching(/^Bearer old text\/csv/), expect.stringMatching(/^Bearer new text\/csv/)]);
  });

  it('refuses a file request in the API’s words, as for JSON', async () => {
    handle = (_request, _body, response) => reply(response, 403, { type: '/problems/http', title: 'Not your team', status: 403, detail: 'A supervisor can see reports for their own teams only.' }, 'application/problem+json');
    const request = createAuthorisedRequest({ baseUrl, fetch, getAccessToken: async () => 't' });
    await expect(request.text('/reports/export.csv?from=2025-07-01&to=2025-07-02&teamId=b')).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Not your team. A supervisor can see reports for their own teams only.',
    });
  });

  it('takes only a plain file name from content-disposition', () => {
    expect(suggestedFileName('attachment; filename="report.csv"')).toBe('report.csv');
    expect(suggestedFileName('attachment; filename=report.csv')).toBe('report.csv');
    expect(suggestedFileName('attachment; filename="../../etc/passwd"')).toBeNull();
    expect(suggestedFileName('attachment')).toBeNull();
    expect(suggestedFileName(null)).toBeNull();
  });
});
