import pino from 'pino';
import { loggerOptions } from '../src-shared/logging/logger-options';
import { buildApi } from './app';
import { APP_VERSION } from './app-version';
import { createTokenService } from './auth/tokens';
import { readServerConfig, tokenSecret } from './config';
import { intakeFromEnv } from './intake/intake-config';
import { publishingFromEnv } from './publication/publishing-config';
import { openStore } from './store/open-store';
import { openTelephonyLine } from './telephony/line';
import { twilioConfigFromEnv } from './telephony/twilio/twilio-config';

/** `npm run server`: the central API on its own, on PostgreSQL when DATABASE_URL is set, SQLite otherwise. */
async function main(): Promise<void> {
  const config = readServerConfig(process.env);
  const logger = pino(loggerOptions('central-api', config.LOG_LEVEL));
  const store = await openStore({ databaseUrl: config.DATABASE_URL, sqlitePath: config.SQLITE_PATH });
  const { secret, generated } = tokenSecret(config);
  if (generated) logger.warn('TOKEN_SECRET is not set: sign-ins and sign-in lock-outs end when this server stops, and a second instance would accept neither');
  // Twilio when its settings are given (a partial set is refused with the names that are missing), else the simulator.
  const twilio = twilioConfigFromEnv(process.env);
  // One instance on a database has the line (it waits for it, up to 30 s, if another still holds it). If the line's
  // lock is lost another instance may take it, so this one exits: its supervisor starts it again, and it waits.
  const line = config.PHONE_LINE === 'on' ? await openTelephonyLine({ store, logger, clock: Date, databaseUrl: config.DATABASE_URL, twilio, simulator: { autoStart: false }, lineLock: { onLost: () => process.exit(1) } }) : null;
  // The contact form, SMS, email and social intake; replies by SMTP and Twilio when those are configured.
  const intake = await intakeFromEnv(process.env, twilio);
  const app = buildApi({ logger, version: APP_VERSION, clock: Date, bodyLimitBytes: config.BODY_LIMIT_BYTES, ...(config.TRUST_PROXY !== undefined ? { trustProxy: config.TRUST_PROXY } : {}), store, tokens: createTokenService(secret, Date), ...(line ? { telephony: line.telephony, live: line.live } : {}), ...(line?.twilio ? { twilio: line.twilio } : {}), intake, publishing: publishingFromEnv(process.env, intake.emailSender ?? null) });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app
      .close()
      .then(() => line?.close())
      .then(() => intake.close())
      .then(() => store.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const listeningOn = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ listeningOn, store: store.dialect, line: line ? (twilio ? 'twilio' : 'simulator') : 'off' }, 'central API listening');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
