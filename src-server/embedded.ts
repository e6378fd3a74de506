import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { buildApi } from './app';
import { createTokenService } from './auth/tokens';
import { seedDemoOrganisation } from './demo-organisation';
import { openSqliteStore } from './store/open-store';

export const EMBEDDED_STORE_FILE = 'central-embedded.sqlite3';

/**
 * The central API inside the desktop, for demo and training: loopback only, on a free port, an SQLite store in the
 * app's data folder and the demo organisation, so one person can try the whole product with nothing else installed.
 */
export async function startEmbeddedApi(options: { dataDir: string; version: string; logger: Logger }): Promise<{ url: string; close(): Promise<void> }> {
  mkdirSync(options.dataDir, { recursive: true });
  const store = await openSqliteStore(join(options.dataDir, EMBEDDED_STORE_FILE));
  await seedDemoOrganisation(store);
  const app = buildApi({
    logger: options.logger.child({ component: 'embedded-api' }),
    version: options.version,
    clock: Date,
    store,
    tokens: createTokenService(randomBytes(32), Date),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The embedded central API did not bind to a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
