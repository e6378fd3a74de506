import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesktopCore } from '../../src-main/core/desktop-core';
import type { SyncState } from '../../src-main/core/sync/sync-engine';
import { openBenchCore } from './bench-core';
import { BENCH_PASSWORD, type BenchApi, type BenchUser } from './sync-world';

export interface BenchDesk {
  core: DesktopCore;
  close(): Promise<void>;
}

/**
 * A real desktop core in a fresh data folder, wired to the bench API as the app wires it (real `fetch`, real
 * timers, the HTTP sync transport) and signed in as `user` through the API. With `autoSync` (the app's default)
 * the engine starts at sign-in and pushes 100 ms after each local write; without it, sync runs only when asked.
 * The health monitor is not started, so nothing but sync talks to the API.
 */
export async function openBenchDesk(api: Pick<BenchApi, 'base'>, user: BenchUser, options: { autoSync?: boolean } = {}): Promise<BenchDesk> {
  const dataDir = mkdtempSync(join(tmpdir(), 'care-desk-bench-desk-'));
  const core = openBenchCore(dataDir, { centralApiUrl: api.base, autoSync: options.autoSync ?? true });
  await core.signIn(user.email, BENCH_PASSWORD);
  return {
    core,
    async close() {
      await core.sync.stop();
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first sync state, from now on, that passes `test`. */
export function nextSyncState(core: DesktopCore, test: (state: SyncState) => boolean): Promise<SyncState> {
  return new Promise((resolve) => {
    const off = core.sync.onChange((state) => {
      if (test(state)) {
        off();
        resolve(state);
      }
    });
  });
}

/** Fails loudly if a sync did not end online with an empty outbox, so a broken sync is never timed as a fast one. */
export function assertSynced(core: DesktopCore): void {
  const state = core.sync.state();
  if (state.status !== 'online' || state.pending !== 0) throw new Error(`sync ended ${state.status} with ${state.pending} waiting: ${state.problem ?? ''}`);
}
