import type { CentralHealth } from '../../src-shared/health';

const LABELS: Record<CentralHealth['state'], string> = {
  online: 'Online',
  offline: 'Offline',
  checking: 'Connecting…',
};

/**
 * The connection indicator on the agent bar. A live region, so a screen reader hears when the line drops; the word
 * is always shown beside the colour, never colour alone.
 */
export function ConnectionStatus({ health }: { health: CentralHealth | null }) {
  const state = health?.state ?? 'checking';
  const detail =
    state === 'offline' && health?.problem
      ? health.problem + ' Cases you log are kept on this computer.'
      : state === 'online'
        ? `Central service reachable${health?.latencyMs == null ? '' : ` (${Math.round(health.latencyMs)} ms)`}.`
        : 'Checking the central service.';
  return (
    <div className={`connection connection--${state}`} role="status" aria-live="polite" title={detail} data-testid="connection-status">
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{LABELS[state]}</span>
      <span className="visually-hidden">{detail}</span>
    </div>
  );
}
