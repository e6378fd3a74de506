import { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { startBrowserModeServer } from '../../src-main/browser-mode/browser-mode-server';
import { createDispatcher } from '../../src-main/contract/dispatcher';
import { createEventHub } from '../../src-main/core/event-hub';
import { createLogger } from '../../src-main/core/logger';
import type { RequestHandlers } from '../../src-shared/contract/bridge';
import { percentile, result, sample, type Benchmark } from '../lib/measure';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3000);

function roundTrip(ws: WebSocket, message: string): Promise<void> {
  return new Promise((resolve) => {
    ws.once('message', () => resolve());
    ws.send(message);
  });
}

async function open(url: string, origin: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers: { origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

/**
 * `contract-roundtrip-p50/p99`: one contract request from the page to the core and back over the browser-mode
 * socket (frame parse, schema check, dispatch). Baseline: a bare `ws` echo of the same frame on loopback.
 */
export const contractRoundtrip: Benchmark = {
  name: 'contract-roundtrip',
  async run() {
    const agent = { state: 'available' as const, reason: null, since: new Date().toISOString() };
    const logger = createLogger('bench', { level: 'silent' });
    const handlers = { 'agent.setState': () => agent } as unknown as RequestHandlers;
    const server = await startBrowserModeServer({
      rendererDir: '.',
      dispatch: createDispatcher(handlers, logger),
      events: createEventHub(() => undefined),
      logger,
      secret: 'bench',
    });
    const message = JSON.stringify({ type: 'request', id: 1, name: 'agent.setState', input: { state: 'available' } });
    const ws = await open(`ws://127.0.0.1:${server.port}/contract?secret=bench`, server.origin);
    const ours = await sample(ROUNDS, () => roundTrip(ws, message), 300);
    ws.close();
    await server.close();

    const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    echo.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())));
    await new Promise((resolve) => echo.once('listening', resolve));
    const port = (echo.address() as { port: number }).port;
    const raw = await open(`ws://127.0.0.1:${port}`, 'http://127.0.0.1');
    const baseline = await sample(ROUNDS, () => roundTrip(raw, message), 300);
    raw.close();
    await new Promise((resolve) => echo.close(resolve));

    return [
      result('contract-roundtrip-p50', percentile(ours, 50), 'ms', percentile(baseline, 50)),
      result('contract-roundtrip-p99', percentile(ours, 99), 'ms', percentile(baseline, 99)),
    ];
  },
};
