import { escapeHtml } from '../intake/web-form';
import type { ProviderOutcome, ProviderView } from './provider-store';
import { PROVIDER_RESPONSE_LIMIT } from './provider-store';

/**
 * The provider's page behind its link: what it may see of the case and a form for its response. Server-rendered, no
 * script, after the GOV.UK Design System's patterns (labels, radios in a fieldset, an error summary that links to the
 * field, the error beside it). Never cached and never sent as a referrer: the address holds the link's secret.
 */

export const PROVIDER_PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
} as const;

export const outcomeLabels: Record<ProviderOutcome, string> = {
  acknowledged: 'We have received this and are looking into it',
  responded: 'This is an update; we are still working on it',
  addressed: 'We have addressed this',
};

export interface ProviderFormValues {
  outcome?: string;
  response?: string;
  publishable?: string;
}

export interface ProviderFormError {
  field: 'outcome' | 'response';
  message: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function monthText(month: string): string {
  const [year, m] = month.split('-');
  return `${MONTHS[Number(m) - 1] ?? ''} ${year ?? ''}`.trim();
}

function dayText(iso: string): string {
  const date = new Date(iso);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function page(title: string, main: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)} – Care Connect</title>
<link rel="stylesheet" href="/public/feedback.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="site"><p class="service">Care Connect: feedback for providers</p></header>
<main id="main">
${main}
</main>
</body>
</html>
`;
}

/** Reads the posted form. */
export function readProviderForm(params: Record<string, string | string[]>): ProviderFormValues {
  const first = (name: string) => {
    const raw = params[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    return typeof value === 'string' ? value : undefined;
  };
  const values: ProviderFormValues = {};
  for (const name of ['outcome', 'response', 'publishable'] as const) {
    const value = first(name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

export function validateProviderForm(values: ProviderFormValues): { ok: true; outcome: ProviderOutcome; text: string; publishable: boolean } | { ok: false; errors: ProviderFormError[] } {
  const errors: ProviderFormError[] = [];
  const outcome = values.outcome === 'acknowledged' || values.outcome === 'responded' || values.outcome === 'addressed' ? values.outcome : null;
  if (!outcome) errors.push({ field: 'outcome', message: 'Choose what your response says.' });
  const text = (values.response ?? '').trim();
  if (text === '') errors.push({ field: 'response', message: 'Write your response.' });
  else if (text.length > PROVIDER_RESPONSE_LIMIT) errors.push({ field: 'response', message: `Your response can be at most ${PROVIDER_RESPONSE_LIMIT.toLocaleString('en-GB')} characters; this is ${text.length.toLocaleString('en-GB')}.` });
  if (errors.length > 0 || !outcome) return { ok: false, errors };
  return { ok: true, outcome, text, publishable: values.publishable === 'yes' };
}

export function renderProviderPage(input: { view: ProviderView; action: string; values?: ProviderFormValues; errors?: ProviderFormError[]; sent?: boolean }): string {
  const { view, action } = input;
  const values = input.values ?? {};
  const errors = input.errors ?? [];
  const errorOf = (field: ProviderFormError['field']) => errors.find((error) => error.field === field);
  const summary = errors.length
    ? `<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title"><h2 id="error-summary-title">There is a problem</h2><ul>${errors
        .map((error) => `<li><a href="#${error.field === 'outcome' ? 'outcome-acknowledged' : 'response'}">${escapeHtml(error.message)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  const sent = input.sent ? `<div class="panel" role="status"><h2>Thank you, your response has been recorded</h2><p>You can add to it below until the link expires.</p></div>` : '';
  const facts = [
    ['Reference', view.reference],
    ['About', view.categoryLabel ?? 'Not given'],
    ...(view.department ? [['Department or service', view.department]] : []),
    ['Feedback given in', monthText(view.month)],
    ['This link works until', dayText(view.expiresAt)],
    ...(view.acknowledgedAt ? [['You acknowledged it on', dayText(view.acknowledgedAt)]] : []),
    ...(view.addressedAt ? [['You marked it addressed on', dayText(view.addressedAt)]] : []),
  ]
    .map(([term, detail]) => `<dt>${escapeHtml(term!)}</dt><dd>${escapeHtml(detail!)}</dd>`)
    .join('');
  const responses = view.responses.length
    ? `<h2>Your responses so far</h2><ol>${view.responses.map((r) => `<li><p><strong>${escapeHtml(outcomeLabels[r.outcome])}</strong>, ${escapeHtml(dayText(r.at))}</p><p>${escapeHtml(r.text).replace(/\n/g, '<br>')}</p></li>`).join('')}</ol>`
    : '';
  const radio = (value: ProviderOutcome) =>
    `<div class="radio"><input type="radio" id="outcome-${value}" name="outcome" value="${value}"${values.outcome === value ? ' checked' : ''}><label for="outcome-${value}">${escapeHtml(outcomeLabels[value])}</label></div>`;
  const outcomeError = errorOf('outcome');
  const responseError = errorOf('response');
  const main = `${summary}${sent}
<h1>Feedback for ${escapeHtml(view.providerName)}</h1>
<p>A patient gave this feedback to Care Connect about care at ${escapeHtml(view.providerName)}. Please respond below. This page is for your organisation only: do not forward its address.</p>
<dl>${facts}</dl>
<h2>What the patient told us</h2>
<div class="summary">${escapeHtml(view.summary).replace(/\n/g, '<br>')}</div>
${responses}
<h2>Your response</h2>
<form method="post" action="${escapeHtml(action)}" novalidate accept-charset="utf-8">
<div class="form-group${outcomeError ? ' form-group-error' : ''}"><fieldset${outcomeError ? ' aria-describedby="outcome-error"' : ''}><legend>What does your response say?</legend>${outcomeError ? `<p class="error-message" id="outcome-error"><span class="visually-hidden">Error:</span> ${escapeHtml(outcomeError.message)}</p>` : ''}${radio('acknowledged')}${radio('responded')}${radio('addressed')}</fieldset></div>
<div class="form-group${responseError ? ' form-group-error' : ''}"><label for="response">Your response</label><p class="hint" id="response-hint">Up to ${PROVIDER_RESPONSE_LIMIT.toLocaleString('en-GB')} characters. Do not include the patient’s personal details.</p>${responseError ? `<p class="error-message" id="response-error"><span class="visually-hidden">Error:</span> ${escapeHtml(responseError.message)}</p>` : ''}<textarea id="response" name="response" rows="8" maxlength="${PROVIDER_RESPONSE_LIMIT}" aria-describedby="response-hint${responseError ? ' response-error' : ''}"${responseError ? ' aria-invalid="true"' : ''}>${escapeHtml(values.response ?? '')}</textarea></div>
<div class="form-group"><div class="checkbox"><input type="checkbox" id="publishable" name="publishable" value="yes"${values.publishable === 'yes' ? ' checked' : ''}><label for="publishable">You may publish this response beside the feedback, after a moderator has checked it</label></div></div>
<button type="submit">Send response</button>
</form>`;
  return page(errors.length ? `Error: Feedback for ${view.providerName}` : `Feedback for ${view.providerName}`, main);
}

const linkMessages: Record<'unknown' | 'revoked' | 'expired' | 'gone', { title: string; message: string }> = {
  unknown: { title: 'This link is not valid', message: 'Check that you copied the whole link from the email. If it still does not work, contact Care Connect and quote the reference in the email.' },
  revoked: { title: 'This link has been withdrawn', message: 'Care Connect has withdrawn this link, or sent a newer one. Use the link in the most recent email.' },
  expired: { title: 'This link has expired', message: 'Contact Care Connect and quote the reference in the email, and we will send a new link.' },
  gone: { title: 'This feedback is no longer available', message: 'Contact Care Connect and quote the reference in the email.' },
};

export function renderLinkProblem(why: keyof typeof linkMessages): string {
  const { title, message } = linkMessages[why];
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

export function renderProviderTooMany(wait: number): string {
  return page('Please wait', `<h1>Please wait before trying again</h1><p>We have had a lot of requests from this connection. Try again in ${Math.max(1, Math.ceil(wait / 60))} minutes.</p>`);
}

export function renderProviderUnavailable(): string {
  return page('Not available', '<h1>Sorry, this page is not available at the moment</h1><p>Please try again later.</p>');
}

export function renderProviderTooLong(): string {
  return page('Too long', `<h1>What you sent was too long</h1><p>Shorten your response to ${PROVIDER_RESPONSE_LIMIT.toLocaleString('en-GB')} characters or fewer, go back and send it again.</p>`);
}
