import type { CentralHealth } from '../../src-shared/health';
import type { CentralApiClient } from './central-api-client';
import type { Clock, Timers } from './clock';

/**
 * Keeps the desktop's view of the central API current: checks every `intervalMs` while online and backs off (with
 * jitter, so a room of desktops does not retry in step) while offline. Announces each change of state.
 */
export function createHealthMonitor(deps: {
  client: CentralApiClient;
  clock: Clock;
  timers: Timers;
  onChange: (health: CentralHealth) => void;
  intervalMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}) {
  const intervalMs = deps.intervalMs ?? 10_000;
  const maxBackoffMs = deps.maxBackoffMs ?? 60_000;
  const random = deps.random ?? Math.random;
  let current: CentralHealth = {
    state: 'checking',
    url: deps.client.baseUrl,
    checkedAt: null,
    latencyMs: null,
    serverVersion: null,
    problem: null,
  };
  let failures = 0;
  let timer: unknown = null;
  let stopped = true;
  let inFlight: Promise<CentralHealth> | null = null;

  function nextDelay(): number {
    if (failures === 0) return intervalMs;
    const ceiling = Math.min(maxBackoffMs, 1000 * 2 ** Math.min(failures, 10));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  }

  function schedule(): void {
    if (stopped) return;
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = deps.timers.setTimeout(() => {
      timer = null;
      void check();
    }, nextDelay());
  }

  async function runCheck(): Promise<CentralHealth> {
    const probe = await deps.client.probeHealth();
    const checkedAt = new Date(deps.clock.now()).toISOString();
    const next: CentralHealth = probe.ok
      ? { ...current, state: 'online', checkedAt, latencyMs: probe.latencyMs, serverVersion: probe.health.version, problem: null }
      : { ...current, state: 'offline', checkedAt, latencyMs: null, problem: probe.problem };
    failures = probe.ok ? 0 : failures + 1;
    const changed = next.state !== current.state || next.problem !== current.problem || next.serverVersion !== current.serverVersion;
    current = next;
    if (changed) deps.onChange(current);
    return current;
  }

  /** Checks now; concurrent callers share one check. */
  function check(): Promise<CentralHealth> {
    inFlight ??= runCheck().finally(() => {
      inFlight = null;
      schedule();
    });
    return inFlight;
  }

  return {
    current: (): CentralHealth => current,
    check,
    start(): void {
      stopped = false;
      void check();
    },
    stop(): void {
      stopped = true;
      if (timer !== null) deps.timers.clearTimeout(timer);
      timer = null;
    },
  };
}
