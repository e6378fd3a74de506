import { describe, expect, it } from 'vitest';
import {
  CASE_LIMITS,
  caseFieldNames,
  caseFieldsSchema,
  caseFlagLabels,
  caseFlagNames,
  commissioningLevels,
  completenessIssues,
  contactMethods,
  crossFieldIssues,
  defaultCaseFields,
  emptyFlags,
  priorities,
  validateField,
  validateNote,
  type CaseFieldName,
  type CaseFields,
} from '../../../src-shared/domain/case-record';
import { caseTypes, channels } from '../../../src-shared/domain/case-types';
import { categories, categoryLabels, isHighPriorityAllowed } from '../../../src-shared/domain/categories';
import { encodeReference } from '../../../src-shared/domain/reference-number';

const PHONE_MESSAGE = 'Enter a UK phone number, like 07400 123456.';
const EMAIL_MESSAGE = 'Enter an email address, like name@example.com.';
const REFERENCE_SHAPE = 'A reference looks like CC-7K3M-9QXP: CC and eight letters or numbers.';
const REFERENCE_CHECK = 'That reference has a mistake in it. Check each character with the caller.';

/** A feedback case with everything a closed case needs. */
function completeFeedback(overrides: Partial<CaseFields> = {}): CaseFields {
  return {
    ...defaultCaseFields('feedback', 'phone'),
    category: 'cleanliness',
    providerId: 'RJ7',
    description: 'The toilets on ward 7 have not been cleaned since yesterday.',
    ...overrides,
  };
}

function paths(issues: { path: string }[]): string[] {
  return issues.map((issue) => issue.path);
}

describe('the case record', () => {
  it('has the agreed limits and choices', () => {
    expect(CASE_LIMITS).toEqual({ description: 20000, note: 10000, callerName: 200, contactEmail: 254, previousReference: 20, department: 200 });
    expect(priorities).toEqual(['normal', 'high']);
    expect(contactMethods).toEqual(['none', 'phone', 'email']);
    expect(commissioningLevels).toEqual(['local', 'national']);
  });

  it('has the nine flags the service captures, each labelled for the handler', () => {
    expect(caseFlagNames).toEqual([
      'publishConsent',
      'showNameConsent',
      'under16',
      'onBehalfOf',
      'formalComplaint',
      'safeguarding',
      'possibleBreach',
      'needsSecondModeration',
      'relatesToPreviousCase',
    ]);
    expect(caseFlagLabels).toEqual({
      publishConsent: 'May be published after moderation',
      showNameConsent: 'Name may be shown',
      under16: 'Reporter is under 16',
      onBehalfOf: 'Reporting on behalf of someone else',
      formalComplaint: 'Formal complaint',
      safeguarding: 'Safeguarding concern',
      possibleBreach: 'Possible breach',
      needsSecondModeration: 'Needs second-tier moderation',
      relatesToPreviousCase: 'Relates to a previous case',
    });
  });

  it('starts with every flag off, in a fresh object each time', () => {
    const flags = emptyFlags();
    expect(Object.keys(flags)).toEqual([...caseFlagNames]);
    expect(Object.values(flags).every((value) => value === false)).toBe(true);
    flags.safeguarding = true;
    expect(emptyFlags().safeguarding).toBe(false);
  });

  it('names exactly the editable fields', () => {
    expect([...caseFieldNames].sort()).toEqual(
      [
        'type',
        'channel',
        'category',
        'providerId',
        'department',
        'description',
        'priority',
        'flags',
        'commissioning',
        'contactMethod',
        'contactPhone',
        'contactEmail',
        'callerId',
        'previousReference',
      ].sort(),
    );
  });

  it('starts a new case empty, normal priority, with no contact method, for every type and channel', () => {
    for (const type of caseTypes) {
      for (const channel of channels) {
        const fields = defaultCaseFields(type, channel);
        expect(fields).toEqual({
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
        });
        expect(caseFieldsSchema.safeParse(fields).success).toBe(true);
        expect(crossFieldIssues(fields)).toEqual([]);
      }
    }
  });

  it('requires every field: none may be left out', () => {
    const fields = completeFeedback();
    for (const name of caseFieldNames) {
      const { [name]: _left, ...rest } = fields;
      expect({ name, accepted: caseFieldsSchema.safeParse(rest).success }).toEqual({ name, accepted: false });
    }
  });

  it('stores contact details only in their normalised form', () => {
    const fields = completeFeedback();
    expect(caseFieldsSchema.safeParse({ ...fields, contactPhone: '+447400123456' }).success).toBe(true);
    expect(caseFieldsSchema.safeParse({ ...fields, contactPhone: '07400 123456' }).success).toBe(false);
    expect(caseFieldsSchema.safeParse({ ...fields, contactEmail: 'Jo@Example.com' }).success).toBe(false);
    expect(caseFieldsSchema.safeParse({ ...fields, previousReference: encodeReference(1, 1).toLowerCase() }).success).toBe(false);
    expect(caseFieldsSchema.safeParse({ ...fields, previousReference: encodeReference(1, 1) }).success).toBe(true);
  });
});

describe('validateField', () => {
  it('accepts every value of a new case unchanged', () => {
    const fields = completeFeedback({ contactPhone: '+447400123456', contactEmail: 'jo@example.com', previousReference: encodeReference(3, 4) });
    for (const name of caseFieldNames) {
      expect({ name, result: validateField(name, fields[name]) }).toEqual({ name, result: { ok: true, value: fields[name] } });
    }
  });

  it('refuses a name that is not a field of a case', () => {
    expect(validateField('status' as CaseFieldName, 'open')).toEqual({ ok: false, message: 'That is not a field of a case.' });
    expect(validateField('toString' as CaseFieldName, 'x')).toEqual({ ok: false, message: 'That is not a field of a case.' });
  });

  it.each([
    ['type', 'complaint', 'Choose whether this is a question, feedback or a general enquiry.'],
    ['channel', 'fax', 'Choose the channel the contact came in on.'],
    ['channel', null, 'Choose the channel the contact came in on.'],
    ['category', 'noise', 'Choose a category from the list.'],
    ['priority', 'urgent', 'Choose normal or high priority.'],
    ['commissioning', 'regional', 'Choose locally or nationally commissioned.'],
    ['contactMethod', 'post', 'Choose how the caller would like to be contacted.'],
    ['providerId', 42, 'Choose the provider from the list.'],
    ['providerId', 'x'.repeat(129), 'Choose the provider from the list.'],
    ['callerId', {}, 'Choose the caller from the list.'],
    ['department', 7, 'The department must be text.'],
    ['description', null, 'The caller’s words must be text.'],
    ['flags', 'none', 'The case flags must say on or off for each flag.'],
  ] as Array<[CaseFieldName, unknown, string]>)('refuses %s = %j, saying: %s', (field, value, message) => {
    expect(validateField(field, value)).toEqual({ ok: false, message });
  });

  it('accepts each choice of every list field', () => {
    for (const type of caseTypes) expect(validateField('type', type)).toEqual({ ok: true, value: type });
    for (const channel of channels) expect(validateField('channel', channel)).toEqual({ ok: true, value: channel });
    for (const category of [...categories, null]) expect(validateField('category', category)).toEqual({ ok: true, value: category });
    for (const priority of priorities) expect(validateField('priority', priority)).toEqual({ ok: true, value: priority });
    for (const level of [...commissioningLevels, null]) expect(validateField('commissioning', level)).toEqual({ ok: true, value: level });
    for (const method of contactMethods) expect(validateField('contactMethod', method)).toEqual({ ok: true, value: method });
  });

  it('keeps the caller’s words exactly as typed, spaces and blank lines included', () => {
    const words = '  She said: "nobody came".\n\n  ';
    expect(validateField('description', words)).toEqual({ ok: true, value: words });
    expect(validateField('description', '')).toEqual({ ok: true, value: '' });
  });

  it('accepts the caller’s words up to 20,000 characters and says how long they are beyond that', () => {
    expect(validateField('description', 'a'.repeat(20_000)).ok).toBe(true);
    expect(validateField('description', 'a'.repeat(20_345))).toEqual({
      ok: false,
      message: 'The caller’s words can be at most 20,000 characters; this is 20,345.',
    });
  });

  it('trims a department name, treats a cleared one as not set, and limits it to 200 characters', () => {
    expect(validateField('department', '  Ward 7 ')).toEqual({ ok: true, value: 'Ward 7' });
    expect(validateField('department', '   ')).toEqual({ ok: true, value: null });
    expect(validateField('department', null)).toEqual({ ok: true, value: null });
    expect(validateField('department', ` ${'d'.repeat(200)} `)).toEqual({ ok: true, value: 'd'.repeat(200) });
    expect(validateField('department', 'd'.repeat(1_201))).toEqual({
      ok: false,
      message: 'The department can be at most 200 characters; this is 1,201.',
    });
  });

  it('treats a cleared provider or caller as not set', () => {
    expect(validateField('providerId', '')).toEqual({ ok: true, value: null });
    expect(validateField('callerId', ' ')).toEqual({ ok: true, value: null });
    expect(validateField('providerId', 'RJ7')).toEqual({ ok: true, value: 'RJ7' });
  });

  it('stores a typed phone number in E.164', () => {
    expect(validateField('contactPhone', '07400 123456')).toEqual({ ok: true, value: '+447400123456' });
    expect(validateField('contactPhone', '+33 1 42 68 53 00')).toEqual({ ok: true, value: '+33142685300' });
    expect(validateField('contactPhone', '')).toEqual({ ok: true, value: null });
    expect(validateField('contactPhone', null)).toEqual({ ok: true, value: null });
  });

  it('refuses a phone number that is not valid with the phone number messages', () => {
    expect(validateField('contactPhone', '07700 900123')).toEqual({ ok: false, message: PHONE_MESSAGE });
    expect(validateField('contactPhone', 7400123456)).toEqual({ ok: false, message: PHONE_MESSAGE });
    expect(validateField('contactPhone', '+33 1 42')).toEqual({
      ok: false,
      message: 'That international number is not valid. Enter it in full, starting with +, like +33 1 42 68 53 00.',
    });
  });

  it('stores an email address with its domain lowercased and refuses one that is not valid', () => {
    expect(validateField('contactEmail', ' Jo@Example.COM ')).toEqual({ ok: true, value: 'Jo@example.com' });
    expect(validateField('contactEmail', '')).toEqual({ ok: true, value: null });
    expect(validateField('contactEmail', 'jo@')).toEqual({ ok: false, message: EMAIL_MESSAGE });
    expect(validateField('contactEmail', ['jo@example.com'])).toEqual({ ok: false, message: EMAIL_MESSAGE });
  });

  it('stores a previous reference in canonical form and explains a wrong one', () => {
    const reference = encodeReference(77, 88);
    expect(validateField('previousReference', reference.slice(3).toLowerCase())).toEqual({ ok: true, value: reference });
    expect(validateField('previousReference', '')).toEqual({ ok: true, value: null });
    expect(validateField('previousReference', 'CC-12')).toEqual({ ok: false, message: REFERENCE_SHAPE });
    const last = reference.at(-1) === 'A' ? 'B' : 'A';
    expect(validateField('previousReference', `${reference.slice(0, -1)}${last}`)).toEqual({ ok: false, message: REFERENCE_CHECK });
    expect(validateField('previousReference', 12)).toEqual({ ok: false, message: REFERENCE_SHAPE });
  });

  it('accepts a complete set of flags and refuses one that is missing or not on or off', () => {
    const flags = { ...emptyFlags(), safeguarding: true };
    expect(validateField('flags', flags)).toEqual({ ok: true, value: flags });
    const { formalComplaint: _missing, ...partial } = emptyFlags();
    expect(validateField('flags', partial)).toEqual({ ok: false, message: 'Formal complaint must be on or off.' });
    expect(validateField('flags', { ...emptyFlags(), under16: 'yes' })).toEqual({ ok: false, message: 'Reporter is under 16 must be on or off.' });
  });
});

describe('crossFieldIssues', () => {
  it('finds nothing wrong with a complete, consistent case', () => {
    expect(crossFieldIssues(completeFeedback())).toEqual([]);
  });

  it('allows high priority exactly for the high-priority categories, checked for every category', () => {
    for (const category of categories) {
      const issues = crossFieldIssues(completeFeedback({ category, priority: 'high' }));
      if (isHighPriorityAllowed(category)) {
        expect({ category, issues }).toEqual({ category, issues: [] });
      } else {
        expect({ category, issues }).toEqual({
          category,
          issues: [{ path: 'priority', message: `High priority is not used for ${categoryLabels[category]}. Set the priority to normal.` }],
        });
      }
      expect(crossFieldIssues(completeFeedback({ category, priority: 'normal' }))).toEqual([]);
    }
  });

  it('names the category when high priority is not allowed for it', () => {
    expect(crossFieldIssues(completeFeedback({ category: 'parking', priority: 'high' }))).toEqual([
      { path: 'priority', message: 'High priority is not used for Parking. Set the priority to normal.' },
    ]);
  });

  it('asks for a category before high priority', () => {
    expect(crossFieldIssues(completeFeedback({ category: null, priority: 'high' }))).toEqual([
      { path: 'priority', message: 'Choose a category before setting high priority.' },
    ]);
  });

  it('asks for the phone number when the caller wants a call back', () => {
    expect(crossFieldIssues(completeFeedback({ contactMethod: 'phone' }))).toEqual([
      { path: 'contactPhone', message: 'Add the phone number to call back on.' },
    ]);
    expect(crossFieldIssues(completeFeedback({ contactMethod: 'phone', contactPhone: '+447400123456' }))).toEqual([]);
  });

  it('asks for the email address when the caller wants a reply by email', () => {
    expect(crossFieldIssues(completeFeedback({ contactMethod: 'email' }))).toEqual([
      { path: 'contactEmail', message: 'Add the email address to reply to.' },
    ]);
    expect(crossFieldIssues(completeFeedback({ contactMethod: 'email', contactEmail: 'jo@example.com' }))).toEqual([]);
  });

  it('does not ask for a phone number when the caller wants email, or the other way round', () => {
    expect(crossFieldIssues(completeFeedback({ contactMethod: 'email', contactEmail: 'jo@example.com', contactPhone: null }))).toEqual([]);
    expect(crossFieldIssues(completeFeedback({ contactMethod: 'none' }))).toEqual([]);
  });

  it('allows showing the name only on feedback that may be published', () => {
    const showOnly = { ...emptyFlags(), showNameConsent: true };
    expect(crossFieldIssues(completeFeedback({ flags: showOnly }))).toEqual([
      {
        path: 'flags.showNameConsent',
        message: 'A name can only be shown on feedback that may be published. Turn on publishing, or turn off showing the name.',
      },
    ]);
    expect(crossFieldIssues(completeFeedback({ flags: { ...showOnly, publishConsent: true } }))).toEqual([]);
    expect(crossFieldIssues(completeFeedback({ flags: { ...emptyFlags(), publishConsent: true } }))).toEqual([]);
  });

  it('asks for the previous reference when the case relates to a previous case', () => {
    const flags = { ...emptyFlags(), relatesToPreviousCase: true };
    expect(crossFieldIssues(completeFeedback({ flags }))).toEqual([
      { path: 'previousReference', message: 'Add the reference of the previous case.' },
    ]);
    expect(crossFieldIssues(completeFeedback({ flags, previousReference: encodeReference(2, 3) }))).toEqual([]);
  });

  it('reports every broken rule at once', () => {
    const fields = completeFeedback({
      category: 'other',
      priority: 'high',
      contactMethod: 'phone',
      flags: { ...emptyFlags(), showNameConsent: true, relatesToPreviousCase: true },
    });
    expect(paths(crossFieldIssues(fields))).toEqual(['priority', 'contactPhone', 'flags.showNameConsent', 'previousReference']);
  });
});

describe('completenessIssues', () => {
  it('finds nothing missing from a complete feedback case', () => {
    expect(completenessIssues(completeFeedback())).toEqual([]);
  });

  it('always asks for what the caller said, even when only spaces were typed', () => {
    for (const type of caseTypes) {
      expect(completenessIssues({ ...defaultCaseFields(type, 'web'), description: ' \n ' })).toContainEqual({
        path: 'description',
        message: 'Write down what the caller said.',
      });
    }
  });

  it('asks feedback for its category and provider', () => {
    expect(completenessIssues(completeFeedback({ category: null, providerId: null }))).toEqual([
      { path: 'category', message: 'Choose a category.' },
      { path: 'providerId', message: 'Choose the provider the feedback is about.' },
    ]);
  });

  it('does not ask a question or general enquiry for a category or provider', () => {
    for (const type of ['question', 'general-enquiry'] as const) {
      expect(completenessIssues({ ...defaultCaseFields(type, 'sms'), description: 'Where is the car park?' })).toEqual([]);
    }
  });

  it('includes every cross-field issue', () => {
    const fields = completeFeedback({ description: '', contactMethod: 'email' });
    expect(completenessIssues(fields)).toEqual([
      { path: 'description', message: 'Write down what the caller said.' },
      { path: 'contactEmail', message: 'Add the email address to reply to.' },
    ]);
  });
});

describe('validateNote', () => {
  it('accepts a note and trims the spaces around it', () => {
    expect(validateNote('  Called back, no answer.\n')).toEqual({ ok: true, text: 'Called back, no answer.' });
  });

  it('asks for the note when it is empty or only spaces', () => {
    expect(validateNote('')).toEqual({ ok: false, message: 'Write the note before adding it.' });
    expect(validateNote(' \n\t ')).toEqual({ ok: false, message: 'Write the note before adding it.' });
  });

  it('accepts 10,000 characters and says how long a longer note is', () => {
    expect(validateNote('n'.repeat(10_000)).ok).toBe(true);
    expect(validateNote(`  ${'n'.repeat(10_000)}  `).ok).toBe(true);
    expect(validateNote('n'.repeat(12_345))).toEqual({ ok: false, message: 'A note can be at most 10,000 characters; this is 12,345.' });
  });
});
