/**
 * The case reference a handler reads to a caller, like CC-7K3M-9QXP: 'CC-' then eight Crockford base32 symbols,
 * seven carrying 35 bits of data and one check symbol.
 *
 * References are unique by construction, with no coordination and no chance of collision: the data is a 14-bit
 * desk tag (one per desk install) beside a 21-bit per-desk sequence number, and every step from the pair to the
 * 35 bits is invertible (decodeReference runs them backwards). The sequence is scrambled so that consecutive cases
 * do not get references that look consecutive: a caller who hears one reference cannot guess the next caller's.
 */

/** Crockford's base32: no I, L, O (read as 1, 1, 0) and no U. */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_PREFIX = 'CC';

export const DESK_TAG_BITS = 14;
export const SEQUENCE_BITS = 21;
export const DESK_TAG_MAX = 2 ** DESK_TAG_BITS - 1; // 16383

/**
 * Desk tags the central API keeps for itself, so its references can never clash with a desk's: the demo history,
 * cases that arrive by web form, SMS, email or social media, and the made-up reference a caught spam bot is shown.
 * Desks draw their tags below {@link RESERVED_DESK_TAG_MIN}.
 */
export const SERVER_DESK_TAGS = { demoHistory: 16_383, intake: 16_382, decoy: 16_381 } as const;
export const RESERVED_DESK_TAG_MIN = 16_381;
export const SEQUENCE_MAX = 2 ** SEQUENCE_BITS - 1; // 2097151

const DATA_SYMBOLS = 7;
const SYMBOLS = DATA_SYMBOLS + 1;
const SEQUENCE_MODULUS = 2 ** SEQUENCE_BITS;
/** Anything longer than this is not a reference however it is spaced; refused before any work is done. */
const INPUT_MAX_LENGTH = 40;

export const REFERENCE_SHAPE_MESSAGE = 'A reference looks like CC-7K3M-9QXP: CC and eight letters or numbers.';
export const REFERENCE_CHECK_MESSAGE = 'That reference has a mistake in it. Check each character with the caller.';

// ---- The sequence scramble: two rounds of (multiply by an odd constant mod 2^21, then xor-shift by 11). ----
// Multiplying by an odd number is invertible mod 2^21, and x ^ (x >>> 11) is its own inverse on 21 bits (the
// second shift by 11 pushes everything past bit 21), so the whole scramble is a bijection we can run backwards.

/** (a * b) mod 2^21. Both are below 2^21, so the product is below 2^42 and exact in a double. */
function mulMod(a: number, b: number): number {
  return (a * b) % SEQUENCE_MODULUS;
}

/** The inverse of an odd number mod 2^21, by Newton's iteration (each step doubles the correct low bits). */
function inverseMod(odd: number): number {
  let inverse = odd; // odd * odd ≡ 1 (mod 8): three bits right to start with
  for (let step = 0; step < 4; step += 1) {
    inverse = mulMod(inverse, (2 - mulMod(odd, inverse) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS);
  }
  return inverse;
}

const MULTIPLIER_1 = 1_299_709;
const MULTIPLIER_2 = 1_869_623;
const INVERSE_1 = inverseMod(MULTIPLIER_1);
const INVERSE_2 = inverseMod(MULTIPLIER_2);
const XOR_SHIFT = 11;
// Each desk starts its scramble at a different point, so the same sequence number on two desks does not give two
// references that differ only in their first symbols.
const DESK_STRIDE = 754_711;
const OFFSET = 1_048_609;

function deskOffset(deskTag: number): number {
  return (mulMod(deskTag, DESK_STRIDE) + OFFSET) % SEQUENCE_MODULUS;
}

function scramble(sequence: number, deskTag: number): number {
  let x = (sequence + deskOffset(deskTag)) % SEQUENCE_MODULUS;
  x = mulMod(x, MULTIPLIER_1);
  x ^= x >>> XOR_SHIFT;
  x = mulMod(x, MULTIPLIER_2);
  x ^= x >>> XOR_SHIFT;
  return x;
}

// The desk tag is xored with a mask taken from the scrambled sequence, so one desk's references do not all begin
// with the same symbols. The low 21 bits still hold the scrambled sequence, so decoding recovers the mask first.
const MASK_MULTIPLIER = 1_594_323;

function deskMask(scrambled: number): number {
  return (mulMod(scrambled, MASK_MULTIPLIER) >>> (SEQUENCE_BITS - DESK_TAG_BITS)) & DESK_TAG_MAX;
}

function unscramble(scrambled: number, deskTag: number): number {
  let x = scrambled ^ (scrambled >>> XOR_SHIFT);
  x = mulMod(x, INVERSE_2);
  x ^= x >>> XOR_SHIFT;
  x = mulMod(x, INVERSE_1);
  return (x - deskOffset(deskTag) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS;
}

// ---- The check symbol. ----
// Luhn mod 32 (the brief's first choice) misses one transposition: '0Z' and 'Z0' give the same sum, because
// doubling 31 mod 32 folds back to 31. Instead each symbol is treated as an element of the field GF(32) and the
// reference must satisfy sum(2^(7-i) * symbol_i) = 0 there. The eight weights 2^7 .. 2^0 are distinct and non-zero
// (2 generates the field's multiplicative group), so any single wrong symbol changes the sum by weight * error,
// and swapping any two different symbols, adjacent or not, check symbol included, changes it by
// (weight_i + weight_j) * (a + b); both are non-zero in a field. Addition in GF(32) is xor.

/** Multiplies by 2 in GF(32) = GF(2)[x] / (x^5 + x^2 + 1). */
function times2(value: number): number {
  const shifted = value << 1;
  return shifted & 0b100000 ? shifted ^ 0b100101 : shifted;
}

/** Horner's rule for sum(2^(n-1-i) * value_i): zero for a reference whose check symbol is right. */
function weightedSum(values: readonly number[]): number {
  return values.reduce((sum, value) => times2(sum) ^ value, 0);
}

function checkValue(dataValues: readonly number[]): number {
  // The check symbol has weight 1, so it must cancel whatever the data symbols add up to once shifted by one.
  return times2(weightedSum(dataValues));
}

function symbolValues(symbols: string): number[] {
  return [...symbols].map((symbol) => REFERENCE_ALPHABET.indexOf(symbol));
}

function format(symbols: string): string {
  return `${REFERENCE_PREFIX}-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

/**
 * The reference for a desk's nth case. Throws a RangeError when either number is out of range: that is a bug in
 * the caller (a desk tag from nowhere, or a desk that has used up its 2,097,152 references), never user input.
 */
export function encodeReference(deskTag: number, sequence: number): string {
  if (!Number.isInteger(deskTag) || deskTag < 0 || deskTag > DESK_TAG_MAX) {
    throw new RangeError(`The desk tag must be a whole number from 0 to ${DESK_TAG_MAX}; it was ${deskTag}.`);
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > SEQUENCE_MAX) {
    throw new RangeError(`The case sequence number must be a whole number from 0 to ${SEQUENCE_MAX}; it was ${sequence}.`);
  }
  const scrambled = scramble(sequence, deskTag);
  let data = (deskTag ^ deskMask(scrambled)) * SEQUENCE_MODULUS + scrambled;
  const values: number[] = [];
  for (let index = 0; index < DATA_SYMBOLS; index += 1) {
    values.unshift(data % 32);
    data = Math.floor(data / 32);
  }
  values.push(checkValue(values));
  return format(values.map((value) => REFERENCE_ALPHABET.charAt(value)).join(''));
}

/**
 * A reference as a handler typed it, in canonical form: case does not matter, spaces, hyphens and dots are
 * optional, so is the CC prefix, and the letters Crockford reads as digits are read that way (I and L as 1,
 * O as 0). Null when it is the wrong length or has a character that is not in the alphabet (U, for one).
 * Does not look at the check symbol.
 */
export function normaliseReference(input: string): string | null {
  if (input.length > INPUT_MAX_LENGTH) return null;
  // Hyphens include the dashes a word processor substitutes when a reference is pasted from a letter.
  let symbols = input.toUpperCase().replace(/[\s.\-\u2010-\u2015]/g, '');
  if (symbols.length === SYMBOLS + REFERENCE_PREFIX.length && symbols.startsWith(REFERENCE_PREFIX)) {
    symbols = symbols.slice(REFERENCE_PREFIX.length);
  }
  if (symbols.length !== SYMBOLS) return null;
  symbols = symbols.replace(/[IL]/g, '1').replace(/O/g, '0');
  for (const symbol of symbols) {
    if (!REFERENCE_ALPHABET.includes(symbol)) return null;
  }
  return format(symbols);
}

function symbolsOf(canonical: string): string {
  return canonical.slice(REFERENCE_PREFIX.length + 1).replace('-', '');
}

function hasValidCheck(canonical: string): boolean {
  return weightedSum(symbolValues(symbolsOf(canonical))) === 0;
}

export type ReferenceResult = { ok: true; reference: string } | { ok: false; message: string };

/** Checks a reference a handler typed, telling a wrong shape apart from a mistyped character. */
export function validateReference(input: string): ReferenceResult {
  const canonical = normaliseReference(input);
  if (canonical === null) return { ok: false, message: REFERENCE_SHAPE_MESSAGE };
  if (!hasValidCheck(canonical)) return { ok: false, message: REFERENCE_CHECK_MESSAGE };
  return { ok: true, reference: canonical };
}

/** For search boxes: true when the text is a reference with a correct check symbol, so search can go straight to it. */
export function looksLikeReference(input: string): boolean {
  const canonical = normaliseReference(input);
  return canonical !== null && hasValidCheck(canonical);
}

/** The desk tag and sequence number a reference was made from; null when it is not a valid reference. */
export function decodeReference(reference: string): { deskTag: number; sequence: number } | null {
  const checked = validateReference(reference);
  if (!checked.ok) return null;
  const data = symbolValues(symbolsOf(checked.reference))
    .slice(0, DATA_SYMBOLS)
    .reduce((total, value) => total * 32 + value, 0);
  const scrambled = data % SEQUENCE_MODULUS;
  const deskTag = Math.floor(data / SEQUENCE_MODULUS) ^ deskMask(scrambled);
  return { deskTag, sequence: unscramble(scrambled, deskTag) };
}

/**
 * A number for storing and finding a case by its reference, in the order its desk made them: the desk tag, then the
 * sequence number (`deskTag * 2^21 + sequence`); null when the text is not a valid reference. The references
 * themselves are scrambled, so an index on them takes each new case at a random place, and a store writes a
 * different page of that index for nearly every case it takes; on these numbers each desk's new cases go at the end
 * of its own run.
 */
export function referenceKey(reference: string): number | null {
  const decoded = decodeReference(reference);
  return decoded ? decoded.deskTag * SEQUENCE_MODULUS + decoded.sequence : null;
}
