import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Timers } from '../../../src-main/core/clock';
import { createDesktopCore, type DesktopCore } from '../../../src-main/core/desktop-core';
import { createInProcessBus } from '../../../src-server/live/in-process-bus';
import type { LiveSnapshot } from '../../../src-server/live/live-socket';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import type { EventName, EventPayload } from '../../../src-shared/contract/desktop-contract';
import { capturingLogger, manualClock, tempDir } from '../../helpers';
import { seedPeople, startLiveApi, type LiveApi, type People } from '../../server/live/live-fixtures';
import { testCoreDeps } from '../core/test-core';

/** Timers the test runs by hand: it sees every delay asked for and decides when each fires. */
export function fakeScheduler(): Timers & { delays(): number[]; fire(ms: number): void } {
  let nextId = 1;
  const pending = new Map<number, { ms: number; run: () => void }>();
  return {
    setTimeout(run, ms) {
      const id = nextId++;
      pending.set(id, { ms, run });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    delays: () => [...pending.values()].map((timer) => timer.ms),
    /** Fires every pending timer of exactly this delay. */
    fire(ms) {
      for (const [id, timer] of [...pending]) {
        if (timer.ms !== ms) continue;
        pending.delete(id);
        timer.run();
      }
    },
  };
}

/**
 * The central API with `/live` on loopback (SQLite, in-process bus) that can be stopped and started again on the
 * same port, and a desktop core pointed at it with a fake scheduler for the live connection.
 */
export async function startLiveDesk(options: { snapshot?: (generation: number) => Omit<LiveSnapshot, 'at' | 'type'> } = {}) {
  const dir = tempDir();
  const clock = manualClock(Date.now());
  let secret = randomBytes(32);
  const store: CentralStore = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
  const people: People = await seedPeople(store);
  const apiLog = capturingLogger('api');
  let bus = createInProcessBus();
  let snapshots = 0;
  const snapshotFor = async (): Promise<LiveSnapshot> => {
    snapshots += 1;
    const body = options.snapshot?.(snapshots) ?? { handlers: [], calls: [], queues: [] };
    return { type: 'snapshot', ...body, at: new Date(clock.now()).toISOString() };
  };
  const start = async (port?: number) => {
    bus = createInProcessBus();
    return startLiveApi({ store, clock, secret, logger: apiLog, live: { bus, snapshotFor, heartbeatMs: 25 }, ...(port ? { port } : {}) });
  };
  let api: LiveApi | null = await start();
  const port = api.port;

  const scheduler = fakeScheduler();
  const deskLog = capturingLogger('desk');
  const core: DesktopCore = createDesktopCore(
    testCoreDeps({
      dataDir: join(dir.path, 'desk'),
      centralApiUrl: api.base,
      clock,
      logger: deskLog.logger,
      autoSync: false,
      liveOptions: { timers: scheduler, random: () => 0.5, backoff: { baseMs: 1_000, maxMs: 30_000 }, heartbeatTimeoutMs: 75_000 },
    }),
  );
  const received: { name: EventName; payload: unknown }[] = [];
  core.events.subscribe((name, payload) => received.push({ name, payload }));

  return {
    core,
    clock,
    people,
    scheduler,
    deskLog,
    bus: () => bus,
    api: () => api,
    snapshotsServed: () => snapshots,
    /** Every payload of one event the core sent towards the renderer, in order. */
    sent<N extends EventName>(name: N): EventPayload<N>[] {
      return received.filter((event) => event.name === name).map((event) => event.payload as EventPayload<N>);
    },
    async stopApi() {
      await api?.close();
      api = null;
    },
    /** Starts the API again on the same port; with a new token secret, tokens issued before are refused. */
    async restartApi(options: { newSecret?: boolean } = {}) {
      if (options.newSecret) secret = randomBytes(32);
      api = await start(port);
    },
    async close() {
      core.close();
      await api?.close();
      await store.close();
      dir.remove();
    },
  };
}
