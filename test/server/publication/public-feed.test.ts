import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import { encodeReference } from '../../../src-shared/domain/reference-number';
import { startPublishingApi, type PublishingHarness } from '../moderation/publishing-harness';

interface FeedItem {
  id: string;
  provider: { code: string; name: string };
  category: string;
  month: string;
  description: string;
  response: { text: string; month: string } | null;
  status: string;
}
interface Feed {
  items: FeedItem[];
  total: number;
  page: number;
  pageSize: number;
}

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** A case whose every personal field holds a token no published text could hold by chance. */
const personalCase = fc.record({
  wordsToken: hex(12).map((h) => `wrd${h}`),
  nameToken: hex(10).map((h) => `Nm${h}`),
  emailToken: hex(10).map((h) => `em${h}`),
  departmentToken: hex(10).map((h) => `dep${h}`),
  phoneDigits: fc.integer({ min: 0, max: 999 }),
  referenceSeq: fc.integer({ min: 1, max: 2 ** 20 }),
  category: fc.constantFrom('staff-attitude', 'delays', 'food', 'parking'),
  secondProvider: fc.boolean(),
});

describe.each(['sqlite', 'postgres'] as const)('the public feed on %s', (dialect) => {
  let api: PublishingHarness;

  beforeAll(async () => {
    api = await startPublishingApi({ dialect });
  });
  afterAll(() => api.close());

  async function everything(): Promise<string> {
    const parts: string[] = [];
    for (let page = 1; ; page += 1) {
      const response = await api.call('GET', `/public/feedback?page=${page}`);
      const text = await response.text();
      parts.push(text);
      const feed = JSON.parse(text) as Feed;
      const html = await api.call('GET', `/public/feedback.html?page=${page}`);
      parts.push(await html.text());
      if (page * feed.pageSize >= feed.total) break;
    }
    for (const code of [api.providers.withEmail.odsCode, api.providers.withoutEmail.odsCode]) {
      parts.push(await (await api.call('GET', `/public/feedback?provider=${code}`)).text());
      parts.push(await (await api.call('GET', `/public/feedback.html?provider=${code}`)).text());
    }
    const open311 = await api.call('GET', '/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-03-31T00:00:00Z');
    const requests = (await open311.clone().json()) as { service_request_id: string }[];
    parts.push(await open311.text());
    for (const request of requests.slice(0, 10)) parts.push(await (await api.call('GET', `/open311/v2/requests/${request.service_request_id}.json`)).text());
    return parts.join('\n');
  }

  it('never shows the caller’s words, name, contact details, reference or ids, whatever they are', async () => {
    const secrets: string[] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(personalCase, { minLength: 1, maxLength: 4 }), async (cases) => {
        for (const c of cases) {
          n += 1;
          const phone = `+441134960${String(c.phoneDigits).padStart(3, '0')}`;
          const email = `${c.emailToken}@example.org`;
          const reference = encodeReference(7, c.referenceSeq);
          const created = await api.createCase({
            description: `${c.wordsToken} happened on the ward, ${c.nameToken} says; call ${formatPhoneNumber(phone)} or write to ${email}.`,
            callerName: `${c.nameToken} Smith`,
            contactPhone: phone,
            contactEmail: email,
            department: c.departmentToken,
            category: c.category as 'food',
            providerId: c.secondProvider ? api.providers.withoutEmail.id : api.providers.withEmail.id,
            reference,
            at: `2026-0${1 + (n % 3)}-1${n % 10}T12:00:00.000Z`,
          });
          const approved = await api.approve(created.caseId, `A patient described a problem with the service (number ${n}).`);
          expect(approved.status).toBe(200);
          secrets.push(c.wordsToken, c.nameToken, c.emailToken, c.departmentToken, phone, formatPhoneNumber(phone), phone.slice(3), reference, created.caseId);
        }
        const published = await everything();
        for (const secret of secrets) expect(published).not.toContain(secret);
        const lower = published.toLowerCase();
        for (const secret of secrets) expect(lower).not.toContain(secret.toLowerCase());
      }),
      { numRuns: 8 },
    );
    // The feed did hold what was published.
    const feed = (await (await api.call('GET', '/public/feedback')).json()) as Feed;
    expect(feed.total).toBeGreaterThanOrEqual(8);
    expect(feed.items[0]!.description).toMatch(/^A patient described a problem with the service/);
  });

  it('gives only the published fields, filters by provider and pages', async () => {
    const feed = (await (await api.call('GET', `/public/feedback?provider=${api.providers.withEmail.odsCode.toLowerCase()}`)).json()) as Feed & { provider: { code: string } };
    expect(feed.provider.code).toBe('RJ7');
    expect(feed.items.every((item) => item.provider.code === 'RJ7')).toBe(true);
    for (const item of feed.items) {
      expect(Object.keys(item).sort()).toEqual(['category', 'categoryLabel', 'description', 'id', 'month', 'provider', 'response', 'status', 'updated']);
      expect(item.month).toMatch(/^\d{4}-\d{2}$/);
    }
    const all = (await (await api.call('GET', '/public/feedback')).json()) as Feed;
    if (all.total > all.pageSize) {
      const second = (await (await api.call('GET', '/public/feedback?page=2')).json()) as Feed;
      expect(second.items.map((i) => i.id)).not.toContain(all.items[0]!.id);
    }
    const beyond = (await (await api.call('GET', '/public/feedback?page=999')).json()) as Feed;
    expect(beyond.items).toEqual([]);
  });

  it('refuses an unknown provider or a bad page with a clear error', async () => {
    const unknown = await api.call('GET', '/public/feedback?provider=ZZZ99');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('ZZZ99');
    expect((await api.call('GET', '/public/feedback?page=0')).status).toBe(400);
    expect((await api.call('GET', '/public/feedback?provider=%3Cscript%3E')).status).toBe(400);
    expect((await api.call('GET', '/public/feedback.html?provider=ZZZ99')).status).toBe(404);
    expect((await api.call('GET', '/public/feedback.html?page=abc')).status).toBe(400);
  });

  it('serves an accessible page with no script, a strict content security policy and a labelled filter', async () => {
    const response = await api.call('GET', `/public/feedback.html?provider=RJ7`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
    const html = await response.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<html lang="en-GB">');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<label for="provider">Provider</label>');
    expect(html).toContain('<option value="RJ7" selected>');
    expect(html).toMatch(/<time datetime="2026-0\d">/);
    const css = await api.call('GET', '/public/feedback.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('escapes what a moderator wrote', async () => {
    const { caseId } = await api.createCase({ description: 'Something happened' });
    const text = 'The sign said <b>closed</b> & "no entry".';
    // Published after the earlier tests' (the harness's clock stands still), so it is on the first page: among
    // publications of the same minute the order is by public id, which is random.
    api.clock.advance(60_000);
    const outcome = (await (await api.approve(caseId, text)).json()) as { publicId: string };
    const html = await (await api.call('GET', '/public/feedback.html')).text();
    expect(html).toContain('The sign said &lt;b&gt;closed&lt;/b&gt; &amp; &quot;no entry&quot;.');
    expect(outcome.publicId).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});

describe('the public endpoints’ rate limit', () => {
  let api: PublishingHarness;
  beforeAll(async () => {
    api = await startPublishingApi({ publishing: { publicRateLimit: { limit: 3, windowMs: 60_000 } } });
  });
  afterAll(() => api.close());

  it('refuses an address that asks too often, saying how long to wait, until the window passes', async () => {
    const statuses: number[] = [];
    for (const path of ['/public/feedback', '/public/feedback.html', '/open311/v2/services.json', '/open311/v2/requests.json']) statuses.push((await api.call('GET', path)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await api.call('GET', '/public/feedback');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    api.clock.advance(61_000);
    expect((await api.call('GET', '/public/feedback')).status).toBe(200);
  });
});
