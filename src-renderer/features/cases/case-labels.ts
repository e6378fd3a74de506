import { caseFlagLabels, type CaseFieldName } from '../../../src-shared/domain/case-record';
import { caseTypeLabels, channelLabels } from '../../../src-shared/domain/case-types';
import { categoryLabels, type Category } from '../../../src-shared/domain/categories';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import { statusLabels, type CaseStatus } from '../../../src-shared/domain/statuses';

/** What each field is called on screen and in the timeline. */
export const fieldLabels: Record<CaseFieldName, string> = {
  type: 'Type',
  channel: 'Channel',
  category: 'Category',
  providerId: 'Provider',
  department: 'Department or service',
  description: 'What the caller said',
  priority: 'Priority',
  flags: 'Flags and consents',
  commissioning: 'Commissioning',
  contactMethod: 'Preferred contact',
  contactPhone: 'Phone number to call back on',
  contactEmail: 'Email address to reply to',
  callerId: 'Caller',
  previousReference: 'Previous case reference',
};

/**
 * A field's value in words, for the timeline. `names` are the case's callers and providers by id (the case detail's
 * `names`): a handler reads "Caller: nothing → Ann Jones", never an id.
 */
export function describeValue(field: string, value: unknown, names: Readonly<Record<string, string>> = {}): string {
  if (value === null || value === undefined || value === '') return 'nothing';
  switch (field) {
    case 'callerId':
      return names[String(value)] ?? 'a caller not on this desk';
    case 'providerId':
      return names[String(value)] ?? 'a provider not on this desk';
    case 'type':
      return caseTypeLabels[value as keyof typeof caseTypeLabels] ?? String(value);
    case 'channel':
      return channelLabels[value as keyof typeof channelLabels] ?? String(value);
    case 'category':
      return categoryLabels[value as Category] ?? String(value);
    case 'status':
      return statusLabels[value as CaseStatus] ?? String(value);
    case 'contactPhone':
      return formatPhoneNumber(String(value));
    case 'flags': {
      const on = Object.entries(value as Record<string, boolean>)
        .filter(([, set]) => set)
        .map(([name]) => caseFlagLabels[name as keyof typeof caseFlagLabels] ?? name);
      return on.length ? on.join(', ') : 'none';
    }
    case 'priority':
      return value === 'high' ? 'High (happening now)' : 'Normal';
    default:
      return String(value);
  }
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "14:02" today, "3 Nov, 14:02" otherwise. */
export function formatWhen(iso: string, now = Date.now()): string {
  const date = new Date(iso);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay ? timeFormat.format(date) : dateTimeFormat.format(date);
}
