import { normaliseEmail } from '../domain/email-address';
import { normalisePhoneNumber } from '../domain/phone-number';

/**
 * Finds the details in a piece of text that could identify a person, so a moderator sees them highlighted and the
 * API can refuse to publish text that still holds them. It aims to find too much rather than too little: a
 * moderator dismisses a false alarm with a reason in a second, while a missed NHS number is published for good.
 * Pure and synchronous: the desk's moderation screen and the API run the same function on the same text.
 */

export const identifyingKinds = ['email', 'nhs-number', 'phone', 'date-of-birth', 'date', 'postcode', 'name'] as const;
export type IdentifyingKind = (typeof identifyingKinds)[number];

export const identifyingKindLabels: Record<IdentifyingKind, string> = {
  email: 'Email address',
  'nhs-number': 'NHS number',
  phone: 'Phone number',
  'date-of-birth': 'Date of birth',
  date: 'Date',
  postcode: 'Postcode',
  name: 'Name',
};

/** A detail found: `text` is `source.slice(start, end)` (UTF-16 offsets, as JavaScript strings and the DOM count). */
export interface IdentifyingSpan {
  kind: IdentifyingKind;
  start: number;
  end: number;
  text: string;
}

export interface DetectionContext {
  /** Names known to belong to the people on the case (the caller's own name): found wherever they appear, in any case. */
  knownNames?: readonly (string | null | undefined)[];
}

// Where two findings overlap, the one earlier in this list wins: an NHS number is not also reported as a phone number.
const PRIORITY: readonly IdentifyingKind[] = identifyingKinds;

/** True when a 10-digit string passes the NHS number's modulus 11 check. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

const EMAIL_CANDIDATE = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// Ten digits written together or in the usual 3 3 4 groups (spaces or hyphens), not inside a longer run of digits.
// Not the end of an international phone number (+44 113 496 0123).
const NHS_CANDIDATE = /(?<!\d|\+\d{1,3}[ ]?|\(\s?)\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])/g;
// A run of digits as people write phone numbers: an optional +, then digits with spaces, dots, hyphens, brackets.
const PHONE_CANDIDATE = /(?<![\w+])(?:\+|00)?\(?\d[\d\s().-]{7,18}\d(?![\w])/g;
// The shape of a UK number even when it is not an allocated one (the drama ranges): 0 or +44 then 9 or 10 digits.
const UK_PHONE_SHAPE = /^(?:\+44\s?\(?0?\)?|0)\d{9,10}$/;

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DAY = '(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)?';
const YEAR = '(?:19|20)\\d{2}';
const DATE_PATTERNS: readonly RegExp[] = [
  // 12/03/1956, 12-3-56, 12.03.1956
  /(?<![\d/.-])(?:[12]\d|3[01]|0?[1-9])([/.-])(?:1[0-2]|0?[1-9])\1(?:\d{4}|\d{2})(?![\d/.-])/g,
  // 1956-03-12
  /(?<![\d-])(?:19|20)\d{2}-(?:1[0-2]|0[1-9])-(?:[12]\d|3[01]|0[1-9])(?![\d-])/g,
  // 12 March 1956, 12th of March, 12 Mar 56
  new RegExp(`\\b${DAY}\\s+(?:of\\s+)?(?:${MONTHS})\\.?(?:,?\\s+(?:${YEAR}|'?\\d{2}))?\\b`, 'gi'),
  // March 12, 1956; March 12th
  new RegExp(`\\b(?:${MONTHS})\\.?\\s+${DAY}(?:,?\\s+${YEAR})?\\b`, 'gi'),
];
// Words in the few characters before a date that make it a date of birth.
const BIRTH_CONTEXT = /(?:born|birth|d\.?o\.?b\.?|birthday|aged?\s+\d+)[^.!?\n]{0,24}$/i;

const POSTCODE = /\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b/gi;

const TITLES = 'Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Nurse|Sister|Matron|Sir|Dame|Lady|Lord|Rev|Father';
const NAME_WORD = "[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*";
const TITLED_NAME = new RegExp(`\\b(?:${TITLES})\\.?\\s+(?:${NAME_WORD})(?:\\s+${NAME_WORD})?`, 'g');
const TITLED_NAME_ANY_CASE_TITLE = new RegExp(`\\b(?:${TITLES.toLowerCase()})\\.?\\s+(?:${NAME_WORD})(?:\\s+${NAME_WORD})?`, 'g');
// The words before the name in any case ("My name is", "my name is"); the name itself capitalised.
const INTRODUCED_NAME = new RegExp(`\\b(?:[Mm]y name is|MY NAME IS|[Nn]ame was|[Nn]amed|[Cc]alled|[Ss]igned)\\s+(${NAME_WORD}(?:\\s+${NAME_WORD})?)`, 'g');

/**
 * Common first names in the UK (and their usual short forms). A capitalised one is a name, with the capitalised word
 * after it taken as a surname. Names that are also everyday words (Will, May, Grace) are in {@link WORD_NAMES}.
 */
const FIRST_NAMES = `Aaron Abdul Abigail Adam Adrian Ahmed Aidan Aisha Alan Albert Alex Alexander Alexandra Alfie Ali Alice Alison Amanda
Amber Amelia Amy Andrea Andrew Andy Angela Anita Ann Anna Anne Annie Anthony Archie Arthur Ashley Barbara Barry Ben Benjamin Beth
Bethany Betty Beverley Brenda Brian Bridget Callum Cameron Carl Carol Caroline Catherine Charles Charlie Charlotte Chloe Chris
Christine Christopher Claire Clare Colin Connor Craig Daniel Danielle Darren Dave David Dean Debbie Deborah Denise Derek Diane Dominic
Donna Doris Dorothy Douglas Eddie Edward Eileen Eleanor Elizabeth Ella Ellie Emily Emma Eric Ethan Evelyn Fatima Fiona Frances Francis
Frank Freddie Gareth Gary Gavin Gemma Geoffrey George Georgia Gerald Gillian Gordon Graham Hannah Harriet Harry Harvey Hayley Heather
Helen Henry Hollie Holly Ian Imran Isabel Isabella Isla Ivy Jack Jacob Jacqueline Jake James Jamie Jane Janet Janice Jason Jayden
Jean Jennifer Jenny Jessica Jill Joan Joanne Joe Joel John Jonathan Joseph Josh Joshua Joyce Judith Julie Julia Karen Kate Katherine
Kathleen Katie Kayleigh Keith Kelly Kenneth Kevin Kieran Kim Kirsty Laura Lauren Leah Lee Leo Leon Lesley Leslie Lewis Liam Lily
Linda Lisa Logan Lois Lorraine Louise Lucy Luke Lynn Lynne Maisie Malcolm Margaret Maria Marie Marion Martin Mary Matthew Maureen
Megan Melanie Michael Michelle Mohammed Mohammad Muhammad Molly Nathan Neil Nicholas Nicola Nigel Noah Norman Oliver Olivia Oscar
Pamela Patricia Patrick Paul Paula Pauline Peter Philip Phillip Poppy Priya Rachel Raj Rebecca Richard Rita Robert Robin Roger
Ronald Rosemary Ruby Ryan Sally Samantha Samuel Sandra Sarah Scott Sean Shaun Sharon Sheila Shirley Simon Sophie Sophia Stacey
Stephanie Stephen Steven Stuart Susan Suzanne Teresa Theo Thomas Tina Toby Tom Tony Tracey Tracy Valerie Vanessa Victoria Vincent
Wayne Wendy William Yasmin Yvonne Zara Zoe`.split(/\s+/);
const WORD_NAMES = 'Will Mark Grace Faith Hope Joy May June April Rose Dawn Summer Bill Pat Sue Rich Art Bob Jo Ray Guy Carol Holly Ivy Jack Lily Ruby Victoria Frank'.split(' ');

const FIRST_NAME_RE = new RegExp(`\\b(?:${FIRST_NAMES.filter((n) => !WORD_NAMES.includes(n)).join('|')})\\b(?:\\s+${NAME_WORD})?`, 'g');
// A name that is also a word counts only with a capitalised surname after it.
const WORD_NAME_RE = new RegExp(`\\b(?:${WORD_NAMES.join('|')})\\s+${NAME_WORD}`, 'g');
// Capitalised words that follow a first name without being a surname.
const NOT_SURNAMES = new Set(['I', 'The', 'A', 'An', 'And', 'But', 'Or', 'On', 'In', 'At', 'It', 'He', 'She', 'They', 'We', 'You', 'Ward', 'Hospital', 'Trust', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function* matches(re: RegExp, text: string): Generator<{ start: number; end: number; text: string; groups: (string | undefined)[] }> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex += 1;
      continue;
    }
    yield { start: m.index, end: m.index + m[0].length, text: m[0], groups: m.slice(1) };
  }
}

/** Drops a trailing capitalised word that is not a surname ("Sandra The" -> "Sandra"). */
function trimName(found: { start: number; text: string }): { start: number; end: number; text: string } {
  const words = found.text.split(/(\s+)/);
  while (words.length > 1 && NOT_SURNAMES.has(words[words.length - 1]!)) words.splice(-2, 2);
  const text = words.join('');
  return { start: found.start, end: found.start + text.length, text };
}

function findEmails(text: string, out: IdentifyingSpan[]): void {
  for (const m of matches(EMAIL_CANDIDATE, text)) {
    const trimmed = m.text.replace(/^[.]+/, '').replace(/[.]+$/, '');
    const start = m.start + m.text.indexOf(trimmed);
    // The same check a handler's entry gets: 'meet@10.30' or 'v2@3.1' is not an address.
    if (normaliseEmail(trimmed).ok) out.push({ kind: 'email', start, end: start + trimmed.length, text: trimmed });
  }
}

function findNhsNumbers(text: string, out: IdentifyingSpan[]): void {
  for (const m of matches(NHS_CANDIDATE, text)) {
    if (isValidNhsNumber(m.text.replace(/\D/g, ''))) out.push({ kind: 'nhs-number', start: m.start, end: m.end, text: m.text });
  }
}

function findPhones(text: string, out: IdentifyingSpan[]): void {
  for (const m of matches(PHONE_CANDIDATE, text)) {
    const candidate = m.text.replace(/[\s.-]+$/, '');
    const digits = candidate.replace(/[^\d+]/g, '');
    // An allocated number by the same rules a handler's entry is checked with, or anything with a UK number's shape.
    if (normalisePhoneNumber(candidate).ok || UK_PHONE_SHAPE.test(digits)) out.push({ kind: 'phone', start: m.start, end: m.start + candidate.length, text: candidate });
  }
}

function findDates(text: string, out: IdentifyingSpan[]): void {
  for (const re of DATE_PATTERNS) {
    for (const m of matches(re, text)) {
      const before = text.slice(Math.max(0, m.start - 40), m.start);
      out.push({ kind: BIRTH_CONTEXT.test(before) ? 'date-of-birth' : 'date', start: m.start, end: m.end, text: m.text });
    }
  }
}

function findPostcodes(text: string, out: IdentifyingSpan[]): void {
  for (const m of matches(POSTCODE, text)) out.push({ kind: 'postcode', start: m.start, end: m.end, text: m.text });
}

function findNames(text: string, context: DetectionContext, out: IdentifyingSpan[]): void {
  const push = (found: { start: number; end: number; text: string }) => out.push({ kind: 'name', ...found });
  for (const m of matches(TITLED_NAME, text)) push(trimName(m));
  for (const m of matches(TITLED_NAME_ANY_CASE_TITLE, text)) push(trimName(m));
  for (const m of matches(INTRODUCED_NAME, text)) {
    const name = m.groups[0]!;
    const start = m.start + m.text.lastIndexOf(name);
    push(trimName({ start, text: name }));
  }
  for (const m of matches(FIRST_NAME_RE, text)) push(trimName(m));
  for (const m of matches(WORD_NAME_RE, text)) {
    const trimmed = trimName(m);
    if (trimmed.text.includes(' ')) push(trimmed);
  }
  // The caller's own name, whole or in parts, in any case: "jo bloggs", "BLOGGS".
  const parts = new Set<string>();
  for (const name of context.knownNames ?? []) {
    if (!name) continue;
    const whole = name.trim();
    if (whole.length >= 2) parts.add(whole);
    for (const part of whole.split(/\s+/)) if (part.replace(/[^\p{L}]/gu, '').length >= 2) parts.add(part);
  }
  for (const part of parts) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(part).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
    for (const m of matches(re, text)) push(m);
  }
}

/**
 * Every likely identifying detail in `text`, in order of position, without overlaps (where two overlap, the more
 * specific kind wins, then the longer span).
 */
export function findIdentifyingDetails(text: string, context: DetectionContext = {}): IdentifyingSpan[] {
  const found: IdentifyingSpan[] = [];
  findEmails(text, found);
  findNhsNumbers(text, found);
  findPhones(text, found);
  findDates(text, found);
  findPostcodes(text, found);
  findNames(text, context, found);
  found.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: IdentifyingSpan[] = [];
  for (const span of found) {
    if (kept.some((other) => span.start < other.end && other.start < span.end)) continue;
    kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** A moderator's decision to publish a detail the detector found: the detail (by kind and text) and why it may stay. */
export interface IdentifyingOverride {
  kind: IdentifyingKind;
  text: string;
  reason: string;
}

export const OVERRIDE_REASON_MIN = 5;

/** The spans no override covers: what must still be removed (or overridden, with a reason) before approval. */
export function uncoveredDetails(spans: readonly IdentifyingSpan[], overrides: readonly IdentifyingOverride[]): IdentifyingSpan[] {
  return spans.filter((span) => !overrides.some((o) => o.kind === span.kind && o.text === span.text && o.reason.trim().length >= OVERRIDE_REASON_MIN));
}
