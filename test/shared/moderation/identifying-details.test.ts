import { describe, expect, it } from 'vitest';
import { findIdentifyingDetails, isValidNhsNumber, uncoveredDetails, type IdentifyingKind } from '../../../src-shared/moderation/identifying-details';

/** The details found, as `kind: text`, in order. */
function found(text: string, knownNames: string[] = []): string[] {
  return findIdentifyingDetails(text, { knownNames }).map((span) => `${span.kind}: ${span.text}`);
}

function kinds(text: string): IdentifyingKind[] {
  return findIdentifyingDetails(text).map((span) => span.kind);
}

describe('finding identifying details', () => {
  it('checks NHS numbers with the modulus 11 rule', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    // The check digit would be 10: no valid number has these first nine digits.
    expect(isValidNhsNumber('0000200000')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
  });

  it('finds NHS numbers written together or grouped, and not ten digits that fail the check', () => {
    expect(found('Her NHS number is 943 476 5919, please check')).toEqual(['nhs-number: 943 476 5919']);
    expect(found('ref 9434765919.')).toEqual(['nhs-number: 9434765919']);
    expect(found('ref 943-476-5919')).toEqual(['nhs-number: 943-476-5919']);
    expect(kinds('invoice 9434765918 was wrong')).not.toContain('nhs-number');
    // Inside a longer run of digits it is not an NHS number.
    expect(kinds('order 194347659190')).not.toContain('nhs-number');
  });

  it('finds phone numbers in national and international form, including unallocated drama-range numbers', () => {
    expect(found('ring me on 07400 123456 after six')).toEqual(['phone: 07400 123456']);
    expect(found('or +44 113 496 0123.')).toEqual(['phone: +44 113 496 0123']);
    expect(found('landline (0113) 496 0123')).toEqual(['phone: (0113) 496 0123']);
    expect(found('the number was 07700 900123')).toEqual(['phone: 07700 900123']);
    expect(found('my sister in Paris, +33 1 42 68 53 00')).toEqual(['phone: +33 1 42 68 53 00']);
  });

  it('does not take ward numbers, times, money or years for phone numbers', () => {
    expect(found('On ward 7 at 10.30 I waited 45 minutes and paid £3.50 for parking in 2024')).toEqual([]);
  });

  it('finds email addresses, and not things with an @ that are not addresses', () => {
    expect(found('write to jo.bloggs+nhs@Example.org.')).toEqual(['email: jo.bloggs+nhs@Example.org']);
    expect(found('meet @ the desk, v2@3.1 is a version')).toEqual([]);
  });

  it('finds dates, and marks those near words about birth as dates of birth', () => {
    expect(found('She was born on 12/03/1956 and admitted on 3 March 2025')).toEqual(['date-of-birth: 12/03/1956', 'date: 3 March 2025']);
    expect(found('DOB 1956-03-12')).toEqual(['date-of-birth: 1956-03-12']);
    expect(found('seen on March 4th, 2025 and again on the 5th of April')).toEqual(['date: March 4th, 2025', 'date: 5th of April']);
    expect(found('date of birth: 1.2.56')).toEqual(['date-of-birth: 1.2.56']);
    // Not a date: a fraction, a score, a version.
    expect(found('about 1/2 of the staff, rated 3/5')).toEqual([]);
  });

  it('finds UK postcodes with or without the space and in any case', () => {
    expect(found('we live at SW1A 1AA')).toEqual(['postcode: SW1A 1AA']);
    expect(found('ls1 4ap is the address')).toEqual(['postcode: ls1 4ap']);
    expect(found('M11AE')).toEqual(['postcode: M11AE']);
  });

  it('finds names after titles, common first names with their surnames, and introduced names', () => {
    expect(found('Dr Patel and Nurse Okafor were kind')).toEqual(['name: Dr Patel', 'name: Nurse Okafor']);
    expect(found('a nurse called Bernadette helped')).toEqual(['name: Bernadette']);
    expect(found('Sandra Higgins on reception was rude')).toEqual(['name: Sandra Higgins']);
    expect(found('My name is Tobias Wren')).toEqual(['name: Tobias Wren']);
    expect(found('Mrs. Smith-Jones waited')).toEqual(['name: Mrs. Smith-Jones']);
  });

  it('does not take everyday words that are also names for names', () => {
    expect(found('Will someone call me back? I hope the grace period in May is kept, and mark it urgent.')).toEqual([]);
    expect(found('The nurse was rude and the doctor ignored me.')).toEqual([]);
    // With a surname they are names.
    expect(found('Grace Mitchell on the ward')).toEqual(['name: Grace Mitchell']);
  });

  it('does not take the next capitalised word for a surname when it is not one', () => {
    expect(found('Thank you Sandra. The care was good')).toEqual(['name: Sandra']);
    expect(found('Gary Ward 9 was noisy')).toEqual(['name: Gary']);
  });

  it('finds the caller’s own name and its parts in any case', () => {
    expect(found('jo said BLOGGS was her maiden name', ['Jo Bloggs'])).toEqual(['name: jo', 'name: BLOGGS']);
    expect(found('Jo Bloggs complained', ['Jo Bloggs'])).toEqual(['name: Jo Bloggs']);
    // A part must be a whole word: "Jo" is not found inside "Jobs".
    expect(found('Jobs were lost', ['Jo Bloggs'])).toEqual([]);
  });

  it('reports each place once when findings overlap, the more specific kind winning', () => {
    const spans = findIdentifyingDetails('NHS 943 476 5919 or email sandra.higgins@example.org, Sandra Higgins');
    expect(spans.map((s) => s.kind)).toEqual(['nhs-number', 'email', 'name']);
    for (let i = 1; i < spans.length; i += 1) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
  });

  it('gives offsets that point at the text found', () => {
    const text = '😀 Call 07400 123456 about Dr Patel';
    for (const span of findIdentifyingDetails(text)) expect(text.slice(span.start, span.end)).toBe(span.text);
  });

  it('finds nothing in text a moderator has cleaned', () => {
    expect(found('A member of staff on the ward was rude to my relative and did not explain why the operation was delayed.')).toEqual([]);
  });

  it('counts a detail as dealt with only when an override names it with a reason', () => {
    const spans = findIdentifyingDetails('Thanks to Dr Patel on 3 March 2025');
    expect(uncoveredDetails(spans, [])).toHaveLength(2);
    expect(uncoveredDetails(spans, [{ kind: 'name', text: 'Dr Patel', reason: 'ok' }])).toHaveLength(2);
    expect(uncoveredDetails(spans, [{ kind: 'name', text: 'Dr Patel', reason: 'Praise for a named consultant, who agreed' }]).map((s) => s.text)).toEqual(['3 March 2025']);
  });
});
