import type { SyncState } from '../../src-shared/contract/session';

/**
 * Sync on the agent bar: whether changes reach the central service, how many are waiting (and how many reads of cases,
 * opened or shown in a list, are still to be reported to its audit log), and a bar while a desk that was offline
 * catches up. Words always accompany the colour.
 */
export function SyncStatus({ sync, onSyncNow }: { sync: SyncState | null; onSyncNow: () => void }) {
  if (!sync) return null;
  const changes = sync.pending === 0 ? 'all changes synced' : `${sync.pending.toLocaleString('en-GB')} ${sync.pending === 1 ? 'change' : 'changes'} waiting`;
  // Cases opened or listed while offline are reported to the central audit log when the desk reconnects: not
  // changes, but the desk is not done with them either (another handler cannot take it until they are sent).
  const reports = sync.reports === 0 ? '' : `; ${sync.reports.toLocaleString('en-GB')} ${sync.reports === 1 ? 'report' : 'reports'} for the audit log waiting`;
  const waiting = changes + reports;
  const label =
    sync.status === 'syncing' ? 'Syncing' : sync.status === 'offline' ? 'Offline' : sync.status === 'signed-out' ? 'Signed out' : sync.status === 'error' ? 'Sync problem' : 'Synced';
  return (
    <div className={`sync sync--${sync.status}`} data-testid="sync-status">
      <span role="status" aria-live="polite">
        {label}: {waiting}
        {sync.problem ? `. ${sync.problem}` : ''}
      </span>
      {sync.progress && sync.progress.total > 0 && (
        <progress className="sync__progress" max={sync.progress.total} value={sync.progress.done} aria-label="Catching up with the central service" />
      )}
      <button type="button" className="button button--small button--on-dark" onClick={onSyncNow} disabled={sync.status === 'signed-out'}>
        Sync now
      </button>
    </div>
  );
}
