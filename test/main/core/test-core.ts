import type { Timers } from '../../../src-main/core/clock';
import { createDesktopCore, type DesktopCore } from '../../../src-main/core/desktop-core';
import { capturingLogger, manualClock, tempDir } from '../../helpers';

/** A desktop core on a fresh data folder with the demo reference data, never started (no health checks). */
export function openTestCore(options: { clock?: ReturnType<typeof manualClock>; dataDir?: string; timers?: Timers } = {}) {
  const dir = options.dataDir ? null : tempDir();
  const clock = options.clock ?? manualClock();
  const log = capturingLogger('core');
  const core: DesktopCore = createDesktopCore({
    dataDir: options.dataDir ?? dir!.path,
    centralApiUrl: 'http://127.0.0.1:9',
    centralApiEmbedded: false,
    fetch: globalThis.fetch,
    clock,
    logger: log.logger,
    appName: 'Care Connect Desk',
    appVersion: '0.0.0-test',
    shell: 'browser',
    platform: 'linux',
    ...(options.timers ? { timers: options.timers } : {}),
  });
  return {
    core,
    clock,
    log,
    close() {
      core.close();
      dir?.remove();
    },
  };
}

export function outboxCount(core: DesktopCore): number {
  return core.outbox.count();
}
