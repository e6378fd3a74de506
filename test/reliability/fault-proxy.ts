import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A seeded random source, so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

export interface FaultSettings {
  /** Share of requests whose connection is dropped before they reach the server. */
  dropBeforeRate: number;
  /**
   * Share of the server's successful (2xx) answers lost on the way back: the server committed, the client never hears
   * of it. A quota kept per path, not a chance, so a run cannot fall short of it by luck: an answer is lost whenever
   * the path would otherwise have lost less than this share of its successful answers so far (at 0.25, the 1st, 5th,
   * 9th, ...). Error answers committed nothing; they are lost by chance at the same rate.
   */
  loseResponseRate: number;
  /** While true, every connection is refused at once (the API is "down"). */
  down: boolean;
  /** Paths whose responses are never lost (say, sign-in, when a test is about something else); none by default. */
  keepsResponsesOf?: (path: string) => boolean;
}

export interface FaultCounts {
  /** Requests that reached the server and were answered. */
  forwarded: number;
  droppedBefore: number;
  /** Answers lost on the way back, whatever their status. */
  responsesLost: number;
  refused: number;
  /** Successful (2xx) answers from the server: it committed what was asked. */
  committed: number;
  /** Of those, the ones lost on the way back: the loss that a client which forgets what it sent gets wrong. */
  lostAfterCommit: number;
}

const noCounts = (): FaultCounts => ({ forwarded: 0, droppedBefore: 0, responsesLost: 0, refused: 0, committed: 0, lostAfterCommit: 0 });

/** What `later` counted since `earlier` was taken. */
export function countsSince(later: FaultCounts, earlier: FaultCounts | undefined): FaultCounts {
  const since = noCounts();
  for (const key of Object.keys(since) as (keyof FaultCounts)[]) since[key] = later[key] - (earlier?.[key] ?? 0);
  return since;
}

export interface FaultProxy {
  url: string;
  settings: FaultSettings;
  counts: FaultCounts;
  /** The same counts per request path (`/sync/push`, `/auth/refresh`, ...), query strings left off. */
  countsByPath: Map<string, FaultCounts>;
  close(): Promise<void>;
}

const pathOf = (req: IncomingMessage): string => (req.url ?? '').split('?')[0]!;

/**
 * An HTTP proxy on loopback between desktops and the central API that misbehaves on purpose: it drops connections,
 * loses responses after the server has committed (the case a naive client gets wrong), and can play dead.
 */
export async function startFaultProxy(target: string, options: { seed: number; settings?: Partial<FaultSettings> }): Promise<FaultProxy> {
  const random = seededRandom(options.seed);
  const settings: FaultSettings = { dropBeforeRate: 0, loseResponseRate: 0, down: false, ...options.settings };
  const counts = noCounts();
  const countsByPath = new Map<string, FaultCounts>();
  // Per path, how many successful answers the quota wants lost beyond those already lost (see `loseResponseRate`).
  const owed = new Map<string, number>();
  const losesCommitted = (path: string): boolean => {
    const due = (owed.get(path) ?? 0) + settings.loseResponseRate;
    // The margin keeps a rounding error from losing one answer early or late (at 0.2, owing exactly nothing).
    const lose = due > 1e-9;
    owed.set(path, lose ? due - 1 : due);
    return lose;
  };
  const count = (req: IncomingMessage, what: keyof FaultCounts) => {
    counts[what] += 1;
    const path = pathOf(req);
    let forPath = countsByPath.get(path);
    if (!forPath) countsByPath.set(path, (forPath = noCounts()));
    forPath[what] += 1;
  };
  const upstream = new URL(target);
  const sockets = new Set<Socket>();

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (settings.down) {
      count(req, 'refused');
      req.socket.destroy();
      return;
    }
    if (random() < settings.dropBeforeRate) {
      count(req, 'droppedBefore');
      req.socket.destroy();
      return;
    }
    const path = pathOf(req);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (upstreamResponse) => {
        const chunks: Buffer[] = [];
        upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamResponse.on('end', () => {
          count(req, 'forwarded');
          const status = upstreamResponse.statusCode ?? 502;
          const succeeded = status >= 200 && status < 300;
          if (succeeded) count(req, 'committed');
          const kept = settings.keepsResponsesOf?.(path) ?? false;
          if (!kept && (succeeded ? losesCommitted(path) : random() < settings.loseResponseRate)) {
            // The server has answered; the client never hears of it.
            count(req, 'responsesLost');
            if (succeeded) count(req, 'lostAfterCommit');
            req.socket.destroy();
            return;
          }
          res.writeHead(status, upstreamResponse.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fault proxy did not bind');
  return {
    url: `http://127.0.0.1:${address.port}`,
    settings,
    counts,
    countsByPath,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
