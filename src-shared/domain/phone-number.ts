// The full ('max') metadata knows which ranges are allocated in every territory that shares +44. The default
// 'min' metadata is coarser: it accepts unallocated Isle of Man numbers such as 01624 012345, which can never
// reach a real caller (a test pins this).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export const PHONE_NUMBER_HINT = 'Enter a UK phone number, like 07400 123456';

export type PhoneNumberResult = { ok: true; e164: string } | { ok: false; message: string };

/** Longer than any number written out with spaces; refused before the parser sees it. */
export const PHONE_INPUT_MAX_LENGTH = 40;

const UK_CALLING_CODE = '44';
const UK_MESSAGE = `${PHONE_NUMBER_HINT}.`;
const INTERNATIONAL_MESSAGE =
  'That international number is not valid. Enter it in full, starting with +, like +33 1 42 68 53 00.';

// Digits with the punctuation people write between them, and an optional leading +. The parser alone is too
// forgiving: it drops trailing letters ('07400 123456x') and reads 'ext 5' as an extension, which E.164 cannot
// hold; refusing letters outright keeps both out.
const PHONE_SHAPE = /^\+?[\d\s().\-/]+$/;

/**
 * Reads a phone number as a handler types it. Any valid number with calling code 44 (the UK, Guernsey, Jersey and
 * the Isle of Man) is accepted in national or international form; numbers elsewhere must be written in full,
 * starting with + or 00. Returns the number in E.164, the form it is stored and dialled in.
 */
export function normalisePhoneNumber(input: string): PhoneNumberResult {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter a phone number.' };
  if (text.length > PHONE_INPUT_MAX_LENGTH || !PHONE_SHAPE.test(text)) return { ok: false, message: UK_MESSAGE };

  const digits = text.replace(/\D/g, '');
  // What follows the exit code (+ or 00) when the number is written in full form; null for a national number.
  const afterExitCode = text.startsWith('+') ? digits : digits.startsWith('00') ? digits.slice(2) : null;
  const meantAbroad = afterExitCode !== null && !afterExitCode.startsWith(UK_CALLING_CODE);

  // Parsed with the UK as the default, so national numbers read as UK numbers and '00' works as the exit code.
  const parsed = parsePhoneNumberFromString(text, 'GB');
  if (!parsed || !parsed.isValid()) {
    return { ok: false, message: meantAbroad ? INTERNATIONAL_MESSAGE : UK_MESSAGE };
  }
  return { ok: true, e164: parsed.number };
}

/** How a stored number is shown: '07400 123456' for UK numbers, '+33 1 42 68 53 00' for the rest. */
export function formatPhoneNumber(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === UK_CALLING_CODE ? parsed.formatNational() : parsed.formatInternational();
}
