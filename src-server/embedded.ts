import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { buildApi } from './app';
import { createTokenService } from './auth/tokens';
import { seedDemoCallerHistory } from './demo-history';
import { seedDemoOrganisation } from './demo-organisation';
import { embeddedIntakeFromEnv } from './intake/intake-config';
import { openSqliteStore } from './store/open-store';
import { openTelephonyLine } from './telephony/line';
import { DEFAULT_SIMULATOR_SEED, simulatedPopulation } from './telephony/simulator';

export const EMBEDDED_STORE_FILE = 'central-embedded.sqlite3';

/**
 * The central API inside the desktop, for demo and training: loopback only, on a free port, an SQLite store in the
 * app's data folder and the demo organisation, so one person can try the whole product with nothing else installed.
 */
export interface EmbeddedSimulatorSettings {
  /** Start simulated calls as soon as the API starts (the demo); a supervisor can stop or change it in the app. */
  autoStart: boolean;
  ratesPerHour?: Record<string, number>;
  seed?: number;
}

/** Reads the demo line's settings: `CARE_DESK_SIMULATOR=off` starts it stopped; `CARE_DESK_SIMULATOR_RATES` is JSON. */
export function simulatorSettingsFromEnv(env: NodeJS.ProcessEnv): EmbeddedSimulatorSettings {
  const rates = env.CARE_DESK_SIMULATOR_RATES?.trim();
  let ratesPerHour: Record<string, number> | undefined;
  if (rates) {
    const parsed: unknown = JSON.parse(rates);
    const valid = typeof parsed === 'object' && parsed !== null && Object.values(parsed).every((value) => typeof value === 'number' && value >= 0 && value <= 3600);
    if (!valid) throw new Error('CARE_DESK_SIMULATOR_RATES must be JSON like {"feedback": 30}: calls per hour per queue, 0 to 3600.');
    ratesPerHour = parsed as Record<string, number>;
  }
  const seed = env.CARE_DESK_SIMULATOR_SEED ? Number(env.CARE_DESK_SIMULATOR_SEED) : undefined;
  return { autoStart: env.CARE_DESK_SIMULATOR?.trim() !== 'off', ...(ratesPerHour ? { ratesPerHour } : {}), ...(seed !== undefined && Number.isInteger(seed) ? { seed } : {}) };
}

export async function startEmbeddedApi(options: { dataDir: string; version: string; logger: Logger; simulator?: EmbeddedSimulatorSettings }): Promise<{ url: string; close(): Promise<void> }> {
  mkdirSync(options.dataDir, { recursive: true });
  const store = await openSqliteStore(join(options.dataDir, EMBEDDED_STORE_FILE));
  if (await seedDemoOrganisation(store)) {
    // A new demo organisation: give the simulator's repeat callers their earlier cases, pushed as a colleague's desk.
    const colleague = await store.findUserByEmail('handler2@demo.careconnect.test');
    const population = simulatedPopulation(options.simulator?.seed ?? DEFAULT_SIMULATOR_SEED);
    if (colleague?.teamIds[0]) await seedDemoCallerHistory(store, population, { userId: colleague.id, name: colleague.name, teamId: colleague.teamIds[0] }, Date.now());
  }
  const logger = options.logger.child({ component: 'embedded-api' });
  // The demo line is always the simulator: the embedded API is for one person on one machine, never for Twilio.
  const line = await openTelephonyLine({ store, logger, clock: Date, simulator: options.simulator ?? { autoStart: true } });
  // The contact form at /contact; email, social and SMTP replies when their CARE_DESK_* settings are given.
  const intake = await embeddedIntakeFromEnv(process.env);
  // Provider links point at this API's loopback address (known once it listens), and go out by the intake's SMTP.
  let url: string | null = null;
  const app = buildApi({
    logger,
    version: options.version,
    clock: Date,
    store,
    tokens: createTokenService(randomBytes(32), Date),
    telephony: line.telephony,
    live: line.live,
    intake,
    publishing: { publicBaseUrl: () => url, providerEmail: intake.emailSender ?? null },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The embedded central API did not bind to a TCP port');
  url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    close: async () => {
      await app.close();
      intake.close();
      await line.close();
      await store.close();
    },
  };
}
