/** What kind of contact a case records. Questions and general enquiries share the simple open/answered life. */
export const caseTypes = ['question', 'feedback', 'general-enquiry'] as const;
export type CaseType = (typeof caseTypes)[number];

export const caseTypeLabels: Record<CaseType, string> = {
  question: 'Question',
  feedback: 'Feedback or concern',
  'general-enquiry': 'General enquiry',
};

/** Where a contact came in. Every case records its channel, so cost and volume can be reported per channel. */
export const channels = ['phone', 'web', 'sms', 'social', 'email'] as const;
export type Channel = (typeof channels)[number];

export const channelLabels: Record<Channel, string> = {
  phone: 'Phone',
  web: 'Web form',
  sms: 'SMS',
  social: 'Social media',
  email: 'Email',
};

export function isCaseType(value: unknown): value is CaseType {
  return typeof value === 'string' && (caseTypes as readonly string[]).includes(value);
}

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (channels as readonly string[]).includes(value);
}
