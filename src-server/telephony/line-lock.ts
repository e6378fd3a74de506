import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

/** The advisory lock the instance with the phone line holds on its PostgreSQL database (migrations use 4207). */
export const LINE_LOCK_KEY = 4208;
/** How long a starting instance waits for the line (an instance being replaced lets go when it stops). */
export const DEFAULT_LINE_LOCK_WAIT_MS = 30_000;
const RETRY_MS = 1_000;

export interface LineLock {
  /** Lets go of the line (closes the lock's connection). */
  release(): Promise<void>;
}

export interface LineLockOptions {
  connectionString: string;
  logger: FastifyBaseLogger;
  key?: number;
  waitMs?: number;
  /**
   * The lock's connection broke after it was taken: PostgreSQL has let go of the lock, so another instance may now
   * route calls too. The caller should stop routing (the server exits, and its supervisor starts it again).
   */
  onLost(error: Error): void;
}

/**
 * Makes this instance the one that routes calls for its database. Routing lives in the instance's memory (queues,
 * handlers' states, offers), so two instances routing on one database would each offer calls to their own desks and
 * neither would know the other's. The lock is a session advisory lock on a connection of its own: PostgreSQL lets go
 * of it when that connection ends, however the instance stops. Waits up to `waitMs` for an instance being replaced
 * to let go, then refuses with what to do.
 */
export async function takeLineLock(options: LineLockOptions): Promise<LineLock> {
  const key = options.key ?? LINE_LOCK_KEY;
  const waitMs = options.waitMs ?? DEFAULT_LINE_LOCK_WAIT_MS;
  const client = new pg.Client({ connectionString: options.connectionString, application_name: 'care-desk-line-lock' });
  let state: 'waiting' | 'held' | 'released' = 'waiting';
  const lost = (error: Error) => {
    if (state !== 'held') return;
    state = 'released';
    options.onLost(error);
  };
  // Errors while waiting also fail the query the loop is in; once held, a broken connection means the lock is gone.
  client.on('error', lost);
  client.on('end', () => lost(new Error('the phone line lock’s connection to PostgreSQL ended')));
  try {
    await waitForLock(client, key, waitMs, options.logger);
  } catch (error) {
    state = 'released';
    await client.end().catch(() => undefined);
    throw error;
  }
  state = 'held';
  return {
    async release() {
      if (state === 'released') return;
      state = 'released';
      await client.end().catch(() => undefined);
    },
  };
}

/** Connects and takes the lock, trying again each second until `waitMs` has passed; throws what to do if it has. */
async function waitForLock(client: pg.Client, key: number, waitMs: number, logger: FastifyBaseLogger): Promise<void> {
  await client.connect();
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const { rows } = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1) AS taken', [key]);
    if (rows[0]?.taken) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `Another central API instance on this database routes calls (it holds the phone line), and it did not let go within ${Math.round(waitMs / 1000)} s. ` +
          'Run one instance with the line and start the others with PHONE_LINE=off; send /live, /telephony/ and /twilio/ to the one with the line.',
      );
    }
    if (!told) {
      logger.info('another instance holds the phone line; waiting for it to let go');
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, Math.max(0, deadline - Date.now()))));
  }
}
