import pino from 'pino';
import { loggerOptions } from '../src-shared/logging/logger-options';
import { buildApi } from './app';
import { APP_VERSION } from './app-version';
import { createTokenService } from './auth/tokens';
import { readServerConfig, tokenSecret } from './config';
import { openStore } from './store/open-store';

/** `npm run server`: the central API on its own, on PostgreSQL when DATABASE_URL is set, SQLite otherwise. */
async function main(): Promise<void> {
  const config = readServerConfig(process.env);
  const logger = pino(loggerOptions('central-api', config.LOG_LEVEL));
  const store = await openStore({ databaseUrl: config.DATABASE_URL, sqlitePath: config.SQLITE_PATH });
  const { secret, generated } = tokenSecret(config);
  if (generated) logger.warn('TOKEN_SECRET is not set: sign-ins end when this server stops, and a second instance would not accept them');
  const app = buildApi({ logger, version: APP_VERSION, clock: Date, bodyLimitBytes: config.BODY_LIMIT_BYTES, store, tokens: createTokenService(secret, Date) });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const listeningOn = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ listeningOn, store: store.dialect }, 'central API listening');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
