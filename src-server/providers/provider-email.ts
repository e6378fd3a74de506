import { categoryLabels, isCategory } from '../../src-shared/domain/categories';
import type { PreparedReferral } from './provider-store';

/**
 * The email that takes a case to its provider. It holds the link (the only place the token ever is) and, when the
 * referral is by summary, the moderated description; never the caller's words or contact details.
 */
export function providerEmail(prepared: PreparedReferral, link: string): { to: string; subject: string; text: string } {
  const category = prepared.case.fields.category;
  const about = category && isCategory(category) ? categoryLabels[category] : 'Patient feedback';
  const until = new Date(prepared.expiresAt).toUTCString().slice(0, 16);
  const lines = [
    `Dear colleague at ${prepared.provider.name},`,
    '',
    `A patient has given feedback to Care Connect about care at ${prepared.provider.name} (${about}). Our reference is ${prepared.case.reference}.`,
    '',
  ];
  if (prepared.moderated) lines.push('What the patient told us, with anything that could identify them removed:', '', prepared.summary, '');
  lines.push(
    'Please read it and respond here:',
    link,
    '',
    `The link works until ${until}. It is for your organisation only: please do not forward it.`,
    '',
    'Care Connect',
  );
  return { to: prepared.provider.email, subject: `Patient feedback for ${prepared.provider.name}: please respond (${prepared.case.reference})`, text: lines.join('\n') };
}
