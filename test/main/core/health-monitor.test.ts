import { describe, expect, it } from 'vitest';
import type { CentralApiClient, HealthProbe } from '../../../src-main/core/central-api-client';
import { createHealthMonitor } from '../../../src-main/core/health-monitor';
import type { CentralHealth } from '../../../src-shared/health';
import { manualClock } from '../../helpers';

function fakeTimers() {
  const scheduled: { callback: () => void; ms: number }[] = [];
  return {
    scheduled,
    setTimeout: (callback: () => void, ms: number) => {
      const entry = { callback, ms };
      scheduled.push(entry);
      return entry;
    },
    clearTimeout: (handle: unknown) => {
      const index = scheduled.indexOf(handle as (typeof scheduled)[number]);
      if (index >= 0) scheduled.splice(index, 1);
    },
  };
}

function scriptedClient(probes: HealthProbe[]): CentralApiClient {
  return { baseUrl: 'http://127.0.0.1:1', probeHealth: async () => probes.shift() ?? { ok: false, problem: 'gone' } };
}

const online: HealthProbe = { ok: true, health: { status: 'ok', version: '1.0.0', uptimeSeconds: 1, time: '2026-11-21T09:00:00.000Z' }, latencyMs: 3 };
const down: HealthProbe = { ok: false, problem: 'The central service cannot be reached.' };

describe('the central API health monitor', () => {
  it('announces only changes of state, not every check', async () => {
    const changes: CentralHealth[] = [];
    const timers = fakeTimers();
    const monitor = createHealthMonitor({ client: scriptedClient([online, online, down, down, online]), clock: manualClock(), timers, onChange: (h) => changes.push(h) });
    for (let i = 0; i < 5; i++) await monitor.check();
    expect(changes.map((h) => h.state)).toEqual(['online', 'offline', 'online']);
  });

  it('backs off with jitter while offline and returns to the normal interval once back', async () => {
    const timers = fakeTimers();
    const monitor = createHealthMonitor({
      client: scriptedClient([down, down, down, down, online]),
      clock: manualClock(),
      timers,
      onChange: () => undefined,
      intervalMs: 10_000,
      random: () => 0.5,
    });
    monitor.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = timers.scheduled.shift();
      if (!next) throw new Error('nothing scheduled');
      delays.push(next.ms);
      next.callback();
    }
    monitor.stop();
    // 2 s, 4 s, 8 s, 16 s ceilings at 75% (random 0.5), then the normal interval once online.
    expect(delays).toEqual([1500, 3000, 6000, 12000, 10000]);
  });

  it('shares one check between callers who ask at the same time', async () => {
    let calls = 0;
    const client: CentralApiClient = { baseUrl: 'x', probeHealth: async () => (calls++, online) };
    const monitor = createHealthMonitor({ client, clock: manualClock(), timers: fakeTimers(), onChange: () => undefined });
    await Promise.all([monitor.check(), monitor.check(), monitor.check()]);
    expect(calls).toBe(1);
  });

  it('stops checking once stopped', async () => {
    const timers = fakeTimers();
    const monitor = createHealthMonitor({ client: scriptedClient([online]), clock: manualClock(), timers, onChange: () => undefined });
    monitor.start();
    await new Promise((resolve) => setImmediate(resolve));
    monitor.stop();
    expect(timers.scheduled).toHaveLength(0);
  });
});
