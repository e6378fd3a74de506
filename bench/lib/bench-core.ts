import { systemClock } from '../../src-main/core/clock';
import { createDesktopCore, type DesktopCore } from '../../src-main/core/desktop-core';
import { createLogger } from '../../src-main/core/logger';

/** The real desktop core on `dataDir`, as the app opens it, minus the health checks and the log lines. */
export function openBenchCore(dataDir: string): DesktopCore {
  return createDesktopCore({
    dataDir,
    centralApiUrl: 'http://127.0.0.1:9',
    centralApiEmbedded: false,
    fetch: globalThis.fetch,
    clock: systemClock,
    logger: createLogger('bench', { level: 'silent' }),
    appName: 'Care Connect Desk',
    appVersion: '0.0.0-bench',
    shell: 'browser',
    platform: process.platform,
  });
}
