import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChartFactoryContext, type ChartFactory, type ReportChartConfig } from '../../../src-renderer/features/reports/chart-canvas';
import { ReportsView } from '../../../src-renderer/features/reports/reports-view';
import { createReportsStore } from '../../../src-renderer/features/reports/reports-store';
import type { ReportSummary } from '../../../src-shared/reports/report-schema';
import type { Result } from '../../../src-shared/result';
import { fakeReportsApi } from './fake-reports-api';

/** Midday on Wednesday 2 July 2025, London: the default range is 26 June to 2 July. */
const NOW = Date.parse('2025-07-02T11:00:00.000Z');

/** Chart.js needs a canvas jsdom does not have: the screen draws through this, and the test sees what was drawn. */
function chartRecorder() {
  const live = new Set<{ config: ReportChartConfig }>();
  let destroyed = 0;
  const draw: ChartFactory = (_canvas, config) => {
    const chart = { config, destroy: () => (live.delete(chart), destroyed++) };
    live.add(chart);
    return chart;
  };
  return { draw, live, destroyed: () => destroyed };
}

function renderReports(options: { teamIds?: string[]; role?: 'supervisor' | 'admin'; query?: { from: string; to: string } } = {}) {
  const fake = fakeReportsApi();
  const charts = chartRecorder();
  const saved: { csv: string; fileName: string }[] = [];
  const store = options.query ? createReportsStore(fake.api, options.query) : undefined;
  const view = render(
    <ChartFactoryContext.Provider value={charts.draw}>
      <ReportsView api={fake.api} teamIds={options.teamIds ?? ['team-a']} role={options.role ?? 'supervisor'} now={NOW} {...(store ? { store } : {})} />
    </ChartFactoryContext.Provider>,
  );
  return { fake, charts, saved, view, user: userEvent.setup() };
}

describe('the reports screen', () => {
  it('asks for the last 7 London days by default, for all the supervisor’s teams', async () => {
    const { fake } = renderReports();
    await screen.findByTestId('cost-per-resolved');
    expect(fake.summaryQueries).toEqual([{ from: '2025-06-26', to: '2025-07-02' }]);
    expect(screen.getByLabelText('First day')).toHaveValue('2025-06-26');
    expect(screen.getByLabelText('Last day')).toHaveValue('2025-07-02');
    expect(screen.getByTestId('report-status')).toHaveTextContent('Showing 26 Jun 2025 to 2 Jul 2025 (7 days), your team.');
  });

  it('shows the headline cost per resolved query with its trend, and the figures formatted for reading', async () => {
    // The whole organisation on 1-2 July (see test/shared/reports/report-expectations.ts): 66,400 p over 4 resolved.
    renderReports({ role: 'admin', teamIds: [], query: { from: '2025-07-01', to: '2025-07-02' } });
    expect(await screen.findByTestId('cost-per-resolved')).toHaveTextContent('£166.00');
    expect(screen.getByTestId('cost-trend')).toHaveTextContent(
      'Down 3.5% on the previous 2 days (£172.00, 29 Jun 2025 to 30 Jun 2025): each resolution cost less.',
    );
    expect(screen.getByTestId('total-cost')).toHaveTextContent('£664.00');
    expect(screen.getByTestId('resolved-total')).toHaveTextContent('4');
    // Phone: 4/7 of the cost over 3 resolved; SMS resolved none, so it has no figure.
    const byChannel = screen.getByRole('table', { name: 'Cost per resolved query by channel' });
    expect(within(byChannel).getByRole('row', { name: /Phone/ })).toHaveTextContent('Phone43£126.48');
    expect(within(byChannel).getByRole('row', { name: /SMS/ })).toHaveTextContent('SMS10–');

    expect(screen.getByTestId('figure-asa')).toHaveTextContent('0:31'); // 125 s over 4 answered
    expect(screen.getByTestId('figure-aht')).toHaveTextContent('4:58'); // 1,790 s over 6 handled
    expect(screen.getByTestId('figure-aht')).toHaveTextContent('Talk 4:38, hold 0:02, wrap-up 0:18, over 6 calls handled.');
    expect(screen.getByTestId('figure-abandonment')).toHaveTextContent('33.3%');
    expect(screen.getByTestId('figure-abandonment')).toHaveTextContent('2 of 6 queued callers hung up before an answer; 1 after waiting over 30 s (16.7%).');
    expect(screen.getByTestId('figure-fcr')).toHaveTextContent('75%');
    expect(screen.getByTestId('figure-service-level')).toHaveTextContent('75%Below target (95%)3 of 4 answered within 60 s');
    // Each figure says what it counts.
    expect(screen.getByTestId('figure-service-level')).toHaveTextContent('The share of answered queued calls that were answered within the target time.');
    expect(screen.getByTestId('contacts-total')).toHaveTextContent('7');
    expect(screen.getByText(/A contact is a case opened in the period/)).toBeInTheDocument();
    expect(screen.getByText(/£20.00 an hour per handler, 8 paid hours a handler on Mon, Tue, Wed, Thu, Fri, and a platform cost of £365.00 a month/)).toBeInTheDocument();
  });

  it('gives every chart its numbers as a table, and draws the same numbers', async () => {
    const { charts } = renderReports({ role: 'admin', teamIds: [], query: { from: '2025-07-01', to: '2025-07-02' } });
    await screen.findByTestId('cost-per-resolved');
    const titles = ['Cost per resolved query by day', 'Contacts by channel', 'Contacts by case type', 'Contacts by category', 'Contacts by provider', 'Contacts by hour of day (London time)'];
    for (const title of titles) {
      const figure = screen.getByRole('figure', { name: title });
      const table = within(figure).getByRole('table', { name: title, hidden: true });
      expect(within(figure).getByText('Table of these figures')).toBeInTheDocument();
      expect(figure.querySelector('canvas')).toHaveAttribute('aria-hidden', 'true');
      expect(within(table).getAllByRole('row', { hidden: true }).length).toBeGreaterThan(1);
    }
    const channelTable = within(screen.getByRole('figure', { name: 'Contacts by channel' })).getByRole('table', { hidden: true });
    expect(within(channelTable).getByRole('row', { name: 'Phone 4', hidden: true })).toBeInTheDocument();
    expect(within(channelTable).getByRole('row', { name: 'Email 0', hidden: true })).toBeInTheDocument();
    const providerTable = within(screen.getByRole('figure', { name: 'Contacts by provider' })).getByRole('table', { hidden: true });
    expect(within(providerTable).getAllByRole('row', { hidden: true }).map((row) => row.textContent)).toEqual(['ProviderContacts', 'No provider4', 'Leeds Teaching Hospitals2', 'Airedale General1']);
    const hourTable = within(screen.getByRole('figure', { name: 'Contacts by hour of day (London time)' })).getByRole('table', { hidden: true });
    expect(within(hourTable).getByRole('row', { name: '10:00 3', hidden: true })).toBeInTheDocument();
    const trendTable = within(screen.getByRole('figure', { name: 'Cost per resolved query by day' })).getByRole('table', { hidden: true });
    expect(within(trendTable).getAllByRole('row', { hidden: true }).map((row) => row.textContent)).toEqual(['DayCost per resolved query', 'Tue 1 Jul£110.67', 'Wed 2 Jul£332.00']);

    const drawn = [...charts.live].map((chart) => chart.config);
    expect(drawn).toHaveLength(6);
    const channelChart = drawn.find((config) => config.data.labels?.includes('Web form'))!;
    expect(channelChart.data.datasets[0]!.data).toEqual([4, 1, 1, 1, 0]);
    const trendChart = drawn.find((config) => config.type === 'line')!;
    expect(trendChart.data.datasets[0]!.data).toEqual([110.67, 332]);
  });

  it('asks for a new summary when the range changes, and says when a range cannot be asked for', async () => {
    const { fake } = renderReports();
    await screen.findByTestId('cost-per-resolved');
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2025-07-01' } });
    await waitFor(() => expect(fake.summaryQueries.at(-1)).toEqual({ from: '2025-07-01', to: '2025-07-02' }));
    expect(await screen.findByTestId('report-status')).toHaveTextContent('Showing 1 Jul 2025 to 2 Jul 2025 (2 days)');

    const asked = fake.summaryQueries.length;
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2025-07-05' } });
    expect(screen.getByRole('alert')).toHaveTextContent('The first day must be on or before the last day.');
    expect(screen.getByLabelText('First day')).toHaveAttribute('aria-invalid', 'true');
    expect(fake.summaryQueries).toHaveLength(asked);

    await userEvent.setup().click(screen.getByRole('button', { name: 'Last 30 days' }));
    await waitFor(() => expect(fake.summaryQueries.at(-1)).toEqual({ from: '2025-06-03', to: '2025-07-02' }));
  });

  it('says so in words when the range holds no contacts', async () => {
    renderReports({ query: { from: '2025-05-01', to: '2025-05-07' } });
    expect(await screen.findByTestId('report-empty')).toHaveTextContent('No contacts between 1 May 2025 to 7 May 2025 for your team');
    expect(screen.getByTestId('cost-per-resolved')).toHaveTextContent('–');
    expect(screen.getByTestId('cost-trend')).toHaveTextContent('No query was resolved in these days, so there is no cost per resolved query yet.');
    expect(screen.queryByRole('figure', { name: 'Contacts by channel' })).not.toBeInTheDocument();
  });

  it('filters by team: one of the supervisor’s teams, or all of them', async () => {
    const { fake, user } = renderReports({ teamIds: ['team-b', 'team-a'], query: { from: '2025-07-01', to: '2025-07-02' } });
    expect(await screen.findByTestId('contacts-total')).toHaveTextContent('7');
    const team = screen.getByLabelText('Team');
    expect(within(team).getAllByRole('option').map((option) => option.textContent)).toEqual(['All your teams', 'Team 1', 'Team 2']);
    await user.selectOptions(team, 'Team 1');
    await waitFor(() => expect(fake.summaryQueries.at(-1)).toEqual({ from: '2025-07-01', to: '2025-07-02', teamId: 'team-a' }));
    await waitFor(() => expect(screen.getByTestId('contacts-total')).toHaveTextContent('6'));
    expect(screen.getByTestId('report-status')).toHaveTextContent('team 1');
    await user.selectOptions(team, 'All your teams');
    await waitFor(() => expect(fake.summaryQueries.at(-1)).toEqual({ from: '2025-07-01', to: '2025-07-02' }));
  });

  it('shows a refusal in words and keeps it until a report loads; shows loading meanwhile', async () => {
    const { fake, user } = renderReports();
    let release: (result: Result<ReportSummary>) => void = () => {};
    fake.handlers.summary = () => new Promise((resolve) => (release = resolve));
    // The first answer is already on its way from the fixture; the next is held back, then refused.
    await screen.findByTestId('cost-per-resolved');
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2025-07-01' } });
    expect(await screen.findByTestId('report-status')).toHaveTextContent('Loading the report for 1 Jul 2025 to 2 Jul 2025…');
    release(fake.refuse('The central service cannot be reached. Check the network connection.'));
    const problem = await screen.findByTestId('report-problem');
    expect(problem).toHaveAttribute('role', 'alert');
    expect(problem).toHaveTextContent('Could not load the report: The central service cannot be reached. Check the network connection.');
    // No figures for a range that could not be read, and the refusal stays put.
    expect(screen.queryByTestId('cost-per-resolved')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getByTestId('report-problem')).toBeInTheDocument();

    fake.handlers.summary = (query) => import('./fake-reports-api').then((m) => ({ ok: true as const, value: m.fixtureSummary(query) }));
    await user.click(within(problem).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('cost-per-resolved')).toBeInTheDocument();
    expect(screen.queryByTestId('report-problem')).not.toBeInTheDocument();
  });

  it('drops a slow answer for a range the supervisor has already left', async () => {
    const { fake } = renderReports();
    await screen.findByTestId('cost-per-resolved');
    const held: (() => void)[] = [];
    const { fixtureSummary } = await import('./fake-reports-api');
    fake.handlers.summary = (query) => new Promise((resolve) => held.push(() => resolve({ ok: true, value: fixtureSummary(query) })));
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2025-06-01' } });
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2025-07-01' } });
    await waitFor(() => expect(held).toHaveLength(2));
    held[1]!();
    await waitFor(() => expect(screen.getByTestId('report-status')).toHaveTextContent('Showing 1 Jul 2025 to 2 Jul 2025'));
    held[0]!();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getByTestId('report-status')).toHaveTextContent('Showing 1 Jul 2025 to 2 Jul 2025');
  });

  it('destroys its charts when it closes', async () => {
    const { charts, view } = renderReports({ query: { from: '2025-07-01', to: '2025-07-02' } });
    await screen.findByTestId('cost-per-resolved');
    expect(charts.live.size).toBe(6);
    view.unmount();
    expect(charts.live.size).toBe(0);
    expect(charts.destroyed()).toBeGreaterThanOrEqual(6);
  });

  describe('Export CSV', () => {
    const created: Blob[] = [];
    const clicked: { href: string; download: string }[] = [];
    beforeEach(() => {
      created.length = 0;
      clicked.length = 0;
      URL.createObjectURL = vi.fn((blob: Blob) => {
        created.push(blob);
        return `blob:care-desk/${created.length}`;
      });
      URL.revokeObjectURL = vi.fn();
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        clicked.push({ href: this.href, download: this.download });
      });
    });
    afterEach(() => vi.restoreAllMocks());

    it('downloads the API’s CSV text under its file name', async () => {
      const { fake, user } = renderReports({ query: { from: '2025-07-01', to: '2025-07-02' } });
      await screen.findByTestId('cost-per-resolved');
      const csv = '\uFEFFsection,item,value\r\ncontacts,total,6\r\n';
      fake.handlers.exportCsv = () => ({ ok: true, value: { csv, fileName: 'care-desk-report-2025-07-01-to-2025-07-02.csv' } });
      await user.click(screen.getByRole('button', { name: 'Export CSV' }));
      expect(await screen.findByTestId('export-outcome')).toHaveTextContent('Saved care-desk-report-2025-07-01-to-2025-07-02.csv to your downloads.');
      expect(clicked).toEqual([{ href: 'blob:care-desk/1', download: 'care-desk-report-2025-07-01-to-2025-07-02.csv' }]);
      expect(created[0]!.type).toBe('text/csv;charset=utf-8');
      const bytes = new Uint8Array(await created[0]!.arrayBuffer());
      expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(csv);
      // The link is not left in the page.
      expect(document.querySelector('a[download]')).toBeNull();
    });

    it('in the desktop app, saves through the system dialog instead of a page download, and says so when cancelled', async () => {
      const { fake, user } = renderReports({ query: { from: '2025-07-01', to: '2025-07-02' } });
      await screen.findByTestId('cost-per-resolved');
      fake.saving.mode = 'saved';
      await user.click(screen.getByRole('button', { name: 'Export CSV' }));
      expect(await screen.findByTestId('export-outcome')).toHaveTextContent('Saved care-desk-report-2025-07-01-to-2025-07-02.csv.');
      fake.saving.mode = 'cancelled';
      await user.click(screen.getByRole('button', { name: 'Export CSV' }));
      await waitFor(() => expect(screen.getByTestId('export-outcome')).toHaveTextContent('The CSV was not saved.'));
      expect(clicked).toEqual([]);
    });

    it('asks for the same range and team as the screen shows, and says why when it is refused', async () => {
      const { fake, user } = renderReports({ teamIds: ['team-a', 'team-b'], query: { from: '2025-07-01', to: '2025-07-02' } });
      await screen.findByTestId('cost-per-resolved');
      await user.selectOptions(screen.getByLabelText('Team'), 'Team 2');
      await waitFor(() => expect(screen.getByTestId('report-status')).toHaveTextContent('team 2'));
      const asked: unknown[] = [];
      fake.handlers.exportCsv = (query) => {
        asked.push(query);
        return fake.refuse('Not your team. A supervisor can see reports for their own teams only.');
      };
      await user.click(screen.getByRole('button', { name: 'Export CSV' }));
      expect(await screen.findByTestId('export-outcome')).toHaveTextContent('Could not export the CSV: Not your team.');
      expect(screen.getByTestId('export-outcome')).toHaveAttribute('role', 'alert');
      expect(asked).toEqual([{ from: '2025-07-01', to: '2025-07-02', teamId: 'team-b' }]);
      expect(clicked).toEqual([]);
    });
  });
});
