import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { HomeScreen } from '../../../src-renderer/features/home/home-screen';
import { ChartFactoryContext } from '../../../src-renderer/features/reports/chart-canvas';
import type { SessionState } from '../../../src-shared/contract/session';
import { fakeReportsApi } from './fake-reports-api';

function session(role: 'handler' | 'supervisor'): SessionState {
  return { status: 'signed-in', persistent: false, user: { id: `${role}-1`, email: `${role}@demo.test`, name: 'Priya Shah', role, teamIds: ['team-a'], disabled: false, createdAt: '2026-01-01T00:00:00.000Z' } };
}

describe('the switch to the reports', () => {
  it('takes a supervisor to the reports, keeping their desk behind, and back', async () => {
    const fake = fakeReportsApi();
    render(
      <ChartFactoryContext.Provider value={() => ({ destroy: () => undefined })}>
        <HomeScreen api={fake.api} storage={null} session={session('supervisor')} />
      </ChartFactoryContext.Provider>,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Reports' }));
    expect(await screen.findByRole('heading', { name: 'Reports', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reports' })).toHaveAttribute('aria-pressed', 'true');
    expect(document.getElementById('main')).toHaveAttribute('hidden');
    expect(fake.summaryQueries).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'My desk' }));
    expect(screen.queryByRole('heading', { name: 'Reports', level: 1 })).not.toBeInTheDocument();
    expect(document.getElementById('main')).not.toHaveAttribute('hidden');
  });

  it('is not offered to a handler', async () => {
    render(<HomeScreen api={fakeReportsApi().api} storage={null} session={session('handler')} />);
    await screen.findByTestId('app-version');
    expect(screen.queryByRole('button', { name: 'Reports' })).not.toBeInTheDocument();
  });
});
