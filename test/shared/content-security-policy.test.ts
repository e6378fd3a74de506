import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from '../../src-shared/security/content-security-policy';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((part) => {
    const [name, ...sources] = part.trim().split(/\s+/);
    return [name ?? '', sources];
  }));
}

describe('the renderer content security policy', () => {
  it('allows scripts only from the app itself: no eval, no inline script', () => {
    const csp = directives(buildContentSecurityPolicy());
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    const all = buildContentSecurityPolicy();
    expect(all).not.toContain('unsafe-eval');
    expect(all).not.toContain('unsafe-inline');
  });

  it('forbids plugins, framing, form posts and base-URI changes', () => {
    const csp = directives(buildContentSecurityPolicy());
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('adds only the given connect sources', () => {
    const csp = directives(buildContentSecurityPolicy({ connectSources: ['ws://127.0.0.1:4000'] }));
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:4000']);
  });
});
