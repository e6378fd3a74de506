import type { Timers } from '../../../src-main/core/clock';
import { createDesktopCore, type DesktopCore, type DesktopCoreDeps } from '../../../src-main/core/desktop-core';
import { capturingLogger, manualClock, tempDir } from '../../helpers';

/**
 * What a desk built by a test needs beyond `deps`: the app's name, a test version in a browser shell on Linux, the
 * real `fetch`, and a central API that is not embedded (by default an address where nothing listens). `deps` gives
 * the data folder, clock and logger, and overrides anything else the test is about.
 */
export function testCoreDeps(deps: Pick<DesktopCoreDeps, 'dataDir' | 'clock' | 'logger'> & Partial<DesktopCoreDeps>): DesktopCoreDeps {
  return {
    centralApiUrl: 'http://127.0.0.1:9',
    centralApiEmbedded: false,
    fetch: globalThis.fetch,
    appName: 'Care Connect Desk',
    appVersion: '0.0.0-test',
    shell: 'browser',
    platform: 'linux',
    ...deps,
  };
}

/** A desktop core on a fresh data folder with the demo reference data, never started (no health checks). */
export function openTestCore(options: { clock?: ReturnType<typeof manualClock>; dataDir?: string; timers?: Timers } = {}) {
  const dir = options.dataDir ? null : tempDir();
  const clock = options.clock ?? manualClock();
  const log = capturingLogger('core');
  const core: DesktopCore = createDesktopCore(
    testCoreDeps({ dataDir: options.dataDir ?? dir!.path, clock, logger: log.logger, ...(options.timers ? { timers: options.timers } : {}) }),
  );
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
