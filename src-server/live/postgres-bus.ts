import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { liveEventSchema } from '../../src-shared/telephony/model';
import { deliver } from './in-process-bus';
import type { LiveBus, LiveMessage } from './live-bus';

/** What the bus logs through: pino and Fastify's logger both fit. Lines carry no event content (no patient data). */
export interface BusLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface PostgresBusOptions {
  connectionString: string;
  /** The NOTIFY channel every instance of one deployment shares. A plain lower-case identifier. */
  channel?: string;
  logger: BusLogger;
  /** Reconnect delays of the listening connection: doubling from `minMs` to `maxMs`, with jitter. */
  reconnect?: { minMs?: number; maxMs?: number };
  /** How often the listening connection is checked with a trivial query, so a silently dead one is noticed. */
  healthCheckMs?: number;
  /** A message that could not be sent for this long is dropped (with a warning): late offers are worse than none. */
  publishRetryForMs?: number;
  /** Largest message carried, in bytes of JSON. A whole-floor snapshot is far below it. */
  maxMessageBytes?: number;
}

export interface PostgresBus extends LiveBus {
  /** This instance's id, carried in every notification so it can skip its own. */
  readonly instanceId: string;
  /** The `application_name` of the listening connection, so operators (and tests) can find it in pg_stat_activity. */
  readonly listenerApplicationName: string;
}

export const DEFAULT_LIVE_CHANNEL = 'care_desk_live';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; stay clear of it. */
const NOTIFY_PAYLOAD_LIMIT = 7900;
/** Base64 characters per chunk, leaving room for the chunk's envelope within the payload limit. */
const CHUNK_CHARS = 7600;
/** Partly received chunked messages kept at once; older ones are dropped (their sender's transaction is long done). */
const MAX_PARTIAL_MESSAGES = 64;
/** Messages waiting to be sent while PostgreSQL cannot be reached; beyond it the oldest go. */
const MAX_QUEUED_MESSAGES = 10_000;

const liveMessageSchema = z.object({
  event: liveEventSchema,
  audience: z.object({
    userId: z.string().nullable(),
    teamIds: z.array(z.string()).nullable(),
    minRole: z.enum(['handler', 'supervisor']),
  }),
});

/** One notification: a whole message, or one chunk of a message too big for one NOTIFY. */
type Envelope = { v: 1; from: string; m: unknown } | { v: 1; from: string; c: { id: number; i: number; n: number; d: string } };

/**
 * The live bus across API instances on one PostgreSQL, through LISTEN/NOTIFY.
 *
 * - Listening uses a dedicated connection of its own (a pooled connection could be handed to a query and would stop
 *   hearing notifications); it is watched and re-established with backoff, and each re-establishment is reported as
 *   a gap, because notifications sent while it was down are lost for good.
 * - A message is delivered to this instance's own listeners at once, and every instance skips notifications it sent
 *   itself, so nobody gets a message twice.
 * - NOTIFY payloads must stay under 8000 bytes. A bigger message (a snapshot, say) is cut into chunks sent by one
 *   statement, so in one transaction: other instances get all of its chunks or none, and reassemble them.
 * - Sends go one at a time, in order, on a one-connection pool of their own; while PostgreSQL is unreachable they
 *   wait and are retried for a short while.
 */
export async function openPostgresBus(options: PostgresBusOptions): Promise<PostgresBus> {
  const channel = options.channel ?? DEFAULT_LIVE_CHANNEL;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`The live channel must be a lower-case identifier, not ${JSON.stringify(channel)}`);
  const log = options.logger;
  const instanceId = randomUUID();
  const listenerApplicationName = `care-desk-live-${instanceId.slice(0, 8)}`;
  const minDelay = options.reconnect?.minMs ?? 250;
  const maxDelay = options.reconnect?.maxMs ?? 10_000;
  const retryFor = options.publishRetryForMs ?? 10_000;
  const maxBytes = options.maxMessageBytes ?? 8 * 1024 * 1024;

  const listeners = new Set<(message: LiveMessage) => void>();
  const gapListeners = new Set<() => void>();
  const partials = new Map<string, { parts: (string | undefined)[]; got: number }>();
  const onListenerError = (error: unknown) => log.error({ err: error }, 'a live bus listener failed');
  let closed = false;
  let listener: pg.Client | null = null;
  let connected = false;
  let everConnected = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let chunkSeq = 0;

  const publisher = new pg.Pool({
    connectionString: options.connectionString,
    max: 1,
    application_name: `care-desk-live-publish-${instanceId.slice(0, 8)}`,
    connectionTimeoutMillis: 5_000,
    query_timeout: 5_000,
    keepAlive: true,
  });
  // An idle connection that breaks is reported here; the pool replaces it on the next send.
  publisher.on('error', (error) => log.warn({ err: error.message }, 'live bus publishing connection lost'));

  const healthTimer = setInterval(() => {
    const client = listener;
    if (client && connected) client.query('SELECT 1').catch(() => lost(client, 'health check failed'));
  }, options.healthCheckMs ?? 30_000);
  healthTimer.unref();

  // ---- listening ----

  function connectListener(): Promise<void> {
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: listenerApplicationName,
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    listener = client;
    client.on('notification', (notification) => {
      if (client === listener && notification.channel === channel && notification.payload !== undefined) receive(notification.payload);
    });
    client.on('error', (error) => lost(client, error.message));
    client.on('end', () => lost(client, 'connection ended'));
    return client
      .connect()
      .then(() => client.query(`LISTEN "${channel}"`))
      .then(() => {
        if (client !== listener) return;
        connected = true;
        attempt = 0;
        if (everConnected) {
          log.info({ channel }, 'live bus listening again; desktops will get fresh snapshots');
          for (const gap of [...gapListeners]) {
            try {
              gap();
            } catch (error) {
              onListenerError(error);
            }
          }
        }
        everConnected = true;
      })
      .catch((error: unknown) => {
        lost(client, errorText(error));
        throw error;
      });
  }

  function lost(client: pg.Client, reason: string): void {
    if (client !== listener) return;
    listener = null;
    connected = false;
    partials.clear();
    client.end().catch(() => undefined);
    if (closed) return;
    attempt += 1;
    const delay = Math.min(maxDelay, minDelay * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    log.warn({ reason, retryInMs: Math.round(delay) }, 'live bus lost its PostgreSQL listening connection');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      if (!closed) connectListener().catch(() => undefined); // lost() has scheduled the next attempt
    }, delay);
    reconnectTimer.unref();
  }

  function receive(payload: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      log.warn({ channel }, 'live bus notification is not JSON; ignored');
      return;
    }
    if (envelope.from === instanceId) return; // delivered locally when published
    if ('m' in envelope) {
      accept(envelope.m);
      return;
    }
    const { id, i, n, d } = envelope.c;
    const key = `${envelope.from}:${id}`;
    let entry = partials.get(key);
    if (!entry) {
      entry = { parts: new Array<string | undefined>(n), got: 0 };
      partials.set(key, entry);
      if (partials.size > MAX_PARTIAL_MESSAGES) {
        const oldest = partials.keys().next().value as string;
        partials.delete(oldest);
        log.warn({ channel }, 'live bus dropped an incomplete chunked message');
      }
    }
    if (entry.parts[i] === undefined) {
      entry.parts[i] = d;
      entry.got += 1;
    }
    if (entry.got < n) return;
    partials.delete(key);
    let message: unknown;
    try {
      message = JSON.parse(Buffer.from(entry.parts.join(''), 'base64').toString('utf8'));
    } catch {
      log.warn({ channel }, 'live bus chunked message did not reassemble; ignored');
      return;
    }
    accept(message);
  }

  function accept(raw: unknown): void {
    const parsed = liveMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // Paths and codes only: the values may be a caller's number.
      log.warn({ issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`) }, 'live bus message is not valid; ignored');
      return;
    }
    deliver(listeners, parsed.data, onListenerError);
  }

  // ---- publishing ----

  const queue: { payloads: string[]; at: number }[] = [];
  let draining: Promise<void> | null = null;

  function encode(message: LiveMessage): string[] | null {
    const whole = JSON.stringify({ v: 1, from: instanceId, m: message } satisfies Envelope);
    if (Buffer.byteLength(whole) < NOTIFY_PAYLOAD_LIMIT) return [whole];
    const json = Buffer.from(JSON.stringify(message));
    if (json.length > maxBytes) return null;
    const data = json.toString('base64');
    const id = ++chunkSeq;
    const n = Math.ceil(data.length / CHUNK_CHARS);
    return Array.from({ length: n }, (_, i) =>
      JSON.stringify({ v: 1, from: instanceId, c: { id, i, n, d: data.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS) } } satisfies Envelope),
    );
  }

  async function drain(): Promise<void> {
    let failures = 0;
    while (queue.length > 0 && !closed) {
      const item = queue[0]!;
      try {
        // One statement is one transaction: the chunks of a message are delivered all together or not at all.
        await publisher.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [channel, item.payloads]);
        queue.shift();
        failures = 0;
      } catch (error) {
        if (closed) return;
        if (Date.now() - item.at > retryFor) {
          queue.shift();
          log.warn({ reason: errorText(error) }, 'live bus could not send a message to the other instances in time; dropped');
          continue;
        }
        failures += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** failures)).unref());
      }
    }
  }

  await connectListener().catch(async (error: unknown) => {
    closed = true;
    clearInterval(healthTimer);
    if (reconnectTimer) clearTimeout(reconnectTimer);
    await listener?.end().catch(() => undefined);
    await publisher.end();
    throw error;
  });

  return {
    instanceId,
    listenerApplicationName,
    publish(message) {
      if (closed) return;
      deliver(listeners, message, onListenerError);
      const payloads = encode(message);
      if (!payloads) {
        log.error({ type: message.event.type, maxBytes }, 'live message too big for the bus; other instances will not get it');
        return;
      }
      queue.push({ payloads, at: Date.now() });
      if (queue.length > MAX_QUEUED_MESSAGES) {
        queue.shift();
        log.warn({ queued: queue.length }, 'live bus queue full; dropped the oldest message');
      }
      draining ??= drain().finally(() => {
        draining = null;
      });
    },
    subscribe(listenerFn) {
      listeners.add(listenerFn);
      return () => listeners.delete(listenerFn);
    },
    onGap(gap) {
      gapListeners.add(gap);
      return () => gapListeners.delete(gap);
    },
    async close() {
      if (closed) return;
      // Let what is already queued go out first, then stop.
      if (draining) await Promise.race([draining, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      closed = true;
      clearInterval(healthTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      listeners.clear();
      gapListeners.clear();
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await publisher.end();
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
