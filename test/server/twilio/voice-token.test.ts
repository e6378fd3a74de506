import { afterEach, describe, expect, it } from 'vitest';
import { twilioConfigFromEnv } from '../../../src-server/telephony/twilio/twilio-config';
import { mintVoiceToken } from '../../../src-server/telephony/twilio/voice-token';
import { startTwilioApi, testTwilioConfig, type TwilioHarness } from './twilio-harness';

interface TwilioJwt {
  header: { cty: string; typ: string; alg: string };
  payload: { iss: string; sub: string; iat: number; exp: number; jti: string; grants: Record<string, unknown> };
}

function decode(token: string): TwilioJwt {
  const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as unknown) as [TwilioJwt['header'], TwilioJwt['payload']];
  return { header, payload };
}

describe('the softphone token', () => {
  let api: TwilioHarness;
  afterEach(async () => {
    await api.close();
  });

  it('gives a handler a Voice token for themselves only: their id, a Voice grant and nothing else, for at most an hour', async () => {
    api = await startTwilioApi();
    const response = await api.call('POST', '/twilio/token', { token: await api.tokenFor(api.users.handler.email) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; identity: string; expiresIn: number; expiresAt: string };
    expect(body.identity).toBe(api.users.handler.id);
    const { header, payload } = decode(body.token);
    expect(header).toMatchObject({ alg: 'HS256', cty: 'twilio-fpa;v=1' });
    expect(payload.iss).toBe(testTwilioConfig.apiKeySid);
    expect(payload.sub).toBe(testTwilioConfig.accountSid);
    expect(payload.grants).toEqual({
      identity: api.users.handler.id,
      voice: { incoming: { allow: true }, outgoing: { application_sid: testTwilioConfig.twimlAppSid } },
    });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(3600);
    expect(body.expiresIn).toBe(payload.exp - payload.iat);
    expect(Date.parse(body.expiresAt) / 1000).toBe(payload.exp);
  });

  it('gives a supervisor a token too, and refuses an administrator and anyone not signed in', async () => {
    api = await startTwilioApi();
    const supervisor = await api.call('POST', '/twilio/token', { token: await api.tokenFor(api.users.supervisor.email) });
    expect(supervisor.status).toBe(200);
    expect(decode(((await supervisor.json()) as { token: string }).token).payload.grants.identity).toBe(api.users.supervisor.id);
    expect((await api.call('POST', '/twilio/token', { token: await api.tokenFor(api.users.admin.email) })).status).toBe(403);
    expect((await api.call('POST', '/twilio/token')).status).toBe(401);
  });

  it('caps the lifetime at an hour when a day is configured, through the settings and directly', async () => {
    const fromEnv = twilioConfigFromEnv({
      TWILIO_ACCOUNT_SID: testTwilioConfig.accountSid,
      TWILIO_AUTH_TOKEN: testTwilioConfig.authToken,
      TWILIO_API_KEY_SID: testTwilioConfig.apiKeySid,
      TWILIO_API_KEY_SECRET: testTwilioConfig.apiKeySecret,
      TWILIO_TWIML_APP_SID: testTwilioConfig.twimlAppSid,
      TWILIO_CALLER_ID: testTwilioConfig.callerId,
      PUBLIC_URL: 'https://care-line.example.org/',
      TWILIO_TOKEN_TTL_SECONDS: '86400',
    });
    expect(fromEnv?.tokenTtlSeconds).toBe(3600);
    api = await startTwilioApi({ config: { tokenTtlSeconds: 86_400 } });
    const response = await api.call('POST', '/twilio/token', { token: await api.tokenFor(api.users.handler.email) });
    const { payload } = decode(((await response.json()) as { token: string }).token);
    expect(payload.exp - payload.iat).toBe(3600);
    const direct = decode(mintVoiceToken({ ...testTwilioConfig, tokenTtlSeconds: 86_400 }, 'someone').token).payload;
    expect(direct.exp - direct.iat).toBe(3600);
  });

  it('never mints a token for another person, whatever the request names', async () => {
    api = await startTwilioApi();
    const token = await api.tokenFor(api.users.handler.email);
    const other = api.users.otherHandler.id;
    const inBody = await api.call('POST', '/twilio/token', { token, body: { identity: other } });
    const inQuery = await api.call('POST', `/twilio/token?identity=${other}`, { token });
    for (const response of [inBody, inQuery]) {
      expect(response.status).toBe(400);
      expect(await response.text()).not.toContain('eyJ');
    }
    const plain = (await (await api.call('POST', '/twilio/token', { token, body: {} })).json()) as { token: string; identity: string };
    expect(plain.identity).toBe(api.users.handler.id);
    expect(decode(plain.token).payload.grants.identity).not.toBe(other);
  });

  it('limits each person to 10 tokens a minute, then answers 429 until the minute has passed', async () => {
    api = await startTwilioApi();
    const handler = await api.tokenFor(api.users.handler.email);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await api.call('POST', '/twilio/token', { token: handler })).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const limited = await api.call('POST', '/twilio/token', { token: handler });
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another person is not held up by this one.
    expect((await api.call('POST', '/twilio/token', { token: await api.tokenFor(api.users.supervisor.email) })).status).toBe(200);
    api.clock.advance(61_000);
    expect((await api.call('POST', '/twilio/token', { token: await api.tokenFor(api.users.handler.email) })).status).toBe(200);
  });

  it('says plainly that the line uses the simulator when Twilio is not configured, and has no webhooks', async () => {
    api = await startTwilioApi({ twilio: false });
    const response = await api.call('POST', '/twilio/token', { token: await api.tokenFor(api.users.handler.email) });
    expect(response.status).toBe(501);
    expect(((await response.json()) as { title: string }).title).toBe('This line uses the simulator');
    expect((await api.webhook('/twilio/voice', { CallSid: 'CA1' })).status).toBe(404);
  });

  it('is described in the OpenAPI document with the roles that may call it', async () => {
    api = await startTwilioApi();
    const doc = (await (await api.call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
    expect(doc.paths['/twilio/token']?.post?.['x-roles']).toEqual(['handler', 'supervisor']);
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/twilio/'))).toEqual(['/twilio/token']);
  });
});
