import type { Logger } from 'pino';
import { buildApi } from './app';

/**
 * The central API inside the desktop, for demo and training: loopback only, on a free port, so one person can try
 * the whole product with nothing else installed.
 */
export async function startEmbeddedApi(options: { dataDir: string; version: string; logger: Logger }): Promise<{ url: string; close(): Promise<void> }> {
  const app = buildApi({ logger: options.logger.child({ component: 'embedded-api' }), version: options.version, clock: Date });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The embedded central API did not bind to a TCP port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
