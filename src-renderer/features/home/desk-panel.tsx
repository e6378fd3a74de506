import type { AppInfo } from '../../../src-shared/contract/desktop-contract';
import type { CentralHealth } from '../../../src-shared/health';

/**
 * "This desk": the facts support asks for first (version, where the local cache is, which central service this desk
 * talks to and whether it answers).
 */
export function DeskPanel(props: {
  appInfo: AppInfo | null;
  health: CentralHealth | null;
  transport: string;
  onCheckNow: () => void;
}) {
  const { appInfo, health } = props;
  return (
    <section className="panel desk-panel" aria-labelledby="desk-panel-title">
      <h2 id="desk-panel-title">This desk</h2>
      {appInfo ? (
        <dl className="facts">
          <dt>Version</dt>
          <dd data-testid="app-version">
            {appInfo.name} {appInfo.version}
          </dd>
          <dt>Running in</dt>
          <dd>
            {appInfo.shell === 'electron' ? 'Desktop app' : 'Browser mode (development)'}, contract over{' '}
            {props.transport === 'ipc' ? 'IPC' : 'WebSocket'}
          </dd>
          <dt>Local case cache</dt>
          <dd className="facts__path" data-testid="database-path">
            {appInfo.databasePath}
          </dd>
          <dt>Cache schema</dt>
          <dd>version {appInfo.schemaVersion}</dd>
          <dt>Central service</dt>
          <dd className="facts__path" data-testid="central-url">
            {appInfo.centralApiUrl}
            {appInfo.centralApiEmbedded ? ' (built in, demo organisation)' : ''}
          </dd>
          <dt>Central service health</dt>
          <dd data-testid="central-health">{describeHealth(health)}</dd>
        </dl>
      ) : (
        <p>Loading…</p>
      )}
      <button type="button" className="button button--secondary" onClick={props.onCheckNow}>
        Check connection now
      </button>
    </section>
  );
}

export function describeHealth(health: CentralHealth | null): string {
  if (!health || health.state === 'checking') return 'Checking…';
  if (health.state === 'offline') return `Not reachable. ${health.problem ?? ''}`.trim();
  const latency = health.latencyMs === null ? '' : `, answered in ${Math.round(health.latencyMs)} ms`;
  return `OK (server ${health.serverVersion ?? 'unknown'}${latency})`;
}
