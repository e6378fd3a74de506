import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { HomeScreen } from '../../../src-renderer/features/home/home-screen';
import type { SessionState } from '../../../src-shared/contract/session';
import { fakeSupervisorApi, queue } from './fake-supervisor-api';

function session(role: 'handler' | 'supervisor' | 'admin'): SessionState {
  return { status: 'signed-in', persistent: false, user: { id: `${role}-1`, email: `${role}@demo.test`, name: 'Priya Shah', role, teamIds: ['team-a'], disabled: false, createdAt: '2026-01-01T00:00:00.000Z' } };
}

describe('the switch to the live view', () => {
  it('is never shown to a handler', async () => {
    render(<HomeScreen api={fakeSupervisorApi().api} storage={null} session={session('handler')} />);
    await screen.findByTestId('app-version');
    expect(screen.queryByRole('button', { name: 'Live view' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Live view' })).not.toBeInTheDocument();
  });

  it('takes a supervisor to the live view and back to their desk from the keyboard', async () => {
    const fake = fakeSupervisorApi({ picture: { queues: [queue({ queueId: 'feedback', name: 'Feedback', waiting: 3 })] } });
    render(<HomeScreen api={fake.api} storage={null} session={session('supervisor')} />);
    const user = userEvent.setup();
    const live = await screen.findByRole('button', { name: 'Live view' });
    expect(live).toHaveAttribute('aria-pressed', 'false');
    live.focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'Live view' })).toBeInTheDocument();
    expect(live).toHaveAttribute('aria-pressed', 'true');
    expect(await screen.findByTestId('queue-feedback')).toHaveTextContent('3');
    // The desk is kept behind the view, hidden, so nothing typed in a case is lost.
    expect(document.getElementById('main')).toHaveAttribute('hidden');
    expect(screen.getByRole('heading', { name: 'Live view' }).closest('main')).not.toHaveAttribute('hidden');

    await user.click(screen.getByRole('button', { name: 'My desk' }));
    expect(screen.queryByRole('heading', { name: 'Live view' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'My desk' })).toHaveAttribute('aria-pressed', 'true');
    expect(document.getElementById('main')).not.toHaveAttribute('hidden');
  });
});
