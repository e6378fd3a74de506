import { CASE_LIMITS, defaultCaseFields, type CaseFields } from '../../src-shared/domain/case-record';
import { EMAIL_ADDRESS_MESSAGE, normaliseEmail } from '../../src-shared/domain/email-address';
import { normalisePhoneNumber, PHONE_INPUT_MAX_LENGTH } from '../../src-shared/domain/phone-number';

/**
 * The public "contact us" form: what a patient may send, how it is checked, and the pages that show it. Plain
 * server-rendered HTML that works with no JavaScript, after the GOV.UK Design System's patterns: labels on every
 * field, radios in fieldsets, an error summary whose links move focus to the field, and each field's error next to it.
 */

/** The most a patient may write in one go: a generous letter, and a bound on what a bot can post. */
export const WEB_FORM_TEXT_LIMIT = 5_000;
/** The honeypot: a box people never see or fill in. A browser's autofill does not know the name. */
export const HONEYPOT_FIELD = 'contact_me_by_fax_only';

export type WebFormField = 'type' | 'providerId' | 'description' | 'name' | 'publishConsent' | 'showNameConsent' | 'contactMethod' | 'contactPhone' | 'contactEmail';

/** What was typed, as text, so a form with mistakes comes back exactly as it was sent. */
export type WebFormValues = Partial<Record<WebFormField | typeof HONEYPOT_FIELD, string>>;

export interface WebFormError {
  field: WebFormField;
  message: string;
}

export interface WebSubmission {
  fields: CaseFields;
  name: string | null;
}

export interface ProviderOption {
  id: string;
  name: string;
}

const FIELD_ORDER: readonly WebFormField[] = ['type', 'providerId', 'description', 'name', 'publishConsent', 'showNameConsent', 'contactMethod', 'contactPhone', 'contactEmail'];

/** The id of the element an error summary link moves to: the first radio of a group, or the field itself. */
export function fieldAnchor(field: WebFormField): string {
  if (field === 'type') return 'type-question';
  if (field === 'contactMethod') return 'contactMethod-none';
  return field;
}

function count(value: number): string {
  return value.toLocaleString('en-GB');
}

/** Reads the posted form: one string per field (the first, if a name was sent twice); anything else is ignored. */
export function readWebForm(params: Record<string, string | string[]>): WebFormValues {
  const values: WebFormValues = {};
  for (const name of [...FIELD_ORDER, HONEYPOT_FIELD] as const) {
    const raw = params[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

/** True when the honeypot has anything in it: a bot filled every box it found. */
export function caughtByHoneypot(values: WebFormValues): boolean {
  return (values[HONEYPOT_FIELD] ?? '').trim() !== '';
}

/**
 * Checks a submission with the case's own rules (phone numbers, email addresses, lengths, consents) and says what to
 * change, in the patient's terms, for every field at once; or returns the case fields to store.
 */
export function validateWebForm(values: WebFormValues, providers: readonly ProviderOption[]): { ok: true; submission: WebSubmission } | { ok: false; errors: WebFormError[] } {
  const errors: WebFormError[] = [];
  const fail = (field: WebFormField, message: string) => errors.push({ field, message });

  const type = values.type === 'question' || values.type === 'feedback' ? values.type : null;
  if (!type) fail('type', 'Choose whether you are asking a question or giving feedback.');

  const providerId = (values.providerId ?? '').trim();
  if (providerId !== '' && !providers.some((provider) => provider.id === providerId)) fail('providerId', 'Choose the hospital or service from the list.');
  else if (providerId === '' && type === 'feedback') fail('providerId', 'Choose the hospital or service your feedback is about.');

  const description = values.description ?? '';
  if (description.trim() === '') fail('description', type === 'question' ? 'Write your question.' : 'Tell us what happened.');
  else if (description.length > WEB_FORM_TEXT_LIMIT) fail('description', `What you write can be at most ${count(WEB_FORM_TEXT_LIMIT)} characters; this is ${count(description.length)}.`);

  const name = (values.name ?? '').trim();
  if (name.length > CASE_LIMITS.callerName) fail('name', `Your name can be at most ${count(CASE_LIMITS.callerName)} characters.`);

  const publishConsent = values.publishConsent === 'yes';
  const showNameConsent = values.showNameConsent === 'yes';
  if (showNameConsent && !publishConsent) fail('showNameConsent', 'We can only show your name on feedback we may publish. Tick “You may publish my feedback”, or untick this box.');
  else if (showNameConsent && name === '') fail('showNameConsent', 'Enter your name above, or untick this box.');

  const method = values.contactMethod === 'none' || values.contactMethod === 'phone' || values.contactMethod === 'email' ? values.contactMethod : null;
  if (!method) fail('contactMethod', 'Choose how you would like us to reply.');

  let contactPhone: string | null = null;
  const phoneText = (values.contactPhone ?? '').trim();
  if (phoneText !== '') {
    const phone = phoneText.length > PHONE_INPUT_MAX_LENGTH ? null : normalisePhoneNumber(phoneText);
    if (phone?.ok) contactPhone = phone.e164;
    else fail('contactPhone', phone?.message ?? 'Enter a UK phone number, like 07400 123456.');
  } else if (method === 'phone') fail('contactPhone', 'Enter the phone number we should call you on.');

  let contactEmail: string | null = null;
  const emailText = (values.contactEmail ?? '').trim();
  if (emailText !== '') {
    const email = normaliseEmail(emailText);
    if (email.ok) contactEmail = email.email;
    else fail('contactEmail', EMAIL_ADDRESS_MESSAGE);
  } else if (method === 'email') fail('contactEmail', 'Enter the email address we should reply to.');

  if (errors.length > 0 || !type || !method) {
    errors.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
    return { ok: false, errors };
  }
  const fields: CaseFields = {
    ...defaultCaseFields(type, 'web'),
    providerId: providerId === '' ? null : providerId,
    description,
    flags: { ...defaultCaseFields(type, 'web').flags, publishConsent, showNameConsent },
    contactMethod: method,
    contactPhone,
    contactEmail,
  };
  return { ok: true, submission: { fields, name: name === '' ? null : name } };
}

// ---- Pages ----

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Every page's headers: no script at all, styles only from this API, never framed, never cached (it may hold what was typed). */
export const WEB_PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

function page(title: string, main: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Care Connect</title>
<link rel="stylesheet" href="/contact/contact.css">
</head>
<body>
<header class="site"><p class="service">Care Connect: patient feedback and questions</p></header>
<main id="main">
${main}
</main>
</body>
</html>
`;
}

function errorFor(field: WebFormField, errors: readonly WebFormError[]): WebFormError | undefined {
  return errors.find((error) => error.field === field);
}

/** `aria-describedby` for a control: its hint and its error, when it has them. */
function describedBy(field: WebFormField, errors: readonly WebFormError[], hint: boolean): string {
  const ids = [hint ? `${field}-hint` : null, errorFor(field, errors) ? `${field}-error` : null].filter(Boolean);
  return ids.length ? ` aria-describedby="${ids.join(' ')}"` : '';
}

function errorMessage(field: WebFormField, errors: readonly WebFormError[]): string {
  const error = errorFor(field, errors);
  return error ? `<p class="error-message" id="${field}-error"><span class="visually-hidden">Error:</span> ${escapeHtml(error.message)}</p>` : '';
}

function group(field: WebFormField, errors: readonly WebFormError[], inner: string): string {
  return `<div class="form-group${errorFor(field, errors) ? ' form-group-error' : ''}">${inner}</div>`;
}

function radio(field: WebFormField, value: string, label: string, values: WebFormValues): string {
  const id = `${field}-${value}`;
  return `<div class="radio"><input type="radio" id="${id}" name="${field}" value="${value}"${values[field] === value ? ' checked' : ''}><label for="${id}">${escapeHtml(label)}</label></div>`;
}

function checkbox(field: WebFormField, label: string, values: WebFormValues, errors: readonly WebFormError[]): string {
  return group(
    field,
    errors,
    `${errorMessage(field, errors)}<div class="checkbox"><input type="checkbox" id="${field}" name="${field}" value="yes"${values[field] === 'yes' ? ' checked' : ''}${describedBy(field, errors, false)}${errorFor(field, errors) ? ' aria-invalid="true"' : ''}><label for="${field}">${escapeHtml(label)}</label></div>`,
  );
}

function textInput(field: WebFormField, label: string, values: WebFormValues, errors: readonly WebFormError[], options: { type?: string; autocomplete: string; hint?: string; maxlength: number }): string {
  const invalid = errorFor(field, errors) ? ' aria-invalid="true"' : '';
  return group(
    field,
    errors,
    `<label for="${field}">${escapeHtml(label)}</label>${options.hint ? `<p class="hint" id="${field}-hint">${escapeHtml(options.hint)}</p>` : ''}${errorMessage(field, errors)}<input type="${options.type ?? 'text'}" id="${field}" name="${field}" autocomplete="${options.autocomplete}" maxlength="${options.maxlength}" value="${escapeHtml(values[field] ?? '')}"${describedBy(field, errors, Boolean(options.hint))}${invalid}>`,
  );
}

/** The form, empty or as it was sent with what to change. */
export function renderContactForm(input: { values: WebFormValues; errors: readonly WebFormError[]; providers: readonly ProviderOption[] }): string {
  const { values, errors, providers } = input;
  const summary = errors.length
    ? `<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title"><h2 id="error-summary-title">There is a problem</h2><ul>${errors
        .map((error) => `<li><a href="#${fieldAnchor(error.field)}">${escapeHtml(error.message)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  const fieldset = (field: WebFormField, legend: string, hint: string | null, inner: string) =>
    group(field, errors, `<fieldset${describedBy(field, errors, hint !== null)}><legend>${escapeHtml(legend)}</legend>${hint ? `<p class="hint" id="${field}-hint">${escapeHtml(hint)}</p>` : ''}${errorMessage(field, errors)}${inner}</fieldset>`);
  const providerInvalid = errorFor('providerId', errors) ? ' aria-invalid="true"' : '';
  const descriptionInvalid = errorFor('description', errors) ? ' aria-invalid="true"' : '';
  const main = `${summary}
<h1>Ask a question or give feedback</h1>
<p>Tell us about care you or someone you know had at a hospital, GP practice or other health service, or ask us a question. We will give you a reference number.</p>
<p>If you need medical help now, call 111, or 999 in an emergency.</p>
<form method="post" action="/contact" novalidate accept-charset="utf-8">
${fieldset('type', 'What would you like to do?', null, radio('type', 'question', 'Ask a question', values) + radio('type', 'feedback', 'Give feedback about care', values))}
${group(
  'providerId',
  errors,
  `<label for="providerId">Hospital or service</label><p class="hint" id="providerId-hint">Needed for feedback. Leave it as it is if your question is not about one.</p>${errorMessage('providerId', errors)}<select id="providerId" name="providerId"${describedBy('providerId', errors, true)}${providerInvalid}><option value="">Choose a hospital or service</option>${providers
    .map((provider) => `<option value="${escapeHtml(provider.id)}"${values.providerId === provider.id ? ' selected' : ''}>${escapeHtml(provider.name)}</option>`)
    .join('')}</select>`,
)}
${group(
  'description',
  errors,
  `<label for="description">What happened, or what is your question?</label><p class="hint" id="description-hint">Up to ${count(WEB_FORM_TEXT_LIMIT)} characters. Please do not include anyone’s NHS number.</p>${errorMessage('description', errors)}<textarea id="description" name="description" rows="8" maxlength="${WEB_FORM_TEXT_LIMIT}"${describedBy('description', errors, true)}${descriptionInvalid}>${escapeHtml(values.description ?? '')}</textarea>`,
)}
${textInput('name', 'Your name (optional)', values, errors, { autocomplete: 'name', maxlength: CASE_LIMITS.callerName })}
${fieldset('publishConsent', 'Publishing your feedback', 'We publish feedback only after removing anything that could identify you.', checkbox('publishConsent', 'You may publish my feedback', values, errors) + checkbox('showNameConsent', 'You may show my name with it', values, errors))}
${fieldset('contactMethod', 'How would you like us to reply?', null, radio('contactMethod', 'none', 'I do not need a reply', values) + radio('contactMethod', 'phone', 'By phone', values) + radio('contactMethod', 'email', 'By email', values))}
${textInput('contactPhone', 'Phone number (if you chose phone)', values, errors, { type: 'tel', autocomplete: 'tel', hint: 'For example, 07400 123456', maxlength: PHONE_INPUT_MAX_LENGTH })}
${textInput('contactEmail', 'Email address (if you chose email)', values, errors, { type: 'email', autocomplete: 'email', maxlength: CASE_LIMITS.contactEmail })}
<div class="trap" aria-hidden="true"><label for="${HONEYPOT_FIELD}">Leave this box empty</label><input type="text" id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off" value=""></div>
<button type="submit">Send</button>
</form>`;
  return page(errors.length ? 'Error: Ask a question or give feedback' : 'Ask a question or give feedback', main);
}

export function renderConfirmation(reference: string): string {
  return page(
    'Sent',
    `<div class="panel" role="status"><h1>Thank you, we have it</h1><p>Your reference number is</p><p class="reference"><strong>${escapeHtml(reference)}</strong></p></div>
<p>Write this number down. Quote it if you contact us again about this, so we can find what you told us.</p>
<p>If you asked us to reply, we will do so by the way you chose.</p>
<p><a href="/contact">Send something else</a></p>`,
  );
}

export function renderTooMany(waitSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(waitSeconds / 60));
  return page(
    'Please wait',
    `<h1>Please wait before sending again</h1><p>We have had a lot from this connection in a short time. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.</p><p>If you need medical help now, call 111, or 999 in an emergency.</p>`,
  );
}

export function renderUnavailable(): string {
  return page('Not available', '<h1>Sorry, this form is not available at the moment</h1><p>Please try again later, or phone us.</p>');
}

export const CONTACT_CSS = `body{font-family:Arial,sans-serif;font-size:19px;line-height:1.4;color:#0b0c0c;margin:0}
header.site{background:#005eb8;color:#fff;padding:10px 20px}header.site p{margin:0;font-weight:bold}
main{max-width:640px;margin:0 auto;padding:20px}
.form-group{margin-bottom:28px}.form-group-error{border-left:5px solid #d4351c;padding-left:15px}
label,legend{display:block;font-weight:bold;margin-bottom:5px}fieldset{border:0;margin:0;padding:0}
.radio label,.checkbox label{display:inline;font-weight:normal;margin-left:8px}.radio,.checkbox{margin:8px 0}
input[type=text],input[type=tel],input[type=email],select,textarea{font:inherit;width:100%;box-sizing:border-box;border:2px solid #0b0c0c;padding:5px}
input[type=radio],input[type=checkbox]{width:24px;height:24px;vertical-align:middle}
[aria-invalid=true]{border-color:#d4351c}
:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
.hint{color:#505a5f;margin:0 0 5px}.error-message{color:#d4351c;font-weight:bold;margin:0 0 5px}
.error-summary{border:5px solid #d4351c;padding:15px;margin-bottom:30px}.error-summary a{color:#d4351c;font-weight:bold}
button{font:inherit;background:#00703c;color:#fff;border:0;padding:8px 12px;box-shadow:0 2px 0 #002d18;cursor:pointer}
.panel{background:#00703c;color:#fff;padding:20px;text-align:center;margin-bottom:20px}.reference{font-size:32px;letter-spacing:1px}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.trap{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
`;
