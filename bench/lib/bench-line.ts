import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { buildApi } from '../../src-server/app';
import type { PasswordCost } from '../../src-server/auth/passwords';
import { createTokenService } from '../../src-server/auth/tokens';
import { seedDemoOrganisation } from '../../src-server/demo-organisation';
import { openSqliteStore } from '../../src-server/store/open-store';
import { openTelephonyLine } from '../../src-server/telephony/line';
import type { RoutingEngine } from '../../src-server/telephony/routing-engine';

/** Cheap scrypt: signing in is not what the benchmark measures. */
const BENCH_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };

export interface BenchLine {
  url: string;
  /** The line's routing engine: `engine.events` is what a telephony provider calls when a caller queues or hangs up. */
  engine: RoutingEngine;
  close(): Promise<void>;
}

/**
 * The central API as the desktop embeds it (`src-server/embedded.ts`): the production routes, an SQLite store with
 * the demo organisation, and the telephony line with its live socket, on loopback. Two differences: the simulator is
 * stopped (the benchmark is the only caller), and the routing engine is handed back, so the benchmark can queue
 * callers through `engine.events` exactly as the simulator or Twilio's webhooks do.
 */
export async function startBenchLine(dir: string): Promise<BenchLine> {
  const store = await openSqliteStore(join(dir, 'central.sqlite3'));
  await seedDemoOrganisation(store, BENCH_PASSWORD_COST);
  const logger = pino({ level: 'silent' });
  const line = await openTelephonyLine({ store, logger, clock: Date, simulator: { autoStart: false } });
  const app = buildApi({
    logger,
    version: '0.0.0-bench',
    clock: Date,
    store,
    tokens: createTokenService(randomBytes(32), Date),
    telephony: line.telephony,
    live: line.live,
    passwordCost: BENCH_PASSWORD_COST,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the bench central API did not bind to a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    engine: line.telephony.engine,
    async close() {
      await app.close();
      await line.close();
      await store.close();
    },
  };
}
