/**
 * Reply templates for the shared inbox. A shared list rather than reference data on the central API: they are the
 * service's standard wording, they change with a release rather than day to day, and the handler always edits the
 * text before sending. (Making them editable by administrators would add a table, admin routes and a synced entity;
 * worth it once a service asks to change the wording itself.) `{reference}` is replaced with the case's reference.
 */
export interface ReplyTemplate {
  id: string;
  label: string;
  text: string;
}

export const replyTemplates: readonly ReplyTemplate[] = [
  {
    id: 'acknowledge',
    label: 'We have your message',
    text: 'Thank you for contacting Care Connect. We have your message and will reply as soon as we can. Your reference is {reference}.',
  },
  {
    id: 'more-detail',
    label: 'Ask for more detail',
    text: 'Thank you for getting in touch. So that we can help, please tell us a little more: which hospital or service this is about, and roughly when it happened. Your reference is {reference}.',
  },
  {
    id: 'answered',
    label: 'Answer and close',
    text: 'Thank you for your question. \n\nIf you need anything else, reply to this message and quote {reference}.',
  },
  {
    id: 'not-for-us',
    label: 'Not something we can help with',
    text: 'Thank you for contacting Care Connect. This is not something we can help with, but NHS 111 can: call 111 or visit 111.nhs.uk. Your reference is {reference}.',
  },
];

/** The template's text for this case. */
export function fillTemplate(template: ReplyTemplate, values: { reference: string }): string {
  return template.text.replaceAll('{reference}', values.reference);
}
