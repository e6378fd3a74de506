import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SyncStatus } from '../../src-renderer/components/sync-status';
import type { SyncState } from '../../src-shared/contract/session';

const state = (patch: Partial<SyncState>): SyncState => ({ status: 'online', pending: 0, reports: 0, progress: null, lastSyncedAt: null, problem: null, ...patch });

describe('the sync status on the agent bar', () => {
  it('tells the handler what is waiting: their changes, and apart from them the cases they opened still to be reported', () => {
    const { rerender } = render(<SyncStatus sync={state({})} onSyncNow={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Synced: all changes synced');

    rerender(<SyncStatus sync={state({ status: 'offline', pending: 3 })} onSyncNow={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Offline: 3 changes waiting');

    // Opening cases offline is not a change of the handler's, but the desk still owes the central audit log.
    rerender(<SyncStatus sync={state({ status: 'offline', reports: 1 })} onSyncNow={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Offline: all changes synced; 1 report for the audit log waiting');

    rerender(<SyncStatus sync={state({ status: 'offline', pending: 1, reports: 1200 })} onSyncNow={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Offline: 1 change waiting; 1,200 reports for the audit log waiting');
  });

  it('syncs now from the keyboard', async () => {
    const onSyncNow = vi.fn();
    render(<SyncStatus sync={state({ status: 'offline', pending: 2 })} onSyncNow={onSyncNow} />);
    await userEvent.tab();
    expect(screen.getByRole('button', { name: 'Sync now' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(onSyncNow).toHaveBeenCalledTimes(1);
  });
});
