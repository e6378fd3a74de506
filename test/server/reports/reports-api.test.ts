import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSummarySchema } from '../../../src-shared/reports/report-schema';
import { startApi, type ApiHarness } from '../api-harness';
import { seedReportFixture } from './report-seed';
import { FROM, TO } from '../../shared/reports/report-fixture';

/**
 * The report routes over real HTTP on loopback: the fixture's records in the harness's store (its own teams and
 * people), read as a supervisor and an administrator, and exported as CSV.
 */
describe('the report routes', () => {
  let api: ApiHarness;
  let supervisor = '';
  let admin = '';

  beforeAll(async () => {
    api = await startApi();
    supervisor = await api.tokenFor(api.users.supervisor.email);
    admin = await api.tokenFor(api.users.admin.email);
    await seedReportFixture(api, admin, '=HYPERLINK("http://evil.example","Leeds")');
  });
  afterAll(() => api.close());

  it('gives a supervisor their own team’s figures, whatever other teams did', async () => {
    const response = await api.call('GET', `/reports/summary?from=${FROM}&to=${TO}`, { token: supervisor });
    expect(response.status).toBe(200);
    const summary = reportSummarySchema.parse(await response.json());
    expect(summary.range.teamIds).toEqual([api.teams.a]);
    expect(summary.contacts.total).toBe(6);
    expect(summary.resolved.total).toBe(3);
    // The harness's team A has one handler: 1 x 8 h x 2,000 p + 1,200 p a day, over two working days.
    expect(summary.cost.totalCostPence).toBeCloseTo(2 * (16_000 + 1_200), 6);
    expect(summary.cost.costPerResolvedPence).toBeCloseTo((2 * 17_200) / 3, 6);
  });

  it('gives an administrator the whole organisation', async () => {
    const response = await api.call('GET', `/reports/summary?from=${FROM}&to=${TO}`, { token: admin });
    const summary = reportSummarySchema.parse(await response.json());
    expect(summary.contacts.total).toBe(7);
    expect(summary.calls.abandoned).toBe(2);
  });

  it('refuses a range that ends before it starts, or a day that does not exist, with a message', async () => {
    const backwards = await api.call('GET', '/reports/summary?from=2025-07-02&to=2025-07-01', { token: admin });
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain('start on or before');
    const nonsense = await api.call('GET', '/reports/summary?from=2025-02-30&to=2025-03-01', { token: admin });
    expect(nonsense.status).toBe(400);
  });

  it('exports a CSV whose totals match the summary and whose cells cannot run as formulas', async () => {
    const summary = reportSummarySchema.parse(await (await api.call('GET', `/reports/summary?from=${FROM}&to=${TO}`, { token: admin })).json());
    const response = await api.call('GET', `/reports/export.csv?from=${FROM}&to=${TO}`, { token: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain('attachment; filename="care-desk-report-2025-07-01-to-2025-07-02.csv"');
    const text = await response.text();
    const rows = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    const value = (section: string, item: string) => rows.find((row) => row.startsWith(`${section},${item},`))?.split(',').at(-1);
    expect(value('contacts', 'total')).toBe(String(summary.contacts.total));
    expect(value('resolved', 'total')).toBe(String(summary.resolved.total));
    expect(value('calls', 'abandoned')).toBe(String(summary.calls.abandoned));
    expect(value('cost', 'cost per resolved query (£)')).toBe(String(Math.round(summary.cost.costPerResolvedPence!) / 100));
    const byChannel = rows.filter((row) => row.startsWith('contacts by channel,')).reduce((sum, row) => sum + Number(row.split(',').at(-1)), 0);
    expect(byChannel).toBe(summary.contacts.total);
    const provider = rows.find((row) => row.startsWith('contacts by provider,') && row.includes('HYPERLINK'));
    expect(provider).toBe(`contacts by provider,"'=HYPERLINK(""http://evil.example"",""Leeds"")",2`);
  });

  it('lists the report routes in the OpenAPI description', async () => {
    const openApi = (await (await api.call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
    expect(openApi.paths['/reports/summary']?.get?.['x-roles']).toEqual(['supervisor', 'admin']);
    expect(openApi.paths['/reports/export.csv']?.get).toBeDefined();
    expect(openApi.paths['/admin/report-settings']?.put?.['x-roles']).toEqual(['admin']);
  });
});
