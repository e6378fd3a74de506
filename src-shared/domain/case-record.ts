import { z } from 'zod';
import type { FieldIssue } from '../result';
import { caseTypes, channels, type CaseType, type Channel } from './case-types';
import { categories, categoryLabels, isHighPriorityAllowed } from './categories';
import { EMAIL_ADDRESS_MESSAGE, normaliseEmail } from './email-address';
import { normalisePhoneNumber, PHONE_NUMBER_HINT } from './phone-number';
import { REFERENCE_SHAPE_MESSAGE, validateReference } from './reference-number';

/** The longest text each field may hold, in characters (UTF-16 code units, as a text box's maxLength counts). */
export const CASE_LIMITS = {
  description: 20000,
  note: 10000,
  callerName: 200,
  contactEmail: 254,
  previousReference: 20,
  department: 200,
} as const;

/** Ids of other records (a provider, a caller) are opaque, but never this long. */
export const CASE_ID_MAX_LENGTH = 128;

export const priorities = ['normal', 'high'] as const;
export type Priority = (typeof priorities)[number];

export const contactMethods = ['none', 'phone', 'email'] as const;
export type ContactMethod = (typeof contactMethods)[number];

export const commissioningLevels = ['local', 'national'] as const;
export type CommissioningLevel = (typeof commissioningLevels)[number];

export const caseFlagNames = [
  'publishConsent',
  'showNameConsent',
  'under16',
  'onBehalfOf',
  'formalComplaint',
  'safeguarding',
  'possibleBreach',
  'needsSecondModeration',
  'relatesToPreviousCase',
] as const;
export type CaseFlagName = (typeof caseFlagNames)[number];
export type CaseFlags = Record<CaseFlagName, boolean>;

export const caseFlagLabels: Record<CaseFlagName, string> = {
  publishConsent: 'May be published after moderation',
  showNameConsent: 'Name may be shown',
  under16: 'Reporter is under 16',
  onBehalfOf: 'Reporting on behalf of someone else',
  formalComplaint: 'Formal complaint',
  safeguarding: 'Safeguarding concern',
  possibleBreach: 'Possible breach',
  needsSecondModeration: 'Needs second-tier moderation',
  relatesToPreviousCase: 'Relates to a previous case',
};

export function emptyFlags(): CaseFlags {
  return Object.fromEntries(caseFlagNames.map((name) => [name, false])) as CaseFlags;
}

/** '20,345': numbers in messages are read by people, so they get thousands separators. */
function count(value: number): string {
  return value.toLocaleString('en-GB');
}

function tooLong(what: string, limit: number): (issue: { input?: unknown }) => string {
  return (issue) => {
    const length = typeof issue.input === 'string' ? issue.input.length : 0;
    return `${what} can be at most ${count(limit)} characters; this is ${count(length)}.`;
  };
}

const PHONE_MESSAGE = `${PHONE_NUMBER_HINT}.`;

function idSchema(what: string) {
  return z
    .string({ error: `Choose the ${what} from the list.` })
    .min(1, { error: `Choose the ${what} from the list.` })
    .max(CASE_ID_MAX_LENGTH, { error: `Choose the ${what} from the list.` })
    .nullable();
}

const flagsSchema = z.object(
  Object.fromEntries(caseFlagNames.map((name) => [name, z.boolean({ error: `${caseFlagLabels[name]} must be on or off.` })])) as Record<
    CaseFlagName,
    z.ZodBoolean
  >,
  { error: 'The case flags must say on or off for each flag.' },
);

/**
 * A case's editable fields in the form they are stored: phone numbers in E.164, email domains lowercased,
 * references canonical. `validateField` turns what a handler typed into this form.
 */
export const caseFieldsSchema = z.object({
  type: z.enum(caseTypes, { error: 'Choose whether this is a question, feedback or a general enquiry.' }),
  channel: z.enum(channels, { error: 'Choose the channel the contact came in on.' }),
  category: z.enum(categories, { error: 'Choose a category from the list.' }).nullable(),
  providerId: idSchema('provider'),
  department: z
    .string({ error: 'The department must be text.' })
    .max(CASE_LIMITS.department, { error: tooLong('The department', CASE_LIMITS.department) })
    .nullable(),
  description: z
    .string({ error: 'The caller’s words must be text.' })
    .max(CASE_LIMITS.description, { error: tooLong('The caller’s words', CASE_LIMITS.description) }),
  priority: z.enum(priorities, { error: 'Choose normal or high priority.' }),
  flags: flagsSchema,
  commissioning: z.enum(commissioningLevels, { error: 'Choose locally or nationally commissioned.' }).nullable(),
  contactMethod: z.enum(contactMethods, { error: 'Choose how the caller would like to be contacted.' }),
  contactPhone: z
    .string({ error: PHONE_MESSAGE })
    .refine((value) => {
      const phone = normalisePhoneNumber(value);
      return phone.ok && phone.e164 === value;
    }, { error: PHONE_MESSAGE })
    .nullable(),
  contactEmail: z
    .string({ error: EMAIL_ADDRESS_MESSAGE })
    .max(CASE_LIMITS.contactEmail, { error: EMAIL_ADDRESS_MESSAGE })
    .refine((value) => {
      const email = normaliseEmail(value);
      return email.ok && email.email === value;
    }, { error: EMAIL_ADDRESS_MESSAGE })
    .nullable(),
  callerId: idSchema('caller'),
  previousReference: z
    .string({ error: REFERENCE_SHAPE_MESSAGE })
    .max(CASE_LIMITS.previousReference, { error: REFERENCE_SHAPE_MESSAGE })
    .refine((value) => {
      const reference = validateReference(value);
      return reference.ok && reference.reference === value;
    }, { error: REFERENCE_SHAPE_MESSAGE })
    .nullable(),
});

export type CaseFields = z.infer<typeof caseFieldsSchema>;
export type CaseFieldName = keyof CaseFields;
export const caseFieldNames = Object.keys(caseFieldsSchema.shape) as readonly CaseFieldName[];

export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

type Prepared = { ok: true; value: unknown } | { ok: false; message: string };

/** An optional text box that has been cleared means "not set". */
function blankToNull(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? null : value;
}

/**
 * Turns what was typed into the stored form before the schema checks it. Free text keeps what the handler typed,
 * except a department, which is a name and loses stray spaces at either end; the caller's words are never touched.
 */
const prepare: Partial<Record<CaseFieldName, (value: unknown) => Prepared>> = {
  providerId: (value) => ({ ok: true, value: blankToNull(value) }),
  callerId: (value) => ({ ok: true, value: blankToNull(value) }),
  department: (value) => ({ ok: true, value: typeof value === 'string' ? blankToNull(value.trim()) : value }),
  contactPhone: (value) => {
    const blank = blankToNull(value);
    if (typeof blank !== 'string') return { ok: true, value: blank };
    const phone = normalisePhoneNumber(blank);
    return phone.ok ? { ok: true, value: phone.e164 } : phone;
  },
  contactEmail: (value) => {
    const blank = blankToNull(value);
    if (typeof blank !== 'string') return { ok: true, value: blank };
    const email = normaliseEmail(blank);
    return email.ok ? { ok: true, value: email.email } : email;
  },
  previousReference: (value) => {
    const blank = blankToNull(value);
    if (typeof blank !== 'string') return { ok: true, value: blank };
    const reference = validateReference(blank);
    return reference.ok ? { ok: true, value: reference.reference } : reference;
  },
};

/**
 * Checks one field as it is autosaved and returns the value to store (a phone number in E.164, a reference in
 * canonical form, a cleared box as null), or a message the handler can act on.
 */
export function validateField<K extends CaseFieldName>(field: K, value: unknown): FieldResult<CaseFields[K]> {
  if (!Object.hasOwn(caseFieldsSchema.shape, field)) return { ok: false, message: 'That is not a field of a case.' };
  const prepared = prepare[field]?.(value) ?? { ok: true, value };
  if (!prepared.ok) return prepared;
  const parsed = caseFieldsSchema.shape[field].safeParse(prepared.value);
  if (parsed.success) return { ok: true, value: parsed.data as CaseFields[K] };
  return { ok: false, message: parsed.error.issues[0]?.message ?? 'That value cannot be saved.' };
}

/** Rules that involve more than one field; each issue's path names the field the handler should change. */
export function crossFieldIssues(fields: CaseFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (fields.priority === 'high' && !isHighPriorityAllowed(fields.category)) {
    issues.push({
      path: 'priority',
      message:
        fields.category === null
          ? 'Choose a category before setting high priority.'
          : `High priority is not used for ${categoryLabels[fields.category]}. Set the priority to normal.`,
    });
  }
  if (fields.contactMethod === 'phone' && fields.contactPhone === null) {
    issues.push({ path: 'contactPhone', message: 'Add the phone number to call back on.' });
  }
  if (fields.contactMethod === 'email' && fields.contactEmail === null) {
    issues.push({ path: 'contactEmail', message: 'Add the email address to reply to.' });
  }
  if (fields.flags.showNameConsent && !fields.flags.publishConsent) {
    issues.push({
      path: 'flags.showNameConsent',
      message: 'A name can only be shown on feedback that may be published. Turn on publishing, or turn off showing the name.',
    });
  }
  if (fields.flags.relatesToPreviousCase && fields.previousReference === null) {
    issues.push({ path: 'previousReference', message: 'Add the reference of the previous case.' });
  }
  return issues;
}

/** What must be filled in before a case can be closed or resolved, with every cross-field rule. */
export function completenessIssues(fields: CaseFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (fields.description.trim() === '') issues.push({ path: 'description', message: 'Write down what the caller said.' });
  if (fields.type === 'feedback') {
    if (fields.category === null) issues.push({ path: 'category', message: 'Choose a category.' });
    if (fields.providerId === null) issues.push({ path: 'providerId', message: 'Choose the provider the feedback is about.' });
  }
  return [...issues, ...crossFieldIssues(fields)];
}

/** A new, empty case of this type from this channel. */
export function defaultCaseFields(type: CaseType, channel: Channel): CaseFields {
  return {
    type,
    channel,
    category: null,
    providerId: null,
    department: null,
    description: '',
    priority: 'normal',
    flags: emptyFlags(),
    commissioning: null,
    contactMethod: 'none',
    contactPhone: null,
    contactEmail: null,
    callerId: null,
    previousReference: null,
  };
}

/** A note added to a case: trimmed, not empty, and not longer than CASE_LIMITS.note. */
export const noteSchema = z
  .string({ error: 'Write the note before adding it.' })
  .trim()
  .min(1, { error: 'Write the note before adding it.' })
  .max(CASE_LIMITS.note, { error: tooLong('A note', CASE_LIMITS.note) });

export function validateNote(text: string): { ok: true; text: string } | { ok: false; message: string } {
  const parsed = noteSchema.safeParse(text);
  if (parsed.success) return { ok: true, text: parsed.data };
  return { ok: false, message: parsed.error.issues[0]?.message ?? 'Write the note before adding it.' };
}
