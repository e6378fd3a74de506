import { Writable } from 'node:stream';
import { systemClock } from '../../src-main/core/clock';
import { createDesktopCore, type DesktopCore } from '../../src-main/core/desktop-core';
import { createLogger } from '../../src-main/core/logger';
import type { SyncState } from '../../src-main/core/sync/sync-engine';
import type { Role } from '../../src-shared/api/people';
import { tempDir } from '../helpers';
import { testCoreDeps } from '../main/core/test-core';
import { listenTestApi, PASSWORD, personMaker } from '../server/api-harness';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { openTestStore, type StoreKind, type TestStore } from './test-stores';

export { PASSWORD };

export interface Person {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Log lines at `level` and above, kept in memory (the run makes far too many requests to keep every line). */
function keptLogger(name: string, level: string) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger(name, { level, destination }), lines };
}

/** A desk in this process that syncs only when told to, through a fault proxy of its own. */
export interface Desk {
  name: string;
  who: Person;
  core: DesktopCore;
  /** Its own line to the API: `down` takes this desk offline, the other faults hit only its requests. */
  line: FaultProxy;
  /** One sync cycle now (push, then pull); resolves with the state it ends in. */
  sync(): Promise<SyncState>;
  close(): Promise<void>;
}

/**
 * The real central API on loopback over a fresh store of the given kind, a fault proxy in front of it (for desks in
 * other processes), one team with three handlers and a supervisor, and desks in this process on proxies of their own.
 */
export async function startReliabilityWorld(kind: StoreKind, options: { seed: number }) {
  const opened: TestStore = await openTestStore(kind);
  const { store } = opened;
  const team = await store.createTeam('Patient line');
  const make = await personMaker(store);
  const person = (email: string, name: string, role: Role = 'handler'): Promise<Person> => make(email, role, [team.id], name);
  const people = {
    asha: await person('asha@line.test', 'Asha'),
    ben: await person('ben@line.test', 'Ben'),
    chloe: await person('chloe@line.test', 'Chloe'),
    sam: await person('sam@line.test', 'Sam', 'supervisor'),
  };
  const apiLog = keptLogger('reliability-api', 'warn');
  const api = await listenTestApi({ logger: apiLog.logger, clock: systemClock, store });
  const apiUrl = api.base;
  const proxy: FaultProxy = await startFaultProxy(apiUrl, { seed: options.seed });
  const desks: Desk[] = [];

  return {
    kind,
    store,
    where: opened.where,
    team,
    people,
    apiUrl,
    proxy,
    /** Warnings and errors the API logged. */
    apiWarnings: () => apiLog.lines,

    /**
     * A desk for `who` in this process, with its own fault proxy in front of the API, signed in, and syncing only
     * when the test says so (the sync harness's way: every step of a conflict is then in the test's hands).
     */
    async desk(name: string, who: Person): Promise<Desk> {
      const dir = tempDir(`care-desk-reliability-${name}-`);
      const line = await startFaultProxy(apiUrl, { seed: options.seed + desks.length + 1 });
      const core = createDesktopCore(
        testCoreDeps({
          dataDir: dir.path,
          centralApiUrl: line.url,
          clock: systemClock,
          logger: keptLogger(`desk-${name}`, 'warn').logger,
          appVersion: '0.0.0-reliability',
          autoSync: false,
        }),
      );
      await core.signIn(who.email, PASSWORD);
      const desk: Desk = {
        name,
        who,
        core,
        line,
        async sync() {
          await core.sync.syncNow();
          return core.sync.state();
        },
        async close() {
          await core.sync.stop();
          core.close();
          await line.close();
          dir.remove();
        },
      };
      desks.push(desk);
      return desk;
    },

    async close() {
      for (const desk of desks.splice(0)) await desk.close();
      await proxy.close();
      await api.close();
      await opened.close();
    },
  };
}

export type ReliabilityWorld = Awaited<ReturnType<typeof startReliabilityWorld>>;
