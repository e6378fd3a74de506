import { describe, expect, it } from 'vitest';
import { caseTypeLabels, caseTypes, channelLabels, channels, isCaseType, isChannel } from '../../../src-shared/domain/case-types';

describe('case types and channels', () => {
  it('offers question, feedback and general enquiry, labelled for the handler', () => {
    expect(caseTypes).toEqual(['question', 'feedback', 'general-enquiry']);
    expect(caseTypeLabels).toEqual({ question: 'Question', feedback: 'Feedback or concern', 'general-enquiry': 'General enquiry' });
  });

  it('offers the five channels the service takes contacts on, labelled for the handler', () => {
    expect(channels).toEqual(['phone', 'web', 'sms', 'social', 'email']);
    expect(channelLabels).toEqual({ phone: 'Phone', web: 'Web form', sms: 'SMS', social: 'Social media', email: 'Email' });
  });

  it('recognises only the declared types and channels, not inherited names or other values', () => {
    for (const type of caseTypes) expect(isCaseType(type)).toBe(true);
    for (const channel of channels) expect(isChannel(channel)).toBe(true);
    for (const other of ['complaint', 'Question', 'toString', '', null, 1]) {
      expect(isCaseType(other)).toBe(false);
      expect(isChannel(other)).toBe(false);
    }
  });
});
