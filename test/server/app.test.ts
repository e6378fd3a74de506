import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src-server/app';
import { readServerConfig } from '../../src-server/config';
import { apiHealthSchema } from '../../src-shared/health';
import { problemSchema } from '../../src-shared/problem';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTokenService } from '../../src-server/auth/tokens';
import type { CentralStore } from '../../src-server/store/central-store';
import { openSqliteStore } from '../../src-server/store/open-store';
import { capturingLogger, manualClock, tempDir } from '../helpers';

describe('the central API', () => {
  let app: FastifyInstance;
  let base: string;
  const clock = manualClock();
  let log: ReturnType<typeof capturingLogger>;

  let dir: ReturnType<typeof tempDir>;
  let store: CentralStore;

  beforeEach(async () => {
    log = capturingLogger('central-api');
    dir = tempDir();
    store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
    app = buildApi({ logger: log.logger, version: '2.0.0', clock, bodyLimitBytes: 2048, store, tokens: createTokenService(randomBytes(32), clock) });
    // Routes that exist only in this test, to reach the shared error handling.
    app.post('/echo', async (request) => request.body);
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterEach(async () => {
    await app.close();
    await store.close();
    dir.remove();
  });

  async function problem(response: Response) {
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return problemSchema.parse(await response.json());
  }

  it('answers /health with its version over real HTTP', async () => {
    clock.advance(42_000);
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const health = apiHealthSchema.parse(await response.json());
    expect(health).toMatchObject({ status: 'ok', version: '2.0.0', uptimeSeconds: 42 });
  });

  it('answers an unknown route with a 404 problem document', async () => {
    const response = await fetch(`${base}/nothing-here?x=1`);
    expect(response.status).toBe(404);
    expect(await problem(response)).toMatchObject({ status: 404, title: 'Not found', detail: 'There is no GET /nothing-here on this API.' });
  });

  it('refuses a body over the limit with 413 and says what the limit is', async () => {
    const response = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(5000) }) });
    expect(response.status).toBe(413);
    expect((await problem(response)).detail).toContain('2048 bytes');
  });

  it('refuses a body that is not JSON with 400, and an unsupported media type with 415', async () => {
    const bad = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"unterminated' });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).title).toBe('The request body is not valid JSON');
    const xml = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' });
    expect(xml.status).toBe(415);
    await problem(xml);
  });

  it('answers an unexpected failure with a 500 problem that hides the cause, and logs the cause', async () => {
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(500);
    const body = await problem(response);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(log.text()).toContain('hunter2');
  });

  it('logs the path of a request but never its query string', async () => {
    await fetch(`${base}/health?phone=%2B447400123456`);
    await app.close();
    expect(log.text()).toContain('"path":"/health"');
    expect(log.text()).not.toContain('447400123456');
  });
});

describe('the central API settings', () => {
  it('uses safe defaults: loopback, port 8787, 1 MiB bodies', () => {
    expect(readServerConfig({})).toMatchObject({ HOST: '127.0.0.1', PORT: 8787, BODY_LIMIT_BYTES: 1024 * 1024 });
  });

  it('reads the proxies to believe as a hop count or a list of addresses and ranges, and refuses anything else', () => {
    expect(readServerConfig({}).TRUST_PROXY).toBeUndefined();
    expect(readServerConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(readServerConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => readServerConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY must be a hop count/);
  });

  it('has the phone line on unless told PHONE_LINE=off, and refuses anything else', () => {
    expect(readServerConfig({}).PHONE_LINE).toBe('on');
    expect(readServerConfig({ PHONE_LINE: 'off' }).PHONE_LINE).toBe('off');
    expect(() => readServerConfig({ PHONE_LINE: 'no' })).toThrow(/PHONE_LINE must be on or off/);
  });

  it('names each bad setting in one clear error', () => {
    expect(() => readServerConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});
