import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { HomeScreen } from '../../src-renderer/features/home/home-screen';
import { fakeApi } from './fake-api';

describe('the handler home screen', () => {
  it('shows the version, the local cache and the central service it was given through the contract', async () => {
    const fake = fakeApi();
    render(<HomeScreen api={fake.api} storage={null} />);
    expect(await screen.findByTestId('app-version')).toHaveTextContent('Care Connect Desk 1.2.3');
    expect(screen.getByTestId('database-path')).toHaveTextContent('/data/care-desk.sqlite3');
    expect(screen.getByTestId('central-health')).toHaveTextContent('OK (server 1.2.3, answered in 4 ms)');
    expect(screen.getByTestId('connection-status')).toHaveTextContent('Online');
  });

  it('lets the handler take a break with a reason, from the keyboard', async () => {
    const fake = fakeApi();
    const user = userEvent.setup();
    render(<HomeScreen api={fake.api} storage={null} />);
    const select = await screen.findByLabelText('My state');
    await screen.findByText(/You are offline/);
    select.focus();
    await user.selectOptions(select, 'Break: Lunch');
    expect(select).toHaveValue('break:Lunch');
    expect(await screen.findByText(/You are on a break/)).toBeInTheDocument();
    expect(fake.requests).toContain('agent.setState');
  });

  it('follows the connection live: an offline event turns the indicator red with the reason', async () => {
    const fake = fakeApi();
    render(<HomeScreen api={fake.api} storage={null} />);
    await screen.findByText('Online');
    act(() =>
      fake.emit('central.healthChanged', {
        state: 'offline',
        url: 'http://127.0.0.1:9999',
        checkedAt: '2026-11-21T09:01:00.000Z',
        latencyMs: null,
        serverVersion: '1.2.3',
        problem: 'The central service cannot be reached.',
      }),
    );
    const status = screen.getByTestId('connection-status');
    expect(within(status).getByText('Offline')).toBeInTheDocument();
    expect(status).toHaveTextContent('Cases you log are kept on this computer.');
    expect(screen.getByTestId('central-health')).toHaveTextContent('Not reachable. The central service cannot be reached.');
  });

  it('tells the handler when a state change was refused, and keeps the old state', async () => {
    const fake = fakeApi({ failSetState: 'Something went wrong with agent.setState.' });
    const user = userEvent.setup();
    render(<HomeScreen api={fake.api} storage={null} />);
    const select = await screen.findByLabelText('My state');
    await screen.findByText(/You are offline/);
    await user.selectOptions(select, 'Available');
    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong with agent.setState.');
    expect(select).toHaveValue('offline');
  });

  it('stops listening to events when it goes away', async () => {
    const fake = fakeApi();
    const { unmount } = render(<HomeScreen api={fake.api} storage={null} />);
    await screen.findByTestId('app-version');
    expect(fake.listenerCount()).toBeGreaterThan(0);
    unmount();
    expect(fake.listenerCount()).toBe(0);
  });
});

describe('keyboard shortcuts on the home screen', () => {
  it('Alt+S goes to the case search and Alt+N starts a feedback case on the phone', async () => {
    const fake = fakeApi();
    const user = userEvent.setup();
    render(<HomeScreen api={fake.api} storage={null} />);
    await screen.findByTestId('app-version');
    await user.keyboard('{Alt>}s{/Alt}');
    expect(screen.getByLabelText('Search cases')).toHaveFocus();
    await user.keyboard('{Alt>}n{/Alt}');
    expect(fake.requests).toContain('cases.create');
  });
});

describe('the case list filters', () => {
  it('lists by date range and by provider, chosen from the keyboard', async () => {
    const fake = fakeApi();
    const user = userEvent.setup();
    render(<HomeScreen api={fake.api} storage={null} />);
    await screen.findByTestId('app-version');
    const lastList = () => fake.calls.filter((c) => c.name === 'cases.list').at(-1)?.input;
    await user.type(screen.getByLabelText('From'), '2026-11-01');
    await vi.waitFor(() => expect(lastList()).toMatchObject({ from: '2026-11-01' }));
    const provider = screen.getByRole('combobox', { name: 'Provider filter' });
    await user.type(provider, 'rx1');
    await screen.findByRole('option', { name: /Northbridge/ });
    await user.keyboard('{ArrowDown}{Enter}');
    await vi.waitFor(() => expect(lastList()).toMatchObject({ from: '2026-11-01', providerId: 'provider-rx1', status: 'open' }));
  });
});
