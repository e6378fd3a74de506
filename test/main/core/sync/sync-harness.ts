import type { Timers } from '../../../../src-main/core/clock';
import { createDesktopCore } from '../../../../src-main/core/desktop-core';
import { createSettings } from '../../../../src-main/core/settings';
import { createHttpSyncTransport } from '../../../../src-main/core/sync/http-sync-transport';
import type { SyncEngine, SyncState } from '../../../../src-main/core/sync/sync-engine';
import { SyncUnavailableError, type SyncTransport } from '../../../../src-main/core/sync/sync-transport';
import type { PushResponse } from '../../../../src-shared/sync/protocol';
import { PASSWORD, personMaker, startApi, type ApiHarness } from '../../../server/api-harness';
import { capturingLogger, manualClock, tempDir } from '../../../helpers';
import { testCoreDeps } from '../test-core';

/** Timers the test fires by hand: it sees every delay the engine asks for. */
export function fakeTimers() {
  let nextId = 1;
  const waiting = new Map<number, { callback: () => void; ms: number }>();
  const timers: Timers & {
    delays(): number[];
    /** Runs the timer that was set (there must be exactly one). */
    fireOnly(): void;
    /** Runs the timer set for `ms` (there must be exactly one). */
    fire(ms: number): void;
  } = {
    setTimeout(callback, ms) {
      const id = nextId++;
      waiting.set(id, { callback, ms });
      return id;
    },
    clearTimeout(handle) {
      waiting.delete(handle as number);
    },
    delays: () => [...waiting.values()].map((timer) => timer.ms),
    fireOnly() {
      const entries = [...waiting.entries()];
      if (entries.length !== 1) throw new Error(`expected one timer, found ${entries.length}`);
      const [id, timer] = entries[0]!;
      waiting.delete(id);
      timer.callback();
    },
    fire(ms) {
      const entries = [...waiting.entries()].filter(([, timer]) => timer.ms === ms);
      if (entries.length !== 1) throw new Error(`expected one timer of ${ms} ms, found ${entries.length}`);
      const [id, timer] = entries[0]!;
      waiting.delete(id);
      timer.callback();
    },
  };
  return timers;
}

/**
 * The transport a test desk uses: real HTTP to the API, switchable to a real unreachable address (connection
 * refused) for "offline", with hooks to lose a push's answer after the server committed it and to act just before
 * a pull is sent.
 */
export function testTransport(options: { baseUrl: string; token: () => Promise<string>; onUnauthorised: () => void }) {
  const real = createHttpSyncTransport({ baseUrl: options.baseUrl, fetch: globalThis.fetch, getAccessToken: options.token, onUnauthorised: options.onUnauthorised });
  const unreachable = createHttpSyncTransport({ baseUrl: 'http://127.0.0.1:1', fetch: globalThis.fetch, getAccessToken: options.token, timeoutMs: 2000 });
  const control = {
    online: true,
    /** How many of the next push answers to lose after the server has committed the push. */
    losePushAnswers: 0,
    beforePull: null as null | (() => void),
    /** Hears every pull request as the engine makes it. */
    onPull: null as null | ((request: { cursor: number }) => void),
    /** Runs after each push answer arrives, before the engine sees it. */
    afterPush: null as null | (() => void),
    pushAnswers: [] as PushResponse[],
    pushSizes: [] as number[],
  };
  const transport: SyncTransport = {
    async push(request) {
      if (!control.online) return unreachable.push(request);
      control.pushSizes.push(request.mutations.length);
      const answer = await real.push(request);
      control.pushAnswers.push(answer);
      control.afterPush?.();
      if (control.losePushAnswers > 0) {
        control.losePushAnswers -= 1;
        throw new SyncUnavailableError('The connection dropped before the answer arrived.');
      }
      return answer;
    },
    async pull(request) {
      control.onPull?.(request);
      if (!control.online) return unreachable.pull(request);
      const hook = control.beforePull;
      control.beforePull = null;
      hook?.();
      return real.pull(request);
    },
  };
  return { transport, control };
}

/** Resolves with the state the engine settles in after the cycle under way (anything but `syncing`). */
export function settled(engine: SyncEngine): Promise<SyncState> {
  return new Promise((resolve) => {
    const off = engine.onChange((state) => {
      if (state.status !== 'syncing') {
        off();
        resolve(state);
      }
    });
  });
}

export interface Person {
  id: string;
  email: string;
  name: string;
}

/** The real central API on loopback, with two handlers of the same team, Asha and Ben. */
export async function startSyncWorld() {
  const api: ApiHarness = await startApi();
  const make = await personMaker(api.store);
  const person = (email: string, name: string): Promise<Person> => make(email, 'handler', [api.teams.a], name);
  const asha = await person('asha@a.test', 'Asha');
  const ben = await person('ben@a.test', 'Ben');
  const desks: { close(): void | Promise<void> }[] = [];

  return {
    api,
    asha,
    ben,
    /**
     * A real desktop core wired to the API, signed in as `who` through its own session (or left signed out with
     * `who: null`), with a sync engine on fake timers over the test transport: the wiring the app uses.
     */
    async desk(who: Person | null, options: { random?: () => number; batchSize?: number; pullLimit?: number } = {}) {
      const dir = tempDir();
      const clock = manualClock();
      const timers = fakeTimers();
      const log = capturingLogger('core');
      // The core builds its own sync engine (as in the app); the test transport sits in front of the real one.
      let transport: SyncTransport | null = null;
      const core = createDesktopCore(
        testCoreDeps({
          dataDir: dir.path,
          centralApiUrl: api.base,
          clock,
          logger: log.logger,
          timers,
          syncTransport: () => ({ push: (request) => transport!.push(request), pull: (request) => transport!.pull(request) }),
          syncOptions: options,
          autoSync: false,
          // These desks are about sync: the live link's own retry timers would sit among the engine's on the same fake timers.
          liveEvents: false,
        }),
      );
      desks.push({
        close() {
          core.close();
          dir.remove();
        },
      });
      const settings = createSettings(core.db, clock);
      const test = testTransport({
        baseUrl: api.base,
        token: () => core.session.accessToken(),
        onUnauthorised: () => core.session.invalidateAccessToken(),
      });
      transport = test.transport;
      const control = test.control;
      if (who) await core.signIn(who.email, PASSWORD);
      const engine = core.sync;
      desks.push({ close: () => engine.stop() });
      /** An access token for reading the server's side of things through the API, as this desk's user. */
      const token = () => core.session.accessToken();
      return { core, clock, log, who, token, timers, settings, engine, control };
    },
    async close() {
      for (const desk of desks.reverse()) await desk.close();
      await api.close();
    },
  };
}

export type SyncWorld = Awaited<ReturnType<typeof startSyncWorld>>;
export type Desk = Awaited<ReturnType<SyncWorld['desk']>>;
