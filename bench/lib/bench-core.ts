import { createKeepAliveFetch } from '../../src-main/core/api/keep-alive-fetch';
import { systemClock } from '../../src-main/core/clock';
import { createDesktopCore, type DesktopCore, type DesktopCoreDeps } from '../../src-main/core/desktop-core';
import { createLogger } from '../../src-main/core/logger';
import { memoryVault } from '../../src-main/core/session/credential-vault';

/** The app's HTTP client (launch.ts makes one for the desk): kept connections, closed when the servers close them. */
export const benchFetch = createKeepAliveFetch();

/**
 * The real desktop core on `dataDir`, as the app opens it (wall clock, this platform), minus the log lines and, as it
 * is never started, the health checks. `deps` changes what a benchmark needs otherwise: the API's address, sync.
 */
export function openBenchCore(dataDir: string, deps: Partial<DesktopCoreDeps> = {}): DesktopCore {
  return createDesktopCore({
    dataDir,
    centralApiUrl: 'http://127.0.0.1:9',
    centralApiEmbedded: false,
    fetch: benchFetch,
    clock: systemClock,
    logger: createLogger('bench', { level: 'silent' }),
    appName: 'Care Connect Desk',
    appVersion: '0.0.0-bench',
    shell: 'browser',
    platform: process.platform,
    ...deps,
  });
}

/**
 * The core as a signed-in handler has it: the session the desk kept (the central API out of reach, so no sync and no
 * live link), so the cases a read shows are reported for the audit log as at work (`shown-cases.ts`).
 */
export function openHandlerBenchCore(dataDir: string, deps: Partial<DesktopCoreDeps> = {}): DesktopCore {
  const vault = memoryVault();
  const user = { id: 'bench-handler', email: 'handler@bench.test', name: 'Bench Handler', role: 'handler' as const, teamIds: ['team-bench'], disabled: false, createdAt: '2026-01-01T00:00:00.000Z' };
  vault.save(JSON.stringify({ refreshToken: 'bench-refresh-token', user }));
  return openBenchCore(dataDir, { vault, autoSync: false, liveEvents: false, ...deps });
}

/** Drops the reports of cases shown that a benchmark's reads left in a cache kept between runs: they would pile up. */
export function dropShownReports(core: DesktopCore): void {
  core.db.prepare("DELETE FROM outbox WHERE name = 'cases.listed'").run();
}
