import { createKeepAliveFetch } from '../../src-main/core/api/keep-alive-fetch';
import { systemClock } from '../../src-main/core/clock';
import { createDesktopCore, type DesktopCore, type DesktopCoreDeps } from '../../src-main/core/desktop-core';
import { createLogger } from '../../src-main/core/logger';

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
