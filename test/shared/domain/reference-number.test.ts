import { seededRandom } from '../../../src-shared/random';
import { describe, expect, it } from 'vitest';
import {
  decodeReference,
  DESK_TAG_MAX,
  encodeReference,
  looksLikeReference,
  normaliseReference,
  REFERENCE_ALPHABET,
  SEQUENCE_MAX,
  validateReference,
} from '../../../src-shared/domain/reference-number';

const SHAPE_MESSAGE = 'A reference looks like CC-7K3M-9QXP: CC and eight letters or numbers.';
const CHECK_MESSAGE = 'That reference has a mistake in it. Check each character with the caller.';
const CANONICAL = /^CC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;


function randomReferences(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    encodeReference(Math.floor(random() * (DESK_TAG_MAX + 1)), Math.floor(random() * (SEQUENCE_MAX + 1))),
  );
}

/** The eight symbols of a canonical reference, without the prefix and hyphens. */
function symbolsOf(reference: string): string {
  return reference.slice(3).replace('-', '');
}

function withSymbols(symbols: string): string {
  return `CC-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

function differingSymbols(a: string, b: string): number {
  let count = 0;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) count += 1;
  return count;
}

describe('encodeReference', () => {
  it('uses the 32-symbol Crockford alphabet, without I, L, O or U', () => {
    expect(REFERENCE_ALPHABET).toBe('0123456789ABCDEFGHJKMNPQRSTVWXYZ');
    expect(new Set(REFERENCE_ALPHABET).size).toBe(32);
  });

  it('writes CC then two groups of four Crockford symbols', () => {
    for (const reference of [...randomReferences(1_000, 1), encodeReference(0, 0), encodeReference(DESK_TAG_MAX, SEQUENCE_MAX)]) {
      expect(reference).toMatch(CANONICAL);
      expect(validateReference(reference)).toEqual({ ok: true, reference });
    }
  });

  it('gives every (desk, sequence) pair its own reference and decodes it back, over 210,000 distinct pairs', () => {
    const pairs: Array<[number, number]> = [];
    for (const deskTag of [0, 1, DESK_TAG_MAX]) {
      for (let sequence = 0; sequence < 50_000; sequence += 1) pairs.push([deskTag, sequence]);
    }
    for (let deskTag = 0; deskTag <= DESK_TAG_MAX; deskTag += 1) pairs.push([deskTag, SEQUENCE_MAX]);
    const random = seededRandom(2);
    const seen = new Set(pairs.map(([deskTag, sequence]) => deskTag * (SEQUENCE_MAX + 1) + sequence));
    while (pairs.length < 210_000) {
      const deskTag = 2 + Math.floor(random() * (DESK_TAG_MAX - 2));
      const sequence = Math.floor(random() * SEQUENCE_MAX);
      const key = deskTag * (SEQUENCE_MAX + 1) + sequence;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push([deskTag, sequence]);
    }

    const references = new Set<string>();
    const wronglyDecoded: string[] = [];
    for (const [deskTag, sequence] of pairs) {
      const reference = encodeReference(deskTag, sequence);
      references.add(reference);
      const decoded = decodeReference(reference);
      if (decoded?.deskTag !== deskTag || decoded.sequence !== sequence) {
        wronglyDecoded.push(`${deskTag}/${sequence} -> ${reference} -> ${JSON.stringify(decoded)}`);
      }
    }
    expect(wronglyDecoded).toEqual([]);
    expect(pairs.length).toBeGreaterThanOrEqual(200_000);
    expect(references.size).toBe(pairs.length);
  });

  it('does not give consecutive cases references that look consecutive', () => {
    for (const deskTag of [0, 4_242]) {
      let previous = encodeReference(deskTag, 0);
      let totalDifferences = 0;
      let ascending = 0;
      const steps = 20_000;
      for (let sequence = 1; sequence <= steps; sequence += 1) {
        const reference = encodeReference(deskTag, sequence);
        const differences = differingSymbols(symbolsOf(previous), symbolsOf(reference));
        expect(differences).toBeGreaterThanOrEqual(3);
        totalDifferences += differences;
        if (reference > previous) ascending += 1;
        previous = reference;
      }
      // On average nearly every symbol changes, and the next reference sorts before or after at random.
      expect(totalDifferences / steps).toBeGreaterThan(7);
      expect(ascending / steps).toBeGreaterThan(0.45);
      expect(ascending / steps).toBeLessThan(0.55);
    }
  });

  it('does not give a desk references that all begin with the same symbols', () => {
    const starts = new Set(Array.from({ length: 100 }, (_, sequence) => encodeReference(7, sequence).slice(3, 5)));
    expect(starts.size).toBeGreaterThan(50);
  });

  it('does not give the same sequence on two desks references that differ only at the start', () => {
    expect(encodeReference(0, 5).slice(-4)).not.toBe(encodeReference(1, 5).slice(-4));
  });

  it.each([
    [-1, 0, 'The desk tag must be a whole number from 0 to 16383; it was -1.'],
    [16_384, 0, 'The desk tag must be a whole number from 0 to 16383; it was 16384.'],
    [1.5, 0, 'The desk tag must be a whole number from 0 to 16383; it was 1.5.'],
    [Number.NaN, 0, 'The desk tag must be a whole number from 0 to 16383; it was NaN.'],
    [0, -1, 'The case sequence number must be a whole number from 0 to 2097151; it was -1.'],
    [0, 2_097_152, 'The case sequence number must be a whole number from 0 to 2097151; it was 2097152.'],
    [0, 0.25, 'The case sequence number must be a whole number from 0 to 2097151; it was 0.25.'],
  ])('throws a RangeError for desk tag %s and sequence %s', (deskTag, sequence, message) => {
    expect(() => encodeReference(deskTag, sequence)).toThrow(new RangeError(message));
    expect(() => encodeReference(deskTag, sequence)).toThrow(RangeError);
  });

  it('accepts the extremes of both ranges', () => {
    expect(DESK_TAG_MAX).toBe(16_383);
    expect(SEQUENCE_MAX).toBe(2_097_151);
    expect(decodeReference(encodeReference(0, 0))).toEqual({ deskTag: 0, sequence: 0 });
    expect(decodeReference(encodeReference(DESK_TAG_MAX, SEQUENCE_MAX))).toEqual({ deskTag: DESK_TAG_MAX, sequence: SEQUENCE_MAX });
  });
});

describe('the check symbol', () => {
  const references = randomReferences(2_500, 3);

  it('catches every single mistyped symbol in 2,500 references', () => {
    let tried = 0;
    const missed: string[] = [];
    for (const reference of references) {
      const symbols = symbolsOf(reference);
      for (let index = 0; index < symbols.length; index += 1) {
        for (const replacement of REFERENCE_ALPHABET) {
          if (replacement === symbols[index]) continue;
          const typed = withSymbols(symbols.slice(0, index) + replacement + symbols.slice(index + 1));
          tried += 1;
          if (looksLikeReference(typed)) missed.push(`${reference} typed as ${typed}`);
        }
      }
    }
    expect(missed).toEqual([]);
    expect(tried).toBe(2_500 * 8 * 31);
  });

  it('catches every swap of two adjacent different symbols, the check symbol included, in 2,500 references', () => {
    let tried = 0;
    for (const reference of references) {
      const symbols = symbolsOf(reference);
      for (let index = 0; index + 1 < symbols.length; index += 1) {
        const [a, b] = [symbols[index], symbols[index + 1]];
        if (a === b) continue;
        const typed = withSymbols(`${symbols.slice(0, index)}${b}${a}${symbols.slice(index + 2)}`);
        tried += 1;
        expect(validateReference(typed)).toEqual({ ok: false, message: CHECK_MESSAGE });
      }
    }
    expect(tried).toBeGreaterThan(2_500 * 7 * 0.9);
  });

  it('catches swapping 0 and Z, the one adjacent swap a Luhn mod 32 check would miss', () => {
    let found = 0;
    for (let sequence = 0; found < 20 && sequence < 200_000; sequence += 1) {
      const symbols = symbolsOf(encodeReference(9, sequence));
      const at = symbols.slice(0, 7).search(/0Z|Z0/);
      if (at < 0) continue;
      found += 1;
      const swapped = `${symbols.slice(0, at)}${symbols[at + 1]}${symbols[at]}${symbols.slice(at + 2)}`;
      expect(looksLikeReference(withSymbols(swapped))).toBe(false);
    }
    expect(found).toBe(20);
  });
});

describe('normaliseReference', () => {
  const reference = encodeReference(321, 654_321);
  const symbols = symbolsOf(reference);

  it.each([
    ['canonical', (s: string) => `CC-${s.slice(0, 4)}-${s.slice(4)}`],
    ['lower case', (s: string) => `cc-${s.slice(0, 4)}-${s.slice(4)}`.toLowerCase()],
    ['without the prefix', (s: string) => `${s.slice(0, 4)}-${s.slice(4)}`],
    ['without any separator', (s: string) => `CC${s}`],
    ['eight symbols alone', (s: string) => s.toLowerCase()],
    ['with spaces', (s: string) => ` CC ${s.slice(0, 4)} ${s.slice(4)} `],
    ['with dots', (s: string) => `CC.${s.slice(0, 4)}.${s.slice(4)}`],
    ['spaced out symbol by symbol', (s: string) => [...`CC${s}`].join(' ')],
    ['with a dash pasted from a letter', (s: string) => `CC\u2013${s.slice(0, 4)}\u2013${s.slice(4)}`],
  ])('reads a reference typed %s', (_how, write) => {
    expect(normaliseReference(write(symbols))).toBe(reference);
  });

  it('reads I and L as 1 and O as 0, in either case', () => {
    expect(normaliseReference('CC-1111-0000')).toBe('CC-1111-0000');
    expect(normaliseReference('cc-IiLl-OoOo')).toBe('CC-1111-0000');
  });

  it.each([
    ['a U, which is not in the alphabet', 'CC-7K3M-9QXU'],
    ['seven symbols', 'CC-7K3M-9QX'],
    ['nine symbols', 'CC-7K3M-9QXPA'],
    ['nine symbols after the prefix', 'CC7K3M9QXPA'],
    ['a lone C before the symbols', 'C-7K3M-9QXP'],
    ['a different prefix', 'AB-7K3M-9QXP'],
    ['punctuation that is not a separator', 'CC/7K3M/9QXP'],
    ['an accented letter', 'CC-7K3M-9QXÉ'],
    ['nothing', ''],
    ['too much text to be a reference', `CC-7K3M-9QXP${' '.repeat(40)}`],
  ])('refuses %s', (_what, input) => {
    expect(normaliseReference(input)).toBeNull();
  });

  it('does not check the check symbol', () => {
    const wrong = withSymbols(symbols.slice(0, 7) + (symbols[7] === '0' ? '1' : '0'));
    expect(normaliseReference(wrong)).toBe(wrong);
    expect(looksLikeReference(wrong)).toBe(false);
  });
});

describe('validateReference', () => {
  const reference = encodeReference(12, 34);

  it('accepts a good reference however it was typed and gives it back in canonical form', () => {
    expect(validateReference(symbolsOf(reference).toLowerCase())).toEqual({ ok: true, reference });
  });

  it('explains what a reference looks like when the shape is wrong', () => {
    expect(validateReference('12345')).toEqual({ ok: false, message: SHAPE_MESSAGE });
    expect(validateReference('CC-7K3M-9QXU')).toEqual({ ok: false, message: SHAPE_MESSAGE });
  });

  it('asks the handler to check each character when the check symbol is wrong', () => {
    const symbols = symbolsOf(reference);
    const mistyped = withSymbols(`${symbols[1]}${symbols[0]}${symbols.slice(2)}`);
    if (symbols[0] === symbols[1]) throw new Error('pick a reference whose first two symbols differ');
    expect(validateReference(mistyped)).toEqual({ ok: false, message: CHECK_MESSAGE });
  });
});

describe('looksLikeReference', () => {
  it('says yes to a reference typed into a search box in any form', () => {
    const reference = encodeReference(1_000, 2_000);
    expect(looksLikeReference(reference)).toBe(true);
    expect(looksLikeReference(symbolsOf(reference).toLowerCase())).toBe(true);
  });

  it('says no to names, numbers and references with a mistake', () => {
    expect(looksLikeReference('Mrs Patel')).toBe(false);
    expect(looksLikeReference('07400 123456')).toBe(false);
    const symbols = symbolsOf(encodeReference(1_000, 2_000));
    expect(looksLikeReference(withSymbols(`${symbols.slice(0, 7)}${symbols[7] === 'A' ? 'B' : 'A'}`))).toBe(false);
  });
});

describe('decodeReference', () => {
  it('reads a reference in any typed form', () => {
    const reference = encodeReference(16_000, 1_999_999);
    expect(decodeReference(` ${symbolsOf(reference).toLowerCase()} `)).toEqual({ deskTag: 16_000, sequence: 1_999_999 });
  });

  it('returns null for a reference with the wrong shape or a wrong check symbol', () => {
    expect(decodeReference('nonsense')).toBeNull();
    const symbols = symbolsOf(encodeReference(5, 5));
    expect(decodeReference(withSymbols(`${symbols.slice(0, 7)}${symbols[7] === 'A' ? 'B' : 'A'}`))).toBeNull();
  });
});
