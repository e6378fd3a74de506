import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createCentralApiClient } from '../../../src-main/core/central-api-client';
import { manualClock } from '../../helpers';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

describe('the central API client health probe', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('explains an HTTP error in words', async () => {
    const running = await serve((_req, res) => res.writeHead(503).end());
    server = running.server;
    const client = createCentralApiClient({ baseUrl: running.url, fetch, clock: manualClock() });
    expect(await client.probeHealth()).toEqual({ ok: false, problem: 'The central service answered with an error (HTTP 503).' });
  });

  it('refuses an answer that is not a health document', async () => {
    const running = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}'));
    server = running.server;
    const client = createCentralApiClient({ baseUrl: running.url, fetch, clock: manualClock() });
    expect(await client.probeHealth()).toEqual({ ok: false, problem: 'The central service sent an answer this app does not understand.' });
  });

  it('gives up after its timeout when the service hangs', async () => {
    const running = await serve(() => undefined);
    server = running.server;
    const client = createCentralApiClient({ baseUrl: running.url, fetch, clock: manualClock(), timeoutMs: 200 });
    const probe = await client.probeHealth();
    server.closeAllConnections();
    expect(probe).toEqual({ ok: false, problem: 'The central service did not answer within 0.2 s.' });
  });
});
