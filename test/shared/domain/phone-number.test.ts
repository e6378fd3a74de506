import { describe, expect, it } from 'vitest';
import { formatPhoneNumber, normalisePhoneNumber, PHONE_NUMBER_HINT } from '../../../src-shared/domain/phone-number';

const UK_REFUSAL = { ok: false, message: 'Enter a UK phone number, like 07400 123456.' };
const INTERNATIONAL_REFUSAL = {
  ok: false,
  message: 'That international number is not valid. Enter it in full, starting with +, like +33 1 42 68 53 00.',
};

describe('normalisePhoneNumber', () => {
  it.each([
    ['07400 123456', '+447400123456'],
    ['0113 496 0123', '+441134960123'],
    ['020 7946 0123', '+442079460123'],
    ['+44 7400 123456', '+447400123456'],
    ['0044 7400 123456', '+447400123456'],
    ['+447400123456', '+447400123456'],
    ['(07400) 123-456', '+447400123456'],
    ['07400.123.456', '+447400123456'],
    ['+44 (0) 7400 123456', '+447400123456'],
    ['  07400 123456  ', '+447400123456'],
    ['0800 123 4567', '+448001234567'],
  ])('accepts the UK number %s as %s', (input, e164) => {
    expect(normalisePhoneNumber(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['01481 712345', '+441481712345', 'Guernsey'],
    ['01534 612345', '+441534612345', 'Jersey'],
    ['01624 612345', '+441624612345', 'the Isle of Man'],
    ['07624 123456', '+447624123456', 'an Isle of Man mobile'],
  ])('accepts %s, a number in %s, which shares the UK calling code', (input, e164) => {
    expect(normalisePhoneNumber(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['+33 1 42 68 53 00', '+33142685300'],
    ['0033 1 42 68 53 00', '+33142685300'],
    ['+1 202 456 1111', '+12024561111'],
    ['+1 (202) 456-1111', '+12024561111'],
    ['00 1 202 456 1111', '+12024561111'],
  ])('accepts the international number %s written in full', (input, e164) => {
    expect(normalisePhoneNumber(input)).toEqual({ ok: true, e164 });
  });

  it('asks for a number when nothing was typed', () => {
    expect(normalisePhoneNumber('')).toEqual({ ok: false, message: 'Enter a phone number.' });
    expect(normalisePhoneNumber('   ')).toEqual({ ok: false, message: 'Enter a phone number.' });
  });

  it('refuses the Ofcom drama range 07700 900xxx with the hint', () => {
    expect(normalisePhoneNumber('07700 900123')).toEqual(UK_REFUSAL);
    expect(normalisePhoneNumber('+44 7700 900123')).toEqual(UK_REFUSAL);
    expect(UK_REFUSAL.message).toBe(`${PHONE_NUMBER_HINT}.`);
  });

  it('refuses numbers in ranges not allocated in the Isle of Man, which only the full metadata knows', () => {
    expect(normalisePhoneNumber('01624 012345')).toEqual(UK_REFUSAL);
    expect(normalisePhoneNumber('07624 712345')).toEqual(UK_REFUSAL);
    expect(normalisePhoneNumber('+44 1624 012345')).toEqual(UK_REFUSAL);
  });

  it.each(['abc', 'call me', '07400a123456', '07400 123456x', '+44 7400 12345a', '07400 123456 ext 5', '1-800-FLOWERS', '+', '()', '++447400123456', '07400 + 123456'])(
    'refuses %s, which has letters or is not written like a number, with the hint',
    (input) => {
      expect(normalisePhoneNumber(input)).toEqual(UK_REFUSAL);
    },
  );

  it.each(['0740012345', '07400 12345', '074001234567', '0113 496 012', '+44 1234', '07400 123456/5'])(
    'refuses %s, which is too short or too long for a UK number, with the hint',
    (input) => {
      expect(normalisePhoneNumber(input)).toEqual(UK_REFUSAL);
    },
  );

  it('reads a number without + or 00 as a UK number, so a foreign number written nationally gets the UK hint', () => {
    expect(normalisePhoneNumber('33 1 42 68 53 00')).toEqual(UK_REFUSAL);
  });

  it.each(['+33 1 42', '+1 202 456 111', '+3314268530', '0033 1 42', '+999 1234567'])(
    'refuses the invalid international number %s, asking for it in full',
    (input) => {
      expect(normalisePhoneNumber(input)).toEqual(INTERNATIONAL_REFUSAL);
    },
  );

  it('refuses anything longer than 40 characters without parsing it', () => {
    const padded = `07400 123456${' '.repeat(20)}${'-'.repeat(9)}`;
    expect(padded.length).toBe(41);
    expect(normalisePhoneNumber(padded)).toEqual(UK_REFUSAL);
    // The same number padded to exactly 40 characters is still read.
    expect(normalisePhoneNumber(padded.slice(0, 40))).toEqual({ ok: true, e164: '+447400123456' });
    expect(normalisePhoneNumber('7'.repeat(100_000))).toEqual(UK_REFUSAL);
  });
});

describe('formatPhoneNumber', () => {
  it('shows UK, Channel Islands and Isle of Man numbers in national form', () => {
    expect(formatPhoneNumber('+447400123456')).toBe('07400 123456');
    expect(formatPhoneNumber('+442079460123')).toBe('020 7946 0123');
    expect(formatPhoneNumber('+441134960123')).toBe('0113 496 0123');
    expect(formatPhoneNumber('+441481712345')).toBe('01481 712345');
  });

  it('shows other numbers in international form', () => {
    expect(formatPhoneNumber('+33142685300')).toBe('+33 1 42 68 53 00');
    expect(formatPhoneNumber('+12024561111')).toBe('+1 202 456 1111');
  });

  it('gives back what it cannot read rather than hiding it', () => {
    expect(formatPhoneNumber('not a number')).toBe('not a number');
  });

  it('formats every accepted number so that reading it again gives the same number', () => {
    for (const input of ['07400 123456', '+33 1 42 68 53 00', '01624 612345', '+1 202 456 1111']) {
      const first = normalisePhoneNumber(input);
      if (!first.ok) throw new Error(`${input} should be accepted`);
      const shown = formatPhoneNumber(first.e164);
      expect(normalisePhoneNumber(shown)).toEqual(first);
    }
  });
});
