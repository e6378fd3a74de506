import type { FastifyBaseLogger } from 'fastify';
import type { LiveOptions } from '../live/live-socket';
import { startChangePokes } from '../live/change-pokes';
import { openLiveBus } from '../live/open-live-bus';
import type { TelephonyDeps } from '../routes/telephony';
import type { TwilioDeps } from '../routes/twilio';
import type { CentralStore } from '../store/central-store';
import { createReferenceStore } from '../store/reference-store';
import { createTelephonyStore } from '../store/telephony-store';
import { takeLineLock, type LineLock } from './line-lock';
import { createRoutingEngine, type QueueDefinition, type RoutingSettings } from './routing-engine';
import { realScheduler, type Scheduler } from './scheduler';
import { createSimulator } from './simulator';
import type { TwilioConfig } from './twilio/twilio-config';
import { createTwilioCallStore } from './twilio/twilio-call-store';
import { createTwilioProvider } from './twilio/twilio-provider';
import { createTwilioRestClient } from './twilio/twilio-rest-client';

/** How often the line re-reads queues and dispositions, so an admin's change reaches routing without a restart. */
export const REFERENCE_REFRESH_MS = 30_000;

export interface TelephonyLineOptions {
  store: CentralStore;
  logger: FastifyBaseLogger;
  clock: { now(): number };
  /** Several API instances on one PostgreSQL share live events through it; otherwise events stay in this process. */
  databaseUrl?: string | undefined;
  /** Twilio when configured; the simulator otherwise. */
  twilio?: TwilioConfig | null;
  /** Start simulated calls at once (the desktop's embedded demo), at these rates per hour per queue. */
  simulator?: { autoStart: boolean; ratesPerHour?: Record<string, number>; seed?: number };
  routing?: Omit<RoutingSettings, 'queues' | 'dispositionIds'>;
  scheduler?: Scheduler;
  /**
   * On PostgreSQL (`databaseUrl`), the line is taken with a lock so that one instance routes calls (see
   * `takeLineLock`): how long to wait for it, and what else to do if it is lost (the line itself stops routing).
   */
  lineLock?: { waitMs?: number; key?: number; onLost?(error: Error): void };
}

/** Everything `buildApi` needs for calls: the routing engine and its routes, live events, and Twilio's webhooks. */
export interface TelephonyLine {
  telephony: TelephonyDeps;
  live: LiveOptions;
  twilio?: TwilioDeps;
  close(): Promise<void>;
}

/**
 * Builds the line: the live-event bus, the routing engine over the provider the settings choose (Twilio or the
 * simulator), and the cached queue and disposition lists the engine reads synchronously. Routing runs in this
 * instance's memory, so on PostgreSQL it first takes the line's lock: one instance on a database routes calls. Live
 * events reach desks connected to any instance.
 */
export async function openTelephonyLine(options: TelephonyLineOptions): Promise<TelephonyLine> {
  const { logger } = options;
  let line: TelephonyLine | null = null;
  const lock = options.databaseUrl
    ? await takeLineLock({
        connectionString: options.databaseUrl,
        logger,
        ...options.lineLock,
        onLost(error) {
          logger.fatal({ err: error }, 'lost the phone line lock: another instance may route calls now, so this one stops routing');
          void line?.close();
          options.lineLock?.onLost?.(error);
        },
      })
    : null;
  try {
    line = await openLockedLine(options, lock);
    return line;
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

async function openLockedLine(options: TelephonyLineOptions, lock: LineLock | null): Promise<TelephonyLine> {
  const { store, logger, clock } = options;
  const scheduler = options.scheduler ?? realScheduler();
  const reference = createReferenceStore(store.db, clock);
  let queues: QueueDefinition[] = [];
  let dispositionIds: string[] = [];
  async function refreshReference(): Promise<void> {
    const [allQueues, allDispositions] = await Promise.all([reference.listQueues(), reference.listDispositions()]);
    queues = allQueues.filter((queue) => queue.active).map((queue) => ({ id: queue.id, name: queue.name, caseType: queue.caseType }));
    dispositionIds = allDispositions.filter((disposition) => disposition.active).map((disposition) => disposition.id);
  }
  await refreshReference();
  const refresher = setInterval(() => {
    refreshReference().catch((error: unknown) => logger.warn({ err: error }, 'could not re-read queues and dispositions; routing keeps the last ones'));
  }, REFERENCE_REFRESH_MS);
  refresher.unref();

  const bus = await openLiveBus({ databaseUrl: options.databaseUrl, logger: logger.child({ component: 'live-bus' }) });
  const pokes = startChangePokes({ store, bus, logger: logger.child({ component: 'change-pokes' }) });
  const telephonyStore = createTelephonyStore(store.db, clock);
  const settings: RoutingSettings = { ...options.routing, queues: () => queues, dispositionIds: () => dispositionIds };

  const simulator = options.twilio ? null : createSimulator({ clock, scheduler, queues: () => queues, ...(options.simulator?.seed === undefined ? {} : { seed: options.simulator.seed }) });
  let twilio: TwilioDeps | undefined;
  let provider = simulator?.provider;
  if (options.twilio) {
    const rest = await createTwilioRestClient(options.twilio);
    provider = createTwilioProvider({ config: options.twilio, rest, calls: createTwilioCallStore(store.db, clock) });
    twilio = { config: options.twilio, rest, events: null as unknown as TwilioDeps['events'] };
  }
  const engine = createRoutingEngine({ clock, scheduler, provider: provider!, bus, store: telephonyStore, settings, logger: logger.child({ component: 'routing' }) });
  await engine.start();
  if (twilio) twilio.events = engine.events;
  if (simulator) {
    simulator.attach(engine.events);
    if (options.simulator?.autoStart) simulator.start(options.simulator.ratesPerHour);
  }

  return {
    telephony: { engine, telephonyStore, simulator },
    live: { bus, snapshotFor: async (actor) => engine.snapshot({ userId: actor.userId, role: actor.role, teamIds: actor.teamIds }) },
    ...(twilio ? { twilio } : {}),
    async close() {
      clearInterval(refresher);
      pokes.stop();
      simulator?.stop();
      await engine.close();
      await lock?.release();
    },
  };
}
