import { describe, expect, it } from 'vitest';
import { TwilioConfigError, twilioConfigFromEnv } from '../../../src-server/telephony/twilio/twilio-config';

const full = {
  TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'auth-token-that-is-secret-123',
  TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'api-key-secret-that-is-secret-456',
  TWILIO_TWIML_APP_SID: `AP${'3'.repeat(32)}`,
  TWILIO_CALLER_ID: '+441134960000',
  PUBLIC_URL: 'https://api.care-line.example.org/',
};

describe('Twilio settings', () => {
  it('leave the line on the simulator when none is given, even with a public URL set', () => {
    expect(twilioConfigFromEnv({})).toBeNull();
    expect(twilioConfigFromEnv({ PUBLIC_URL: 'https://api.example.org', HOST: '0.0.0.0' })).toBeNull();
  });

  it('are read whole, the public URL without its trailing slash and the token lifetime an hour by default', () => {
    expect(twilioConfigFromEnv(full)).toMatchObject({ accountSid: full.TWILIO_ACCOUNT_SID, callerId: '+441134960000', publicUrl: 'https://api.care-line.example.org', tokenTtlSeconds: 3600 });
  });

  it('list everything missing or malformed when only some are given, without repeating a secret', () => {
    const attempt = () => twilioConfigFromEnv({ TWILIO_ACCOUNT_SID: 'AC-not-a-sid', TWILIO_AUTH_TOKEN: full.TWILIO_AUTH_TOKEN, TWILIO_CALLER_ID: '01134960000' });
    expect(attempt).toThrow(TwilioConfigError);
    let message = '';
    try {
      attempt();
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['TWILIO_ACCOUNT_SID: not valid', 'TWILIO_API_KEY_SID: missing', 'TWILIO_API_KEY_SECRET: missing', 'TWILIO_TWIML_APP_SID: missing', 'TWILIO_CALLER_ID: not valid', 'PUBLIC_URL: missing']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('TWILIO_AUTH_TOKEN');
    expect(message).not.toContain(full.TWILIO_AUTH_TOKEN);
  });

  it('refuse a public URL with a query, and a token lifetime that is not a number of seconds', () => {
    expect(() => twilioConfigFromEnv({ ...full, PUBLIC_URL: 'https://api.example.org/?x=1' })).toThrow(/PUBLIC_URL/);
    expect(() => twilioConfigFromEnv({ ...full, TWILIO_TOKEN_TTL_SECONDS: 'an hour' })).toThrow(/TWILIO_TOKEN_TTL_SECONDS/);
    expect(twilioConfigFromEnv({ ...full, TWILIO_TOKEN_TTL_SECONDS: '900' })?.tokenTtlSeconds).toBe(900);
  });
});
