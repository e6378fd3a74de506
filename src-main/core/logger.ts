import pino, { type DestinationStream, type Logger } from 'pino';
import { loggerOptions } from '../../src-shared/logging/logger-options';

export type { Logger };

/**
 * A named logger (`createLogger('sync')`). Patient fields are redacted at any depth before a line is written.
 * `destination` lets tests capture output; by default lines go to stdout.
 */
export function createLogger(name: string, options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const opts = loggerOptions(name, options.level ?? process.env.LOG_LEVEL ?? 'info');
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
