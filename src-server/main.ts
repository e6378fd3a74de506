import pino from 'pino';
import { loggerOptions } from '../src-shared/logging/logger-options';
import { APP_VERSION } from './app-version';
import { buildApi } from './app';
import { readServerConfig } from './config';

/** `npm run server`: the central API on its own. */
async function main(): Promise<void> {
  const config = readServerConfig(process.env);
  const logger = pino(loggerOptions('central-api', config.LOG_LEVEL));
  const app = buildApi({ logger, version: APP_VERSION, clock: Date, bodyLimitBytes: config.BODY_LIMIT_BYTES });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const listeningOn = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ listeningOn }, 'central API listening');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
