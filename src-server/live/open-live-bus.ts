import { createInProcessBus } from './in-process-bus';
import type { LiveBus } from './live-bus';
import { openPostgresBus, type BusLogger } from './postgres-bus';

/**
 * The live bus the deployment needs: through PostgreSQL when the API runs on it (several instances may share the
 * database, so events must cross between them), in-process on SQLite (one instance, or the embedded API).
 */
export function openLiveBus(settings: { databaseUrl?: string | undefined; channel?: string; logger: BusLogger }): Promise<LiveBus> {
  if (!settings.databaseUrl) {
    return Promise.resolve(createInProcessBus({ onListenerError: (error) => settings.logger.error({ err: error }, 'a live bus listener failed') }));
  }
  return openPostgresBus({ connectionString: settings.databaseUrl, logger: settings.logger, ...(settings.channel ? { channel: settings.channel } : {}) });
}
