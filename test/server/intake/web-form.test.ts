import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeReference, validateReference } from '../../../src-shared/domain/reference-number';
import { DECOY_DESK_TAG, INTAKE_DESK_TAG, INTAKE_USER } from '../../../src-server/intake/intake-store';
import { HONEYPOT_FIELD } from '../../../src-server/intake/web-form';
import { PATIENT, startIntakeApi, type IntakeHarness } from './intake-harness';

const QUESTION = 'How do I get a copy of my discharge letter from the ward?';

function questionForm(overrides: Record<string, string> = {}): Record<string, string> {
  return { type: 'question', providerId: '', description: QUESTION, name: '', contactMethod: 'email', contactPhone: '', contactEmail: PATIENT.email, [HONEYPOT_FIELD]: '', ...overrides };
}

/** Follows the form's redirect to the confirmation page and returns the reference it shows. */
async function confirmationReference(api: IntakeHarness, response: Response): Promise<string> {
  expect(response.status).toBe(303);
  const page = await fetch(`${api.base}${response.headers.get('location')}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const shown = /<strong>(CC-[0-9A-Z]{4}-[0-9A-Z]{4})<\/strong>/.exec(html)?.[1];
  expect(shown, 'the confirmation page shows a reference').toBeDefined();
  return shown!;
}

describe('the web contact form', () => {
  let api: IntakeHarness;
  beforeEach(async () => {
    api = await startIntakeApi({ intake: { webRateLimit: { limit: 4, windowMs: 60 * 60 * 1000 } } });
  });
  afterEach(async () => {
    await api.close();
  });

  it('is a plain accessible page: labelled fields, no script, and a CSP that allows none', async () => {
    const response = await fetch(`${api.base}/contact`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain('<html lang="en-GB">');
    expect(html).not.toMatch(/<script|\son[a-z]+=|style="/i);
    // Every visible control has a label pointing at it, and radios sit in fieldsets with a legend.
    for (const id of ['type-question', 'type-feedback', 'providerId', 'description', 'name', 'publishConsent', 'showNameConsent', 'contactMethod-none', 'contactMethod-phone', 'contactMethod-email', 'contactPhone', 'contactEmail']) {
      expect(html, id).toContain(`<label for="${id}">`);
      expect(html, id).toContain(`id="${id}"`);
    }
    expect(html.match(/<fieldset/g)?.length).toBe(3);
    expect(html).toContain('<legend>What would you like to do?</legend>');
    // Providers come from the reference data.
    expect(html).toContain('St George’s Hospital');
    const css = await fetch(`${api.base}/contact/contact.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('turns a question into a web case in the first team, shows its reference, and desks pull it whole', async () => {
    const response = await api.postForm(questionForm({ name: PATIENT.name }));
    const reference = await confirmationReference(api, response);
    expect(validateReference(reference).ok).toBe(true);
    expect(decodeReference(reference)?.deskTag).toBe(INTAKE_DESK_TAG);

    const handler = await api.tokenFor(api.users.handler.email);
    const changes = await api.pullAll(handler);
    const pulledCase = changes.find((change) => change.entity === 'case')?.data as { id: string; reference: string; ownerId: string; fields: Record<string, unknown> };
    expect(pulledCase.reference).toBe(reference);
    expect(pulledCase.ownerId).toBe(INTAKE_USER.id);
    expect(pulledCase.fields).toMatchObject({ type: 'question', channel: 'web', description: QUESTION, contactMethod: 'email', contactEmail: PATIENT.email, contactPhone: null });
    const created = changes.find((change) => change.entity === 'caseEvent')?.data as { kind: string; value: { reference: string } };
    expect(created).toMatchObject({ kind: 'created', value: { reference, channel: 'web' } });
    const caller = changes.find((change) => change.entity === 'caller')?.data as { id: string; name: string };
    expect(caller.name).toBe(PATIENT.name);
    expect(pulledCase.fields.callerId).toBe(caller.id);
    // The other team's desks see none of it.
    const other = await api.pullAll(await api.tokenFor(api.users.otherTeam.email));
    expect(other.filter((change) => change.entity === 'case' || change.entity === 'caseEvent')).toEqual([]);
    // And the case can be read through the API.
    const read = await api.call('GET', `/cases/${pulledCase.id}`, { token: handler });
    expect(((await read.json()) as { case: { reference: string } }).case.reference).toBe(reference);
  });

  it('keeps feedback with its provider, consents and a phone number in E.164', async () => {
    const response = await api.postForm(
      questionForm({ type: 'feedback', providerId: 'rj7', description: 'The nurses on the ward were kind.', name: PATIENT.name, publishConsent: 'yes', showNameConsent: 'yes', contactMethod: 'phone', contactPhone: PATIENT.mobileAsTyped, contactEmail: '' }),
    );
    await confirmationReference(api, response);
    const row = await api.store.db.selectFrom('cases').selectAll().executeTakeFirstOrThrow();
    expect(row.channel).toBe('web');
    expect(JSON.parse(row.fields)).toMatchObject({ type: 'feedback', providerId: 'rj7', contactMethod: 'phone', contactPhone: PATIENT.mobile, flags: { publishConsent: true, showNameConsent: true } });
  });

  it('shows every mistake with a link to its field, keeps what was typed, and stores nothing', async () => {
    const typed = { type: 'feedback', providerId: '', description: 'Waited <b>six hours</b> & nobody came', name: PATIENT.name, showNameConsent: 'yes', contactMethod: 'phone', contactPhone: '12345', contactEmail: 'not-an-address' };
    const response = await api.postForm(questionForm(typed));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<title>Error: Ask a question or give feedback');
    expect(html).toContain('There is a problem');
    const summary = html.slice(html.indexOf('error-summary'), html.indexOf('</ul>'));
    expect(summary).toContain('<a href="#providerId">Choose the hospital or service your feedback is about.</a>');
    expect(summary).toContain('<a href="#showNameConsent">We can only show your name on feedback we may publish.');
    expect(summary).toContain('<a href="#contactPhone">Enter a UK phone number, like 07400 123456.</a>');
    expect(summary).toContain('<a href="#contactEmail">Enter an email address, like name@example.com.</a>');
    // Each field's error is beside it and announced with it.
    expect(html).toContain('<p class="error-message" id="contactPhone-error">');
    expect(html).toMatch(/id="contactPhone"[^>]*aria-describedby="contactPhone-hint contactPhone-error"[^>]*aria-invalid="true"/);
    // What was typed comes back, escaped.
    expect(html).toContain('>Waited &lt;b&gt;six hours&lt;/b&gt; &amp; nobody came</textarea>');
    expect(html).toContain('value="12345"');
    expect(html).toContain('value="not-an-address"');
    expect(html).toMatch(/id="type-feedback" name="type" value="feedback" checked/);
    expect(html).toMatch(/id="showNameConsent" name="showNameConsent" value="yes" checked/);
    for (const table of ['cases', 'case_events', 'callers', 'changes'] as const) {
      expect(await api.count(table), table).toBe(table === 'changes' ? await changesBefore(api) : 0);
    }
  });

  it('refuses a question with nothing written, and an unknown provider', async () => {
    const response = await api.postForm(questionForm({ description: '   ', providerId: 'not-a-provider', contactMethod: '' }));
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(html).toContain('<a href="#providerId">Choose the hospital or service from the list.</a>');
    expect(html).toContain('<a href="#description">Write your question.</a>');
    expect(html).toContain('<a href="#contactMethod-none">Choose how you would like us to reply.</a>');
    expect(await api.count('cases')).toBe(0);
  });

  it('refuses text over the limit with the count, and a body over the size limit', async () => {
    const long = await api.postForm(questionForm({ description: 'x'.repeat(5_001) }));
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('What you write can be at most 5,000 characters; this is 5,001.');
    const huge = await api.postForm(questionForm({ description: 'x'.repeat(70_000) }));
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('What you sent was too long.');
    expect(await api.count('cases')).toBe(0);
  });

  it('pretends a filled honeypot worked, with a reference that no case can ever have, and stores nothing', async () => {
    const response = await api.postForm(questionForm({ [HONEYPOT_FIELD]: 'http://spam.example' }));
    const reference = await confirmationReference(api, response);
    expect(decodeReference(reference)?.deskTag).toBe(DECOY_DESK_TAG);
    expect(await api.count('cases')).toBe(0);
    expect(await api.count('callers')).toBe(0);
  });

  it('limits submissions per address, and lets them through again after the window', async () => {
    for (let i = 0; i < 4; i += 1) expect((await api.postForm(questionForm())).status).toBe(303);
    const limited = await api.postForm(questionForm());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Please wait before sending again');
    expect(await api.count('cases')).toBe(4);
    api.clock.advance(60 * 60 * 1000 + 1);
    expect((await api.postForm(questionForm())).status).toBe(303);
    expect(await api.count('cases')).toBe(5);
  });

  it('gives references that never repeat', async () => {
    const references = new Set<string>();
    for (let i = 0; i < 4; i += 1) references.add(await confirmationReference(api, await api.postForm(questionForm())));
    expect(references.size).toBe(4);
  });

  it('logs no personal data', async () => {
    await api.postForm(questionForm({ name: PATIENT.name, contactMethod: 'phone', contactPhone: PATIENT.mobileAsTyped }));
    await api.postForm(questionForm({ contactEmail: 'broken@', description: 'Secret words about my care' }));
    const logs = api.log.text();
    expect(logs).toContain('contact form case created');
    expect(logs).toContain('contact form refused');
    for (const personal of [PATIENT.name, PATIENT.email, PATIENT.mobile, '7400 123456', '7400123456', 'broken@', QUESTION, 'Secret words']) expect(logs).not.toContain(personal);
  });
});

/** The change rows written before any submission: the users' and providers' own. */
async function changesBefore(api: IntakeHarness): Promise<number> {
  const rows = await api.store.db.selectFrom('changes').select('entity').execute();
  return rows.filter((row) => row.entity === 'user' || row.entity === 'provider').length;
}
