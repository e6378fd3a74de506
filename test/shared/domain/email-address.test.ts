import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../../src-shared/domain/email-address';

const REFUSAL = { ok: false, message: 'Enter an email address, like name@example.com.' };

describe('normaliseEmail', () => {
  it.each([
    ['name@example.com', 'name@example.com'],
    ['  name@example.com\t', 'name@example.com'],
    ['Jo.Bloggs@Example.NHS.UK', 'Jo.Bloggs@example.nhs.uk'],
    ['first.last+feedback@mail.example.co.uk', 'first.last+feedback@mail.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['user_1@sub-domain.example.org', 'user_1@sub-domain.example.org'],
    ['a@b.xn--p1ai', 'a@b.xn--p1ai'],
  ])('accepts %s as %s', (input, email) => {
    expect(normaliseEmail(input)).toEqual({ ok: true, email });
  });

  it('lowercases the domain only: the part before @ keeps its case', () => {
    expect(normaliseEmail('MixedCase@EXAMPLE.COM')).toEqual({ ok: true, email: 'MixedCase@example.com' });
  });

  it.each([
    '',
    '   ',
    'name',
    'name@',
    '@example.com',
    'name@example',
    'name@@example.com',
    'na me@example.com',
    'name@exa mple.com',
    '.name@example.com',
    'name.@example.com',
    'na..me@example.com',
    'name@-example.com',
    'name@example-.com',
    'name@example..com',
    'name@example.c',
    'name@example.123',
    'name@example.com.',
    '"quoted"@example.com',
    'jöhn@example.com',
    'name@exämple.com',
    'name@example.com <name@example.com>',
  ])('refuses %j with the example of a good address', (input) => {
    expect(normaliseEmail(input)).toEqual(REFUSAL);
  });

  it('accepts an address of exactly 254 characters and refuses 255', () => {
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.com`; // 195 characters
    const local = 'x'.repeat(254 - 1 - domain.length);
    expect(`${local}@${domain}`.length).toBe(254);
    expect(normaliseEmail(`${local}@${domain}`).ok).toBe(true);
    expect(normaliseEmail(`${local}x@${domain}`)).toEqual(REFUSAL);
  });

  it('refuses a part before @ longer than 64 characters and a domain label longer than 63', () => {
    expect(normaliseEmail(`${'x'.repeat(64)}@example.com`).ok).toBe(true);
    expect(normaliseEmail(`${'x'.repeat(65)}@example.com`)).toEqual(REFUSAL);
    expect(normaliseEmail(`name@${'a'.repeat(63)}.com`).ok).toBe(true);
    expect(normaliseEmail(`name@${'a'.repeat(64)}.com`)).toEqual(REFUSAL);
  });
});
