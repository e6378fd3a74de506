import { describe, expect, it } from 'vitest';
import { publicBaseUrlOf, publishingFromEnv } from '../../../src-server/publication/publishing-config';

describe('publishing settings', () => {
  it('takes the public address for provider links, without a trailing slash', () => {
    expect(publicBaseUrlOf(publishingFromEnv({ PUBLIC_URL: 'https://care-line.example.org/' }, null))).toBe('https://care-line.example.org');
    expect(publicBaseUrlOf(publishingFromEnv({ PUBLIC_URL: 'http://127.0.0.1:8080' }, null))).toBe('http://127.0.0.1:8080');
    expect(publicBaseUrlOf(publishingFromEnv({}, null))).toBeNull();
    expect(publicBaseUrlOf({ publicBaseUrl: () => 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
  });

  it('refuses an address providers could not safely be sent to', () => {
    for (const bad of ['http://care-line.example.org', 'care-line.example.org', 'https://care-line.example.org/?x=1']) {
      expect(() => publishingFromEnv({ PUBLIC_URL: bad }, null)).toThrow(/PUBLIC_URL/);
    }
  });
});
